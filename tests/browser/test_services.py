"""Needs and services in the browser: a community officer's survey visit on a tablet, one section by keyboard alone,
resumed after a dropped connection, its needs on the worklist; a need referred with a device over its subsidy limit,
its service completed; a need closed only with a reason; a certified child made a rehabilitation case; progress,
coverage and coordinators; another community refused; a visit date of tomorrow or of last year, and an employment
answer without its reason, refused where they are entered. axe on every page, in its normal and its error state, and
in elder mode on a survey section and a need."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from canlian.employment.models import EmploymentRecord
from canlian.registry.tests.factories import make_certificate, make_person
from canlian.services import services
from canlian.services.choices import NeedKind, NeedState, ServiceOutcome
from canlian.services.models import DeviceProduct, Institution, Need, ServiceRecord, SurveyVisit
from tests.browser.conftest import (
    assert_accessible,
    assert_error_page_state,
    elder_toggle,
    focused,
    login,
    switch_user,
    tab_until,
)
from tests.browser.test_elder_mode import too_small

TABLET = {"width": 800, "height": 1280}


def _status(page):
    return page.get_by_role("status")


def _summary(page):
    return page.locator(".error-summary")


def _answer(page, question: str, option: str) -> None:
    page.get_by_role("group", name=question).get_by_label(option, exact=True).check()


def _save_section(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="保存并继续").click()


def _fits_the_width(page) -> bool:
    """Nothing to scroll sideways for."""
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def _section_state(page, title: str):
    return page.locator(".task-list__item", has=page.get_by_role("link", name=title, exact=True)).locator(".status")


# --- data -----------------------------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def wang(areas, officer):
    """王五 (北疆), physical grade 2, of working age: eight sections, employment among them."""
    person = make_person(by=officer, area=areas["beijiang"], name="王五", birth=date(1985, 6, 1), sequence=15)
    make_certificate(person=person, by=officer, category=4, grade=2, on=date(2022, 5, 1))
    return person


@pytest.fixture
def zhang(areas, officer):
    """张三丰 (北疆), physical grade 2."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1970, 3, 4), sequence=11)
    make_certificate(person=person, by=officer, category=4, grade=2, on=date(2020, 5, 1))
    return person


@pytest.fixture
def catalogue(areas):
    wheelchair = DeviceProduct.objects.create(name="普通轮椅", category="轮椅", subsidy_limit=Decimal("800.00"))
    centre = Institution.objects.create(name="二连浩特市辅助器具服务中心", kind="device", area=areas["city"],
                                        qualified_from=date(2020, 1, 1))
    return wheelchair, centre


# --- 1. the survey visit --------------------------------------------------------------------------


