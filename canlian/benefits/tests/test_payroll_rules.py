"""One rule, two executions, for the money: on random registries and random standards, the payroll's INSERT … SELECT
(payroll.lines_insert) writes exactly the lines rules.py would pay — who, on which entitlement, how much, by which
standard."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from canlian.benefits import payroll, rules
from canlian.benefits.models import Entitlement, PaymentAccount, PayrollRun, Standard
from canlian.benefits.selectors import benefit_facts, standard_rows
from canlian.benefits.tests.test_eligibility import (
    DAY0,
    _create,
    assistance_specs,
    card_specs,
    circumstance_specs,
    options_strategy,
)
from canlian.registry.choices import LifeStatus
from canlian.registry.models import valid_certificate_on

LIVING, NURSING = payroll.PAYROLL_SCHEMES
ALL_STANDARDS = date(2100, 1, 1)

# The payroll months: the random registry's days run from DAY0 for 400 days.
months = st.integers(min_value=0, max_value=13).map(lambda n: payroll.add_months(DAY0, n))

# An entitlement's spells for one scheme: the first start (in months from the payroll month), then for each spell
# the gap before it and the months it lasts (-1: stopped before any month was paid, so ends_on is the month before
# starts_on), the last one maybe still open. The spells never overlap, as the services keep them.
spells = st.tuples(st.sampled_from([True, True, False]), st.integers(-12, 2),
                   st.lists(st.tuples(st.integers(1, 3), st.integers(-1, 12)), min_size=1, max_size=2),
                   st.sampled_from([True, True, False])).map(lambda s: s[1:] if s[0] else None)
# Persons of the eligibility test, leaning further towards those paid, so that every condition still decides
# often: mostly on the register, often with a card valid all through the window, often in a 低保 household since
# before it. Their life status and their card's status began on a day near the month (days from the month, None:
# no date, or the card's issue), often after it: a status counts only from its day.
near_the_month = st.none() | st.integers(min_value=-60, max_value=60)
DIBAO = ("dibao", DAY0 - timedelta(days=400), None)
payroll_person_specs = st.fixed_dictionaries({
    "person": st.fixed_dictionaries({
        "birth": st.dates(min_value=date(1955, 1, 1), max_value=date(2020, 12, 31)),
        "life_status": st.sampled_from([LifeStatus.ACTIVE] * 4 + [LifeStatus.DECEASED, LifeStatus.MOVED_OUT,
                                                                    LifeStatus.CANCELLED]),
        "card": st.tuples(card_specs, st.booleans()).map(
            lambda c: {**c[0], "issued": min(c[0]["issued"], DAY0), "years": 10} if c[1] else c[0]),
        "assistance": st.tuples(st.booleans(), st.lists(assistance_specs, max_size=2)).map(
            lambda a: [DIBAO] * a[0] + a[1]),
        "circumstances": st.just([]) | st.lists(circumstance_specs, max_size=2),
        "pension": st.none(),
    }),
    "life_status_since": near_the_month,
    "card_since": near_the_month,
    "area": st.sampled_from(["beijiang", "dongcheng", "gacha", "sumu", "city"]),
    LIVING: spells,
    NURSING: spells,
    "account": st.booleans(),
})

# Standards changing through the year: general, by grade, by area (the city, a township, a community) or both, in
# cents (the SQL carries them as literals); some start after the month. Often several apply and the order decides.
standard_specs = st.lists(st.tuples(
    st.sampled_from(payroll.PAYROLL_SCHEMES),
    st.integers(min_value=-200, max_value=400).map(lambda n: DAY0 + timedelta(days=n)),
    st.integers(min_value=0, max_value=30000).map(lambda cents: Decimal(cents) / 100),
    st.sampled_from([None, None, 1, 2, 3, 4]),
    st.sampled_from([None, None, "city", "sumu", "gacha", "beijiang", "dongcheng"]),
), min_size=2, max_size=10, unique_by=lambda s: (s[0], s[1], s[3], s[4]))  # the Standard's uniqueness
# A general standard of each scheme from before the window, usually (as the seed has): without one only those an
# area or grade standard covers are paid.
BASE = date(2023, 1, 1)
base_standards = st.tuples(*[st.sampled_from([True, True, True, False])] * 2)


def _person(spec: dict, n: int, areas, month: date) -> None:
    near = {key: None if spec[key] is None else month + timedelta(days=spec[key])
            for key in ("life_status_since", "card_since")}
    person = _create({**spec["person"], "life_status_since": near["life_status_since"],
                      "card": {**spec["person"]["card"], "since": near["card_since"]}}, n, areas[spec["area"]],
                     batch=None)
    if spec["account"]:
        PaymentAccount.objects.create(person=person, bank="内蒙古农村信用社", number=f"6229{n:015d}", holder=person.name)
    for scheme in payroll.PAYROLL_SCHEMES:
        if spec[scheme] is None:
            continue
        start, spell_list, last_open = spec[scheme]
        for i, (gap, length) in enumerate(spell_list):
            is_open = last_open and i == len(spell_list) - 1
            Entitlement.objects.create(
                person=person, scheme=scheme, starts_on=payroll.add_months(month, start),
                ends_on=None if is_open else payroll.add_months(month, start + length),
                state=Entitlement.State.ACTIVE if is_open else Entitlement.State.ENDED)
            start = max(start, start + length) + gap


def _by_rules(run: PayrollRun, options: rules.BenefitOptions, standards: list[rules.StandardRow]) -> list[tuple]:
    """The month's lines as rules.py pays them, one entitlement at a time."""
    month, lines = run.month, []
    for entitlement in (Entitlement.objects.filter(scheme=run.scheme)
                        .select_related("person__residence_area", "person__payment_account")):
        person, path = entitlement.person, entitlement.person.residence_area.path
        if not (entitlement.starts_on <= month and (entitlement.ends_on is None or entitlement.ends_on >= month)):
            event("not paid: the entitlement does not cover the month")
            continue
        if not path.startswith(run.area.path):
            event("not paid: lives outside the run's area")
            continue
        facts = benefit_facts(person, on=month)
        if not rules.DECISIONS[run.scheme](facts, options).allowed:
            event("not paid: the rule refuses")
            continue
        asked = {"scheme": run.scheme, "on": month, "grade": facts.certificate_grade, "area_path": path}
        row = rules.standard_row_for(standards, **asked)
        if row is None:
            event("not paid: no standard applies")
            continue
        applicable = sum(rules.standard_row_for([s], **asked) is not None for s in standards)
        event(f"paid by {'an area' if row.area_path else 'the general'}{' grade' if row.grade else ''} standard"
              f"{', chosen among several' if applicable > 1 else ''}")
        if person.life_status != LifeStatus.ACTIVE:
            event("paid: left the register only after the month")
        if person.certificates.exclude(status="valid").filter(valid_certificate_on(month)).exists():
            event("paid: the card was frozen, cancelled or replaced only after the month")
        account = getattr(person, "payment_account", None)
        lines.append((person.pk, entitlement.pk, row.amount, row.pk, account.number if account else ""))
    return sorted(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(payroll_person_specs, min_size=2, max_size=5), standards=standard_specs, base=base_standards,
       month=months, options=options_strategy, run_area=st.sampled_from(["city", "city", "sumu", "beijiang"]))
