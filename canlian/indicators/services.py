"""Writes of indicators: compute every indicator for every area for a year, as snapshots (set-based: one grouped
query per indicator, rolled up the area tree in memory — a province's 5,000 areas are a few thousand sums); and
the poverty-relapse watchlist's flags, follow-ups and household events."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from canlian.areas.models import Area
from canlian.areas.selectors import ancestor_paths
from canlian.common.records import history_stamp, reason_required
from canlian.indicators import rules, selectors
from canlian.indicators.measures import MEASURES, Measure, as_of
from canlian.indicators.models import FollowUp, HouseholdEvent, Indicator, RiskFlag, Snapshot
from canlian.indicators.rules import EventKind
from canlian.indicators.selectors import households_in_scope
from canlian.parameters.selectors import parameter_int
from canlian.registry.models import Household


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
        for path in ancestor_paths(paths[area_id]):
            ancestor = by_path.get(path)
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


# --- the poverty-relapse watchlist (防止返贫监测) ------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    households: int
    opened: int
    cleared: int


def watchlist_sweep(*, households: QuerySet[Household] | None = None, on: date | None = None,
                    chunk: int = 2000) -> SweepResult:
    """Ask the rule about every household (or those given) as of a day: open a flag for each new risk, mark an open
    flag whose risk the rule no longer finds (the officer closes it after a visit), unmark one found again, and keep
    each open flag's reason up to date. A risk an officer closed is not opened again on the same facts — only when
    its explanation (which carries the facts: income and year, dates, sums) has changed.

    Each chunk of households is its own transaction, so a province's nightly sweep holds no lock for long.
    Idempotent: a second sweep on the same day changes nothing; two at once (the nightly command, an officer's
    request, a household event) are serialised on the households' rows, so the second finds the first's flags."""
    on = on or timezone.localdate()
    params = selectors.watch_params(on=on)
    follow_up_days = parameter_int("watch.follow_up_days", on=on)
    ids = list((households if households is not None else Household.objects.all()).order_by("pk")
               .values_list("pk", flat=True))
    opened = cleared = 0
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            part_opened, part_cleared = _sweep_chunk(ids[start:start + chunk], on=on, params=params,
                                                     follow_up_days=follow_up_days)
        opened, cleared = opened + part_opened, cleared + part_cleared
    return SweepResult(households=len(ids), opened=opened, cleared=cleared)


def _sweep_chunk(part_ids: list[int], *, on: date, params, follow_up_days: int) -> tuple[int, int]:
    # Lock the households first: a second sweep of them waits here, then reads the flags this one opened
    # (the unique open (household, reason) alone would make it fail with an IntegrityError).
    list(Household.objects.select_for_update().filter(pk__in=part_ids).order_by("pk").values_list("pk", flat=True))
    part = Household.objects.filter(pk__in=part_ids)
    facts = selectors.watch_facts(part, on=on, lookback_days=params.lookback_days)
    found = {(pk, risk.reason): risk.explanation[:500] for pk, f in facts.items()
             for risk in rules.relapse_risks(f, on=on, params=params)}
    flags = RiskFlag.objects.filter(household__in=part)
    open_flags = {(flag.household_id, flag.reason): flag for flag in
                  flags.select_for_update().filter(closed_on__isnull=True)}
    closed_on_same_facts = {(pk, reason) for pk, reason, explanation in flags.filter(closed_on__isnull=False)
                            .order_by("household_id", "reason", "closed_on", "pk")
                            .values_list("household_id", "reason", "explanation")
                            if found.get((pk, reason)) == explanation}
    new = [RiskFlag(household_id=pk, reason=reason, explanation=explanation, opened_on=on,
                    follow_up_due=on + timedelta(days=follow_up_days))
           for (pk, reason), explanation in found.items()
           if (pk, reason) not in open_flags and (pk, reason) not in closed_on_same_facts]
    bulk_create_with_history(new, RiskFlag, default_change_reason=_("规则识别"))
    changed, cleared = [], 0
    for key, flag in open_flags.items():
        if key in found and (flag.cleared_on is not None or flag.explanation != found[key]):
            flag.cleared_on, flag.explanation = None, found[key]
            changed.append(flag)
        elif key not in found and flag.cleared_on is None:
            flag.cleared_on = on
            changed.append(flag)
            cleared += 1
    bulk_update_with_history(changed, RiskFlag, ["cleared_on", "explanation"], default_change_reason=_("规则重新核查"))
    return len(new), cleared


def _household_in_scope(household: Household, by) -> None:
    if not households_in_scope(by).filter(pk=household.pk).exists():
        raise PermissionDenied(_("这户家庭不在您负责的区域内。"))


@transaction.atomic
def household_event_record(*, household: Household, by, kind: str, occurred_on: date,
                           amount: Decimal | None = None, note: str = "") -> HouseholdEvent:
    """Record a change in a household's life (家庭变故) and ask the rule about the household at once."""
    _household_in_scope(household, by)
    today = timezone.localdate()
    errors = {}
    if kind not in EventKind.values:
        errors["kind"] = _("请选择变故类型。")
    if occurred_on > today:
        errors["occurred_on"] = _("发生日期不能晚于今天。")
    if kind == EventKind.MEDICAL_SPENDING and not amount:
        errors["amount"] = _("医疗自付支出请填写金额。")
    if amount is not None and amount < 0:
        errors["amount"] = _("金额不能小于 0。")
    if errors:
        raise ValidationError(errors)
    event = HouseholdEvent.objects.create(household=household, kind=kind, occurred_on=occurred_on, amount=amount,
                                          note=" ".join(note.split())[:200], recorded_by=by)
    watchlist_sweep(households=Household.objects.filter(pk=household.pk), on=today)
    return event


