"""Reading rights cases: only the user's areas (another area's case is not found), the worklist with escalated cases
first, finding a case by its reference, who may handle a case, and the statistics the annual report quotes."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from canlian.registry.tests.factories import make_user
from canlian.rights import selectors, services
from canlian.rights.rules import CaseKind, CaseSource, CaseState, Satisfaction
from canlian.rights.tests.factories import closed, make_partner, open_case

TODAY = timezone.localdate()


@pytest.fixture
def three_areas(officer, areas):
    """One case each in 北疆社区, 东城社区 and 第一嘎查 (under the sumu)."""
    return {name: open_case(by=officer, area=areas[name], caller_name=caller)
            for name, caller in (("beijiang", "王秀兰"), ("dongcheng", "李志强"), ("gacha", "乌兰图雅"))}


# ---- Scope ------------------------------------------------------------------------------------------------------

def test_a_community_officer_sees_only_their_communitys_cases(beijiang_officer, three_areas):
    assert list(selectors.cases(user=beijiang_officer)) == [three_areas["beijiang"]]
    assert list(selectors.cases_open(user=beijiang_officer)) == [three_areas["beijiang"]]


def test_a_city_officer_sees_every_community_and_gacha(officer, three_areas):
    assert set(selectors.cases(user=officer)) == set(three_areas.values())


def test_another_communitys_case_is_not_found(beijiang_officer, three_areas):
    assert selectors.case_get(user=beijiang_officer, pk=three_areas["beijiang"].pk) == three_areas["beijiang"]
    for other in (three_areas["dongcheng"], three_areas["gacha"]):
        with pytest.raises(Http404):
            selectors.case_get(user=beijiang_officer, pk=other.pk)


@pytest.mark.parametrize("pk", ["abc", "-1", "1.0", 999999])
def test_a_case_number_that_is_no_case_is_not_found(officer, three_areas, pk):
    with pytest.raises(Http404):
        selectors.case_get(user=officer, pk=pk)


def test_an_officer_without_areas_sees_no_case(three_areas):
    assert not selectors.cases(user=make_user("newcomer", "community_officer", [])).exists()


# ---- The worklist -----------------------------------------------------------------------------------------------

def test_the_worklist_shows_escalated_cases_first_then_by_deadline_and_no_closed_ones(officer, areas):
    escalated = open_case(by=officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION,
                          received_on=date(2025, 9, 1), caller_name="王秀兰")  # due 09-04
    services.cases_sweep(on=date(2025, 9, 5))
    late = open_case(by=officer, area=areas["beijiang"], received_on=date(2025, 8, 1), caller_name="李志强")
    fresh = open_case(by=officer, area=areas["dongcheng"], received_on=TODAY, caller_name="张桂英")
    earlier_fresh = open_case(by=officer, area=areas["dongcheng"], kind=CaseKind.CONSULTATION, received_on=TODAY,
                              caller_name="刘海")
    closed(open_case(by=officer, area=areas["beijiang"], received_on=date(2025, 1, 2)), by=officer)
    assert late.due_on < escalated.due_on and earlier_fresh.due_on < fresh.due_on
    assert list(selectors.cases_open(user=officer)) == [escalated, late, earlier_fresh, fresh]


def test_the_worklist_can_show_one_state(officer, beijiang_officer, areas):
    waiting = open_case(by=officer, area=areas["beijiang"])
    handled = services.case_assign(case=open_case(by=officer, area=areas["beijiang"]), by=officer,
                                   officer=beijiang_officer)
    assert list(selectors.cases_open(user=officer, state=CaseState.RECEIVED)) == [waiting]
    assert list(selectors.cases_open(user=officer, state=CaseState.ASSIGNED)) == [handled]
    assert set(selectors.cases_open(user=officer, state="nonsense")) == {waiting, handled}


# ---- Finding a case by its reference (受理编号) -----------------------------------------------------------------

def test_a_case_is_found_by_its_reference_even_when_closed(officer, areas, three_areas):
    done = closed(open_case(by=officer, area=areas["beijiang"]), by=officer)
    assert done.reference == f"WQ20250930{done.pk:06d}"
    assert list(selectors.cases_open(user=officer, query=done.reference)) == [done]


def _full_width(text: str) -> str:
    """As a Chinese input method types it: ＷＱ２０２５…"""
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


@pytest.mark.parametrize("typing", ["lower case", "spaces", "full width"])
def test_a_reference_typed_in_lower_case_with_spaces_or_full_width_is_found(officer, three_areas, typing):
    case = three_areas["dongcheng"]
    reference = case.reference
    typed = {"lower case": reference.lower(), "spaces": f" {reference[:10]} {reference[10:]} ",
             "full width": _full_width(reference)}[typing]
    assert list(selectors.cases_open(user=officer, query=typed)) == [case]


def test_a_reference_with_another_day_finds_nothing(officer, three_areas):
    case = three_areas["beijiang"]
    assert not selectors.cases_open(user=officer, query=f"WQ20250929{case.pk:06d}").exists()
    assert not selectors.cases_open(user=officer, query=f"WQ20251399{case.pk:06d}").exists()


@pytest.mark.parametrize("query", ["王秀兰", "WQ2025", "13904791234", "WQ20250930ABCDEF"])
def test_a_search_that_is_not_a_reference_finds_nothing_rather_than_everything(officer, three_areas, query):
    assert not selectors.cases_open(user=officer, query=query).exists()


def test_another_communitys_reference_finds_nothing(beijiang_officer, three_areas):
    assert not selectors.cases_open(user=beijiang_officer, query=three_areas["dongcheng"].reference).exists()


# ---- Who may handle a case --------------------------------------------------------------------------------------

def test_a_case_is_handled_by_officers_whose_areas_cover_it(officer, beijiang_officer, dongcheng_officer, leader,
                                                             three_areas):
    assert list(selectors.case_handlers(three_areas["beijiang"])) == [beijiang_officer, officer]
    assert list(selectors.case_handlers(three_areas["dongcheng"])) == [dongcheng_officer, officer]
    assert list(selectors.case_handlers(three_areas["gacha"])) == [officer]


def test_a_sumu_officer_handles_the_gachas_cases_and_an_officer_who_left_none(officer, areas, three_areas):
    sumu = make_user("sumu", "community_officer", [areas["sumu"]])
    gone = make_user("gone", "community_officer", [areas["gacha"]])
    gone.is_active = False
    gone.save()
    assert list(selectors.case_handlers(three_areas["gacha"])) == [officer, sumu]


def test_only_partners_taking_cases_are_offered(db):
    taking = make_partner()
    make_partner("二连浩特市公安局", "police", active=False)
    assert list(selectors.partners_active()) == [taking]


# ---- Statistics (案件统计) ----------------------------------------------------------------------------------------

@pytest.fixture
def year_2025(officer, areas):
    """Five cases received in 2025 and one the day before it began.

    北疆: a complaint closed on time (满意), a consultation closed late (基本满意);
    东城: two help requests closed on time (不满意; 未能回访);
    第一嘎查: a legal-aid case still open past its deadline.
    """
    beijiang, dongcheng, gacha = areas["beijiang"], areas["dongcheng"], areas["gacha"]
    closed(open_case(by=officer, area=beijiang, received_on=date(2025, 3, 3)), by=officer)
    late = open_case(by=officer, area=beijiang, kind=CaseKind.CONSULTATION, source=CaseSource.HOTLINE_12345,
                     received_on=date(2025, 3, 4))  # due 03-07
    closed(late, by=officer, replied_on=date(2025, 3, 10), satisfaction=Satisfaction.FAIRLY)
    for day, answer in ((date(2025, 4, 1), Satisfaction.DISSATISFIED), (date(2025, 4, 2), Satisfaction.UNREACHED)):
        closed(open_case(by=officer, area=dongcheng, kind=CaseKind.HELP, source=CaseSource.VISIT, received_on=day),
               by=officer, satisfaction=answer)
    open_case(by=officer, area=gacha, kind=CaseKind.LEGAL_AID, source=CaseSource.LETTER, received_on=date(2025, 5, 6))
    closed(open_case(by=officer, area=beijiang, received_on=date(2024, 12, 31)), by=officer)


def _statistics(user, *, year: int = 2025, under=None):
    return selectors.case_statistics(cases=selectors.cases(user=user), start=date(year, 1, 1),
                                     end=date(year, 12, 31), today=TODAY, under=under)


def _labelled(rows) -> list[tuple[str, int]]:
    return [(str(label), n) for label, n in rows]


def test_the_years_cases_are_counted_by_kind_source_and_area(officer, areas, year_2025):
    stats = _statistics(officer)
    assert (stats.received, stats.closed, stats.closed_on_time, stats.open_late) == (5, 4, 3, 1)
    assert _labelled(stats.by_kind) == [("咨询", 1), ("求助", 2), ("投诉", 1), ("法律援助", 1)]
    assert _labelled(stats.by_source) == [("12345 政务服务热线", 1), ("12385 残疾人服务热线", 1), ("来访", 2),
                                          ("来信", 1)]
    assert stats.by_area == [(areas["beijiang"], 2), (areas["dongcheng"], 2), (areas["sumu"], 1)]


def test_the_on_time_rate_is_of_the_cases_closed(officer, year_2025):
    assert _statistics(officer).on_time_rate == Decimal("75.00")  # 3 of 4 closed by their deadline


def test_the_satisfaction_rate_leaves_out_those_who_could_not_be_reached(officer, year_2025):
    stats = _statistics(officer)
    assert _labelled(stats.satisfaction_labels) == [("满意", 1), ("基本满意", 1), ("不满意", 1), ("未能回访", 1)]
    assert stats.satisfaction_rate == Decimal("66.67")  # 2 of the 3 reached


def test_a_community_officers_statistics_are_their_communitys(beijiang_officer, areas, year_2025):
    stats = _statistics(beijiang_officer)
    assert (stats.received, stats.closed, stats.on_time_rate, stats.satisfaction_rate) == (
        2, 2, Decimal("50.00"), Decimal("100.00"))
    assert stats.by_area == [(areas["beijiang"], 2)]


def test_the_annual_report_counts_the_cases_under_an_area_by_the_areas_below_it(officer, areas, year_2025):
    stats = _statistics(officer, under=areas["sumu"])
    assert (stats.received, stats.open_late) == (1, 1)
    assert stats.by_area == [(areas["gacha"], 1)]


def test_a_case_of_the_city_itself_is_counted_in_the_city_row_so_the_areas_add_up(officer, areas, year_2025):
    open_case(by=officer, area=areas["city"], summary="反映公交车未开启语音报站。", received_on=date(2025, 6, 2))
    stats = _statistics(officer)
    assert stats.by_area == [(areas["city"], 1), (areas["beijiang"], 2), (areas["dongcheng"], 2), (areas["sumu"], 1)]
    assert sum(n for _area, n in stats.by_area) == stats.received == 6


def test_a_year_without_cases_has_no_rates(officer, year_2025):
    stats = _statistics(officer, year=2023)
    assert (stats.received, stats.on_time_rate, stats.satisfaction_rate, stats.by_area) == (0, None, None, [])


def test_no_satisfaction_rate_when_no_one_was_reached(officer, areas):
    closed(open_case(by=officer, area=areas["beijiang"]), by=officer, satisfaction=Satisfaction.UNREACHED)
    stats = _statistics(officer)
    assert (stats.closed, stats.satisfaction_rate) == (1, None)


def test_a_case_still_open_within_its_deadline_is_not_late(officer, areas):
    open_case(by=officer, area=areas["beijiang"], received_on=TODAY)
    stats = _statistics(officer, year=TODAY.year)
    assert (stats.received, stats.closed, stats.open_late, stats.on_time_rate) == (1, 0, 0, None)
