"""Area-scoped reads: the volunteers an officer sees (their own areas' and those registered above), the suitable ones
for a request in the rule's order, requests unanswered past their deadline, and the emergency list by urgency with
pairings due to be confirmed again."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404

from canlian.parameters.models import Parameter
from canlian.registry.choices import Category
from canlian.registry.services import household_add_member, household_create, person_change_life_status
from canlian.registry.tests.factories import make_certificate, make_person
from canlian.volunteers import selectors, services
from canlian.volunteers.rules import RequestKind
from canlian.volunteers.tests.factories import (
    TODAY,
    log_service,
    make_matched,
    make_pairing,
    make_profile,
    make_request,
    make_resident,
    make_volunteer,
)


@pytest.fixture
def team(officer, areas):
    """One volunteer in each community, one in the sumu's gacha and one registered for the whole city."""
    return {
        "beijiang": make_volunteer(by=officer, area=areas["beijiang"], name="陈晨", phone="13947900001"),
        "dongcheng": make_volunteer(by=officer, area=areas["dongcheng"], name="高娃", phone="13947900002"),
        "gacha": make_volunteer(by=officer, area=areas["gacha"], name="朝鲁", phone="13947900003"),
        "city": make_volunteer(by=officer, area=areas["city"], name="刘洋", phone="13947900004"),
    }


def _names(rows) -> set[str]:
    return {volunteer.name for volunteer in rows}


# ---- Volunteers by scope -------------------------------------------------------------------------------------------

def test_a_community_officer_sees_their_communitys_and_the_city_level_volunteers_only(beijiang_officer, team):
    assert _names(selectors.volunteers(user=beijiang_officer)) == {"陈晨", "刘洋"}


def test_each_community_sees_its_own_volunteers_not_the_neighbours(dongcheng_officer, team):
    assert _names(selectors.volunteers(user=dongcheng_officer)) == {"高娃", "刘洋"}


def test_a_city_officer_sees_every_volunteer_in_the_city(officer, team):
    assert _names(selectors.volunteers(user=officer)) == {"陈晨", "高娃", "朝鲁", "刘洋"}


def test_a_resident_sees_no_volunteer(team):
    assert not selectors.volunteers(user=make_resident()).exists()


def test_another_communitys_volunteer_is_not_found(beijiang_officer, team):
    with pytest.raises(Http404):
        selectors.volunteer_get(user=beijiang_officer, pk=team["dongcheng"].pk)
    with pytest.raises(Http404):
        selectors.volunteer_get(user=beijiang_officer, pk="1 OR 1=1")
    assert selectors.volunteer_get(user=beijiang_officer, pk=team["city"].pk) == team["city"]


def test_hours_are_totalled_for_all_time_and_for_the_year_asked(officer, zhang, team):
    request = make_matched(person=zhang, by=officer, volunteer=team["beijiang"],
                           requested_on=date(TODAY.year - 1, 12, 1))
    log_service(request, by=officer, hours="2.5", served_on=date(TODAY.year - 1, 12, 20))
    log_service(request, by=officer, hours="3", served_on=date(TODAY.year, 1, 1))
    rows = {v.name: v for v in selectors.with_hours(selectors.volunteers(user=officer), year=TODAY.year)}
    assert (rows["陈晨"].total_hours, rows["陈晨"].year_hours) == (Decimal("5.5"), Decimal("3.0"))
    assert (rows["高娃"].total_hours, rows["高娃"].year_hours) == (0, 0)


def test_star_thresholds_are_the_parameters_in_force(db):
    assert selectors.star_thresholds(on=TODAY) == [100, 300, 600, 1000, 1500]
    Parameter.objects.create(key="volunteers.star1_hours", value=50, effective_from=TODAY)
    assert selectors.star_thresholds(on=TODAY)[0] == 50
    assert selectors.star_thresholds(on=TODAY - timedelta(days=1))[0] == 100


# ---- Candidates for a request (可对接的志愿者) ------------------------------------------------------------------------

