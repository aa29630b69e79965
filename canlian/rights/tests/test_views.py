"""The rights-case pages: the worklist, taking a case (受理登记), one case with the action its state allows, and the
statistics; bad input refused at the field (400), other areas not found (404), leaders kept to the figures (403),
every look at a registered person's case logged."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from canlian.audit.models import AccessLog
from canlian.common.ids import upgrade_legacy_id
from canlian.registry.tests.factories import make_id, make_person
from canlian.rights import rules, services
from canlian.rights.models import Case, CaseStep
from canlian.rights.rules import CaseKind, CaseSource, CaseState, Satisfaction
from canlian.rights.tests.factories import answered, closed, make_partner, open_case

TODAY = timezone.localdate()


def _html(response) -> str:
    return response.content.decode()


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", _html(response), re.S).group(1).strip()


def _assert_error_at(response, field_id: str, message: str):
    """The error state: 400, 错误： in the title, a summary linking to the field, the message at the field."""
    assert response.status_code == 400
    assert _title(response).startswith("错误：")
    html = _html(response)
    assert f'href="#{field_id}"' in html
    error = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1), html


def _summary(response) -> str:
    """The error summary's text (where an error that belongs to no field is shown)."""
    return re.search(r'<div class="error-summary".*?</div>', _html(response), re.S).group(0)


@pytest.fixture
def zhang(officer, areas):
    """A registered person of 北疆社区, born 1980-01-01."""
    return make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=11)


@pytest.fixture
def partner(db):
    return make_partner()


@pytest.fixture
def case(officer, zhang):
    """A complaint about 张三丰, received today, waiting to be assigned."""
    return open_case(by=officer, person=zhang, received_on=TODAY)


def _form(**changes) -> dict:
    """受理登记 as an officer fills it in for a caller who is not registered."""
    return {"kind": CaseKind.COMPLAINT, "source": CaseSource.HOTLINE_12385, "received_on": TODAY.isoformat(),
            "id_number": "", "area": "", "caller_name": "王秀兰", "caller_phone": "13904791234",
            "summary": "反映小区新建坡道坡度过陡，轮椅无法通行。", **changes}


# ---- Who sees which page --------------------------------------------------------------------------------------

def test_every_page_renders_for_an_officer_in_every_state_of_a_case(client, officer, areas, zhang, partner):
    waiting = open_case(by=officer, person=zhang, received_on=TODAY)
    handled = services.case_assign(case=open_case(by=officer, area=areas["dongcheng"]), by=officer, partner=partner)
    waiting_for_call = answered(open_case(by=officer, area=areas["gacha"]), by=officer)
    done = closed(open_case(by=officer, area=areas["beijiang"]), by=officer)
    client.force_login(officer)
    for url in ("/rights/", "/rights/new/", "/rights/statistics/", "/rights/statistics/?from=2016&to=2025",
                "/rights/?state=assigned", "/rights/?page=2"):
        assert client.get(url).status_code == 200, url
    offered = {}
    for found in (waiting, handled, waiting_for_call, done):
        response = client.get(f"/rights/{found.pk}/")
        assert response.status_code == 200
        html = _html(response)
        offered[found.state] = [action for action in ("assign", "reply", "close", "reopen")
                                if f'name="action" value="{action}"' in html]
    assert offered == {CaseState.RECEIVED: ["assign", "reply"], CaseState.ASSIGNED: ["assign", "reply"],
                       CaseState.ANSWERED: ["close"], CaseState.CLOSED: ["reopen"]}


