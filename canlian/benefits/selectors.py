"""Reads of benefits: the facts the rules need about one person, the options and standards in force."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from canlian.accounts.scope import residence_in_scope, scope_paths
from canlian.areas.models import Area
from canlian.areas.selectors import under_paths
from canlian.benefits import payroll, rules
from canlian.benefits.choices import CircumstanceKind, Scheme
from canlian.benefits.eligibility import eligible_persons
from canlian.benefits.models import (
    Application,
    ApplicationDocument,
    Entitlement,
    PayrollLine,
    PayrollRun,
    Recovery,
    Standard,
)
from canlian.common.decision import Decision
from canlian.parameters.selectors import parameter_int
from canlian.registry.models import Person, valid_certificate_on
from canlian.registry.selectors import assistance_statuses_on

PAYROLL_PAID_STATES = [PayrollRun.State.APPROVED, PayrollRun.State.EXPORTED, PayrollRun.State.RECONCILED]


def benefit_options(*, on: date) -> rules.BenefitOptions:
    """The local options (parameters) in force on a day."""
    return rules.BenefitOptions(
        living_includes_near_dibao=bool(parameter_int("living_allowance.includes_near_dibao", on=on)),
        living_includes_low_income=bool(parameter_int("living_allowance.includes_low_income", on=on)),
        nursing_includes_grade34=bool(parameter_int("nursing_allowance.includes_grade34", on=on)),
        extreme_poverty_keeps_living=bool(parameter_int("living_allowance.extreme_poverty_keeps", on=on)),
        extreme_poverty_keeps_nursing=bool(parameter_int("nursing_allowance.extreme_poverty_keeps", on=on)),
        accident_insurance_max_age=parameter_int("accident_insurance.max_age", on=on),
    )


def standard_rows(*, until: date) -> list[rules.StandardRow]:
    """Every standard started by a day, as plain values (a small table: dozens of rows)."""
    return [rules.StandardRow(scheme=s.scheme, effective_from=s.effective_from, amount=s.amount, period=s.period,
                              grade=s.grade, area_path=s.area.path if s.area_id else None, pk=s.pk)
            for s in Standard.objects.filter(effective_from__lte=until).select_related("area")]


def benefit_facts(person: Person, *, on: date) -> rules.BenefitFacts:
    """What the rules need to know about a person on a day, read from the person file."""
    valid = person.certificates.filter(valid_certificate_on(on)).first()
    circumstances = [c for c in person.benefit_circumstances.all() if c.is_active_on(on)]
    pension = person.department_records.filter(kind="pension_insurance", started_on__lte=on)
    return rules.BenefitFacts(
        on=on, life_status=person.life_status_on(on), age=person.age_on(on),
        certificate_category=valid.category if valid else None, certificate_grade=valid.grade if valid else None,
        assistance=frozenset(spell.kind for spell in assistance_statuses_on(person, on)),
        circumstances=frozenset(c.kind for c in circumstances),
        chose_other_instead_of=frozenset(c.scheme for c in circumstances
                                         if c.kind == CircumstanceKind.CHOSE_OTHER_ALLOWANCE),
        pension_insured=pension.exclude(ended_on__lt=on).exists(),
    )


@dataclass(frozen=True)
class SchemeAnswer:
    scheme: str
    label: str
    decision: Decision
    amount: rules.Amount | None


def scheme_answers(person: Person, *, on: date) -> list[SchemeAnswer]:
    """Each scheme's decision for a person on a day, with the standard that would be paid (待遇资格说明)."""
    facts, options = benefit_facts(person, on=on), benefit_options(on=on)
    standards = standard_rows(until=on)
    return [SchemeAnswer(scheme=scheme.value, label=str(scheme.label), decision=rules.DECISIONS[scheme](facts, options),
                         amount=rules.standard_for(standards, scheme=scheme, on=on, grade=facts.certificate_grade,
                                                   area_path=person.residence_area.path))
            for scheme in Scheme]


