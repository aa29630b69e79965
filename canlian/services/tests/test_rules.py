"""Needs from the annual survey (动态1表) and eligibility for services, as pure rules with their reasons."""

from decimal import Decimal

import pytest

from canlian.registry.choices import Category
from canlian.services.choices import NeedKind
from canlian.services.rules import (
    CareOptions,
    ChildRehabilitationOptions,
    PersonFacts,
    care_decision,
    child_rehabilitation_decision,
    coordinator_load,
    needs_from_answers,
    subsidy_within_cap,
)

ADULT, CHILD_MAX = 40, 14


def _kinds(answers: dict, *, age: int = ADULT) -> list[str]:
    return [need.kind for need in needs_from_answers(answers, age=age, child_max_age=CHILD_MAX)]


# ---- Needs from the survey's answers: "needs X, not receiving X" --------------------------------------------

# Each domain whose answer is a pair "需要 / 已获得".
PAIRED = [("rehabilitation", NeedKind.REHABILITATION), ("devices", NeedKind.ASSISTIVE_DEVICE),
          ("care", NeedKind.CARE), ("accessibility", NeedKind.HOME_MODIFICATION)]


@pytest.mark.parametrize(("section", "kind"), PAIRED)
def test_needing_and_not_receiving_opens_the_need(section, kind):
    assert _kinds({section: {"need": "yes", "receives": "no"}}) == [kind]


@pytest.mark.parametrize(("section", "kind"), PAIRED)
def test_needing_and_already_receiving_opens_nothing(section, kind):
    assert _kinds({section: {"need": "yes", "receives": "yes"}}) == []


@pytest.mark.parametrize(("section", "kind"), PAIRED)
def test_not_needing_opens_nothing(section, kind):
    assert _kinds({section: {"need": "no", "receives": "no"}}) == []


def test_wishing_to_join_culture_and_sports_without_taking_part_opens_the_need():
    assert _kinds({"culture": {"need": "yes", "participates": "no"}}) == [NeedKind.CULTURE_SPORTS]


@pytest.mark.parametrize(("need", "participates"), [("yes", "yes"), ("no", "no")])
def test_culture_already_taking_part_or_not_wishing_opens_nothing(need, participates):
    assert _kinds({"culture": {"need": need, "participates": participates}}) == []


def test_each_need_carries_the_answer_that_shows_it():
    [found] = needs_from_answers({"devices": {"need": "yes", "receives": "no"}}, age=ADULT, child_max_age=CHILD_MAX)
    assert found.detail == "调查：需要辅助器具，尚未配备"


def test_an_empty_survey_opens_nothing():
    assert _kinds({}) == []


def test_a_survey_with_every_unmet_need_opens_one_need_per_domain():
    answers = {
        "rehabilitation": {"need": "yes", "receives": "no"}, "devices": {"need": "yes", "receives": "no"},
        "education": {"placement": "none", "need": "yes"}, "employment": {"employed": "no", "reason": "seeking"},
        "care": {"need": "yes", "receives": "no"}, "accessibility": {"need": "yes", "receives": "no"},
        "culture": {"participates": "no", "need": "yes"},
    }
    assert sorted(_kinds(answers)) == sorted([
        NeedKind.REHABILITATION, NeedKind.ASSISTIVE_DEVICE, NeedKind.EDUCATION, NeedKind.EMPLOYMENT, NeedKind.CARE,
        NeedKind.HOME_MODIFICATION, NeedKind.CULTURE_SPORTS])


# Rehabilitation of a child is children's rehabilitation assistance (残疾儿童康复救助).

@pytest.mark.parametrize("age", [0, 6, 14])
def test_rehabilitation_need_of_a_child_up_to_the_assistance_age_is_child_rehabilitation(age):
    assert _kinds({"rehabilitation": {"need": "yes", "receives": "no"}}, age=age) == [NeedKind.CHILD_REHABILITATION]


def test_rehabilitation_need_at_fifteen_is_ordinary_rehabilitation():
    assert _kinds({"rehabilitation": {"need": "yes", "receives": "no"}}, age=15) == [NeedKind.REHABILITATION]


def test_the_child_age_follows_the_areas_parameter():
    found = needs_from_answers({"rehabilitation": {"need": "yes", "receives": "no"}}, age=7, child_max_age=6)
    assert [need.kind for need in found] == [NeedKind.REHABILITATION]


# Employment: only those who want work (有就业意愿、高校毕业未就业) become an employment need.

