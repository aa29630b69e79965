"""The volunteers pages (志愿助残) and the emergency register's (应急结对): every page for an officer, none for a leader,
another community's rows not found; each form's bad input refused at the field with nothing written; each write
and the printed list logged; the card on the workbench."""

import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from canlian.audit.models import AccessLog
from canlian.volunteers import services
from canlian.volunteers.models import Award, EmergencyProfile, Pairing, Request, Service, Volunteer
from canlian.volunteers.tests.factories import (
    ASKED,
    TODAY,
    log_service,
    make_matched,
    make_pairing,
    make_profile,
    make_request,
    make_volunteer,
)


def _html(response) -> str:
    return response.content.decode()


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", _html(response), re.S).group(1).strip()


def _refused(response, message: str) -> None:
    """A form sent back: 400, the title says there is an error, the message is on the page."""
    assert response.status_code == 400
    assert _title(response).startswith("错误：")
    assert message in _html(response)


@pytest.fixture
def work(beijiang_officer, areas, zhang):
    """北疆's volunteer 刘洋 serving 张三丰's escort request; 张三丰 needs power in an emergency and is paired with a
    neighbour last confirmed 200 days ago."""
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = make_matched(person=zhang, by=beijiang_officer, volunteer=volunteer)
    log_service(request, by=beijiang_officer, hours="2")
    make_profile(person=zhang, by=beijiang_officer, needs=("power",), note="使用家用制氧机")
    pairing = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=200))
    return SimpleNamespace(volunteer=volunteer, request=request, person=zhang, pairing=pairing)


def _pages(work) -> list[str]:
    return ["/volunteers/", "/volunteers/?state=open", "/volunteers/?state=matched", "/volunteers/requests/new/",
            f"/volunteers/requests/{work.request.pk}/", "/volunteers/people/", "/volunteers/people/?year=2020",
            "/volunteers/people/new/", f"/volunteers/people/{work.volunteer.pk}/", "/volunteers/emergency/",
            "/volunteers/emergency/print/", f"/volunteers/emergency/{work.person.pk}/"]


# ---- Who may open the pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["beijiang_officer", "officer"])
def test_every_page_opens_for_an_officer_of_the_area(client, work, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in _pages(work):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _title(response).startswith("错误："), url


def test_a_leader_gets_403_on_every_page(client, leader, work):
    client.force_login(leader)
    for url in _pages(work):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/volunteers/emergency/{work.person.pk}/", {"action": "confirm"}).status_code == 403
    work.pairing.refresh_from_db()
    assert work.pairing.confirmed_by.username == "beijiang"


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client, work):
    for url in _pages(work):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_another_communitys_request_volunteer_and_person_are_not_found(client, dongcheng_officer, work):
    client.force_login(dongcheng_officer)
    for url in (f"/volunteers/requests/{work.request.pk}/", f"/volunteers/people/{work.volunteer.pk}/",
                f"/volunteers/emergency/{work.person.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/volunteers/requests/{work.request.pk}/", {
        "action": "cancel", "cancel-note": "越权取消"}).status_code == 404
    assert client.post(f"/volunteers/emergency/{work.person.pk}/", {"action": "confirm"}).status_code == 404
    assert client.post(f"/volunteers/people/{work.volunteer.pk}/", {"action": "withdraw"}).status_code == 404
    work.request.refresh_from_db()
    assert work.request.state == Request.State.MATCHED and Volunteer.objects.get().active
    html = _html(client.get("/volunteers/")) + _html(client.get("/volunteers/emergency/"))
    assert "张三丰" not in html
    assert "刘洋" not in _html(client.get("/volunteers/people/"))


# ---- Requests (志愿服务需求) -----------------------------------------------------------------------------------------

