"""The two subsidies and the other benefits, decided for one person on one day (国发〔2015〕52号, domain.md §2)."""

from datetime import date
from decimal import Decimal

import pytest

from canlian.benefits import rules
from canlian.benefits.choices import Period, Scheme
from canlian.registry.choices import AssistanceKind, Category, LifeStatus

DAY = date(2026, 12, 1)
OPTIONS = rules.BenefitOptions()


def facts(**changes) -> rules.BenefitFacts:
    values = {"on": DAY, "life_status": LifeStatus.ACTIVE, "age": 40, "certificate_category": Category.PHYSICAL,
              "certificate_grade": 2, "assistance": frozenset({AssistanceKind.DIBAO})}
    return rules.BenefitFacts(**(values | changes))


def failures(decision) -> str:
    return " / ".join(decision.failures)


# --- living allowance (困难残疾人生活补贴) ---------------------------------------------------------

def test_certified_person_in_a_dibao_household_receives_the_living_allowance():
    decision = rules.living_allowance_decision(facts(), OPTIONS)
    assert decision.allowed
    assert [str(r) for r in decision.reasons] == [
        "✔ 人员状态为在册", "✔ 持有效残疾人证（肢体残疾二级）", "✔ 家庭纳入最低生活保障（低保）"]


def test_living_allowance_needs_a_dibao_household():
    decision = rules.living_allowance_decision(facts(assistance=frozenset()), OPTIONS)
    assert not decision.allowed
    assert failures(decision) == "不是低保家庭成员"


@pytest.mark.parametrize(("kind", "option"), [(AssistanceKind.NEAR_DIBAO, "living_includes_near_dibao"),
                                              (AssistanceKind.LOW_INCOME, "living_includes_low_income")])
def test_living_allowance_reaches_near_dibao_and_low_income_households_only_where_extended(kind, option):
    person = facts(assistance=frozenset({kind}))
    assert not rules.living_allowance_decision(person, OPTIONS).allowed
    assert rules.living_allowance_decision(person, rules.BenefitOptions(**{option: True})).allowed


def test_no_living_allowance_without_a_valid_certificate():
    decision = rules.living_allowance_decision(facts(certificate_category=None, certificate_grade=None), OPTIONS)
    assert failures(decision) == "没有当日有效的残疾人证（未持证、已过期、冻结或注销）"


def test_extreme_poverty_support_excludes_the_living_allowance_unless_kept_locally():
    person = facts(assistance=frozenset({AssistanceKind.EXTREME_POVERTY}))
    assert "已纳入特困人员救助供养，不享受生活补贴" in rules.living_allowance_decision(person, OPTIONS).failures
    assert rules.living_allowance_decision(person, rules.BenefitOptions(extreme_poverty_keeps_living=True)).allowed


def test_orphan_support_excludes_the_living_allowance_but_not_the_nursing_allowance():
    orphan = facts(age=12, circumstances=frozenset({"orphan_support"}))
    assert failures(rules.living_allowance_decision(orphan, OPTIONS)) == "领取孤儿基本生活费，不享受生活补贴"
    assert rules.nursing_allowance_decision(orphan, OPTIONS).allowed


@pytest.mark.parametrize("status", [LifeStatus.DECEASED, LifeStatus.MOVED_OUT, LifeStatus.CANCELLED])
def test_no_benefit_for_a_person_no_longer_registered(status):
    for decide in rules.DECISIONS.values():
        decision = decide(facts(life_status=status), OPTIONS)
        assert not decision.allowed
        assert decision.failures[0].startswith("人员状态为“")


def test_every_reason_is_given_not_only_the_first_failure():
    decision = rules.living_allowance_decision(
        facts(life_status=LifeStatus.DECEASED, certificate_category=None, certificate_grade=None,
              assistance=frozenset()), OPTIONS)
    assert len(decision.failures) == 3


# --- nursing allowance (重度残疾人护理补贴) --------------------------------------------------------

def test_grade_one_or_two_receives_the_nursing_allowance_whatever_the_household_income():
    decision = rules.nursing_allowance_decision(facts(certificate_grade=1, assistance=frozenset()), OPTIONS)
    assert decision.allowed


@pytest.mark.parametrize("category", [Category.INTELLECTUAL, Category.MENTAL, Category.MULTIPLE])
def test_nursing_allowance_extended_to_grade_three_and_four_intellectual_mental_and_multiple(category):
    person = facts(certificate_category=category, certificate_grade=4)
    assert rules.nursing_allowance_decision(person, OPTIONS).allowed
    assert not rules.nursing_allowance_decision(person, rules.BenefitOptions(nursing_includes_grade34=False)).allowed


