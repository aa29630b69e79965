"""The Erenhot volunteers demo: sixteen volunteers, requests in every state with one unanswered past its deadline,
hours and awards; thirty persons' emergency needs, most paired, some due to be confirmed again, some not yet paired.
The registry demo is loaded once for the module; the volunteers demo in each test, on top of it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from canlian.accounts.models import User
from canlian.common.tests.demo import rolled_back
from canlian.registry.demo import demo_load
from canlian.volunteers import rules, selectors
from canlian.volunteers.demo import demo_volunteers_load
from canlian.volunteers.models import Award, EmergencyProfile, Organisation, Pairing, Request, Service, Volunteer


@pytest.fixture(scope="module")
def registry(django_db_setup, django_db_blocker):
    """Load the registry demo once for the module."""
    with rolled_back(django_db_blocker):
        yield demo_load()


@pytest.fixture
def loaded(registry, db):
    return demo_volunteers_load()


@pytest.fixture
def city_officer(loaded):
    return User.objects.get(username="officer")


def _fingerprint() -> tuple:
    return (Organisation.objects.count(), Volunteer.objects.count(), Request.objects.count(),
            Service.objects.count(), Award.objects.count(), EmergencyProfile.objects.count(),
            Pairing.objects.count())


def test_the_demo_registers_sixteen_volunteers_and_thirty_emergency_profiles(loaded):
    assert (loaded["volunteers"], loaded["profiles"], loaded["requests"]) == (16, 30, 14)
    assert (Volunteer.objects.filter(active=True).count(), EmergencyProfile.objects.count()) == (16, 30)
    assert Organisation.objects.count() == 2


def test_loading_the_volunteers_demo_twice_changes_nothing(loaded):
    before = _fingerprint()
    assert demo_volunteers_load() == {"volunteers": 16, "profiles": 30}
    assert _fingerprint() == before


def test_a_request_waits_unanswered_past_its_deadline(city_officer):
    today = timezone.localdate()
    assert selectors.requests_unanswered(user=city_officer, on=today).exists()
    assert selectors.requests_live(user=city_officer).first().state == Request.State.OPEN  # at the top of the list


def test_requests_reach_every_state(loaded):
    assert set(Request.objects.values_list("state", flat=True)) == set(Request.State.values)
    assert Request.objects.filter(state=Request.State.DONE).count() == loaded["done"] > 0


def test_each_matched_volunteer_offers_the_help_asked_for_and_hours_fit_a_day(loaded):
    for request in Request.objects.filter(volunteer__isnull=False).select_related("volunteer"):
        assert request.kind in request.volunteer.skills
        assert request.match_reason
    for service in Service.objects.select_related("request"):
        assert 0 < service.hours <= 24 and service.served_on >= service.request.requested_on
        assert service.volunteer_id == service.request.volunteer_id


def test_volunteers_serve_in_the_city_and_its_communities_some_with_an_organisation(city_officer):
    assert selectors.volunteers(user=city_officer).count() == 16
    assert Volunteer.objects.filter(area__level="county").exists() and Volunteer.objects.filter(
        area__level="village").exists()
    assert Volunteer.objects.filter(organisation__isnull=False).exists()
    beijiang = User.objects.get(username="beijiang")
    seen = selectors.volunteers(user=beijiang)
    assert 0 < seen.count() < 16


def test_two_awards_are_given_and_none_is_dated_in_the_future(loaded):
    assert Award.objects.count() == 2
    assert not Award.objects.filter(awarded_on__gt=timezone.localdate()).exists()


def test_the_emergency_register_has_pairs_some_due_to_confirm_and_some_unpaired(city_officer):
    today = timezone.localdate()
    rows = selectors.emergency_list(user=city_officer, on=today)
    paired = [row for row in rows if row.pairing is not None]
    assert len(paired) == 24 and len(rows) - len(paired) == 6
    assert sum(row.confirm_overdue for row in paired) == 4
    assert selectors.emergency_unconfirmed(user=city_officer, on=today).count() == 10
    assert Pairing.objects.filter(helper_kind=Pairing.HelperKind.VOLUNTEER, volunteer__isnull=False).exists()
    assert rows[0].profile.needs[0] == rules.EmergencyNeed.POWER and rows[0].profile.note == "使用家用制氧机"
    assert [row.urgency.rank for row in rows] == sorted(row.urgency.rank for row in rows)


def test_severe_cardholders_not_yet_recorded_are_still_suggested(city_officer):
    assert selectors.emergency_suggested(user=city_officer, on=timezone.localdate()).count() > 200


def test_the_demo_loads_early_in_the_year_before_the_awards_days(registry, db, monkeypatch):
    # The awards are given on 5 March and 19 May; in January they are last year's, never in the future.
    january = date(timezone.localdate().year + 1, 1, 15)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: january)
    demo_volunteers_load()
    assert sorted(Award.objects.values_list("awarded_on", flat=True)) == [
        date(january.year - 1, 3, 5), date(january.year - 1, 5, 19)]
    assert not Request.objects.filter(requested_on__gt=january).exists()
    assert Request.objects.filter(state=Request.State.OPEN, due_on__lt=january).exists()
    assert Service.objects.filter(served_on__lte=january).count() == Service.objects.count() > 0
    assert min(Pairing.objects.values_list("started_on", flat=True)) == january - timedelta(days=400)
