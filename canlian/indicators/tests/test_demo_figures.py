"""On the Erenhot demo, the indicators reproduce the plan's own figures (domain.md §6) from the records:
2022 — 773 / 766 / 318 / 448 / 433 / 227 / 52.42%; 2020 — rehabilitation 83.6%, device fitting 91.9%."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from canlian.areas.models import Area
from canlian.benefits.demo import demo_benefits_load
from canlian.employment.demo import demo_employment_load
from canlian.indicators import selectors, services
from canlian.indicators.demo import demo_watchlist_load
from canlian.indicators.models import FollowUp, HouseholdEvent, RiskFlag, Snapshot
from canlian.indicators.rules import RiskReason
from canlian.registry.demo import CITY, demo_load
from canlian.services.demo import demo_services_load


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        try:
            with transaction.atomic():
                demo_load()
                demo_benefits_load(tmp_dir=tmp_path_factory.mktemp("bank"))
                demo_employment_load()
                demo_services_load()
                for year in (2020, 2022):
                    services.indicators_compute(year=year, replace=True)
                yield Area.objects.get(code=CITY[0])
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def city(demo, db):
    return demo


def _values(city, year: int) -> dict[str, Decimal | None]:
    return {figure.indicator.code: figure.value for figure in selectors.figures(area=city, year=year)}


def test_2022_figures_are_the_plans(city):
    values = _values(city, 2022)
    assert [values[code] for code in ("registered", "certified", "severe", "non_severe", "working_age", "employed")] \
        == [773, 766, 318, 448, 433, 227]
    assert values["employment_rate"] == Decimal("52.42")


def test_2020_rehabilitation_and_device_fitting_are_the_plans(city):
    values = _values(city, 2020)
    assert values["rehabilitation"] == Decimal("83.60") and values["assistive_device"] == Decimal("91.92")


def test_an_indicator_the_platform_has_no_data_for_says_so(city):
    income = next(f for f in selectors.figures(area=city, year=2022) if f.indicator.code == "income_growth")
    assert income.value is None and not income.measured


def test_a_communitys_figures_add_up_to_the_city(city):
    communities = Area.objects.filter(parent=city)
    total = sum(Snapshot.objects.filter(area__in=communities, year=2022, indicator__code="registered")
                .values_list("numerator", flat=True))
    sumu_and_below = Snapshot.objects.filter(area__parent=city, area__level="township", year=2022,
                                             indicator__code="registered").values_list("numerator", flat=True)
    assert total == 773 and list(sumu_and_below)
    assert Snapshot.objects.get(area=city, year=2022, indicator__code="registered").as_of == date(2022, 12, 31)


def test_the_watchlist_demo_has_every_kind_of_risk_overdue_visits_follow_ups_and_a_closed_flag(city):
    loaded = demo_watchlist_load()
    today = timezone.localdate()
    open_flags = RiskFlag.objects.filter(closed_on__isnull=True)
    assert set(RiskFlag.objects.values_list("reason", flat=True)) == set(RiskReason.values)
    assert loaded == {"flags": RiskFlag.objects.count(), "open": open_flags.count()}
    assert open_flags.filter(follow_up_due__lt=today).exists() and open_flags.filter(follow_up_due__gte=today).exists()
    assert FollowUp.objects.exists() and HouseholdEvent.objects.count() == 6
    closed = RiskFlag.objects.get(closed_on__isnull=False)
    assert closed.reason == RiskReason.LOW_INCOME and closed.close_note.endswith("（演示）")
    assert demo_watchlist_load() == {"flags": RiskFlag.objects.count()}  # a second load changes nothing