@transaction.atomic
def follow_up_record(*, household: Household, by, visited_on: date, situation: str, measures: list[str],
                     note: str = "") -> FollowUp:
    """Record a follow-up visit and the assistance arranged (帮扶措施); every open flag of the household is next
    due a visit one period after this one."""
    _household_in_scope(household, by)
    flags = list(RiskFlag.objects.select_for_update().filter(household=household, closed_on__isnull=True))
    errors = {}
    if not flags:
        errors["situation"] = _("这户家庭没有未关闭的返贫风险，无需登记跟踪帮扶。")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("走访日期不能晚于今天。")
    elif flags and visited_on < min(f.opened_on for f in flags):
        errors["visited_on"] = _("走访日期不能早于风险识别日期 %(d)s。") % {"d": min(f.opened_on for f in flags)}
    unknown = [m for m in measures if m not in FollowUp.Measure.values]
    if unknown or not measures:
        errors["measures"] = _("请至少选择一项帮扶措施（无措施请选“其他”并说明）。")
    elif FollowUp.Measure.OTHER in measures and not note.strip():
        errors["note"] = _("选择“其他”时请说明帮扶措施。")
    situation = " ".join(situation.split())
    if not situation:
        errors.setdefault("situation", _("请填写家庭现状。"))
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(household=household, visited_on=visited_on, situation=situation[:500],
                                        measures=sorted(set(measures)), note=" ".join(note.split())[:500],
                                        recorded_by=by)
    due = visited_on + timedelta(days=parameter_int("watch.follow_up_days", on=visited_on))
    for flag in flags:
        flag.follow_up_due = max(flag.follow_up_due, due)  # a visit entered late does not bring the next one forward
        history_stamp(flag, by=by, reason=_("跟踪帮扶 %(d)s") % {"d": visited_on})
        flag.save(update_fields=["follow_up_due"])
    return follow_up


@transaction.atomic
def risk_flag_close(*, flag: RiskFlag, by, note: str) -> RiskFlag:
    """Close a flag once the risk is gone (风险消除), after at least one follow-up visit, with the reason."""
    flag = RiskFlag.objects.select_for_update().get(pk=flag.pk)
    _household_in_scope(flag.household, by)
    if flag.closed_on is not None:
        raise ValidationError(_("这项风险已于 %(d)s 关闭。") % {"d": flag.closed_on})
    if not FollowUp.objects.filter(household=flag.household_id, visited_on__gte=flag.opened_on).exists():
        raise ValidationError({"note": _("请先登记至少一次跟踪帮扶走访，再关闭风险。")})
    flag.close_note = reason_required(note, field="note", message=_("请填写风险消除的原因。"))[:200]
    flag.closed_on, flag.closed_by = timezone.localdate(), by
    history_stamp(flag, by=by, reason=_("关闭返贫风险"))
    flag.save()
    return flag
