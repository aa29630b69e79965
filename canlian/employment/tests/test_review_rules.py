"""One rule, two executions, for the annual quota review (按比例就业年审): on random registries and random
declarations from several employers, the review's UPDATE (review.employee_verdicts, then review.employee_weights)
refuses and counts each declared employee exactly as rules.employee_check does on the facts the registry holds."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from canlian.common.ids import certificate_number_for, id_number_for
from canlian.employment import review, rules, services
from canlian.employment.choices import EmployerKind
from canlian.employment.models import Declaration, DeclaredEmployee, Employer
from canlian.employment.rules import number
from canlian.registry.models import Certificate, Person
from canlian.registry.rules import add_years
from canlian.registry.tests.factories import make_certificate, make_person, make_user

YEAR = 2025  # the review year; it judges 2024, on its last day
YEAR_END = date(2024, 12, 31)
MINIMUM_WAGE = Decimal(1980)  # employment.minimum_wage_monthly on 2024-12-31


def employer_code(n: int) -> str:
    """A valid unified social credit code (GB 32100-2015) for the n-th test employer."""
    body = f"91152501MA0XK{n:04d}"
    return body + uscc.calc_check_digit(body)


def make_employer(n: int, area, kind: str = EmployerKind.ENTERPRISE) -> Employer:
    return Employer.objects.create(uscc=employer_code(n), name=f"测试单位{n}有限公司", kind=kind, area=area)


# --- the random registry ---------------------------------------------------------------------------------

def _near(day: date, spread: int):
    return st.integers(min_value=-spread, max_value=spread).map(lambda n: day + timedelta(days=n))


# Birth dates at the working-age edges of 2024 (16 on 31 Dec; 60 on 1 Jan; 60 in June; a 29 February), on the
# day or a day or two off it, or anywhere of working age or near it.
AGE_EDGES = [date(2008, 12, 31), date(2009, 1, 1), date(1964, 1, 1), date(1964, 1, 2), date(1964, 6, 15),
             date(2008, 2, 29)]
births = st.one_of(
    st.sampled_from(AGE_EDGES),
    st.sampled_from(AGE_EDGES).flatmap(lambda day: _near(day, 2)),
    st.dates(min_value=date(1962, 1, 1), max_value=date(2010, 12, 31)),
    st.dates(min_value=date(1962, 1, 1), max_value=date(2010, 12, 31)),
)
# A card: issued years ago or near the year end; expiring after ten years, or near the year end (mid-year too);
# valid, or frozen or cancelled on a day near the year end (a status from after the year end leaves the card
# valid on it); maybe regraded near the year end, the old card replaced by the new one that day.
cards = st.fixed_dictionaries({
    "category": st.integers(1, 7), "grade": st.integers(1, 4),
    "issued": st.one_of(_near(date(2016, 1, 1), 400), _near(date(2016, 1, 1), 400), _near(YEAR_END, 60)),
    "expires": st.one_of(st.none(), st.none(), _near(YEAR_END, 200)),
    "status": st.sampled_from(["valid"] * 6 + ["frozen", "cancelled"]),
    "since": _near(YEAR_END, 60),
    "regrade": st.one_of(st.none(), st.none(), st.tuples(_near(YEAR_END, 200), st.integers(1, 7), st.integers(1, 4))),
})
# Most have a card (None: never had one), often a plain one valid all through the year.
plain_cards = st.fixed_dictionaries({"category": st.integers(1, 7), "grade": st.integers(1, 4),
                                     "issued": _near(date(2020, 5, 1), 300), "expires": st.none(),
                                     "status": st.just("valid"), "since": st.just(YEAR_END), "regrade": st.none()})
maybe_cards = st.one_of(plain_cards, cards, plain_cards, cards, plain_cards, st.none())
# The employer's own answers, leaning towards those that pass so that the later checks still decide often.
wages = st.sampled_from([Decimal("3500.00")] * 4 + [Decimal("1980.00")] * 2 + [Decimal("1979.99"), Decimal("800.00")])
answers = st.sampled_from([True] * 5 + [False])
filing_days = st.sampled_from([date(2025, 3, 3), date(2025, 3, 3), date(2025, 3, 4), date(2025, 5, 20)])


@st.composite
def review_cases(draw):
    persons = draw(st.lists(st.tuples(births, maybe_cards), min_size=1, max_size=3))
    pool = len(persons) + 1  # the last one is an ID number nobody registered

    def listed() -> list[tuple]:
        """Some of the pool, each with the employer's answers: (pool index, wage, insured, contract ≥ 1 year)."""
        chosen = draw(st.sets(st.integers(0, pool - 1), min_size=1))
        return [(index, draw(wages), draw(answers), draw(answers)) for index in sorted(chosen)]

    # Declarations of 2–3 employers filed within a few days (often the same day: the lower id goes first), each
    # listing some of the persons; under review now or not (at least one is).
    declarations = [(draw(filing_days), listed(), draw(st.booleans()))
                    for _ in range(draw(st.integers(2, 3)))]
    if not any(reviewed for *_, reviewed in declarations):
        declarations[0] = (*declarations[0][:2], True)
    # Last year's declaration by one of them, filed a year earlier: it must not take anyone from this year.
    last_year = (draw(st.integers(0, len(declarations) - 1)), listed()) if draw(st.booleans()) else None
    return persons, declarations, last_year


