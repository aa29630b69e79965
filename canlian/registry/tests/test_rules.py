from datetime import date

import pytest

from canlian.registry.choices import Category, LifeStatus, Relation
from canlian.registry.rules import (
    Finding,
    MemberFacts,
    add_years,
    certificate_class_for,
    certificate_issue_decision,
    certificate_number_problems,
    certificate_renewable,
    household_flags,
    washington_group_identified,
)
from canlian.registry.tests.factories import make_id

ID = make_id(date(1980, 1, 1), 11)
OTHER_ID = make_id(date(1981, 2, 3), 13)


# --- certificate class (类别与等级) --------------------------------------------------------------


def test_single_finding_gives_its_own_category_and_grade():
    assert certificate_class_for([Finding(Category.HEARING, 3)]) == (Category.HEARING, 3, ())


def test_multiple_disability_is_graded_by_its_most_severe_component():
    category, grade, components = certificate_class_for([Finding(Category.PHYSICAL, 3), Finding(Category.VISION, 1)])
    assert category == Category.MULTIPLE
    assert grade == 1
    assert len(components) == 2


def test_multiple_disability_keeps_each_component_with_its_own_grade():
    _category, _grade, components = certificate_class_for(
        [Finding(Category.MENTAL, 4), Finding(Category.HEARING, 2), Finding(Category.PHYSICAL, 3)]
    )
    assert components == (Finding(Category.HEARING, 2), Finding(Category.PHYSICAL, 3), Finding(Category.MENTAL, 4))


def test_assessment_without_findings_cannot_make_a_certificate():
    with pytest.raises(ValueError, match="without findings"):
        certificate_class_for([])


# --- certificate number agrees with holder (证号与持证人一致) ----------------------------------------


def test_matching_certificate_number_has_no_problems():
    assert certificate_number_problems(number=ID + "42", id_number=ID, category=4, grade=2) == []


def test_reissued_number_with_b_suffix_agrees_with_its_holder():
    assert certificate_number_problems(number=ID + "42B1", id_number=ID, category=4, grade=2) == []


def test_number_of_another_persons_id_is_a_problem():
    problems = certificate_number_problems(number=OTHER_ID + "42", id_number=ID, category=4, grade=2)
    assert problems == ["残疾人证号前18位应与持证人身份证号一致。"]


def test_number_disagreeing_with_category_says_which_digit_and_category():
    problems = certificate_number_problems(number=ID + "12", id_number=ID, category=4, grade=2)
    assert problems == ["残疾人证号第19位是类别 1，但类别为“肢体残疾”（4）。"]


def test_number_disagreeing_with_grade_says_which_digit_and_grade():
    problems = certificate_number_problems(number=ID + "43", id_number=ID, category=4, grade=2)
    assert problems == ["残疾人证号第20位是等级 3，但等级为“二级”（2）。"]


def test_every_disagreement_is_listed_not_just_the_first():
    problems = certificate_number_problems(number=OTHER_ID + "13", id_number=ID, category=4, grade=2)
    assert len(problems) == 3


def test_malformed_number_is_one_problem_explaining_the_shape():
    problems = certificate_number_problems(number="12345", id_number=ID, category=4, grade=2)
    assert len(problems) == 1
    assert "残疾人证号应为20位" in problems[0]


# --- may a certificate be issued (发证) ---------------------------------------------------------------


def _issue(**overrides):
    facts = {"life_status": LifeStatus.ACTIVE, "holds_valid_certificate": False, "last_cancelled_on": None,
             "has_findings": True, "on": date(2024, 6, 1), "reapply_after_years": 1}
    return certificate_issue_decision(**{**facts, **overrides})


def test_active_person_with_findings_and_no_card_may_be_issued_one():
    decision = _issue()
    assert decision.allowed
    assert decision.failures == []
    assert [str(r) for r in decision.reasons] == ["✔ 人员状态为在册", "✔ 未持有其他有效残疾人证", "✔ 评定结论已录入"]


def test_every_failing_reason_is_returned_not_just_the_first():
    decision = _issue(life_status=LifeStatus.DECEASED, holds_valid_certificate=True, has_findings=False,
                      last_cancelled_on=date(2024, 1, 1))
    assert not decision.allowed
    assert len(decision.reasons) == 4
    assert len(decision.failures) == 4
    assert "人员状态为“死亡”，不能发证" in decision.failures
    assert any("一人只能持有一个有效证件" in f for f in decision.failures)
    assert "评定没有类别和等级结论" in decision.failures
    assert any("2025-01-01 之前不得重新申请" in f for f in decision.failures)


def test_passing_reasons_are_kept_beside_the_failing_one():
    decision = _issue(holds_valid_certificate=True)
    assert [r.ok for r in decision.reasons] == [True, False, True]


@pytest.mark.parametrize("status", [LifeStatus.DECEASED, LifeStatus.MOVED_OUT, LifeStatus.CANCELLED])
def test_person_not_on_the_register_cannot_be_issued_a_card(status):
    assert not _issue(life_status=status).allowed


def test_reapplying_the_day_before_one_year_after_cancellation_is_refused():
    decision = _issue(last_cancelled_on=date(2023, 6, 1), on=date(2024, 5, 31))
    assert not decision.allowed
    assert decision.failures == ["证件于 2023-06-01 注销，2024-06-01 之前不得重新申请（《残疾人证管理办法》第24条）"]


def test_reapplying_exactly_one_year_after_cancellation_is_allowed():
    decision = _issue(last_cancelled_on=date(2023, 6, 1), on=date(2024, 6, 1))
    assert decision.allowed
    assert "✔ 上次注销于 2023-06-01，满1年后可重新申请" in [str(r) for r in decision.reasons]


