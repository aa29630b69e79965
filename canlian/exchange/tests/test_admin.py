"""Platform admins make, rotate and revoke department tokens in the admin; batches and the call log are read-only."""

import re

import pytest

from canlian.exchange import tokens
from canlian.exchange.models import ApiCall, DepartmentToken, ImportBatch

Scope = DepartmentToken.Scope
RAW_TOKEN = re.compile(r"cl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
TOKENS = "/admin/exchange/departmenttoken/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _shown_tokens(response) -> list[str]:
    return RAW_TOKEN.findall(response.content.decode())


def _verify(client, raw: str) -> int:
    return client.get("/api/v1/certificates/152501198001010118 42/verification",
                      headers={"Authorization": f"Bearer {raw}"}).status_code


def test_an_admin_makes_a_token_and_sees_it_once(admin_client, areas, officer):
    response = admin_client.post(f"{TOKENS}add/", {
        "department": "二连浩特市民政局", "scopes": [Scope.PUSH_ASSISTANCE, Scope.VERIFY_CERTIFICATES],
        "areas": [areas["city"].pk], "acting_user": officer.pk}, follow=True)
    assert response.status_code == 200
    [raw] = _shown_tokens(response)
    token = DepartmentToken.objects.get()
    assert (token.department, sorted(token.scopes), list(token.areas.all())) == (
        "二连浩特市民政局", [Scope.PUSH_ASSISTANCE, Scope.VERIFY_CERTIFICATES], [areas["city"]])
    assert raw not in token.secret_hash and tokens.department_token_for(raw) == token
    assert _shown_tokens(admin_client.get(TOKENS)) == []  # shown once, never again
    assert _shown_tokens(admin_client.get(f"{TOKENS}{token.pk}/change/")) == []


def test_a_token_whose_acting_user_does_not_cover_its_areas_is_refused(admin_client, areas, beijiang_officer):
    response = admin_client.post(f"{TOKENS}add/", {
        "department": "二连浩特市教育局", "scopes": [Scope.READ_SCHOOL_AGE], "areas": [areas["dongcheng"].pk],
        "acting_user": beijiang_officer.pk})
    assert response.status_code == 200
    assert "不负责这些区域：东城社区" in response.content.decode()
    assert not DepartmentToken.objects.exists()


def test_rotating_shows_a_new_token_and_the_old_one_stops_working(admin_client, areas, officer):
    token, old = tokens.department_token_create(department="民政局", scopes=[Scope.VERIFY_CERTIFICATES],
                                                areas=[areas["city"]], acting_user=officer)
    response = admin_client.post(TOKENS, {"action": "rotate", "_selected_action": [token.pk]}, follow=True)
    [new] = _shown_tokens(response)
    assert new != old
    assert (_verify(admin_client, old), _verify(admin_client, new)) == (401, 404)
    token.refresh_from_db()
    assert token.rotated_at is not None


def test_a_revoked_token_stops_working_and_cannot_be_rotated(admin_client, areas, officer):
    token, raw = tokens.department_token_create(department="民政局", scopes=[Scope.VERIFY_CERTIFICATES],
                                                areas=[areas["city"]], acting_user=officer)
    revoked = admin_client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "已吊销" in revoked.content.decode()
    assert _verify(admin_client, raw) == 401
    rotated = admin_client.post(TOKENS, {"action": "rotate", "_selected_action": [token.pk]}, follow=True)
    assert "已吊销，不能更换" in rotated.content.decode() and _shown_tokens(rotated) == []


def test_a_token_is_never_edited_or_deleted(admin_client, areas, officer):
    token, _raw = tokens.department_token_create(department="民政局", scopes=[Scope.VERIFY_CERTIFICATES],
                                                 areas=[areas["city"]], acting_user=officer)
    admin_client.post(f"{TOKENS}{token.pk}/change/", {"department": "改名", "scopes": [Scope.READ_SCHOOL_AGE],
                                                      "areas": [areas["city"].pk], "acting_user": officer.pk})
    admin_client.post(f"{TOKENS}{token.pk}/delete/", {"post": "yes"})
    token.refresh_from_db()
    assert (token.department, token.scopes) == ("民政局", [Scope.VERIFY_CERTIFICATES])


def test_batches_and_the_call_log_are_read_only(admin_client, areas, officer):
    _token, raw = tokens.department_token_create(department="民政局", scopes=[Scope.VERIFY_CERTIFICATES],
                                                 areas=[areas["city"]], acting_user=officer)
    _verify(admin_client, raw)
    call = ApiCall.objects.get()
    assert admin_client.get("/admin/exchange/apicall/").status_code == 200
    assert admin_client.get("/admin/exchange/importbatch/").status_code == 200
    assert admin_client.get(f"/admin/exchange/apicall/{call.pk}/change/").status_code == 200
    for model in ("apicall", "importbatch"):
        assert admin_client.get(f"/admin/exchange/{model}/add/").status_code == 403
    admin_client.post(f"/admin/exchange/apicall/{call.pk}/delete/", {"post": "yes"})
    assert ApiCall.objects.filter(pk=call.pk).exists()
    assert not ImportBatch.objects.exists()


def test_staff_who_are_not_admins_cannot_open_the_token_admin(client, officer):
    client.force_login(officer)
    assert client.get(TOKENS).status_code == 302  # to the admin login
