import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from canlian.audit.models import AccessLog
from canlian.common.masking import mask_id_number
from canlian.registry import services
from canlian.registry.choices import CertificateStatus, LifeStatus
from canlian.registry.models import Assessment, Certificate, Household, Person
from canlian.registry.rules import Finding
from canlian.registry.tests.factories import PASSWORD, make_assessment, make_certificate, make_id, make_person


@pytest.fixture
def zhang(officer, areas):
    """张三丰 of 北疆社区 with a valid physical grade 2 certificate."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", phone="13800001234")
    make_certificate(person=person, by=officer, category=4, grade=2)
    return person


def _login(client, user) -> Client:
    client.force_login(user)
    return client


def _html(response) -> str:
    return response.content.decode()


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", _html(response), re.S).group(1).strip()


def _assert_error_page(response, field_id: str):
    """The form re-renders (200) with 错误： in the title and an error summary linking to the field."""
    assert response.status_code == 200
    assert _title(response).startswith("错误：")
    html = _html(response)
    assert 'class="error-summary"' in html
    assert f'href="#{field_id}"' in html
    assert f'id="{field_id}"' in html
    assert 'aria-invalid="true"' in html


def _person_urls(person) -> list[str]:
    certificate = person.certificates.get(status=CertificateStatus.VALID)
    return [
        f"/persons/{person.pk}/",
        f"/persons/{person.pk}/edit/",
        f"/persons/{person.pk}/reveal-id/",
        f"/persons/{person.pk}/status/",
        f"/persons/{person.pk}/assessments/new/",
        f"/persons/{person.pk}/certificates/issue/",
        f"/persons/{person.pk}/household/",
        f"/certificates/{certificate.pk}/regrade/",
        *(f"/certificates/{certificate.pk}/{action}/" for action in ("renew", "reissue", "freeze", "unfreeze",
                                                                      "cancel")),
    ]


# --- area scope: the other community gets 404 -----------------------------------------------------------


def test_other_community_officer_gets_404_on_every_person_url(client, dongcheng_officer, zhang):
    _login(client, dongcheng_officer)
    for url in _person_urls(zhang):
        for response in (client.get(url), client.post(url, {"reason": "查看", "form": "create"})):
            assert response.status_code == 404, url
            html = _html(response)
            assert "张三丰" not in html, url
            assert zhang.id_number not in html, url
            assert mask_id_number(zhang.id_number) not in html, url
            assert "13800001234" not in html, url


def test_denied_access_looks_the_same_as_a_person_who_does_not_exist(client, dongcheng_officer, zhang):
    _login(client, dongcheng_officer)
    denied = client.get(f"/persons/{zhang.pk}/")
    missing = client.get("/persons/999999/")
    assert denied.status_code == missing.status_code == 404


    def normalised(response, pk):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", _html(response))
        return html.replace(f"/persons/{pk}/", "/persons/N/")

    assert normalised(denied, zhang.pk) == normalised(missing, 999999)


def test_denied_access_writes_nothing_and_changes_nothing(client, dongcheng_officer, zhang):
    _login(client, dongcheng_officer)
    certificate = zhang.certificates.get()
    client.post(f"/persons/{zhang.pk}/reveal-id/", {"reason": "好奇"})
    client.post(f"/persons/{zhang.pk}/status/", {"status": "deceased", "since": "2023-01-01", "reason": "死亡"})
    client.post(f"/persons/{zhang.pk}/edit/", {"name": "李四"})
    client.post(f"/certificates/{certificate.pk}/cancel/", {"on": "2023-01-01", "reason": "注销"})
    client.post(f"/persons/{zhang.pk}/household/", {"form": "create"})
    zhang.refresh_from_db()
    certificate.refresh_from_db()
    assert (zhang.name, zhang.life_status) == ("张三丰", LifeStatus.ACTIVE)
    assert certificate.status == CertificateStatus.VALID
    assert not Household.objects.exists()
    assert not AccessLog.objects.filter(person=zhang).exclude(action=AccessLog.Action.DENIED).exists()


def test_other_community_person_is_absent_from_search(client, dongcheng_officer, zhang):
    response = _login(client, dongcheng_officer).get("/persons/", {"q": "zsf"})
    assert response.status_code == 200
    assert "张三丰" not in _html(response)


def test_anonymous_visitor_is_sent_to_login(client, zhang):
    response = client.get(f"/persons/{zhang.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- leaders see aggregates only -----------------------------------------------------------------------


def test_leader_gets_403_on_person_pages(client, leader, zhang):
    _login(client, leader)
    for url in [*_person_urls(zhang), "/persons/", "/persons/new/", "/certificates/expiring/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "张三丰" not in _html(response)


def test_leader_sees_aggregates_on_the_workbench(client, leader, zhang, officer, areas):
    other = make_person(by=officer, area=areas["dongcheng"], name="李四", sequence=13)
    make_certificate(person=other, by=officer, category=4, grade=3)
    response = _login(client, leader).get("/")
    assert response.status_code == 200
    summary = {row["label"]: (row["total"], row["severe"]) for row in response.context["summary"]}
    assert summary["肢体残疾"] == (2, 1)
    assert summary["视力残疾"] == (0, 0)
    html = _html(response)
    assert "持证残疾人（按类别，仅汇总）" in html
    assert "张三丰" not in html and "李四" not in html


def test_officer_workbench_counts_persons_and_expiring_cards(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).get("/")
    assert response.status_code == 200
    assert response.context["active_count"] == 1


def test_admin_gets_403_on_person_pages(client, admin_user, zhang):
    assert _login(client, admin_user).get(f"/persons/{zhang.pk}/").status_code == 403


# --- access log (访问日志) -----------------------------------------------------------------------------------


def test_viewing_a_person_file_writes_an_access_log_row(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).get(f"/persons/{zhang.pk}/", REMOTE_ADDR="10.1.2.3",
                                                    HTTP_USER_AGENT="Firefox")
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.action, log.ip_address, log.user_agent) == (
        beijiang_officer, zhang, AccessLog.Action.VIEW, "10.1.2.3", "Firefox")


def test_search_is_logged_without_the_full_query(client, officer, zhang):
    _login(client, officer).get("/persons/", {"q": zhang.id_number})
    log = AccessLog.objects.get(action=AccessLog.Action.SEARCH)
    assert log.detail == zhang.id_number[:4] + "…"


def test_reveal_id_without_a_reason_shows_an_error_and_logs_nothing(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).post(f"/persons/{zhang.pk}/reveal-id/", {"reason": "  "})
    _assert_error_page(response, "id_reason")
    assert "这个字段是必填项" in _html(response)
    assert zhang.id_number not in _html(response)
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_ID).exists()


def test_reveal_id_with_a_reason_shows_the_full_number_and_logs_the_reason(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).post(f"/persons/{zhang.pk}/reveal-id/",
                                                     {"reason": "办理补贴需核对身份"})
    assert response.status_code == 200
    assert zhang.id_number in _html(response)
    log = AccessLog.objects.get(action=AccessLog.Action.REVEAL_ID)
    assert (log.user, log.person, log.reason) == (beijiang_officer, zhang, "办理补贴需核对身份")


def test_reveal_id_page_asks_for_the_reason_first(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).get(f"/persons/{zhang.pk}/reveal-id/")
    assert response.status_code == 200
    assert zhang.id_number not in _html(response)
    assert not AccessLog.objects.exists()


def test_admin_reads_and_filters_the_access_log(client, admin_user, beijiang_officer, officer, zhang):
    _login(client, beijiang_officer).get(f"/persons/{zhang.pk}/")
    client.post(f"/persons/{zhang.pk}/reveal-id/", {"reason": "核对身份"})
    _login(client, officer).get(f"/persons/{zhang.pk}/")
    _login(client, admin_user)

    everything = client.get("/audit/")
    assert everything.status_code == 200
    assert everything.context["page"].paginator.count == 3

    reveals = client.get("/audit/", {"action": "reveal_id"})
    assert [(log.user, log.reason) for log in reveals.context["page"]] == [(beijiang_officer, "核对身份")]
    assert "核对身份" in _html(reveals)

    by_user = client.get("/audit/", {"user": "beijiang"})
    assert {log.user for log in by_user.context["page"]} == {beijiang_officer}

    by_person = client.get("/audit/", {"person": zhang.pk})
    assert by_person.context["page"].paginator.count == 3

    today = timezone.localdate()
    assert client.get("/audit/", {"since": str(today + timedelta(days=1))}).context["page"].paginator.count == 0
    assert client.get("/audit/", {"until": str(today)}).context["page"].paginator.count == 3


def test_access_log_filter_with_until_before_since_shows_an_error(client, admin_user):
    response = _login(client, admin_user).get("/audit/", {"since": "2024-02-01", "until": "2024-01-01"})
    _assert_error_page(response, "id_until")


@pytest.mark.parametrize("user_fixture", ["officer", "beijiang_officer", "leader"])
def test_access_log_page_is_403_for_everyone_but_admins(client, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    assert _login(client, user).get("/audit/").status_code == 403


# --- masking on screen ---------------------------------------------------------------------------------------


def test_person_page_masks_the_id_and_certificate_numbers(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).get(f"/persons/{zhang.pk}/")
    html = _html(response)
    assert zhang.id_number not in html
    assert zhang.id_number[6:14] not in html  # the birth date part of the number
    assert mask_id_number(zhang.id_number) in html
    assert mask_id_number(zhang.id_number) + "42" in html  # certificate number: masked ID + category + grade


def test_person_page_with_certificate_history_masks_every_number(client, beijiang_officer, officer, zhang):
    services.certificate_reissue(certificate=zhang.certificates.get(), by=officer, on=date(2022, 1, 5), reason="遗失")
    html = _html(_login(client, beijiang_officer).get(f"/persons/{zhang.pk}/"))
    assert zhang.id_number not in html
    assert mask_id_number(zhang.id_number) + "42B1" in html


def test_search_results_mask_id_numbers(client, officer, zhang, areas):
    make_person(by=officer, area=areas["dongcheng"], name="张无忌", sequence=13)
    response = _login(client, officer).get("/persons/", {"q": "张"})
    html = _html(response)
    assert response.context["page"].paginator.count == 2
    assert zhang.id_number not in html
    assert make_id(sequence=13) not in html
    assert mask_id_number(zhang.id_number) in html


# --- forms with bad input ------------------------------------------------------------------------------------


def _person_form(area, **overrides) -> dict:
    return {"id_number": make_id(date(1990, 3, 3), 21), "name": "王五", "ethnicity": "01", "hukou_type": "urban",
            "hukou_area": area.pk, "residence_area": area.pk, **overrides}


def test_registering_through_the_form_creates_the_person(client, beijiang_officer, areas):
    response = _login(client, beijiang_officer).post("/persons/new/", _person_form(areas["beijiang"]))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.pk}/"
    assert (person.name, person.birth_date, person.sex) == ("王五", date(1990, 3, 3), "M")


@pytest.mark.parametrize(("overrides", "field_id", "message"), [
    ({"id_number": "152501199003030211"}, "id_id_number", "最后一位应为"),
    ({"id_number": "1525011990"}, "id_id_number", "现在是10位"),
    ({"name": "<script>alert(1)</script>"}, "id_name", "姓名只能包含"),
    ({"name": ""}, "id_name", "这个字段是必填项"),
    ({"phone": "12345"}, "id_phone", "例如 13800000000"),
    ({"hukou_type": ""}, "id_hukou_type", "这个字段是必填项"),
])
def test_bad_registration_re_renders_with_errors_and_saves_nothing(client, beijiang_officer, areas, overrides,
                                                                   field_id, message):
    response = _login(client, beijiang_officer).post("/persons/new/", _person_form(areas["beijiang"], **overrides))
    _assert_error_page(response, field_id)
    assert message in _html(response)
    assert not Person.objects.exists()


def test_hostile_name_is_escaped_when_the_form_re_renders(client, beijiang_officer, areas):
    response = _login(client, beijiang_officer).post(
        "/persons/new/", _person_form(areas["beijiang"], name="<script>alert(1)</script>"))
    assert "<script>alert(1)</script>" not in _html(response)


def test_duplicate_registration_through_the_form_is_shown_at_the_id_field(client, beijiang_officer, zhang, areas):
    legacy = zhang.id_number[:6] + zhang.id_number[8:17]
    response = _login(client, beijiang_officer).post(
        "/persons/new/", _person_form(areas["beijiang"], id_number=legacy, name="张三"))
    _assert_error_page(response, "id_id_number")
    assert "已登记，不能重复登记" in _html(response)
    assert Person.objects.count() == 1


def test_registering_in_another_community_is_refused_by_the_form(client, beijiang_officer, areas):
    response = _login(client, beijiang_officer).post(
        "/persons/new/", _person_form(areas["beijiang"], residence_area=areas["dongcheng"].pk))
    _assert_error_page(response, "id_residence_area")
    assert not Person.objects.exists()


def test_editing_through_the_form_keeps_the_reason_and_logs_the_edit(client, beijiang_officer, zhang, areas):
    data = _person_form(areas["beijiang"], id_number=zhang.id_number, name="张三峰", reason="户口本更正")
    response = _login(client, beijiang_officer).post(f"/persons/{zhang.pk}/edit/", data)
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.name == "张三峰"
    assert zhang.history.latest("history_id").history_change_reason == "户口本更正"
    assert AccessLog.objects.filter(action=AccessLog.Action.EDIT, person=zhang, user=beijiang_officer).exists()


def test_bad_edit_re_renders_with_errors_and_changes_nothing(client, beijiang_officer, zhang, areas):
    data = _person_form(areas["beijiang"], id_number=zhang.id_number, name="张'; DROP TABLE x;--")
    response = _login(client, beijiang_officer).post(f"/persons/{zhang.pk}/edit/", data)
    _assert_error_page(response, "id_name")
    zhang.refresh_from_db()
    assert zhang.name == "张三丰"
    assert zhang.history.count() == 1


def test_life_status_in_the_future_re_renders_with_errors(client, beijiang_officer, zhang):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _login(client, beijiang_officer).post(
        f"/persons/{zhang.pk}/status/", {"status": "deceased", "since": str(tomorrow), "reason": "死亡"})
    _assert_error_page(response, "id_since")
    assert "生效日期不能晚于今天。" in _html(response)
    zhang.refresh_from_db()
    assert zhang.life_status == LifeStatus.ACTIVE


def test_death_recorded_through_the_form_cancels_the_certificate(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).post(
        f"/persons/{zhang.pk}/status/", {"status": "deceased", "since": "2023-01-01", "reason": "死亡证明"})
    assert response.status_code == 302
    assert zhang.certificates.get().status == CertificateStatus.CANCELLED


def test_assessment_without_findings_links_the_error_to_the_first_grade(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).post(
        f"/persons/{zhang.pk}/assessments/new/", {"assessed_on": "2023-01-01", "institution": "评定机构"})
    _assert_error_page(response, "id_grade_1")
    assert "请至少选择一个残疾类别及其等级。" in _html(response)
    assert zhang.assessments.count() == 1


def test_assessment_through_the_form_records_findings_and_wg_answers(client, beijiang_officer, zhang):
    response = _login(client, beijiang_officer).post(
        f"/persons/{zhang.pk}/assessments/new/",
        {"assessed_on": "2023-01-01", "institution": "评定机构", "grade_4": "1", "grade_5": "3", "wg_walking": "4"})
    assert response.status_code == 302
    assessment = zhang.assessments.order_by("-pk").first()
    assert sorted(assessment.findings.values_list("category", "grade")) == [(4, 1), (5, 3)]
    assert assessment.wg_walking == 4


def test_second_certificate_through_the_form_shows_every_reason(client, beijiang_officer, zhang):
    assessment = zhang.assessments.get()
    response = _login(client, beijiang_officer).post(
        f"/persons/{zhang.pk}/certificates/issue/", {"assessment": assessment.pk, "on": "2023-01-01"})
    assert response.status_code == 200
    assert _title(response).startswith("错误：")
    assert "一人只能持有一个有效证件" in _html(response)
    assert zhang.certificates.count() == 1


def test_reissue_without_a_reason_re_renders_with_errors(client, beijiang_officer, zhang):
    certificate = zhang.certificates.get()
    response = _login(client, beijiang_officer).post(f"/certificates/{certificate.pk}/reissue/",
                                                     {"on": "2023-01-01", "reason": ""})
    _assert_error_page(response, "id_reason")
    assert Certificate.objects.count() == 1


def test_certificate_action_through_the_form(client, beijiang_officer, zhang):
    certificate = zhang.certificates.get()
    response = _login(client, beijiang_officer).post(f"/certificates/{certificate.pk}/freeze/",
                                                     {"on": "2023-01-01", "reason": "户籍迁出"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.FROZEN


def test_unknown_certificate_action_is_404(client, beijiang_officer, zhang):
    certificate = zhang.certificates.get()
    assert _login(client, beijiang_officer).get(f"/certificates/{certificate.pk}/delete/").status_code == 404


def test_regrade_through_the_form_issues_a_new_number(client, beijiang_officer, zhang):
    certificate = zhang.certificates.get()
    assessment = make_assessment(person=zhang, by=beijiang_officer, on=date(2023, 1, 1),
                                 findings=[Finding(4, 1)])
    response = _login(client, beijiang_officer).post(f"/certificates/{certificate.pk}/regrade/",
                                                     {"assessment": assessment.pk, "on": "2023-01-02"})
    assert response.status_code == 302
    assert zhang.certificates.get(status=CertificateStatus.VALID).number == zhang.id_number + "41"


def test_household_member_with_bad_id_re_renders_with_errors(client, beijiang_officer, zhang):
    _login(client, beijiang_officer).post(f"/persons/{zhang.pk}/household/", {"form": "create"})
    response = client.post(f"/persons/{zhang.pk}/household/", {
        "form": "member", "member-relation": "parent", "member-name": "张父", "member-id_number": "123"})
    _assert_error_page(response, "id_member-id_number")
    assert Household.objects.get().members.count() == 1


# --- security headers, CSRF, login lockout ----------------------------------------------------------------------


def test_post_without_csrf_token_is_refused(beijiang_officer, areas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(beijiang_officer)
    response = client.post("/persons/new/", _person_form(areas["beijiang"]))
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_post_with_csrf_token_is_accepted(beijiang_officer, areas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(beijiang_officer)
    client.get("/persons/new/")
    token = client.cookies["csrftoken"].value
    response = client.post("/persons/new/", {**_person_form(areas["beijiang"]), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_pages_carry_a_content_security_policy(client, beijiang_officer):
    response = _login(client, beijiang_officer).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _attempt_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_with_the_right_password_works(client, beijiang_officer):
    response = _attempt_login(client, "beijiang", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(beijiang_officer.pk)


def test_wrong_password_shows_the_chinese_error(client, beijiang_officer):
    response = _attempt_login(client, "beijiang", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in _html(response)


def test_four_failures_do_not_lock_the_account(client, beijiang_officer):
    for _ in range(4):
        _attempt_login(client, "beijiang", "wrong-password")
    assert _attempt_login(client, "beijiang", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client, beijiang_officer):
    for _ in range(5):
        _attempt_login(client, "beijiang", "wrong-password")
    response = _attempt_login(client, "beijiang", PASSWORD)
    assert response.status_code == 429
    assert "账号已暂时锁定" in _html(response)
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_does_not_lock_another(client, beijiang_officer, dongcheng_officer):
    for _ in range(5):
        _attempt_login(client, "beijiang", "wrong-password")
    assert _attempt_login(client, "dongcheng", PASSWORD).status_code == 302


def test_assessment_model_is_untouched_by_denied_posts(client, dongcheng_officer, zhang):
    _login(client, dongcheng_officer).post(f"/persons/{zhang.pk}/assessments/new/",
                                           {"assessed_on": "2023-01-01", "institution": "x", "grade_4": "1"})
    assert Assessment.objects.count() == 1


def test_edit_page_never_prefills_the_full_id_number(client, beijiang_officer, zhang):
    html = _html(_login(client, beijiang_officer).get(f"/persons/{zhang.pk}/edit/"))
    assert zhang.id_number not in html
    assert mask_id_number(zhang.id_number) in html


def test_edit_with_the_id_left_blank_keeps_the_id_number(client, beijiang_officer, zhang, areas):
    data = _person_form(areas["beijiang"], id_number="", name="张三峰", reason="姓名更正")
    response = _login(client, beijiang_officer).post(f"/persons/{zhang.pk}/edit/", data)
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.name, zhang.id_number) == ("张三峰", make_id())


def test_attempt_on_another_communitys_file_is_logged_as_denied(client, dongcheng_officer, zhang):
    _login(client, dongcheng_officer).get(f"/persons/{zhang.pk}/", REMOTE_ADDR="10.0.0.7")
    denied = AccessLog.objects.get(action=AccessLog.Action.DENIED)
    assert (denied.user, denied.person_id, denied.ip_address) == (dongcheng_officer, zhang.pk, "10.0.0.7")


def test_missing_person_is_not_logged_as_denied(client, dongcheng_officer):
    _login(client, dongcheng_officer).get("/persons/999999/")
    assert not AccessLog.objects.filter(action=AccessLog.Action.DENIED).exists()


def test_household_member_living_in_another_community_is_shown_by_relation_only(client, beijiang_officer, officer,
                                                                               zhang, areas):
    spouse = make_person(by=officer, area=areas["dongcheng"], name="王秀英", sequence=22, phone="13600007777")
    household = services.household_create(by=officer, head=zhang)
    services.household_add_member(household=household, by=officer, relation="spouse", person=spouse)
    for url in (f"/persons/{zhang.pk}/", f"/persons/{zhang.pk}/household/"):
        html = _html(_login(client, beijiang_officer).get(url))
        assert "王秀英" not in html, url
        assert f"/persons/{spouse.pk}/" not in html, url
        assert "居住在其他区域" in html, url
    assert "王秀英" in _html(_login(client, officer).get(f"/persons/{zhang.pk}/"))
