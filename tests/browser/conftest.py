"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page is checked with axe (WCAG 2.1 AA) in its normal and, where it has a form, its error state.
No browser is ever downloaded: Playwright launches /usr/bin/chromium. axe-core is injected from the copy
shipped inside axe-playwright-python, so nothing is fetched from the network; every request that does
not go to the live server is blocked and fails the test.
"""

import os
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; the ORM calls made from tests and
# fixtures are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PASSWORD = "Correct-horse-9"  # factories.make_user
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


# --- browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose page may only talk to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    allowed = urlparse(live_server.url).netloc
    outside = []

    def only_live_server(route):
        url = urlparse(route.request.url)
        if url.scheme in {"http", "https"} and url.netloc != allowed:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_live_server)
    page = context.new_page()
    problems = []

    def on_console(msg):
        # A failed sub-resource is reported by on_response below; an error page's own status (404, 403,
        # 429) is expected and asserted by the test that asks for it.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"console {msg.type}: {msg.text}")

    def on_response(response):
        if response.request.resource_type != "document" and response.status >= 400:
            problems.append(f"{response.request.resource_type} {response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    context.close()
    assert not outside, f"the page asked for resources outside the live server: {outside}"
    # A CSP violation or a script error shows up as a console error.
    assert not problems, "\n".join(problems)


# --- data -----------------------------------------------------------------------------------------


@pytest.fixture
def areas(transactional_db):
    """The shared fixtures' areas, committed: the live server runs in another thread."""
    from canlian.registry.tests.factories import make_areas

    return make_areas()


@pytest.fixture
def community_officer(beijiang_officer):
    return beijiang_officer


def ten_years_ago_plus(days: int) -> date:
    """An issue date whose 10-year certificate runs out `days` from today."""
    from django.utils import timezone

    from canlian.registry.rules import add_years

    target = timezone.localdate() + timedelta(days=days)
    return add_years(target, -10)


@pytest.fixture
def persons(areas, officer):
    """Persons with assessments, certificates and one household.

    张三丰 (北疆): physical grade 2, valid to 2030, head of a household with a wife.
    李小红 (北疆): hearing grade 3, card runs out in 30 days (on the expiring worklist).
    王大明 (东城): vision grade 1 — outside the community officer's scope.
    赵小梅 (北疆): assessed (intellectual grade 4) but no certificate yet.
    """
    from canlian.registry import rules, services
    from canlian.registry.tests.factories import make_certificate, make_id, make_person

    zhang = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1958, 3, 4), sequence=11,
                        phone="13800001111", address="北疆路 1 号")
    zhang_card = make_certificate(person=zhang, by=officer, category=4, grade=2, on=date(2020, 5, 1))
    household = services.household_create(by=officer, head=zhang)
    services.household_add_member(household=household, by=officer, relation="spouse", name="王秀英",
                                  id_number=make_id(date(1960, 6, 1), 22))

    li = make_person(by=officer, area=areas["beijiang"], name="李小红", birth=date(1990, 7, 8), sequence=22)
    li_card = make_certificate(person=li, by=officer, category=2, grade=3, on=ten_years_ago_plus(30))

    wang = make_person(by=officer, area=areas["dongcheng"], name="王大明", birth=date(1975, 2, 3), sequence=33)
    wang_card = make_certificate(person=wang, by=officer, category=1, grade=1, on=date(2019, 9, 9))

    zhao = make_person(by=officer, area=areas["beijiang"], name="赵小梅", birth=date(2001, 12, 1), sequence=44)
    zhao_assessment = services.assessment_record(person=zhao, by=officer, assessed_on=date(2024, 3, 1),
                                                 institution="二连浩特市残疾评定机构",
                                                 findings=[rules.Finding(5, 4)])
    return {
        "zhang": zhang, "zhang_card": zhang_card, "household": household,
        "li": li, "li_card": li_card,
        "wang": wang, "wang_card": wang_card,
        "zhao": zhao, "zhao_assessment": zhao_assessment,
    }


# --- helpers --------------------------------------------------------------------------------------


def login(page, user, password: str = PASSWORD) -> None:
    """Log in through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    if password == PASSWORD:
        assert "/accounts/login/" not in page.url, f"login as {user.username} failed: {page.title()}"


def _describe(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) (WCAG 2.1 AA):"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend("      " + line for line in summary.splitlines())
    return "\n".join(lines)


_AXE = Axe()


def assert_accessible(page, *, state: str = "") -> None:
    """Run axe with the WCAG 2.1 A and AA rules on the page as it is now; fail listing every violation."""
    page.wait_for_load_state()
    results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                      "resultTypes": ["violations"]})
    violations = results.response["violations"]
    where = f"{page.url} «{page.title()}»" + (f" ({state})" if state else "")
    assert not violations, f"{where}\n{_describe(violations)}"


def assert_error_page_state(page) -> None:
    """The GOV.UK error state: title prefixed 错误：, a summary with role=alert that has the focus."""
    summary = page.locator(".error-summary")
    summary.wait_for()
    expect(page).to_have_title(re.compile("^错误："))
    assert summary.get_attribute("role") == "alert"
    # expect() polls from Python: a string for wait_for_function would be eval'd in the page, which the CSP forbids.
    expect(summary).to_be_focused()


def focused(page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_until(page, selector: str, *, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab until the focused element matches selector."""
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, selector):
            return
    active = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{selector!r} not reached with {key} after {limit} presses; focus is on {active}")


def fill_date(page, label: str, value: date) -> None:
    page.get_by_label(label, exact=True).fill(value.isoformat())


def screenshot(page, name: str, *, full_page: bool = False) -> None:
    """Save a screenshot for a person to look at, when CANLIAN_SCREENSHOT_DIR names a directory."""
    directory = os.environ.get("CANLIAN_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=full_page)


def switch_user(page, user) -> None:
    """The next person at the same desk: the last one's session gone, then a login through the form."""
    page.context.clear_cookies()
    login(page, user)


def elder_toggle(page, *, on: bool) -> None:
    """Press the header's 长者模式 button and check the page came back in (or out of) elder mode."""
    with page.expect_navigation():  # a form post, then back to the same page
        page.get_by_role("button", name="长者模式").click()
    classes = (page.locator("html").get_attribute("class") or "").split()
    assert ("elder" in classes) is on
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true" if on else "false")