def test_candidates_come_nearest_first_then_least_busy_with_the_reason(officer, areas, zhang, li, team):
    busy = make_volunteer(by=officer, area=areas["beijiang"], name="阿如娜", phone="13947900005")
    make_matched(person=li, by=officer, volunteer=busy)  # one request in hand elsewhere
    make_volunteer(by=officer, area=areas["beijiang"], name="郑磊", phone="13947900006",
                   skills=[RequestKind.TUTORING])  # offers no escort
    gone = make_volunteer(by=officer, area=areas["beijiang"], name="胡杨", phone="13947900007")
    services.volunteer_withdraw(volunteer=gone, by=officer, on=TODAY)
    request = make_request(person=zhang, by=officer)
    found = selectors.candidates(user=officer, request=request)
    assert [volunteer.name for volunteer, _candidate in found] == ["陈晨", "阿如娜", "高娃", "刘洋", "朝鲁"]
    assert [candidate.reason for _volunteer, candidate in found][:2] == [
        "同一社区（嘎查），可提供陪诊，手头 0 项服务", "同一社区（嘎查），可提供陪诊，手头 1 项服务"]


def test_a_community_officer_is_offered_only_the_volunteers_they_see(beijiang_officer, zhang, team):
    request = make_request(person=zhang, by=beijiang_officer)
    assert [v.name for v, _c in selectors.candidates(user=beijiang_officer, request=request)] == ["陈晨", "刘洋"]


def test_a_finished_request_no_longer_counts_as_in_hand(officer, areas, zhang, li, team):
    done = make_matched(person=li, by=officer, volunteer=team["beijiang"])
    log_service(done, by=officer, finished=True)
    request = make_request(person=zhang, by=officer)
    found = dict((v.name, c) for v, c in selectors.candidates(user=officer, request=request))
    assert found["陈晨"].rank == (0, 0)


# ---- Requests -------------------------------------------------------------------------------------------------------

def test_requests_unanswered_are_the_open_ones_past_their_deadline(officer, beijiang_officer, zhang, li, team):
    overdue = make_request(person=zhang, by=officer, requested_on=TODAY - timedelta(days=30))
    make_request(person=zhang, by=officer, requested_on=TODAY)  # within its deadline
    make_matched(person=zhang, by=officer, volunteer=team["beijiang"], requested_on=TODAY - timedelta(days=30))
    cancelled = make_request(person=zhang, by=officer, requested_on=TODAY - timedelta(days=30))
    services.request_cancel(request=cancelled, by=officer, reason="重复登记")
    elsewhere = make_request(person=li, by=officer, requested_on=TODAY - timedelta(days=30))
    assert list(selectors.requests_unanswered(user=beijiang_officer, on=TODAY)) == [overdue]
    assert set(selectors.requests_unanswered(user=officer, on=TODAY)) == {overdue, elsewhere}


def test_a_request_is_unanswered_only_after_its_deadline_day(officer, zhang):
    request = make_request(person=zhang, by=officer, requested_on=TODAY - timedelta(days=30))
    assert not selectors.requests_unanswered(user=officer, on=request.due_on).exists()
    assert selectors.requests_unanswered(user=officer, on=request.due_on + timedelta(days=1)).exists()


def test_the_worklist_puts_open_requests_first_the_most_overdue_at_the_top(officer, zhang, team):
    matched = make_matched(person=zhang, by=officer, volunteer=team["beijiang"],
                           requested_on=TODAY - timedelta(days=40))
    later = make_request(person=zhang, by=officer, requested_on=TODAY - timedelta(days=2))
    overdue = make_request(person=zhang, by=officer, requested_on=TODAY - timedelta(days=30))
    assert list(selectors.requests_live(user=officer)) == [overdue, later, matched]
    assert list(selectors.requests_live(user=officer, state="matched")) == [matched]
    assert list(selectors.requests_live(user=officer, state="bogus")) == [overdue, later, matched]


