"""Logging in: the form, the wrong-password error state, the lockout page."""

from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible, assert_error_page_state, login


def test_login_page_and_successful_login(page, officer):
    page.goto("/")
    assert "/accounts/login/" in page.url  # the workbench sends anonymous visitors to log in
    expect(page).to_have_title("登录 - 残联综合服务平台")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert_accessible(page, state="empty login form")

    login(page, officer)
    assert page.url.endswith("/")
    assert page.get_by_role("heading", level=1).inner_text() == "工作台"
    assert_accessible(page, state="workbench after login")


def test_wrong_password_shows_focused_error_summary(page, officer):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录", exact=True).click()

    assert "/accounts/login/" in page.url
    assert_error_page_state(page)
    summary = page.locator(".error-summary")
    assert "用户名或密码不正确" in summary.inner_text()
    # The password is never echoed back; the user name is kept so only the password needs retyping.
    assert page.get_by_label("密码").input_value() == ""
    assert page.get_by_label("用户名").input_value() == officer.username
    assert_accessible(page, state="wrong password")

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "工作台"


def test_lockout_page_after_repeated_failures(page, officer, settings):
    settings.AXES_FAILURE_LIMIT = 2  # the page is the same after 5; two keeps the test quick
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(page, officer, password="wrong-password-1")
    assert page.get_by_role("heading", level=1).inner_text() == "账号已暂时锁定"
    # Even the right password is refused while locked.
    login(page, officer, password=PASSWORD + "x")
    assert page.get_by_role("heading", level=1).inner_text() == "账号已暂时锁定"
    assert_accessible(page, state="locked out")


def test_logout_returns_to_login(page, officer):
    login(page, officer)
    page.get_by_role("button", name="退出").click()
    assert "/accounts/login/" in page.url
    page.goto("/persons/")
    assert "/accounts/login/" in page.url
