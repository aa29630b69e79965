"""One rule, two executions: the SQL that selects eligible persons agrees with rules.py on random registries."""

from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from canlian.benefits import rules
from canlian.benefits.choices import CircumstanceKind, Scheme
from canlian.benefits.eligibility import eligible_persons
from canlian.benefits.models import Circumstance
from canlian.benefits.selectors import benefit_facts
from canlian.common.ids import certificate_number_for, id_number_for
from canlian.exchange.models import DepartmentRecord, ImportBatch
from canlian.registry.choices import AssistanceKind, LifeStatus
from canlian.registry.models import AssistanceStatus, Certificate, Person

DAY0 = date(2024, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: DAY0 + timedelta(days=n))
maybe_days = st.none() | days

# The card a person holds now, its status and the day that status began (None: on issue; never before it), and
# optionally an earlier card of the spec's class replaced on a regrade day by the current one (new category, grade).
card_specs = st.fixed_dictionaries({
    "category": st.integers(1, 7), "grade": st.integers(1, 4),
    "issued": st.integers(min_value=-3000, max_value=400).map(lambda n: DAY0 + timedelta(days=n)),
    "years": st.sampled_from([1, 10, 10, 10]), "status": st.sampled_from(["valid"] * 5 + ["frozen", "cancelled"]),
    "since": maybe_days,
    "regrade": st.none() | st.tuples(days, st.integers(1, 7), st.integers(1, 4)),
})
assistance_specs = st.tuples(st.sampled_from(AssistanceKind.values), days, maybe_days)
circumstance_specs = st.tuples(st.sampled_from(CircumstanceKind.values), st.sampled_from(Scheme.values), days,
                               maybe_days)
# Skewed towards people who are nearly eligible, so that each condition is what decides in many examples. A status
# other than 在册 counts only from life_status_since (None: always), which may come after the day.
person_specs = st.fixed_dictionaries({
    "birth": st.dates(min_value=date(1955, 1, 1), max_value=date(2020, 12, 31)),
    "life_status": st.sampled_from([LifeStatus.ACTIVE] * 5 + [LifeStatus.DECEASED, LifeStatus.MOVED_OUT,
                                                                LifeStatus.CANCELLED]),
    "life_status_since": maybe_days,
    "card": card_specs,
    "assistance": st.lists(assistance_specs, max_size=3),
    "circumstances": st.lists(circumstance_specs, max_size=2),
    "pension": st.none() | st.tuples(days, maybe_days),
})
options_strategy = st.builds(rules.BenefitOptions, living_includes_near_dibao=st.booleans(),
                             living_includes_low_income=st.booleans(), nursing_includes_grade34=st.booleans(),
                             extreme_poverty_keeps_living=st.booleans(), extreme_poverty_keeps_nursing=st.booleans(),
                             accident_insurance_max_age=st.integers(40, 70))


def _create(spec: dict, n: int, area, batch) -> Person:
    number = id_number_for("152501", spec["birth"], 100 + n)
    person = Person.objects.create(
        id_number=number, name=f"测试{n}", name_initials="cs", sex="M" if n % 2 else "F", birth_date=spec["birth"],
        hukou_type="urban", hukou_area=area, residence_area=area, life_status=spec["life_status"],
        life_status_since=spec.get("life_status_since"))
    card = spec["card"]
    if card:
        _cards(person, card)
    open_kinds = set()
    for kind, start, end in spec["assistance"]:
        if end is None and kind in open_kinds:
            continue  # one open spell per kind (the registry's constraint)
        open_kinds |= {kind} if end is None else set()
        AssistanceStatus.objects.create(person=person, kind=kind, started_on=start,
                                        ended_on=None if end is None else max(end, start), started_by="test")
    for kind, scheme, start, end in spec["circumstances"]:
        Circumstance.objects.create(person=person, kind=kind, started_on=start, ended_on=end,
                                    scheme=scheme if kind == CircumstanceKind.CHOSE_OTHER_ALLOWANCE else "")
    if spec["pension"]:
        start, end = spec["pension"]
        DepartmentRecord.objects.create(person=person, kind="pension_insurance", started_on=start, ended_on=end,
                                        batch=batch)
    return person