def test_another_communitys_request_is_not_found(beijiang_officer, dongcheng_officer, zhang):
    request = make_request(person=zhang, by=beijiang_officer)
    with pytest.raises(Http404):
        selectors.request_get(user=dongcheng_officer, pk=request.pk)
    assert not selectors.requests_live(user=dongcheng_officer).exists()
    assert selectors.request_get(user=beijiang_officer, pk=request.pk) == request


# ---- The emergency list (应急名单) -----------------------------------------------------------------------------------

@pytest.fixture
def wang(officer, areas):
    """王五 of 北疆社区, grade 1 physical: bedridden."""
    person = make_person(by=officer, area=areas["beijiang"], name="王五", birth=date(1950, 2, 1), sequence=17)
    make_certificate(person=person, by=officer, category=Category.PHYSICAL, grade=1)
    return person


@pytest.fixture
def zhao(officer, areas):
    """赵六 of 北疆社区, grade 2 mental."""
    person = make_person(by=officer, area=areas["beijiang"], name="赵六", birth=date(1990, 2, 1), sequence=19)
    make_certificate(person=person, by=officer, category=Category.MENTAL, grade=2)
    return person


def test_the_emergency_list_puts_the_most_urgent_first(officer, zhang, wang, zhao, li):
    make_profile(person=zhang, by=officer, needs=("mobility", "living_alone"))
    make_profile(person=wang, by=officer, needs=("bedridden",))
    make_profile(person=zhao, by=officer, needs=("mental",))
    make_profile(person=li, by=officer, needs=("power", "hearing"))
    rows = selectors.emergency_list(user=officer, on=TODAY)
    assert [row.person.name for row in rows] == ["李四", "王五", "张三丰", "赵六"]
    assert rows[0].urgency.text == "依赖电力维持的设备（呼吸机、制氧机等）；听力障碍，听不到警报和广播"


def test_the_emergency_list_is_the_officers_area_and_the_area_asked(officer, beijiang_officer, areas, zhang, li):
    make_profile(person=zhang, by=officer)
    make_profile(person=li, by=officer)
    assert [row.person for row in selectors.emergency_list(user=beijiang_officer, on=TODAY)] == [zhang]
    assert [row.person for row in selectors.emergency_list(user=officer, on=TODAY, under=areas["dongcheng"])] == [li]


def test_a_person_no_longer_on_the_register_leaves_the_emergency_list(officer, zhang, wang):
    make_profile(person=zhang, by=officer)
    make_profile(person=wang, by=officer)
    person_change_life_status(person=wang, by=officer, status="deceased", since=TODAY - timedelta(days=3),
                              reason="死亡证明")
    assert [row.person for row in selectors.emergency_list(user=officer, on=TODAY)] == [zhang]
    assert {row.person.name for row in selectors.emergency_list(user=officer, on=TODAY - timedelta(days=5))} == {
        "张三丰", "王五"}


def test_a_pairing_is_due_to_be_confirmed_again_after_the_confirm_days(officer, zhang, wang, zhao):
    for person in (zhang, wang, zhao):
        make_profile(person=person, by=officer)
    make_pairing(person=zhang, by=officer, started_on=TODAY - timedelta(days=180))  # exactly 180 days: still fine
    make_pairing(person=wang, by=officer, started_on=TODAY - timedelta(days=181), phone="15947900002")
    rows = {row.person.name: row for row in selectors.emergency_list(user=officer, on=TODAY)}
    assert (rows["张三丰"].confirm_overdue, rows["王五"].confirm_overdue) == (False, True)
    assert rows["赵六"].pairing is None and rows["赵六"].confirm_overdue  # no helper yet
    assert rows["张三丰"].pairing.helper_name == "王秀兰"


def test_the_confirm_period_follows_its_parameter(officer, zhang):
    make_profile(person=zhang, by=officer)
    make_pairing(person=zhang, by=officer, started_on=TODAY - timedelta(days=100))
    assert not selectors.emergency_list(user=officer, on=TODAY)[0].confirm_overdue
    Parameter.objects.create(key="emergency.confirm_days", value=90, effective_from=TODAY - timedelta(days=1))
    assert selectors.emergency_list(user=officer, on=TODAY)[0].confirm_overdue