def test_a_request_is_registered_by_id_number_logged_and_due_in_three_working_days(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    response = client.post("/volunteers/requests/new/", {
        "id_number": zhang.id_number.lower(), "kind": "mobility", "detail": "坐轮椅出行，需陪同去银行。",
        "wanted_on": (TODAY + timedelta(days=7)).isoformat()})
    request = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/volunteers/requests/{request.pk}/"
    assert (request.person, request.kind, request.requested_on, request.opened_by) == (
        zhang, "mobility", TODAY, beijiang_officer)
    log = AccessLog.objects.get(action=AccessLog.Action.EDIT)
    assert (log.user, log.person, log.detail) == (beijiang_officer, zhang, "登记志愿服务需求：出行帮助")
    assert f"已登记，请在 {request.due_on} 前对接志愿者。" in _html(client.get(response["Location"]))


@pytest.mark.parametrize(("values", "message"), [
    ({"id_number": "152501198001010000"}, "身份证号"),
    ({"detail": ""}, "请填写具体需求。"),
    ({"kind": ""}, "请选择服务类型。"),
    ({"kind": "housework"}, "请从列表中选择服务类型。"),
    ({"wanted_on": "2026/13/01"}, "请按 2026-03-15 的格式填写日期。"),
    ({"wanted_on": (ASKED - timedelta(days=400)).isoformat()}, "希望服务日期不能早于提出日期。"),
])
def test_a_request_with_bad_input_is_refused_at_the_field_and_nothing_is_written(client, beijiang_officer, zhang,
                                                                               values, message):
    client.force_login(beijiang_officer)
    response = client.post("/volunteers/requests/new/", {
        "id_number": zhang.id_number, "kind": "escort", "detail": "需陪同复查。", **values})
    _refused(response, message)
    assert not Request.objects.exists() and not AccessLog.objects.filter(action=AccessLog.Action.EDIT).exists()


def test_another_communitys_person_is_not_found_by_id_number(client, dongcheng_officer, zhang):
    client.force_login(dongcheng_officer)
    response = client.post("/volunteers/requests/new/", {"id_number": zhang.id_number, "kind": "escort",
                                                         "detail": "需陪同复查。"})
    _refused(response, "在您负责的区域内没有找到这个身份证号的残疾人。")
    assert not Request.objects.exists()


def test_the_worklist_flags_a_request_unanswered_past_its_deadline(client, beijiang_officer, zhang):
    make_request(person=zhang, by=beijiang_officer, requested_on=TODAY - timedelta(days=30))
    client.force_login(beijiang_officer)
    html = _html(client.get("/volunteers/"))
    assert "1 项需求超期未响应" in html and "超期未响应</strong>" in html and "张三丰" in html


def test_a_request_page_lists_the_suitable_volunteers_nearest_first_and_logs_the_view(client, officer, areas, zhang):
    make_volunteer(by=officer, area=areas["city"], name="孙悦", phone="13947900011")
    make_volunteer(by=officer, area=areas["beijiang"], name="陈晨", phone="13947900012")
    make_volunteer(by=officer, area=areas["beijiang"], name="郑磊", phone="13947900013", skills=["tutoring"])
    request = make_request(person=zhang, by=officer)
    client.force_login(officer)
    html = _html(client.get(f"/volunteers/requests/{request.pk}/"))
    assert html.index("陈晨（同一社区（嘎查）") < html.index("孙悦（上级区域登记，可到此服务")
    assert "郑磊" not in html
    log = AccessLog.objects.get()
    assert (log.action, log.person, log.detail) == (AccessLog.Action.VIEW, zhang, "查看志愿服务需求：陪诊")


def test_matching_logging_hours_and_finishing_a_request(client, beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = make_request(person=zhang, by=beijiang_officer)
    url = f"/volunteers/requests/{request.pk}/"
    client.force_login(beijiang_officer)
    assert client.post(url, {"action": "match", "match-volunteer": volunteer.pk}).status_code == 302
    request.refresh_from_db()
    assert (request.state, request.volunteer, request.matched_on) == (Request.State.MATCHED, volunteer, TODAY)
    response = client.post(url, {"action": "service", "service-served_on": TODAY.isoformat(), "service-hours": "2.5",
                                 "service-feedback": "satisfied", "service-finished": "on"})
    assert response.status_code == 302 and response["Location"] == url
    request.refresh_from_db()
    assert request.state == Request.State.DONE and Service.objects.get().hours == Decimal("2.5")
    assert list(AccessLog.objects.filter(action=AccessLog.Action.EDIT).order_by("pk").values_list(
        "person", "detail")) == [(zhang.pk, "已对接志愿者 刘洋。"), (zhang.pk, "已记录 2.5 小时志愿服务。")]


def test_a_request_is_cancelled_with_the_reason_and_logged(client, beijiang_officer, zhang):
    request = make_request(person=zhang, by=beijiang_officer)
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/requests/{request.pk}/", {"action": "cancel",
                                                                   "cancel-note": "本人住院，暂不需要。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.closed_note) == (Request.State.CANCELLED, "本人住院，暂不需要。")
    assert AccessLog.objects.get(action=AccessLog.Action.EDIT).detail == "已取消这项需求。"


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "match"}, "请选择志愿者。"),
    ({"action": "match", "match-volunteer": "999999"}, "请从列表中选择志愿者。"),
    ({"action": "service", "service-served_on": TODAY.isoformat(), "service-hours": "25"},
     "服务时长应在 0.1 到 24 小时之间。"),
    ({"action": "service", "service-served_on": TODAY.isoformat(), "service-hours": "0"},
     "服务时长应在 0.1 到 24 小时之间。"),
    ({"action": "service", "service-served_on": TODAY.isoformat(), "service-hours": "1.25"}, "最多一位小数。"),
    ({"action": "service", "service-served_on": TODAY.isoformat(), "service-hours": "两小时"},
     "请输入小时数，例如 2 或 1.5。"),
    ({"action": "service", "service-served_on": (ASKED - timedelta(days=1)).isoformat(), "service-hours": "2"},
     f"服务日期不能早于需求提出日期 {ASKED}。"),
    ({"action": "service", "service-served_on": (TODAY + timedelta(days=1)).isoformat(), "service-hours": "2"},
     "日期不能晚于今天。"),
    ({"action": "service", "service-hours": "2"}, "请填写服务日期。"),
    ({"action": "cancel", "cancel-note": ""}, "请填写取消原因。"),
])
def test_a_request_form_with_bad_input_is_refused_at_the_field_and_nothing_is_written(client, beijiang_officer,
                                                                                     work, data, message):
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/requests/{work.request.pk}/", data)
    _refused(response, message)
    work.request.refresh_from_db()
    assert (work.request.state, work.request.volunteer) == (Request.State.MATCHED, work.volunteer)
    assert Service.objects.count() == 1 and not AccessLog.objects.filter(action=AccessLog.Action.EDIT).exists()


