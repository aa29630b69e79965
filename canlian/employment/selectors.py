"""Reads of employment, area-scoped for the requesting user: the employment rate, worklists, employers' reviews."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404

from canlian.accounts.scope import residence_in_scope, scope_paths, scoped_areas
from canlian.areas.selectors import under_paths
from canlian.common.numbers import percent
from canlian.employment.choices import WANTS_WORK, DeclarationStatus, EmploymentForm, NotWorkingReason
from canlian.employment.models import (
    Declaration,
    DeclaredEmployee,
    Employer,
    EmploymentRecord,
    EntrepreneurshipSupport,
    TrainingEnrolment,
    employment_spell_on,
)
from canlian.parameters.selectors import parameter_int
from canlian.registry.models import Household, HouseholdMember, Person, registered_on
from canlian.registry.rules import add_years

# The 14th five-year plan's period, which the "50 就业 + 50 创业" goal counts over.
PLAN_START, PLAN_END = date(2021, 1, 1), date(2025, 12, 31)


def working_age_persons(*, user, on: date, scoped: bool = True) -> QuerySet[Person]:
    """Persons on the register on a day and of working age then (16–59 by default), in the user's areas
    (`scoped=False` only where the caller already holds a person it may see)."""
    low, high = (parameter_int("person.working_age_min", on=on), parameter_int("person.working_age_max", on=on))
    persons = Person.objects.filter(registered_on(on), birth_date__lte=add_years(on, -low),
                                    birth_date__gt=add_years(on, -(high + 1)))
    return persons.filter(residence_in_scope(user)) if scoped else persons


def spell_on(on: date, **condition) -> Exists:
    """A person's employment spell covering a day, with the condition given (employed=True …)."""
    return Exists(EmploymentRecord.objects.filter(employment_spell_on(on), person=OuterRef("pk"), **condition))


@dataclass(frozen=True)
class EmploymentRate:
    on: date
    working_age: int
    employed: int

    @property
    def not_employed(self) -> int:
        return self.working_age - self.employed

    @property
    def percent(self) -> Decimal | None:
        return percent(self.employed, self.working_age)


def employment_rate(*, user, on: date) -> EmploymentRate:
    """就业率: working-age persons on the register whose record on the day says employed."""
    counts = working_age_persons(user=user, on=on).aggregate(
        working_age=Count("pk"), employed=Count("pk", filter=Q(spell_on(on, employed=True))))
    return EmploymentRate(on, counts["working_age"], counts["employed"])


def employment_by_form(*, user, on: date) -> list[tuple[str, int]]:
    """The employed on a day by form of work, in the order of the code list."""
    rows = dict(EmploymentRecord.objects.filter(
        employment_spell_on(on), employed=True, person__in=working_age_persons(user=user, on=on))
        .values("form").annotate(n=Count("pk")).values_list("form", "n"))
    return [(label, rows.get(value, 0)) for value, label in EmploymentForm.choices]


def employment_by_area(*, user, on: date) -> list[tuple[str, EmploymentRate]]:
    """The employment rate per area where the persons live (the user's areas and below)."""
    rows = (working_age_persons(user=user, on=on).values("residence_area__name", "residence_area__code")
            .annotate(working_age=Count("pk"), employed=Count("pk", filter=Q(spell_on(on, employed=True))))
            .order_by("residence_area__code"))
    return [(row["residence_area__name"], EmploymentRate(on, row["working_age"], row["employed"])) for row in rows]


def job_seekers(*, user, on: date) -> QuerySet[Person]:
    """Working-age persons not in work who want work (有就业意愿), and graduates awaiting a plan (一人一策)."""
    return (working_age_persons(user=user, on=on)
            .filter(spell_on(on, employed=False, not_working_reason__in=WANTS_WORK))
            .annotate(graduate=spell_on(on, employed=False, not_working_reason=NotWorkingReason.GRADUATE))
            .select_related("residence_area").order_by("-graduate", "residence_area__code", "name"))


def zero_employment_households(*, user, on: date) -> QuerySet:
    """零就业家庭: households with a working-age registered member who wants work and no member in work.

    The registry knows the work of its registered (disabled) members only; a household is listed when none of
    them works and at least one wants to, so the officer can check the others at the visit.
    """
    members = HouseholdMember.objects.filter(household=OuterRef("pk"), person__isnull=False)
    wanting = working_age_persons(user=user, on=on).filter(
        spell_on(on, employed=False, not_working_reason__in=WANTS_WORK), membership__household=OuterRef("pk"))
    working = Person.objects.filter(spell_on(on, employed=True), membership__household=OuterRef("pk"))
    return (Household.objects.filter(under_paths(scope_paths(user), path_field="area__path"))
            .filter(Exists(wanting), ~Exists(working), Exists(members))
            .select_related("area").order_by("area__code", "pk")
            # Members living in another area are not the user's to see (they show by count only).
            .prefetch_related(Prefetch("members", to_attr="visible_members", queryset=HouseholdMember.objects.filter(
                residence_in_scope(user, prefix="person__")).select_related("person")))
            .annotate(registered_members=Count("members", filter=Q(members__person__isnull=False))))