def _person(n: int, birth: date, card: dict | None, area) -> Person:
    person = Person.objects.create(
        id_number=id_number_for("152501", birth, 100 + n), name=f"职工{n}", name_initials="zg",
        sex="M" if n % 2 else "F", birth_date=birth, hukou_type="urban", hukou_area=area, residence_area=area)
    if card is None:
        return person
    issued, category, grade = card["issued"], card["category"], card["grade"]
    if card["regrade"]:
        regraded_on, category, grade = card["regrade"]
        regraded_on = max(regraded_on, issued + timedelta(days=1))
        Certificate.objects.create(
            number=certificate_number_for(person.id_number, card["category"], card["grade"]), person=person,
            category=card["category"], grade=card["grade"], issued_on=issued,
            valid_until=add_years(issued, 10), status="replaced", status_since=regraded_on)
        issued = regraded_on
    expires = card["expires"] or add_years(issued, 10)
    Certificate.objects.create(
        number=certificate_number_for(person.id_number, category, grade), person=person, category=category,
        grade=grade, issued_on=issued, valid_until=max(expires, issued), status=card["status"],
        status_since=max(card["since"], issued))
    return person


def _declare(employer: Employer, year: int, declared_on: date, rows, pool: list[tuple[str, Person | None]]):
    declaration = Declaration.objects.create(employer=employer, year=year, declared_on=declared_on,
                                             staff_count=Decimal(100), average_wage=Decimal(80000))
    for index, wage, insured, contract in rows:
        id_number, person = pool[index]
        DeclaredEmployee.objects.create(
            declaration=declaration, year=year, declared_on=declared_on,
            certificate_number=certificate_number_for(id_number, 4, 2), id_number=id_number,
            name=person.name if person else "未登记", person=person, monthly_wage=wage, social_insurance=insured,
            contract_one_year=contract)
    return declaration


# --- the rule's facts, read from the registry one employee at a time ---------------------------------------

def _own_answers_pass(row: DeclaredEmployee) -> bool:
    return row.monthly_wage >= MINIMUM_WAGE and row.social_insurance and row.contract_one_year


