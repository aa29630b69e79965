"""Area scope (数据权限): which areas, and so which persons, a staff member may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from canlian.accounts.models import Proxy
from canlian.areas.models import Area
from canlian.areas.selectors import under_paths


def scoped_areas(user) -> QuerySet[Area]:
    """Return the areas a user covers, with everything under them; nothing for anonymous users."""
    if not user.is_authenticated or not user.is_active:
        return Area.objects.none()
    return Area.objects.filter(under_paths(scope_paths(user)))


def area_in_scope(*, user, pk) -> Area:
    """One of the user's areas (or below them) by id; any other answers 404, whether it exists or not."""
    try:
        return scoped_areas(user).get(pk=pk)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def covers_every_area(user) -> bool:
    """Whether the user's areas take in the whole tree (every top area is theirs or under theirs)."""
    paths = scope_paths(user)
    return bool(paths) and not Area.objects.filter(parent__isnull=True).exclude(under_paths(paths)).exists()


def own_areas(user) -> list[Area]:
    """The user's own areas (not those under them), read once per user object (i.e. per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if not hasattr(user, "_own_areas"):
        user._own_areas = list(user.areas.all())
    return user._own_areas


def home_area(user) -> Area | None:
    """The widest of the user's own areas (the shortest path): what a page of figures shows first."""
    return min(own_areas(user), key=lambda area: (len(area.path), area.code), default=None)


def scope_paths(user) -> list[str]:
    """The materialised paths of the user's own areas."""
    return [area.path for area in own_areas(user)]


def residence_in_scope(user, *, prefix: str = "") -> Q:
    """The condition "lives in one of the user's areas or below" on a person (or on `prefix`person); for a
    resident, "is one of the persons a confirmed authorisation names" (本人 or a ward)."""
    if getattr(user, "is_resident", False):
        return Q(**{f"{prefix}pk__in": acted_for(user)})
    return under_paths(scope_paths(user), path_field=f"{prefix}residence_area__path")


def acted_for(user) -> QuerySet:
    """The ids of the persons a resident may see and act for: their confirmed authorisations (授权代办)."""
    if not user.is_authenticated or not user.is_active:
        return Proxy.objects.none().values("person_id")
    return Proxy.objects.filter(resident=user, state=Proxy.State.CONFIRMED).values("person_id")


def staff_required(by) -> None:
    """For a write only staff make (review, approval, recording a service …): a resident's scope covers the persons
    they act for, which is enough to apply or withdraw, never to decide."""
    if getattr(by, "is_resident", False):
        raise PermissionDenied