def test_a_leader_sees_the_statistics_but_not_the_cases(client, leader, case):
    client.force_login(leader)
    for url in ("/rights/", "/rights/new/", f"/rights/{case.pk}/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/rights/{case.pk}/", {"action": "reopen", "reopen-note": "x"}).status_code == 403
    assert client.get("/rights/statistics/").status_code == 200


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client, case):
    for url in ("/rights/", "/rights/new/", f"/rights/{case.pk}/", "/rights/statistics/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_another_communitys_case_is_not_found_and_cannot_be_acted_on(client, dongcheng_officer, case):
    client.force_login(dongcheng_officer)
    assert client.get(f"/rights/{case.pk}/").status_code == 404
    response = client.post(f"/rights/{case.pk}/", {"action": "reply", "reply-replied_on": TODAY.isoformat(),
                                                   "reply-reply": "已答复。"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED
    assert case.reference not in _html(client.get("/rights/"))
    assert not AccessLog.objects.filter(user=dongcheng_officer).exists()


def test_a_case_number_that_is_no_case_is_not_found(client, officer, case):
    client.force_login(officer)
    assert client.get(f"/rights/{case.pk + 1}/").status_code == 404


def test_posting_without_the_csrf_token_is_refused(officer, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "reply", "reply-replied_on": TODAY.isoformat(),
                                                   "reply-reply": "已答复。"})
    assert response.status_code == 403
    assert client.post("/rights/new/", _form()).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED and Case.objects.count() == 1


# ---- 受理登记 ------------------------------------------------------------------------------------------------------

def test_a_case_about_a_registered_person_is_taken_by_id_number_and_logged(client, beijiang_officer, areas, zhang):
    client.force_login(beijiang_officer)
    response = client.post("/rights/new/", _form(id_number=zhang.id_number, caller_name=""))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rights/{case.pk}/"
    assert (case.person, case.area, case.caller_name, case.opened_by) == (zhang, areas["beijiang"], "张三丰",
                                                                          beijiang_officer)
    log = AccessLog.objects.get(person=zhang)
    assert (log.user, log.action, log.detail) == (beijiang_officer, AccessLog.Action.EDIT,
                                                  f"受理维权案件 {case.reference}")
    page = _html(client.get(response["Location"]))
    assert f"已受理，受理编号 {case.reference}，办结期限 {case.due_on}。" in page


@pytest.mark.parametrize("typing", ["full-width digits", "15 digits", "spaces"])
def test_an_id_number_typed_as_officers_type_it_finds_the_person(client, officer, zhang, typing):
    typed = {"full-width digits": "".join(chr(ord(c) + 0xFEE0) for c in zhang.id_number),
             "15 digits": zhang.id_number[:6] + zhang.id_number[8:17],
             "spaces": f"{zhang.id_number[:6]} {zhang.id_number[6:14]} {zhang.id_number[14:]}"}[typing]
    if typing == "15 digits":
        assert upgrade_legacy_id(typed) == zhang.id_number
    client.force_login(officer)
    assert client.post("/rights/new/", _form(id_number=typed)).status_code == 302
    assert Case.objects.get().person == zhang


def test_a_caller_who_is_not_registered_is_taken_with_the_area_named_and_nothing_is_logged(
        client, beijiang_officer, areas):
    client.force_login(beijiang_officer)
    response = client.post("/rights/new/", _form(area=areas["beijiang"].pk, caller_phone="１３９０４７９１２３４"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.person, case.area, case.caller_phone) == (None, areas["beijiang"], "13904791234")
    assert not AccessLog.objects.exists()


def test_an_id_number_with_a_wrong_check_digit_is_refused_at_the_field(client, officer, zhang):
    wrong = zhang.id_number[:17] + ("0" if zhang.id_number[17] != "0" else "1")
    client.force_login(officer)
    response = client.post("/rights/new/", _form(id_number=wrong))
    _assert_error_at(response, "id_id_number", "身份证号校验位错误")
    assert not Case.objects.exists()


@pytest.mark.parametrize("whose", ["another community's person", "no registered person"])
def test_an_id_number_not_registered_in_my_areas_is_refused_at_the_field(client, dongcheng_officer, zhang, whose):
    number = zhang.id_number if whose == "another community's person" else make_id(sequence=99)
    client.force_login(dongcheng_officer)
    response = client.post("/rights/new/", _form(id_number=number))
    _assert_error_at(response, "id_id_number", "在您负责的区域内没有找到这个身份证号的残疾人")
    assert not Case.objects.exists()
    assert not AccessLog.objects.filter(person=zhang).exists()


@pytest.mark.parametrize(("changes", "field_id", "message"), [
    ({}, "id_area", "请选择所属区域，或填写涉及的残疾人的身份证号。"),
    ({"kind": ""}, "id_kind", "请选择案件类型。"),
    ({"source": CaseSource.PORTAL}, "id_source", "请从列表中选择来源。"),  # raised online only by the resident
    ({"received_on": (TODAY + timedelta(days=1)).isoformat()}, "id_received_on", "日期不能晚于今天。"),
    ({"received_on": "下周一"}, "id_received_on", "请按 2026-03-15 的格式填写日期。"),
    ({"summary": "坡" * 1001}, "id_summary", "最多 1000 字。"),
    ({"summary": "   "}, "id_summary", "请填写反映内容。"),
    ({"caller_phone": "12345"}, "id_caller_phone", "请输入11位手机号"),
    ({"caller_name": ""}, "id_caller_name", "请输入姓名。"),
])
def test_a_case_form_with_a_mistake_is_refused_at_the_field(client, beijiang_officer, areas, changes, field_id,
                                                            message):
    client.force_login(beijiang_officer)
    area = {} if field_id == "id_area" else {"area": areas["beijiang"].pk}
    response = client.post("/rights/new/", _form(**{**area, **changes}))
    _assert_error_at(response, field_id, message)
    assert not Case.objects.exists()


def test_an_area_outside_mine_is_not_offered(client, beijiang_officer, areas):
    client.force_login(beijiang_officer)
    assert "东城社区" not in _html(client.get("/rights/new/"))
    response = client.post("/rights/new/", _form(area=areas["dongcheng"].pk))
    _assert_error_at(response, "id_area", "请从列表中选择所属区域。")
    assert not Case.objects.exists()


def test_markup_in_the_summary_is_shown_as_text(client, officer, areas):
    client.force_login(officer)
    client.post("/rights/new/", _form(area=areas["beijiang"].pk, summary="<script>alert(1)</script>\n坡道太陡"))
    case = Case.objects.get()
    assert case.summary == "<script>alert(1)</script>\n坡道太陡"
    html = _html(client.get(f"/rights/{case.pk}/"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>坡道太陡" in html


# ---- One case: its steps and the next action ------------------------------------------------------------------

def test_looking_at_a_registered_persons_case_is_logged_and_a_callers_is_not(client, officer, areas, case):
    other = open_case(by=officer, area=areas["dongcheng"])
    client.force_login(officer)
    client.get(f"/rights/{case.pk}/")
    client.get(f"/rights/{other.pk}/")
    log = AccessLog.objects.get()
    assert (log.person, log.action, log.detail) == (case.person, AccessLog.Action.VIEW, f"查看维权案件 {case.reference}")


def test_the_page_says_where_the_case_stands_against_its_deadline(client, officer, case):
    client.force_login(officer)
    html = _html(client.get(f"/rights/{case.pk}/"))
    assert rules.timeliness(due=case.due_on, today=TODAY, remind_working_days=2).text in html
    assert "12385 残疾人服务热线受理" in html and "张三丰" in html


def test_assigning_to_an_officer_moves_the_case_on_and_is_logged(client, officer, beijiang_officer, case):
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "assign", "assign-officer": beijiang_officer.pk,
                                                   "assign-partner": "", "assign-note": "请上门核实"})
    assert response.status_code == 302 and response["Location"] == f"/rights/{case.pk}/"
    case.refresh_from_db()
    assert (case.state, case.assigned_to) == (CaseState.ASSIGNED, beijiang_officer)
    log = AccessLog.objects.get(action=AccessLog.Action.EDIT)
    assert (log.person, log.detail) == (case.person, f"办理维权案件 {case.reference}：办理中")
    assert "分派给 beijiang：请上门核实" in _html(client.get(f"/rights/{case.pk}/"))


def test_handing_a_case_to_a_partner_shows_its_phone(client, officer, case, partner):
    client.force_login(officer)
    client.post(f"/rights/{case.pk}/", {"action": "assign", "assign-partner": partner.pk})
    case.refresh_from_db()
    assert case.partner == partner
    assert "二连浩特市法律援助中心（0479-7512148）" in _html(client.get(f"/rights/{case.pk}/"))


@pytest.mark.parametrize(("chosen", "field_id", "message"), [
    ({}, "id_assign-officer", "请选择承办人或协办单位（二选一）。"),
    ({"assign-officer": "dongcheng", "assign-partner": "partner"}, "id_assign-officer", "请从列表中选择承办人。"),
    ({"assign-partner": "stopped"}, "id_assign-partner", "请从列表中选择协办单位。"),
    ({"assign-officer": "beijiang", "assign-partner": "partner"}, "id_assign-officer", "二选一"),
])
def test_an_assignment_the_case_cannot_take_is_refused_at_the_field(client, officer, beijiang_officer,
                                                                    dongcheng_officer, case, partner, chosen,
                                                                    field_id, message):
    ids = {"dongcheng": dongcheng_officer.pk, "beijiang": beijiang_officer.pk, "partner": partner.pk,
           "stopped": make_partner("二连浩特市公安局", "police", active=False).pk}
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "assign", **{k: ids[v] for k, v in chosen.items()}})
    _assert_error_at(response, field_id, message)
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED
    assert not AccessLog.objects.filter(action=AccessLog.Action.EDIT).exists()


def test_a_reply_leaves_the_case_waiting_for_the_return_call(client, beijiang_officer, case):
    client.force_login(beijiang_officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "reply", "reply-replied_on": TODAY.isoformat(),
                                                   "reply-reply": "已联系物业整改。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.answered_on, case.assigned_to) == (CaseState.ANSWERED, TODAY, beijiang_officer)
    assert AccessLog.objects.filter(action=AccessLog.Action.EDIT, detail__endswith="已答复，待回访").exists()


@pytest.mark.parametrize(("data", "field_id", "message"), [
    ({"reply-replied_on": TODAY.isoformat(), "reply-reply": " "}, "id_reply-reply", "请填写答复内容。"),
    ({"reply-replied_on": "", "reply-reply": "已答复。"}, "id_reply-replied_on", "请填写答复日期。"),
    ({"reply-replied_on": (TODAY - timedelta(days=1)).isoformat(), "reply-reply": "已答复。"}, "id_reply-replied_on",
     "不能早于"),
])
def test_a_reply_with_a_mistake_is_refused_at_the_field(client, officer, case, data, field_id, message):
    client.force_login(officer)
    _assert_error_at(client.post(f"/rights/{case.pk}/", {"action": "reply", **data}), field_id, message)
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED


def test_closing_after_the_return_call_records_the_satisfaction(client, officer, case):
    answered(case, by=officer)
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "close", "close-closed_on": TODAY.isoformat(),
                                                   "close-outcome": "坡道已整改。",
                                                   "close-satisfaction": Satisfaction.SATISFIED})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.closed_on, case.satisfaction) == (CaseState.CLOSED, TODAY, Satisfaction.SATISFIED)
    html = _html(client.get(f"/rights/{case.pk}/"))
    assert "坡道已整改。（回访：满意）" in html and "按期办结" in html


