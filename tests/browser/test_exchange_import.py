"""Importing a department list (数据导入): upload, read the dry run's report, commit, see what changed."""

from datetime import date

import pytest
from playwright.sync_api import expect

from canlian.exchange import services
from canlian.exchange.models import ImportBatch
from canlian.registry.models import AssistanceStatus
from tests.browser.conftest import (
    assert_accessible,
    assert_error_page_state,
    focused,
    login,
    screenshot,
    tab_until,
)
from tests.browser.test_elder_mode import toggle_with_keyboard, too_small

HEADER = "身份证号,姓名,救助类型,起始日期"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def gbk_list(persons) -> bytes:
    """A civil-affairs list as its clerk saves it from Excel on Windows: GBK CSV, one row with a broken ID."""
    lines = [HEADER,
             f"{persons['zhang'].id_number},张三丰,低保,2024-01-01",
             "15250119800101,王五,低保,2024-01-01",
             f"{persons['li'].id_number},李小红,特困,2024-03-01"]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def choose_file(page, content: bytes, name: str = "6月低保名单.csv") -> None:
    page.get_by_label("文件", exact=True).set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})


def test_officer_imports_an_assistance_list_with_one_bad_row(page, officer, persons):
    login(page, officer)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="数据导入").click()
    expect(page).to_have_title("数据导入 - 残联综合服务平台")
    assert "您负责的区域还没有导入过名单。" in page.get_by_role("main").inner_text()
    assert_accessible(page, state="no batches yet")

    page.get_by_role("link", name="导入新名单").click()
    expect(page).to_have_title("导入新名单 - 残联综合服务平台")
    assert page.get_by_label("名单覆盖区域").input_value() == str(officer.areas.get().pk)
    screenshot(page, "exchange-upload", full_page=True)
    assert_accessible(page, state="empty upload form")

    # The guide opens with the keyboard and lists each source's columns.
    guide = page.locator("details").filter(has_text="低保/特困/低保边缘名单（民政局）")
    guide.locator("summary").click()
    table = guide.get_by_role("table", name="低保/特困/低保边缘名单的列")
    assert table.get_by_role("rowheader").all_inner_texts() == ["身份证号", "姓名", "救助类型", "起始日期"]
    assert guide.get_by_role("link", name="下载模板：低保/特困/低保边缘名单（.xlsx）").is_visible()
    assert_accessible(page, state="upload form with the guide open")

    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_load_state()  # the summary takes the focus on DOMContentLoaded
    assert_error_page_state(page)
    hrefs = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["#id_source", "#id_file"]
    assert page.locator("#id_file-error").text_content() == "错误：请选择要上传的文件。"
    screenshot(page, "exchange-upload-errors", full_page=True)
    assert_accessible(page, state="upload form errors")

    page.get_by_label("低保/特困/低保边缘名单").check()
    choose_file(page, gbk_list(persons))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/exchange/batches/*/")
    batch = ImportBatch.objects.get()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(f"导入批次 #{batch.pk} 已校验，待确认导入")
    assert "将新增 2、变更 0、终止 0、无变化 0，有错误 1 行（不会导入）。" in main.inner_text()
    problems = main.get_by_role("table", name="有问题的行，第 1 页，共 1 页")
    cells = problems.locator("tbody tr").first.get_by_role("cell").all_inner_texts()
    assert cells[:3] == ["3", "身份证号", "15250119800101"]
    assert "身份证号" in cells[3]
    matches = main.get_by_role("table", name="与名册比对（3 行）")
    assert matches.get_by_role("row", name="匹配").get_by_role("cell").inner_text() == "2"
    assert not AssistanceStatus.objects.exists()  # nothing changed yet
    screenshot(page, "exchange-validated", full_page=True)
    assert_accessible(page, state="batch validated")

    with page.expect_download() as download:
        main.get_by_role("link", name="下载错误报告").click()
    assert download.value.suggested_filename == f"批次{batch.pk}_错误报告.xlsx"

    main.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state()
    expect(main.get_by_role("heading", level=1)).to_have_text(f"导入批次 #{batch.pk} 已导入")
    assert "已新增 2、变更 0、终止 0、无变化 0；有错误的 1 行未导入。" in main.inner_text()
    assert main.get_by_role("button", name="确认导入").count() == 0
    assert AssistanceStatus.objects.filter(ended_on__isnull=True).count() == 2
    screenshot(page, "exchange-committed", full_page=True)
    assert_accessible(page, state="batch committed")

    main.get_by_role("link", name="比对核查").click()
    expect(page).to_have_title("比对核查 - 残联综合服务平台")
    assert page.get_by_role("heading", name="1 条待处理").is_visible()
    assert_accessible(page, state="match reviews of the batch")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="数据导入").click()
    batches = page.get_by_role("table", name="导入批次，共 1 个")
    assert "6月低保名单.csv" in batches.inner_text()
    assert_accessible(page, state="batch list")


def test_rejected_file_says_why(page, officer, persons):
    login(page, officer)
    page.goto("/exchange/new/")
    page.get_by_label("低保/特困/低保边缘名单").check()
    choose_file(page, "身份证号,姓名\r\n1,张三\r\n".encode("gbk"), name="不全.csv")
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/exchange/batches/*/")
    notice = page.locator(".notice--error")
    assert "缺少必填列：救助类型、起始日期" in notice.inner_text()
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert_accessible(page, state="batch rejected")


