"""What department lists leave for officers (比对核查, 状态变更核实, 残疾儿童筛查跟进) and the registry export."""

import uuid
from datetime import date

import pytest
from playwright.sync_api import expect

from canlian.audit.models import AccessLog
from canlian.exchange.models import ChildScreening, ImportBatch, MatchOutcome, MatchReview, StatusProposal
from canlian.registry.choices import LifeStatus
from canlian.registry.tests.factories import make_id
from tests.browser.conftest import assert_accessible, assert_error_page_state, login, screenshot


@pytest.fixture
def worklists(areas, officer, persons):
    """One open item on each list, all in 北疆社区."""
    batch = ImportBatch.objects.create(source="life_events", area=areas["beijiang"], list_date=date(2025, 6, 30),
                                       file_name="死亡名单.xlsx", file_sha256=uuid.uuid4().hex * 2, created_by=officer,
                                       state=ImportBatch.State.COMMITTED)
    return {
        "proposal": StatusProposal.objects.create(batch=batch, person=persons["zhang"], status=LifeStatus.DECEASED,
                                                  since=date(2025, 5, 1), detail="医学死亡证明"),
        "review": MatchReview.objects.create(batch=batch, row_number=7, outcome=MatchOutcome.NAME_DIFFERS,
                                             id_number=persons["li"].id_number, name="李晓红", person=persons["li"]),
        "screening": ChildScreening.objects.create(
            id_number=make_id(date(2021, 3, 3), 66), name="小明", birth_date=date(2021, 3, 3),
            screened_on=date(2025, 4, 1), finding="听力", institution="市妇幼保健院", area=areas["beijiang"],
            batch=batch),
    }


def submit_empty_then_fix(page, *, button: str, note_label: str, note: str) -> None:
    row = page.locator("tbody tr").first
    row.get_by_role("button", name=button).click()
    page.wait_for_load_state()  # the summary takes the focus on DOMContentLoaded
    assert_error_page_state(page)
    field = page.get_by_label(note_label)
    assert field.get_attribute("aria-invalid") == "true"
    href = page.locator(".error-summary a").get_attribute("href")
    assert page.locator(href).count() == 1
    assert_accessible(page, state=f"{button}: note missing")
    field.fill(note)
    page.locator("tbody tr").first.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_workbench_cards_lead_to_the_worklists(page, community_officer, worklists):
    login(page, community_officer)
    main = page.get_by_role("main")
    for card, link in (("部门名单比对核查", "查看比对核查清单"), ("待核实的死亡和迁出报告", "查看状态变更核实清单"),
                       ("待跟进的筛查儿童", "查看残疾儿童筛查跟进清单")):
        region = main.get_by_role("region", name=card)
        assert region.locator(".card__number").inner_text() == "1", card
        assert region.get_by_role("link", name=link).is_visible()
    assert_accessible(page, state="workbench with exchange cards")


def test_confirm_a_reported_death(page, community_officer, persons, worklists):
    login(page, community_officer)
    page.goto("/exchange/proposals/")
    expect(page).to_have_title("状态变更核实 - 残联综合服务平台")
    table = page.get_by_role("table", name="待核实的状态变更，第 1 页，共 1 页")
    cells = table.locator("tbody tr").first.get_by_role("cell").all_inner_texts()
    assert cells[0] == "张三丰" and persons["zhang"].id_number not in cells[1] and "*" in cells[1]
    assert cells[3:6] == ["死亡", "2025-05-01", "医学死亡证明"]
    screenshot(page, "exchange-proposals", full_page=True)
    assert_accessible(page, state="one pending proposal")

    submit_empty_then_fix(page, button="确认死亡", note_label="核实说明（张三丰）", note="已电话联系家属核实")
    assert page.get_by_role("status").inner_text() == "已确认：张三丰 死亡（2025-05-01）。"
    assert "没有待核实的状态变更。" in page.get_by_role("main").inner_text()
    persons["zhang"].refresh_from_db()
    assert persons["zhang"].life_status == LifeStatus.DECEASED
    assert_accessible(page, state="no pending proposals")


def test_resolve_a_match_review(page, community_officer, worklists):
    login(page, community_officer)
    page.goto("/exchange/reviews/")
    expect(page).to_have_title("比对核查 - 残联综合服务平台")
    page.get_by_label("比对结果（选填）").select_option(label="名册中没有此人")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_role("heading", name="0 条待处理").is_visible()
    page.get_by_label("比对结果（选填）").select_option(label="姓名与名册不一致")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_role("heading", name="1 条待处理").is_visible()
    row = page.locator("tbody tr").first
    assert row.get_by_role("link", name="李小红").is_visible()  # the registry's person
    assert "李晓红" in row.inner_text()  # the name the list gave
    screenshot(page, "exchange-reviews", full_page=True)
    assert_accessible(page, state="one open review")

    submit_empty_then_fix(page, button="标记为已处理", note_label="处理说明（批次", note="民政局名单错字，已通知更正")
    assert "已处理：" in page.get_by_role("status").inner_text()
    assert MatchReview.objects.get().resolved_by == community_officer
    assert_accessible(page, state="no open reviews")


def test_close_a_child_screening(page, community_officer, worklists):
    login(page, community_officer)
    page.goto("/exchange/screenings/")
    expect(page).to_have_title("残疾儿童筛查跟进 - 残联综合服务平台")
    assert page.get_by_role("heading", name="1 名儿童待跟进").is_visible()
    assert_accessible(page, state="one open screening")
    submit_empty_then_fix(page, button="结案", note_label="跟进结果（小明）", note="已转介康复机构评估")
    assert page.get_by_role("status").inner_text() == "已结案：小明。"
    assert ChildScreening.objects.get().follow_up == ChildScreening.FollowUp.CLOSED
    assert_accessible(page, state="no open screenings")


def test_export_the_registry_with_a_reason(page, officer, persons):
    login(page, officer)
    page.goto("/exchange/")
    page.get_by_role("link", name="导出名册（上报区域/全国系统）").click()
    expect(page).to_have_title("导出名册 - 残联综合服务平台")
    assert "年度动态更新数据尚未建立，本页只导出名册。" in page.get_by_role("main").inner_text()
    assert page.get_by_label("Excel 工作簿（.xlsx）").is_checked()
    assert_accessible(page, state="export form")

    page.get_by_role("button", name="导出").click()
    page.wait_for_load_state()
    assert_error_page_state(page)
    assert page.get_by_label("用途").get_attribute("aria-invalid") == "true"
    screenshot(page, "exchange-export-errors", full_page=True)
    assert_accessible(page, state="export without a reason")
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()

    page.get_by_label("区域").select_option(str(persons["zhang"].residence_area_id))
    page.get_by_label("用途").fill("上报全国残疾人人口基础库季度更新")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert "北疆社区" in download.value.suggested_filename
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.reason == "上报全国残疾人人口基础库季度更新" and "3 人" in log.detail