def test_another_communitys_volunteer_cannot_be_posted_as_the_match(client, officer, beijiang_officer, areas, zhang):
    other = make_volunteer(by=officer, area=areas["dongcheng"], name="高娃", phone="13947900021")
    request = make_request(person=zhang, by=beijiang_officer)
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/requests/{request.pk}/", {"action": "match", "match-volunteer": other.pk})
    _refused(response, "请从列表中选择志愿者。")
    request.refresh_from_db()
    assert request.state == Request.State.OPEN


def test_logging_hours_on_a_finished_request_is_refused(client, beijiang_officer, work):
    log_service(work.request, by=beijiang_officer, finished=True)
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/requests/{work.request.pk}/", {
        "action": "service", "service-served_on": TODAY.isoformat(), "service-hours": "2"})
    _refused(response, "这项需求已是“已完成”，请刷新页面。")
    assert Service.objects.count() == 2


# ---- Volunteers (志愿者) ---------------------------------------------------------------------------------------------

def _volunteer_form(areas, **changes) -> dict:
    return {"name": "高娃", "phone": "13947900031", "area": areas["beijiang"].pk, "skills": ["escort", "mobility"],
            "availability": "周末全天", "consent": "on", "consent_on": TODAY.isoformat(), **changes}


def test_a_volunteer_is_registered_on_their_consent(client, beijiang_officer, areas):
    client.force_login(beijiang_officer)
    response = client.post("/volunteers/people/new/", _volunteer_form(areas))
    volunteer = Volunteer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/volunteers/people/{volunteer.pk}/"
    assert (volunteer.name, volunteer.skills, volunteer.availability, volunteer.consent_on) == (
        "高娃", ["mobility", "escort"], "周末全天", TODAY)
    assert "已登记志愿者 高娃。" in _html(client.get(response["Location"]))