def employment_history(person: Person) -> QuerySet[EmploymentRecord]:
    return person.employment_records.select_related("employer", "recorded_by")


def training_of(person: Person) -> QuerySet[TrainingEnrolment]:
    return person.training_enrolments.select_related("course").order_by("-course__starts_on")


def plan_progress(*, user, since: date, until: date) -> dict:
    """The seed's "50 就业 + 50 创业" (2021–2025): persons who entered work, and who started a business, in the
    period; with training person-times and entrepreneurship subsidies for the same period."""
    # Entering work or starting a business, not changing jobs: the spell before (if any) was something else.
    before = EmploymentRecord.objects.filter(person=OuterRef("person"), started_on__lt=OuterRef("started_on"))
    started = (EmploymentRecord.objects.filter(residence_in_scope(user, prefix="person__"), employed=True,
                                               started_on__gte=since, started_on__lte=until)
               .annotate(was_employed=Subquery(before.order_by("-started_on").values("employed")[:1]),
                         was_form=Subquery(before.order_by("-started_on").values("form")[:1])))
    # The spell before, if any: a first-ever spell has none (NULL), and NOT (NULL = x) would drop it.
    founders = started.filter(form=EmploymentForm.SELF_EMPLOYED).filter(
        Q(was_form__isnull=True) | ~Q(was_form=EmploymentForm.SELF_EMPLOYED)) \
        .values("person").distinct().count()
    employed = started.exclude(form=EmploymentForm.SELF_EMPLOYED).filter(Q(was_employed__isnull=True) | Q(was_employed=False)) \
        .values("person").distinct().count()
    trained = TrainingEnrolment.objects.filter(residence_in_scope(user, prefix="person__"),
                                               course__starts_on__gte=since, course__starts_on__lte=until)
    support = EntrepreneurshipSupport.objects.filter(residence_in_scope(user, prefix="person__"),
                                                     granted_on__gte=since, granted_on__lte=until)
    return {"employed": employed, "founders": founders, "training_times": trained.count(),
            "training_completed": trained.filter(completed_on__isnull=False).count(),
            "support_count": support.count(), "support_amount": support.aggregate(s=Sum("amount"))["s"] or Decimal(0)}


# ---- Employers and the annual review -----------------------------------------------------------------------

def employers(*, user) -> QuerySet[Employer]:
    return Employer.objects.filter(area__in=scoped_areas(user)).select_related("area")


def employer_get(*, user, pk) -> Employer:
    try:
        return employers(user=user).get(pk=pk)
    except (Employer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def declarations(*, user) -> QuerySet[Declaration]:
    return Declaration.objects.filter(employer__area__in=scoped_areas(user)).select_related("employer",
                                                                                         "employer__area")


def declaration_get(*, user, pk) -> Declaration:
    try:
        return declarations(user=user).select_related("reviewed_by", "decided_by", "entered_by").get(pk=pk)
    except (Declaration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def declaration_employees(declaration: Declaration) -> QuerySet[DeclaredEmployee]:
    return declaration.employees.order_by("pk")


def employers_not_declared(*, user, year: int) -> QuerySet[Employer]:
    """Employers with no declaration for a review year (未申报)."""
    return employers(user=user).exclude(declarations__year=year).order_by("area__code", "name")


def declarations_unpaid(*, user, year: int) -> QuerySet[Declaration]:
    """Decided declarations with a levy to pay and no payment recorded (未缴款), the longest overdue first."""
    return declarations(user=user).filter(year=year, status=DeclarationStatus.DECIDED, levy__gt=0).order_by(
        "due_on", "employer__name")


def review_year_summary(*, user, year: int) -> dict:
    """Counts and sums of a review year for the employers' page."""
    of_year = declarations(user=user).filter(year=year)
    summary = of_year.aggregate(
        declared=Count("pk"), reviewed=Count("pk", filter=~Q(status=DeclarationStatus.SUBMITTED)),
        decided=Count("pk", filter=Q(status__in=[DeclarationStatus.DECIDED, DeclarationStatus.PAID])),
        paid=Count("pk", filter=Q(status=DeclarationStatus.PAID)), levy=Sum("levy"), reward=Sum("reward"),
        counted=Sum("counted"))
    summary["employers"] = employers(user=user).count()
    return summary
