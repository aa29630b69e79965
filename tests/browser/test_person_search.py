"""Searching persons: by name, by pinyin initials, the results table, the error state."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_error_page_state, login


def search(page, text: str) -> None:
    page.locator("#id_q").fill(text)
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_load_state()


def result_names(page) -> list[str]:
    return page.locator("table tbody tr td:first-child").all_inner_texts()


def test_search_page_empty_state(page, officer, persons):
    login(page, officer)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="查询残疾人").click()
    expect(page).to_have_title("查询残疾人 - 残联综合服务平台")
    assert page.get_by_role("search", name="查询残疾人").is_visible()
    assert page.locator("table").count() == 0  # no results before a search
    assert_accessible(page, state="empty search form")


def test_search_by_name_shows_results_table(page, officer, persons):
    login(page, officer)
    page.goto("/persons/")
    search(page, "张三丰")
    assert page.get_by_role("heading", name="找到 1 人").is_visible()
    table = page.get_by_role("table", name="找到 1 人")
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert headers == ["姓名", "身份证号", "残疾类别/等级", "居住地", "状态"]
    row = table.locator("tbody tr").first
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells[0] == "张三丰"
    assert persons["zhang"].id_number not in cells[1]  # masked on screen
    assert "*" in cells[1]
    assert cells[2] == "肢体残疾 二级"
    assert cells[3] == "北疆社区"
    assert_accessible(page, state="results by name")

    row.get_by_role("link", name="张三丰").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("张三丰")


def test_search_by_pinyin_initials_and_by_surname(page, officer, persons):
    login(page, officer)
    page.goto("/persons/")
    search(page, "lxh")
    assert result_names(page) == ["李小红"]
    search(page, "ZSF")  # initials in capitals are the same
    assert result_names(page) == ["张三丰"]
    search(page, "王")
    assert result_names(page) == ["王大明"]
    search(page, "zzz")
    assert page.get_by_role("heading", name="找到 0 人").is_visible()
    assert "没有找到符合条件的人员" in page.locator("main").inner_text()
    assert_accessible(page, state="no results")


def test_filters_and_scope(page, community_officer, persons):
    """A community officer sees only their community; filters narrow the list."""
    login(page, community_officer)
    page.goto("/persons/")
    page.get_by_role("button", name="查询", exact=True).click()
    assert sorted(result_names(page)) == sorted(["张三丰", "李小红", "赵小梅"])  # not 王大明 of 东城社区
    page.get_by_label("残疾类别").select_option(label="听力残疾")
    page.get_by_role("button", name="查询", exact=True).click()
    assert result_names(page) == ["李小红"]
    assert page.get_by_label("残疾类别").input_value() == "2"  # the form keeps what was chosen
    assert_accessible(page, state="filtered results")


def test_search_error_state(page, officer, persons, areas):
    """An area outside the officer's scope (e.g. from an old bookmark) is refused, not silently widened."""
    login(page, officer)
    page.goto("/persons/?q=zsf&area=999999")
    assert_error_page_state(page)
    link = page.locator(".error-summary a").first
    assert link.get_attribute("href") == "#id_area"
    assert page.locator("#id_area").get_attribute("aria-invalid") == "true"
    assert page.locator("table").count() == 0
    assert_accessible(page, state="area not in scope")
