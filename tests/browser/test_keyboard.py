"""Keyboard only: the skip link comes first, and a search can be done and a file opened with key presses."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, focused, login, tab_until


def press_each(page, text: str) -> None:
    for char in text:
        page.keyboard.press(char)


def test_skip_link_is_first_and_moves_focus_to_main(page, officer):
    login(page, officer)
    page.goto("/persons/")
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link")
    skip = page.locator("a.skip-link")
    assert skip.inner_text() == "跳到主要内容"
    box = skip.bounding_box()  # visible once focused
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 1
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # The next Tab goes to the first control inside main, not back into the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert focused(page, "#id_q")


def test_search_and_open_a_person_with_keys_only(page, officer, persons):
    login(page, officer)
    page.goto("/")
    # From the workbench to the search page through the main navigation.
    tab_until(page, "nav a[href='/persons/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/persons/")
    tab_until(page, "#id_q")
    press_each(page, "zsf")
    page.keyboard.press("Enter")  # submits the search form
    page.wait_for_url("**/persons/?q=zsf*")
    assert page.get_by_role("heading", name="找到 1 人").is_visible()
    tab_until(page, "table a")
    assert page.evaluate("document.activeElement.textContent") == "张三丰"
    # The focused link is visibly marked (GOV.UK yellow focus style).
    background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert background == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/persons/{persons['zhang'].pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("张三丰")
    assert_accessible(page, state="person file reached by keyboard")


def test_login_with_keys_only(page, officer):
    page.goto("/accounts/login/")
    tab_until(page, "#id_username")
    press_each(page, officer.username)
    page.keyboard.press("Tab")
    assert focused(page, "#id_password")
    press_each(page, "Correct-horse-9")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "工作台"
