"""On the Erenhot demo, the organisation reads as the demo says: an officer in 12 of the 13 communities and gachas
(the last gacha's officer moved away in the autumn), 2 disabled cadres of 12 (16.67%, the plan asks ≥ 15%); and
loading it again changes nothing. Loaded once for the module."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from canlian.accounts.models import User
from canlian.areas.models import Area
from canlian.common.tests.demo import rolled_back
from canlian.indicators.models import Snapshot
from canlian.indicators.services import indicators_compute
from canlian.organisation import selectors
from canlian.organisation.demo import demo_organisation_load
from canlian.organisation.models import Association, Facility, OfficerPost, StaffMember
from canlian.registry.demo import CITY, demo_load


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The registry demo, then the organisation's, once for the module."""
    with rolled_back(django_db_blocker):
        demo_load()
        yield demo_organisation_load()


@pytest.fixture
def loaded(demo, db):
    return demo


@pytest.fixture
def city_officer(loaded):
    return User.objects.get(username="officer")  # the demo's federation officer, covering the city


def _fingerprint() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values())
            for model in (OfficerPost, Association, Facility, StaffMember)}


def test_twelve_of_the_thirteen_communities_and_gachas_have_an_officer(loaded, city_officer):
    today = timezone.localdate()
    summary = selectors.summary(user=city_officer, on=today)
    assert (summary.villages, summary.posts_held, summary.coverage) == (13, 12, Decimal("92.31"))
    assert loaded == {"posts": 12, "villages": 13, "cadres": 12}
    vacant = [post.area.name for post in selectors.posts(user=city_officer, on=today) if post.holder is None]
    assert vacant == ["第五嘎查"]
    left = OfficerPost.objects.get(area__name="第五嘎查")
    assert left.ended_on < today and left.ended_on.month == 9 and left.end_reason == "迁居外地"


def test_two_of_the_twelve_cadres_are_disabled_by_their_own_valid_card(loaded, city_officer):
    today = timezone.localdate()
    summary = selectors.summary(user=city_officer, on=today)
    assert (summary.cadres, summary.disabled_cadres, summary.disabled_share) == (12, 2, Decimal("16.67"))
    disabled = [staff for staff in selectors.cadres(user=city_officer, on=today) if staff.disabled]
    assert all(staff.person is not None and staff.name == staff.person.name for staff in disabled)
    assert len({staff.person_id for staff in disabled}) == 2  # two persons, not one file twice


def test_the_indicators_read_the_same_from_the_demo(loaded, city_officer):
    today = timezone.localdate()
    indicators_compute(year=today.year, by=city_officer)
    city = Area.objects.get(code=CITY[0])
    figures = {s.indicator.code: (s.numerator, s.denominator)
               for s in Snapshot.objects.filter(area=city, year=today.year).select_related("indicator")}
    assert figures["community_officers"] == (12, 13) and figures["disabled_cadres"] == (2, 12)


def test_the_demo_has_the_five_special_associations_and_the_facilities(loaded, city_officer):
    kinds = set(selectors.associations(user=city_officer, on=timezone.localdate()).values_list("kind", flat=True))
    assert kinds == set(Association.Kind.values)
    assert Facility.objects.filter(kind=Facility.Kind.CARE_CENTRE, status=Facility.Status.BUILDING).exists()


def test_loading_the_demo_again_changes_nothing(loaded):
    before = _fingerprint()
    assert demo_organisation_load() == {"posts": 12}
    assert _fingerprint() == before


def test_loaded_in_spring_the_gacha_whose_officer_left_last_autumn_is_vacant(loaded):
    # "This autumn" is still ahead in March: the officer left the autumn before, not in six months' time.
    spring = date(2026, 3, 1)
    with transaction.atomic():
        for model in (OfficerPost, Association, Facility, StaffMember):
            model.objects.all().delete()
        demo_organisation_load(today=spring)
        left = OfficerPost.objects.get(area__name="第五嘎查")
        assert left.ended_on == date(2025, 9, 30)
        city_officer = User.objects.get(username="officer")
        assert selectors.summary(user=city_officer, on=spring).posts_held == 12
        transaction.set_rollback(True)
