"""Area-scoped reads: survey progress (入户调查进度), coverage (康复服务率), coordinators (康复协调员), the children's
worklist (残疾儿童康复救助) and the needs worklist."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from canlian.parameters.models import Parameter
from canlian.registry.choices import Category
from canlian.registry.services import person_change_life_status
from canlian.registry.tests.factories import make_certificate, make_person
from canlian.services import selectors, services
from canlian.services.choices import NeedKind, NeedState, ServiceKind, ServiceOutcome
from canlian.services.models import Need, RehabCoordinator
from canlian.services.tests.factories import answered_visit, make_screening

ON = date(2025, 6, 1)


def _person(officer, area, name: str, sequence: int, *, birth: date = date(1980, 1, 1), certified: bool = True,
            category: int = Category.PHYSICAL, grade: int = 2):
    person = make_person(by=officer, area=area, name=name, birth=birth, sequence=sequence)
    if certified:
        make_certificate(person=person, by=officer, category=category, grade=grade)
    return person


def _completed_visit(person, by, *, on: date = ON) -> None:
    services.survey_visit_complete(visit=answered_visit(person, by, on=on), by=by)


def _need(person, by, kind: str = NeedKind.REHABILITATION, *, on: date = date(2025, 3, 1)) -> Need:
    return services.need_open(person=person, by=by, kind=kind, source=Need.Source.OFFICER, on=on)


def _service(person, by, kind: str = ServiceKind.REHABILITATION, subtype: str = "training", *,
             started_on: date | None = date(2025, 4, 1), **values):
    return services.service_record_add(person=person, by=by, kind=kind, subtype=subtype, started_on=started_on,
                                       **values)


# ---- Survey progress: visited / due this year ---------------------------------------------------------------

@pytest.fixture
def survey_year(officer, areas):
    """北疆: 张 visited, 李 started but not finished, 王 without a card, 陈 deceased; 东城: 赵 not visited."""
    beijiang, dongcheng = areas["beijiang"], areas["dongcheng"]
    people = {
        "zhang": _person(officer, beijiang, "张三丰", 11),
        "li": _person(officer, beijiang, "李四", 13),
        "wang": _person(officer, beijiang, "王五", 15, certified=False),
        "chen": _person(officer, beijiang, "陈六", 17),
        "zhao": _person(officer, dongcheng, "赵七", 19),
    }
    _completed_visit(people["zhang"], officer)
    services.survey_visit_start(person=people["li"], by=officer, visited_on=ON)
    person_change_life_status(person=people["chen"], by=officer, status="deceased", since=date(2025, 2, 1),
                              reason="死亡证明")
    return people


def test_survey_progress_counts_visited_over_due_per_area(officer, survey_year):
    assert selectors.survey_progress(user=officer, on=ON) == [
        {"area": "北疆社区", "due": 2, "visited": 1, "percent": Decimal("50.0")},
        {"area": "东城社区", "due": 1, "visited": 0, "percent": Decimal("0.0")},
    ]


def test_a_community_officer_sees_only_their_communitys_progress(beijiang_officer, survey_year):
    assert [row["area"] for row in selectors.survey_progress(user=beijiang_officer, on=ON)] == ["北疆社区"]


def test_last_years_visit_does_not_count_this_year(officer, survey_year):
    _completed_visit(survey_year["zhao"], officer, on=date(2024, 6, 1))
    rows = {row["area"]: row for row in selectors.survey_progress(user=officer, on=ON)}
    assert rows["东城社区"]["visited"] == 0
    assert {row["area"]: row["visited"] for row in selectors.survey_progress(user=officer, on=date(2024, 12, 31))} \
        == {"北疆社区": 0, "东城社区": 1}


def test_persons_not_yet_visited_this_year_with_whether_a_visit_was_started(officer, beijiang_officer, survey_year):
    not_visited = selectors.survey_not_visited(user=officer, on=ON)
    assert [(person.name, person.started) for person in not_visited] == [("李四", True), ("赵七", False)]
    assert [person.name for person in selectors.survey_not_visited(user=beijiang_officer, on=ON)] == ["李四"]


def test_completing_the_visit_takes_the_person_off_the_not_visited_list(officer, survey_year):
    _completed_visit(survey_year["li"], officer)
    assert [person.name for person in selectors.survey_not_visited(user=officer, on=ON)] == ["赵七"]


# ---- Coverage: of those needing rehabilitation, how many were served -----------------------------------------

def test_rehabilitation_coverage_counts_served_over_needing_per_area(officer, areas):
    beijiang, dongcheng = areas["beijiang"], areas["dongcheng"]
    served = _person(officer, beijiang, "张三丰", 11)
    _need(served, officer)
    _service(served, officer)
    waiting = _person(officer, beijiang, "李四", 13)
    _need(waiting, officer)
    unasked = _person(officer, beijiang, "王五", 15)
    _service(unasked, officer)  # served without a recorded need: in neither count
    referred = _person(officer, beijiang, "陈六", 17)
    _service(referred, officer, need=_need(referred, officer), started_on=None, referred_on=date(2025, 4, 1))
    child = _person(officer, dongcheng, "赵小明", 19, birth=date(2016, 1, 1), category=Category.HEARING)
    _need(child, officer, NeedKind.CHILD_REHABILITATION)
    _service(child, officer, ServiceKind.CHILD_REHABILITATION, started_on=date(2025, 5, 1))
    coverage = selectors.coverage_by_area(user=officer, what="rehabilitation", year=2025)
    assert [(row.area, row.needing, row.served, row.percent) for row in coverage] == [
        ("北疆社区", 3, 1, Decimal("33.3")),  # a referral not yet started is not a service
        ("东城社区", 1, 1, Decimal("100.0")),  # children's rehabilitation counts as rehabilitation
    ]


def test_coverage_is_of_the_year_a_need_closed_last_year_or_served_last_year_does_not_count(officer, areas):
    person = _person(officer, areas["beijiang"], "张三丰", 11)
    old = _need(person, officer, on=date(2024, 2, 1))
    _service(person, officer, need=old, started_on=date(2024, 3, 1), ended_on=date(2024, 6, 30),
             outcome=ServiceOutcome.COMPLETED)
    assert selectors.coverage_by_area(user=officer, what="rehabilitation", year=2025) == []
    [row] = selectors.coverage_by_area(user=officer, what="rehabilitation", year=2024)
    assert (row.needing, row.served) == (1, 1)
    _need(person, officer, on=date(2025, 3, 1))  # found again this year, not yet served
    [row] = selectors.coverage_by_area(user=officer, what="rehabilitation", year=2025)
    assert (row.needing, row.served) == (1, 0)


def test_device_coverage_counts_only_device_needs_and_fittings(officer, areas):
    person = _person(officer, areas["beijiang"], "张三丰", 11)
    _need(person, officer)
    _service(person, officer)
    assert selectors.coverage_by_area(user=officer, what="assistive_device", year=2025) == []
    _need(person, officer, NeedKind.ASSISTIVE_DEVICE)
    [row] = selectors.coverage_by_area(user=officer, what="assistive_device", year=2025)
    assert (row.needing, row.served, row.percent) == (1, 0, Decimal("0.0"))


def test_coverage_is_area_scoped(officer, beijiang_officer, areas):
    person = _person(officer, areas["dongcheng"], "赵七", 19)
    _need(person, officer)
    assert selectors.coverage_by_area(user=beijiang_officer, what="rehabilitation", year=2025) == []
    assert len(selectors.coverage_by_area(user=officer, what="rehabilitation", year=2025)) == 1


# ---- Coordinators: persons per coordinator against the band -------------------------------------------------

@pytest.fixture
def small_band(db):
    """A band of 2–3 persons per coordinator, so a handful of persons shows every status (80–150 by default)."""
    for key, value in (("services.coordinator_min_persons", 2), ("services.coordinator_max_persons", 3)):
        Parameter.objects.create(key=key, value=Decimal(value), effective_from=date(2025, 1, 1), source="测试")


def _coordinator(area, name: str, *, assigned_on: date = date(2024, 1, 1), ended_on: date | None = None):
    return RehabCoordinator.objects.create(area=area, name=name, assigned_on=assigned_on, ended_on=ended_on)


def test_coordinators_by_area_shows_each_area_against_the_band(officer, beijiang_officer, areas, small_band):
    beijiang, dongcheng, gacha = areas["beijiang"], areas["dongcheng"], areas["gacha"]
    for sequence, name in ((11, "张三丰"), (13, "李四")):
        _person(officer, beijiang, name, sequence)
    gone = _person(officer, beijiang, "陈六", 15)
    person_change_life_status(person=gone, by=officer, status="deceased", since=date(2025, 2, 1), reason="死亡证明")
    _coordinator(beijiang, "北疆协调员")
    _coordinator(beijiang, "已卸任协调员", ended_on=date(2024, 12, 31))
    _coordinator(beijiang, "尚未到任协调员", assigned_on=date(2025, 7, 1))
    for sequence, name in ((21, "赵一"), (23, "赵二"), (25, "赵三"), (27, "赵四")):
        _person(officer, dongcheng, name, sequence)
    _coordinator(dongcheng, "东城协调员")
    _person(officer, gacha, "嘎查居民", 29)
    rows = selectors.coordinators_by_area(user=officer, on=ON)
    assert [(row["area"].name, row["persons"], row["coordinators"], row["per"], row["status"]) for row in rows] == [
        ("北疆社区", 2, 1, 2, "ok"),
        ("东城社区", 4, 1, 4, "high"),
        ("第一嘎查", 1, 0, None, "none"),
    ]
    _coordinator(beijiang, "第二位协调员")
    [row] = selectors.coordinators_by_area(user=beijiang_officer, on=ON)
    assert (row["area"].name, row["coordinators"], row["per"], row["status"]) == ("北疆社区", 2, 1, "low")


def test_the_default_band_is_80_to_150(officer, areas):
    _person(officer, areas["beijiang"], "张三丰", 11)
    _coordinator(areas["beijiang"], "北疆协调员")
    [row] = selectors.coordinators_by_area(user=officer, on=ON)
    assert row["status"] == "low"  # 1 person for one coordinator is under 80


# ---- Children's rehabilitation: screened or certified children without a case ---------------------------------

@pytest.fixture
def children(officer, areas):
    beijiang = areas["beijiang"]
    screened = _person(officer, beijiang, "赵小宝", 31, birth=date(2022, 8, 1), certified=False)
    make_screening(screened, by=officer, area=beijiang)
    return {
        "certified": _person(officer, beijiang, "李小明", 33, birth=date(2015, 3, 1), category=Category.MENTAL),
        "screened": screened,
        "fourteen": _person(officer, beijiang, "王十四", 35, birth=date(2010, 6, 2), category=Category.HEARING),
        "fifteen": _person(officer, beijiang, "王十五", 37, birth=date(2010, 6, 1), category=Category.HEARING),
        "unknown": _person(officer, beijiang, "刘小华", 39, birth=date(2018, 1, 1), certified=False),
        "other_area": _person(officer, areas["dongcheng"], "东城小朋友", 41, birth=date(2016, 1, 1)),
    }


def _names(people) -> list[str]:
    return [person.name for person in people]


def test_children_without_case_lists_screened_then_certified_children_up_to_fourteen(beijiang_officer, children):
    found = selectors.children_without_case(user=beijiang_officer, on=ON)
    # Screened children first, then the oldest; 15 is past the age, and a child neither screened nor certified is
    # not known to need anything.
    assert _names(found) == ["赵小宝", "王十四", "李小明"]
    assert [child.screened for child in found] == [True, False, False]


def test_opening_a_child_rehabilitation_need_takes_the_child_off_the_worklist(beijiang_officer, children):
    _need(children["screened"], beijiang_officer, NeedKind.CHILD_REHABILITATION)
    assert _names(selectors.children_without_case(user=beijiang_officer, on=ON)) == ["王十四", "李小明"]


def test_a_childs_survey_finding_a_rehabilitation_need_opens_the_case(beijiang_officer, children):
    visit = answered_visit(children["certified"], beijiang_officer, on=ON,
                           rehabilitation={"need": "yes", "receives": "no"})
    services.survey_visit_complete(visit=visit, by=beijiang_officer)
    assert "李小明" not in _names(selectors.children_without_case(user=beijiang_officer, on=ON))


def test_a_childs_rehabilitation_service_this_year_takes_the_child_off_the_worklist(beijiang_officer, areas,
                                                                                   children):
    _service(children["fourteen"], beijiang_officer, ServiceKind.CHILD_REHABILITATION, started_on=date(2025, 2, 1))
    assert _names(selectors.children_without_case(user=beijiang_officer, on=ON)) == ["赵小宝", "李小明"]


def test_a_closed_need_puts_the_child_back_on_the_worklist(beijiang_officer, children):
    need = _need(children["certified"], beijiang_officer, NeedKind.CHILD_REHABILITATION)
    services.need_close(need=need, by=beijiang_officer, note="家长暂不需要", on=date(2025, 4, 1))
    assert "李小明" in _names(selectors.children_without_case(user=beijiang_officer, on=ON))


def test_the_children_worklist_is_area_scoped(officer, beijiang_officer, children):
    assert "东城小朋友" not in _names(selectors.children_without_case(user=beijiang_officer, on=ON))
    assert "东城小朋友" in _names(selectors.children_without_case(user=officer, on=ON))


# ---- The needs worklist -------------------------------------------------------------------------------------

@pytest.fixture
def needs_both_communities(officer, areas):
    zhang = _person(officer, areas["beijiang"], "张三丰", 11)
    zhao = _person(officer, areas["dongcheng"], "赵七", 19)
    return {"zhang": _need(zhang, officer), "zhang_device": _need(zhang, officer, NeedKind.ASSISTIVE_DEVICE,
                                                                  on=date(2025, 1, 10)),
            "zhao": _need(zhao, officer)}


def test_a_community_officer_sees_only_their_communitys_live_needs(beijiang_officer, dongcheng_officer, officer,
                                                                   needs_both_communities):
    assert {need.person.name for need in selectors.needs_live(user=beijiang_officer)} == {"张三丰"}
    assert {need.person.name for need in selectors.needs_live(user=dongcheng_officer)} == {"赵七"}
    assert selectors.needs_live(user=officer).count() == 3


def test_another_communitys_need_is_not_found(dongcheng_officer, needs_both_communities):
    with pytest.raises(Http404):
        selectors.need_get(user=dongcheng_officer, pk=needs_both_communities["zhang"].pk)
    with pytest.raises(Http404):
        selectors.need_get(user=dongcheng_officer, pk="not-a-number")
    assert selectors.need_get(user=dongcheng_officer, pk=needs_both_communities["zhao"].pk).person.name == "赵七"


def test_live_needs_are_open_first_then_referred_each_by_due_date_and_can_be_filtered(
        beijiang_officer, needs_both_communities):
    zhang = needs_both_communities["zhang"].person
    _service(zhang, beijiang_officer, need=needs_both_communities["zhang_device"], kind=ServiceKind.ASSISTIVE_DEVICE,
             subtype="repair", started_on=None, referred_on=date(2025, 2, 1))
    live = list(selectors.needs_live(user=beijiang_officer))
    assert [(need.kind, need.state) for need in live] == [
        (NeedKind.REHABILITATION, NeedState.OPEN), (NeedKind.ASSISTIVE_DEVICE, NeedState.REFERRED)]
    assert [need.kind for need in selectors.needs_live(user=beijiang_officer, kind=NeedKind.ASSISTIVE_DEVICE)] == [
        NeedKind.ASSISTIVE_DEVICE]
    # An unknown kind in the query string shows everything rather than failing.
    assert selectors.needs_live(user=beijiang_officer, kind="nonsense").count() == 2


def test_met_and_closed_needs_leave_the_live_list(beijiang_officer, needs_both_communities):
    zhang_need, device_need = needs_both_communities["zhang"], needs_both_communities["zhang_device"]
    _service(zhang_need.person, beijiang_officer, need=zhang_need, started_on=date(2025, 3, 5),
             ended_on=date(2025, 5, 5), outcome=ServiceOutcome.COMPLETED)
    services.need_close(need=device_need, by=beijiang_officer, note="已自行购买")
    assert not selectors.needs_live(user=beijiang_officer).exists()


def test_needs_without_service_are_the_open_needs_no_service_answers(beijiang_officer, needs_both_communities):
    zhang_need = needs_both_communities["zhang"]
    assert {need.pk for need in selectors.needs_without_service(user=beijiang_officer)} == {
        zhang_need.pk, needs_both_communities["zhang_device"].pk}
    _service(zhang_need.person, beijiang_officer, need=zhang_need, started_on=None, referred_on=date(2025, 3, 5))
    assert [need.pk for need in selectors.needs_without_service(user=beijiang_officer)] == [
        needs_both_communities["zhang_device"].pk]
