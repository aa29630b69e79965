"""The facts read from the person file for the rules, and each scheme's answer with its standard."""

from datetime import date
from decimal import Decimal

import pytest

from canlian.benefits.choices import CircumstanceKind, Period, Scheme
from canlian.benefits.demo import demo_standards_load
from canlian.benefits.models import Circumstance, Standard
from canlian.benefits.selectors import benefit_facts, scheme_answers
from canlian.exchange.models import DepartmentRecord, ImportBatch
from canlian.registry.choices import AssistanceKind
from canlian.registry.models import AssistanceStatus
from canlian.registry.tests.factories import make_certificate, make_person


@pytest.fixture
def zhang(officer, areas):
    """张三丰 of 北疆社区: physical grade 2, certificate issued 2020-05-01."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1958, 3, 4))
    make_certificate(person=person, by=officer, category=4, grade=2, on=date(2020, 5, 1))
    return person


def _answers(person, on):
    return {answer.scheme: answer for answer in scheme_answers(person, on=on)}


def test_facts_come_from_the_certificate_assistance_status_and_circumstances_of_the_day(zhang, officer, areas):
    AssistanceStatus.objects.create(person=zhang, kind=AssistanceKind.DIBAO, started_on=date(2024, 1, 1),
                                    ended_on=date(2025, 6, 30), started_by="test")
    Circumstance.objects.create(person=zhang, kind=CircumstanceKind.CHOSE_OTHER_ALLOWANCE,
                                scheme=Scheme.NURSING_ALLOWANCE, started_on=date(2025, 1, 1))
    facts = benefit_facts(zhang, on=date(2025, 3, 1))
    assert (facts.certificate_category, facts.certificate_grade) == (4, 2)
    assert facts.assistance == {AssistanceKind.DIBAO}
    assert facts.chose_other_instead_of == {Scheme.NURSING_ALLOWANCE}
    assert facts.age == 66
    later = benefit_facts(zhang, on=date(2025, 7, 1))
    assert later.assistance == frozenset(), "the 低保 spell ended on 2025-06-30"
    before = benefit_facts(zhang, on=date(2020, 4, 30))
    assert before.certificate_category is None, "the certificate was issued on 2020-05-01"


def test_pension_insurance_enrolment_comes_from_the_human_resources_list(zhang, officer, areas):
    batch = ImportBatch.objects.create(source="pension_insurance", area=areas["city"], list_date=date(2024, 1, 31),
                                       file_sha256="0" * 64, created_by=officer, state=ImportBatch.State.COMMITTED)
    DepartmentRecord.objects.create(person=zhang, kind="pension_insurance", started_on=date(2024, 1, 1),
                                    ended_on=date(2025, 12, 31), batch=batch)
    assert not benefit_facts(zhang, on=date(2023, 12, 31)).pension_insured
    assert benefit_facts(zhang, on=date(2025, 12, 31)).pension_insured
    assert not benefit_facts(zhang, on=date(2026, 1, 1)).pension_insured


def test_each_scheme_is_answered_with_the_standard_in_force_on_the_day(zhang, areas):
    demo_standards_load()
    Standard.objects.create(scheme=Scheme.NURSING_ALLOWANCE, effective_from=date(2026, 1, 1), amount=Decimal("150"),
                            period=Period.MONTH, area=areas["beijiang"], source="test")
    AssistanceStatus.objects.create(person=zhang, kind=AssistanceKind.DIBAO, started_on=date(2024, 1, 1),
                                    started_by="test")
    before, after = _answers(zhang, date(2025, 12, 1)), _answers(zhang, date(2026, 12, 1))
    assert before[Scheme.LIVING_ALLOWANCE].decision.allowed
    assert str(before[Scheme.LIVING_ALLOWANCE].amount) == "110.00 元/月"
    assert before[Scheme.NURSING_ALLOWANCE].amount.value == Decimal("110.00")
    assert after[Scheme.NURSING_ALLOWANCE].amount.value == Decimal("150"), "北疆社区's own standard from 2026"
    assert after[Scheme.INSURANCE_PREMIUM].amount.value == Decimal("400.00")
    assert after[Scheme.ACCIDENT_INSURANCE].amount is None, "no accident-insurance standard in the demo"
    assert not after[Scheme.ACCIDENT_INSURANCE].decision.allowed, "68 years old"


def test_demo_standards_load_twice_changes_nothing(db):
    assert demo_standards_load() == 5
    assert demo_standards_load() == 0
    assert Standard.objects.count() == 5


def test_the_person_file_explains_each_scheme(client, officer, zhang):
    client.force_login(officer)
    html = client.get(f"/persons/{zhang.pk}/").content.decode()
    assert "补贴待遇资格" in html
    assert "重度残疾人护理补贴：<strong class=\"status status--ok\">符合条件</strong>" in html
    assert "✘ 不是低保家庭成员" in html