def _cards(person: Person, card: dict) -> None:
    """The person's cards as the spec says. On a regrade the first card is replaced on the regrade day by the
    current one, issued that day (as certificate_regrade does), so at most one card is valid on any day."""
    issued, category, grade = card["issued"], card["category"], card["grade"]
    if card.get("regrade"):
        regraded_on, category, grade = card["regrade"]
        regraded_on = max(regraded_on, issued + timedelta(days=1))
        Certificate.objects.create(
            number=certificate_number_for(person.id_number, card["category"], card["grade"]), person=person,
            category=card["category"], grade=card["grade"], issued_on=issued,
            valid_until=issued + timedelta(days=365 * card["years"]), status="replaced", status_since=regraded_on)
        issued = regraded_on
    Certificate.objects.create(
        number=certificate_number_for(person.id_number, category, grade), person=person, category=category,
        grade=grade, issued_on=issued, valid_until=issued + timedelta(days=365 * card["years"]),
        status=card["status"], status_since=max(card.get("since") or issued, issued))


def _status_events(persons: list[Person], on: date) -> None:
    """Statistics: how often a status recorded now only began after the day (so it must read as before)."""
    if any(p.life_status != LifeStatus.ACTIVE and p.life_status_since and p.life_status_since > on for p in persons):
        event("a person left the register only after the day")
    cards = Certificate.objects.filter(person__in=persons).exclude(status="valid")
    if any(c.status_since > on and c.issued_on <= on <= c.valid_until for c in cards):
        event("a card was valid on the day and frozen, cancelled or replaced after it")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(person_specs, min_size=1, max_size=6), on=days, options=options_strategy)
def test_sql_and_rules_agree_on_who_is_eligible_for_every_scheme(areas, officer, specs, on, options):
    with transaction.atomic():
        batch = ImportBatch.objects.create(source="pension_insurance", area=areas["city"], list_date=DAY0,
                                           file_sha256="0" * 64, created_by=officer)
        persons = [_create(spec, n, areas["beijiang"], batch) for n, spec in enumerate(specs)]
        facts = {person.pk: benefit_facts(person, on=on) for person in persons}
        _status_events(persons, on)
        for scheme in Scheme:
            by_rules = {pk for pk, f in facts.items() if rules.DECISIONS[scheme](f, options).allowed}
            by_sql = set(eligible_persons(scheme, on=on, options=options).values_list("pk", flat=True))
            assert by_sql == by_rules, (scheme, on, options)
            event(f"{scheme}: {'some' if by_rules else 'none'} eligible")
        transaction.set_rollback(True)


def test_accident_insurance_age_limit_agrees_on_the_birthday_itself(areas, officer):
    """The boundary a random registry rarely hits: the person turns max + 1 on the very day."""
    options = rules.BenefitOptions(accident_insurance_max_age=59)
    on = date(2025, 3, 15)
    batch = ImportBatch.objects.create(source="pension_insurance", area=areas["city"], list_date=DAY0,
                                       file_sha256="0" * 64, created_by=officer)
    card = {"category": 4, "grade": 2, "issued": date(2020, 1, 1), "years": 10, "status": "valid"}
    persons = [_create({"birth": birth, "life_status": "active", "card": card, "assistance": [],
                        "circumstances": [], "pension": None}, n, areas["beijiang"], batch)
               for n, birth in enumerate([date(1965, 3, 15), date(1965, 3, 16), date(1964, 2, 29)])]
    by_sql = set(eligible_persons(Scheme.ACCIDENT_INSURANCE, on=on, options=options).values_list("pk", flat=True))
    by_rules = {p.pk for p in persons
                if rules.accident_insurance_decision(benefit_facts(p, on=on), options).allowed}
    assert by_sql == by_rules == {persons[1].pk}


ON = date(2025, 6, 15)
ELIGIBLE_FOR_ALL = {"birth": date(1985, 1, 1), "life_status": "active",
                    "card": {"category": 5, "grade": 1, "issued": date(2020, 1, 1), "years": 10, "status": "valid"},
                    "assistance": [("dibao", date(2024, 1, 1), None)], "circumstances": [],
                    "pension": (date(2024, 1, 1), None)}
