"""The annual quota review (按比例就业年审) as set-based SQL: one UPDATE judges every declared employee.

rules.employee_check decides one employee; `employee_verdicts` is its SQL twin, checking the same things in the
same order (tests/test_review_rules.py proves they agree on random declarations). The levy of each declaration
is then rules.levy_calculate on the counted total.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from canlian.employment.choices import DeclarationStatus, Rejection
from canlian.employment.models import DeclaredEmployee
from canlian.employment.rules import EmployeeCheckParameters, LevyInputs, LevyParameters, LevyResult, levy_calculate
from canlian.parameters.selectors import ParameterTimeline, parameter_int, parameter_value
from canlian.registry.models import Certificate, Person, valid_certificate_on


def employee_check_parameters(year: int) -> EmployeeCheckParameters:
    """A review year's employee checks read everything on the last day of the declared (previous) year."""
    year_end = date(year - 1, 12, 31)
    return EmployeeCheckParameters(
        year_end=year_end,
        working_age_min=parameter_int("person.working_age_min", on=year_end),
        working_age_max=parameter_int("person.working_age_max", on=year_end),
        minimum_wage_monthly=parameter_value("employment.minimum_wage_monthly", on=year_end),
        severe_counts_as=parameter_value("levy.severe_counts_as", on=year_end),
    )


DECIDED = (DeclarationStatus.DECIDED, DeclarationStatus.PAID)
LEVY_KEYS = ["levy.quota_ratio_percent", "levy.wage_cap_multiple", "levy.local_average_wage", "levy.tiers_in_force",
             "levy.tier_threshold_percent", "levy.tier_upper_payable_percent", "levy.tier_lower_payable_percent",
             "levy.small_enterprise_max_staff", "levy.over_quota_reward_multiple", "employment.minimum_wage_monthly"]


def levy_parameters(on: date, timeline: ParameterTimeline | None = None) -> LevyParameters:
    """The levy's values in force on the day of filing (from `timeline` when reviewing many days at once)."""
    timeline = timeline or ParameterTimeline(LEVY_KEYS)

    def value(key: str) -> Decimal:
        return timeline.value(key, on=on)

    return LevyParameters(
        on=on,
        quota_ratio_percent=value("levy.quota_ratio_percent"),
        wage_cap_multiple=value("levy.wage_cap_multiple"),
        local_average_wage=value("levy.local_average_wage"),
        tiers_in_force=value("levy.tiers_in_force") == 1,
        tier_threshold_percent=value("levy.tier_threshold_percent"),
        tier_upper_payable_percent=value("levy.tier_upper_payable_percent"),
        tier_lower_payable_percent=value("levy.tier_lower_payable_percent"),
        small_enterprise_max_staff=value("levy.small_enterprise_max_staff"),
        over_quota_reward_multiple=value("levy.over_quota_reward_multiple"),
        minimum_wage_monthly=value("employment.minimum_wage_monthly"),
    )


def levy_estimate(*, declared_on: date, employer_kind: str, staff_count: Decimal, average_wage: Decimal,
                  severe_employees: int, other_employees: int) -> LevyResult:
    """The levy an employer can expect before declaring (the public calculator and its API): the same
    calculation as the review, with its grade 1–2 employees counted as the parameter says (2 by default)."""
    counted = severe_employees * parameter_value("levy.severe_counts_as", on=declared_on) + other_employees
    return levy_calculate(LevyInputs(employer_kind=employer_kind, staff_count=staff_count, average_wage=average_wage,
                                     disabled_counted=Decimal(counted)), levy_parameters(declared_on))


def _row_checks(params: EmployeeCheckParameters, prefix: str = "") -> Q:
    """The checks on the employer's own answers: wage, social insurance, contract."""
    return Q(**{f"{prefix}monthly_wage__gte": params.minimum_wage_monthly, f"{prefix}social_insurance": True,
                f"{prefix}contract_one_year": True})


def employee_verdicts(employees: QuerySet[DeclaredEmployee], *, year: int) -> int:
    """Judge every listed employee of one review year in one UPDATE; returns how many rows were judged.

    Of two employers declaring the same person, one whose decision already counts the person keeps them; else
    the earlier filing (then the lower id) whose own answers pass; the other is refused, naming the first.
    """
    params = employee_check_parameters(year)
    year_end = params.year_end
    data_year = year_end.year
    person = OuterRef("person_id")
    valid_card = Certificate.objects.filter(valid_certificate_on(year_end), person_id=person)
    in_age = Person.objects.filter(
        pk=person,
        birth_date__lte=date(data_year - params.working_age_min, 12, 31),
        birth_date__gt=date(data_year - params.working_age_max - 1, 1, 1),
    )
    claimed = DeclaredEmployee.objects.filter(person_id=person, year=year).exclude(declaration_id=OuterRef("declaration_id"))
    earlier = claimed.filter(
        # Counted in a decision already issued, whatever its date: a decision is not re-judged.
        Q(declaration__status__in=DECIDED, rejection="")
        | (_row_checks(params) & (Q(declared_on__lt=OuterRef("declared_on"))
                                  | Q(declared_on=OuterRef("declared_on"), declaration_id__lt=OuterRef("declaration_id")))))
    rejection = Case(
        When(person__isnull=True, then=Value(Rejection.NOT_REGISTERED)),
        When(~Exists(valid_card), then=Value(Rejection.NO_VALID_CERTIFICATE)),
        When(~Exists(in_age), then=Value(Rejection.NOT_WORKING_AGE)),
        When(monthly_wage__lt=params.minimum_wage_monthly, then=Value(Rejection.BELOW_MINIMUM_WAGE)),
        When(social_insurance=False, then=Value(Rejection.NO_SOCIAL_INSURANCE)),
        When(contract_one_year=False, then=Value(Rejection.SHORT_CONTRACT)),
        When(Exists(earlier), then=Value(Rejection.DECLARED_ELSEWHERE)),
        default=Value(""),
    )
    return employees.filter(year=year).update(rejection=rejection)


def employee_weights(employees: QuerySet[DeclaredEmployee], *, year: int) -> int:
    """Set how many persons each judged employee counts as: 0 refused, 2 for grade 1–2, else 1."""
    params = employee_check_parameters(year)
    severe_card = Certificate.objects.filter(valid_certificate_on(params.year_end), person_id=OuterRef("person_id"),
                                             grade__lte=2)
    return employees.filter(year=year).update(counted=Case(
        When(~Q(rejection=""), then=Value(Decimal(0))),
        When(Exists(severe_card), then=Value(params.severe_counts_as)),
        default=Value(Decimal(1)),
    ))
