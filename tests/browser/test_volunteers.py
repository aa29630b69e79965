"""Volunteers for disabled persons (志愿助残) and the emergency register (应急结对) in the browser, by keyboard alone: a
community officer takes a person's request, registers a volunteer on their consent, matches the request to them and
logs the hours, which then show on the volunteers list; a federation officer records a person's emergency needs,
pairs them with a neighbour, confirms the pairing, and prints one community's emergency list (the header and the
navigation left out of the print). Each form refused when sent empty or wrong; another community's officer gets 404.
axe on every page state, also in elder mode."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from canlian.audit.models import AccessLog
from canlian.registry.tests.factories import make_certificate, make_person
from canlian.volunteers import services
from canlian.volunteers.models import EmergencyProfile, Pairing, Request, Service, Volunteer
from canlian.volunteers.rules import EmergencyNeed, RequestKind
from tests.browser.conftest import assert_accessible
from tests.browser.test_elder_mode import too_small
from tests.browser.test_rights import (
    SUBMIT,
    assert_404,
    assert_refused,
    choose,
    choose_radio,
    elder_off,
    elder_on,
    follow,
    keyboard_login,
    press_space_on,
    shown,
    summary_link_moves_focus,
    summary_value,
    type_in,
    walk_at_both_sizes,
)


def _status(page):
    return page.get_by_role("status")


def _summary(page):
    return page.locator(".error-summary")


@pytest.fixture
def zhang(areas, officer):
    """张三丰 (北疆), physical grade 1: severe, so suggested for the emergency register."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1950, 3, 4), sequence=11,
                         address="北疆路 1 号")
    make_certificate(person=person, by=officer, category=4, grade=1, on=date(2022, 5, 1))
    return person


@pytest.fixture
def wang(areas, officer):
    """王大明 (东城): another community."""
    return make_person(by=officer, area=areas["dongcheng"], name="王大明", birth=date(1975, 2, 3), sequence=33)


# --- 1. a request, a volunteer, the hours ---------------------------------------------------------


