"""Rights cases (维权案件) in the browser, by keyboard alone: a 12345 hotline call about a registered person is taken by a
federation officer and assigned to the community officer; the daily sweep, run later than its deadline, escalates
it (超期督办) and the worklist shows so; the community officer answers and closes it with the caller's satisfaction,
sees the statistics and reopens it. Each form is refused when sent empty or wrong, with the error summary focused
and linked to its fields; another community's officer gets 404. axe on every page state, also in elder mode.

The keyboard helpers here are shared with test_volunteers.py and test_organisation.py."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from canlian.common.workdays import add_working_days
from canlian.registry.tests.factories import make_person
from canlian.rights.models import Case, CaseStep
from canlian.rights.rules import CaseKind, CaseSource, CaseState, Satisfaction
from canlian.rights.services import case_assign, case_close, case_open, case_reply, cases_sweep
from tests.browser.conftest import (
    PASSWORD,
    assert_accessible,
    assert_error_page_state,
    focused,
    screenshot,
    tab_until,
)
from tests.browser.test_elder_mode import toggle_with_keyboard, too_small

SUBMIT = "main form[method=post] button[type=submit]"


# --- keyboard helpers -----------------------------------------------------------------------------


def keyboard_login(page, user) -> None:
    """Sign in with the keys alone: Tab to the user name, type, Tab, type the password, Enter."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    tab_until(page, "#id_username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    assert focused(page, "#id_password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, f"login as {user.username} failed: {page.title()}"


def reach(page, selector: str) -> None:
    """Tab (onwards from where the focus is) until `selector` has the focus; nothing when it has it already."""
    if not focused(page, selector):
        tab_until(page, selector, limit=150)