def test_confirming_again_takes_a_person_off_the_list_to_visit(officer, beijiang_officer, zhang, wang, zhao, li):
    for person in (zhang, wang, zhao, li):
        make_profile(person=person, by=officer)
    make_pairing(person=zhang, by=officer, started_on=TODAY - timedelta(days=10))
    stale = make_pairing(person=wang, by=officer, started_on=TODAY - timedelta(days=300), phone="15947900002")
    make_pairing(person=li, by=officer, started_on=TODAY - timedelta(days=300), phone="15947900003")
    assert set(selectors.emergency_unconfirmed(user=beijiang_officer, on=TODAY)) == {wang, zhao}
    assert selectors.emergency_unconfirmed(user=officer, on=TODAY).count() == 3
    services.pairing_confirm(pairing=stale, by=beijiang_officer, on=TODAY)
    assert set(selectors.emergency_unconfirmed(user=beijiang_officer, on=TODAY)) == {zhao}


def test_an_ended_pairing_leaves_the_person_to_pair_again(officer, zhang):
    make_profile(person=zhang, by=officer)
    make_pairing(person=zhang, by=officer, started_on=TODAY - timedelta(days=10))
    assert not selectors.emergency_unconfirmed(user=officer, on=TODAY).exists()
    current = zhang.pairings.get()
    current.ended_on = TODAY
    current.save()
    assert list(selectors.emergency_unconfirmed(user=officer, on=TODAY)) == [zhang]


def test_grade_one_and_two_cardholders_without_needs_recorded_are_suggested(officer, beijiang_officer, areas, zhang,
                                                                            wang, zhao, li, bater):
    make_profile(person=zhao, by=officer)
    uncarded = make_person(by=officer, area=areas["beijiang"], name="钱七", sequence=21)
    mild = make_person(by=officer, area=areas["beijiang"], name="孙八", sequence=23)
    make_certificate(person=mild, by=officer, category=Category.PHYSICAL, grade=3)
    assert list(selectors.emergency_suggested(user=beijiang_officer, on=TODAY)) == [zhang, wang]
    suggested = set(selectors.emergency_suggested(user=officer, on=TODAY))
    assert suggested == {zhang, wang, li}  # 巴特尔 holds a grade 3 card
    assert uncarded not in suggested and mild not in suggested


def test_a_card_not_yet_issued_on_the_day_suggests_nothing(officer, zhang):
    assert not selectors.emergency_suggested(user=officer, on=date(2020, 4, 30)).exists()
    assert list(selectors.emergency_suggested(user=officer, on=date(2020, 5, 1))) == [zhang]


def test_the_register_tells_the_categories_severity_and_whether_the_person_lives_alone(officer, zhang, bater):
    assert selectors.emergency_facts(zhang, on=TODAY) == {"categories": [Category.PHYSICAL], "severe": True,
                                                          "living_alone": False}  # in no household on file
    household_create(by=officer, head=zhang)
    zhang.refresh_from_db()
    assert selectors.emergency_facts(zhang, on=TODAY)["living_alone"] is True
    household_create(by=officer, head=bater)
    household_add_member(household=bater.membership.household, by=officer, relation="spouse", name="其其格",
                         birth_date=date(1970, 5, 1))
    bater.refresh_from_db()
    assert selectors.emergency_facts(bater, on=TODAY) == {"categories": [Category.VISION], "severe": False,
                                                          "living_alone": False}


def test_pairings_are_listed_newest_first(officer, zhang):
    old = make_pairing(person=zhang, by=officer, started_on=TODAY - timedelta(days=100))
    new = make_pairing(person=zhang, by=officer, started_on=TODAY - timedelta(days=5), phone="15947900002")
    assert list(selectors.pairings_of(zhang)) == [new, old]


def test_another_communitys_person_has_no_emergency_page(dongcheng_officer, zhang):
    with pytest.raises(Http404):
        selectors.emergency_person_get(user=dongcheng_officer, pk=zhang.pk)