def test_the_payroll_sql_pays_what_the_rules_pay(areas, officer, specs, standards, base, month, options, run_area):
    # The arguments themselves, for a failure's report (pytest's repr of them is cut short with the fixtures').
    note(f"month={month} run_area={run_area} {options}\nbase standards={base} standards={standards}\n"
         + "\n".join(f"person {n}: {spec}" for n, spec in enumerate(specs)))
    with transaction.atomic():
        for n, spec in enumerate(specs):
            _person(spec, n, areas, month)
        standards = standards + [(scheme, BASE, Decimal("100.00"), None, None)
                                 for scheme, wanted in zip(payroll.PAYROLL_SCHEMES, base, strict=True) if wanted]
        for scheme, effective_from, amount, grade, area in standards:
            Standard.objects.create(scheme=scheme, effective_from=effective_from, amount=amount, grade=grade,
                                    area=areas[area] if area else None, source="测试")
        if any(effective_from > month for _, effective_from, *_ in standards):
            event("a standard starts after the month")
        in_force = standard_rows(until=month)
        # The SQL is given the later standards too: standards_in_order must leave them out itself.
        everything = standard_rows(until=ALL_STANDARDS)
        for scheme in payroll.PAYROLL_SCHEMES:
            run = PayrollRun.objects.create(scheme=scheme, month=month, area=areas[run_area], built_by=officer,
                                            built_at=timezone.now())
            inserted = payroll.lines_insert(run, month=month, options=options, standards=everything)
            by_sql = sorted(run.lines.values_list("person_id", "entitlement_id", "amount", "standard_id",
                                                  "account_number"))
            by_rules = _by_rules(run, options, in_force)
            assert by_sql == by_rules, (scheme, month, options, run_area)
            assert inserted == len(by_sql)
            assert all(line.for_month == month and not line.failed for line in run.lines.all())
            event(f"{scheme}: {'some' if by_rules else 'nobody'} paid")
        transaction.set_rollback(True)