@pytest.mark.parametrize(("changes", "message"), [
    ({"consent": ""}, "志愿者本人同意后才能登记：请先征得本人同意。"),
    ({"skills": []}, "请选择可提供的服务。"),
    ({"skills": ["fishing"]}, "请从列表中选择可提供的服务。"),
    ({"phone": ""}, "请填写联系电话。"),
    ({"phone": "12345"}, "请输入11位手机号或带区号的固定电话"),
    ({"name": "<script>alert(1)</script>"}, "姓名只能包含汉字、蒙古文、字母、空格和间隔号“·”。"),
    ({"area": ""}, "请选择服务区域。"),
    ({"consent_on": (TODAY + timedelta(days=1)).isoformat()}, "日期不能晚于今天。"),
])
def test_a_volunteer_form_with_bad_input_is_refused_at_the_field(client, beijiang_officer, areas, changes, message):
    client.force_login(beijiang_officer)
    response = client.post("/volunteers/people/new/", _volunteer_form(areas, **changes))
    _refused(response, message)
    assert "<script>alert(1)</script>" not in _html(response)  # sent back escaped, never as markup
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize("area", ["dongcheng", "city"])
def test_a_community_officer_cannot_register_a_volunteer_for_an_area_not_theirs(client, beijiang_officer, areas,
                                                                                area):
    client.force_login(beijiang_officer)
    response = client.post("/volunteers/people/new/", _volunteer_form(areas, area=areas[area].pk))
    _refused(response, "请从列表中选择服务区域。")
    assert not Volunteer.objects.exists()


def test_a_phone_registered_twice_is_refused_at_the_phone(client, beijiang_officer, areas, work):
    client.force_login(beijiang_officer)
    response = client.post("/volunteers/people/new/", _volunteer_form(areas, phone=work.volunteer.phone))
    _refused(response, "这个电话号码已登记为志愿者。")
    assert Volunteer.objects.count() == 1


def test_the_volunteer_list_shows_hours_and_stars_counting_each_service_once(client, officer, areas, zhang):
    volunteer = make_volunteer(by=officer, area=areas["beijiang"])
    request = make_matched(person=zhang, by=officer, volunteer=volunteer, requested_on=TODAY - timedelta(days=10))
    days = [TODAY - timedelta(days=n) for n in range(5)]
    for day in days:
        log_service(request, by=officer, hours="20", served_on=day)
    this_year = 20 * sum(day.year == TODAY.year for day in days)  # 100, but for the first days of January
    for title in ("优秀志愿者", "助残先进个人"):
        services.award_record(volunteer=volunteer, by=officer, title=title, awarded_on=TODAY, awarded_by="市残联")
    client.force_login(officer)
    html = _html(client.get("/volunteers/people/"))
    row = re.search(r"<tr><td><a href=\"/volunteers/people/\d+/\">刘洋</a>.*?</tr>", html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    year_hours, total_hours, stars, awards = cells[4:]
    assert (Decimal(year_hours), Decimal(total_hours), stars, awards) == (this_year, 100, "1 星", "2")
    html = _html(client.get(f"/volunteers/people/{volunteer.pk}/"))
    assert re.search(r"累计 100(\.0)? 小时，1 星志愿者", html)


def test_an_award_is_recorded_on_the_volunteers_page(client, beijiang_officer, work):
    client.force_login(beijiang_officer)
    url = f"/volunteers/people/{work.volunteer.pk}/"
    response = client.post(url, {"action": "award", "award-title": "优秀志愿者", "award-awarded_by": "市残联",
                                 "award-awarded_on": TODAY.isoformat()})
    assert response.status_code == 302 and Award.objects.get().title == "优秀志愿者"
    assert "优秀志愿者" in _html(client.get(url))


@pytest.mark.parametrize(("changes", "message"), [
    ({"award-title": ""}, "请填写表彰名称。"),
    ({"award-awarded_on": (TODAY + timedelta(days=1)).isoformat()}, "日期不能晚于今天。"),
])
def test_an_award_with_bad_input_is_refused_at_the_field(client, beijiang_officer, work, changes, message):
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/people/{work.volunteer.pk}/", {
        "action": "award", "award-title": "优秀志愿者", "award-awarded_by": "市残联",
        "award-awarded_on": TODAY.isoformat(), **changes})
    _refused(response, message)
    assert not Award.objects.exists()


