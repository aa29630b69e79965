"""Rights cases from taking to closing (受理、分派、答复、办结回访、重新办理), each refused where the policy says so,
and the daily sweep that reminds before the deadline and escalates past it (到期提醒、超期督办)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from canlian.accounts.models import Role
from canlian.common.tests.concurrency import race
from canlian.parameters.models import Parameter
from canlian.registry.tests.factories import make_person, make_user
from canlian.rights import rules, services
from canlian.rights.models import Case, CaseStep
from canlian.rights.rules import CaseKind, CaseSource, CaseState, Satisfaction
from canlian.rights.tests.factories import (
    BEFORE_NATIONAL_DAY,
    DUE_WORKING_DAYS,
    REMIND_WORKING_DAYS,
    answered,
    closed,
    make_partner,
    open_case,
)

TODAY = timezone.localdate()


@pytest.fixture
def zhang(officer, areas):
    """A registered person living in 北疆社区."""
    return make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=11)


@pytest.fixture
def resident(db):
    return make_user("resident", Role.RESIDENT)


@pytest.fixture
def partner(db):
    return make_partner()


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _steps(case: Case) -> list[str]:
    return list(case.steps.order_by("at", "pk").values_list("kind", flat=True))


# ---- 受理: taking a case ---------------------------------------------------------------------------------------

def test_a_case_about_a_registered_person_belongs_to_the_area_where_they_live(officer, areas, zhang):
    case = open_case(by=officer, person=zhang, area=areas["dongcheng"], kind=CaseKind.CONSULTATION)
    assert (case.area, case.person, case.caller_name) == (areas["beijiang"], zhang, "张三丰")
    assert (case.state, case.opened_by, case.received_on) == (CaseState.RECEIVED, officer, BEFORE_NATIONAL_DAY)
    step = case.steps.get()
    assert (step.kind, step.on, step.by) == (CaseStep.Kind.RECEIVED, BEFORE_NATIONAL_DAY, officer)
    assert step.note == "12385 残疾人服务热线受理，办结期限 2025-10-11"


def test_a_relative_calling_about_a_registered_person_is_recorded_as_the_caller(officer, zhang):
    case = open_case(by=officer, person=zhang, caller_name="张桂英")
    assert (case.caller_name, case.person) == ("张桂英", zhang)


def test_a_caller_who_is_not_registered_must_name_the_area(officer):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=None)
    assert _errors(excinfo) == {"area": ["请选择所属区域，或填写涉及的残疾人的身份证号。"]}
    assert not Case.objects.exists()


def test_a_caller_who_is_not_registered_belongs_to_the_area_named(beijiang_officer, areas):
    case = open_case(by=beijiang_officer, area=areas["beijiang"], caller_name="李志强")
    assert (case.area, case.person, case.caller_name) == (areas["beijiang"], None, "李志强")


def test_a_community_officer_cannot_take_a_case_for_another_community(beijiang_officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=beijiang_officer, area=areas["dongcheng"])
    assert _errors(excinfo) == {"area": ["“东城社区”不在您负责的区域内。"]}
    assert not Case.objects.exists()


def test_a_community_officer_cannot_take_a_case_about_a_person_of_another_community(dongcheng_officer, zhang):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=dongcheng_officer, person=zhang)
    assert _errors(excinfo) == {"area": ["“北疆社区”不在您负责的区域内。"]}


def test_a_case_cannot_be_received_in_the_future(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], received_on=TODAY + timedelta(days=1))
    assert _errors(excinfo) == {"received_on": ["日期不能晚于今天。"]}


def test_a_case_received_today_is_taken(officer, areas):
    assert open_case(by=officer, area=areas["beijiang"], received_on=TODAY).received_on == TODAY


def test_a_case_cannot_be_dated_before_the_platforms_records_begin(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], received_on=date(2014, 12, 31))
    [message] = _errors(excinfo)["received_on"]
    assert "不能早于" in message and "2015-01-01" in message


def test_a_summary_with_markup_is_kept_as_the_caller_said_it(officer, areas):
    case = open_case(by=officer, area=areas["beijiang"], summary="  <script>alert(1)</script> 坡道太陡  ")
    case.refresh_from_db()
    assert case.summary == "<script>alert(1)</script> 坡道太陡"


def test_a_summary_of_a_thousand_characters_is_taken_and_a_longer_one_refused(officer, areas):
    assert len(open_case(by=officer, area=areas["beijiang"], summary="坡" * 1000).summary) == 1000
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], summary="坡" * 1001)
    assert _errors(excinfo) == {"summary": ["反映内容最多 1000 字。"]}


def test_an_empty_summary_is_refused(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], summary=" \n ")
    assert _errors(excinfo) == {"summary": ["请填写反映内容。"]}


@pytest.mark.parametrize("phone", ["12345", "1390479123", "电话13904791234", "<b>13904791234</b>"])
def test_a_phone_that_is_not_a_phone_number_is_refused(officer, areas, phone):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], caller_phone=phone)
    assert list(_errors(excinfo)) == ["caller_phone"]
    assert "11位手机号" in _errors(excinfo)["caller_phone"][0]


@pytest.mark.parametrize(("typed", "kept"), [
    ("１３９０４７９１２３４", "13904791234"),  # full-width digits from a Chinese input method
    ("139 0479 1234", "13904791234"),
    ("０４７９－７５１２３４５", "04797512345"),
    ("", ""),  # a caller who would not leave a number
])
def test_a_phone_typed_with_full_width_digits_or_spaces_is_kept_as_plain_digits(officer, areas, typed, kept):
    assert open_case(by=officer, area=areas["beijiang"], caller_phone=typed).caller_phone == kept


def test_a_caller_name_with_markup_is_refused(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], caller_name="<b>王秀兰</b>")
    assert list(_errors(excinfo)) == ["caller_name"]


def test_a_kind_or_source_not_in_the_lists_is_refused(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], kind="gossip")
    assert _errors(excinfo) == {"kind": ["请选择案件类型。"]}
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], source="wechat")
    assert _errors(excinfo) == {"source": ["请选择来源。"]}


def test_an_officer_cannot_record_a_case_as_raised_online(officer, areas):
    # 网上办事 cases are raised by the resident themself, under their account.
    with pytest.raises(ValidationError) as excinfo:
        open_case(by=officer, area=areas["beijiang"], source=CaseSource.PORTAL)
    assert _errors(excinfo) == {"source": ["请选择来源。"]}


# ---- 办结期限 per kind, from the parameters in force on the day received --------------------------------------

@pytest.mark.parametrize("kind", CaseKind.values)
def test_each_kind_is_due_its_working_days_after_receipt(officer, areas, kind):
    case = open_case(by=officer, area=areas["beijiang"], kind=kind)
    statutory_days = 60 if kind == CaseKind.PETITION else 0  # 信访工作条例: 60 days, whatever the holidays
    assert case.due_on == rules.due_on(BEFORE_NATIONAL_DAY, DUE_WORKING_DAYS[kind], statutory_days)
    assert case.remind_on == rules.reminder_day(case.due_on, REMIND_WORKING_DAYS)


def test_a_consultation_taken_before_national_day_is_due_and_reminded_after_the_holiday(officer, areas):
    case = open_case(by=officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION)
    assert (case.due_on, case.remind_on) == (date(2025, 10, 11), date(2025, 10, 9))


def test_a_shorter_deadline_applies_to_cases_received_from_its_effective_date(officer, areas):
    Parameter.objects.create(key="rights.due_working_days.complaint", value=Decimal(10),
                             effective_from=date(2025, 7, 1), source="测试：投诉类时限缩短")
    before = open_case(by=officer, area=areas["beijiang"], received_on=date(2025, 6, 30))
    after = open_case(by=officer, area=areas["beijiang"], received_on=date(2025, 7, 1))
    assert before.due_on == rules.due_on(date(2025, 6, 30), 15)
    assert after.due_on == rules.due_on(date(2025, 7, 1), 10)


def test_a_longer_reminder_applies_to_cases_received_from_its_effective_date(officer, areas):
    Parameter.objects.create(key="rights.remind_working_days", value=Decimal(4), effective_from=date(2025, 7, 1))
    before = open_case(by=officer, area=areas["beijiang"], received_on=date(2025, 6, 30))
    after = open_case(by=officer, area=areas["beijiang"], received_on=date(2025, 7, 1))
    assert before.remind_on == rules.reminder_day(before.due_on, 2)
    assert after.remind_on == rules.reminder_day(after.due_on, 4)


# ---- 分派 / 转办: handing a case on -----------------------------------------------------------------------------

def test_a_case_is_handed_to_an_officer_whose_areas_cover_it(officer, beijiang_officer, areas):
    case = open_case(by=officer, area=areas["beijiang"])
    case = services.case_assign(case=case, by=officer, officer=beijiang_officer, note=" 请上门核实 ")
    case.refresh_from_db()
    assert (case.state, case.assigned_to, case.partner) == (CaseState.ASSIGNED, beijiang_officer, None)
    step = case.steps.get(kind=CaseStep.Kind.ASSIGNED)
    assert (step.note, step.by, step.on) == ("分派给 beijiang：请上门核实", officer, TODAY)


def test_a_legal_aid_case_is_handed_to_a_partner_body(officer, areas, partner):
    case = open_case(by=officer, area=areas["beijiang"], kind=CaseKind.LEGAL_AID)
    case = services.case_assign(case=case, by=officer, partner=partner)
    assert (case.state, case.assigned_to, case.partner) == (CaseState.ASSIGNED, None, partner)
    assert case.steps.get(kind=CaseStep.Kind.ASSIGNED).note == "分派给 二连浩特市法律援助中心"


@pytest.mark.parametrize("both", [True, False])
def test_a_case_goes_to_exactly_one_of_an_officer_or_a_partner(officer, beijiang_officer, areas, partner, both):
    case = open_case(by=officer, area=areas["beijiang"])
    chosen = {"officer": beijiang_officer, "partner": partner} if both else {}
    with pytest.raises(ValidationError) as excinfo:
        services.case_assign(case=case, by=officer, **chosen)
    assert _errors(excinfo) == {"officer": ["请选择承办人或协办单位（二选一）。"]}
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED and _steps(case) == [CaseStep.Kind.RECEIVED]


def test_an_officer_whose_areas_do_not_cover_the_case_is_refused(officer, dongcheng_officer, areas):
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.case_assign(case=case, by=officer, officer=dongcheng_officer)
    assert _errors(excinfo) == {"officer": ["dongcheng 的负责区域不包括“北疆社区”。"]}
    case.refresh_from_db()
    assert (case.state, case.assigned_to) == (CaseState.RECEIVED, None)


def test_an_officer_who_has_left_is_not_given_cases(officer, beijiang_officer, areas):
    beijiang_officer.is_active = False
    beijiang_officer.save()
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError, match="负责区域不包括"):
        services.case_assign(case=case, by=officer, officer=beijiang_officer)


def test_a_leader_is_not_given_cases_to_handle(officer, leader, areas):
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError, match="负责区域不包括"):
        services.case_assign(case=case, by=officer, officer=leader)


def test_a_partner_no_longer_taking_cases_is_refused(officer, areas):
    stopped = make_partner("二连浩特市公安局", "police", active=False)
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.case_assign(case=case, by=officer, partner=stopped)
    assert _errors(excinfo) == {"partner": ["“二连浩特市公安局”已停止分派。"]}
    case.refresh_from_db()
    assert case.partner is None


def test_a_case_being_handled_can_be_handed_on_and_both_handings_are_kept(officer, beijiang_officer, areas, partner):
    case = open_case(by=officer, area=areas["beijiang"])
    services.case_assign(case=case, by=officer, officer=beijiang_officer)
    case = services.case_assign(case=case, by=beijiang_officer, partner=partner, note="需法律援助")
    case.refresh_from_db()
    assert (case.assigned_to, case.partner) == (None, partner)
    assert list(case.steps.filter(kind=CaseStep.Kind.ASSIGNED).order_by("pk").values_list("note", flat=True)) == [
        "分派给 beijiang", "分派给 二连浩特市法律援助中心：需法律援助"]


def test_a_resident_cannot_hand_a_case_on(officer, beijiang_officer, areas, resident):
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(PermissionDenied):
        services.case_assign(case=case, by=resident, officer=beijiang_officer)
    assert _steps(case) == [CaseStep.Kind.RECEIVED]


def test_an_officer_of_another_community_cannot_act_on_the_case(officer, beijiang_officer, dongcheng_officer,
                                                                  areas):
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError, match="不在您负责的区域内"):
        services.case_assign(case=case, by=dongcheng_officer, officer=beijiang_officer)
    with pytest.raises(ValidationError, match="不在您负责的区域内"):
        services.case_reply(case=case, by=dongcheng_officer, replied_on=BEFORE_NATIONAL_DAY, reply="已答复。")
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED and _steps(case) == [CaseStep.Kind.RECEIVED]


# ---- 答复: the answer given ------------------------------------------------------------------------------------

def test_a_reply_leaves_the_case_waiting_for_the_return_call(officer, beijiang_officer, areas):
    case = open_case(by=officer, area=areas["beijiang"])
    services.case_assign(case=case, by=officer, officer=beijiang_officer)
    case = services.case_reply(case=case, by=beijiang_officer, replied_on=date(2025, 10, 9),
                               reply="已联系物业，承诺月底前整改坡道。")
    case.refresh_from_db()
    assert (case.state, case.answered_on, case.assigned_to) == (CaseState.ANSWERED, date(2025, 10, 9),
                                                                 beijiang_officer)
    step = case.steps.get(kind=CaseStep.Kind.REPLIED)
    assert (step.on, step.by, step.note) == (date(2025, 10, 9), beijiang_officer, "已联系物业，承诺月底前整改坡道。")


def test_a_consultation_answered_on_the_spot_is_handled_by_whoever_answered(beijiang_officer, areas):
    case = open_case(by=beijiang_officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION)
    case = services.case_reply(case=case, by=beijiang_officer, replied_on=BEFORE_NATIONAL_DAY,
                               reply="已告知残疾人证办理所需材料。")
    assert (case.state, case.assigned_to) == (CaseState.ANSWERED, beijiang_officer)
    assert _steps(case) == [CaseStep.Kind.RECEIVED, CaseStep.Kind.REPLIED]


def test_a_case_handed_to_a_partner_keeps_the_partner_when_answered(officer, areas, partner):
    case = services.case_assign(case=open_case(by=officer, area=areas["beijiang"]), by=officer, partner=partner)
    case = services.case_reply(case=case, by=officer, replied_on=BEFORE_NATIONAL_DAY, reply="法律援助中心已受理。")
    assert (case.assigned_to, case.partner) == (None, partner)


@pytest.mark.parametrize(("replied_on", "message"), [
    (BEFORE_NATIONAL_DAY - timedelta(days=1), "不能早于"),
    (TODAY + timedelta(days=1), "日期不能晚于今天。"),
])
def test_a_reply_dated_before_the_case_or_in_the_future_is_refused(officer, areas, replied_on, message):
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.case_reply(case=case, by=officer, replied_on=replied_on, reply="已答复。")
    assert list(_errors(excinfo)) == ["replied_on"] and message in _errors(excinfo)["replied_on"][0]
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED


def test_a_reply_without_words_is_refused(officer, areas):
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.case_reply(case=case, by=officer, replied_on=BEFORE_NATIONAL_DAY, reply="   ")
    assert _errors(excinfo) == {"reply": ["请填写答复内容。"]}


def test_a_resident_cannot_record_a_reply(officer, areas, resident):
    case = open_case(by=officer, area=areas["beijiang"])
    with pytest.raises(PermissionDenied):
        services.case_reply(case=case, by=resident, replied_on=BEFORE_NATIONAL_DAY, reply="已答复。")


# ---- 办结回访: closing with the person's satisfaction ----------------------------------------------------------

def test_closing_records_the_outcome_and_the_satisfaction_from_the_return_call(officer, areas):
    case = answered(open_case(by=officer, area=areas["beijiang"]), by=officer, on=date(2025, 10, 9))
    case = services.case_close(case=case, by=officer, closed_on=date(2025, 10, 13), outcome=" 坡道已整改。 ",
                               satisfaction=Satisfaction.FAIRLY)
    case.refresh_from_db()
    assert (case.state, case.closed_on, case.outcome, case.satisfaction) == (
        CaseState.CLOSED, date(2025, 10, 13), "坡道已整改。", Satisfaction.FAIRLY)
    assert not case.is_open
    assert case.steps.get(kind=CaseStep.Kind.CLOSED).note == "坡道已整改。（基本满意）"


@pytest.mark.parametrize(("prepare", "state"), [("received", "待分派"), ("assigned", "办理中")])
def test_a_case_is_closed_only_after_it_was_answered(officer, beijiang_officer, areas, prepare, state):
    case = open_case(by=officer, area=areas["beijiang"])
    if prepare == "assigned":
        case = services.case_assign(case=case, by=officer, officer=beijiang_officer)
    with pytest.raises(ValidationError) as excinfo:
        services.case_close(case=case, by=officer, closed_on=BEFORE_NATIONAL_DAY, outcome="已解决。",
                            satisfaction=Satisfaction.SATISFIED)
    assert excinfo.value.messages == [f"案件已是“{state}”，请刷新页面后再办理。"]
    case.refresh_from_db()
    assert case.closed_on is None and case.satisfaction == ""


@pytest.mark.parametrize("satisfaction", ["", "happy"])
def test_the_satisfaction_from_the_return_call_is_required(officer, areas, satisfaction):
    case = answered(open_case(by=officer, area=areas["beijiang"]), by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.case_close(case=case, by=officer, closed_on=BEFORE_NATIONAL_DAY, outcome="已解决。",
                            satisfaction=satisfaction)
    assert _errors(excinfo) == {"satisfaction": ["请选择回访满意度。"]}
    case.refresh_from_db()
    assert case.state == CaseState.ANSWERED


def test_a_person_who_could_not_be_reached_is_recorded_so(officer, areas):
    case = closed(open_case(by=officer, area=areas["beijiang"]), by=officer, satisfaction=Satisfaction.UNREACHED)
    assert case.get_satisfaction_display() == "未能回访"


def test_a_case_cannot_be_closed_before_the_day_it_was_answered(officer, areas):
    case = answered(open_case(by=officer, area=areas["beijiang"]), by=officer, on=date(2025, 10, 9))
    with pytest.raises(ValidationError) as excinfo:
        services.case_close(case=case, by=officer, closed_on=BEFORE_NATIONAL_DAY, outcome="已解决。",
                            satisfaction=Satisfaction.SATISFIED)
    [message] = _errors(excinfo)["closed_on"]
    assert "不能早于" in message and "2025-10-09" in message
    case.refresh_from_db()
    assert case.state == CaseState.ANSWERED


def test_an_outcome_is_required_to_close(officer, areas):
    case = answered(open_case(by=officer, area=areas["beijiang"]), by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.case_close(case=case, by=officer, closed_on=BEFORE_NATIONAL_DAY, outcome="",
                            satisfaction=Satisfaction.SATISFIED)
    assert _errors(excinfo) == {"outcome": ["请填写办理结果。"]}


# ---- 重新办理: reopening -----------------------------------------------------------------------------------------

def test_reopening_gives_a_new_deadline_from_today_and_keeps_the_earlier_steps(officer, beijiang_officer, areas):
    case = open_case(by=officer, area=areas["beijiang"], kind=CaseKind.COMPLAINT)
    case = answered(case, by=officer, handler=beijiang_officer, on=date(2025, 10, 9))
    case = services.case_close(case=case, by=beijiang_officer, closed_on=date(2025, 10, 10), outcome="已协调。",
                               satisfaction=Satisfaction.DISSATISFIED)
    case = services.case_reopen(case=case, by=officer, reason="回访不满意：坡道仍未整改。")
    case.refresh_from_db()
    due = rules.due_on(TODAY, 15)
    assert (case.due_on, case.remind_on) == (due, rules.reminder_day(due, 2))
    assert (case.state, case.assigned_to, case.reopened) == (CaseState.ASSIGNED, beijiang_officer, 1)
    assert (case.closed_on, case.answered_on, case.outcome, case.satisfaction) == (None, None, "", "")
    assert case.received_on == BEFORE_NATIONAL_DAY  # still the day the person first called
    assert _steps(case) == [CaseStep.Kind.RECEIVED, CaseStep.Kind.ASSIGNED, CaseStep.Kind.REPLIED,
                            CaseStep.Kind.CLOSED, CaseStep.Kind.REOPENED]
    assert case.steps.get(kind=CaseStep.Kind.REOPENED).note == f"回访不满意：坡道仍未整改。；新的办结期限 {due}"


def test_a_case_reopened_twice_counts_both(officer, areas):
    case = closed(open_case(by=officer, area=areas["beijiang"]), by=officer)
    case = services.case_reopen(case=case, by=officer, reason="不满意")
    case = closed(case, by=officer, replied_on=TODAY)
    case = services.case_reopen(case=case, by=officer, reason="仍不满意")
    assert case.reopened == 2
    assert case.steps.filter(kind=CaseStep.Kind.CLOSED).count() == 2


def test_a_reopened_case_is_reminded_and_escalated_again_for_its_new_deadline(officer, areas):
    case = open_case(by=officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION)
    services.cases_sweep(on=date(2025, 10, 20))  # reminded and escalated, then answered late
    case = closed(case, by=officer, replied_on=date(2025, 10, 21))
    case = services.case_reopen(case=case, by=officer, reason="不满意")
    assert (case.reminded_on, case.escalated_on) == (None, None)
    assert _sweep(case.remind_on) == (1, 0)
    assert _sweep(case.due_on + timedelta(days=1)) == (0, 1)


def test_reopening_needs_a_reason(officer, areas):
    case = closed(open_case(by=officer, area=areas["beijiang"]), by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.case_reopen(case=case, by=officer, reason=" ")
    assert _errors(excinfo) == {"reason": ["请填写重新办理的原因。"]}
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.reopened == 0


def test_only_a_closed_case_is_reopened(officer, areas):
    case = answered(open_case(by=officer, area=areas["beijiang"]), by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.case_reopen(case=case, by=officer, reason="不满意")
    assert excinfo.value.messages == ["案件已是“已答复，待回访”，请刷新页面后再办理。"]


def test_a_resident_cannot_reopen_a_case(officer, areas, resident):
    case = closed(open_case(by=officer, area=areas["beijiang"]), by=officer)
    with pytest.raises(PermissionDenied):
        services.case_reopen(case=case, by=resident, reason="不满意")


# ---- Acting on a page that another officer has already moved on -----------------------------------------------

def test_acting_on_a_case_another_officer_has_answered_says_where_it_is_and_changes_nothing(
        officer, beijiang_officer, areas):
    seen_by_officer = open_case(by=officer, area=areas["beijiang"])
    seen_by_beijiang = Case.objects.get(pk=seen_by_officer.pk)
    services.case_reply(case=seen_by_beijiang, by=beijiang_officer, replied_on=BEFORE_NATIONAL_DAY, reply="已答复。")
    with pytest.raises(ValidationError) as excinfo:
        services.case_assign(case=seen_by_officer, by=officer, officer=beijiang_officer)
    assert excinfo.value.messages == ["案件已是“已答复，待回访”，请刷新页面后再办理。"]
    with pytest.raises(ValidationError, match="案件已是“已答复，待回访”"):
        services.case_reply(case=seen_by_officer, by=officer, replied_on=BEFORE_NATIONAL_DAY, reply="又答复。")
    assert _steps(seen_by_officer) == [CaseStep.Kind.RECEIVED, CaseStep.Kind.REPLIED]


def test_a_case_closed_meanwhile_is_not_closed_twice(officer, areas):
    case = answered(open_case(by=officer, area=areas["beijiang"]), by=officer)
    stale = Case.objects.get(pk=case.pk)
    services.case_close(case=case, by=officer, closed_on=BEFORE_NATIONAL_DAY, outcome="已解决。",
                        satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(ValidationError, match="案件已是“已办结”"):
        services.case_close(case=stale, by=officer, closed_on=BEFORE_NATIONAL_DAY, outcome="另一结果。",
                            satisfaction=Satisfaction.DISSATISFIED)
    case.refresh_from_db()
    assert (case.outcome, case.satisfaction) == ("已解决。", Satisfaction.SATISFIED)


@pytest.mark.django_db(transaction=True)
def test_two_officers_answering_at_once_record_one_reply_and_the_other_is_told(officer, beijiang_officer, areas):
    case = open_case(by=officer, area=areas["beijiang"])
    by = [officer, beijiang_officer]
    outcomes = race(lambda i: services.case_reply(case=case, by=by[i], replied_on=BEFORE_NATIONAL_DAY,
                                                  reply=f"答复{i}"))
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1 and refused[0].messages == ["案件已是“已答复，待回访”，请刷新页面后再办理。"]
    assert case.steps.filter(kind=CaseStep.Kind.REPLIED).count() == 1


# ---- 到期提醒、超期督办: the daily sweep ----------------------------------------------------------------------

@pytest.fixture
def consultation(officer, areas):
    """Received 2025-09-30: due Saturday 10-11 (a make-up working day), reminded from Thursday 10-09."""
    return open_case(by=officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION)


def _sweep(on: date) -> tuple[int, int]:
    result = services.cases_sweep(on=on)
    return result.reminded, result.escalated


def test_the_sweep_reminds_on_the_reminder_day_not_before(consultation):
    assert _sweep(date(2025, 10, 8)) == (0, 0)  # still the holiday: three working days left
    assert _sweep(date(2025, 10, 9)) == (1, 0)
    consultation.refresh_from_db()
    assert consultation.reminded_on == date(2025, 10, 9)
    step = consultation.steps.get(kind=CaseStep.Kind.REMINDED)
    assert (step.on, step.by, step.note) == (date(2025, 10, 9), None, "办结期限 2025-10-11 将到，请抓紧办理。")


def test_the_sweep_reminds_once_and_escalates_once_the_day_after_the_deadline(consultation):
    days = [date(2025, 10, 9) + timedelta(days=n) for n in range(6)]  # 10-09 to 10-14
    assert [_sweep(day) for day in days] == [(1, 0), (0, 0), (0, 0), (0, 1), (0, 0), (0, 0)]
    consultation.refresh_from_db()
    assert (consultation.reminded_on, consultation.escalated_on) == (date(2025, 10, 9), date(2025, 10, 12))
    step = consultation.steps.get(kind=CaseStep.Kind.ESCALATED)
    assert (step.on, step.by, step.note) == (date(2025, 10, 12), None, "已超过办结期限 2025-10-11，列入督办。")


def test_a_second_sweep_the_same_day_adds_nothing(consultation):
    assert _sweep(date(2025, 10, 20)) == (0, 1)
    steps = CaseStep.objects.count()
    assert _sweep(date(2025, 10, 20)) == (0, 0)
    assert CaseStep.objects.count() == steps


def test_a_case_found_already_late_is_escalated_without_being_told_its_deadline_is_near(consultation):
    # The sweep did not run between the reminder day and the deadline (a server down over the holiday, say).
    assert _sweep(date(2025, 10, 20)) == (0, 1)
    assert not consultation.steps.filter(kind=CaseStep.Kind.REMINDED).exists()


def test_the_sweep_leaves_closed_cases_alone(officer, areas, consultation):
    closed(open_case(by=officer, area=areas["dongcheng"], kind=CaseKind.CONSULTATION), by=officer)
    assert _sweep(date(2025, 10, 9)) == (1, 0)
    assert _sweep(date(2025, 10, 20)) == (0, 1)
    assert set(CaseStep.objects.filter(kind__in=["reminded", "escalated"]).values_list("case", flat=True)) == {
        consultation.pk}


def test_an_answered_case_waiting_for_the_return_call_is_still_escalated_past_its_deadline(officer, consultation):
    answered(consultation, by=officer)
    assert _sweep(date(2025, 10, 20)) == (0, 1)


def test_the_sweep_command_says_what_it_did(consultation):
    out = io.StringIO()
    call_command("cases_sweep", "--on", "2025-10-09", stdout=out)
    assert out.getvalue().strip() == "到期提醒 1 件，超期督办 0 件。"
    with pytest.raises(CommandError, match="2026-03-15"):
        call_command("cases_sweep", "--on", "2025/10/09")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_remind_and_escalate_each_case_once(officer, areas):
    for received_on in (BEFORE_NATIONAL_DAY, date(2025, 10, 13)):
        open_case(by=officer, area=areas["beijiang"], kind=CaseKind.CONSULTATION, received_on=received_on)
    # One late (due 10-11), one with its deadline near (due 10-16, reminded from 10-14) on 10-15.
    outcomes = race(lambda _i: services.cases_sweep(on=date(2025, 10, 15)))
    assert sorted((o.reminded, o.escalated) for o in outcomes) == [(0, 0), (1, 1)]
    assert CaseStep.objects.filter(kind=CaseStep.Kind.REMINDED).count() == 1
    assert CaseStep.objects.filter(kind=CaseStep.Kind.ESCALATED).count() == 1
