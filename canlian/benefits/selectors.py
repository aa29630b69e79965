"""Reads of benefits: the facts the rules need about one person, the options and standards in force."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from canlian.accounts.scope import residence_in_scope
from canlian.benefits import rules
from canlian.benefits.choices import CircumstanceKind, Scheme
from canlian.benefits.eligibility import eligible_persons
from canlian.benefits.models import Application, Entitlement, Standard
from canlian.common.decision import Decision
from canlian.parameters.selectors import parameter_int
from canlian.registry.models import Person, valid_certificate_on
from canlian.registry.selectors import assistance_statuses_on


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
            .select_related("person", "submitted_by", "reviewed_by").order_by("due_on", "pk"))


def application_get(*, user, pk) -> Application:
    """An application of a person in the user's areas; any other is 404."""
    try:
        return (Application.objects.filter(residence_in_scope(user, prefix="person__")).select_related("person")
                .get(pk=pk))
    except (Application.DoesNotExist, ValueError, TypeError):
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
    options, changed = benefit_options(on=on), Q(state=Entitlement.State.SUSPENDED)
    for scheme in schemes or Scheme.values:
        eligible = eligible_persons(scheme, on=on, options=options).values("pk")
        changed |= Q(scheme=scheme, state=Entitlement.State.ACTIVE) & ~Q(person__in=eligible)
    entitlements = Entitlement.objects.filter(changed)
    if schemes:
        entitlements = entitlements.filter(scheme__in=schemes)
    if area_path:
        entitlements = entitlements.filter(person__residence_area__path__startswith=area_path)
    return entitlements.values_list("person_id", flat=True).distinct().order_by("person_id")