def follow(page, selector: str) -> None:
    """Tab to a link or a button, press Enter, wait for the page it leads to."""
    reach(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_in(page, selector: str, text: str) -> None:
    """Tab to a text box, select what it holds, type over it."""
    reach(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    assert page.locator(selector).input_value() == text


def type_date(page, selector: str, day: date) -> None:
    """Tab to a date box and type the day (headless Chromium edits month/day/year, whatever the locale)."""
    reach(page, selector)
    page.keyboard.type(f"{day:%m%d%Y}")
    assert page.locator(selector).input_value() == day.isoformat()


def choose(page, selector: str, label: str, *, key: str = "ArrowDown") -> None:
    """Tab to a list (select), then an arrow key until the option shown is `label`."""
    reach(page, selector)
    shown = "s => s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text.trim()"
    for _ in range(40):
        if page.locator(selector).evaluate(shown) == label:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{label!r} not reached in {selector} with {key}")


def choose_radio(page, name: str, label: str) -> None:
    """Tab into a radio group (it lands on the chosen option, or the first), Space, then ArrowDown until `label`."""
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("(n) => !!document.activeElement && document.activeElement.name === n", name):
            break
    else:
        raise AssertionError(f"the radio group {name} not reached with Tab")
    page.keyboard.press("Space")
    for _ in range(15):
        if page.evaluate("(n) => { const on = document.querySelector(`input[name='${n}']:checked`);"
                         "  return on && on.labels.length ? on.labels[0].textContent.trim() : ''; }", name) == label:
            assert focused(page, f"input[name='{name}']:checked")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} not reached with ArrowDown")


def press_space_on(page, selector: str) -> None:
    """Tab to a checkbox and press Space."""
    reach(page, selector)
    page.keyboard.press("Space")


def summary_value(page, term: str):
    """The value (dd) of a summary list's row whose term (dt) is `term`."""
    row = page.locator("main .summary > div").filter(has=page.locator("dt").get_by_text(term, exact=True))
    return row.locator("dd")


def summary_hrefs(page) -> list[str]:
    return page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def assert_refused(page, hrefs: list[str]) -> None:
    """The GOV.UK error state: title 错误：…, the summary focused, one link per field, each to a control that exists
    and is marked (aria-invalid, or its fieldset described by the error)."""
    assert_error_page_state(page)
    assert summary_hrefs(page) == hrefs
    for href in hrefs:
        target = page.locator(href)
        expect(target).to_have_count(1)
        marked = target.evaluate("""el => el.getAttribute('aria-invalid') === 'true' ||
            !!(el.closest('fieldset') && (el.closest('fieldset').getAttribute('aria-describedby') || '')
               .includes(el.closest('fieldset').querySelector('.error-message')?.id || '-'))""")
        assert marked, f"{href} is not marked as in error"


def summary_link_moves_focus(page, href: str) -> None:
    """From the focused summary, Tab to the field's link and Enter: the focus lands on the field."""
    tab_until(page, f".error-summary a[href='{href}']", limit=20)
    page.keyboard.press("Enter")
    assert focused(page, href), f"Enter on the summary's link did not move the focus to {href}"


def elder_on(page) -> None:
    toggle_with_keyboard(page)
    assert "elder" in (page.locator("html").get_attribute("class") or "").split()
    assert too_small(page, 60) == []


def elder_off(page) -> None:
    toggle_with_keyboard(page)
    assert "elder" not in (page.locator("html").get_attribute("class") or "").split()


def walk_at_both_sizes(page, pages: dict[str, str]) -> None:
    """Each page as it first opens: at normal size every control at least 44 px; then, elder mode switched on by
    keyboard once, each page again with every control at least 60 px and no axe violation."""
    for state, url in pages.items():
        page.goto(url)
        assert too_small(page, 44) == [], state
        screenshot(page, state, full_page=True)
    elder_on(page)
    for state, url in pages.items():
        page.goto(url)
        assert "elder" in (page.locator("html").get_attribute("class") or "").split()
        assert too_small(page, 60) == [], state
        assert_accessible(page, state=f"{state}, elder mode")
        screenshot(page, f"{state}, elder mode", full_page=True)
    elder_off(page)


def assert_404(page, url: str, *, leaks: tuple[str, ...] = ()) -> None:
    response = page.goto(url)
    assert response.status == 404, f"{url} answered {response.status}"
    expect(page).to_have_title("找不到页面 - 残联综合服务平台")
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到页面")
    content = page.content()
    for text in leaks:
        assert text not in content, f"{url} shows {text}"


def shown(day: date) -> str:
    """A date as the templates show it (zh-Hans)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- data -----------------------------------------------------------------------------------------


@pytest.fixture
def zhang(areas, officer):
    """张三丰 (北疆), who calls the hotline about himself."""
    return make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1970, 3, 4), sequence=11,
                       phone="13800001111")


# --- 1. the hotline case, start to end ------------------------------------------------------------


def test_a_hotline_case_is_taken_assigned_escalated_answered_and_closed_by_keyboard(
        page, officer, beijiang_officer, areas, zhang):
    today = timezone.localdate()
    # Another case of the same community, with a later deadline: it is neither escalated nor first.
    petition = case_open(by=beijiang_officer, kind=CaseKind.PETITION, source=CaseSource.LETTER, received_on=today,
                         area=areas["beijiang"], caller_name="李桂兰", summary="来信反映小区无障碍坡道被占用。")
    keyboard_login(page, officer)

    # 维权案件, from the main navigation.
    follow(page, ".nav a[href='/rights/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("维权案件")
    expect(page.locator("main tbody tr")).to_have_count(1)
    assert_accessible(page, state="cases, one open")

    # 受理登记 sent empty: refused at each field, the summary focused and linked.
    follow(page, "main a[href='/rights/new/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("受理登记")
    expect(page.get_by_label("受理日期")).to_have_value(today.isoformat())
    assert_accessible(page, state="take a case, empty")
    follow(page, SUBMIT)
    assert_refused(page, ["#id_kind", "#id_source", "#id_summary"])
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("案件类型：请选择案件类型。")
    expect(summary).to_contain_text("来源：请选择来源。")
    expect(summary).to_contain_text("反映内容：请填写反映内容。")
    expect(page).to_have_title("错误：受理登记 - 残联综合服务平台")
    assert_accessible(page, state="take a case refused: empty")
    summary_link_moves_focus(page, "#id_kind")

    # The kind with the arrow keys (咨询 → 求助), the source from its list, a wrong ID number.
    page.keyboard.press("ArrowDown")
    assert focused(page, "#id_kind_1") and page.locator("#id_kind_1").is_checked()
    page.keyboard.press("Tab")
    assert focused(page, "#id_source")
    choose(page, "#id_source", "12345 政务服务热线")
    type_in(page, "#id_id_number", "15250119700304001")
    type_in(page, "#id_caller_phone", "13800001111")
    type_in(page, "#id_summary", "残疾人证办理后，社区迟迟未发放护理补贴，请求帮助。")
    follow(page, SUBMIT)
    assert_refused(page, ["#id_id_number"])
    expect(page.locator("#id_kind_1")).to_be_checked()  # the answers are kept
    expect(page.locator("#id_source")).to_have_value(CaseSource.HOTLINE_12345)
    assert Case.objects.count() == 1
    assert_accessible(page, state="take a case refused: a wrong ID number")

    # The right ID number: the case belongs to his community, his name is the caller's.
    summary_link_moves_focus(page, "#id_id_number")
    page.keyboard.press("Control+A")
    page.keyboard.type(zhang.id_number)
    follow(page, SUBMIT)
    case = Case.objects.exclude(pk=petition.pk).get()
    assert page.url.endswith(f"/rights/{case.pk}/")
    assert (case.kind, case.source, case.person, case.area, case.caller_name, case.state) == (
        CaseKind.HELP, CaseSource.HOTLINE_12345, zhang, areas["beijiang"], "张三丰", CaseState.RECEIVED)
    assert case.due_on == add_working_days(today, 10)
    ref = case.reference
    expect(page.get_by_role("status")).to_contain_text(f"已受理，受理编号 {ref}，办结期限 {case.due_on}。")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"求助 {ref} 待分派")
    expect(page).to_have_title(f"{ref} - 残联综合服务平台")
    expect(page.locator("ol.timeline > li")).to_have_count(1)
    assert_accessible(page, state="case received")

    # 分派 sent with no one chosen: refused at 承办人.
    follow(page, "button[value=assign]")
    assert_refused(page, ["#id_assign-officer"])
    expect(page.locator(".error-summary")).to_contain_text("承办人：请选择承办人或协办单位（二选一）。")
    assert_accessible(page, state="assign refused: no one chosen")
    choose(page, "#id_assign-officer", "beijiang")
    type_in(page, "#id_assign-note", "请入户核实补贴发放情况")
    follow(page, "button[value=assign]")
    expect(page.get_by_role("status")).to_contain_text(f"{ref}：办理中")
    expect(page.locator("ol.timeline")).to_contain_text("分派给 beijiang：请入户核实补贴发放情况")
    case.refresh_from_db()
    assert (case.state, case.assigned_to) == (CaseState.ASSIGNED, beijiang_officer)
    assert_accessible(page, state="case assigned")

    # The daily sweep, run the day after the deadline: escalated (超期督办).
    swept = cases_sweep(on=case.due_on + timedelta(days=1))
    assert swept.escalated == 1
    assert set(CaseStep.objects.filter(kind=CaseStep.Kind.ESCALATED).values_list("case", flat=True)) == {case.pk}

    # The community officer: the card on the workbench, then the worklist with the escalated case first.
    keyboard_login(page, beijiang_officer)
    card = page.get_by_role("region", name="未办结的维权案件")
    expect(card.locator(".card__number")).to_have_text("2")
    expect(card).to_contain_text("其中 1 件由您承办")
    follow(page, ".nav a[href='/rights/']")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(ref)
    expect(rows.nth(0)).to_contain_text("超期督办")
    expect(rows.nth(0)).to_contain_text("办理中")
    expect(rows.nth(1)).to_contain_text(petition.reference)
    expect(rows.nth(1)).not_to_contain_text("超期督办")
    expect(page.get_by_role("link", name="办理中（1）")).to_be_visible()
    assert_accessible(page, state="cases, one escalated")

    # The case, from its row: escalated by the system, in its steps.
    follow(page, f"main a[href='/rights/{case.pk}/']")
    expect(summary_value(page, "期限")).to_contain_text("超期督办")
    steps = page.locator("ol.timeline")
    expect(steps).to_contain_text(f"{shown(case.due_on + timedelta(days=1))} 超期督办（系统）")
    assert_accessible(page, state="case escalated")

    # Elder mode on the case, and its reply refused empty there.
    elder_on(page)
    assert_accessible(page, state="case escalated, elder mode")
    follow(page, "button[value=reply]")
    assert_refused(page, ["#id_reply-reply"])
    expect(page.locator(".error-summary")).to_contain_text("答复内容：请填写答复内容。")
    assert too_small(page, 60) == []
    assert_accessible(page, state="reply refused: empty, elder mode")
    elder_off(page)

    # A reply dated tomorrow: refused at the date; then dated today.
    type_date(page, "#id_reply-replied_on", today + timedelta(days=1))
    type_in(page, "#id_reply-reply", "已电话告知：护理补贴本月起发放，补发三个月。")
    follow(page, "button[value=reply]")
    assert_refused(page, ["#id_reply-replied_on"])
    expect(page.locator(".error-summary")).to_contain_text("答复日期：日期不能晚于今天。")
    expect(page.locator("#id_reply-reply")).to_have_value("已电话告知：护理补贴本月起发放，补发三个月。")
    assert_accessible(page, state="reply refused: dated tomorrow")
    type_date(page, "#id_reply-replied_on", today)
    follow(page, "button[value=reply]")
    expect(page.get_by_role("status")).to_contain_text(f"{ref}：已答复，待回访")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"求助 {ref} 已答复，待回访")
    assert_accessible(page, state="case answered")

    # 办结 sent empty: the outcome and the satisfaction asked for.
    follow(page, "button[value=close]")
    assert_refused(page, ["#id_close-outcome", "#id_close-satisfaction"])
    expect(page.locator(".error-summary")).to_contain_text("回访满意度：请选择回访满意度。")
    assert page.get_by_role("group", name="回访满意度").get_attribute("aria-describedby") == "id_close-satisfaction-error"
    assert_accessible(page, state="close refused: empty")
    type_in(page, "#id_close-outcome", "护理补贴已发放到位")
    choose_radio(page, "close-satisfaction", "基本满意")
    follow(page, "button[value=close]")
    expect(page.get_by_role("status")).to_contain_text(f"{ref}：已办结")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"求助 {ref} 已办结")
    expect(summary_value(page, "办理结果")).to_have_text("护理补贴已发放到位（回访：基本满意）")
    expect(summary_value(page, "期限")).not_to_contain_text("超期督办")
    case.refresh_from_db()
    assert (case.state, case.closed_on, case.satisfaction) == (CaseState.CLOSED, today, Satisfaction.FAIRLY)
    assert_accessible(page, state="case closed")

    # 重新办理 sent without a reason: refused.
    follow(page, "button[value=reopen]")
    assert_refused(page, ["#id_reopen-note"])
    expect(page.locator(".error-summary")).to_contain_text("重新办理的原因：请填写重新办理的原因。")
    assert_accessible(page, state="reopen refused: no reason")

    # The worklist no longer holds it; found by its number (closed ones too).
    follow(page, "main a[href='/rights/']")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).not_to_contain_text(ref)
    type_in(page, "#id_q", ref)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text("已办结")
    assert_accessible(page, state="cases, found by number")

    # The statistics: two received, one closed on time and satisfied.
    follow(page, "main a[href='/rights/statistics/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("维权案件统计")
    expect(summary_value(page, "受理")).to_have_text("2 件")
    expect(summary_value(page, "已办结")).to_have_text("1 件")
    expect(summary_value(page, "按期办结率")).to_have_text("100%")
    expect(summary_value(page, "回访满意率（满意和基本满意）")).to_have_text("100%")
    expect(summary_value(page, "未办结且已超期")).to_have_text("0")
    expect(page.get_by_role("table", name="按类型")).to_contain_text("求助")
    expect(page.get_by_role("table", name="按来源")).to_contain_text("12345 政务服务热线")
    expect(page.get_by_role("table", name="回访满意度（已办结）")).to_contain_text("基本满意")
    assert_accessible(page, state="statistics")
    choose(page, "#id_from", str(today.year - 1), key="ArrowUp")
    choose(page, "#id_to", str(today.year - 1), key="ArrowUp")
    follow(page, "main form[method=get] button[type=submit]")
    expect(page.get_by_role("main")).to_contain_text("这段时间没有受理案件。")
    assert_accessible(page, state="statistics, last year, none")

    # Reopened with a reason: back to its handler with a new deadline.
    page.goto(f"/rights/{case.pk}/")
    type_in(page, "#id_reopen-note", "回访时本人表示补发金额不对")
    follow(page, "button[value=reopen]")
    expect(page.get_by_role("status")).to_contain_text(f"{ref}：办理中")
    expect(summary_value(page, "重新办理")).to_have_text("1 次")
    case.refresh_from_db()
    assert (case.state, case.reopened, case.assigned_to) == (CaseState.ASSIGNED, 1, beijiang_officer)
    assert_accessible(page, state="case reopened")


# --- 2. another community -------------------------------------------------------------------------


def test_another_communitys_case_is_404_and_their_person_cannot_be_named_in_a_new_case(
        page, officer, dongcheng_officer, zhang):
    today = timezone.localdate()
    case = case_open(by=officer, kind=CaseKind.COMPLAINT, source=CaseSource.HOTLINE_12385, received_on=today,
                     person=zhang, summary="投诉公交车拒载轮椅。")
    keyboard_login(page, dongcheng_officer)
    assert_404(page, f"/rights/{case.pk}/", leaks=("张三丰", case.reference))
    assert_accessible(page, state="404 for another community's case")

    page.goto("/rights/")
    expect(page.get_by_role("main")).to_contain_text("没有未办结的案件。")
    type_in(page, "#id_q", case.reference)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_contain_text("没有找到这个受理编号的案件。")
    assert_accessible(page, state="cases, another community's number")

    # 张三丰's ID number in a new case: not found in this officer's areas.
    follow(page, "main a[href='/rights/new/']")
    elder_on(page)
    assert_accessible(page, state="take a case, elder mode")
    choose_radio(page, "kind", "投诉")
    choose(page, "#id_source", "来访")
    type_in(page, "#id_id_number", zhang.id_number)
    type_in(page, "#id_summary", "投诉公交车拒载轮椅。")
    follow(page, SUBMIT)
    assert_refused(page, ["#id_id_number"])
    expect(page).to_have_title(re.compile("^错误：受理登记"))
    expect(page.locator(".error-summary")).to_contain_text("在您负责的区域内没有找到这个身份证号的残疾人。")
    assert "张三丰" not in page.content()
    assert too_small(page, 60) == []
    assert_accessible(page, state="take a case refused: another community's person, elder mode")
    elder_off(page)
    assert Case.objects.count() == 1


# --- 3. every page in elder mode ------------------------------------------------------------------


def test_every_rights_page_in_elder_mode(page, officer, beijiang_officer, areas, zhang):
    today = timezone.localdate()
    late = case_open(by=officer, kind=CaseKind.CONSULTATION, source=CaseSource.HOTLINE_12385, received_on=today,
                     person=zhang, summary="咨询残疾人证换领需要的材料。")
    cases_sweep(on=late.due_on + timedelta(days=1))
    answered = case_open(by=officer, kind=CaseKind.LEGAL_AID, source=CaseSource.VISIT, received_on=today,
                         person=zhang, summary="申请法律援助：工伤赔偿纠纷。")
    case_assign(case=answered, by=officer, officer=beijiang_officer)
    case_reply(case=answered, by=beijiang_officer, replied_on=today, reply="已转市法律援助中心，三日内联系本人。")
    closed = case_open(by=officer, kind=CaseKind.INFRINGEMENT, source=CaseSource.DEPARTMENT, received_on=today,
                       area=areas["beijiang"], caller_name="赵敏", summary="用人单位克扣残疾职工工资。")
    case_reply(case=closed, by=officer, replied_on=today, reply="已转劳动保障监察。")
    case_close(case=closed, by=officer, closed_on=today, outcome="工资已补发", satisfaction=Satisfaction.SATISFIED)
    keyboard_login(page, beijiang_officer)
    walk_at_both_sizes(page, {
        "cases": "/rights/",
        "cases, 待分派 tab": "/rights/?state=received",
        "take a case": "/rights/new/",
        "case escalated, to assign": f"/rights/{late.pk}/",
        "case answered, to close": f"/rights/{answered.pk}/",
        "case closed, to reopen": f"/rights/{closed.pk}/",
        "statistics": "/rights/statistics/",
    })
