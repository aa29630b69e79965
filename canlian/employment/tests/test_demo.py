"""The Erenhot employment demo reproduces the plan's employment rate (domain.md §6) and shows every outcome of the
annual quota review. Loaded once for the module, on top of the registry demo."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from canlian.accounts.models import User
from canlian.employment import selectors, services
from canlian.employment.choices import DeclarationStatus, Rejection
from canlian.employment.demo import REFERENCE_DATE, demo_employment_load
from canlian.employment.models import Declaration, DeclaredEmployee, Employer, EmploymentRecord, employment_spell_on
from canlian.registry.demo import demo_load


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the registry and employment demos once inside a transaction rolled back after the module's tests."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                demo_load()
                result = demo_employment_load()
                yield result
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def employment(demo, db):
    return demo


@pytest.fixture
def city_officer(employment):
    return User.objects.get(username="officer")


def test_demo_employment_rate_on_the_reference_date_is_the_plans_52_42_percent(city_officer):
    rate = selectors.employment_rate(user=city_officer, on=date(2022, 12, 31))
    assert (rate.working_age, rate.employed, rate.not_employed) == (433, 227, 206)
    assert rate.percent == Decimal("52.42")


def test_every_working_age_person_has_a_record_on_the_reference_date(city_officer):
    working = selectors.working_age_persons(user=city_officer, on=REFERENCE_DATE)
    covered = EmploymentRecord.objects.filter(employment_spell_on(REFERENCE_DATE), person__in=working)
    assert covered.count() == 433
    assert covered.filter(employed=False).exclude(not_working_reason="").count() == 206


def test_demo_has_history_before_and_changes_after_the_reference_date(city_officer):
    assert EmploymentRecord.objects.filter(ended_on__lt=REFERENCE_DATE).exists()
    assert EmploymentRecord.objects.filter(started_on__gt=REFERENCE_DATE).exists()
    today = selectors.employment_rate(user=city_officer, on=timezone.localdate())
    assert today.percent != Decimal("52.42")


def test_zero_employment_households_and_job_seekers_exist_today(city_officer):
    today = timezone.localdate()
    assert selectors.zero_employment_households(user=city_officer, on=today).exists()
    seekers = list(selectors.job_seekers(user=city_officer, on=today))
    assert any(p.graduate for p in seekers)
    assert any(not p.graduate for p in seekers)


def test_demo_employers_have_valid_unified_social_credit_codes(employment):
    codes = list(Employer.objects.values_list("uscc", flat=True))
    assert len(codes) == employment["employers"] == 12
    assert all(uscc.is_valid(code) for code in codes)


def test_2025_review_counts_some_employees_and_refuses_one_declared_elsewhere(employment):
    employees = DeclaredEmployee.objects.filter(year=2025)
    assert employees.filter(rejection="").exists()
    assert employees.filter(rejection=Rejection.DECLARED_ELSEWHERE).exists()
    assert employees.filter(rejection=Rejection.BELOW_MINIMUM_WAGE).exists()
    assert employees.filter(rejection=Rejection.NOT_REGISTERED).exists()
    assert not employees.filter(rejection__isnull=True).exists()


def test_2025_review_has_a_reward_an_exemption_a_capped_wage_and_both_tiers(employment):
    decided = Declaration.objects.filter(year=2025)
    assert not decided.filter(status__in=[DeclarationStatus.SUBMITTED, DeclarationStatus.REVIEWED]).exists()
    assert decided.filter(levy=0, reward__gt=0).exists()
    results = [(d, services.declaration_levy(d)) for d in decided]
    assert any(r.exempt for _d, r in results)
    assert {r.payable_percent for _d, r in results} >= {Decimal(50), Decimal(90)}
    assert any(r.wage_used < d.average_wage for d, r in results if r.levy > 0)
    assert all(d.decided_by_id != d.reviewed_by_id for d in decided)


def test_2025_payments_cover_levy_and_surcharge_one_paid_late(employment):
    paid = Declaration.objects.filter(year=2025, status=DeclarationStatus.PAID)
    assert paid.exists()
    assert all(d.paid_amount == d.levy + d.surcharge for d in paid)
    assert paid.filter(surcharge__gt=0).exists()


def test_2026_has_every_stage_and_employers_not_declared(city_officer):
    statuses = set(Declaration.objects.filter(year=2026).values_list("status", flat=True))
    assert statuses == {DeclarationStatus.SUBMITTED, DeclarationStatus.REVIEWED, DeclarationStatus.DECIDED}
    assert selectors.employers_not_declared(user=city_officer, year=2026).count() == 2


def test_loading_the_employment_demo_twice_changes_nothing(employment):
    before = (EmploymentRecord.objects.count(), Declaration.objects.count(), Employer.objects.count())
    assert demo_employment_load() == {"created": False}
    assert (EmploymentRecord.objects.count(), Declaration.objects.count(), Employer.objects.count()) == before
