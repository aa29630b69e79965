"""Reads of indicators: the dashboard's figures from snapshots (fast, and fixed once computed), and the people
behind a figure from the records (area-scoped; the drill-down is logged by the view)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from canlian.accounts.scope import scoped_areas
from canlian.areas.models import Area
from canlian.areas.selectors import under_paths
from canlian.common.numbers import percent
from canlian.indicators.measures import MEASURES
from canlian.indicators.models import Indicator, Snapshot, Target


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    numerator: int | None
    denominator: int | None
    target: Decimal | None
    as_of: date | None

    @property
    def measured(self) -> bool:
        return bool(self.indicator.measure)

    @property
    def is_rate(self) -> bool:
        return self.measured and MEASURES[self.indicator.measure].is_rate

    @property
    def value(self) -> Decimal | None:
        """The rate in percent (two decimals, half up), or the count; None when there is no data."""
        if self.numerator is None:
            return None
        if not self.is_rate:
            return Decimal(self.numerator)
        return percent(self.numerator, self.denominator)

    @property
    def status(self) -> str:
        """"met", "near" (within a tenth of the target), "behind", or "" (no target or no value)."""
        if self.target is None or self.value is None:
            return ""
        if self.value >= self.target:
            return "met"
        return "near" if self.value >= self.target * Decimal("0.9") else "behind"


def area_in_scope(*, user, pk) -> Area:
    try:
        return scoped_areas(user).get(pk=pk)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def home_area(user) -> Area | None:
    """The widest of the user's areas: what the dashboard shows first."""
    return user.areas.order_by("level", "code").first() if user.is_authenticated else None


def years_computed() -> list[int]:
    return list(Snapshot.objects.order_by("-year").values_list("year", flat=True).distinct())


def _targets(year: int) -> dict[int, Decimal]:
    return dict(Target.objects.filter(year=year).values_list("indicator_id", "value"))


def figures(*, area: Area, year: int) -> list[Figure]:
    """Every indicator for an area and a year, from the year's snapshots; an indicator the year computed but the
    area has no rows for reads 0, an indicator without a measure reads "no data"."""
    snapshots = {s.indicator_id: s for s in Snapshot.objects.filter(area=area, year=year)}
    computed = Snapshot.objects.filter(year=year).values_list("as_of", flat=True).first()
    targets = _targets(year)
    result = []
    for indicator in Indicator.objects.all():
        snapshot = snapshots.get(indicator.pk)
        if snapshot is not None:
            num, den = snapshot.numerator, snapshot.denominator
        elif computed is not None and indicator.measure:
            num, den = 0, 0
        else:
            num = den = None
        result.append(Figure(indicator, num, den, targets.get(indicator.pk), computed))
    return result


def comparison(*, user, indicator: Indicator, area: Area, year: int) -> list[tuple[Area, Figure]]:
    """The indicator for each area directly under `area` (比较各区域)."""
    children = Area.objects.filter(parent=area).filter(pk__in=scoped_areas(user)).order_by("code")
    snapshots = {s.area_id: s for s in Snapshot.objects.filter(indicator=indicator, year=year, area__in=children)}
    target = _targets(year).get(indicator.pk)
    computed = Snapshot.objects.filter(year=year).values_list("as_of", flat=True).first()
    return [(child, Figure(indicator, *(
        (snapshots[child.pk].numerator, snapshots[child.pk].denominator) if child.pk in snapshots
        else ((0, 0) if computed else (None, None))), target, computed)) for child in children]


def trend(*, indicator: Indicator, area: Area) -> list[tuple[int, Figure]]:
    """The indicator for an area year by year, as each year's snapshot holds it."""
    targets = dict(Target.objects.filter(indicator=indicator).values_list("year", "value"))
    return [(s.year, Figure(indicator, s.numerator, s.denominator, targets.get(s.year), s.as_of))
            for s in Snapshot.objects.filter(indicator=indicator, area=area).order_by("year")]


def people(*, user, indicator: Indicator, area: Area, on: date, year: int, covered: bool) -> QuerySet:
    """The persons behind a figure, from the records as they are now: those counted, or (for a rate) those not yet
    covered; only persons in the user's areas and under `area`."""
    measure = MEASURES.get(indicator.measure)
    if measure is None or not measure.persons:
        raise Http404
    rows = measure.rows(on, year).filter(under_paths(
        [a.path for a in scoped_areas(user).filter(pk=area.pk)], path_field="residence_area__path"))
    if measure.is_rate:
        condition = measure.counted(on, year)
        rows = rows.filter(condition) if covered else rows.exclude(condition)
    elif not covered:
        return rows.none()
    return rows.select_related("residence_area").order_by("residence_area__code", "name", "pk")


def indicator_get(code: str) -> Indicator:
    try:
        return Indicator.objects.get(code=code)
    except Indicator.DoesNotExist:
        raise Http404 from None


