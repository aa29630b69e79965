"""Each role's workbench (工作台), the expiring-certificates worklist and the access log."""

from django.utils import timezone
from playwright.sync_api import expect

from canlian.audit.models import AccessLog
from tests.browser.conftest import assert_accessible, assert_error_page_state, login


def test_officer_workbench_and_expiring_list(page, community_officer, persons):
    login(page, community_officer)
    main = page.get_by_role("main")
    assert main.get_by_role("heading", level=1).inner_text() == "工作台"
    active = main.get_by_role("region", name="负责区域在册残疾人")
    assert active.locator(".card__number").inner_text() == "3"  # 北疆社区 only
    expiring = main.get_by_role("region", name="已到期或90天内到期的残疾人证")
    assert expiring.locator(".card__number").inner_text() == "1"
    table = main.get_by_role("table", name="需要换证的残疾人证（前10条）")
    assert table.locator("tbody tr td").first.inner_text() == "李小红"
    assert_accessible(page, state="officer workbench")

    expiring.get_by_role("link", name="查看到期换证清单").click()
    expect(page).to_have_title("到期换证清单 - 残联综合服务平台")
    table = page.get_by_role("table", name="即将到期的残疾人证")
    assert table.get_by_role("columnheader").all_inner_texts() == ["姓名", "证号", "居住地", "电话", "有效期至"]
    cells = table.locator("tbody tr").first.get_by_role("cell").all_inner_texts()
    assert cells[0] == "李小红"
    assert persons["li_card"].number not in cells[1] and "*" in cells[1]
    assert_accessible(page, state="expiring list")

    table.get_by_role("link", name="李小红").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("李小红")


def test_expiring_list_empty(page, community_officer, persons):
    persons["li_card"].valid_until = timezone.localdate().replace(year=timezone.localdate().year + 5)
    persons["li_card"].save()
    login(page, community_officer)
    page.goto("/certificates/expiring/")
    assert "0 个残疾人证已到期或将在90天内到期" in page.get_by_role("main").inner_text()
    assert page.locator("table").count() == 0
    assert_accessible(page, state="nothing expiring")


def test_leader_workbench_shows_aggregates_only(page, leader, persons):
    login(page, leader)
    nav = page.get_by_role("navigation", name="主导航")
    # Employment figures, the organisation, payroll and the budget show a leader totals, never a person.
    assert nav.get_by_role("link").all_inner_texts() == ["工作台", "规划指标", "就业", "组织建设", "月度发放", "补贴资金"]
    table = page.get_by_role("table", name="持证残疾人按类别汇总")
    rows = {r.get_by_role("rowheader").inner_text(): r.get_by_role("cell").all_inner_texts()
            for r in table.locator("tbody tr").all()}
    assert rows["肢体残疾"] == ["1", "1"]
    assert rows["听力残疾"] == ["1", "0"]
    assert rows["视力残疾"] == ["1", "1"]
    assert "张三丰" not in page.get_by_role("main").inner_text()  # no names for leaders
    assert_accessible(page, state="leader workbench")


def test_admin_workbench_and_access_log(page, admin_user, officer, persons):
    zhang = persons["zhang"]
    AccessLog.objects.create(user=officer, person=zhang, action=AccessLog.Action.VIEW, ip_address="10.0.0.8")
    AccessLog.objects.create(user=officer, person=zhang, action=AccessLog.Action.REVEAL_ID, reason="核对身份")
    login(page, admin_user)
    main = page.get_by_role("main")
    assert main.get_by_role("link", name="查看访问日志").is_visible()
    assert_accessible(page, state="admin workbench")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="访问日志").click()
    expect(page).to_have_title("访问日志 - 残联综合服务平台")
    table = page.get_by_role("table", name="共 2 条记录")
    assert "核对身份" in table.inner_text()
    assert_accessible(page, state="access log")

    form = page.get_by_role("form", name="筛选访问日志")
    form.get_by_label("操作").select_option(label="查看完整证件号")
    form.get_by_role("button", name="筛选").click()
    assert page.get_by_role("table", name="共 1 条记录").is_visible()

    today = timezone.localdate()
    page.get_by_label("起始日期").fill(today.isoformat())
    page.get_by_label("截止日期").fill(today.replace(year=today.year - 1).isoformat())
    page.get_by_label("残疾人档案编号").fill("0")
    page.get_by_role("button", name="筛选").click()
    assert_error_page_state(page)
    hrefs = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["#id_person", "#id_until"]
    assert "截止日期不能早于起始日期" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("截止日期").get_attribute("aria-invalid") == "true"
    assert_accessible(page, state="access log filter errors")
