"""The department API: tokens and scopes, pushed lists, certificate verification, school-age children, the call log."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from canlian.exchange import tokens
from canlian.exchange.models import ApiCall, DepartmentToken, ImportBatch
from canlian.registry import services as registry_services
from canlian.registry.models import AssistanceStatus
from canlian.registry.rules import add_years
from canlian.registry.tests.factories import make_certificate, make_id, make_person

Scope = DepartmentToken.Scope
LIST_DATE = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def _token(*, areas, user, scopes, department="二连浩特市民政局") -> str:
    _token_row, raw = tokens.department_token_create(department=department, scopes=scopes, areas=areas,
                                                     acting_user=user)
    return raw


@pytest.fixture
def civil_affairs(areas, officer) -> str:
    """民政局: pushes assistance lists and verifies certificates, for the whole city."""
    return _token(areas=[areas["city"]], user=officer, scopes=[Scope.PUSH_ASSISTANCE, Scope.VERIFY_CERTIFICATES])


@pytest.fixture
def beijiang_education(areas, beijiang_officer) -> str:
    """教育局 for 北疆社区 only: reads its school-age children."""
    return _token(areas=[areas["beijiang"]], user=beijiang_officer, scopes=[Scope.READ_SCHOOL_AGE],
                  department="二连浩特市教育局")


def _call(client, method: str, path: str, raw: str | None = None, body=None, **headers):
    if raw is not None:
        headers["Authorization"] = f"Bearer {raw}"
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(f"/api/v1{path}", headers=headers, **kwargs)
    text = response.content.decode()
    assert "Traceback" not in text and 'File "' not in text  # no stack trace, ever
    assert response["Content-Type"].startswith("application/json"), text[:200]
    return response


def _push(client, raw, rows, *, source="assistance", area_code="152501000000", commit=False, list_date=LIST_DATE):
    body = {"list_date": list_date.isoformat(), "area_code": area_code, "rows": rows, "commit": commit}
    return _call(client, "post", f"/lists/{source}", raw, body)


def _dibao_row(person, **cells) -> dict:
    return {"身份证号": person.id_number, "姓名": person.name, "救助类型": "低保", "起始日期": "2024-01-01", **cells}


# --- tokens and scopes -------------------------------------------------------------------------------------


def test_a_call_without_a_token_is_refused_as_token_missing(client, areas):
    response = _call(client, "get", "/certificates/152501198001010011 42/verification")
    assert response.status_code == 401
    assert response.json()["code"] == "token_missing"
    assert "令牌" in response.json()["message"]


def test_an_unknown_token_is_refused_as_token_invalid(client, civil_affairs):
    forged = civil_affairs[:-4] + "abcd"
    for raw in (forged, "cl_00000000_nothing", "not-a-token"):
        response = _call(client, "get", f"/certificates/{make_id()}42/verification", raw)
        assert (response.status_code, response.json()["code"]) == (401, "token_invalid")


def test_a_revoked_token_is_refused(client, civil_affairs):
    token = tokens.department_token_for(civil_affairs)
    tokens.department_token_revoke(token=token)
    response = _call(client, "get", f"/certificates/{make_id()}42/verification", civil_affairs)
    assert (response.status_code, response.json()["code"]) == (401, "token_invalid")


def test_after_rotation_the_old_token_is_refused_and_the_new_one_works(client, civil_affairs):
    new = tokens.department_token_rotate(token=tokens.department_token_for(civil_affairs))
    old_answer = _call(client, "get", f"/certificates/{make_id()}42/verification", civil_affairs)
    new_answer = _call(client, "get", f"/certificates/{make_id()}42/verification", new)
    assert (old_answer.status_code, old_answer.json()["code"]) == (401, "token_invalid")
    assert (new_answer.status_code, new_answer.json()["code"]) == (404, "certificate_not_found")


def test_a_token_without_the_scope_is_refused_as_scope_denied(client, civil_affairs, beijiang_education):
    reading = _call(client, "get", "/children/school-age", civil_affairs)
    verifying = _call(client, "get", f"/certificates/{make_id()}42/verification", beijiang_education)
    pushing = _push(client, civil_affairs, [{"身份证号": make_id()}], source="school")
    for response in (reading, verifying, pushing):
        assert (response.status_code, response.json()["code"]) == (403, "scope_denied")
    assert "学龄残疾儿童" in reading.json()["message"]


def test_the_legacy_registry_cannot_be_pushed(client, civil_affairs):
    response = _push(client, civil_affairs, [{"身份证号": make_id()}], source="legacy_registry")
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")
    assert not ImportBatch.objects.exists()


# --- pushed lists ------------------------------------------------------------------------------------------


def test_a_dry_run_push_reports_what_would_change_and_changes_nothing(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    response = _push(client, civil_affairs, [_dibao_row(person)])
    assert response.status_code == 200, response.json()
    summary = response.json()
    assert (summary["state"], summary["state_label"]) == ("validated", "已校验，待确认导入")
    assert (summary["total_rows"], summary["new_count"], summary["problems"]) == (1, 1, [])
    assert AssistanceStatus.objects.count() == 0
    batch = ImportBatch.objects.get(pk=summary["id"])
    assert (batch.via, batch.department.department, batch.created_by) == ("api", "二连浩特市民政局", officer)


def test_a_push_with_commit_applies_the_list(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    response = _push(client, civil_affairs, [_dibao_row(person)], commit=True)
    assert response.json()["state"] == "committed", response.json()
    spell = AssistanceStatus.objects.get()
    assert (spell.person, spell.kind, spell.started_on) == (person, "dibao", date(2024, 1, 1))


def test_the_same_push_twice_is_a_duplicate_and_changes_nothing(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    first = _push(client, civil_affairs, [_dibao_row(person)], commit=True).json()
    second = _push(client, civil_affairs, [_dibao_row(person)], commit=True).json()
    assert (first["state"], second["state"]) == ("committed", "duplicate")
    assert f"#{first['id']}" in second["message"]
    assert AssistanceStatus.objects.count() == 1


def test_bad_rows_are_reported_by_pushed_row_number_in_chinese(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    bad_id = make_id()[:17] + ("0" if make_id()[17] != "0" else "1")
    rows = [_dibao_row(person), _dibao_row(person, **{"身份证号": bad_id}), _dibao_row(person, **{"救助类型": "补贴"})]
    summary = _push(client, civil_affairs, rows).json()
    assert summary["error_rows"] == 2
    problems = {(p["row"], p["column"]): p for p in summary["problems"]}
    assert set(problems) == {(2, "身份证号"), (3, "救助类型")}
    assert "校验位" in problems[(2, "身份证号")]["message"]
    assert problems[(3, "救助类型")]["value"] == "补贴"


def test_a_push_with_a_bad_row_is_not_committed_so_nobody_loses_a_status_by_a_typo(client, civil_affairs, officer,
                                                                                  areas):
    first = make_person(by=officer, area=areas["beijiang"], name="张三", sequence=11)
    second = make_person(by=officer, area=areas["beijiang"], name="李四", sequence=13)
    rows = [_dibao_row(first), _dibao_row(second)]
    assert _push(client, civil_affairs, rows, commit=True).json()["state"] == "committed"
    rows[1]["起始日期"] = "2024-13-01"
    summary = _push(client, civil_affairs, rows, commit=True, list_date=date(2025, 7, 31)).json()
    assert (summary["state"], summary["error_rows"]) == ("validated", 1)
    assert "整份名单未导入" in summary["message"]
    assert not AssistanceStatus.objects.filter(ended_on__isnull=False).exists()


def test_a_push_needs_no_csrf_token(civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    response = _push(Client(enforce_csrf_checks=True), civil_affairs, [_dibao_row(person)])
    assert response.status_code == 200  # a department's server has no session, so no CSRF cookie either


def test_a_list_outside_the_tokens_areas_is_refused(client, areas, beijiang_officer):
    raw = _token(areas=[areas["beijiang"]], user=beijiang_officer, scopes=[Scope.PUSH_ASSISTANCE])
    response = _push(client, raw, [{"身份证号": make_id()}], area_code=areas["dongcheng"].code)
    assert (response.status_code, response.json()["code"]) == (422, "area_not_allowed")
    assert "不在此令牌的数据区域内" in response.json()["message"]
    assert not ImportBatch.objects.exists()


def test_a_service_refusal_is_a_422_with_its_chinese_message(client, civil_affairs, officer):
    officer.areas.clear()  # the acting user no longer covers the city
    response = _push(client, civil_affairs, [{"身份证号": make_id()}])
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")
    assert "不在您负责的区域内" in response.json()["message"]
    assert response.json()["errors"][0]["location"] == ["body", "area_code"]


def test_a_list_dated_in_the_future_is_refused_at_list_date(client, civil_affairs):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _push(client, civil_affairs, [{"身份证号": make_id()}], list_date=tomorrow)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"location": ["body", "list_date"], "type": "refused",
                                          "message": "名单日期不能晚于今天。"}]


def test_more_than_ten_thousand_rows_are_refused_as_too_many_rows(client, civil_affairs):
    response = _push(client, civil_affairs, [{"姓名": "张三"}] * 10_001)
    assert (response.status_code, response.json()["code"]) == (422, "too_many_rows")
    assert not ImportBatch.objects.exists()


def test_a_malformed_body_is_refused_in_chinese(client, civil_affairs):
    missing = _call(client, "post", "/lists/assistance", civil_affairs, {"area_code": "152501000000", "rows": []})
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid_request")
    by_field = {tuple(e["location"]): e["message"] for e in missing.json()["errors"]}
    assert by_field[("body", "list_date")] == "必须填写。"
    assert by_field[("body", "rows")] == "至少需要 1 项。"
    broken = _call(client, "post", "/lists/assistance", civil_affairs, "{not json")
    assert (broken.status_code, broken.json()["code"]) == (400, "invalid_json")


def test_a_batch_is_read_back_by_its_token_only(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    pushed = _push(client, civil_affairs, [_dibao_row(person), {"身份证号": "1"}]).json()
    again = _call(client, "get", f"/lists/batches/{pushed['id']}", civil_affairs).json()
    assert again == pushed
    other = _token(areas=[areas["city"]], user=officer, scopes=[Scope.PUSH_ASSISTANCE])
    response = _call(client, "get", f"/lists/batches/{pushed['id']}", other)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# --- certificate verification --------------------------------------------------------------------------------


def test_a_valid_certificate_is_verified_with_category_and_grade_only(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    certificate = make_certificate(person=person, by=officer, category=4, grade=2, on=date(2020, 5, 1))
    spaced = f"{certificate.number[:6]} {certificate.number[6:]}".lower()
    response = _call(client, "get", f"/certificates/{spaced}/verification", civil_affairs)
    assert response.json() == {"number": certificate.number, "valid": True, "status": "valid",
                               "status_label": "有效", "category": 4, "category_label": "肢体残疾", "grade": 2,
                               "grade_label": "二级", "proof_issued_on": None}


def test_a_validity_proof_is_confirmed_for_its_own_card_only(client, civil_affairs, officer, areas):
    from canlian.registry.proofs import proof_token

    card = make_certificate(person=make_person(by=officer, area=areas["beijiang"]), by=officer)
    other = make_certificate(person=make_person(by=officer, area=areas["beijiang"], name="李四", sequence=13), by=officer)
    token = proof_token(card.number, on=date(2026, 11, 2))
    answer = _call(client, "get", f"/certificates/{card.number}/verification?proof={token}", civil_affairs).json()
    assert answer["proof_issued_on"] == "2026-11-02"
    for number, proof in ((other.number, token), (card.number, token[:-2] + "xx")):
        answer = _call(client, "get", f"/certificates/{number}/verification?proof={proof}", civil_affairs).json()
        assert answer["proof_issued_on"] is None


def test_an_expired_certificate_is_not_valid(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    issued = add_years(timezone.localdate(), -11)  # valid for ten years: ended a year ago
    certificate = make_certificate(person=person, by=officer, on=issued)
    answer = _call(client, "get", f"/certificates/{certificate.number}/verification", civil_affairs).json()
    assert (answer["valid"], answer["status"], answer["status_label"]) == (False, "expired", "过期")


def test_a_cancelled_certificate_is_not_valid(client, civil_affairs, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    certificate = make_certificate(person=person, by=officer)
    registry_services.certificate_cancel(certificate=certificate, by=officer, on=timezone.localdate(),
                                         reason="本人申请注销")
    answer = _call(client, "get", f"/certificates/{certificate.number}/verification", civil_affairs).json()
    assert (answer["valid"], answer["status"], answer["status_label"]) == (False, "cancelled", "注销")


def test_an_unknown_certificate_number_is_answered_clearly(client, civil_affairs):
    response = _call(client, "get", f"/certificates/{make_id()}42/verification", civil_affairs)
    assert (response.status_code, response.json()["code"]) == (404, "certificate_not_found")
    assert "查无残疾人证号" in response.json()["message"]


@pytest.mark.parametrize("number", ["abc", make_id() + "82", make_id() + "4"])
def test_a_malformed_certificate_number_is_answered_clearly(client, civil_affairs, number):
    response = _call(client, "get", f"/certificates/{number}/verification", civil_affairs)
    assert (response.status_code, response.json()["code"]) == (422, "certificate_number_malformed")
    assert "残疾人证号应为20位" in response.json()["message"]


# --- school-age children ---------------------------------------------------------------------------------


def _child(officer, area, *, age: int, sequence: int, certified: bool = True):
    birth = add_years(timezone.localdate(), -age) - timedelta(days=30)
    person = make_person(by=officer, area=area, name=f"孩子{'甲乙丙丁戊己庚辛'[sequence % 8]}", birth=birth,
                         sequence=sequence)
    if certified:
        make_certificate(person=person, by=officer, on=timezone.localdate() - timedelta(days=10))
    return person


def test_education_reads_the_certified_school_age_children_of_its_area(client, beijiang_education, officer, areas):
    ten = _child(officer, areas["beijiang"], age=10, sequence=21)
    _child(officer, areas["beijiang"], age=5, sequence=23)
    _child(officer, areas["beijiang"], age=16, sequence=25)
    _child(officer, areas["beijiang"], age=9, sequence=27, certified=False)
    _child(officer, areas["dongcheng"], age=10, sequence=29)  # another community's child
    answer = _call(client, "get", "/children/school-age", beijiang_education).json()
    assert answer == {"next_after": None, "items": [{
        "id_number": ten.id_number, "name": ten.name, "birth_date": ten.birth_date.isoformat(), "sex": "M",
        "category": 4, "grade": 2, "area_code": areas["beijiang"].code}]}


def test_school_age_children_are_paged_by_id_and_ages_are_checked(client, beijiang_education, officer, areas):
    first = _child(officer, areas["beijiang"], age=7, sequence=31)
    second = _child(officer, areas["beijiang"], age=4, sequence=33)
    page = _call(client, "get", "/children/school-age?min_age=3&limit=1", beijiang_education).json()
    assert ([c["id_number"] for c in page["items"]], page["next_after"]) == ([first.id_number], first.pk)
    rest = _call(client, "get", f"/children/school-age?min_age=3&after={first.pk}", beijiang_education).json()
    assert ([c["id_number"] for c in rest["items"]], rest["next_after"]) == ([second.id_number], None)
    for query in ("max_age=19", "min_age=-1", "limit=501", "min_age=12&max_age=8"):
        response = _call(client, "get", f"/children/school-age?{query}", beijiang_education)
        assert (response.status_code, response.json()["code"]) == (422, "invalid_request"), query


# --- rate limit, call log, the rest of the surface ----------------------------------------------------------


def test_calls_past_the_rate_limit_get_429_with_retry_after(client, settings, civil_affairs, areas, officer):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    path = f"/certificates/{make_id()}42/verification"
    statuses = [_call(client, "get", path, civil_affairs).status_code for _ in range(3)]
    refused = _call(client, "get", path, civil_affairs)
    assert statuses == [404, 404, 404]
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "每分钟最多 3 次" in refused.json()["message"]
    other = _token(areas=[areas["city"]], user=officer, scopes=[Scope.VERIFY_CERTIFICATES])
    assert _call(client, "get", path, other).status_code == 404  # the limit is per token


def test_every_call_is_logged_with_its_token_and_answer(client, civil_affairs, areas):
    _call(client, "get", "/children/school-age")
    _call(client, "get", "/children/school-age", "cl_00000000_forged")
    _call(client, "get", "/children/school-age", civil_affairs)
    _call(client, "get", "/no/such/endpoint", civil_affairs)
    _call(client, "get", "/lists/assistance", civil_affairs)
    _call(client, "post", "/lists/assistance", civil_affairs, {"rows": "x"})
    token = tokens.department_token_for(civil_affairs)
    calls = list(ApiCall.objects.order_by("pk").values_list("token", "method", "path", "status", "ip_address"))
    assert calls == [
        (None, "GET", "/api/v1/children/school-age", 401, "127.0.0.1"),
        (None, "GET", "/api/v1/children/school-age", 401, "127.0.0.1"),
        (token.pk, "GET", "/api/v1/children/school-age", 403, "127.0.0.1"),
        (None, "GET", "/api/v1/no/such/endpoint", 404, "127.0.0.1"),
        (None, "GET", "/api/v1/lists/assistance", 405, "127.0.0.1"),
        (token.pk, "POST", "/api/v1/lists/assistance", 422, "127.0.0.1"),
    ]
    assert token.last_used_at is not None


def test_the_openapi_document_is_served_without_a_token(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {"/api/v1/lists/{source}", "/api/v1/lists/batches/{batch_id}",
                                    "/api/v1/certificates/{number}/verification", "/api/v1/children/school-age",
                                    "/api/v1/levy/calculation"}
    sources = schema["components"]["schemas"]["PushSource"]["enum"]
    assert "assistance" in sources and "legacy_registry" not in sources
    assert client.get("/api/v1/docs").status_code == 404  # no docs page: it would load scripts from a CDN
