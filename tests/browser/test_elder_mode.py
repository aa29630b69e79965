"""Elder mode (长者模式): toggled with the keyboard, bigger text and targets, still WCAG 2.1 AA."""

from tests.browser.conftest import assert_accessible, assert_error_page_state, focused, login, screenshot, tab_until

ELDER_BUTTON = "button[aria-pressed]"
CONTROLS = ("button, input:not([type=hidden]), select, textarea, a.button, a.link-button")

SIZES = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.getClientRects().length > 0)
  .map(el => { const r = el.getBoundingClientRect();
               return {what: el.outerHTML.slice(0, 90), width: r.width, height: r.height}; })"""


def root_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def body_line_height_ratio(page) -> float:
    return page.evaluate("""(() => { const s = getComputedStyle(document.body);
                                      return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()""")


def too_small(page, minimum: float) -> list[dict]:
    controls = page.evaluate(SIZES, CONTROLS)
    assert controls, "no controls measured"
    return [c for c in controls if c["width"] < minimum - 0.01 or c["height"] < minimum - 0.01]


def toggle_with_keyboard(page) -> None:
    page.keyboard.press("Home")
    tab_until(page, ELDER_BUTTON)
    with page.expect_navigation():  # the toggle is a form post followed by a redirect back
        page.keyboard.press("Enter")


def test_elder_mode_by_keyboard_on_a_form(page, officer, areas):
    login(page, officer)
    page.goto("/persons/new/")
    assert page.locator("html").get_attribute("class") in ("", None)
    normal_font = root_font_px(page)
    assert normal_font >= 18
    assert body_line_height_ratio(page) >= 1.5
    assert too_small(page, 44) == []
    assert page.locator(ELDER_BUTTON).get_attribute("aria-pressed") == "false"

    toggle_with_keyboard(page)
    assert page.url.endswith("/persons/new/")  # back on the same page
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert page.locator(ELDER_BUTTON).get_attribute("aria-pressed") == "true"
    elder_font = root_font_px(page)
    assert elder_font > normal_font
    assert body_line_height_ratio(page) >= 1.5
    assert too_small(page, 60) == []
    screenshot(page, "elder_form")
    assert_accessible(page, state="elder mode, empty form")

    page.get_by_role("button", name="登记", exact=True).click()
    assert_error_page_state(page)
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, form errors")

    # And off again, by keyboard.
    toggle_with_keyboard(page)
    assert "elder" not in (page.locator("html").get_attribute("class") or "").split()
    assert root_font_px(page) == normal_font


def test_elder_mode_on_person_file_and_before_login(page, officer, persons):
    page.goto("/accounts/login/")
    toggle_with_keyboard(page)  # available before logging in too
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, login")

    login(page, officer)
    page.goto(f"/persons/{persons['zhang'].pk}/")
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert root_font_px(page) > 18
    assert too_small(page, 60) == []
    # The summary list becomes one column: each value sits below its term.
    term = page.locator(".summary dt").first.bounding_box()
    value = page.locator(".summary dd").first.bounding_box()
    assert value["y"] >= term["y"] + term["height"] - 1
    assert not focused(page, ELDER_BUTTON)
    assert_accessible(page, state="elder mode, person file")