@pytest.mark.parametrize(("data", "field_id", "message"), [
    ({"close-outcome": "坡道已整改。"}, "id_close-satisfaction", "请选择回访满意度。"),
    ({"close-outcome": "坡道已整改。", "close-satisfaction": "happy"}, "id_close-satisfaction", "请从列表中选择回访满意度。"),
    ({"close-satisfaction": Satisfaction.SATISFIED}, "id_close-outcome", "请填写办理结果。"),
])
def test_closing_with_a_mistake_is_refused_at_the_field(client, officer, case, data, field_id, message):
    answered(case, by=officer)
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "close", "close-closed_on": TODAY.isoformat(), **data})
    _assert_error_at(response, field_id, message)
    case.refresh_from_db()
    assert case.state == CaseState.ANSWERED


def test_closing_a_case_not_yet_answered_says_where_it_is(client, officer, case):
    # The close form is not on the page of a case waiting to be assigned: a page left open while another officer
    # reopened it, say.
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "close", "close-closed_on": TODAY.isoformat(),
                                                   "close-outcome": "已解决。",
                                                   "close-satisfaction": Satisfaction.SATISFIED})
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert "案件已是“待分派”，请刷新页面后再办理。" in _summary(response)
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED


def test_reopening_a_closed_case_gives_it_a_new_deadline(client, officer, case):
    closed(case, by=officer)
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "reopen", "reopen-note": "回访不满意：坡道仍未整改。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.reopened, case.due_on) == (CaseState.ASSIGNED, 1, rules.due_on(TODAY, 15))
    html = _html(client.get(f"/rights/{case.pk}/"))
    assert "回访不满意：坡道仍未整改。" in html and "1 次" in html


