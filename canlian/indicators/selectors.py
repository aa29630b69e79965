"""Reads of indicators: the dashboard's figures from snapshots (fast, and fixed once computed), and the people
behind a figure from the records (area-scoped; the drill-down is logged by the view)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404

from canlian.accounts.scope import residence_in_scope, scope_paths, scoped_areas
from canlian.areas.models import Area
from canlian.areas.selectors import under_paths
from canlian.common.numbers import percent
from canlian.employment.models import EmploymentRecord, employment_spell_on
from canlian.indicators.measures import MEASURES
from canlian.indicators.models import HouseholdEvent, Indicator, RiskFlag, Snapshot, Target
from canlian.indicators.rules import WatchEvent, WatchFacts, WatchMember, WatchParams
from canlian.parameters.selectors import parameter_int, parameter_value
from canlian.registry.choices import AssistanceKind, LifeStatus
from canlian.registry.models import (
    AssistanceStatus,
    Certificate,
    Household,
    HouseholdMember,
    Person,
    registered_on,
    valid_certificate_on,
)


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


def years_computed() -> list[int]:
    """The years with snapshots, newest first: read off the top areas' snapshots (a few rows a year; a DISTINCT over
    every snapshot of a province cost most of a dashboard request)."""
    return list(Snapshot.objects.filter(area__parent__isnull=True).order_by("-year")
                .values_list("year", flat=True).distinct())


def _computed_on(year: int) -> date | None:
    """The day the year's snapshots were computed as of (one computation writes them all with the same day);
    None when the year has none. Unordered, so the (year, area) index answers it at once."""
    return next(iter(Snapshot.objects.filter(year=year).order_by().values_list("as_of", flat=True)[:1]), None)


def _targets(year: int) -> dict[int, Decimal]:
    return dict(Target.objects.filter(year=year).values_list("indicator_id", "value"))


def figures(*, area: Area, year: int) -> list[Figure]:
    """Every indicator for an area and a year, from the year's snapshots; an indicator the year computed but the
    area has no rows for reads 0, an indicator without a measure reads "no data"."""
    indicators = list(Indicator.objects.annotate(
        snapshot=FilteredRelation("snapshots", condition=Q(snapshots__area=area, snapshots__year=year)),
        year_target=FilteredRelation("targets", condition=Q(targets__year=year)),
    ).annotate(num=F("snapshot__numerator"), den=F("snapshot__denominator"), on=F("snapshot__as_of"),
               target=F("year_target__value")))
    computed = next((i.on for i in indicators if i.on is not None), None) or _computed_on(year)
    result = []
    for indicator in indicators:
        if indicator.on is not None:
            num, den = indicator.num, indicator.den
        elif computed is not None and indicator.measure:
            num, den = 0, 0
        else:
            num = den = None
        result.append(Figure(indicator, num, den, indicator.target, computed))
    return result


def comparison(*, user, indicator: Indicator, area: Area, year: int) -> list[tuple[Area, Figure]]:
    """The indicator for each area directly under `area` (比较各区域)."""
    children = Area.objects.filter(parent=area).filter(pk__in=scoped_areas(user)).order_by("code")
    snapshots = {s.area_id: s for s in Snapshot.objects.filter(indicator=indicator, year=year, area__in=children)}
    target = _targets(year).get(indicator.pk)
    computed = _computed_on(year)
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




# --- the poverty-relapse watchlist (防止返贫监测) ------------------------------------------------------------


def watch_params(*, on: date) -> WatchParams:
    return WatchParams(income_line=parameter_value("watch.income_line", on=on),
                       medical_threshold=parameter_value("watch.medical_spending_threshold", on=on),
                       lookback_days=parameter_int("watch.lookback_days", on=on),
                       elder_parent_age=parameter_int("household.elder_parent_age", on=on))


def watch_facts(households: QuerySet[Household], *, on: date, lookback_days: int) -> dict[int, WatchFacts]:
    """The rule's facts for many households in four queries: the households, their members (with card, work and
    低保 on the day), their events in the look-back period."""
    since = date.fromordinal(on.toordinal() - lookback_days)
    dibao = AssistanceStatus.objects.filter(person=OuterRef("person"), kind=AssistanceKind.DIBAO)
    members = (HouseholdMember.objects.filter(household__in=households.values("pk"))
               .annotate(
                   registered=ExpressionWrapper(Q(person__isnull=False) & registered_on(on, prefix="person__"),
                                                output_field=BooleanField()),
                   severe=Exists(Certificate.objects.filter(valid_certificate_on(on), person=OuterRef("person"),
                                                            grade__lte=2)),
                   employed=Exists(EmploymentRecord.objects.filter(employment_spell_on(on), person=OuterRef("person"),
                                                                   employed=True)),
                   in_dibao=Exists(dibao.filter(started_on__lte=on).filter(
                       Q(ended_on__isnull=True) | Q(ended_on__gt=on))),
                   dibao_ended_on=Subquery(dibao.filter(ended_on__lte=on).order_by("-ended_on").values("ended_on")[:1]))
               .values_list("household_id", "relation", "birth_date", "person__birth_date", "person__life_status",
                            "person__life_status_since", "registered", "severe", "employed", "in_dibao",
                            "dibao_ended_on").order_by("household_id", "pk"))
    by_household: dict[int, list[WatchMember]] = defaultdict(list)
    for (household_id, relation, birth, person_birth, status, since_day, registered, severe, employed, in_dibao,
         dibao_ended_on) in members:
        died_on = since_day if status == LifeStatus.DECEASED else None
        by_household[household_id].append(WatchMember(
            relation=relation, birth_date=person_birth or birth, disabled=bool(registered),
            severe=bool(registered and severe), employed=bool(registered and employed), died_on=died_on,
            in_dibao=bool(in_dibao), dibao_ended_on=dibao_ended_on))
    events: dict[int, list[WatchEvent]] = defaultdict(list)
    for household_id, kind, occurred_on, amount in HouseholdEvent.objects.filter(
            household__in=households.values("pk"), occurred_on__gte=since, occurred_on__lte=on).values_list(
            "household_id", "kind", "occurred_on", "amount"):
        events[household_id].append(WatchEvent(kind, occurred_on, amount))
    return {pk: WatchFacts(per_capita_income=income, income_year=year, members=tuple(by_household[pk]),
                           events=tuple(events[pk]))
            for pk, income, year in households.values_list("pk", "per_capita_income", "income_year")}


def households_in_scope(user) -> QuerySet[Household]:
    return Household.objects.filter(under_paths(scope_paths(user), path_field="area__path"))


def household_watched(*, user, pk) -> Household:
    """A household in the user's areas (404 otherwise), for its watch page."""
    try:
        return households_in_scope(user).select_related("area").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def household_members_visible(*, user, household: Household) -> list[HouseholdMember]:
    """The members, a registered member living outside the user's areas marked `hidden` (relation only)."""
    members = list(household.members.select_related("person").order_by("pk"))
    visible = set(Person.objects.filter(residence_in_scope(user), membership__household=household)
                  .values_list("pk", flat=True))
    for member in members:
        member.hidden = member.person_id is not None and member.person_id not in visible
    return members


def risk_flags_open(*, user, reason: str = "", overdue_on: date | None = None) -> QuerySet[RiskFlag]:
    """Open flags in the user's areas, overdue follow-ups first (the earliest due), by area."""
    flags = RiskFlag.objects.filter(closed_on__isnull=True).filter(
        under_paths(scope_paths(user), path_field="household__area__path"))
    if reason:
        flags = flags.filter(reason=reason)
    if overdue_on:
        flags = flags.filter(follow_up_due__lt=overdue_on)
    return flags.select_related("household__area").order_by("follow_up_due", "household__area__code", "pk")


def household_heads(households: list[Household], *, user) -> dict[int, Person]:
    """A registered member of each household in the user's areas to name it by and link its file (the head first)."""
    heads: dict[int, Person] = {}
    members = (HouseholdMember.objects.filter(household__in=households, person__isnull=False)
               .filter(residence_in_scope(user, prefix="person__")).select_related("person"))
    for member in sorted(members, key=lambda m: (m.household_id, m.relation != "head", m.pk)):
        heads.setdefault(member.household_id, member.person)
    return heads
