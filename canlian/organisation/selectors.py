"""Reads of the federation's organisation, area-scoped: each community's post and its holder, the associations,
the facilities, and the cadres with the disabled share."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from canlian.accounts.scope import scoped_areas
from canlian.areas.models import Area
from canlian.common.numbers import percent
from canlian.organisation.models import Association, Facility, OfficerPost, StaffMember, held_on
from canlian.registry.models import Certificate, valid_certificate_on


@dataclass(frozen=True)
class Post:
    area: Area
    holder: OfficerPost | None  # the term running on the day; None: vacant (空缺)


def posts(*, user, on: date, under: Area | None = None) -> list[Post]:
    """Every community and gacha in the user's areas (or under `under`) with the term that runs on the day."""
    villages = scoped_areas(user).filter(level=Area.Level.VILLAGE)
    if under is not None:
        villages = villages.filter(path__startswith=under.path)
    villages = villages.order_by("path").prefetch_related(Prefetch(
        "officer_posts", queryset=OfficerPost.objects.filter(held_on(on)).order_by("-started_on"), to_attr="held"))
    return [Post(area, area.held[0] if area.held else None) for area in villages]


def post_area_get(*, user, pk) -> Area:
    area = scoped_areas(user).filter(level=Area.Level.VILLAGE, pk=pk).first() if str(pk).isdecimal() else None
    if area is None:
        raise Http404
    return area


def post_terms(area: Area) -> QuerySet[OfficerPost]:
    return OfficerPost.objects.filter(area=area).order_by("-started_on", "-pk")


def associations(*, user, on: date) -> QuerySet[Association]:
    # The founding date may be unknown (blank): such an association is listed, not hidden for ever.
    return (Association.objects.filter(area__in=scoped_areas(user))
            .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=on))
            .exclude(dissolved_on__lte=on).select_related("area"))


def facilities(*, user) -> QuerySet[Facility]:
    return Facility.objects.filter(area__in=scoped_areas(user)).select_related("area")


def disabled_condition(on: date) -> Exists:
    """A cadre whose own file holds a valid certificate on the day (残疾人干部)."""
    return Exists(Certificate.objects.filter(valid_certificate_on(on), person=OuterRef("person")))


def cadres(*, user, on: date, under: Area | None = None) -> QuerySet[StaffMember]:
    """The cadres in post on the day at the federations in the user's areas (or under `under`)."""
    staff = StaffMember.objects.filter(held_on(on), unit_area__in=scoped_areas(user))
    if under is not None:
        staff = staff.filter(unit_area__path__startswith=under.path)
    return staff.annotate(disabled=disabled_condition(on)).select_related("unit_area")


@dataclass(frozen=True)
class Summary:
    villages: int
    posts_held: int
    cadres: int
    disabled_cadres: int

    @property
    def coverage(self):
        return percent(self.posts_held, self.villages)

    @property
    def disabled_share(self):
        return percent(self.disabled_cadres, self.cadres)


def summary(*, user, on: date, under: Area | None = None) -> Summary:
    rows = posts(user=user, on=on, under=under)
    staff = cadres(user=user, on=on, under=under)
    return Summary(villages=len(rows), posts_held=sum(post.holder is not None for post in rows),
                   cadres=staff.count(), disabled_cadres=staff.filter(disabled=True).count())
