from django.db.models import Q, QuerySet

from canlian.areas.models import Area


def area_subtree(areas) -> QuerySet[Area]:
    """Return the given areas and everything under them."""
    condition = Q(pk__in=[])
    for area in areas:
        condition |= Q(path__startswith=area.path)
    return Area.objects.filter(condition)

