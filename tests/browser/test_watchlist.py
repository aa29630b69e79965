"""The poverty-relapse watchlist (防止返贫监测) in the browser: an officer opens it from the navigation, sees the flagged
households with their reasons (an overdue visit first), opens one, is refused an empty follow-up at each field, then
records one by keyboard alone and sees the next visit move; closes the risk with its reason; records a medical bill
that flags the household again at once. axe on every page state, also in elder mode."""

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from canlian.indicators.models import FollowUp, HouseholdEvent, RiskFlag
from canlian.indicators.services import watchlist_sweep
from canlian.registry.models import Household
from canlian.registry.services import household_create, household_update_income
from canlian.registry.tests.factories import make_person
from tests.browser.conftest import (
    assert_accessible,
    assert_error_page_state,
    elder_toggle,
    focused,
    login,
    tab_until,
)
from tests.browser.test_elder_mode import too_small


def _shown(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _household(officer, area, *, name: str, sequence: int, income: str, flagged_on) -> Household:
    head = make_person(by=officer, area=area, name=name, sequence=sequence)
    household = household_create(by=officer, head=head)
    household_update_income(household=household, by=officer, per_capita_income=Decimal(income),
                            income_year=flagged_on.year - 1)
    watchlist_sweep(households=Household.objects.filter(pk=household.pk), on=flagged_on)
    return household


def _summary_hrefs(page) -> list[str]:
    return page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_an_officer_follows_up_a_flagged_household_closes_the_risk_and_records_a_medical_bill(page, officer, areas):
    today = timezone.localdate()
    wang = _household(officer, areas["beijiang"], name="王五", sequence=15, income="5000", flagged_on=today)
    _household(officer, areas["dongcheng"], name="李四", sequence=17, income="4000",
               flagged_on=today - timedelta(days=40))  # its first visit was due ten days ago
    login(page, officer)

    # The watchlist, from the navigation: the overdue household first, each risk with its reason.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="返贫监测").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("防止返贫监测")
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("李四家")
    expect(rows.nth(0)).to_contain_text("已超期")
    expect(rows.nth(1)).to_contain_text("王五家")
    expect(rows.nth(1)).to_contain_text("家庭人均收入低于监测线")
    expect(rows.nth(1)).to_contain_text("5,000.00 元，低于监测线 6,000.00 元")
    expect(rows.nth(1)).not_to_contain_text("已超期")
    assert_accessible(page, state="watchlist")
    page.get_by_role("navigation", name="风险类型").get_by_role("link", name="走访超期（1）").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("李四家")
    assert_accessible(page, state="watchlist, overdue tab")
    elder_toggle(page, on=True)
    assert_accessible(page, state="watchlist, overdue tab, elder mode")
    assert too_small(page, 60) == []
    elder_toggle(page, on=False)

    # The household, through its row's link (named with the household and its risk).
    page.get_by_role("navigation", name="风险类型").get_by_role("link", name=re.compile("^全部")).click()
    page.get_by_role("link", name=re.compile(r"^王五家\s*：家庭人均收入低于监测线$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("返贫监测：王五家")
    expect(page).to_have_title("返贫监测：王五家 - 残联综合服务平台")
    risks = page.get_by_role("table", name="未关闭的风险")
    expect(risks).to_contain_text("家庭人均收入低于监测线")
    expect(risks).to_contain_text(_shown(today + timedelta(days=30)))
    assert_accessible(page, state="household under watch")

    # The follow-up form sent empty: refused at each field, the summary linked to them and focused.
    page.get_by_label("走访日期").fill("")
    page.get_by_role("button", name="保存走访记录").click()
    assert_error_page_state(page)
    assert _summary_hrefs(page) == ["#id_visit-visited_on", "#id_visit-situation", "#id_visit-measures"]
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("走访日期：请填写走访日期。")
    expect(summary).to_contain_text("家庭现状：请填写家庭现状。")
    expect(summary).to_contain_text("帮扶措施：请至少选择一项帮扶措施。")
    measures = page.get_by_role("group", name="帮扶措施")
    assert "id_visit-measures-error" in measures.get_attribute("aria-describedby")
    assert page.get_by_label("家庭现状").get_attribute("aria-invalid") == "true"
    assert not FollowUp.objects.exists()
    assert_accessible(page, state="follow-up refused: empty")
    summary.get_by_role("link", name="帮扶措施：请至少选择一项帮扶措施。").focus()
    page.keyboard.press("Enter")
    assert focused(page, "#id_visit-measures")  # the first checkbox

    # By keyboard alone: Tab to the date, type it; the situation; Space on two checkboxes; Enter on the button.
    page.keyboard.press("Home")
    tab_until(page, "#id_visit-visited_on")
    page.keyboard.type(f"{today:%m%d%Y}")  # headless Chromium edits a date as month/day/year, whatever the locale
    assert page.locator("#id_visit-visited_on").input_value() == today.isoformat()
    tab_until(page, "#id_visit-situation")
    page.keyboard.type("户主在家照料老人，家中收入主要靠两项补贴。")
    tab_until(page, "#id_visit-measures")
    page.keyboard.press("Space")  # 纳入低保或特困
    tab_until(page, "#id_visit-measures_4")
    page.keyboard.press("Space")  # 残疾人两项补贴
    expect(measures.get_by_role("checkbox", checked=True)).to_have_count(2)
    tab_until(page, "button[value=visit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("已登记跟踪帮扶。")
    visits = page.get_by_role("table", name="跟踪帮扶记录")
    expect(visits).to_contain_text("户主在家照料老人，家中收入主要靠两项补贴。")
    expect(visits).to_contain_text("纳入低保或特困、残疾人两项补贴")
    expect(risks).to_contain_text(_shown(today + timedelta(days=30)))
    assert FollowUp.objects.get().measures == ["dibao", "subsidy"]
    assert_accessible(page, state="household with a follow-up")

    # Closing the risk: the reason is asked for, then it is closed and listed as such.
    close = page.get_by_role("region", name="风险消除，关闭风险")
    close.get_by_role("group", name="关闭哪项风险").get_by_label("家庭人均收入低于监测线").check()
    close.get_by_role("button", name="关闭风险").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("风险消除的原因：请填写风险消除的原因。")
    assert_accessible(page, state="close refused: no reason")
    page.get_by_label("风险消除的原因").fill("已纳入低保，家庭收入将超过监测线")
    page.get_by_role("button", name="关闭风险").click()
    expect(page.get_by_role("status")).to_contain_text("已关闭返贫风险。")
    expect(page.get_by_role("region", name="已关闭的风险")).to_contain_text(
        f"家庭人均收入低于监测线：{_shown(today)} 识别，{_shown(today)} 关闭（已纳入低保，家庭收入将超过监测线）")
    expect(page.get_by_role("region", name="未关闭的风险")).to_contain_text("这户家庭目前没有未关闭的返贫风险。")
    assert_accessible(page, state="household, risk closed")

    # A medical bill: refused without its amount, then recorded; the rule flags the household again at once.
    events = page.get_by_role("region", name="家庭变故")
    events.get_by_role("group", name="变故类型").get_by_label("医疗自付支出").check()
    events.get_by_label("发生日期").fill((today - timedelta(days=3)).isoformat())
    events.get_by_role("button", name="保存家庭变故").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("医疗自付金额（元）：医疗自付支出请填写金额。")
    assert not HouseholdEvent.objects.exists()
    assert_accessible(page, state="household event refused: no amount")
    page.get_by_label("医疗自付金额（元）").fill("23800")
    page.get_by_role("button", name="保存家庭变故").click()
    expect(page.get_by_role("status")).to_contain_text("已登记家庭变故，并已按规则重新核查这户家庭。")
    open_risks = page.get_by_role("table", name="未关闭的风险")
    expect(open_risks).to_contain_text("大额医疗支出")
    expect(open_risks).to_contain_text("医疗自付 23,800.00 元（1 笔）")
    expect(page.get_by_role("table", name="家庭变故")).to_contain_text("23800.00")
    # The closed low-income risk stays closed: its facts (the income recorded) have not changed since.
    assert set(RiskFlag.objects.filter(household=wang, closed_on__isnull=True).values_list("reason", flat=True)) == {
        "medical_spending"}
    assert_accessible(page, state="household with a medical bill")
    elder_toggle(page, on=True)
    assert_accessible(page, state="household, elder mode")
    assert too_small(page, 60) == []
    page.get_by_role("button", name="保存走访记录").click()
    assert_error_page_state(page)
    assert_accessible(page, state="follow-up refused, elder mode")
    elder_toggle(page, on=False)