def test_reapply_period_comes_from_the_parameter():
    assert not _issue(last_cancelled_on=date(2022, 6, 1), on=date(2024, 5, 31), reapply_after_years=2).allowed
    assert _issue(last_cancelled_on=date(2022, 6, 1), on=date(2024, 6, 1), reapply_after_years=2).allowed


def test_reapply_after_cancellation_on_29_february_opens_on_28_february():
    assert not _issue(last_cancelled_on=date(2024, 2, 29), on=date(2025, 2, 27)).allowed
    assert _issue(last_cancelled_on=date(2024, 2, 29), on=date(2025, 2, 28)).allowed


# --- dates -----------------------------------------------------------------------------------------


def test_add_years_keeps_the_calendar_day():
    assert add_years(date(2020, 5, 1), 10) == date(2030, 5, 1)


def test_add_years_from_29_february_falls_back_to_28_february():
    assert add_years(date(2020, 2, 29), 10) == date(2030, 2, 28)
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)


def test_add_years_from_29_february_to_a_leap_year_keeps_29():
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)


def test_card_is_renewable_from_the_notice_period_on_and_after_expiry():
    on = date(2024, 1, 1)
    assert certificate_renewable(valid_until=on, on=on, notice_days=90)
    assert certificate_renewable(valid_until=date(2024, 3, 31), on=on, notice_days=90)
    assert not certificate_renewable(valid_until=date(2024, 4, 1), on=on, notice_days=90)
    assert certificate_renewable(valid_until=date(2023, 12, 31), on=on, notice_days=90)  # overdue


# --- household flags (一户多残, 依老养残) ----------------------------------------------------------------

ON = date(2024, 6, 1)


def _flags(members):
    return household_flags(members, on=ON, elder_parent_age=60)


def test_two_disabled_members_make_a_several_disabled_household():
    flags = _flags([MemberFacts(Relation.HEAD, date(1970, 1, 1), True),
                    MemberFacts(Relation.SPOUSE, date(1972, 1, 1), True)])
    assert flags.several_disabled
    assert "一户多残：家中有 2 名残疾人" in flags.reasons


def test_one_disabled_member_is_not_a_several_disabled_household():
    flags = _flags([MemberFacts(Relation.HEAD, date(1970, 1, 1), True),
                    MemberFacts(Relation.SPOUSE, date(1972, 1, 1), False)])
    assert not flags.several_disabled
    assert flags.reasons == ()


def test_disabled_child_cared_for_by_a_parent_aged_60_is_elderly_parent_care():
    flags = _flags([MemberFacts(Relation.HEAD, date(1964, 6, 1), False),  # 60 today
                    MemberFacts(Relation.CHILD, date(1990, 1, 1), True)])
    assert flags.elderly_parent_carer
    assert "依老养残：残疾人由 60 岁及以上的父母照料" in flags.reasons


def test_parent_aged_59_is_not_elderly_parent_care():
    flags = _flags([MemberFacts(Relation.HEAD, date(1964, 6, 2), False),  # 60 tomorrow
                    MemberFacts(Relation.CHILD, date(1990, 1, 1), True)])
    assert not flags.elderly_parent_carer
    assert flags.reasons == ()


def test_disabled_head_living_with_an_old_parent_is_elderly_parent_care():
    flags = _flags([MemberFacts(Relation.HEAD, date(1990, 1, 1), True),
                    MemberFacts(Relation.PARENT, date(1950, 1, 1), False)])
    assert flags.elderly_parent_carer


def test_old_spouse_is_not_a_parent():
    flags = _flags([MemberFacts(Relation.HEAD, date(1950, 1, 1), True),
                    MemberFacts(Relation.SPOUSE, date(1950, 1, 1), False)])
    assert not flags.elderly_parent_carer


def test_old_parent_of_a_member_who_is_not_disabled_does_not_count():
    flags = _flags([MemberFacts(Relation.HEAD, date(1990, 1, 1), False),
                    MemberFacts(Relation.PARENT, date(1950, 1, 1), False)])
    assert not flags.elderly_parent_carer


def test_parent_without_birth_date_does_not_count():
    flags = _flags([MemberFacts(Relation.HEAD, date(1990, 1, 1), True),
                    MemberFacts(Relation.PARENT, None, False)])
    assert not flags.elderly_parent_carer


def test_elder_parent_age_comes_from_the_parameter():
    members = [MemberFacts(Relation.HEAD, date(1990, 1, 1), True),
               MemberFacts(Relation.PARENT, date(1959, 1, 1), False)]  # 65
    assert household_flags(members, on=ON, elder_parent_age=65).elderly_parent_carer
    assert not household_flags(members, on=ON, elder_parent_age=70).elderly_parent_carer


def test_household_can_be_both_several_disabled_and_elderly_parent_care():
    flags = _flags([MemberFacts(Relation.HEAD, date(1950, 1, 1), True),
                    MemberFacts(Relation.CHILD, date(1980, 1, 1), True)])
    assert flags.several_disabled and flags.elderly_parent_carer
    assert len(flags.reasons) == 2


# --- Washington Group Short Set -----------------------------------------------------------------------


def test_no_answers_means_not_asked():
    assert washington_group_identified([None] * 6) is None


def test_some_difficulty_everywhere_is_not_identified():
    assert washington_group_identified([2, 2, 2, 2, 2, 2]) is False


@pytest.mark.parametrize("answer", [3, 4])
def test_a_lot_of_difficulty_or_cannot_do_in_one_domain_is_identified(answer):
    assert washington_group_identified([1, None, 1, answer, None, 1]) is True


def test_partial_answers_below_the_cut_off_are_not_identified():
    assert washington_group_identified([1, None, 2, None, None, None]) is False
