"""Writes of volunteer services (志愿助残) and the emergency register (应急结对帮扶): registering a volunteer on their
consent, a request's deadline, matching, hours logged, a person's needs and their helper; bad input refused at the
field with nothing written; other areas and residents refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canlian.parameters.models import Parameter
from canlian.registry.choices import LifeStatus
from canlian.registry.services import person_change_life_status
from canlian.volunteers import services
from canlian.volunteers.models import Award, EmergencyProfile, Pairing, Request, Service, Volunteer
from canlian.volunteers.rules import EmergencyNeed, RequestKind
from canlian.volunteers.tests.factories import (
    ASKED,
    TODAY,
    log_service,
    make_matched,
    make_pairing,
    make_profile,
    make_request,
    make_resident,
    make_volunteer,
)


def _register(by, area, **changes):
    values = {"name": "刘洋", "phone": "13947900001", "area": area, "skills": [RequestKind.ESCORT], "consent": True,
              "consent_on": TODAY - timedelta(days=1), **changes}
    return services.volunteer_register(by=by, **values)


# ---- Registering a volunteer (志愿者登记) --------------------------------------------------------------------------

def test_a_volunteer_is_registered_with_their_consent_skills_and_time_they_can_give(beijiang_officer, areas):
    volunteer = _register(beijiang_officer, areas["beijiang"], phone=" 139 4790 0001 ",
                          skills=["tutoring", "daily_care", "tutoring"], availability="  周末   上午 ",
                          consent_on=date(2026, 3, 1))
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.phone, volunteer.area, volunteer.active) == (
        "刘洋", "13947900001", areas["beijiang"], True)
    assert volunteer.skills == ["daily_care", "tutoring"]  # the list's order, each once
    assert volunteer.skill_labels == ["生活照料", "支教助学"]
    assert volunteer.availability == "周末   上午"  # free text, kept as the officer typed it, trimmed
    assert (volunteer.consent_on, volunteer.registered_by) == (date(2026, 3, 1), beijiang_officer)


def test_a_full_width_phone_is_stored_in_plain_digits(beijiang_officer, areas):
    assert _register(beijiang_officer, areas["beijiang"], phone="１３９４７９００００１").phone == "13947900001"


def test_without_the_volunteers_consent_nothing_is_registered(beijiang_officer, areas):
    with pytest.raises(ValidationError) as refused:
        _register(beijiang_officer, areas["beijiang"], consent=False)
    assert refused.value.message_dict == {"consent": ["志愿者本人同意后才能登记：请先征得本人同意。"]}
    assert not Volunteer.objects.exists()


def test_consent_cannot_be_dated_in_the_future(beijiang_officer, areas):
    with pytest.raises(ValidationError) as refused:
        _register(beijiang_officer, areas["beijiang"], consent_on=TODAY + timedelta(days=1))
    assert refused.value.message_dict == {"consent_on": ["日期不能晚于今天。"]}


@pytest.mark.parametrize("area", ["dongcheng", "city", "gacha"])
def test_a_community_officer_registers_volunteers_only_in_their_own_community(beijiang_officer, areas, area):
    with pytest.raises(ValidationError) as refused:
        _register(beijiang_officer, areas[area])
    assert refused.value.message_dict == {"area": [f"“{areas[area].name}”不在您负责的区域内。"]}
    assert not Volunteer.objects.exists()


def test_a_city_officer_registers_a_city_level_volunteer(officer, areas):
    assert _register(officer, areas["city"]).area == areas["city"]


@pytest.mark.parametrize("skills", [[], ["fishing"]])
def test_a_volunteer_offers_at_least_one_kind_of_help(beijiang_officer, areas, skills):
    with pytest.raises(ValidationError) as refused:
        _register(beijiang_officer, areas["beijiang"], skills=skills)
    assert refused.value.message_dict == {"skills": ["请至少选择一项可提供的服务。"]}


@pytest.mark.parametrize(("phone", "message"), [
    ("", "请填写联系电话：对接服务时要联系志愿者。"),
    ("   ", "请填写联系电话：对接服务时要联系志愿者。"),
    ("12345", "请输入11位手机号或带区号的固定电话，例如 13800000000 或 0479-7512345。"),
    ("1394790000<script>", "请输入11位手机号或带区号的固定电话，例如 13800000000 或 0479-7512345。"),
])
def test_a_volunteer_needs_a_phone_that_can_be_called(beijiang_officer, areas, phone, message):
    with pytest.raises(ValidationError) as refused:
        _register(beijiang_officer, areas["beijiang"], phone=phone)
    assert refused.value.message_dict == {"phone": [message]}
    assert not Volunteer.objects.exists()


def test_a_phone_already_registered_to_an_active_volunteer_is_refused_however_typed(beijiang_officer, officer, areas):
    _register(beijiang_officer, areas["beijiang"])
    with pytest.raises(ValidationError) as refused:
        _register(officer, areas["dongcheng"], name="高娃", phone="139-4790-0001")
    assert refused.value.message_dict == {"phone": ["这个电话号码已登记为志愿者。"]}
    assert Volunteer.objects.count() == 1


def test_a_withdrawn_volunteers_phone_can_register_again(beijiang_officer, areas):
    first = _register(beijiang_officer, areas["beijiang"])
    services.volunteer_withdraw(volunteer=first, by=beijiang_officer, on=TODAY)
    again = _register(beijiang_officer, areas["beijiang"])
    assert again.pk != first.pk and again.active
    assert Volunteer.objects.filter(phone="13947900001").count() == 2


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "刘洋'); DROP TABLE volunteers;--", "=HYPERLINK(1)",
                                  "刘洋\u202e", "", "   "])
def test_a_name_that_is_not_a_persons_name_is_refused(beijiang_officer, areas, name):
    with pytest.raises(ValidationError) as refused:
        _register(beijiang_officer, areas["beijiang"], name=name)
    assert list(refused.value.message_dict) == ["name"]
    assert not Volunteer.objects.exists()


def test_a_mongolian_name_with_the_middle_dot_is_accepted(beijiang_officer, areas):
    assert _register(beijiang_officer, areas["beijiang"], name="额尔登·巴特尔").name == "额尔登·巴特尔"


def test_availability_is_limited_to_a_hundred_characters(beijiang_officer, areas):
    with pytest.raises(ValidationError) as refused:
        _register(beijiang_officer, areas["beijiang"], availability="周末" * 51)
    assert refused.value.message_dict == {"availability": ["可服务时间最多 100 字。"]}


# ---- Withdrawing (退出) and awards (表彰) --------------------------------------------------------------------------

def test_a_withdrawn_volunteer_keeps_their_hours_and_is_no_longer_active(beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = make_matched(person=zhang, by=beijiang_officer, volunteer=volunteer)
    log_service(request, by=beijiang_officer, hours="3", finished=True)
    services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY)
    volunteer.refresh_from_db()
    assert (volunteer.active, volunteer.left_on) == (False, TODAY)
    assert volunteer.services.get().hours == Decimal("3.0")


def test_a_volunteer_cannot_withdraw_while_a_request_is_matched_to_them(beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = make_matched(person=zhang, by=beijiang_officer, volunteer=volunteer)
    with pytest.raises(ValidationError) as refused:
        services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY)
    assert refused.value.messages == ["这位志愿者还有正在对接的服务需求，请先改派或完成。"]
    volunteer.refresh_from_db()
    assert volunteer.active
    log_service(request, by=beijiang_officer, finished=True)
    assert not services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY).active


def test_a_volunteer_who_is_someones_emergency_helper_cannot_withdraw_until_replaced(beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=30), volunteer=volunteer)
    with pytest.raises(ValidationError) as refused:
        services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY)
    assert refused.value.messages == ["这位志愿者还是 1 位残疾人的应急结对帮扶人，请先为他们更换帮扶人。"]
    make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY)
    assert not services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY).active


def test_a_person_no_longer_on_the_register_gets_no_new_request(beijiang_officer, zhang):
    person_change_life_status(person=zhang, by=beijiang_officer, status=LifeStatus.DECEASED,
                              since=TODAY - timedelta(days=3), reason="民政死亡名单")
    zhang.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        make_request(person=zhang, by=beijiang_officer)
    assert refused.value.messages == ["张三丰 已不在册（死亡）。"]
    assert not Request.objects.exists()


def test_a_volunteer_withdraws_only_once(beijiang_officer, areas):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY - timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY)
    assert refused.value.messages == ["这位志愿者已经退出。"]
    volunteer.refresh_from_db()
    assert volunteer.left_on == TODAY - timedelta(days=2)


def test_an_award_is_recorded_with_its_title_and_who_gave_it(beijiang_officer, areas):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    award = services.award_record(volunteer=volunteer, by=beijiang_officer, title=" 优秀志愿者 ",
                                  awarded_on=date(2026, 3, 5), awarded_by="二连浩特市残疾人联合会")
    assert (award.title, award.awarded_by, award.recorded_by) == ("优秀志愿者", "二连浩特市残疾人联合会",
                                                                  beijiang_officer)


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"title": " "}, "title", "请填写表彰名称。"),
    ({"awarded_by": ""}, "awarded_by", "请填写表彰单位。"),
    ({"awarded_on": TODAY + timedelta(days=1)}, "awarded_on", "日期不能晚于今天。"),
])
def test_an_award_with_bad_input_is_refused_at_the_field(beijiang_officer, areas, values, field, message):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as refused:
        services.award_record(volunteer=volunteer, by=beijiang_officer, **{
            "title": "优秀志愿者", "awarded_on": TODAY, "awarded_by": "市残联", **values})
    assert refused.value.message_dict == {field: [message]}
    assert not Award.objects.exists()


# ---- Opening a request (志愿服务需求) ------------------------------------------------------------------------------

def test_a_request_is_answered_within_three_working_days_skipping_the_national_day_holiday(beijiang_officer, zhang):
    # 2025-09-29 is a Monday; 1–8 October 2025 is the National Day and Mid-Autumn holiday (国办发明电〔2024〕12号).
    request = make_request(person=zhang, by=beijiang_officer, requested_on=date(2025, 9, 29))
    assert (request.state, request.requested_on, request.due_on) == (Request.State.OPEN, date(2025, 9, 29),
                                                                     date(2025, 10, 10))


def test_a_make_up_working_sunday_counts_towards_the_deadline(beijiang_officer, zhang):
    # Sunday 2025-09-28 is a make-up working day (调休): Friday's request is due the next Tuesday.
    assert make_request(person=zhang, by=beijiang_officer, requested_on=date(2025, 9, 26)).due_on == date(2025, 9, 30)


def test_the_deadline_follows_the_parameter_in_force_on_the_day_asked(beijiang_officer, zhang):
    Parameter.objects.create(key="volunteers.answer_working_days", value=5, effective_from=date(2025, 9, 1))
    assert make_request(person=zhang, by=beijiang_officer, requested_on=date(2025, 9, 29)).due_on == date(2025, 10, 13)
    assert make_request(person=zhang, by=beijiang_officer, requested_on=date(2025, 8, 29)).due_on == date(2025, 9, 3)


def test_a_request_made_without_a_day_is_made_today(beijiang_officer, zhang):
    request = services.request_open(person=zhang, by=beijiang_officer, kind=RequestKind.MOBILITY,
                                    detail="坐轮椅出行，需陪同去银行。")
    assert (request.requested_on, request.opened_by, request.detail) == (TODAY, beijiang_officer,
                                                                          "坐轮椅出行，需陪同去银行。")


def test_a_person_outside_the_officers_area_cannot_be_given_a_request(beijiang_officer, li):
    with pytest.raises(ValidationError) as refused:
        make_request(person=li, by=beijiang_officer)
    assert refused.value.messages == ["李四 不在您负责的区域内。"]
    assert not Request.objects.exists()


def test_the_day_wanted_cannot_be_before_the_day_asked(beijiang_officer, zhang):
    with pytest.raises(ValidationError) as refused:
        make_request(person=zhang, by=beijiang_officer, wanted_on=ASKED - timedelta(days=1))
    assert refused.value.message_dict == {"wanted_on": ["希望服务日期不能早于提出日期。"]}
    assert not Request.objects.exists()
    assert make_request(person=zhang, by=beijiang_officer, wanted_on=ASKED).wanted_on == ASKED


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"kind": "housework"}, "kind", "请选择服务类型。"),
    ({"detail": "  "}, "detail", "请填写具体需求。"),
    ({"detail": "需" * 501}, "detail", "具体需求最多 500 字。"),
    ({"requested_on": TODAY + timedelta(days=1)}, "requested_on", "日期不能晚于今天。"),
])
def test_a_request_with_bad_input_is_refused_at_the_field(beijiang_officer, zhang, values, field, message):
    with pytest.raises(ValidationError) as refused:
        make_request(person=zhang, by=beijiang_officer, **values)
    assert refused.value.message_dict == {field: [message]}
    assert not Request.objects.exists()


# ---- Matching (对接志愿者) -------------------------------------------------------------------------------------------

def test_a_request_is_matched_to_a_suitable_volunteer_with_the_reason(beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = services.request_match(request=make_request(person=zhang, by=beijiang_officer), by=beijiang_officer,
                                     volunteer=volunteer, on=ASKED + timedelta(days=1))
    request.refresh_from_db()
    assert (request.state, request.volunteer, request.matched_on) == (Request.State.MATCHED, volunteer,
                                                                      ASKED + timedelta(days=1))
    assert request.match_reason == "同一社区（嘎查），可提供陪诊，手头 0 项服务"


def test_a_volunteer_who_does_not_offer_the_help_is_refused(beijiang_officer, areas, zhang):
    tutor = make_volunteer(by=beijiang_officer, area=areas["beijiang"], name="王芳", skills=[RequestKind.TUTORING])
    request = make_request(person=zhang, by=beijiang_officer)
    with pytest.raises(ValidationError) as refused:
        services.request_match(request=request, by=beijiang_officer, volunteer=tutor)
    assert refused.value.message_dict == {"volunteer": ["王芳 没有登记可提供陪诊。"]}
    request.refresh_from_db()
    assert (request.state, request.volunteer) == (Request.State.OPEN, None)


def test_a_volunteer_the_officer_cannot_see_is_refused(officer, beijiang_officer, areas, zhang):
    other = make_volunteer(by=officer, area=areas["dongcheng"], name="高娃")
    request = make_request(person=zhang, by=beijiang_officer)
    with pytest.raises(ValidationError) as refused:
        services.request_match(request=request, by=beijiang_officer, volunteer=other)
    assert refused.value.message_dict == {"volunteer": ["请从列表中选择在册的志愿者。"]}
    request.refresh_from_db()
    assert request.state == Request.State.OPEN


def test_a_city_level_volunteer_serves_a_community_request(officer, beijiang_officer, areas, zhang):
    city = make_volunteer(by=officer, area=areas["city"], name="孙悦")
    request = make_request(person=zhang, by=beijiang_officer)
    assert services.request_match(request=request, by=beijiang_officer, volunteer=city).volunteer == city


def test_a_withdrawn_volunteer_is_not_matched(beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.request_match(request=make_request(person=zhang, by=beijiang_officer), by=beijiang_officer,
                               volunteer=volunteer)
    assert refused.value.message_dict == {"volunteer": ["请从列表中选择在册的志愿者。"]}


def test_a_matched_request_can_be_handed_to_another_volunteer(beijiang_officer, areas, zhang):
    first = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    second = make_volunteer(by=beijiang_officer, area=areas["beijiang"], name="陈晨", phone="13947900002")
    request = make_matched(person=zhang, by=beijiang_officer, volunteer=first)
    services.request_match(request=request, by=beijiang_officer, volunteer=second)
    request.refresh_from_db()
    assert (request.state, request.volunteer) == (Request.State.MATCHED, second)
    assert services.volunteer_withdraw(volunteer=first, by=beijiang_officer, on=TODAY).active is False


@pytest.mark.parametrize("close", ["done", "cancelled"])
def test_a_closed_request_is_not_matched_again(beijiang_officer, areas, zhang, close):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = make_matched(person=zhang, by=beijiang_officer, volunteer=volunteer)
    if close == "done":
        log_service(request, by=beijiang_officer, finished=True)
    else:
        services.request_cancel(request=request, by=beijiang_officer, reason="本人住院")
    with pytest.raises(ValidationError) as refused:
        services.request_match(request=request, by=beijiang_officer, volunteer=volunteer)
    assert refused.value.messages == [f"这项需求已是“{Request.State(close).label}”，请刷新页面。"]


# ---- Logging a service (服务记录) ----------------------------------------------------------------------------------

@pytest.fixture
def matched(beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    return make_matched(person=zhang, by=beijiang_officer, volunteer=volunteer)


def test_a_service_is_logged_for_the_matched_volunteer_with_the_persons_feedback(matched, beijiang_officer):
    service = log_service(matched, by=beijiang_officer, hours="2.5", note="陪同复查", feedback="satisfied",
                          feedback_note="很耐心")
    service.refresh_from_db()
    assert (service.volunteer, service.hours, service.served_on, service.recorded_by) == (
        matched.volunteer, Decimal("2.5"), ASKED, beijiang_officer)
    assert (service.get_feedback_display(), service.feedback_note) == ("满意", "很耐心")
    matched.refresh_from_db()
    assert matched.state == Request.State.MATCHED  # more visits to come


@pytest.mark.parametrize("hours", ["0", "24.5", "-1", "-0.5", "100"])
def test_hours_outside_one_day_are_refused(matched, beijiang_officer, hours):
    with pytest.raises(ValidationError) as refused:
        log_service(matched, by=beijiang_officer, hours=hours)
    assert refused.value.message_dict == {"hours": ["服务时长应在 0.1 到 24 小时之间。"]}
    assert not Service.objects.exists()


@pytest.mark.parametrize("hours", ["0.5", "0.1", "24"])
def test_hours_within_one_day_are_accepted(matched, beijiang_officer, hours):
    log_service(matched, by=beijiang_officer, hours=hours)
    assert Service.objects.get().hours == Decimal(hours)


@pytest.mark.parametrize("hours", ["0.04", "2.25"])
def test_hours_finer_than_a_tenth_are_refused_not_rounded(matched, beijiang_officer, hours):
    with pytest.raises(ValidationError) as refused:
        log_service(matched, by=beijiang_officer, hours=hours)
    assert refused.value.message_dict == {"hours": ["服务时长最多一位小数。"]}
    assert not Service.objects.exists()


def test_a_service_cannot_be_before_the_request_or_in_the_future(matched, beijiang_officer):
    with pytest.raises(ValidationError) as refused:
        log_service(matched, by=beijiang_officer, served_on=ASKED - timedelta(days=1))
    assert refused.value.message_dict == {"served_on": [f"服务日期不能早于需求提出日期 {ASKED}。"]}
    with pytest.raises(ValidationError) as refused:
        log_service(matched, by=beijiang_officer, served_on=TODAY + timedelta(days=1))
    assert refused.value.message_dict == {"served_on": ["日期不能晚于今天。"]}
    assert not Service.objects.exists()


def test_an_unknown_feedback_is_refused(matched, beijiang_officer):
    with pytest.raises(ValidationError) as refused:
        log_service(matched, by=beijiang_officer, feedback="great")
    assert refused.value.message_dict == {"feedback": ["请从列表中选择评价。"]}


def test_the_last_service_finishes_the_request_and_nothing_more_is_logged_on_it(matched, beijiang_officer):
    log_service(matched, by=beijiang_officer, hours="2")
    log_service(matched, by=beijiang_officer, hours="1.5", served_on=TODAY, finished=True)
    matched.refresh_from_db()
    assert (matched.state, matched.closed_note) == (Request.State.DONE, "服务完成")
    with pytest.raises(ValidationError) as refused:
        log_service(matched, by=beijiang_officer, served_on=TODAY)
    assert refused.value.messages == ["这项需求已是“已完成”，请刷新页面。"]
    assert Service.objects.count() == 2


def test_no_service_is_logged_on_a_request_not_yet_matched(beijiang_officer, zhang):
    request = make_request(person=zhang, by=beijiang_officer)
    with pytest.raises(ValidationError) as refused:
        log_service(request, by=beijiang_officer)
    assert refused.value.messages == ["这项需求已是“待响应”，请刷新页面。"]


# ---- Cancelling (取消需求) -------------------------------------------------------------------------------------------

def test_an_open_request_is_cancelled_with_the_reason(beijiang_officer, zhang):
    request = services.request_cancel(request=make_request(person=zhang, by=beijiang_officer), by=beijiang_officer,
                                      reason=" 本人住院，暂不需要。")
    request.refresh_from_db()
    assert (request.state, request.closed_note) == (Request.State.CANCELLED, "本人住院，暂不需要。")


def test_a_request_is_cancelled_only_with_a_reason(beijiang_officer, zhang):
    request = make_request(person=zhang, by=beijiang_officer)
    with pytest.raises(ValidationError) as refused:
        services.request_cancel(request=request, by=beijiang_officer, reason=" ")
    assert refused.value.message_dict == {"note": ["请填写取消原因。"]}
    request.refresh_from_db()
    assert request.state == Request.State.OPEN


def test_cancelling_a_matched_request_frees_the_volunteer(matched, beijiang_officer):
    services.request_cancel(request=matched, by=beijiang_officer, reason="家属已安排")
    assert services.volunteer_withdraw(volunteer=matched.volunteer, by=beijiang_officer, on=TODAY).active is False


def test_a_finished_request_cannot_be_cancelled(matched, beijiang_officer):
    log_service(matched, by=beijiang_officer, finished=True)
    with pytest.raises(ValidationError):
        services.request_cancel(request=matched, by=beijiang_officer, reason="重复登记")
    matched.refresh_from_db()
    assert matched.state == Request.State.DONE


def test_another_communitys_request_cannot_be_cancelled(beijiang_officer, dongcheng_officer, zhang):
    request = make_request(person=zhang, by=beijiang_officer)
    with pytest.raises(ValidationError) as refused:
        services.request_cancel(request=request, by=dongcheng_officer, reason="重复登记")
    assert refused.value.messages == ["张三丰 不在您负责的区域内。"]


# ---- Emergency needs (应急需求登记) ----------------------------------------------------------------------------------

def test_emergency_needs_are_recorded_most_urgent_first(beijiang_officer, zhang):
    profile = services.emergency_profile_save(person=zhang, by=beijiang_officer,
                                              needs=["living_alone", "flood", "power", "power"],
                                              note="使用家用制氧机")
    profile.refresh_from_db()
    assert (profile.needs, profile.note, profile.recorded_on, profile.recorded_by) == (
        ["power", "living_alone"], "使用家用制氧机", TODAY, beijiang_officer)
    assert profile.need_labels == ["依赖电力维持的设备（呼吸机、制氧机等）", "独居"]


@pytest.mark.parametrize("needs", [[], ["flood"]])
def test_a_profile_needs_at_least_one_need(beijiang_officer, zhang, needs):
    with pytest.raises(ValidationError) as refused:
        services.emergency_profile_save(person=zhang, by=beijiang_officer, needs=needs)
    assert refused.value.message_dict == {"needs": ["请至少选择一项应急需求；没有需求的不用登记。"]}
    assert not EmergencyProfile.objects.exists()


def test_saving_again_replaces_what_was_recorded(officer, beijiang_officer, zhang):
    make_profile(person=zhang, by=officer, needs=("power", "mobility"), note="使用家用制氧机")
    services.emergency_profile_save(person=zhang, by=beijiang_officer, needs=[EmergencyNeed.HEARING])
    profile = EmergencyProfile.objects.get()
    assert (profile.needs, profile.note, profile.recorded_by) == (["hearing"], "", beijiang_officer)


def test_another_communitys_person_gets_no_profile(dongcheng_officer, zhang):
    with pytest.raises(ValidationError) as refused:
        make_profile(person=zhang, by=dongcheng_officer)
    assert refused.value.messages == ["张三丰 不在您负责的区域内。"]
    assert not EmergencyProfile.objects.exists()


# ---- Pairing with a helper (结对帮扶) --------------------------------------------------------------------------------

def test_a_person_is_paired_with_a_neighbour_confirmed_on_the_day_paired(beijiang_officer, zhang):
    pairing = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=3),
                           name=" 王秀兰 ", phone="159 4790 0001")
    pairing.refresh_from_db()
    assert (pairing.helper_kind, pairing.helper_name, pairing.helper_phone, pairing.volunteer) == (
        "neighbour", "王秀兰", "15947900001", None)
    assert (pairing.started_on, pairing.confirmed_on, pairing.confirmed_by, pairing.ended_on) == (
        TODAY - timedelta(days=3), TODAY - timedelta(days=3), beijiang_officer, None)


def test_pairing_with_a_volunteer_takes_their_name_and_phone_from_the_register(beijiang_officer, areas, zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"], name="陈晨", phone="13947900102")
    pairing = services.pairing_set(person=zhang, by=beijiang_officer, helper_kind="neighbour", helper_name="别人",
                                   helper_phone="", started_on=TODAY, volunteer=volunteer)
    assert (pairing.helper_kind, pairing.helper_name, pairing.helper_phone, pairing.volunteer) == (
        "volunteer", "陈晨", "13947900102", volunteer)


def test_a_volunteer_the_officer_cannot_see_is_not_paired(officer, beijiang_officer, areas, zhang):
    other = make_volunteer(by=officer, area=areas["dongcheng"], name="高娃")
    with pytest.raises(ValidationError) as refused:
        make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY, volunteer=other)
    assert refused.value.message_dict == {"volunteer": ["请从列表中选择在册的志愿者。"]}
    assert not Pairing.objects.exists()


def test_a_new_pairing_ends_the_current_one_on_its_first_day(beijiang_officer, zhang):
    old = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=100))
    new = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=5), name="赵刚",
                       phone="15947900002", kind=Pairing.HelperKind.RELATIVE)
    old.refresh_from_db()
    assert old.ended_on == TODAY - timedelta(days=5) and new.ended_on is None
    assert list(Pairing.objects.filter(person=zhang, ended_on__isnull=True)) == [new]


def test_a_pairing_cannot_start_before_the_current_one(beijiang_officer, zhang):
    current = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=10))
    earlier = TODAY - timedelta(days=11)
    with pytest.raises(ValidationError) as refused:
        make_pairing(person=zhang, by=beijiang_officer, started_on=earlier, name="赵刚", phone="15947900002")
    assert refused.value.message_dict == {"started_on": [f"结对日期不能早于现有结对的日期 {current.started_on}。"]}
    current.refresh_from_db()
    assert current.ended_on is None and Pairing.objects.count() == 1


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"phone": ""}, "helper_phone", "请填写帮扶人电话：紧急时要能联系到帮扶人。"),
    ({"phone": "110"}, "helper_phone", "请输入11位手机号或带区号的固定电话，例如 13800000000 或 0479-7512345。"),
    ({"name": ""}, "helper_name", "请输入姓名。"),
    ({"name": "<b>王</b>"}, "helper_name", "姓名只能包含汉字、蒙古文、字母、空格和间隔号“·”。"),
    ({"kind": "stranger"}, "helper_kind", "请选择帮扶人身份。"),
    ({"started_on": TODAY + timedelta(days=1)}, "started_on", "日期不能晚于今天。"),
])
def test_a_pairing_with_bad_input_is_refused_at_the_field(beijiang_officer, zhang, values, field, message):
    with pytest.raises(ValidationError) as refused:
        make_pairing(person=zhang, by=beijiang_officer, **{"started_on": TODAY, **values})
    assert refused.value.message_dict == {field: [message]}
    assert not Pairing.objects.exists()


def test_confirming_a_pairing_keeps_the_day_and_who_confirmed(officer, beijiang_officer, zhang):
    pairing = make_pairing(person=zhang, by=officer, started_on=TODAY - timedelta(days=200))
    services.pairing_confirm(pairing=pairing, by=beijiang_officer, on=TODAY - timedelta(days=1))
    pairing.refresh_from_db()
    assert (pairing.confirmed_on, pairing.confirmed_by) == (TODAY - timedelta(days=1), beijiang_officer)


def test_a_confirmation_never_moves_the_date_backwards(beijiang_officer, zhang):
    pairing = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=10))
    services.pairing_confirm(pairing=pairing, by=beijiang_officer, on=TODAY - timedelta(days=2))
    services.pairing_confirm(pairing=pairing, by=beijiang_officer, on=TODAY - timedelta(days=30))
    pairing.refresh_from_db()
    assert pairing.confirmed_on == TODAY - timedelta(days=2)


def test_a_confirmation_cannot_be_dated_in_the_future(beijiang_officer, zhang):
    pairing = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        services.pairing_confirm(pairing=pairing, by=beijiang_officer, on=TODAY + timedelta(days=1))
    assert refused.value.message_dict == {"on": ["日期不能晚于今天。"]}


def test_an_ended_pairing_is_not_confirmed(beijiang_officer, zhang):
    old = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=100))
    make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=5), name="赵刚",
                 phone="15947900002")
    with pytest.raises(ValidationError) as refused:
        services.pairing_confirm(pairing=old, by=beijiang_officer, on=TODAY)
    assert refused.value.messages == ["这一结对已经解除。"]
    old.refresh_from_db()
    assert old.confirmed_on == TODAY - timedelta(days=100)


def test_another_communitys_officer_cannot_confirm(beijiang_officer, dongcheng_officer, zhang):
    pairing = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=10))
    with pytest.raises(ValidationError):
        services.pairing_confirm(pairing=pairing, by=dongcheng_officer, on=TODAY)
    pairing.refresh_from_db()
    assert pairing.confirmed_by == beijiang_officer


# ---- Residents make none of these writes (居民只能申请，不能办理) ----------------------------------------------------

WRITES = {
    "volunteer_register": lambda by, person, volunteer, request: _register(by, person.residence_area,
                                                                           phone="13947900009"),
    "volunteer_withdraw": lambda by, person, volunteer, request: services.volunteer_withdraw(
        volunteer=volunteer, by=by, on=TODAY),
    "award_record": lambda by, person, volunteer, request: services.award_record(
        volunteer=volunteer, by=by, title="优秀志愿者", awarded_on=TODAY, awarded_by="市残联"),
    "request_open": lambda by, person, volunteer, request: make_request(person=person, by=by),
    "request_match": lambda by, person, volunteer, request: services.request_match(
        request=request, by=by, volunteer=volunteer),
    "service_log": lambda by, person, volunteer, request: log_service(request, by=by),
    "request_cancel": lambda by, person, volunteer, request: services.request_cancel(
        request=request, by=by, reason="不需要了"),
    "emergency_profile_save": lambda by, person, volunteer, request: make_profile(person=person, by=by),
    "pairing_set": lambda by, person, volunteer, request: make_pairing(person=person, by=by, started_on=TODAY),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_resident_acting_for_the_person_is_refused_every_write(beijiang_officer, areas, zhang, write):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = make_request(person=zhang, by=beijiang_officer)
    if write == "service_log":
        request = services.request_match(request=request, by=beijiang_officer, volunteer=volunteer)
    resident = make_resident(zhang)  # authorised for 张三丰 himself (本人)
    with pytest.raises(PermissionDenied):
        WRITES[write](resident, zhang, volunteer, request)


def test_a_resident_cannot_confirm_a_pairing(beijiang_officer, zhang):
    pairing = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=10))
    with pytest.raises(PermissionDenied):
        services.pairing_confirm(pairing=pairing, by=make_resident(zhang), on=TODAY)


def test_a_city_wide_volunteer_is_kept_by_the_citys_officers_not_a_communitys(officer, beijiang_officer, areas):
    volunteer = make_volunteer(by=officer, area=areas["city"])
    for change in (lambda: services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY),
                   lambda: services.award_record(volunteer=volunteer, by=beijiang_officer, title="优秀志愿者",
                                                 awarded_on=TODAY, awarded_by="北疆社区")):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.messages == ["刘洋 在“二连浩特市”登记，由那里的工作人员办理。"]
    volunteer.refresh_from_db()
    assert volunteer.active and not Award.objects.exists()
    assert not services.volunteer_withdraw(volunteer=volunteer, by=officer, on=TODAY).active


def test_withdrawing_ends_what_the_volunteer_did_for_persons_no_longer_on_the_register(beijiang_officer, areas,
                                                                                     zhang):
    volunteer = make_volunteer(by=beijiang_officer, area=areas["beijiang"])
    request = make_matched(person=zhang, by=beijiang_officer, volunteer=volunteer)
    pairing = make_pairing(person=zhang, by=beijiang_officer, started_on=TODAY - timedelta(days=30),
                           volunteer=volunteer)
    person_change_life_status(person=zhang, by=beijiang_officer, status=LifeStatus.DECEASED,
                              since=TODAY - timedelta(days=1), reason="民政死亡名单")
    assert not services.volunteer_withdraw(volunteer=volunteer, by=beijiang_officer, on=TODAY).active
    request.refresh_from_db()
    pairing.refresh_from_db()
    assert request.state == Request.State.CANCELLED and pairing.ended_on == TODAY
