"""Area scope (数据权限): which areas, and so which persons, a staff member may see."""

from django.db.models import QuerySet

from canlian.areas.models import Area
from canlian.areas.selectors import area_subtree


def scoped_areas(user) -> QuerySet[Area]:
    """Return the areas a user covers, with everything under them; nothing for anonymous users."""
    if not user.is_authenticated or not user.is_active:
        return Area.objects.none()
    return area_subtree(list(user.areas.all()))
