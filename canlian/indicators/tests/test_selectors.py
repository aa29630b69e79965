"""The dashboard's reads: every indicator for an area and a year from the year's snapshots and targets, and the
years computed."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from canlian.accounts.scope import home_area
from canlian.areas.models import Area
from canlian.areas.services import area_create
from canlian.indicators import selectors, services
from canlian.indicators.models import Indicator, Target
from canlian.registry.tests.factories import make_certificate, make_person, make_user

TODAY = timezone.localdate()


def _by_code(figures) -> dict:
    return {f.indicator.code: f for f in figures}


def test_before_a_year_is_computed_nothing_reads_as_a_number(areas):
    figures = _by_code(selectors.figures(area=areas["city"], year=TODAY.year))
    assert figures["certified"].value is None and figures["certified"].as_of is None
    assert not figures["income_growth"].measured
    assert selectors.years_computed() == []


def test_each_figure_is_its_areas_snapshot_against_the_years_own_target(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1980, 1, 1), sequence=11)
    make_certificate(person=person, by=officer, grade=3)
    certified = Indicator.objects.get(code="certified")
    Target.objects.update_or_create(indicator=certified, year=TODAY.year, defaults={"value": Decimal("5")})
    Target.objects.update_or_create(indicator=certified, year=TODAY.year - 1, defaults={"value": Decimal("9")})
    services.indicators_compute(year=TODAY.year, by=officer)
    services.indicators_compute(year=TODAY.year - 1, by=officer)

    city = _by_code(selectors.figures(area=areas["city"], year=TODAY.year))
    assert (city["certified"].numerator, city["certified"].target, city["certified"].as_of) == (1, 5, TODAY)
    assert city["certified"].status == "behind"
    assert _by_code(selectors.figures(area=areas["dongcheng"], year=TODAY.year))["certified"].numerator == 0
    assert _by_code(selectors.figures(area=areas["city"], year=TODAY.year - 1))["certified"].target == 9
    assert selectors.years_computed() == [TODAY.year, TODAY.year - 1]


def test_an_area_added_after_the_computation_reads_zero_as_of_the_years_day(officer, areas):
    services.indicators_compute(year=TODAY.year, by=officer)
    new = area_create(code="152501001009", name="新建社区", level=Area.Level.VILLAGE, parent=areas["city"])
    figure = _by_code(selectors.figures(area=new, year=TODAY.year))["certified"]
    assert (figure.numerator, figure.as_of) == (0, TODAY)


def test_a_page_of_figures_opens_on_the_widest_of_the_users_areas(areas):
    province = area_create(code="150000000000", name="内蒙古自治区", level=Area.Level.PROVINCE)
    league = area_create(code="152500000000", name="锡林郭勒盟", level=Area.Level.PREFECTURE, parent=province)
    assert home_area(make_user("both", "federation_leader", [league, province])) == province
    assert home_area(make_user("none", "federation_leader", [])) is None