def test_a_volunteer_with_a_request_in_hand_is_not_withdrawn_and_is_told_why(client, beijiang_officer, work):
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/people/{work.volunteer.pk}/", {"action": "withdraw"})
    assert "这位志愿者还有正在对接的服务需求，请先改派或完成。" in _html(response)
    assert Volunteer.objects.get().active


def test_a_volunteer_withdraws_and_leaves_the_list(client, beijiang_officer, work):
    log_service(work.request, by=beijiang_officer, finished=True)
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/people/{work.volunteer.pk}/", {"action": "withdraw"})
    assert response.status_code == 302 and response["Location"] == "/volunteers/people/"
    volunteer = Volunteer.objects.get()
    assert (volunteer.active, volunteer.left_on) == (False, TODAY)
    assert ">刘洋</a>" not in _html(client.get("/volunteers/people/"))


# ---- The emergency register (应急结对) -------------------------------------------------------------------------------

def test_the_emergency_page_lists_needs_helpers_and_who_is_due_a_visit(client, beijiang_officer, work, li):
    client.force_login(beijiang_officer)
    html = _html(client.get("/volunteers/emergency/"))
    assert "张三丰" in html and "依赖电力维持的设备（呼吸机、制氧机等）" in html and "使用家用制氧机" in html
    assert "王秀兰（邻居）15947900001" in html and "待重新确认" in html
    assert "李四" not in html


def test_the_emergency_page_suggests_severe_cardholders_without_needs_recorded(client, officer, areas, li):
    client.force_login(officer)
    html = _html(client.get("/volunteers/emergency/"))
    assert f'<a href="/volunteers/emergency/{li.pk}/">李四</a>（东城社区）' in html


def test_printing_the_emergency_list_is_logged_as_an_export(client, beijiang_officer, areas, work):
    client.force_login(beijiang_officer)
    response = client.get("/volunteers/emergency/print/")
    assert response.status_code == 200 and "张三丰" in _html(response) and "15947900001" in _html(response)
    response = client.get(f"/volunteers/emergency/print/?area={areas['beijiang'].pk}")
    assert "残疾人应急名单：北疆社区" in _html(response)
    exports = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).order_by("pk")
    assert [(log.user, log.detail) for log in exports] == [
        (beijiang_officer, "打印应急名单：全部负责区域，1 人"), (beijiang_officer, "打印应急名单：北疆社区，1 人")]