def test_a_community_officer_does_a_survey_visit_on_a_tablet_resumes_it_and_its_needs_reach_the_worklist(
        page, beijiang_officer, wang):
    today = timezone.localdate()
    page.set_viewport_size(TABLET)
    login(page, beijiang_officer)

    # From the person file, where the section has nothing yet.
    page.goto(f"/persons/{wang.pk}/")
    section = page.get_by_role("region", name="需求与服务")
    expect(section).to_contain_text("尚无登记的需求。")
    expect(section).to_contain_text("尚无入户调查记录。")
    assert_accessible(page, state="tablet, person file, no needs")
    section.get_by_role("link", name=f"{today.year} 年入户调查").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("入户调查：王五")
    visit_url = page.url
    assert visit_url.endswith(f"/services/persons/{wang.pk}/survey/")
    expect(page.get_by_label("入户日期")).to_have_value(today.isoformat())
    assert_accessible(page, state="tablet, survey not started")

    # Started with no date: refused at the field.
    page.get_by_label("入户日期").fill("")
    page.get_by_role("button", name="开始调查").click()
    assert_error_page_state(page)
    expect(_summary(page)).to_contain_text("入户日期：请填写入户日期。")
    assert page.get_by_label("入户日期").get_attribute("aria-invalid") == "true"
    assert not SurveyVisit.objects.exists()
    assert_accessible(page, state="tablet, survey start: no date")
    page.get_by_label("入户日期").fill(today.isoformat())
    page.get_by_role("button", name="开始调查").click()
    expect(page.locator(".task-list__item")).to_have_count(8)  # working age: employment is asked, education not
    expect(page.locator(".task-list .status--ok")).to_have_count(0)
    expect(_section_state(page, "就业")).to_have_text("未填写")
    assert SurveyVisit.objects.get(person=wang).visited_on == today
    assert_accessible(page, state="tablet, survey started, nothing saved")

    # Finished too early: the missing sections are named.
    page.get_by_role("button", name="完成调查").click()
    assert_error_page_state(page)
    expect(_summary(page)).to_contain_text("还有未填写的部分：救助与补贴、社会保险、康复")
    assert_accessible(page, state="tablet, survey completed too early")

    # The first section by keyboard alone: Tab to its link, Enter; arrows and Space in each radio group.
    page.goto(visit_url)
    tab_until(page, f"a[href^='/services/persons/{wang.pk}/survey/assistance/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("救助与补贴")
    assert too_small(page, 44) == []  # large targets for a finger
    assert _fits_the_width(page)
    assert_accessible(page, state="tablet, survey section, empty")
    tab_until(page, "#id_assistance-living_allowance")  # the first radio of the first question
    page.keyboard.press("ArrowDown")  # moves to 否 and chooses it
    assert focused(page, "#id_assistance-living_allowance_1")
    page.keyboard.press("Tab")  # into the next group, at its first radio
    assert focused(page, "#id_assistance-nursing_allowance")
    page.keyboard.press("Space")  # 是
    page.keyboard.press("Tab")
    assert focused(page, "#id_assistance-hardship")
    page.keyboard.press("ArrowDown")  # 否
    page.keyboard.press("Tab")
    assert focused(page, "button[type=submit]:not([aria-pressed])")
    assert page.evaluate("document.activeElement.textContent") == "保存并继续"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(_status(page)).to_contain_text("已保存：救助与补贴。")
    expect(page.get_by_role("heading", level=1)).to_have_text("社会保险")  # the next section, straight on
    assert SurveyVisit.objects.get(person=wang).answers["assistance"] == {
        "living_allowance": "no", "nursing_allowance": "yes", "hardship": "no"}

    # The second by touch.
    _answer(page, "是否参加基本养老保险", "是")
    _answer(page, "是否参加基本医疗保险", "是")
    _save_section(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("康复")

    # The connection drops while the third is sent: only that page is lost.
    page.context.set_offline(True)
    _answer(page, "是否需要康复服务", "需要")
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_load_state()
    page.context.set_offline(False)
    assert set(SurveyVisit.objects.get(person=wang).answers) == {"assistance", "insurance"}
    page.goto(visit_url)
    expect(_section_state(page, "救助与补贴")).to_have_text("已保存")
    expect(_section_state(page, "社会保险")).to_have_text("已保存")
    expect(_section_state(page, "康复")).to_have_text("未填写")
    assert_accessible(page, state="tablet, survey resumed, two sections saved")
    # A saved section shows its answers when opened again; the lost one shows none.
    page.get_by_role("link", name="救助与补贴", exact=True).click()
    expect(page.get_by_role("group", name="是否领取困难残疾人生活补贴").get_by_label("否", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="是否领取重度残疾人护理补贴").get_by_label("是", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="家庭生活是否有特殊困难").get_by_label("否", exact=True)).to_be_checked()
    page.get_by_role("link", name="返回调查目录").click()
    page.get_by_role("link", name="社会保险", exact=True).click()
    expect(page.get_by_role("group", name="是否参加基本养老保险").get_by_label("是", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="是否参加基本医疗保险").get_by_label("是", exact=True)).to_be_checked()
    page.get_by_role("link", name="返回调查目录").click()
    page.get_by_role("link", name="康复", exact=True).click()
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)

    # One question left unanswered: refused, the other answers kept; the summary's link goes to its first radio.
    _answer(page, "是否需要康复服务", "需要")
    _answer(page, "是否已签约家庭医生", "否")
    page.get_by_role("button", name="保存并继续").click()
    assert_error_page_state(page)
    expect(page).to_have_title(re.compile("^错误：康复 - 入户调查：王五"))
    links = _summary(page).locator("a")
    expect(links).to_have_count(1)
    expect(links).to_have_text("过去一年是否获得康复服务：请回答：过去一年是否获得康复服务。")
    expect(page.get_by_role("group", name="是否需要康复服务").get_by_label("需要", exact=True)).to_be_checked()
    group = page.get_by_role("group", name="过去一年是否获得康复服务")
    assert group.get_attribute("aria-describedby") == "id_rehabilitation-receives-error"
    assert_accessible(page, state="tablet, survey section: a question unanswered")
    links.click()
    first = group.get_by_role("radio").first
    expect(first).to_have_accessible_name("已获得")
    expect(first).to_be_focused()
    assert "rehabilitation" not in SurveyVisit.objects.get(person=wang).answers

    # Elder mode on the section, empty and in its error state.
    elder_toggle(page, on=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("康复")
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, tablet, survey section")
    _answer(page, "是否需要康复服务", "需要")
    page.get_by_role("button", name="保存并继续").click()
    assert_error_page_state(page)
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, tablet, survey section: two questions unanswered")
    elder_toggle(page, on=False)

    _answer(page, "是否需要康复服务", "需要")
    _answer(page, "过去一年是否获得康复服务", "未获得")
    _answer(page, "是否已签约家庭医生", "否")
    _save_section(page)
    expect(_status(page)).to_contain_text("已保存：康复。")
    expect(page.get_by_role("heading", level=1)).to_have_text("辅助器具")
    _answer(page, "是否需要辅助器具", "需要")
    _answer(page, "是否已配备所需的辅助器具", "未获得")
    _save_section(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("就业")
    _answer(page, "是否就业", "否")
    page.get_by_label("未就业原因（未就业的填写）").select_option(label="有就业意愿，尚未就业")
    assert_accessible(page, state="tablet, survey section with lists")
    _save_section(page)
    _answer(page, "是否需要托养或照护服务", "不需要")
    _answer(page, "是否已获得托养或照护服务", "未获得")
    _save_section(page)
    _answer(page, "家中是否需要无障碍改造", "需要")
    _answer(page, "是否已完成改造", "未获得")
    _save_section(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("文化体育")
    _answer(page, "过去一年是否参加文化体育活动", "是")
    _answer(page, "是否希望参加文化体育活动", "不需要")
    _save_section(page)

    # The last one saved: back to the list, every section saved; finishing opens the needs.
    assert page.url == f"{visit_url}?year={today.year}"
    expect(page.locator(".task-list .status--ok")).to_have_count(8)
    assert_accessible(page, state="tablet, every section saved")
    page.get_by_role("button", name="完成调查").click()
    expect(_status(page)).to_contain_text("完成入户调查，发现 4 项需求。")
    found = page.get_by_role("list", name="本次调查发现的需求").get_by_role("listitem")
    expect(found).to_have_count(4)
    for kind in ("康复服务", "辅助器具", "就业帮扶", "家庭无障碍改造"):
        expect(found.filter(has_text=kind)).to_contain_text("待转介")
    expect(page.get_by_role("button", name="完成调查")).to_have_count(0)
    expect(page.locator(".task-list a")).to_have_count(0)  # a finished visit is read only
    visit = SurveyVisit.objects.get(person=wang)
    assert visit.completed_at is not None
    assert set(visit.needs.values_list("kind", flat=True)) == {
        NeedKind.REHABILITATION, NeedKind.ASSISTIVE_DEVICE, NeedKind.EMPLOYMENT, NeedKind.HOME_MODIFICATION}
    assert EmploymentRecord.objects.get(person=wang).not_working_reason == "seeking"
    assert_accessible(page, state="tablet, survey completed, needs found")

    # The area's worklist shows them, all and by type.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="需求与服务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("需求与服务")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="辅助器具")).to_contain_text("王五")
    assert _fits_the_width(page)
    expect(page.get_by_role("link", name="全部（4）")).to_have_attribute("aria-current", "page")
    assert_accessible(page, state="tablet, needs worklist")
    page.get_by_role("link", name="辅助器具（1）").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("待转介")
    assert_accessible(page, state="tablet, needs worklist, devices")
    page.goto(f"/persons/{wang.pk}/")
    expect(page.get_by_role("region", name="需求与服务")).to_contain_text(f"入户调查：{today.year}（已完成）")


def test_a_visit_dated_after_today_is_refused_at_the_date_in_one_error_summary(page, beijiang_officer, wang):
    tomorrow = timezone.localdate() + timedelta(days=1)
    login(page, beijiang_officer)
    page.goto(f"/services/persons/{wang.pk}/survey/")
    page.get_by_label("入户日期").fill(tomorrow.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="开始调查").click()
    # The service's refusal, shown once and at its field: one summary, one alert.
    assert _summary(page).count() == 1, page.locator("main").aria_snapshot()
    assert_error_page_state(page)
    expect(_summary(page).locator("a")).to_have_attribute("href", "#id_visited_on")
    expect(_summary(page)).to_contain_text("入户日期不能晚于今天。")
    assert page.get_by_label("入户日期").get_attribute("aria-invalid") == "true"
    assert not SurveyVisit.objects.exists()
    assert_accessible(page, state="survey start: dated tomorrow")


def test_a_visit_dated_last_year_is_not_filed_out_of_sight(page, beijiang_officer, wang):
    last_year = date(timezone.localdate().year - 1, 12, 30)
    login(page, beijiang_officer)
    page.goto(f"/services/persons/{wang.pk}/survey/")
    page.get_by_label("入户日期").fill(last_year.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="开始调查").click()
    # Either refused at the date, or that visit's sections shown: not the empty start form again, without a word,
    # with a visit of last year that no page of this year's survey reaches.
    assert page.locator(".error-summary, .task-list").count() >= 1, (
        f"back on the start form with no message; visits: {list(SurveyVisit.objects.values_list('year', flat=True))}")


def test_not_working_without_the_reason_is_refused_on_the_employment_page_not_at_the_end(
        page, beijiang_officer, wang):
    # Completing the visit records the employment answer (employment_record_add needs the reason), so a section
    # saved without it would leave a visit that can never be completed.
    services.survey_visit_start(person=wang, by=beijiang_officer, visited_on=timezone.localdate())
    login(page, beijiang_officer)
    page.goto(f"/services/persons/{wang.pk}/survey/employment/")
    _answer(page, "是否就业", "否")
    with page.expect_navigation():
        page.get_by_role("button", name="保存并继续").click()
    assert page.url.endswith("/survey/employment/"), f"saved without the reason, moved on to {page.url}"
    assert_error_page_state(page)
    expect(_summary(page).locator("a")).to_have_attribute("href", "#id_employment-reason")
    expect(_summary(page)).to_contain_text("未就业原因（未就业的填写）：请回答：未就业原因（未就业的填写）。")
    assert page.get_by_label("未就业原因（未就业的填写）").get_attribute("aria-invalid") == "true"
    assert "employment" not in SurveyVisit.objects.get(person=wang).answers
    assert_accessible(page, state="survey employment: not working, no reason")


# --- 2. referral and closing ----------------------------------------------------------------------


def test_a_device_need_is_referred_within_the_limit_and_met_and_another_need_closed_only_with_a_reason(
        page, beijiang_officer, zhang, catalogue):
    _, centre = catalogue
    today = timezone.localdate()
    device = services.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.ASSISTIVE_DEVICE,
                                source=Need.Source.SURVEY, detail="调查：需要辅助器具，尚未配备")
    rehab = services.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.REHABILITATION,
                               source=Need.Source.SURVEY, detail="调查：需要康复服务，过去一年未获得")
    login(page, beijiang_officer)

    page.goto(f"/services/needs/{device.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("辅助器具 待转介")
    service_field = page.get_by_label("服务项目")
    # Only the device services are offered, grouped under their type; the value is "kind:subtype".
    expect(service_field.locator("optgroup")).to_have_attribute("label", "辅助器具适配")
    expect(service_field.locator("option[value='assistive_device:fitting']")).to_have_text("适配")
    expect(page.get_by_label("转介日期")).to_have_value(today.isoformat())
    assert_accessible(page, state="device need, open")

    # Elder mode on the need: the page and its error state.
    elder_toggle(page, on=True)
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, device need")
    page.get_by_role("button", name="保存服务").click()
    assert_error_page_state(page)
    expect(_summary(page)).to_contain_text("服务项目：请选择服务项目。")
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, device need: no service chosen")
    elder_toggle(page, on=False)

    # A wheelchair with a subsidy over its limit: refused at the subsidy.
    service_field.select_option("assistive_device:fitting")
    page.get_by_label("服务机构").select_option(label=centre.name)
    page.get_by_label("辅助器具（适配、租赁时选择）").select_option(label="普通轮椅")
    page.get_by_label("转介日期").fill(today.isoformat())
    page.get_by_label("费用（元）").fill("1200")
    page.get_by_label("补贴金额（元）").fill("900")
    page.get_by_role("button", name="保存服务").click()
    assert_error_page_state(page)
    expect(_summary(page).locator("a")).to_have_attribute("href", "#id_refer-subsidy")
    expect(_summary(page)).to_contain_text("普通轮椅 的补贴限额为 800.00 元。")
    subsidy = page.get_by_label("补贴金额（元）")
    assert subsidy.get_attribute("aria-invalid") == "true"
    expect(page.locator("#id_refer-subsidy-error")).to_contain_text("补贴限额为 800.00 元")
    expect(service_field).to_have_value("assistive_device:fitting")  # the choice is kept
    assert not ServiceRecord.objects.exists()
    assert_accessible(page, state="device need: subsidy over the limit")
    _summary(page).locator("a").click()
    expect(subsidy).to_be_focused()

    # Referred with the subsidy left to the fitting.
    subsidy.fill("")
    page.get_by_role("button", name="保存服务").click()
    expect(_status(page)).to_contain_text("转介：辅助器具 → 适配")
    expect(page.get_by_role("heading", level=1)).to_have_text("辅助器具 已转介，服务中")
    referred = page.get_by_role("table").locator("tbody tr")
    expect(referred).to_contain_text(centre.name)
    assert_accessible(page, state="device need, referred")

    # The fitting finished without an outcome: refused; then completed, which meets the need.
    referred.get_by_role("link", name="适配").click()
    service = ServiceRecord.objects.get(need=device)
    assert page.url.endswith(f"/services/records/{service.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("辅助器具适配：适配")
    expect(page.get_by_role("main")).to_contain_text("普通轮椅（补贴限额 800.00 元）")
    expect(page.get_by_label("开始日期")).to_have_value(today.isoformat())
    assert_accessible(page, state="service record, referred")
    page.get_by_label("结束日期").fill(today.isoformat())
    page.get_by_role("button", name="保存", exact=True).click()
    assert_error_page_state(page)
    expect(_summary(page).locator("a")).to_have_attribute("href", "#id_outcome")
    expect(_summary(page)).to_contain_text("结束的服务请选择服务结果")
    assert page.get_by_label("服务结果").get_attribute("aria-invalid") == "true"
    assert_accessible(page, state="service record: ended without an outcome")
    page.get_by_label("服务结果").select_option(label="已完成")
    page.get_by_label("费用（元）").fill("1200")
    page.get_by_label("补贴金额（元）").fill("800")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(_status(page)).to_contain_text("更新服务：适配（已完成）")
    service.refresh_from_db()
    assert (service.outcome, service.ended_on, service.subsidy) == (ServiceOutcome.COMPLETED, today, Decimal(800))
    assert_accessible(page, state="service record, completed")
    page.get_by_role("link", name="辅助器具（已满足）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("辅助器具 已满足")
    expect(page.get_by_role("main")).to_contain_text("已获得服务：适配")
    expect(page.get_by_role("button", name="保存服务")).to_have_count(0)
    device.refresh_from_db()
    assert device.state == NeedState.MET
    assert_accessible(page, state="device need, met")

    # The rehabilitation need closed: no reason first.
    page.goto(f"/services/needs/{rehab.pk}/")
    page.get_by_role("button", name="关闭需求").click()
    assert_error_page_state(page)
    expect(_summary(page).locator("a")).to_have_attribute("href", "#id_close-note")
    expect(_summary(page)).to_contain_text("请填写关闭原因。")
    assert page.get_by_label("关闭原因").get_attribute("aria-invalid") == "true"
    assert_accessible(page, state="rehabilitation need: closed without a reason")
    page.get_by_label("关闭原因").fill("本人拒绝康复训练")
    page.get_by_role("button", name="关闭需求").click()
    expect(_status(page)).to_contain_text("关闭需求：康复服务")
    expect(page.get_by_role("heading", level=1)).to_have_text("康复服务 已关闭（未服务）")
    expect(page.get_by_role("main")).to_contain_text("本人拒绝康复训练")
    rehab.refresh_from_db()
    assert rehab.state == NeedState.CLOSED
    assert_accessible(page, state="rehabilitation need, closed")

    # A service recorded straight from the file (a federation activity): nothing chosen first.
    page.goto(f"/persons/{zhang.pk}/")
    page.get_by_role("region", name="需求与服务").get_by_role("link", name="登记服务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记服务")
    assert_accessible(page, state="record a service, empty")
    page.get_by_role("button", name="保存", exact=True).click()
    assert_error_page_state(page)
    expect(_summary(page)).to_contain_text("服务项目：请选择服务项目。")
    assert_accessible(page, state="record a service: nothing chosen")
    page.get_by_label("服务项目").select_option("culture_sports:federation_event")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(_status(page)).to_contain_text("登记服务：残联组织的活动")
    assert page.url.endswith(f"/persons/{zhang.pk}/")
    section = page.get_by_role("region", name="需求与服务")
    expect(section).to_contain_text("文化体育：残联组织的活动")
    expect(section.locator("tbody tr", has_text="辅助器具").first).to_contain_text("已满足")
    assert_accessible(page, state="person file with needs and services")


# --- 3. children's rehabilitation -----------------------------------------------------------------


def test_a_certified_child_is_made_a_rehabilitation_case(page, officer, beijiang_officer, areas):
    today = timezone.localdate()
    child = make_person(by=officer, area=areas["beijiang"], name="小明", birth=today - timedelta(days=365 * 5),
                        sequence=13)
    make_certificate(person=child, by=officer, category=5, grade=2, on=today - timedelta(days=30))
    login(page, beijiang_officer)
    page.goto("/services/children/")
    expect(page.get_by_role("heading", level=2)).to_have_text("1 名儿童待立案")
    row = page.locator("tbody tr", has_text="小明")
    expect(row).to_contain_text("持证")
    assert_accessible(page, state="children without a case")

    row.get_by_role("button", name=re.compile(r"^立案\s*（小明）$")).click()
    need = Need.objects.get(person=child)
    assert need.kind == NeedKind.CHILD_REHABILITATION
    assert page.url.endswith(f"/services/needs/{need.pk}/")
    expect(_status(page)).to_contain_text(f"小明：已立案，请在 {need.due_on} 前转介定点机构。")
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾儿童康复救助 待转介")
    expect(page.get_by_label("服务项目").locator("optgroup")).to_have_attribute("label", "残疾儿童康复救助")
    assert_accessible(page, state="children's rehabilitation case, open")

    page.goto("/services/children/")
    expect(page.get_by_role("main")).to_contain_text("没有待立案的残疾儿童。")
    assert_accessible(page, state="children without a case, none left")


# --- 4. progress, coverage, coordinators, another community ---------------------------------------


def test_progress_coverage_and_coordinators_and_another_community_gets_404(
        page, officer, beijiang_officer, dongcheng_officer, areas, zhang, wang, catalogue, tmp_path):
    today = timezone.localdate()
    _, centre = catalogue
    rehab = services.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.REHABILITATION,
                               source=Need.Source.SURVEY)
    service = services.service_record_add(person=zhang, by=beijiang_officer, need=rehab, kind="rehabilitation",
                                          subtype="training", provider=centre, started_on=today)
    services.need_open(person=wang, by=beijiang_officer, kind=NeedKind.ASSISTIVE_DEVICE, source=Need.Source.SURVEY)
    other = make_person(by=officer, area=areas["dongcheng"], name="王大明", birth=date(1975, 2, 3), sequence=33)
    make_certificate(person=other, by=officer, category=1, grade=1, on=date(2019, 9, 9))
    login(page, beijiang_officer)

    page.goto("/")
    expect(page.get_by_role("region", name="待办需求").locator(".card__number")).to_have_text("2")
    expect(page.get_by_role("region", name="今年尚未入户调查").locator(".card__number")).to_have_text("2")
    assert_accessible(page, state="workbench with the services cards")

    page.get_by_role("link", name="查看入户调查进度").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("入户调查进度")
    progress = page.locator("table").first.locator("tbody tr")
    expect(progress).to_have_count(1)
    expect(progress).to_contain_text("北疆社区")
    expect(page.get_by_role("heading", level=2)).to_have_text("尚未完成调查的 2 人")
    to_visit = page.locator("tbody tr", has_text="张三丰").locator(f"a[href='/services/persons/{zhang.pk}/survey/']")
    expect(to_visit).to_contain_text("张三丰")  # the person named in the link, for a screen reader's list of links
    expect(page.get_by_role("main")).not_to_contain_text("王大明")
    assert_accessible(page, state="survey progress")

    page.goto("/services/coverage/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{today.year} 年康复和辅助器具服务率")
    rehab_table = page.get_by_role("table", name="基本康复服务率")
    expect(rehab_table.locator("tbody tr")).to_contain_text("100.0%")
    expect(page.get_by_role("table", name="辅助器具适配率").locator("tbody tr")).to_contain_text("0.0%")
    assert_accessible(page, state="coverage, this year")
    with page.expect_download() as download:
        page.get_by_role("button", name=f"导出 {today.year} 年服务记录（XLSX）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / "services.xlsx"
    download.value.save_as(saved)
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert len(rows) == 2 and rows[1][0] == "张三丰" and "*" in rows[1][1]  # the ID number masked
    page.get_by_label("年度").select_option(str(today.year - 1))
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{today.year - 1} 年康复和辅助器具服务率")
    expect(page.get_by_role("main")).to_contain_text("这一年没有记录到此类需求。")
    assert_accessible(page, state="coverage, last year, no needs")

    page.goto("/services/coordinators/")
    expect(page.locator("tbody tr", has_text="北疆社区")).to_contain_text("未指派协调员")
    assert_accessible(page, state="coordinators")

    # Another community's officer: neither the need, its service, nor the survey; an empty worklist.
    switch_user(page, dongcheng_officer)
    for url in (f"/services/needs/{rehab.pk}/", f"/services/records/{service.pk}/",
                f"/services/persons/{zhang.pk}/survey/", f"/services/persons/{zhang.pk}/new/"):
        assert page.goto(url).status == 404, url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, state="404 for another community's need")
    page.goto("/services/")
    expect(page.get_by_role("main")).to_contain_text("没有待办的需求。")
    assert_accessible(page, state="needs worklist, another community")


# --- 5. home modifications and school placements ---------------------------------------------------


def test_a_home_modification_goes_from_application_to_acceptance_with_a_photo(page, beijiang_officer, zhang, tmp_path,
                                                                             settings):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate().isoformat()
    photo = tmp_path / "门口坡道.png"
    photo.write_bytes(PNG)
    login(page, beijiang_officer)
    page.goto(f"/persons/{zhang.pk}/")
    page.get_by_role("region", name="需求与服务").get_by_role("link", name="申请无障碍改造").click()
    page.get_by_label("申请日期").fill("")
    page.get_by_role("button", name="登记申请").click()
    assert_error_page_state(page)
    assert_accessible(page, state="modification application, no date")
    page.get_by_label("申请日期").fill(today)
    page.get_by_role("button", name="登记申请").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已申请，待入户评估")
    assert_accessible(page, state="modification applied")

    page.get_by_label("评估日期").fill(today)
    page.get_by_role("button", name="保存").click()  # no plan: refused at the field
    assert_error_page_state(page)
    assert_accessible(page, state="modification survey without a plan")
    elder_toggle(page, on=True)
    assert_accessible(page, state="modification survey without a plan, elder mode")
    assert too_small(page, 60) == []
    elder_toggle(page, on=False)
    page.get_by_label("评估日期").fill(today)
    page.get_by_label("改造内容").fill("卫生间扶手、门口坡道")
    page.get_by_role("button", name="保存").click()
    page.get_by_label("开工日期").fill(today)
    page.get_by_label("施工单位").fill("二连浩特市某建筑公司")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("施工中")

    page.get_by_label("验收日期").fill(today)
    page.get_by_label("改造费用（元）").fill("3200")
    page.get_by_label("补贴金额（元）").fill("3000")
    page.get_by_role("button", name="保存").click()  # no photo: refused
    assert_error_page_state(page)
    expect(_summary(page)).to_contain_text("请上传至少一张验收照片")
    assert_accessible(page, state="modification acceptance without a photo")
    page.get_by_label("验收日期").fill(today)
    page.get_by_label("改造费用（元）").fill("3200")
    page.get_by_label("补贴金额（元）").fill("3000")
    page.get_by_label("验收照片").set_input_files(str(photo))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已验收")
    expect(page.get_by_role("link", name="门口坡道.png")).to_be_visible()
    assert_accessible(page, state="modification accepted")

    page.goto("/services/modifications/")
    expect(page.get_by_role("main")).to_contain_text("没有进行中的改造项目。")
    assert_accessible(page, state="modifications, none in progress")


def test_a_school_age_child_is_placed_from_the_placement_worklist(page, officer, beijiang_officer, areas):
    today = timezone.localdate()
    child = make_person(by=officer, area=areas["beijiang"], name="小红", birth=today - timedelta(days=365 * 10),
                        sequence=22)
    make_certificate(person=child, by=officer, category=2, grade=3, on=today - timedelta(days=60))
    login(page, beijiang_officer)
    page.goto("/services/education/")
    assert_accessible(page, state="children without a placement")
    page.locator("tbody tr", has_text="小红").get_by_role("link", name=re.compile("登记安置")).click()
    page.get_by_label("服务项目").select_option("education:deferred")
    page.get_by_role("button", name="保存").click()  # deferred with no reason: refused
    assert_error_page_state(page)
    assert_accessible(page, state="deferred schooling without a reason")
    page.get_by_label("服务项目").select_option("education:mainstream")
    page.get_by_role("button", name="保存").click()
    page.goto("/services/education/")
    expect(page.get_by_role("main")).to_contain_text("适龄残疾儿童少年都已安置或登记了原因。")


def test_an_employment_support_need_points_to_the_employment_pages_and_closes_with_a_reason(page, beijiang_officer,
                                                                                            zhang):
    from canlian.services import services as service_writes

    need = service_writes.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.EMPLOYMENT,
                                    source=Need.Source.OFFICER, detail="有就业意愿")
    login(page, beijiang_officer)
    page.goto(f"/services/needs/{need.pk}/")
    expect(page.get_by_role("link", name="登记就业状态")).to_have_attribute(
        "href", f"/employment/persons/{zhang.pk}/record/")
    expect(page.get_by_label("服务项目")).to_have_count(0)  # no service type of its own to refer to
    assert_accessible(page, state="employment support need")
    page.get_by_label("关闭原因").fill("已在口岸物流公司就业")
    page.get_by_role("button", name="关闭需求").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已关闭")