@pytest.mark.parametrize(("note", "message"), [("  ", "请填写重新办理的原因。"), ("不" * 201, "最多 200 字。")])
def test_reopening_without_a_reason_is_refused_at_the_field(client, officer, case, note, message):
    closed(case, by=officer)
    client.force_login(officer)
    _assert_error_at(client.post(f"/rights/{case.pk}/", {"action": "reopen", "reopen-note": note}),
                     "id_reopen-note", message)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_an_unknown_action_changes_nothing(client, officer, case):
    client.force_login(officer)
    response = client.post(f"/rights/{case.pk}/", {"action": "delete"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED and list(case.steps.values_list("kind", flat=True)) == [
        CaseStep.Kind.RECEIVED]


# ---- The worklist -----------------------------------------------------------------------------------------------

def test_the_worklist_shows_escalated_cases_first_with_their_label(client, officer, areas):
    late = open_case(by=officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION, received_on=date(2025, 9, 1),
                     caller_name="李志强")
    services.cases_sweep(on=TODAY)
    fresh = open_case(by=officer, area=areas["dongcheng"], received_on=TODAY, caller_name="王秀兰")
    client.force_login(officer)
    html = _html(client.get("/rights/"))
    assert html.index(late.reference) < html.index(fresh.reference)
    assert "超期督办" in html and "已超期" in html
    assert "全部未办结（2）" in html and "待分派（2）" in html


def test_a_closed_case_is_found_by_its_reference_and_a_wrong_one_finds_nothing(client, officer, areas):
    done = closed(open_case(by=officer, area=areas["beijiang"]), by=officer)
    waiting = open_case(by=officer, area=areas["beijiang"], received_on=TODAY)
    client.force_login(officer)
    assert done.reference not in _html(client.get("/rights/"))
    html = _html(client.get("/rights/", {"q": done.reference.lower()}))
    assert done.reference in html and waiting.reference not in html
    html = _html(client.get("/rights/", {"q": "王秀兰"}))
    assert "没有找到这个受理编号的案件。" in html and waiting.reference not in html


# ---- Statistics -----------------------------------------------------------------------------------------------

def test_the_statistics_page_gives_the_years_rates(client, leader, officer, areas):
    closed(open_case(by=officer, area=areas["beijiang"]), by=officer)  # on time, satisfied
    late = open_case(by=officer, area=areas["dongcheng"], kind=CaseKind.CONSULTATION)  # due 2025-10-11
    closed(late, by=officer, replied_on=date(2025, 10, 20), satisfaction=Satisfaction.DISSATISFIED)
    client.force_login(leader)
    html = _html(client.get("/rights/statistics/", {"from": "2025", "to": "2025"}))
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "按期办结率 50%" in text and "回访满意率（满意和基本满意） 50%" in text
    assert "北疆社区 1" in text and "东城社区 1" in text
    assert "这段时间没有受理案件。" in _html(client.get("/rights/statistics/", {"from": "2016", "to": "2016"}))


def test_years_asked_out_of_range_fall_back_to_this_year(client, officer, areas):
    open_case(by=officer, area=areas["beijiang"], received_on=TODAY)
    client.force_login(officer)
    for asked in ({"from": "1999"}, {"from": "abc", "to": "3000"}, {"from": str(TODAY.year), "to": "2015x"}):
        response = client.get("/rights/statistics/", asked)
        assert response.status_code == 200
        assert f'<option value="{TODAY.year}" selected>' in _html(response)
        assert "这段时间没有受理案件。" not in _html(response)


# ---- The workbench card -----------------------------------------------------------------------------------------

def test_the_workbench_shows_the_open_cases_and_those_late(client, officer, beijiang_officer, areas):
    services.case_assign(case=open_case(by=officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION),
                         by=officer, officer=beijiang_officer)  # received 2025-09-30: late
    open_case(by=officer, area=areas["beijiang"], received_on=TODAY)
    closed(open_case(by=officer, area=areas["beijiang"]), by=officer)
    client.force_login(beijiang_officer)
    html = _html(client.get("/"))
    card = re.search(r'<section class="card" aria-labelledby="card-cases">(.*?)</section>', html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", card).split())
    assert "未办结的维权案件 2" in text
    assert "其中 1 件由您承办" in text and "1 件已超期" in text


def test_the_workbench_card_counts_only_my_areas(client, dongcheng_officer, officer, areas):
    open_case(by=officer, area=areas["beijiang"])
    client.force_login(dongcheng_officer)
    html = _html(client.get("/"))
    card = re.search(r'aria-labelledby="card-cases">(.*?)</section>', html, re.S).group(1)
    assert '<p class="card__number">0</p>' in card


def test_a_leaders_workbench_has_no_cases_card(client, leader, officer, areas):
    open_case(by=officer, area=areas["beijiang"])
    client.force_login(leader)
    response = client.get("/")
    assert response.status_code == 200 and "未办结的维权案件" not in _html(response)