def test_a_volunteer_is_registered_with_consent_matched_to_a_request_and_the_hours_show_on_the_list(
        page, beijiang_officer, zhang, wang):
    today = timezone.localdate()
    keyboard_login(page, beijiang_officer)

    follow(page, ".nav a[href='/volunteers/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("志愿助残")
    expect(page.get_by_role("main")).to_contain_text("没有待办的志愿服务需求。")
    assert_accessible(page, state="requests, none")

    # The request sent empty, then with another community's person: refused at the fields.
    follow(page, "main a[href='/volunteers/requests/new/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("登记志愿服务需求")
    assert_accessible(page, state="new request, empty")
    follow(page, SUBMIT)
    assert_refused(page, ["#id_id_number", "#id_kind", "#id_detail"])
    expect(_summary(page)).to_contain_text("残疾人身份证号：请填写残疾人身份证号。")
    expect(_summary(page)).to_contain_text("服务类型：请选择服务类型。")
    expect(_summary(page)).to_contain_text("具体需求：请填写具体需求。")
    expect(page).to_have_title("错误：登记志愿服务需求 - 残联综合服务平台")
    assert_accessible(page, state="new request refused: empty")
    summary_link_moves_focus(page, "#id_id_number")
    page.keyboard.type(wang.id_number)
    choose_radio(page, "kind", "陪诊")
    type_in(page, "#id_detail", "需陪同到市医院复查，挂号取药。")
    follow(page, SUBMIT)
    assert_refused(page, ["#id_id_number"])
    expect(_summary(page)).to_contain_text("在您负责的区域内没有找到这个身份证号的残疾人。")
    assert "王大明" not in page.content()
    expect(page.get_by_role("radio", name="陪诊")).to_be_checked()
    assert not Request.objects.exists()
    assert_accessible(page, state="new request refused: another community's person")
    summary_link_moves_focus(page, "#id_id_number")
    page.keyboard.press("Control+A")
    page.keyboard.type(zhang.id_number)
    follow(page, SUBMIT)
    request = Request.objects.get()
    assert page.url.endswith(f"/volunteers/requests/{request.pk}/")
    assert (request.person, request.kind, request.state) == (zhang, RequestKind.ESCORT, Request.State.OPEN)
    expect(_status(page)).to_contain_text(f"已登记，请在 {request.due_on} 前对接志愿者。")
    expect(page.get_by_role("heading", level=1)).to_have_text("陪诊：张三丰 待响应")
    expect(page.get_by_role("region", name="对接志愿者")).to_contain_text("您负责的区域内还没有可提供陪诊的在册志愿者。")
    assert_accessible(page, state="request, no volunteer yet")

    # Cancelling needs a reason.
    follow(page, "button[value=cancel]")
    assert_refused(page, ["#id_cancel-note"])
    expect(_summary(page)).to_contain_text("取消原因：请填写取消原因。")
    assert_accessible(page, state="cancel refused: no reason")

    # A volunteer registered from the request's page: refused empty, in elder mode too, then without consent.
    follow(page, "main a[href='/volunteers/people/new/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("登记志愿者")
    expect(page.get_by_label("同意日期")).to_have_value(today.isoformat())
    assert_accessible(page, state="register a volunteer, empty")
    follow(page, SUBMIT)
    hrefs = ["#id_name", "#id_phone", "#id_area", "#id_skills", "#id_consent"]
    assert_refused(page, hrefs)
    expect(_summary(page)).to_contain_text("可提供的服务：请选择可提供的服务。")
    assert_accessible(page, state="register a volunteer refused: empty")
    elder_on(page)
    assert_accessible(page, state="register a volunteer, elder mode")
    follow(page, SUBMIT)
    assert_refused(page, hrefs)
    assert too_small(page, 60) == []
    assert_accessible(page, state="register a volunteer refused: empty, elder mode")
    elder_off(page)
    type_in(page, "#id_name", "李志愿")
    type_in(page, "#id_phone", "13947900001")
    choose(page, "#id_area", "北疆社区")
    press_space_on(page, "#id_skills_1")  # 出行帮助
    press_space_on(page, "#id_skills_2")  # 陪诊
    type_in(page, "#id_availability", "周末全天")
    follow(page, SUBMIT)
    assert_refused(page, ["#id_consent"])
    expect(_summary(page)).to_contain_text("志愿者本人同意后才能登记：请先征得本人同意。")
    expect(page.get_by_role("group", name="可提供的服务").get_by_role("checkbox", checked=True)).to_have_count(2)
    assert not Volunteer.objects.exists()
    assert_accessible(page, state="register a volunteer refused: no consent")
    summary_link_moves_focus(page, "#id_consent")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    follow(page, SUBMIT)
    volunteer = Volunteer.objects.get()
    assert page.url.endswith(f"/volunteers/people/{volunteer.pk}/")
    assert (volunteer.skills, volunteer.consent_on, volunteer.area) == (
        [RequestKind.MOBILITY, RequestKind.ESCORT], today, zhang.residence_area)
    expect(_status(page)).to_contain_text("已登记志愿者 李志愿。")
    expect(page.get_by_role("heading", level=1)).to_have_text("志愿者：李志愿")
    expect(summary_value(page, "可提供的服务")).to_have_text("出行帮助、陪诊")
    expect(summary_value(page, "本人同意登记")).to_have_text(shown(today))
    assert_accessible(page, state="volunteer registered")

    # Back to the request through the lists.
    follow(page, "main a[href='/volunteers/people/']")
    expect(page.locator("main tbody tr")).to_have_count(1)
    assert_accessible(page, state="volunteers, no hours yet")
    follow(page, "main a[href='/volunteers/']")
    follow(page, f"main a[href='/volunteers/requests/{request.pk}/']")

    # Matched by radio: refused with none chosen, then the suitable volunteer with the rule's reason.
    match = page.get_by_role("group", name="对接哪位志愿者")
    expect(match.get_by_role("radio")).to_have_count(1)
    follow(page, "button[value=match]")
    assert_refused(page, ["#id_match-volunteer"])
    expect(_summary(page)).to_contain_text("对接哪位志愿者：请选择志愿者。")
    assert_accessible(page, state="match refused: none chosen")
    choose_radio(page, "match-volunteer", "李志愿（同一社区（嘎查），可提供陪诊，手头 0 项服务）")
    follow(page, "button[value=match]")
    expect(_status(page)).to_contain_text("已对接志愿者 李志愿。")
    expect(page.get_by_role("heading", level=1)).to_have_text("陪诊：张三丰 已对接志愿者")
    expect(summary_value(page, "对接志愿者")).to_contain_text("李志愿（13947900001）")
    request.refresh_from_db()
    assert (request.state, request.volunteer) == (Request.State.MATCHED, volunteer)
    assert_accessible(page, state="request matched")

    # The service: refused without its hours, then with 30 hours in a day, then logged with the feedback.
    follow(page, "button[value=service]")
    assert_refused(page, ["#id_service-hours"])
    expect(_summary(page)).to_contain_text("服务时长（小时）：请填写服务时长。")
    assert_accessible(page, state="service refused: no hours")
    type_in(page, "#id_service-hours", "30")
    type_in(page, "#id_service-note", "陪同到市医院复查，挂号取药")
    choose_radio(page, "service-feedback", "满意")
    press_space_on(page, "#id_service-finished")
    follow(page, "button[value=service]")
    assert_refused(page, ["#id_service-hours"])
    expect(_summary(page)).to_contain_text("服务时长应在 0.1 到 24 小时之间。")
    expect(page.locator("#id_service-finished")).to_be_checked()
    assert not Service.objects.exists()
    assert_accessible(page, state="service refused: 30 hours")
    summary_link_moves_focus(page, "#id_service-hours")
    page.keyboard.press("Control+A")
    page.keyboard.type("2.5")
    follow(page, "button[value=service]")
    expect(_status(page)).to_contain_text("已记录 2.5 小时志愿服务。")
    expect(page.get_by_role("heading", level=1)).to_have_text("陪诊：张三丰 已完成")
    logged = page.get_by_role("table", name="服务记录").locator("tbody tr")
    expect(logged).to_have_count(1)
    expect(logged).to_contain_text("2.5")
    expect(logged).to_contain_text("满意")
    service = Service.objects.get()
    assert (service.hours, service.feedback, service.volunteer) == (Decimal("2.5"), "satisfied", volunteer)
    assert_accessible(page, state="request done")

    # The hours on the volunteers list, this year's and in all.
    follow(page, "main a[href='/volunteers/']")
    expect(page.get_by_role("main")).to_contain_text("没有待办的志愿服务需求。")
    follow(page, "main a[href='/volunteers/people/']")
    row = page.locator("main tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(4)).to_have_text("2.5")
    expect(row.locator("td").nth(5)).to_have_text("2.5")
    assert_accessible(page, state="volunteers with hours")

    # An award: refused empty, then recorded; the hours are still counted once per service.
    follow(page, f"main a[href='/volunteers/people/{volunteer.pk}/']")
    expect(summary_value(page, "服务时长")).to_contain_text("今年 2.5 小时，累计 2.5 小时")
    follow(page, "button[value=award]")
    assert_refused(page, ["#id_award-title", "#id_award-awarded_by"])
    expect(_summary(page)).to_contain_text("表彰名称：请填写表彰名称。")
    assert_accessible(page, state="award refused: empty")
    type_in(page, "#id_award-title", "优秀志愿者")
    type_in(page, "#id_award-awarded_by", "二连浩特市残联")
    follow(page, "button[value=award]")
    expect(_status(page)).to_contain_text("已记录表彰。")
    expect(page.get_by_role("list", name="表彰")).to_contain_text("二连浩特市残联：优秀志愿者")
    assert_accessible(page, state="volunteer with an award")
    services.award_record(volunteer=volunteer, by=beijiang_officer, title="助残先进个人", awarded_on=today,
                          awarded_by="北疆社区")
    follow(page, "main a[href='/volunteers/people/']")
    row = page.locator("main tbody tr")
    expect(row.locator("td").nth(7)).to_have_text("2")  # two awards
    expect(row.locator("td").nth(4)).to_have_text("2.5")  # … and still one service of 2.5 hours
    expect(row.locator("td").nth(5)).to_have_text("2.5")


# --- 2. the emergency register --------------------------------------------------------------------


def test_a_person_is_paired_for_emergencies_and_one_communitys_list_is_printed(page, officer, areas, zhang):
    today = timezone.localdate()
    li = make_person(by=officer, area=areas["beijiang"], name="李小红", birth=date(1990, 7, 8), sequence=22)
    services.emergency_profile_save(person=li, by=officer, needs=[EmergencyNeed.HEARING, EmergencyNeed.LIVING_ALONE])
    services.pairing_set(person=li, by=officer, helper_kind=Pairing.HelperKind.NEIGHBOUR, helper_name="王秀英",
                         helper_phone="13800002222", started_on=today - timedelta(days=200))
    bater = make_person(by=officer, area=areas["gacha"], name="巴特尔", birth=date(1960, 1, 2), sequence=33)
    services.emergency_profile_save(person=bater, by=officer, needs=[EmergencyNeed.POWER], note="使用家用制氧机")
    keyboard_login(page, officer)

    # The list: the most urgent first; those not paired or not confirmed for long marked; the severe suggested.
    follow(page, ".nav a[href='/volunteers/emergency/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("应急结对")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("巴特尔")
    expect(rows.nth(0)).to_contain_text("未结对")
    expect(rows.nth(1)).to_contain_text("李小红")
    expect(rows.nth(1)).to_contain_text("待重新确认")
    expect(summary_value(page, "未结对")).to_have_text("1")
    expect(summary_value(page, "结对待重新确认")).to_have_text("1")
    suggested = page.get_by_role("list", name="建议登记：一、二级残疾人尚未登记应急需求的")
    expect(suggested).to_contain_text("张三丰（北疆社区）")
    assert_accessible(page, state="emergency list")

    # 张三丰, from the suggestions: his needs refused empty, then recorded with two checkboxes.
    follow(page, f"main a[href='/volunteers/emergency/{zhang.pk}/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("应急结对：张三丰")
    expect(page.get_by_role("region", name="应急需求")).to_contain_text("建议入户时问清：行动不便，需协助撤离。")
    assert_accessible(page, state="emergency person, nothing recorded")
    follow(page, "button[value=profile]")
    assert_refused(page, ["#id_profile-needs"])
    expect(_summary(page)).to_contain_text("应急需求：请选择应急需求。")
    assert_accessible(page, state="emergency needs refused: none chosen")
    summary_link_moves_focus(page, "#id_profile-needs")
    press_space_on(page, "#id_profile-needs_2")  # 行动不便
    press_space_on(page, "#id_profile-needs_6")  # 独居
    type_in(page, "#id_profile-note", "住六楼无电梯")
    follow(page, "button[value=profile]")
    expect(_status(page)).to_contain_text("已保存应急需求。")
    expect(summary_value(page, "应急需求")).to_contain_text("行动不便，需协助撤离；独居（住六楼无电梯）")
    assert EmergencyProfile.objects.get(person=zhang).needs == [EmergencyNeed.MOBILITY, EmergencyNeed.LIVING_ALONE]
    assert_accessible(page, state="emergency needs recorded")

    # The pairing: refused without the helper's role, then with a wrong phone, then saved and confirmed.
    follow(page, "button[value=pairing]")
    assert_refused(page, ["#id_pairing-helper_kind"])
    expect(_summary(page)).to_contain_text("帮扶人身份：请选择帮扶人身份。")
    assert_accessible(page, state="pairing refused: no helper")
    summary_link_moves_focus(page, "#id_pairing-helper_kind")
    page.keyboard.press("Space")  # 邻居, the first
    type_in(page, "#id_pairing-helper_name", "赵建国")
    type_in(page, "#id_pairing-helper_phone", "12345")
    follow(page, "button[value=pairing]")
    assert_refused(page, ["#id_pairing-helper_phone"])
    expect(_summary(page)).to_contain_text("请输入11位手机号或带区号的固定电话")
    expect(page.get_by_role("radio", name="邻居")).to_be_checked()
    assert not Pairing.objects.filter(person=zhang).exists()
    assert_accessible(page, state="pairing refused: a wrong phone")
    summary_link_moves_focus(page, "#id_pairing-helper_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("13800003333")
    follow(page, "button[value=pairing]")
    expect(_status(page)).to_contain_text("已与 赵建国 结对。")
    expect(summary_value(page, "结对帮扶人")).to_contain_text(f"赵建国（邻居）13800003333，最近确认 {shown(today)}")
    assert_accessible(page, state="paired")
    follow(page, "button[value=confirm]")
    expect(_status(page)).to_contain_text(f"已确认结对关系（{today}）。")
    assert Pairing.objects.get(person=zhang).confirmed_by == officer

    # Elder mode on the person's page, and the pairing refused there.
    elder_on(page)
    assert_accessible(page, state="emergency person, elder mode")
    follow(page, "button[value=pairing]")
    assert_refused(page, ["#id_pairing-helper_kind"])
    assert too_small(page, 60) == []
    assert_accessible(page, state="pairing refused, elder mode")
    elder_off(page)

    # One community's list, by its area, then printed.
    follow(page, "main a[href='/volunteers/emergency/']")
    expect(rows).to_have_count(3)
    choose(page, "#id_area", "北疆社区")
    follow(page, "main form[method=get] button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("应急结对：北疆社区")
    expect(rows).to_have_count(2)
    expect(page.locator("main tbody")).not_to_contain_text("巴特尔")
    assert_accessible(page, state="emergency list, one community")
    follow(page, "main a[href^='/volunteers/emergency/print/']")
    assert page.url.endswith(f"/volunteers/emergency/print/?area={areas['beijiang'].pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾人应急名单：北疆社区")
    expect(page.get_by_role("main")).to_contain_text(f"截至 {shown(today)}，共 2 人")
    table = page.get_by_role("table", name="应急名单，按需求紧急程度排序")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("张三丰")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("北疆社区 北疆路 1 号")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("赵建国（邻居）13800003333")
    expect(table).not_to_contain_text("巴特尔")
    expect(table.locator("a")).to_have_count(0)
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, detail__contains="北疆社区，2 人").exists()
    assert_accessible(page, state="emergency list to print")

    # As printed: the list alone, without the header, the navigation, the footer or the way back.
    page.emulate_media(media="print")
    for hidden in ("header.header", "nav.nav", "footer.footer", "a.skip-link", "main .no-print"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").nth(1)).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("nav.nav")).to_be_visible()


# --- 3. another community -------------------------------------------------------------------------


def test_another_communitys_request_volunteer_and_emergency_record_are_404(
        page, officer, beijiang_officer, dongcheng_officer, areas, zhang):
    today = timezone.localdate()
    request = services.request_open(person=zhang, by=beijiang_officer, kind=RequestKind.MOBILITY,
                                    detail="坐轮椅出行，需陪同去银行办理业务。")
    local = services.volunteer_register(by=beijiang_officer, name="刘洋", phone="13947900002", area=areas["beijiang"],
                                        skills=[RequestKind.MOBILITY], consent=True, consent_on=today)
    services.volunteer_register(by=officer, name="高娃", phone="13947900003", area=areas["city"],
                                skills=[RequestKind.DAILY_CARE], consent=True, consent_on=today)
    services.emergency_profile_save(person=zhang, by=beijiang_officer, needs=[EmergencyNeed.MOBILITY])
    keyboard_login(page, dongcheng_officer)

    for url in (f"/volunteers/requests/{request.pk}/", f"/volunteers/people/{local.pk}/",
                f"/volunteers/emergency/{zhang.pk}/"):
        assert_404(page, url, leaks=("张三丰", "刘洋"))
    assert_accessible(page, state="404 for another community's emergency record")

    page.goto("/volunteers/")
    expect(page.get_by_role("main")).to_contain_text("没有待办的志愿服务需求。")
    # The city's volunteer serves every community; the other community's own does not show.
    follow(page, "main a[href='/volunteers/people/']")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("高娃")
    # Another community's area asked for in the emergency list's address: refused, not a list of nobody.
    assert_404(page, f"/volunteers/emergency/print/?area={areas['beijiang'].pk}", leaks=("张三丰",))
    assert_404(page, f"/volunteers/emergency/?area={areas['beijiang'].pk}", leaks=("张三丰",))
    # Their own list to print: nobody in their community has emergency needs recorded.
    page.goto("/volunteers/emergency/print/")
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾人应急名单：全部负责区域")
    expect(page.locator("main tbody tr")).to_have_count(0)
    assert "张三丰" not in page.content()
    assert_accessible(page, state="emergency list to print, nobody")


# --- 4. every page in elder mode ------------------------------------------------------------------


def test_every_volunteers_page_in_elder_mode(page, beijiang_officer, areas, zhang):
    today = timezone.localdate()
    waiting = services.request_open(person=zhang, by=beijiang_officer, kind=RequestKind.DAILY_CARE,
                                    detail="独居，需每周上门帮助打扫和采购。")
    served = services.request_open(person=zhang, by=beijiang_officer, kind=RequestKind.MOBILITY,
                                   detail="坐轮椅出行，需陪同去银行办理业务。")
    volunteer = services.volunteer_register(by=beijiang_officer, name="刘洋", phone="13947900002",
                                            area=areas["beijiang"], skills=[RequestKind.MOBILITY], consent=True,
                                            consent_on=today)
    services.request_match(request=served, by=beijiang_officer, volunteer=volunteer)
    services.service_log(request=served, by=beijiang_officer, served_on=today, hours=Decimal("1.5"),
                         feedback="satisfied")
    services.award_record(volunteer=volunteer, by=beijiang_officer, title="优秀志愿者", awarded_on=today,
                          awarded_by="北疆社区")
    services.emergency_profile_save(person=zhang, by=beijiang_officer, needs=[EmergencyNeed.MOBILITY])
    services.pairing_set(person=zhang, by=beijiang_officer, helper_kind=Pairing.HelperKind.VOLUNTEER,
                         helper_name="", helper_phone="", volunteer=volunteer, started_on=today)
    keyboard_login(page, beijiang_officer)
    walk_at_both_sizes(page, {
        "requests": "/volunteers/",
        "new request": "/volunteers/requests/new/",
        "request waiting, no volunteer": f"/volunteers/requests/{waiting.pk}/",
        "request matched, a service logged": f"/volunteers/requests/{served.pk}/",
        "volunteers": "/volunteers/people/",
        "register a volunteer": "/volunteers/people/new/",
        "volunteer with hours and an award": f"/volunteers/people/{volunteer.pk}/",
        "emergency list": "/volunteers/emergency/",
        "emergency list to print": "/volunteers/emergency/print/",
        "emergency person, paired": f"/volunteers/emergency/{zhang.pk}/",
    })