def employee_facts(row: DeclaredEmployee) -> rules.EmployeeFacts:
    """What rules.employee_check is told about one declared employee, from the rows as they stand."""
    person = row.person
    grade = None
    if person is not None:
        valid = [card.grade for card in person.certificates.all() if card.is_valid_on(YEAR_END)]
        assert len(valid) <= 1, "the registry never has two cards valid on one day"
        grade = valid[0] if valid else None
        if grade is None and person.certificates.exists():
            event("a card, but none valid on the year's last day")
    earlier_by = ""
    if person is not None:
        # The earliest filing (then the lower declaration id) of another row for the person and year whose own
        # answers pass — if it came before this one.
        others = sorted((other for other in DeclaredEmployee.objects.filter(person=person, year=row.year)
                         .exclude(pk=row.pk).select_related("declaration__employer") if _own_answers_pass(other)),
                        key=lambda other: (other.declared_on, other.declaration_id))
        if others and (others[0].declared_on, others[0].declaration_id) < (row.declared_on, row.declaration_id):
            earlier_by = others[0].declaration.employer.name
            if others[0].declared_on == row.declared_on:
                event("declared elsewhere the same day, by a lower declaration id")
    return rules.EmployeeFacts(
        registered=person is not None, certificate_grade=grade, birth_date=person.birth_date if person else None,
        monthly_wage=row.monthly_wage, social_insurance=row.social_insurance, contract_one_year=row.contract_one_year,
        declared_earlier_by=earlier_by)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=review_cases())
def test_the_review_sql_refuses_and_counts_what_the_rules_do(areas, case):
    persons, declarations, last_year = case
    note(f"persons={persons}\ndeclarations={declarations}\nlast year={last_year}")
    params = review.employee_check_parameters(YEAR)
    assert params.minimum_wage_monthly == MINIMUM_WAGE
    with transaction.atomic():
        pool = [(person.id_number, person) for person in
                (_person(n, birth, card, areas["beijiang"]) for n, (birth, card) in enumerate(persons))]
        pool.append((id_number_for("152501", date(1990, 5, 5), 999), None))
        employers = [make_employer(n, areas["city"]) for n in range(len(declarations))]
        made = [_declare(employer, YEAR, declared_on, rows, pool)
                for employer, (declared_on, rows, _) in zip(employers, declarations, strict=True)]
        reviewed = [d for d, (*_, chosen) in zip(made, declarations, strict=True) if chosen]
        # Last year's declaration is handed to the review too: the review year must leave it alone.
        older = [_declare(employers[last_year[0]], YEAR - 1, date(2024, 3, 1), last_year[1], pool)] if last_year else []

        employees = DeclaredEmployee.objects.filter(declaration__in=reviewed + older)
        judged = review.employee_verdicts(employees, year=YEAR)
        review.employee_weights(employees, year=YEAR)

        assert judged == DeclaredEmployee.objects.filter(declaration__in=reviewed).count()
        for row in DeclaredEmployee.objects.select_related("person", "declaration").order_by("pk"):
            if row.declaration not in reviewed:
                # Not under review (or of last year): left as filed, though it may still have taken the person.
                assert (row.rejection, row.counted) == (None, None)
                continue
            expected = rules.employee_check(employee_facts(row), params)
            assert (row.rejection, row.counted) == (expected.rejection, expected.counted), row.pk
            event(f"rejection: {expected.rejection or 'none, counted as ' + number(expected.counted)}")
        transaction.set_rollback(True)


# --- examples -----------------------------------------------------------------------------------------------

def _row(person: Person, wage: str = "2500", insured: str = "是", contract: str = "是") -> services.EmployeeRow:
    card = person.certificates.get()
    return services.employee_row_clean(certificate_number=card.number, name=person.name, monthly_wage=wage,
                                       social_insurance=insured, contract_one_year=contract)


def _submit(employer: Employer, by, declared_on: date, rows) -> Declaration:
    return services.declaration_submit(employer=employer, by=by, year=YEAR, declared_on=declared_on,
                                       staff_count=Decimal(100), average_wage=Decimal(80000), employees=rows)


def test_two_employers_declaring_one_person_the_earlier_filing_keeps_the_person(areas, officer):
    person = make_person(by=officer, area=areas["beijiang"], name="王小明", birth=date(1988, 8, 8))
    make_certificate(person=person, by=officer, grade=2, on=date(2020, 5, 1))
    # The employer registered first files later: the filing date decides, not the order of the rows.
    late = _submit(make_employer(1, areas["city"]), officer, date(2025, 3, 10), [_row(person)])
    early = _submit(make_employer(2, areas["city"]), officer, date(2025, 3, 5), [_row(person)])

    services.declarations_review(year=YEAR, by=officer)

    kept, refused = early.employees.get(), late.employees.get()
    assert (kept.rejection, kept.counted) == ("", Decimal(2))  # grade 2 counts as 2
    assert (refused.rejection, refused.counted) == ("declared_elsewhere", Decimal(0))
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.counted, late.counted) == (Decimal(2), Decimal(0))


