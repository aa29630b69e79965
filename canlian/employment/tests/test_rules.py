"""The employment security levy (残疾人就业保障金) and the count of disabled employees, one case at a time
(《残疾人就业条例》, 财税〔2015〕72号, 财税〔2018〕39号, 财政部公告2019年第98号 and 2023年第8号; domain.md §3).

Every amount is worked out by hand in the comment beside it; none is taken from the code under test.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canlian.employment import review, rules
from canlian.employment.choices import EmployerKind

D = Decimal

# The levy's values as read on a day of filing in 2025 (catalogue.DATED_VALUES): quota 1.5%, wage capped at 2× the
# local average of 108,000, tiers 50%/90% about 1%, enterprises of ≤ 30 staff exempt, a reward of 5 monthly
# minimum wages (1,980) per whole person above the quota.
PARAMS_2025 = rules.LevyParameters(
    on=date(2025, 6, 1), quota_ratio_percent=D("1.5"), wage_cap_multiple=D(2), local_average_wage=D(108000),
    tiers_in_force=True, tier_threshold_percent=D(1), tier_upper_payable_percent=D(50),
    tier_lower_payable_percent=D(90), small_enterprise_max_staff=D(30), over_quota_reward_multiple=D(5),
    minimum_wage_monthly=D(1980))
# 2024: the same, before Inner Mongolia's over-quota reward (2025-01-01).
PARAMS_2024 = replace(PARAMS_2025, on=date(2024, 6, 1), local_average_wage=D(103000),
                      over_quota_reward_multiple=D(0))
# 2019: before 财政部公告2019年第98号 took effect: no tiers, no small-enterprise exemption, no reward.
PARAMS_2019 = replace(PARAMS_2025, on=date(2019, 6, 1), local_average_wage=D(76000), tiers_in_force=False,
                      small_enterprise_max_staff=D(0), over_quota_reward_multiple=D(0), minimum_wage_monthly=D(1760))
# March 2018: before 财税〔2018〕39号 capped the wage (2018-04-01).
PARAMS_2018_MARCH = replace(PARAMS_2019, on=date(2018, 3, 1), wage_cap_multiple=D(0), local_average_wage=D(70000))
# 2028: 公告2023年第8号 ran to 2027-12-31; the tiers and the exemption end, the reward stays.
PARAMS_2028 = replace(PARAMS_2025, on=date(2028, 3, 1), local_average_wage=D(112000), tiers_in_force=False,
                      small_enterprise_max_staff=D(0))


def levy(staff, counted=0, wage=80000, kind=EmployerKind.ENTERPRISE, params=PARAMS_2025) -> rules.LevyResult:
    inputs = rules.LevyInputs(employer_kind=kind, staff_count=D(staff), average_wage=D(wage),
                              disabled_counted=D(counted))
    return rules.levy_calculate(inputs, params)


def step(result: rules.LevyResult, title: str) -> rules.Step:
    [found] = [s for s in result.steps if s.title == title]
    return found


def titles(result: rules.LevyResult) -> list[str]:
    return [s.title for s in result.steps]


# --- the quota and the small-enterprise exemption (财政部公告2019年第98号 第2条) ---------------------------

def test_enterprise_with_exactly_30_staff_is_exempt_while_the_exemption_is_in_force():
    result = levy(staff=30)
    # 30 × 1.5% = 0.45 persons short; 0.45 × 80,000 = 36,000.00 worked out, then waived.
    assert result.exempt
    assert (result.required, result.shortfall, result.full_amount) == (D("0.45"), D("0.45"), D("36000.00"))
    assert result.levy == D("0.00")
    assert result.payable_percent == 0
    assert step(result, "小微企业暂免征收").working == "在职职工 30 人 ≤ 30 人，本年度应缴 0.00 元"


def test_enterprise_with_31_staff_pays():
    result = levy(staff=31)
    # 31 × 1.5% = 0.465 persons; 0.465 × 80,000 = 37,200.00; nobody employed, 0% < 1% → 90% = 33,480.00.
    assert not result.exempt
    assert result.required == D("0.465")
    assert result.full_amount == D("37200.00")
    assert result.payable_percent == 90
    assert result.levy == D("33480.00")
    assert "小微企业暂免征收" not in titles(result)


@pytest.mark.parametrize("kind", [EmployerKind.GOVERNMENT, EmployerKind.INSTITUTION,
                                  EmployerKind.SOCIAL_ORGANISATION])
def test_small_exemption_is_for_enterprises_only_a_government_body_of_20_staff_pays(kind):
    """公告2019年第98号: "在职职工总数30人（含）以下的企业，暂免征收" — enterprises, not 机关 or 事业单位."""
    result = levy(staff=20, kind=kind)
    # 20 × 1.5% = 0.3 persons; 0.3 × 80,000 = 24,000.00; 0% < 1% → 90% = 21,600.00.
    assert not result.exempt
    assert result.full_amount == D("24000.00")
    assert result.levy == D("21600.00")


# --- the tiers (分档减缴, 2020-01-01…2027-12-31) ------------------------------------------------------------

@pytest.mark.parametrize(("staff", "counted", "shown", "full_amount", "payable", "levy_due"), [
    # 99 ÷ 10,000 = 0.99% exactly; 10,000 × 1.5% = 150; 150 − 99 = 51; 51 × 80,000 = 4,080,000.00; × 90%.
    (10000, 99, "0.99%", "4080000.00", 90, "3672000.00"),
    # 2 ÷ 202 = 0.990…% (shown cut to 0.99%); 202 × 1.5% = 3.03; 3.03 − 2 = 1.03; 1.03 × 80,000 = 82,400.00;
    # × 90% = 74,160.00.
    (202, 2, "0.99%", "82400.00", 90, "74160.00"),
])
def test_actual_ratio_below_one_percent_pays_90_percent(staff, counted, shown, full_amount, payable, levy_due):
    result = levy(staff=staff, counted=counted)
    assert step(result, "实际安排比例").working.endswith(f"= {shown}")
    assert result.full_amount == D(full_amount)
    assert result.payable_percent == payable
    assert result.levy == D(levy_due)
    assert step(result, "分档减缴").note == "实际安排比例低于 1%，按应缴额的 90% 缴纳"


def test_actual_ratio_of_exactly_one_percent_pays_half():
    result = levy(staff=200, counted=2)
    # 2 ÷ 200 = 1.00%; 200 × 1.5% = 3; 3 − 2 = 1 person; 1 × 80,000 = 80,000.00; ≥ 1% → 50% = 40,000.00.
    assert step(result, "实际安排比例").working == "2 ÷ 200 = 1.00%"
    assert result.shortfall == 1
    assert result.full_amount == D("80000.00")
    assert result.payable_percent == 50
    assert result.levy == D("40000.00")
    assert step(result, "分档减缴").working == "80,000.00 元 × 50% = 40,000.00 元"


def test_actual_ratio_between_one_percent_and_the_quota_pays_half():
    result = levy(staff=250, counted=3)
    # 3 ÷ 250 = 1.2%; 250 × 1.5% = 3.75; 3.75 − 3 = 0.75; 0.75 × 80,000 = 60,000.00; × 50% = 30,000.00.
    assert result.levy == D("30000.00")


def test_actual_ratio_at_the_quota_of_one_and_a_half_percent_pays_nothing():
    result = levy(staff=200, counted=3)
    # 200 × 1.5% = 3 persons required, 3 employed.
    assert (result.levy, result.full_amount, result.shortfall) == (D("0.00"), D("0.00"), 0)
    assert step(result, "是否达到规定比例").working == "3 ≥ 3，已达到规定比例，无需缴纳保障金"
    assert "差额人数" not in titles(result)


# --- the wage used (计征工资, 财税〔2018〕39号) --------------------------------------------------------------

def test_average_wage_above_twice_the_local_average_is_capped_and_the_step_says_so():
    result = levy(staff=100, wage=250000)
    # cap 2 × 108,000 = 216,000; 100 × 1.5% = 1.5 persons; 1.5 × 216,000 = 324,000.00; × 90% = 291,600.00.
    assert result.wage_used == D("216000.00")
    assert result.full_amount == D("324000.00")
    assert result.levy == D("291600.00")
    wage_step = step(result, "计征工资")
    assert wage_step.working == "250,000.00 元 > 2 × 108,000.00 元，按 216,000.00 元计算"
    assert wage_step.note == "年平均工资超过当地社会平均工资 2 倍的，按 2 倍计算"


@pytest.mark.parametrize(("wage", "full_amount"), [
    (200000, "300000.00"),  # 1.5 × 200,000
    (216000, "324000.00"),  # exactly 2 × 108,000: not above the cap, used as it is
])
def test_average_wage_not_above_twice_the_local_average_is_used_as_declared(wage, full_amount):
    result = levy(staff=100, wage=wage)
    assert result.wage_used == D(wage)
    assert result.full_amount == D(full_amount)
    assert "未超过 2 × 108,000.00 = 216,000.00 元" in step(result, "计征工资").working


def test_no_wage_cap_before_april_2018():
    result = levy(staff=100, wage=250000, params=PARAMS_2018_MARCH)
    # No cap then: 1.5 × 250,000 = 375,000.00, no tiers either.
    assert result.wage_used == D(250000)
    assert result.levy == D("375000.00")
    assert step(result, "计征工资").working == "250,000.00 元（当时不设上限）"


# --- the periods of the tiers and the exemption -----------------------------------------------------------

def test_before_2020_a_small_enterprise_pays_the_full_amount():
    result = levy(staff=20, wage=60000, params=PARAMS_2019)
    # 20 × 1.5% = 0.3; 0.3 × 60,000 = 18,000.00, all of it: no exemption, no tiers in 2019.
    assert not result.exempt
    assert result.payable_percent == 100
    assert result.levy == result.full_amount == D("18000.00")
    assert step(result, "应缴残疾人就业保障金").note == "当时未实行分档减缴"


def test_before_2020_one_percent_employed_still_pays_the_full_amount():
    result = levy(staff=200, counted=2, wage=60000, params=PARAMS_2019)
    # 3 − 2 = 1 person × 60,000 = 60,000.00, no 50% tier yet.
    assert result.levy == D("60000.00")


def test_after_2027_the_tiers_and_the_small_enterprise_exemption_end():
    small = levy(staff=20, wage=60000, params=PARAMS_2028)
    # 0.3 × 60,000 = 18,000.00 in full.
    assert not small.exempt
    assert small.levy == D("18000.00")
    at_one_percent = levy(staff=200, counted=2, wage=60000, params=PARAMS_2028)
    # 1 person × 60,000 = 60,000.00 in full (it was 50% until 2027).
    assert at_one_percent.levy == D("60000.00")
    assert "分档减缴" not in titles(at_one_percent)


# --- fractions and rounding -----------------------------------------------------------------------------------

def test_shortfall_may_be_a_fraction_of_a_person_and_is_never_rounded():
    result = levy(staff=45, wage=D("73456.78"))
    # 45 × 1.5% = 0.675 persons; 0.675 × 73,456.78 = 49,583.3265 → 49,583.33; × 90% = 44,624.997 → 44,625.00.
    assert result.required == result.shortfall == D("0.675")
    assert result.full_amount == D("49583.33")
    assert result.levy == D("44625.00")
    assert step(result, "应安排残疾人就业人数").working == "45 人 × 1.5% = 0.675 人"
    assert step(result, "按规定应缴金额").working == "0.675 人 × 73,456.78 元 = 49,583.33 元"


def test_amounts_are_rounded_to_the_fen_half_up_before_the_tiers_and_after():
    result = levy(staff=45, wage=D("60000.60"))
    # 0.675 × 60,000.60 = 40,500.405 → 40,500.41 (half up; half-even would give .40);
    # then 40,500.41 × 90% = 36,450.369 → 36,450.37 (from the unrounded 40,500.405 it would be 36,450.36).
    assert result.full_amount == D("40500.41")
    assert result.levy == D("36450.37")


def test_the_tier_amount_is_rounded_half_up():
    result = levy(staff=200, counted=2, wage=D("80000.01"))
    # 1 person × 80,000.01 = 80,000.01; × 50% = 40,000.005 → 40,000.01 (half-even would give 40,000.00).
    assert result.levy == D("40000.01")


def test_result_as_json_gives_money_as_strings():
    data = levy(staff=31).as_json()
    assert data["levy"] == "33480.00"
    assert data["exempt"] is False
    assert data["steps"][0]["working"] == "31 人 × 1.5% = 0.465 人"


# --- the over-quota reward (内蒙古, from 2025-01-01) -----------------------------------------------------------

def test_over_quota_reward_is_per_whole_extra_person_times_the_multiple_of_the_monthly_minimum_wage():
    result = levy(staff=100, counted=4)
    # 100 × 1.5% = 1.5 required; 4 − 1.5 = 2.5 → 2 whole persons; 2 × 5 × 1,980 = 19,800.00.
    assert result.levy == D("0.00")
    assert result.reward == D("19800.00")
    assert step(result, "超比例奖励").working == "2 人 × 5 × 1,980.00 元 = 19,800.00 元"


def test_over_quota_reward_for_exactly_one_extra_person():
    # 200 × 1.5% = 3 required; 4 − 3 = 1; 1 × 5 × 1,980 = 9,900.00.
    assert levy(staff=200, counted=4).reward == D("9900.00")


def test_no_reward_for_less_than_one_whole_extra_person():
    result = levy(staff=100, counted=2)
    # 2 − 1.5 = 0.5 persons above the quota: not a whole person.
    assert result.reward == D("0.00")
    assert "超比例奖励" not in titles(result)


def test_no_reward_where_the_multiple_is_zero():
    result = levy(staff=100, counted=4, params=PARAMS_2024)
    assert result.reward == D("0.00")
    assert "超比例奖励" not in titles(result)


# --- the late-payment surcharge (滞纳金, 《残疾人就业条例》第27条) --------------------------------------------

def test_late_payment_adds_five_per_mille_a_day():
    # 10 days late × 5‰ × 10,000.00 = 500.00.
    assert rules.late_surcharge(unpaid=D("10000.00"), due_on=date(2025, 7, 1), paid_on=date(2025, 7, 11),
                                per_mille=D(5)) == D("500.00")


def test_late_surcharge_is_rounded_half_up_to_the_fen():
    # 1 day × 5‰ × 4,321.00 = 21.605 → 21.61.
    assert rules.late_surcharge(unpaid=D("4321.00"), due_on=date(2025, 7, 1), paid_on=date(2025, 7, 2),
                                per_mille=D(5)) == D("21.61")


@pytest.mark.parametrize("paid_on", [date(2025, 7, 1), date(2025, 6, 20)])
def test_no_surcharge_when_paid_by_the_due_date(paid_on):
    assert rules.late_surcharge(unpaid=D("10000.00"), due_on=date(2025, 7, 1), paid_on=paid_on,
                                per_mille=D(5)) == D("0.00")


# --- the employees counted (审核计入的残疾职工) -----------------------------------------------------------------

# The 2025 review judges the year 2024, everything read on 2024-12-31.
CHECK = rules.EmployeeCheckParameters(year_end=date(2024, 12, 31), working_age_min=16, working_age_max=59,
                                      minimum_wage_monthly=D(1980), severe_counts_as=D(2))


def employee(**changes) -> rules.EmployeeFacts:
    values = {"registered": True, "certificate_grade": 3, "birth_date": date(1990, 5, 5),
              "monthly_wage": D("2500.00"), "social_insurance": True, "contract_one_year": True}
    return rules.EmployeeFacts(**(values | changes))


def check(**changes) -> rules.EmployeeCheck:
    return rules.employee_check(employee(**changes), CHECK)


@pytest.mark.parametrize(("grade", "counts_as"), [(1, 2), (2, 2), (3, 1), (4, 1)])
def test_grade_one_and_two_employees_count_as_two_grade_three_and_four_as_one(grade, counts_as):
    result = check(certificate_grade=grade)
    assert result.rejection == ""
    assert result.counted == counts_as
    assert result.decision.allowed
    assert len(result.decision.reasons) == 7


def test_an_id_number_not_on_the_register_is_not_counted():
    result = check(registered=False, certificate_grade=None, birth_date=None)
    assert result.rejection == "not_registered"
    assert result.counted == 0
    assert result.decision.failures[0] == "本平台查无此残疾人证号的持证人"


def test_employee_without_a_valid_certificate_at_year_end_is_not_counted():
    """A card that expired mid-year (say on 2024-06-30) is no card on 2024-12-31: the registry gives no grade."""
    result = check(certificate_grade=None)
    assert result.rejection == "no_valid_certificate"
    assert result.counted == 0
    assert result.decision.failures == ["2024 年 12 月 31 日没有有效的残疾人证（未持证、已过期或注销）"]


@pytest.mark.parametrize(("birth", "in_working_age"), [
    (date(2008, 12, 31), True),   # turns 16 on 31 Dec 2024, the data year's last day
    (date(2009, 1, 1), False),    # turns 16 only on 1 Jan 2025
    (date(1964, 1, 1), False),    # already 60 on 1 Jan 2024
    (date(1964, 1, 2), True),     # 59 on 1 Jan 2024, 60 the next day
    (date(1964, 6, 15), True),    # 59 on 1 Jan 2024, turns 60 in June
    (date(1990, 5, 5), True),
])
def test_employee_counts_when_of_working_age_at_some_time_in_the_year(birth, in_working_age):
    """规划: working age 16—59; in the age band for some part of the data year."""
    result = check(birth_date=birth)
    assert (result.rejection == "") is in_working_age
    if not in_working_age:
        assert result.rejection == "not_working_age"
        assert result.decision.failures == ["2024 年内不在 16—59 岁就业年龄段"]


@pytest.mark.parametrize(("wage", "counted"), [(D("1979.99"), False), (D("1980.00"), True)])
def test_employee_paid_below_the_local_minimum_wage_is_not_counted(wage, counted):
    result = check(monthly_wage=wage)
    assert (result.rejection == "") is counted
    if not counted:
        assert result.rejection == "below_minimum_wage"
        assert result.decision.failures == ["月工资 1,979.99 元低于当地最低工资 1,980.00 元"]


def test_employee_without_social_insurance_is_not_counted():
    result = check(social_insurance=False)
    assert result.rejection == "no_social_insurance"
    assert result.decision.failures == ["未缴纳社会保险"]


def test_employee_on_a_contract_shorter_than_a_year_is_not_counted():
    result = check(contract_one_year=False)
    assert result.rejection == "short_contract"
    assert result.decision.failures == ["劳动合同（服务协议）不足一年"]


def test_employee_declared_earlier_by_another_employer_is_refused_naming_that_employer():
    result = check(certificate_grade=1, declared_earlier_by="二连浩特市某某商贸有限公司")
    assert result.rejection == "declared_elsewhere"
    assert result.counted == 0
    assert result.decision.failures == ["同一年度已由“二连浩特市某某商贸有限公司”先行申报，不能重复计算"]


def test_the_first_failing_check_is_the_rejection_and_the_decision_lists_every_reason():
    result = check(monthly_wage=D("1500.00"), social_insurance=False, contract_one_year=False,
                   declared_earlier_by="某公司")
    assert result.rejection == "below_minimum_wage"
    assert not result.decision.allowed
    assert len(result.decision.reasons) == 7
    assert [str(r)[0] for r in result.decision.reasons] == ["✔", "✔", "✔", "✘", "✘", "✘", "✘"]
    assert str(result.decision.reasons[1]) == "✔ 2024 年末持有效残疾人证（三级）"


# --- the parameters as seeded (catalogue.DATED_VALUES, migration parameters 0007) -------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("on", "tiers", "small"), [
    (date(2019, 6, 1), False, 0),
    (date(2020, 6, 1), True, 30),
    (date(2027, 12, 31), True, 30),
    (date(2028, 1, 1), False, 0),
])
def test_seeded_parameters_bring_the_tiers_and_the_exemption_in_2020_and_end_them_after_2027(on, tiers, small):
    params = review.levy_parameters(on)
    assert params.tiers_in_force is tiers
    assert params.small_enterprise_max_staff == small
    # The small enterprise of the tests above: exempt exactly while the exemption is in force.
    result = rules.levy_calculate(rules.LevyInputs(EmployerKind.ENTERPRISE, D(20), D(60000), D(0)), params)
    assert result.exempt is bool(small)
    # 0.3 × 60,000 = 18,000.00; waived while exempt, in full before 2020 and after 2027.
    assert result.levy == (D("0.00") if small else D("18000.00"))


@pytest.mark.django_db
@pytest.mark.parametrize(("on", "multiple"), [(date(2018, 3, 31), 0), (date(2018, 4, 1), 2)])
def test_seeded_wage_cap_starts_on_1_april_2018(on, multiple):
    assert review.levy_parameters(on).wage_cap_multiple == multiple


@pytest.mark.django_db
@pytest.mark.parametrize("params", [PARAMS_2018_MARCH, PARAMS_2019, PARAMS_2024, PARAMS_2025, PARAMS_2028])
def test_the_hand_written_parameters_above_are_those_seeded(params):
    assert review.levy_parameters(params.on) == params


@pytest.mark.django_db
def test_a_review_year_judges_employees_on_the_last_day_of_the_year_before():
    assert review.employee_check_parameters(2025) == CHECK


@given(staff=st.decimals(min_value=0, max_value=100000, places=2), counted=st.integers(min_value=0, max_value=2000),
       wage=st.decimals(min_value=0, max_value=10**7, places=2), kind=st.sampled_from(EmployerKind.values),
       params=st.sampled_from([PARAMS_2018_MARCH, PARAMS_2019, PARAMS_2024, PARAMS_2025, PARAMS_2028]))
def test_the_review_without_steps_computes_the_same_amounts_as_the_worked_example(staff, counted, wage, kind, params):
    inputs = rules.LevyInputs(employer_kind=kind, staff_count=staff, average_wage=wage, disabled_counted=D(counted))
    worked, bare = rules.levy_calculate(inputs, params), rules.levy_calculate(inputs, params, explain=False)
    assert replace(worked, steps=()) == bare and worked.steps


def test_parameters_kept_by_a_review_read_back_unchanged():
    assert rules.LevyParameters.from_json(PARAMS_2025.as_json()) == PARAMS_2025
