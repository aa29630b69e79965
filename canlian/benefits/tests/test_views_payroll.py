"""The payroll pages: build, review, approve by three people, export (logged), reconcile; recoveries; budget."""

import re
from datetime import date
from decimal import Decimal

import pytest

from canlian.areas.models import Area
from canlian.audit.models import AccessLog
from canlian.benefits import services
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Entitlement, PaymentAccount, PayrollRun, Recovery, Standard
from canlian.registry.tests.factories import make_certificate, make_person, make_user

RunState = PayrollRun.State


@pytest.fixture
def finance(areas):
    return make_user("finance", "federation_officer", [areas["city"]])


@pytest.fixture
def zhang(officer, areas):
    Standard.objects.create(scheme=Scheme.NURSING_ALLOWANCE, effective_from=date(2020, 1, 1),
                            amount=Decimal("110.00"), source="规划")
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰")
    make_certificate(person=person, by=officer, category=4, grade=1)
    PaymentAccount.objects.create(person=person, bank="内蒙古农村信用社", number="6229000000000000011", holder="张三丰")
    Entitlement.objects.create(person=person, scheme=Scheme.NURSING_ALLOWANCE, starts_on=date(2026, 1, 1))
    return person


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def _build(client, month="2026-11"):
    city = Area.objects.get(code="152501000000")
    return client.post("/benefits/payroll/", {"scheme": Scheme.NURSING_ALLOWANCE, "month": month, "area": city.pk})