def test_grade_three_physical_disability_gets_no_nursing_allowance():
    decision = rules.nursing_allowance_decision(facts(certificate_grade=3), OPTIONS)
    assert failures(decision) == "残疾等级为三级或四级，不属于重度残疾（本地扩大范围只含智力、精神、多重残疾）"


def test_work_injury_nursing_pay_excludes_the_nursing_allowance():
    decision = rules.nursing_allowance_decision(facts(circumstances=frozenset({"work_injury_nursing"})), OPTIONS)
    assert failures(decision) == "领取工伤保险生活护理费，不享受护理补贴"


def test_extreme_poverty_support_excludes_the_nursing_allowance_unless_kept_locally():
    person = facts(assistance=frozenset({AssistanceKind.EXTREME_POVERTY}))
    assert not rules.nursing_allowance_decision(person, OPTIONS).allowed
    assert rules.nursing_allowance_decision(person, rules.BenefitOptions(extreme_poverty_keeps_nursing=True)).allowed


def test_a_person_who_chose_a_higher_allowance_elsewhere_does_not_receive_this_one():
    person = facts(chose_other_instead_of=frozenset({Scheme.NURSING_ALLOWANCE}))
    assert failures(rules.nursing_allowance_decision(person, OPTIONS)) == "本人已择高领取其他同类津贴，不再领取本项补贴"
    assert rules.living_allowance_decision(person, OPTIONS).allowed, "the choice concerns only the scheme given up"


def test_one_person_may_receive_both_subsidies_at_once():
    person = facts(certificate_grade=1)
    assert rules.living_allowance_decision(person, OPTIONS).allowed
    assert rules.nursing_allowance_decision(person, OPTIONS).allowed


# --- the other benefits --------------------------------------------------------------------------

def test_pension_premium_subsidy_for_severe_persons_enrolled_in_resident_pension_insurance():
    assert rules.pension_premium_decision(facts(certificate_grade=2, pension_insured=True), OPTIONS).allowed
    assert not rules.pension_premium_decision(facts(certificate_grade=2, pension_insured=False), OPTIONS).allowed
    assert not rules.pension_premium_decision(facts(certificate_grade=3, pension_insured=True), OPTIONS).allowed


def test_government_pays_the_medical_insurance_premium_of_dibao_and_extreme_poverty_persons():
    for kind in (AssistanceKind.DIBAO, AssistanceKind.EXTREME_POVERTY):
        assert rules.insurance_premium_decision(facts(assistance=frozenset({kind})), OPTIONS).allowed
    assert not rules.insurance_premium_decision(facts(assistance=frozenset({AssistanceKind.NEAR_DIBAO})),
                                                OPTIONS).allowed


def test_accident_insurance_covers_every_certified_person_up_to_the_age_limit():
    assert rules.accident_insurance_decision(facts(age=59, assistance=frozenset()), OPTIONS).allowed
    decision = rules.accident_insurance_decision(facts(age=60), OPTIONS)
    assert failures(decision) == "年龄 60 岁，超过 59 岁的投保年龄"


# --- standards (补贴标准) --------------------------------------------------------------------------

def row(amount, day, *, grade=None, area_path=None, scheme=Scheme.LIVING_ALLOWANCE):
    return rules.StandardRow(scheme=scheme, effective_from=day, amount=Decimal(amount), period=Period.MONTH,
                             grade=grade, area_path=area_path)


STANDARDS = [row("110", date(2020, 1, 1)), row("130", date(2025, 1, 1)), row("150", date(2025, 1, 1), grade=1),
             row("140", date(2025, 7, 1), area_path="0001.0002.")]


@pytest.mark.parametrize(("on", "grade", "area_path", "expected"), [
    (date(2019, 12, 31), 2, "0001.0003.", None),  # before any standard
    (date(2024, 12, 31), 2, "0001.0003.", "110"),  # old months keep the old amount
    (date(2025, 1, 1), 2, "0001.0003.", "130"),
    (date(2025, 1, 1), 1, "0001.0003.", "150"),  # a grade's own standard first
    (date(2025, 7, 1), 1, "0001.0002.0005.", "140"),  # an area's own standard before everyone's
    (date(2025, 6, 30), 2, "0001.0002.0005.", "130"),
])
def test_the_most_specific_standard_in_force_on_the_day_applies(on, grade, area_path, expected):
    amount = rules.standard_for(STANDARDS, scheme=Scheme.LIVING_ALLOWANCE, on=on, grade=grade, area_path=area_path)
    assert (amount.value if amount else None) == (Decimal(expected) if expected else None)


def test_a_standard_of_another_scheme_never_applies():
    assert rules.standard_for(STANDARDS, scheme=Scheme.NURSING_ALLOWANCE, on=DAY, grade=1, area_path="0001.") is None