def test_printing_an_area_not_covered_is_refused_not_widened(client, officer, beijiang_officer, areas, work, li):
    make_profile(person=li, by=officer)
    client.force_login(beijiang_officer)
    response = client.get(f"/volunteers/emergency/print/?area={areas['dongcheng'].pk}")
    assert response.status_code == 404
    assert "李四" not in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_the_persons_page_suggests_the_needs_to_ask_about_and_logs_the_view(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    html = _html(client.get(f"/volunteers/emergency/{zhang.pk}/"))
    assert "建议入户时问清：行动不便，需协助撤离。" in html and "尚未登记" in html
    log = AccessLog.objects.get()
    assert (log.action, log.person, log.detail) == (AccessLog.Action.VIEW, zhang, "查看应急结对")


def test_needs_a_pairing_and_a_confirmation_are_saved_and_logged(client, beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"], name="陈晨", phone="13947900102")
    url = f"/volunteers/emergency/{zhang.pk}/"
    client.force_login(beijiang_officer)
    response = client.post(url, {"action": "profile", "profile-needs": ["mobility", "power"],
                                 "profile-note": "使用家用制氧机；住六楼无电梯。"})
    assert response.status_code == 302 and response["Location"] == url
    assert EmergencyProfile.objects.get().needs == ["power", "mobility"]
    response = client.post(url, {"action": "pairing", "pairing-helper_kind": "neighbour", "pairing-helper_name": "",
                                 "pairing-helper_phone": "", "pairing-volunteer": volunteer.pk,
                                 "pairing-started_on": (TODAY - timedelta(days=1)).isoformat()})
    assert response.status_code == 302
    pairing = Pairing.objects.get()
    assert (pairing.helper_kind, pairing.helper_name, pairing.helper_phone) == ("volunteer", "陈晨", "13947900102")
    assert client.post(url, {"action": "confirm"}).status_code == 302
    pairing.refresh_from_db()
    assert pairing.confirmed_on == TODAY
    assert list(AccessLog.objects.filter(action=AccessLog.Action.EDIT).order_by("pk").values_list(
        "person", "detail")) == [(zhang.pk, "已保存应急需求。"), (zhang.pk, "已与 陈晨 结对。"),
                                 (zhang.pk, f"已确认结对关系（{TODAY}）。")]


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "profile", "profile-note": "使用家用制氧机"}, "请选择应急需求。"),
    ({"action": "profile", "profile-needs": ["flood"]}, "请从列表中选择应急需求。"),
    ({"action": "pairing", "pairing-helper_kind": "neighbour", "pairing-helper_name": "赵刚",
      "pairing-helper_phone": "", "pairing-started_on": TODAY.isoformat()}, "请填写帮扶人电话：紧急时要能联系到帮扶人。"),
    ({"action": "pairing", "pairing-helper_kind": "neighbour", "pairing-helper_name": "",
      "pairing-helper_phone": "15947900002", "pairing-started_on": TODAY.isoformat()}, "请输入姓名。"),
    ({"action": "pairing", "pairing-helper_name": "赵刚", "pairing-helper_phone": "15947900002",
      "pairing-started_on": TODAY.isoformat()}, "请选择帮扶人身份。"),
    ({"action": "pairing", "pairing-helper_kind": "neighbour", "pairing-helper_name": "赵刚",
      "pairing-helper_phone": "15947900002", "pairing-started_on": (TODAY - timedelta(days=300)).isoformat()},
     "结对日期不能早于现有结对的日期"),
    ({"action": "pairing", "pairing-helper_kind": "neighbour", "pairing-helper_name": "赵刚",
      "pairing-helper_phone": "15947900002", "pairing-volunteer": "999999",
      "pairing-started_on": TODAY.isoformat()}, "请从列表中选择志愿者。"),
])
def test_an_emergency_form_with_bad_input_is_refused_at_the_field_and_nothing_changes(client, beijiang_officer,
                                                                                     work, data, message):
    client.force_login(beijiang_officer)
    response = client.post(f"/volunteers/emergency/{work.person.pk}/", data)
    _refused(response, message)
    profile = EmergencyProfile.objects.get()
    assert (profile.needs, profile.note) == (["power"], "使用家用制氧机")
    assert list(Pairing.objects.all()) == [work.pairing]
    work.pairing.refresh_from_db()
    assert work.pairing.ended_on is None
    assert not AccessLog.objects.filter(action=AccessLog.Action.EDIT).exists()


# ---- The workbench card --------------------------------------------------------------------------------------------

def test_the_workbench_card_counts_requests_overdue_ones_and_pairings_to_confirm(client, beijiang_officer, work):
    make_request(person=work.person, by=beijiang_officer, requested_on=TODAY - timedelta(days=30))
    client.force_login(beijiang_officer)
    html = _html(client.get("/"))
    assert re.search(r'<h2 id="card-volunteers">志愿服务需求</h2>\s*<p class="card__number">2</p>', html)
    assert "1 项超期未响应" in html and "1 人应急结对待落实或待确认" in html
    assert 'href="/volunteers/"' in html and 'href="/volunteers/emergency/"' in html


def test_the_workbench_card_is_quiet_when_nothing_waits(client, dongcheng_officer, work):
    client.force_login(dongcheng_officer)
    html = _html(client.get("/"))
    assert re.search(r'<h2 id="card-volunteers">志愿服务需求</h2>\s*<p class="card__number">0</p>', html)
    assert "超期未响应" not in html and "应急结对待落实或待确认" not in html
