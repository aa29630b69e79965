"""English (for staff who read it better): the page says lang="en", errors are prefixed, axe stays clean."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login


def test_switch_to_english_and_back(page, officer, persons):
    login(page, officer)
    page.goto("/persons/new/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/persons/new/")
    assert page.locator("a.skip-link").inner_text() == "Skip to main content"
    assert_accessible(page, state="English form")

    page.locator("form[novalidate] button[type=submit]").last.click()
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page, state="English form errors")

    page.goto(f"/persons/{persons['zhang'].pk}/")
    assert_accessible(page, state="English person file")

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert page.locator("a.skip-link").inner_text() == "跳到主要内容"
