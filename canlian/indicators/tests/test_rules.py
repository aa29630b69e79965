"""Poverty-relapse monitoring (防止返贫监测) as a pure rule: which risks a household's facts show on a day, each with
the reason an officer reads on the watchlist — and the boundaries of each risk."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canlian.indicators.rules import (
    EventKind,
    RiskReason,
    WatchEvent,
    WatchFacts,
    WatchMember,
    WatchParams,
    relapse_risks,
)

ON = date(2026, 6, 30)
SINCE = date(2025, 6, 30)  # ON less the look-back of 365 days
PARAMS = WatchParams(income_line=Decimal(6000), medical_threshold=Decimal(20000), lookback_days=365,
                     elder_parent_age=60)


def _member(name: str = "户主甲", relation: str = "head", *, birth: date | None = date(1980, 1, 1),
            disabled: bool = False, severe: bool = False, employed: bool = False, **values) -> WatchMember:
    """A member; `name` only labels the test for its reader — the rule names members by relation, never by name."""
    return WatchMember(relation=relation, birth_date=birth, disabled=disabled, severe=severe, employed=employed,
                       **values)


def _facts(*members: WatchMember, income: Decimal | None = Decimal(12000), year: int | None = 2025,
           events: tuple[WatchEvent, ...] = ()) -> WatchFacts:
    return WatchFacts(per_capita_income=income, income_year=year, members=members or (_member(),), events=events)


def _risks(facts: WatchFacts, *, on: date = ON, params: WatchParams = PARAMS) -> dict[str, str]:
    return {risk.reason: risk.explanation for risk in relapse_risks(facts, on=on, params=params)}


def _medical(day: date, amount: str | None) -> WatchEvent:
    return WatchEvent(EventKind.MEDICAL_SPENDING, day, Decimal(amount) if amount is not None else None)


# --- a household with none ------------------------------------------------------------------------


def test_a_household_with_enough_income_and_no_misfortune_shows_no_risk():
    assert relapse_risks(_facts(_member("王五", disabled=True, severe=False)), on=ON, params=PARAMS) == []


def test_a_household_whose_income_is_not_known_is_not_flagged_for_low_income():
    assert _risks(_facts(income=None, year=None)) == {}


# --- 家庭人均收入低于监测线 -------------------------------------------------------------------------


def test_income_under_the_monitoring_line_is_flagged_with_the_income_the_year_and_the_line():
    risks = _risks(_facts(income=Decimal("5999.99"), year=2025))
    assert risks == {RiskReason.LOW_INCOME: "2025 年家庭人均收入 5,999.99 元，低于监测线 6,000.00 元。"}


def test_income_equal_to_the_monitoring_line_is_not_flagged():
    assert _risks(_facts(income=Decimal(6000))) == {}


def test_an_income_without_its_year_still_says_so():
    assert "（年度未填）" in _risks(_facts(income=Decimal(3000), year=None))[RiskReason.LOW_INCOME]


@given(income=st.decimals(min_value=0, max_value=100_000, places=2),
       line=st.decimals(min_value=0, max_value=100_000, places=2),
       raise_by=st.decimals(min_value=0, max_value=50_000, places=2))
def test_raising_the_monitoring_line_never_removes_a_low_income_flag(income, line, raise_by):
    def flagged(at: Decimal) -> bool:
        params = WatchParams(income_line=at, medical_threshold=PARAMS.medical_threshold,
                             lookback_days=PARAMS.lookback_days, elder_parent_age=PARAMS.elder_parent_age)
        return RiskReason.LOW_INCOME in _risks(_facts(income=income), params=params)

    assert flagged(line) == (income < line)
    if flagged(line):
        assert flagged(line + raise_by)


# --- 重度残疾且家中无人就业 -------------------------------------------------------------------------


def test_a_severely_disabled_member_with_no_registered_member_in_work_is_flagged_by_relation_not_name():
    risks = _risks(_facts(_member("王五", disabled=True, severe=True), _member("王秀英", "spouse")))
    assert risks == {RiskReason.SEVERE_NO_WORK: "家中户主为重度（一、二级）残疾，登记在册的残疾人无人就业；"
                                                "其他成员的就业情况请入户核实。"}


def test_a_severely_disabled_member_with_a_registered_member_in_work_is_not_flagged():
    facts = _facts(_member("王五", disabled=True, severe=True),
                   _member("王小五", "child", birth=date(2000, 1, 1), disabled=True, employed=True))
    assert RiskReason.SEVERE_NO_WORK not in _risks(facts)


def test_the_severely_disabled_member_in_work_himself_is_not_flagged():
    assert _risks(_facts(_member("王五", disabled=True, severe=True, employed=True))) == {}


def test_a_member_in_work_who_is_not_registered_does_not_lift_the_flag():
    # Only registered members' work is known to the platform; the explanation asks the officer to check the rest.
    facts = _facts(_member("王五", disabled=True, severe=True), _member("王秀英", "spouse", employed=True))
    assert RiskReason.SEVERE_NO_WORK in _risks(facts)


def test_a_moderately_disabled_member_not_in_work_is_not_flagged():
    assert _risks(_facts(_member("王五", disabled=True, severe=False))) == {}


def test_every_severely_disabled_member_is_listed():
    facts = _facts(_member("王五", disabled=True, severe=True),
                   _member("王小五", "child", birth=date(2000, 1, 1), disabled=True, severe=True))
    assert _risks(facts)[RiskReason.SEVERE_NO_WORK].startswith("家中户主、子女为重度")


# --- 一户多残 -----------------------------------------------------------------------------------


def test_two_registered_disabled_members_are_several_disabled_in_one_household():
    facts = _facts(_member("王五", disabled=True, employed=True),
                   _member("王小五", "child", birth=date(2000, 1, 1), disabled=True))
    assert _risks(facts) == {RiskReason.SEVERAL_DISABLED: "一户多残：家中有 2 名残疾人。"}


def test_one_disabled_member_and_relatives_are_not_several_disabled():
    facts = _facts(_member("王五", disabled=True), _member("王秀英", "spouse"), _member("王小五", "child"))
    assert RiskReason.SEVERAL_DISABLED not in _risks(facts)


# --- 依老养残 -----------------------------------------------------------------------------------


def _child_cared_for_by(parent_birth: date) -> WatchFacts:
    return _facts(_member("王老汉", "head", birth=parent_birth),
                  _member("王小五", "child", birth=date(1995, 1, 1), disabled=True))


def test_a_disabled_child_cared_for_by_a_parent_of_the_elder_age_is_flagged():
    risks = _risks(_child_cared_for_by(date(1966, 6, 30)))  # 60 on the day
    assert risks == {RiskReason.AGED_CARER: "依老养残：残疾人由 60 岁及以上的父母照料。"}


def test_a_parent_a_day_short_of_the_elder_age_is_not_an_aged_carer():
    assert _risks(_child_cared_for_by(date(1966, 7, 1))) == {}


def test_the_elder_age_is_the_parameter():
    facts = _child_cared_for_by(date(1962, 1, 1))  # 64
    older = WatchParams(income_line=PARAMS.income_line, medical_threshold=PARAMS.medical_threshold,
                        lookback_days=PARAMS.lookback_days, elder_parent_age=65)
    assert _risks(facts, params=older) == {}
    assert "60 岁及以上" in _risks(facts)[RiskReason.AGED_CARER]


def test_a_disabled_head_cared_for_by_an_elder_parent_is_flagged():
    facts = _facts(_member("王五", "head", disabled=True), _member("王老太", "parent", birth=date(1950, 1, 1)))
    assert RiskReason.AGED_CARER in _risks(facts)


def test_an_elder_without_a_known_birth_date_is_not_counted():
    assert _risks(_facts(_member("王老汉", "head", birth=None),
                         _member("王小五", "child", birth=date(1995, 1, 1), disabled=True))) == {}


# --- 大额医疗支出 --------------------------------------------------------------------------------


def test_medical_spending_is_summed_across_the_bills_of_the_look_back_period():
    events = (_medical(date(2025, 9, 1), "12000"), _medical(date(2026, 3, 1), "8000.50"))
    risks = _risks(_facts(events=events))
    assert risks == {RiskReason.MEDICAL_SPENDING:
                     "近 365 天医疗自付 20,000.50 元（2 笔），达到大额医疗支出标准 20,000.00 元。"}


def test_medical_spending_equal_to_the_threshold_is_flagged():
    assert RiskReason.MEDICAL_SPENDING in _risks(_facts(events=(_medical(date(2026, 1, 1), "20000"),)))


def test_medical_spending_under_the_threshold_is_not_flagged():
    assert _risks(_facts(events=(_medical(date(2026, 1, 1), "19999.99"),))) == {}


def test_a_bill_from_before_the_look_back_period_is_not_counted():
    events = (_medical(SINCE - timedelta(days=1), "15000"), _medical(date(2026, 1, 1), "10000"))
    assert _risks(_facts(events=events)) == {}


def test_a_bill_on_the_first_day_of_the_look_back_period_is_counted():
    events = (_medical(SINCE, "15000"), _medical(date(2026, 1, 1), "10000"))
    assert "25,000.00 元（2 笔）" in _risks(_facts(events=events))[RiskReason.MEDICAL_SPENDING]


def test_a_bill_dated_after_the_day_is_not_counted():
    assert _risks(_facts(events=(_medical(ON + timedelta(days=1), "50000"),))) == {}


def test_an_illness_or_a_death_is_not_medical_spending():
    events = (WatchEvent(EventKind.SERIOUS_ILLNESS, date(2026, 1, 1), Decimal(50000)),)
    assert RiskReason.MEDICAL_SPENDING not in _risks(_facts(events=events))


# --- 退出低保 -----------------------------------------------------------------------------------


def test_a_household_that_left_dibao_in_the_look_back_period_is_flagged_with_who_and_when():
    facts = _facts(_member("李四", dibao_ended_on=date(2026, 2, 1)), _member("李小四", "child"))
    assert _risks(facts) == {RiskReason.LOST_DIBAO: "家中户主于 2026年2月1日 退出低保，家中已无人享受低保。"}


def test_leaving_dibao_while_another_member_is_still_in_it_is_not_flagged():
    facts = _facts(_member("李四", dibao_ended_on=date(2026, 2, 1)), _member("李小四", "child", in_dibao=True))
    assert _risks(facts) == {}


def test_leaving_dibao_before_the_look_back_period_is_not_flagged():
    assert _risks(_facts(_member("李四", dibao_ended_on=SINCE - timedelta(days=1)))) == {}


def test_two_members_who_left_dibao_are_both_listed_with_the_last_day():
    facts = _facts(_member("李四", dibao_ended_on=date(2026, 1, 1)),
                   _member("李小四", "child", dibao_ended_on=date(2026, 3, 1)))
    assert _risks(facts)[RiskReason.LOST_DIBAO] == "家中户主、子女于 2026年3月1日 退出低保，家中已无人享受低保。"


# --- 家庭成员死亡或重病 ---------------------------------------------------------------------------


def test_a_registered_members_death_in_the_look_back_period_is_flagged_with_relation_and_day():
    facts = _facts(_member("王五", died_on=date(2026, 3, 1)), _member("王秀英", "spouse"))
    assert _risks(facts) == {RiskReason.DEATH_OR_ILLNESS: "近 365 天：户主于 2026年3月1日 去世。"}


def test_a_death_before_the_look_back_period_is_not_flagged():
    assert _risks(_facts(_member("王五", died_on=SINCE - timedelta(days=1)))) == {}


def test_a_relatives_death_counts_only_when_recorded_as_a_household_event():
    # A relative who is not on the register has no death on record: the household's life shows it as an event.
    relative = _member("王秀英", "spouse")
    assert _risks(_facts(_member("王五"), relative)) == {}
    recorded = _facts(_member("王五"), relative, events=(WatchEvent(EventKind.DEATH, date(2026, 4, 2)),))
    assert _risks(recorded) == {RiskReason.DEATH_OR_ILLNESS: "近 365 天：2026年4月2日 家庭成员死亡。"}


def test_a_death_and_an_illness_are_listed_together_in_order():
    facts = _facts(_member("王五", died_on=date(2026, 3, 1)), _member("王秀英", "spouse"), events=(
        WatchEvent(EventKind.SERIOUS_ILLNESS, date(2026, 5, 1)), WatchEvent(EventKind.SERIOUS_ILLNESS, date(2026, 1, 9))))
    assert _risks(facts)[RiskReason.DEATH_OR_ILLNESS] == (
        "近 365 天：户主于 2026年3月1日 去世；2026年1月9日 重大疾病；2026年5月1日 重大疾病。")


def test_an_illness_before_the_look_back_period_is_not_flagged():
    events = (WatchEvent(EventKind.SERIOUS_ILLNESS, SINCE - timedelta(days=1)),)
    assert _risks(_facts(events=events)) == {}


# --- all of them together -------------------------------------------------------------------------


def test_a_household_with_every_risk_has_all_seven_in_the_order_of_the_list():
    facts = _facts(
        _member("王老汉", "head", birth=date(1950, 1, 1), dibao_ended_on=date(2026, 1, 1)),
        _member("王五", "child", birth=date(1980, 1, 1), disabled=True, severe=True),
        _member("王六", "child", birth=date(1984, 1, 1), disabled=True),
        _member("王老太", "spouse", birth=date(1952, 1, 1), died_on=date(2026, 2, 2)),
        income=Decimal(4200), events=(_medical(date(2026, 2, 1), "26000"),))
    reasons = [risk.reason for risk in relapse_risks(facts, on=ON, params=PARAMS)]
    assert reasons == [RiskReason.LOW_INCOME, RiskReason.SEVERE_NO_WORK, RiskReason.SEVERAL_DISABLED,
                       RiskReason.AGED_CARER, RiskReason.MEDICAL_SPENDING, RiskReason.LOST_DIBAO,
                       RiskReason.DEATH_OR_ILLNESS]


@pytest.mark.parametrize("lookback", [30, 365, 730])
def test_the_look_back_period_is_the_parameter(lookback):
    params = WatchParams(income_line=PARAMS.income_line, medical_threshold=PARAMS.medical_threshold,
                         lookback_days=lookback, elder_parent_age=PARAMS.elder_parent_age)
    death = ON - timedelta(days=100)
    flagged = RiskReason.DEATH_OR_ILLNESS in _risks(_facts(_member("王五", died_on=death)), params=params)
    assert flagged == (lookback >= 100)