@pytest.mark.parametrize("reason", ["seeking", "graduate"])
def test_not_working_and_wanting_work_opens_an_employment_need(reason):
    assert _kinds({"employment": {"employed": "no", "form": "", "reason": reason}}) == [NeedKind.EMPLOYMENT]


@pytest.mark.parametrize("reason", ["unable", "studying", "housework", "unwilling", "other", ""])
def test_not_working_for_another_reason_opens_nothing(reason):
    assert _kinds({"employment": {"employed": "no", "form": "", "reason": reason}}) == []


def test_working_opens_no_employment_need():
    assert _kinds({"employment": {"employed": "yes", "form": "flexible", "reason": ""}}) == []


# Education: a need for placement or aid; the detail says 未入学 when the child has no placement.

def test_education_need_of_a_child_without_placement_says_not_enrolled():
    [found] = needs_from_answers({"education": {"placement": "none", "need": "yes"}}, age=9, child_max_age=CHILD_MAX)
    assert found.kind == NeedKind.EDUCATION
    assert "未入学" in found.detail


def test_education_need_of_a_child_at_school_is_for_aid_or_support():
    [found] = needs_from_answers({"education": {"placement": "mainstream", "need": "yes"}}, age=9,
                                 child_max_age=CHILD_MAX)
    assert found.kind == NeedKind.EDUCATION
    assert "未入学" not in found.detail


def test_no_education_need_opens_nothing_even_without_placement():
    assert _kinds({"education": {"placement": "none", "need": "no"}}, age=9) == []


# ---- Children's rehabilitation assistance (国发〔2018〕20号, widened locally to 0–14) ------------------------

OPTIONS = ChildRehabilitationOptions(max_age=14)


def _child(age: int = 5, *, category: int | None = Category.HEARING, grade: int | None = 2, screened: bool = False,
           registered: bool = True) -> PersonFacts:
    return PersonFacts(age=age, registered=registered, certificate_category=category, certificate_grade=grade,
                       screened=screened)


def test_child_of_fourteen_is_within_the_assistance_age():
    assert child_rehabilitation_decision(_child(14), OPTIONS).allowed


def test_child_of_fifteen_is_past_the_assistance_age():
    decision = child_rehabilitation_decision(_child(15), OPTIONS)
    assert not decision.allowed
    assert decision.failures == ["15 岁，救助年龄为 0—14 岁"]


def test_the_national_baseline_of_six_refuses_a_seven_year_old():
    assert not child_rehabilitation_decision(_child(7), ChildRehabilitationOptions(max_age=6)).allowed


@pytest.mark.parametrize("category", [Category.VISION, Category.HEARING, Category.SPEECH, Category.PHYSICAL,
                                      Category.INTELLECTUAL, Category.MENTAL, Category.MULTIPLE])
def test_every_certified_category_of_the_policy_is_covered(category):
    assert child_rehabilitation_decision(_child(category=category), OPTIONS).allowed


def test_autism_certified_as_mental_disability_is_covered():
    decision = child_rehabilitation_decision(_child(4, category=Category.MENTAL, grade=3), OPTIONS)
    assert decision.allowed
    assert "持精神残疾证" in [reason.text for reason in decision.reasons]


def test_a_screened_child_without_a_certificate_is_covered_before_certification():
    decision = child_rehabilitation_decision(_child(3, category=None, grade=None, screened=True), OPTIONS)
    assert decision.allowed
    assert "未持证，经卫健部门筛查发现残疾，可先行救助" in [reason.text for reason in decision.reasons]


def test_a_child_neither_certified_nor_screened_is_not_covered():
    decision = child_rehabilitation_decision(_child(3, category=None, grade=None, screened=False), OPTIONS)
    assert not decision.allowed
    assert decision.failures == ["未持证，也没有筛查记录"]


def test_a_deceased_child_is_not_covered():
    decision = child_rehabilitation_decision(_child(registered=False), OPTIONS)
    assert not decision.allowed
    assert decision.failures == ["不在册（已死亡、迁出或注销）"]


def test_the_decision_lists_every_reason_it_checked_including_no_income_condition():
    decision = child_rehabilitation_decision(_child(16, category=None, grade=None, registered=False), OPTIONS)
    assert [str(reason) for reason in decision.reasons] == [
        "✘ 不在册（已死亡、迁出或注销）", "✘ 16 岁，救助年龄为 0—14 岁", "✘ 未持证，也没有筛查记录", "✔ 不设家庭经济条件"]


