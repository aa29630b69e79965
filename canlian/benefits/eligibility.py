"""The rules of rules.py as set-based SQL: who is eligible for a scheme on a day, for a whole registry at once.

One rule, two executions: rules.py decides one person and explains why; these querysets select everyone the
same rules would accept (for the coverage worklist and the payroll). tests/test_eligibility.py generates random
registries and checks that both give the same people.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from canlian.benefits import rules
from canlian.benefits.choices import CircumstanceKind, Scheme
from canlian.benefits.models import Circumstance
from canlian.exchange.models import DepartmentRecord
from canlian.registry.choices import AssistanceKind
from canlian.registry.models import AssistanceStatus, Certificate, Person, registered_on, valid_certificate_on
from canlian.registry.rules import add_years


def _card(on: date, condition: Q | None = None) -> Exists:
    return Exists(Certificate.objects.filter(valid_certificate_on(on), condition or Q(), person=OuterRef("pk")))


def _assistance(on: date, kinds: list[str]) -> Exists:
    # AssistanceStatus.is_active_on: started on or before the day, ended after it (the list date ends it).
    return Exists(AssistanceStatus.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), person=OuterRef("pk"),
                                                  kind__in=kinds, started_on__lte=on))


def _circumstance(on: date, kind: str, scheme: str = "") -> Exists:
    # Circumstance.is_active_on: the end date is the last day it applies.
    condition = Q(scheme=scheme) if scheme else Q()
    return Exists(Circumstance.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), condition,
                                              person=OuterRef("pk"), kind=kind, started_on__lte=on))


def _chose_other(on: date, scheme: str) -> Exists:
    return _circumstance(on, CircumstanceKind.CHOSE_OTHER_ALLOWANCE, scheme)


def eligible_persons(scheme: str, *, on: date, options: rules.BenefitOptions) -> QuerySet[Person]:
    """Every registered person the scheme's rule accepts on the day (rules.DECISIONS[scheme] as SQL)."""
    persons = Person.objects.filter(registered_on(on))
    extreme = _assistance(on, [AssistanceKind.EXTREME_POVERTY])
    if scheme == Scheme.LIVING_ALLOWANCE:
        qualifying = [AssistanceKind.DIBAO]
        qualifying += [AssistanceKind.NEAR_DIBAO] if options.living_includes_near_dibao else []
        qualifying += [AssistanceKind.LOW_INCOME] if options.living_includes_low_income else []
        qualifying += [AssistanceKind.EXTREME_POVERTY] if options.extreme_poverty_keeps_living else []
        persons = persons.filter(_card(on), _assistance(on, qualifying)).exclude(
            _circumstance(on, CircumstanceKind.ORPHAN_SUPPORT)).exclude(_chose_other(on, scheme))
        return persons if options.extreme_poverty_keeps_living else persons.exclude(extreme)
    if scheme == Scheme.NURSING_ALLOWANCE:
        grades = Q(grade__in=rules.SEVERE_GRADES)
        if options.nursing_includes_grade34:
            grades |= Q(category__in=rules.EXTENDED_NURSING_CATEGORIES)
        persons = persons.filter(_card(on, grades)).exclude(
            _circumstance(on, CircumstanceKind.WORK_INJURY_NURSING)).exclude(_chose_other(on, scheme))
        return persons if options.extreme_poverty_keeps_nursing else persons.exclude(extreme)
    if scheme == Scheme.PENSION_PREMIUM:
        insured = DepartmentRecord.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on),
                                                  person=OuterRef("pk"), kind="pension_insurance", started_on__lte=on)
        return persons.filter(_card(on, Q(grade__in=rules.SEVERE_GRADES)), Exists(insured))
    if scheme == Scheme.INSURANCE_PREMIUM:
        return persons.filter(_card(on), _assistance(on, [AssistanceKind.DIBAO, AssistanceKind.EXTREME_POVERTY]))
    if scheme == Scheme.ACCIDENT_INSURANCE:
        # Aged at most max on the day: born after the day max + 1 years before.
        return persons.filter(_card(on), birth_date__gt=add_years(on, -(options.accident_insurance_max_age + 1)))
    raise ValueError(scheme)
