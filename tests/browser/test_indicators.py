"""The plan indicators in the browser: the dashboard against targets, an indicator's areas and years, the people
behind a figure; WCAG 2.1 AA by axe in normal, warning and elder mode; a leader sees figures, never people."""

from django.utils import timezone
from playwright.sync_api import expect

from canlian.indicators import services
from canlian.indicators.catalogue import catalogue_load
from canlian.indicators.models import Indicator, Target
from tests.browser.conftest import assert_accessible, elder_toggle, login, switch_user
from tests.browser.test_elder_mode import too_small


def test_an_officer_reads_the_dashboard_drills_down_and_a_leader_sees_figures_only(page, officer, leader, persons):
    catalogue_load(Indicator, Target)  # the live server's database is emptied between tests, migrations' data too
    year = timezone.localdate().year
    services.indicators_compute(year=year, by=officer)
    login(page, officer)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="规划指标").click()
    table = page.get_by_role("table", name=f"二连浩特市 {year} 年规划指标、目标值和完成情况")
    expect(table.get_by_role("row", name="在册残疾人数")).to_contain_text("4")
    expect(table.get_by_role("row", name="残疾人家庭人均收入年均增长（%）")).to_contain_text("无数据")
    assert_accessible(page, state="dashboard")
    elder_toggle(page, on=True)
    assert_accessible(page, state="dashboard, elder mode")
    assert too_small(page, 60) == []
    elder_toggle(page, on=False)
    page.get_by_role("link", name="与 2020 年基期对比（中期、终期评估）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("终期评估" if year >= 2025 else "中期评估")
    assert_accessible(page, state="evaluation against 2020")
    page.go_back()

    table.get_by_role("link", name="持证残疾人数").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("持证残疾人数")
    expect(page.get_by_role("table", name="历年情况")).to_contain_text(str(year))
    expect(page.get_by_role("table", name=f"{year} 年各区域")).to_contain_text("北疆社区")
    chart = page.get_by_role("img", name=f"持证残疾人数 {year} 年各区域，数据见下表。")
    expect(chart.locator("svg")).to_have_count(1)  # drawn by the vendored ECharts, under the strict CSP
    assert_accessible(page, state="indicator with areas and years")
    page.get_by_role("link", name="查看计入的人员").click()
    expect(page.get_by_role("main")).to_contain_text("张三丰")
    expect(page.get_by_role("main")).not_to_contain_text(persons["zhang"].id_number)
    assert_accessible(page, state="people behind a figure")

    # A leader, on last year as computed then: the figures, never the people behind them.
    services.indicators_compute(year=year - 1, by=officer)
    switch_user(page, leader)
    page.goto(f"/indicators/?year={year - 1}")
    expect(page.get_by_role("link", name="查看计入的人员")).to_have_count(0)
    page.goto(f"/indicators/certified/?year={year - 1}")
    expect(page.get_by_role("link", name="查看计入的人员")).to_have_count(0)
    page.goto("/indicators/")
    assert_accessible(page, state="dashboard as a leader")