def test_an_eligible_child_sees_every_reason_passed():
    decision = child_rehabilitation_decision(_child(5, category=Category.HEARING), OPTIONS)
    assert [str(reason) for reason in decision.reasons] == [
        "✔ 在册", "✔ 5 岁，救助年龄为 0—14 岁", "✔ 持听力残疾证", "✔ 不设家庭经济条件"]


# ---- Care (阳光家园托养): working age, intellectual, mental or severe physical disability ---------------------

CARE = CareOptions(min_age=16, max_age=59)


def _adult(age: int = 30, *, category: int | None = Category.INTELLECTUAL, grade: int | None = 3,
           registered: bool = True) -> PersonFacts:
    return PersonFacts(age=age, registered=registered, certificate_category=category, certificate_grade=grade)


@pytest.mark.parametrize("age", [16, 59])
def test_care_covers_the_working_age_band_inclusive(age):
    assert care_decision(_adult(age), CARE).allowed


@pytest.mark.parametrize("age", [15, 60])
def test_care_refuses_outside_the_working_age(age):
    decision = care_decision(_adult(age), CARE)
    assert not decision.allowed
    assert decision.failures == [f"{age} 岁，托养对象为 16—59 岁"]


@pytest.mark.parametrize("category", [Category.INTELLECTUAL, Category.MENTAL])
@pytest.mark.parametrize("grade", [1, 2, 3, 4])
def test_intellectual_and_mental_disability_of_any_grade_is_in_care(category, grade):
    assert care_decision(_adult(category=category, grade=grade), CARE).allowed


@pytest.mark.parametrize("grade", [1, 2])
def test_severe_physical_disability_is_in_care(grade):
    decision = care_decision(_adult(category=Category.PHYSICAL, grade=grade), CARE)
    assert decision.allowed
    assert decision.reasons[-1].text.startswith("重度肢体残疾")


@pytest.mark.parametrize("grade", [3, 4])
def test_moderate_physical_disability_is_not_in_care(grade):
    decision = care_decision(_adult(category=Category.PHYSICAL, grade=grade), CARE)
    assert not decision.allowed
    assert "不在托养范围（智力、精神和重度肢体残疾）" in decision.failures[0]


def test_hearing_disability_even_grade_one_is_not_in_care():
    decision = care_decision(_adult(category=Category.HEARING, grade=1), CARE)
    assert not decision.allowed
    assert decision.failures == ["听力残疾一级不在托养范围（智力、精神和重度肢体残疾）"]


def test_care_needs_a_valid_certificate():
    decision = care_decision(_adult(category=None, grade=None), CARE)
    assert not decision.allowed
    assert decision.failures == ["没有有效的残疾人证"]


def test_care_refuses_a_person_no_longer_registered_with_every_reason():
    decision = care_decision(_adult(70, category=Category.HEARING, grade=3, registered=False), CARE)
    assert len(decision.failures) == 3
    assert len(decision.reasons) == 3


# ---- The yearly subsidy cap (年度救助限额) ------------------------------------------------------------------

def test_subsidy_exactly_reaching_the_cap_is_allowed():
    reason = subsidy_within_cap(amount=Decimal(4000), already=Decimal(20000), cap=Decimal(24000))
    assert reason.ok


def test_subsidy_over_the_cap_is_refused_saying_how_much_is_left():
    reason = subsidy_within_cap(amount=Decimal("4000.01"), already=Decimal(20000), cap=Decimal(24000))
    assert not reason.ok
    assert reason.text == "本年度已补贴 20,000.00 元，限额 24,000.00 元，本次最多 4,000.00 元"


def test_when_the_cap_is_already_spent_nothing_is_left_not_a_negative_amount():
    reason = subsidy_within_cap(amount=Decimal(1), already=Decimal(25000), cap=Decimal(24000))
    assert not reason.ok
    assert reason.text.endswith("本次最多 0.00 元")


# ---- Coordinators: one per 80–150 persons ---------------------------------------------------------------

@pytest.mark.parametrize(("persons", "coordinators", "status"), [
    (79, 1, "low"), (80, 1, "ok"), (150, 1, "ok"), (151, 1, "high"),
    (160, 2, "ok"), (159, 2, "low"), (301, 2, "high"),
    (120, 0, "none"), (0, 0, "ok"),
])
def test_coordinator_load_against_the_80_to_150_band(persons, coordinators, status):
    assert coordinator_load(persons=persons, coordinators=coordinators, low=80, high=150) == status