VARIATIONS = {
    "eligible for all": {},
    "deceased": {"life_status": "deceased"},
    "deceased on the day": {"life_status": "deceased", "life_status_since": ON},
    "deceased the day after": {"life_status": "deceased", "life_status_since": ON + timedelta(days=1)},
    "card frozen": {"card": {**ELIGIBLE_FOR_ALL["card"], "status": "frozen"}},
    "card frozen on the day": {"card": {**ELIGIBLE_FOR_ALL["card"], "status": "frozen", "since": ON}},
    "card cancelled the day after": {"card": {**ELIGIBLE_FOR_ALL["card"], "status": "cancelled",
                                              "since": ON + timedelta(days=1)}},
    "regraded to physical grade 3 on the day": {"card": {**ELIGIBLE_FOR_ALL["card"], "regrade": (ON, 4, 3)}},
    "regraded to physical grade 3 the day after": {"card": {**ELIGIBLE_FOR_ALL["card"],
                                                            "regrade": (ON + timedelta(days=1), 4, 3)}},
    "card ran out": {"card": {**ELIGIBLE_FOR_ALL["card"], "issued": date(2014, 1, 1)}},
    "card issued after the day": {"card": {**ELIGIBLE_FOR_ALL["card"], "issued": date(2025, 7, 1)}},
    "grade 3 intellectual": {"card": {**ELIGIBLE_FOR_ALL["card"], "grade": 3}},
    "grade 3 physical": {"card": {**ELIGIBLE_FOR_ALL["card"], "category": 4, "grade": 3}},
    "dibao ended on the day": {"assistance": [("dibao", date(2024, 1, 1), ON)]},
    "dibao starts after the day": {"assistance": [("dibao", date(2025, 7, 1), None)]},
    "near dibao only": {"assistance": [("near_dibao", date(2024, 1, 1), None)]},
    "low income only": {"assistance": [("low_income", date(2024, 1, 1), None)]},
    "extreme poverty only": {"assistance": [("extreme_poverty", date(2024, 1, 1), None)]},
    "dibao and extreme poverty": {"assistance": [("dibao", date(2024, 1, 1), None),
                                                 ("extreme_poverty", date(2024, 1, 1), None)]},
    "orphan support": {"circumstances": [("orphan_support", "", date(2024, 1, 1), None)]},
    "orphan support ended the day before": {"circumstances": [("orphan_support", "", date(2024, 1, 1),
                                                               date(2025, 6, 14))]},
    "work-injury nursing pay": {"circumstances": [("work_injury_nursing", "", date(2024, 1, 1), None)]},
    "chose another living allowance": {"circumstances": [("chose_other_allowance", "living_allowance",
                                                          date(2024, 1, 1), None)]},
    "chose another nursing allowance": {"circumstances": [("chose_other_allowance", "nursing_allowance",
                                                           date(2024, 1, 1), ON)]},
    "pension insurance ended": {"pension": (date(2024, 1, 1), date(2025, 6, 14))},
    "aged 70": {"birth": date(1955, 1, 1)},
}


def test_sql_and_rules_agree_when_each_condition_alone_decides(areas, officer):
    """Every condition toggled on a person otherwise eligible for everything, under the default and the widest
    options: the SQL and the rules agree scheme by scheme (what a random registry might reach only rarely)."""
    batch = ImportBatch.objects.create(source="pension_insurance", area=areas["city"], list_date=DAY0,
                                       file_sha256="0" * 64, created_by=officer)
    persons = {name: _create(ELIGIBLE_FOR_ALL | change, n, areas["beijiang"], batch)
               for n, (name, change) in enumerate(VARIATIONS.items())}
    widest = rules.BenefitOptions(living_includes_near_dibao=True, living_includes_low_income=True,
                                  extreme_poverty_keeps_living=True, extreme_poverty_keeps_nursing=True)
    for options in (rules.BenefitOptions(), widest, rules.BenefitOptions(nursing_includes_grade34=False)):
        for scheme in Scheme:
            by_sql = set(eligible_persons(scheme, on=ON, options=options).values_list("pk", flat=True))
            for name, person in persons.items():
                by_rule = rules.DECISIONS[scheme](benefit_facts(person, on=ON), options).allowed
                assert (person.pk in by_sql) == by_rule, (name, scheme, options)
    nursing = set(eligible_persons(Scheme.NURSING_ALLOWANCE, on=ON, options=rules.BenefitOptions())
                  .values_list("pk", flat=True))
    assert len({p.pk for p in persons.values()} & nursing) > 5
    # A status counts from its day: what happens the day after leaves the day as it was.
    paid = {name for name, person in persons.items() if person.pk in nursing}
    assert {"deceased the day after", "card cancelled the day after",
            "regraded to physical grade 3 the day after"} <= paid
    assert not paid & {"deceased on the day", "card frozen on the day", "regraded to physical grade 3 on the day"}