def test_progress_bar_follows_the_work_and_the_page_shows_the_result(page, officer, persons):
    batch = services.import_batch_create(by=officer, source="assistance", area=persons["zhang"].residence_area,
                                         list_date=date(2025, 6, 30), chunks=[gbk_list(persons)],
                                         file_name="排队.csv")
    login(page, officer)
    page.goto(f"/exchange/batches/{batch.pk}/")
    progress = page.get_by_role("progressbar", name="已处理的行")
    assert progress.is_visible()
    live = page.locator("[aria-live=polite]")
    assert live.inner_text() == "排队中，请稍候……"
    assert page.get_by_role("link", name="刷新").is_visible()
    assert_accessible(page, state="batch queued")
    # A worker picks the batch up; the page notices within a few seconds and shows the result.
    services.import_validate(batch=batch)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"导入批次 #{batch.pk} 已校验，待确认导入",
                                                              timeout=10_000)
    assert page.get_by_role("progressbar").count() == 0
    assert_accessible(page, state="batch validated after polling")


def test_upload_form_with_the_keyboard_only(page, officer, persons):
    # A listener from the start turns on Playwright's file-chooser interception long before the key press; set up
    # only inside expect_file_chooser, it can lose the race on a busy machine and the native dialog opens unseen.
    page.on("filechooser", lambda _chooser: None)
    login(page, officer)
    page.goto("/exchange/new/")
    tab_until(page, "#id_source")
    page.keyboard.press("Space")
    assert page.locator("#id_source").is_checked()
    page.keyboard.press("Tab")
    assert focused(page, "#id_area")
    tab_until(page, "#id_file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files({"name": "名单.csv", "mimeType": "text/csv", "buffer": gbk_list(persons)})
    tab_until(page, "main form button[type=submit]")
    assert page.evaluate("document.activeElement.textContent") == "上传并校验"
    page.keyboard.press("Enter")
    page.wait_for_url("**/exchange/batches/*/")
    tab_until(page, "main form[action$='/commit/'] button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"导入批次 #{ImportBatch.objects.get().pk} 已导入")
    assert_accessible(page, state="committed by keyboard")


def test_upload_form_in_elder_mode(page, officer, persons):
    login(page, officer)
    page.goto("/exchange/new/")
    assert too_small(page, 44) == []
    toggle_with_keyboard(page)
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert too_small(page, 60) == []
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_load_state()
    assert_error_page_state(page)
    assert too_small(page, 60) == []
    screenshot(page, "exchange-upload-elder-errors", full_page=True)
    assert_accessible(page, state="elder mode, upload form errors")
