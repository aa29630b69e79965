"""The Erenhot rights-cases demo: the seed's 96 calls and visits of 2016–2020, all closed, and recent cases in every
state, loaded through the real services so their deadlines and steps are the policy's. Loaded once for the module,
on top of the demo registry."""

from datetime import date

import pytest
from django.db.models import Count, F
from django.utils import timezone

from canlian.accounts.models import User
from canlian.common.tests.demo import rolled_back
from canlian.registry.demo import demo_load
from canlian.rights import rules, selectors
from canlian.rights.demo import SEED_YEARS, demo_cases_load
from canlian.rights.models import Case, CaseStep, Partner
from canlian.rights.rules import CaseSource, CaseState, Satisfaction


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the registry and rights-cases demos once for the module."""
    with rolled_back(django_db_blocker):
        demo_load()
        yield demo_cases_load()


@pytest.fixture
def loaded(demo, db):
    return demo


@pytest.fixture
def city_officer(loaded):
    return User.objects.get(username="officer")


def _seed():
    return Case.objects.filter(received_on__gte=date(2016, 1, 1), received_on__lte=date(2020, 12, 31))


def _recent():
    return Case.objects.filter(received_on__gt=date(2020, 12, 31))


def test_the_seed_has_96_calls_and_visits_received_2016_to_2020(loaded):
    assert _seed().count() == 96 == sum(SEED_YEARS.values())
    per_year = dict(_seed().values_list("received_on__year").annotate(n=Count("pk")).order_by())
    assert per_year == SEED_YEARS
    assert set(_seed().values_list("source", flat=True)) <= {
        CaseSource.HOTLINE_12385, CaseSource.HOTLINE_12345, CaseSource.VISIT}


def test_every_seed_case_was_answered_then_closed_with_the_persons_satisfaction(loaded):
    assert set(_seed().values_list("state", flat=True)) == {CaseState.CLOSED}
    assert not _seed().filter(satisfaction__in=["", Satisfaction.UNREACHED]).exists()
    assert not _seed().filter(closed_on__lt=F("answered_on")).exists()
    assert not _seed().filter(answered_on__lt=F("received_on")).exists()
    for case in _seed().prefetch_related("steps"):
        assert [step.kind for step in case.steps.all()] == [
            CaseStep.Kind.RECEIVED, CaseStep.Kind.ASSIGNED, CaseStep.Kind.REPLIED, CaseStep.Kind.CLOSED]


def test_one_in_nine_seed_cases_was_closed_late(city_officer):
    late = _seed().filter(closed_on__gt=F("due_on"))
    assert late.count() == 10
    stats = selectors.case_statistics(cases=selectors.cases(user=city_officer), start=date(2016, 1, 1),
                                      end=date(2020, 12, 31), today=timezone.localdate())
    assert (stats.received, stats.closed, stats.closed_on_time) == (96, 96, 86)
    assert str(stats.on_time_rate) == "89.58"
    assert sum(n for _area, n in stats.by_area) == 96


def test_the_seed_deadlines_follow_each_kind_from_the_day_received(loaded):
    for case in _seed():
        days = {"consultation": 3, "help": 10, "complaint": 15, "petition": 42, "legal_aid": 5,
                "infringement": 15}[case.kind]
        assert case.due_on == rules.due_on(case.received_on, days)


def test_some_cases_concern_registered_persons_and_live_in_their_area(loaded):
    with_person = Case.objects.filter(person__isnull=False).select_related("person")
    assert with_person.exists() and Case.objects.filter(person__isnull=True).exists()
    assert all(case.area_id == case.person.residence_area_id for case in with_person)


def test_recent_cases_are_in_every_state_with_one_reopened_and_one_with_legal_aid(loaded):
    recent = _recent()
    assert recent.count() == 12
    assert set(recent.values_list("state", flat=True)) == set(CaseState.values)
    reopened = recent.get(reopened=1)
    assert reopened.state == CaseState.ASSIGNED
    assert list(reopened.steps.values_list("kind", flat=True)) == [
        CaseStep.Kind.RECEIVED, CaseStep.Kind.ASSIGNED, CaseStep.Kind.REPLIED, CaseStep.Kind.CLOSED,
        CaseStep.Kind.REOPENED]
    assert recent.get(partner__isnull=False).partner == Partner.objects.get(kind=Partner.Kind.LEGAL_AID)


def test_the_sweep_has_run_on_the_recent_cases(loaded):
    today = timezone.localdate()
    open_late = Case.objects.exclude(state=CaseState.CLOSED).filter(due_on__lt=today)
    assert loaded["escalated"] == open_late.count() == open_late.filter(escalated_on=today).count()
    assert loaded["reminded"] == Case.objects.filter(reminded_on=today).count()


def test_loading_the_demo_twice_changes_nothing(loaded):
    before = (Case.objects.count(), CaseStep.objects.count(), Partner.objects.count())
    assert demo_cases_load() == {"cases": before[0]}
    assert (Case.objects.count(), CaseStep.objects.count(), Partner.objects.count()) == before