def test_on_the_same_filing_day_the_lower_declaration_keeps_the_person(areas, officer):
    person = make_person(by=officer, area=areas["beijiang"], name="王小明", birth=date(1988, 8, 8))
    make_certificate(person=person, by=officer, grade=3, on=date(2020, 5, 1))
    first = _submit(make_employer(1, areas["city"]), officer, date(2025, 3, 5), [_row(person)])
    second = _submit(make_employer(2, areas["city"]), officer, date(2025, 3, 5), [_row(person)])

    services.declarations_review(year=YEAR, by=officer)

    assert first.employees.get().rejection == ""
    assert second.employees.get().rejection == "declared_elsewhere"


def test_an_earlier_claim_that_fails_its_own_checks_does_not_take_the_person(areas, officer):
    person = make_person(by=officer, area=areas["beijiang"], name="王小明", birth=date(1988, 8, 8))
    make_certificate(person=person, by=officer, grade=3, on=date(2020, 5, 1))
    # The first employer pays less than the minimum wage (1,980): its claim is refused and takes nobody.
    early = _submit(make_employer(1, areas["city"]), officer, date(2025, 3, 5), [_row(person, wage="1500")])
    late = _submit(make_employer(2, areas["city"]), officer, date(2025, 3, 10), [_row(person)])

    services.declarations_review(year=YEAR, by=officer)

    assert early.employees.get().rejection == "below_minimum_wage"
    assert (late.employees.get().rejection, late.employees.get().counted) == ("", Decimal(1))


def test_a_certificate_that_expired_mid_year_is_refused_by_the_review(areas, officer):
    from canlian.registry import services as registry_services

    person = make_person(by=officer, area=areas["beijiang"], name="王小明", birth=date(1988, 8, 8))
    registry_services.certificate_register(
        person=person, by=officer, number=certificate_number_for(person.id_number, 4, 1), category=4, grade=1,
        issued_on=date(2014, 6, 30), valid_until=date(2024, 6, 30))
    declaration = _submit(make_employer(1, areas["city"]), officer, date(2025, 3, 5), [_row(person)])

    services.declarations_review(year=YEAR, by=officer)

    assert (declaration.employees.get().rejection, declaration.employees.get().counted) == (
        "no_valid_certificate", Decimal(0))


def test_a_person_counted_in_a_decided_declaration_is_not_counted_again_by_an_earlier_filing(areas, officer):
    checker = make_user("checker", "federation_officer", [areas["city"]])
    person = make_person(by=officer, area=areas["beijiang"], name="王小明", birth=date(1988, 8, 8))
    make_certificate(person=person, by=officer, grade=2, on=date(2020, 5, 1))
    other = make_person(by=officer, area=areas["beijiang"], name="李四", birth=date(1985, 8, 8), sequence=13)
    make_certificate(person=other, by=officer, grade=3, on=date(2020, 5, 1))
    early = _submit(make_employer(1, areas["city"]), officer, date(2025, 3, 1), [_row(other)])
    late = _submit(make_employer(2, areas["city"]), officer, date(2025, 3, 10), [_row(person)])
    services.declaration_review(declaration=late, by=officer)
    services.declaration_decide(declaration=late, by=checker, on=date(2025, 4, 1))  # counts the person as 2
    # The earlier filing, still open, then lists the same person and is reviewed.
    services.declaration_employees_add(declaration=early, by=officer, employees=[_row(person)])
    services.declaration_review(declaration=early, by=officer)

    counted = DeclaredEmployee.objects.filter(person=person, year=YEAR).values_list("counted", flat=True)
    assert sum(counted) == Decimal(2)  # one employer's quota, not both