def applications_open(*, user, on: date) -> QuerySet[Application]:
    """Open applications of persons in the user's areas, the most urgent first; `overdue` past their deadline."""
    return (Application.objects.filter(state__in=[Application.State.SUBMITTED, Application.State.REVIEWED])
            .filter(residence_in_scope(user, prefix="person__"))
            .annotate(overdue=Q(due_on__lt=on))
            .select_related("person", "submitted_by", "reviewed_by").prefetch_related("documents")
            .order_by("due_on", "pk"))


def application_get(*, user, pk) -> Application:
    """An application of a person in the user's areas; any other is 404."""
    try:
        return (Application.objects.filter(residence_in_scope(user, prefix="person__")).select_related("person")
                .get(pk=pk))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def application_document_get(*, user, pk) -> ApplicationDocument:
    try:
        return (ApplicationDocument.objects.filter(residence_in_scope(user, prefix="application__person__"))
                .select_related("application").get(pk=pk))
    except (ApplicationDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def coverage_gaps(*, user, scheme: str, on: date) -> QuerySet[Person]:
    """Persons in the user's areas whom the scheme's rule accepts but who neither receive it nor have applied
    (应保尽保: the plan's 100% coverage target)."""
    live = Entitlement.objects.filter(person=OuterRef("pk"), scheme=scheme,
                                      state__in=[Entitlement.State.ACTIVE, Entitlement.State.SUSPENDED])
    pending = Application.objects.filter(person=OuterRef("pk"), scheme=scheme,
                                         state__in=[Application.State.SUBMITTED, Application.State.REVIEWED])
    return (eligible_persons(scheme, on=on, options=benefit_options(on=on)).filter(residence_in_scope(user))
            .exclude(Exists(live)).exclude(Exists(pending)).select_related("residence_area")
            .order_by("residence_area__path", "name", "pk"))


def persons_to_review(*, on: date, area_path: str = "", schemes: list[str] | None = None) -> QuerySet:
    """Ids of persons whose live entitlements may change (set-based): active ones the rule now refuses (SQL twin)
    and every suspended one (to restart or to end; they are few). Only they need entitlement_review, which
    explains each change — so a list of 100,000 rows costs a review of the few it changed, not of everyone."""
    options = benefit_options(on=on)
    live = Entitlement.objects.filter(scheme__in=schemes or Scheme.values)
    if area_path:
        live = live.filter(person__residence_area__path__startswith=area_path)
    parts = [live.filter(state=Entitlement.State.SUSPENDED)]
    for scheme in schemes or Scheme.values:
        # One NOT EXISTS (an anti-join) per scheme, united: a NOT IN over a province's eligible persons does not
        # fit PostgreSQL's default work_mem and is rescanned per entitlement (BENCHMARKS.md).
        eligible = eligible_persons(scheme, on=on, options=options).filter(pk=OuterRef("person_id"))
        parts.append(live.filter(scheme=scheme, state=Entitlement.State.ACTIVE).exclude(Exists(eligible)))
    first, *rest = [part.order_by().values_list("person_id", flat=True) for part in parts]
    return first.union(*rest).order_by("person_id")


# --- payroll, recoveries, budget ------------------------------------------------------------------------------


def payroll_runs(*, user) -> QuerySet[PayrollRun]:
    """Runs of the areas in the user's scope, the latest month first."""
    return (PayrollRun.objects.filter(under_paths(scope_paths(user), path_field="area__path"))
            .select_related("area", "built_by", "reviewed_by", "approved_by").order_by("-month", "scheme", "pk"))


def payroll_run_get(*, user, pk) -> PayrollRun:
    try:
        return payroll_runs(user=user).get(pk=pk)
    except (PayrollRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def payroll_run_previous(run: PayrollRun) -> PayrollRun | None:
    return PayrollRun.objects.filter(scheme=run.scheme, area=run.area, month__lt=run.month).order_by("-month").first()


def payroll_run_by_area(run: PayrollRun) -> list[dict]:
    """Persons and amounts by the areas one level below the run's (one query, conditional sums)."""
    children = list(Area.objects.filter(parent=run.area).order_by("path"))
    if not children:
        return []
    paid = Q(failed=False)
    sums = {}
    for n, child in enumerate(children):
        within = paid & Q(person__residence_area__path__startswith=child.path)
        sums[f"p{n}"] = Count("person", filter=within, distinct=True)
        sums[f"a{n}"] = Coalesce(Sum("amount", filter=within), Decimal(0))
    totals = run.lines.aggregate(**sums)
    return [{"area": child, "persons": totals[f"p{n}"], "amount": totals[f"a{n}"]} for n, child in enumerate(children)]


def payroll_lines(run: PayrollRun) -> QuerySet[PayrollLine]:
    return run.lines.select_related("person__residence_area").order_by("person__residence_area__path", "person_id",
                                                                         "for_month")


def payroll_left_out(run: PayrollRun) -> QuerySet[Entitlement]:
    """Entitlements covering the run's month that it does not pay: the rules refuse them today (the review will
    stop them), or no standard applies. Listed on the run so that nobody is left out silently."""
    paid = PayrollLine.objects.filter(run=run, person=OuterRef("person_id"), for_month=run.month)
    return (Entitlement.objects.filter(payroll.covering(run.month), scheme=run.scheme,
                                       person__residence_area__path__startswith=run.area.path)
            .exclude(Exists(paid)).select_related("person__residence_area").order_by("person_id"))


def recoveries_open(*, user) -> QuerySet[Recovery]:
    return (Recovery.objects.filter(state=Recovery.State.OPEN).filter(residence_in_scope(user, prefix="person__"))
            .select_related("person__residence_area", "line__run").order_by("noted_on", "pk"))


def recovery_get(*, user, pk) -> Recovery:
    try:
        return recoveries_open(user=user).get(pk=pk)
    except (Recovery.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class BudgetRow:
    label: str
    paid: Decimal  # paid so far this year (approved runs, failed payments excluded)
    months: int  # months of the year with an approved run
    projected: Decimal  # paid so far plus the latest month's amount for each month still to come


def benefits_budget(*, user, year: int) -> dict:
    """This year's cost of the monthly schemes to date and a projection to December, by scheme and by area
    (资金预算与执行). Approved, exported and reconciled runs count; failed payments do not."""
    runs = payroll_runs(user=user).filter(month__year=year, state__in=PAYROLL_PAID_STATES)
    paid_lines = PayrollLine.objects.filter(run__in=runs, failed=False)
    by_scheme = []
    for scheme in payroll.PAYROLL_SCHEMES:
        scheme_runs = runs.filter(scheme=scheme)
        paid = paid_lines.filter(scheme=scheme).aggregate(total=Coalesce(Sum("amount"), Decimal(0)))["total"]
        latest = scheme_runs.order_by("-month").first()
        months = scheme_runs.values("month").distinct().count()
        monthly = (latest.lines.filter(failed=False, for_month=latest.month).aggregate(
            total=Coalesce(Sum("amount"), Decimal(0)))["total"] if latest else Decimal(0))
        still_to_come = 12 - latest.month.month if latest else 0
        by_scheme.append(BudgetRow(Scheme(scheme).label, paid, months, paid + monthly * still_to_come))
    areas = list(Area.objects.filter(parent__in=user.areas.all()).order_by("path"))
    by_area = []
    if areas:
        sums = {f"a{n}": Coalesce(Sum("amount", filter=Q(person__residence_area__path__startswith=area.path)),
                                  Decimal(0)) for n, area in enumerate(areas)}
        totals = paid_lines.aggregate(**sums)
        by_area = [(area, totals[f"a{n}"]) for n, area in enumerate(areas)]
    return {"by_scheme": by_scheme, "by_area": by_area,
            "paid": sum((row.paid for row in by_scheme), Decimal(0)),
            "projected": sum((row.projected for row in by_scheme), Decimal(0))}


def eligible_with_amounts(*, user, scheme: str, on: date) -> QuerySet[Person]:
    """Everyone in the user's areas the scheme's rule accepts on the day, each with the amount of the standard in
    force (享受名单及金额): the yearly premiums and the accident insurance are paid or bought from these lists."""
    standards = payroll.standards_in_order(standard_rows(until=on), scheme=scheme, on=on)
    _standard, amount = payroll.standard_cases(standards, on, person="", person_id="pk")
    return (eligible_persons(scheme, on=on, options=benefit_options(on=on)).filter(residence_in_scope(user))
            .annotate(amount=amount).select_related("residence_area").order_by("residence_area__path", "name", "pk"))