def test_an_officer_builds_a_month_and_sees_the_lines_with_masked_ids(client, officer, zhang):
    client.force_login(officer)
    response = _build(client, "２０２６年１１月")
    run = PayrollRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/benefits/payroll/{run.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "张三丰" in html and zhang.id_number not in html and zhang.id_number[:6] in html
    assert "尾号 0011" in html


def test_a_month_that_cannot_be_read_is_refused_at_the_field(client, officer, zhang):
    client.force_login(officer)
    response = _build(client, "下个月")
    assert response.status_code == 200
    assert _title(response).startswith("错误：")
    assert "请按“2026-12”的形式填写发放月份" in response.content.decode()
    assert not PayrollRun.objects.exists()


def test_a_leader_sees_the_totals_but_not_the_lines_and_cannot_build(client, officer, leader, zhang, areas):
    run = services.payroll_run_build(scheme=Scheme.NURSING_ALLOWANCE, month=date(2026, 11, 1), area=areas["city"],
                                     by=officer)
    client.force_login(leader)
    assert "生成发放表</button>" not in client.get("/benefits/payroll/").content.decode()
    html = client.get(f"/benefits/payroll/{run.pk}/").content.decode()
    assert "110.00 元" in html and "张三丰" not in html


def test_community_officers_have_no_payroll_pages_and_another_area_is_404(client, beijiang_officer, officer, zhang,
                                                                          areas):
    run = services.payroll_run_build(scheme=Scheme.NURSING_ALLOWANCE, month=date(2026, 11, 1), area=areas["city"],
                                     by=officer)
    client.force_login(beijiang_officer)
    assert client.get("/benefits/payroll/").status_code == 403
    client.force_login(make_user("sumu_officer", "federation_officer", [areas["sumu"]]))
    assert client.get(f"/benefits/payroll/{run.pk}/").status_code == 404


def test_the_builder_reviewing_is_refused_on_the_page(client, officer, zhang):
    client.force_login(officer)
    _build(client)
    run = PayrollRun.objects.get()
    response = client.post(f"/benefits/payroll/{run.pk}/", {"action": "review", "note": "同意"})
    assert response.status_code == 200 and _title(response).startswith("错误：")
    assert "不能复核自己生成的发放表" in response.content.decode()


def test_returning_without_a_reason_shows_the_error_at_the_note(client, officer, finance, zhang):
    client.force_login(officer)
    _build(client)
    run = PayrollRun.objects.get()
    client.force_login(finance)
    response = client.post(f"/benefits/payroll/{run.pk}/", {"action": "return", "note": ""})
    assert 'id="id_note-error"' in response.content.decode() or "请填写退回原因" in response.content.decode()
    assert PayrollRun.objects.get().state == RunState.DRAFT


def test_three_people_pay_a_month_and_the_export_is_logged(client, officer, finance, leader, zhang, tmp_path):
    client.force_login(officer)
    _build(client)
    run = PayrollRun.objects.get()
    client.force_login(finance)
    assert client.post(f"/benefits/payroll/{run.pk}/", {"action": "review", "note": "核对无误"}).status_code == 302
    client.force_login(leader)
    assert client.post(f"/benefits/payroll/{run.pk}/", {"action": "approve", "note": "同意"}).status_code == 302
    client.force_login(officer)
    response = client.post(f"/benefits/payroll/{run.pk}/export/", {"kind": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert zhang.id_number in body and "6229000000000000011" in body
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert "银行代发文件" in log.detail and log.user == officer
    path = tmp_path / "return.csv"
    path.write_bytes(f"身份证号,金额,失败原因\n{zhang.id_number},110.00,账户冻结\n".encode("gbk"))
    with path.open("rb") as upload:
        response = client.post(f"/benefits/payroll/{run.pk}/reconcile/", {"file": upload})
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.state, run.failed_amount) == (RunState.RECONCILED, Decimal("110.00"))


def test_a_bank_return_with_an_unknown_person_shows_the_row_and_changes_nothing(client, officer, finance, leader,
                                                                              zhang, areas, tmp_path):
    run = services.payroll_run_build(scheme=Scheme.NURSING_ALLOWANCE, month=date(2026, 11, 1),
                                     area=areas["city"], by=officer)
    services.payroll_run_review(run=run, by=finance)
    services.payroll_run_approve(run=run, by=leader)
    client.force_login(officer)
    client.post(f"/benefits/payroll/{run.pk}/export/", {"kind": "xlsx"})
    path = tmp_path / "return.csv"
    path.write_text("身份证号,金额\n11010519491231002X,110.00\n", encoding="utf-8")
    with path.open("rb") as upload:
        response = client.post(f"/benefits/payroll/{run.pk}/reconcile/", {"file": upload})
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert "第 2 行：身份证号 110105********002X 不在这张发放表中" in response.content.decode()
    assert PayrollRun.objects.get().state == RunState.EXPORTED
    assert client.post(f"/benefits/payroll/{run.pk}/reconcile/", {}).status_code == 400  # neither file nor "all paid"
    assert client.post(f"/benefits/payroll/{run.pk}/reconcile/", {"all_paid": "1"}).status_code == 302
    assert PayrollRun.objects.get().state == RunState.RECONCILED


def test_recoveries_worklist_and_the_budget(client, officer, finance, leader, zhang, areas,
                                            django_capture_on_commit_callbacks):
    for month in (10, 11):
        run = services.payroll_run_build(scheme=Scheme.NURSING_ALLOWANCE, month=date(2026, month, 1),
                                         area=areas["city"], by=officer)
        services.payroll_run_review(run=run, by=finance)
        services.payroll_run_approve(run=run, by=leader)
    client.force_login(leader)
    html = client.get("/benefits/budget/").content.decode()
    assert "220.00 元" in html  # paid so far: two months
    assert "330.00" in html  # projected: plus December at November's amount
    from canlian.registry import services as registry_services

    with django_capture_on_commit_callbacks(execute=True):
        registry_services.person_change_life_status(person=zhang, by=officer, status="deceased",
                                                    since=date(2026, 10, 3), reason="死亡")
    recovery = Recovery.objects.get()
    client.force_login(officer)
    assert "2026-11" in client.get("/benefits/recoveries/").content.decode()
    response = client.post("/benefits/recoveries/", {"item": recovery.pk, "action": "recovered",
                                                      f"item{recovery.pk}-note": ""})
    assert "请填写办结说明" in response.content.decode()
    response = client.post("/benefits/recoveries/", {"item": recovery.pk, "action": "recovered",
                                                      f"item{recovery.pk}-note": "收据 No.0012"})
    assert response.status_code == 302
    assert Recovery.objects.get().state == Recovery.State.RECOVERED
