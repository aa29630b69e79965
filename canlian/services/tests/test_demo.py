"""The Erenhot services demo reproduces the plan's 2020 coverage figures (domain.md §6) from its needs and service
records, leaves this year's survey and needs with work at every stage, and keeps the employment demo's figure.
Loaded once for the module, on top of the registry and employment demos."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from canlian.accounts.models import User
from canlian.employment.demo import demo_employment_load
from canlian.employment.models import EmploymentRecord
from canlian.employment.selectors import employment_rate
from canlian.parameters.selectors import parameter_value
from canlian.registry.demo import demo_load
from canlian.services import rules, selectors
from canlian.services.choices import NeedKind, NeedState, ServiceKind
from canlian.services.demo import LAST_DAY, demo_services_load
from canlian.services.models import (
    DeviceProduct,
    Institution,
    ModificationProject,
    Need,
    RehabCoordinator,
    ServiceRecord,
    SurveyVisit,
)


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the registry, employment and services demos once inside a transaction rolled back after the module
    (the acceptance photos go to a temporary media directory)."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        try:
            with transaction.atomic():
                demo_load()
                demo_employment_load()
                records = EmploymentRecord.objects.count()
                result = demo_services_load()
                yield {**result, "employment_records_before": records}
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def loaded(demo, db):
    return demo


@pytest.fixture
def city_officer(loaded):
    return User.objects.get(username="officer")


def _total(user, what: str, year: int) -> selectors.Coverage:
    rows = selectors.coverage_by_area(user=user, what=what, year=year)
    return selectors.Coverage("", sum(r.needing for r in rows), sum(r.served for r in rows))


def test_2020_rehabilitation_service_rate_is_the_plans_83_6_percent(city_officer):
    total = _total(city_officer, "rehabilitation", 2020)
    assert (total.needing, total.served, total.percent) == (250, 209, Decimal("83.6"))


def test_2020_device_fitting_rate_is_the_plans_91_9_percent(city_officer):
    total = _total(city_officer, "assistive_device", 2020)
    assert (total.needing, total.served, total.percent) == (99, 91, Decimal("91.9"))


def test_every_need_kind_is_found_and_every_state_reached(loaded):
    this_year = Need.objects.filter(opened_on__year=LAST_DAY.year)
    assert set(this_year.values_list("kind", flat=True)) == set(NeedKind.values)
    assert set(this_year.values_list("state", flat=True)) == set(NeedState.values)
    assert not this_year.filter(source=Need.Source.SURVEY, visit__isnull=True).exists()


def test_some_open_needs_are_past_their_referral_deadline(city_officer):
    today = timezone.localdate()
    overdue = selectors.needs_live(user=city_officer).filter(state=NeedState.OPEN, due_on__lt=today)
    assert overdue.count() >= 5
    assert selectors.needs_without_service(user=city_officer).exists()


def test_survey_progress_leaves_persons_to_visit(city_officer):
    today = timezone.localdate()
    rows = selectors.survey_progress(user=city_officer, on=today)
    visited, due = sum(r["visited"] for r in rows), sum(r["due"] for r in rows)
    assert 0.5 * due < visited < 0.7 * due
    not_visited = selectors.survey_not_visited(user=city_officer, on=today)
    assert not_visited.count() == due - visited
    assert any(person.started for person in not_visited)  # a visit begun and not finished


def test_survey_answers_only_the_sections_that_apply_to_the_person(loaded):
    for visit in SurveyVisit.objects.select_related("person"):
        keys = [s.key for s in selectors.sections_for(visit.person, on=visit.visited_on)]
        if visit.completed_at:
            assert set(visit.answers) == set(keys)
        else:
            assert set(visit.answers) < set(keys)
        age = visit.person.age_on(visit.visited_on)
        assert ("employment" in visit.answers) <= (16 <= age <= 59)
        assert ("education" in visit.answers) <= (3 <= age <= 22)


def test_the_survey_repeats_the_employment_records_and_keeps_the_2022_figure(loaded, city_officer):
    assert EmploymentRecord.objects.count() == loaded["employment_records_before"]
    rate = employment_rate(user=city_officer, on=date(2022, 12, 31))
    assert (rate.working_age, rate.employed) == (433, 227)


def test_children_page_lists_a_few_children_and_others_have_a_case(city_officer):
    today = timezone.localdate()
    assert selectors.children_without_case(user=city_officer, on=today).exists()
    cases = ServiceRecord.objects.filter(kind=ServiceKind.CHILD_REHABILITATION, started_on__year=today.year)
    assert cases.exists()
    assert all(service.provider is None or service.provider.designated_for_children for service in
               ServiceRecord.objects.filter(kind=ServiceKind.CHILD_REHABILITATION).select_related("provider"))


def test_children_screened_by_health_head_the_childrens_page_and_an_unregistered_one_waits_on_the_exchange(
        city_officer):
    from canlian.exchange.models import ChildScreening

    listed = list(selectors.children_without_case(user=city_officer, on=timezone.localdate())[:2])
    assert [child.screened for child in listed] == [True, True]
    assert ChildScreening.objects.filter(person__isnull=True, follow_up=ChildScreening.FollowUp.OPEN).count() == 1


def test_childrens_subsidies_stay_within_the_yearly_caps(loaded):
    granted = defaultdict(Decimal)
    for service in ServiceRecord.objects.filter(kind=ServiceKind.CHILD_REHABILITATION, subsidy__isnull=False):
        granted[(service.person_id, service.subtype, service.started_on.year)] += service.subsidy
    assert granted
    for (_person, subtype, year), total in granted.items():
        assert total <= parameter_value(f"children_rehab.cap.{subtype}", on=date(year, 12, 31))


def test_device_subsidies_stay_within_the_product_limits(loaded):
    fittings = ServiceRecord.objects.filter(kind=ServiceKind.ASSISTIVE_DEVICE, subsidy__isnull=False)
    assert fittings.exists()
    assert all(s.subsidy <= s.product.subsidy_limit for s in fittings.select_related("product"))
    assert DeviceProduct.objects.filter(active=False).exists()


def test_care_is_given_only_to_those_the_rule_allows(loaded):
    care = ServiceRecord.objects.filter(kind=ServiceKind.CARE).select_related("person")
    assert care.filter(ended_on__isnull=True).exists()
    for service in care:
        facts = selectors.person_facts(service.person, on=service.started_on or service.referred_on)
        assert rules.care_decision(facts, rules.CareOptions()).allowed


def test_an_expired_provider_served_only_while_qualified(loaded):
    expired = Institution.objects.get(qualified_until__lt=timezone.localdate())
    days = [s.started_on or s.referred_on for s in expired.services.all()]
    assert days
    assert all(expired.is_qualified_on(day) for day in days)


def test_home_modifications_are_at_every_step_and_accepted_ones_have_a_photo_and_a_service(city_officer):
    assert set(ModificationProject.objects.values_list("step", flat=True)) == set(ModificationProject.Step.values)
    for project in ModificationProject.objects.filter(step=ModificationProject.Step.ACCEPTED):
        assert project.photos.exists()
        assert project.service.kind == ServiceKind.HOME_MODIFICATION and project.service.ended_on == project.accepted_on
        assert project.need is None or project.need.state == NeedState.MET
    progress = selectors.modification_progress(user=city_officer, year=LAST_DAY.year)
    assert 0 < progress["accepted"] < progress["target"]


def test_school_age_children_are_placed_but_a_few_wait_on_the_education_page(city_officer):
    placements = set(ServiceRecord.objects.filter(kind=ServiceKind.EDUCATION).values_list("subtype", flat=True))
    assert {"mainstream", "special_school", "home_teaching", "deferred"} <= placements
    assert selectors.children_without_placement(user=city_officer, on=timezone.localdate()).exists()
    assert ServiceRecord.objects.filter(kind=ServiceKind.CULTURE_SPORTS).exists()


def test_coordinators_page_shows_areas_in_band_under_it_and_without_one(city_officer):
    statuses = {row["status"] for row in selectors.coordinators_by_area(user=city_officer, on=timezone.localdate())}
    assert {"ok", "low", "none"} <= statuses


def _fingerprint() -> tuple:
    return (Institution.objects.count(), DeviceProduct.objects.count(), RehabCoordinator.objects.count(),
            SurveyVisit.objects.count(), Need.objects.count(), ServiceRecord.objects.count(),
            ModificationProject.objects.count(), Need.history.count(), ServiceRecord.history.count(),
            EmploymentRecord.objects.count())


def test_loading_the_services_demo_twice_changes_nothing(loaded):
    before = _fingerprint()
    assert demo_services_load() == {"created": False}
    assert _fingerprint() == before
