"""Writes of indicators: compute every indicator for every area for a year, as snapshots (set-based: one grouped
query per indicator, rolled up the area tree in memory — a province's 5,000 areas are a few thousand sums)."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.areas.models import Area
from canlian.indicators.measures import MEASURES, Measure, as_of
from canlian.indicators.models import Indicator, Snapshot


def measure_by_area(measure: Measure, *, on: date, year: int) -> dict[int, tuple[int, int | None]]:
    """(counted, of) per area where the rows are counted (the leaves of the tree that have any)."""
    rows = measure.rows(on, year).order_by().values(measure.area_field)
    if measure.is_rate:
        grouped = rows.annotate(den=Count("pk"), num=Count("pk", filter=measure.counted(on, year)))
        return {row[measure.area_field]: (row["num"], row["den"]) for row in grouped}
    return {row[measure.area_field]: (row["num"], None) for row in rows.annotate(num=Count("pk"))}


def rolled_up(leaves: dict[int, tuple[int, int | None]]) -> dict[int, tuple[int, int | None]]:
    """Every area's figure: its own rows and all those below it (an area's path holds its ancestors' codes)."""
    paths = dict(Area.objects.values_list("pk", "path"))
    by_path = {path: pk for pk, path in paths.items()}
    totals: dict[int, list] = defaultdict(lambda: [0, None])
    for area_id, (num, den) in leaves.items():
        path = paths[area_id]
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            ancestor = by_path.get("/" + "/".join(parts[:depth]) + "/")
            if ancestor is None:
                continue
            total = totals[ancestor]
            total[0] += num
            if den is not None:
                total[1] = (total[1] or 0) + den
    return {pk: (num, den) for pk, (num, den) in totals.items()}


@transaction.atomic
def indicators_compute(*, year: int, by=None, today: date | None = None, replace: bool = False) -> int:
    """Compute every indicator with a measure for every area for a year, as of its last day (or today for the year
    under way), and keep them as the year's snapshots. A finished year's snapshots are kept as they are unless
    `replace` says to compute them again (a correction). Returns how many snapshots were written."""
    today = today or timezone.localdate()
    if not 2015 <= year <= today.year:
        raise ValidationError({"year": _("年度应在 2015 年到 %(y)d 年之间。") % {"y": today.year}})
    on = as_of(year, today)
    if year < today.year and not replace and Snapshot.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(y)d 年的指标已有快照，保持不变；如需按现有记录更正，请在规划指标页面重新计算（命令行加 --replace）。") % {"y": year}})
    Snapshot.objects.filter(year=year).delete()
    snapshots = []
    for indicator in Indicator.objects.exclude(measure=""):
        figures = rolled_up(measure_by_area(MEASURES[indicator.measure], on=on, year=year))
        snapshots += [Snapshot(indicator=indicator, area_id=area_id, year=year, as_of=on, numerator=num,
                               denominator=den, computed_by=by) for area_id, (num, den) in figures.items()]
    Snapshot.objects.bulk_create(snapshots, batch_size=5000)
    return len(snapshots)
