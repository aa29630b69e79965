"""The monthly payroll: built from entitlements and the rules, checked by a second person, approved by a third,
paid through the bank file, reconciled; months owed are paid later (补发), months paid wrongly are recovered (追缴)."""

import csv
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

from canlian.benefits import payroll, services
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Entitlement, PaymentAccount, PayrollLine, PayrollRun, Recovery, Standard
from canlian.common.tests.concurrency import race
from canlian.registry import services as registry_services
from canlian.registry.choices import AssistanceKind
from canlian.registry.models import AssistanceStatus
from canlian.registry.tests.factories import make_certificate, make_person, make_user

NURSING, LIVING = Scheme.NURSING_ALLOWANCE, Scheme.LIVING_ALLOWANCE
RunState = PayrollRun.State


@pytest.fixture
def finance(areas):
    """A second federation officer, who reviews what the first one built."""
    return make_user("finance", "federation_officer", [areas["city"]])


@pytest.fixture
def standards(db):
    Standard.objects.create(scheme=NURSING, effective_from=date(2020, 1, 1), amount=Decimal("110.00"), source="规划")
    Standard.objects.create(scheme=LIVING, effective_from=date(2020, 1, 1), amount=Decimal("110.00"), source="规划")


def _severe(officer, area, name, sequence, *, account=True):
    person = make_person(by=officer, area=area, name=name, sequence=sequence, birth=date(1960, 1, 1))
    make_certificate(person=person, by=officer, category=4, grade=1, on=date(2020, 5, 1))
    if account:
        PaymentAccount.objects.create(person=person, bank="内蒙古农村信用社", number=f"6229{sequence:015d}",
                                      holder=name)
    return person


@pytest.fixture
def zhang(officer, areas, standards):
    return _severe(officer, areas["beijiang"], "张三丰", 11)


@pytest.fixture
def li(officer, areas, standards):
    return _severe(officer, areas["beijiang"], "李四", 13)


def _entitled(person, scheme=NURSING, starts=date(2026, 1, 1)) -> Entitlement:
    return Entitlement.objects.create(person=person, scheme=scheme, starts_on=starts)


def _build(month, officer, areas, scheme=NURSING, **kwargs) -> PayrollRun:
    return services.payroll_run_build(scheme=scheme, month=month, area=areas["city"], by=officer, **kwargs)


def _paid(month, officer, finance, leader, areas, scheme=NURSING) -> PayrollRun:
    """A month built, reviewed, approved, exported and reconciled with nothing failed."""
    run = _build(month, officer, areas, scheme)
    services.payroll_run_review(run=run, by=finance)
    services.payroll_run_approve(run=run, by=leader)
    run = _export(run, officer, "csv")[0]
    return services.payroll_run_reconcile(run=run, by=officer, failures=[])


def _export(run, by, kind):
    target = Path(tempfile.mkdtemp()) / f"bank.{kind}"
    run = services.payroll_run_export(run=run, by=by, kind=kind, target=target)
    return run, target


def _lines(run) -> list[tuple]:
    return sorted((line.person.name, f"{line.for_month:%Y-%m}", line.amount) for line in run.lines.all())


# --- building a month ----------------------------------------------------------------------------------------


def test_a_month_pays_each_entitled_person_the_standard_in_force(zhang, li, officer, areas):
    _entitled(zhang), _entitled(li)
    run = _build(date(2026, 12, 1), officer, areas)
    assert _lines(run) == [("张三丰", "2026-12", Decimal("110.00")), ("李四", "2026-12", Decimal("110.00"))]
    assert (run.state, run.person_count, run.total_amount, run.arrears_amount) == (
        RunState.DRAFT, 2, Decimal("220.00"), Decimal("0"))
    line = run.lines.get(person=zhang)
    assert (line.bank, line.account_number[-4:], line.account_holder) == ("内蒙古农村信用社", "0011", "张三丰")
    assert run.history.first().history_change_reason == "生成发放表：2 人，220.00 元"


def test_a_new_standard_pays_from_its_month_and_the_months_before_keep_the_old_amount(zhang, officer, finance,
                                                                                      leader, areas):
    _entitled(zhang)
    Standard.objects.create(scheme=NURSING, effective_from=date(2026, 7, 1), amount=Decimal("150.00"), source="新标准")
    assert _lines(_paid(date(2026, 6, 1), officer, finance, leader, areas))[0][2] == Decimal("110.00")
    assert _lines(_build(date(2026, 7, 1), officer, areas))[0][2] == Decimal("150.00")


def test_an_area_or_grade_standard_comes_before_the_general_one(zhang, li, officer, areas):
    _entitled(zhang), _entitled(li)
    Standard.objects.create(scheme=NURSING, effective_from=date(2024, 1, 1), amount=Decimal("130.00"),
                            area=areas["beijiang"], source="北疆社区试点")
    Standard.objects.create(scheme=NURSING, effective_from=date(2025, 1, 1), amount=Decimal("140.00"), grade=1,
                            area=areas["beijiang"], source="一级加发")
    li_card = li.certificates.get(status="valid")
    li_card.grade = 2
    li_card.save()
    run = _build(date(2026, 12, 1), officer, areas)
    assert _lines(run) == [("张三丰", "2026-12", Decimal("140.00")), ("李四", "2026-12", Decimal("130.00"))]


def test_an_entitlement_the_rules_no_longer_allow_is_left_out(zhang, li, officer, areas):
    """A change the automatic review missed must not be paid: the payroll asks the rules again."""
    _entitled(zhang), _entitled(li)
    li.certificates.update(valid_until=date(2026, 10, 31))
    run = _build(date(2026, 12, 1), officer, areas)
    assert _lines(run) == [("张三丰", "2026-12", Decimal("110.00"))]


def test_the_yearly_schemes_have_no_monthly_payroll(zhang, officer, areas):
    with pytest.raises(ValidationError, match="请选择按月发放的补贴项目"):
        _build(date(2026, 12, 1), officer, areas, scheme=Scheme.PENSION_PREMIUM)


# --- once per month, in order -----------------------------------------------------------------------------------


def test_a_second_build_of_the_month_is_refused_and_a_rebuilt_draft_never_duplicates(zhang, li, officer, areas):
    _entitled(zhang)
    first = _build(date(2026, 12, 1), officer, areas)
    with pytest.raises(ValidationError, match="草稿已存在"):
        _build(date(2026, 12, 1), officer, areas)
    _entitled(li)
    rebuilt = _build(date(2026, 12, 1), officer, areas, replace_draft=True)
    assert rebuilt.pk == first.pk
    assert _lines(rebuilt) == [("张三丰", "2026-12", Decimal("110.00")), ("李四", "2026-12", Decimal("110.00"))]
    assert PayrollRun.objects.count() == 1 and PayrollLine.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_starting_the_same_month_at_once_make_exactly_one_run(officer, areas, standards):
    for sequence, name in ((11, "张三丰"), (13, "李四"), (15, "王五")):
        _entitled(_severe(officer, areas["beijiang"], name, sequence))
    outcomes = race(lambda _i: _build(date(2026, 12, 1), officer, areas))
    assert sorted(type(o).__name__ for o in outcomes) == ["PayrollRun", "ValidationError"]
    assert PayrollRun.objects.count() == 1
    assert PayrollLine.objects.count() == 3


def test_months_follow_each_other(zhang, officer, finance, leader, areas):
    _entitled(zhang)
    _build(date(2026, 11, 1), officer, areas)
    with pytest.raises(ValidationError, match="2026-11 的发放表尚未审批"):
        _build(date(2026, 12, 1), officer, areas)
    run = PayrollRun.objects.get()
    services.payroll_run_review(run=run, by=finance)
    services.payroll_run_approve(run=run, by=leader)
    with pytest.raises(ValidationError, match="缺少 2027-01 的发放表"):
        _build(date(2027, 2, 1), officer, areas)
    with pytest.raises(ValidationError, match="不能再生成更早的月份"):
        _build(date(2026, 10, 1), officer, areas)


def test_an_approved_run_is_locked(zhang, officer, finance, leader, areas):
    _entitled(zhang)
    run = _build(date(2026, 12, 1), officer, areas)
    services.payroll_run_review(run=run, by=finance)
    services.payroll_run_approve(run=run, by=leader)
    with pytest.raises(ValidationError, match="不能重新生成"):
        _build(date(2026, 12, 1), officer, areas, replace_draft=True)
    with pytest.raises(ValidationError, match="不能办理此操作"):
        services.payroll_run_return(run=run, by=finance, reason="金额有误")


# --- maker ≠ checker ---------------------------------------------------------------------------------------------


def test_the_builder_cannot_review_and_neither_builder_nor_reviewer_can_approve(zhang, officer, finance, leader,
                                                                                areas, beijiang_officer):
    _entitled(zhang)
    run = _build(date(2026, 12, 1), officer, areas)
    with pytest.raises(ValidationError, match="不能复核自己生成的发放表"):
        services.payroll_run_review(run=run, by=officer)
    with pytest.raises(ValidationError, match="由残联工作人员办理"):
        services.payroll_run_review(run=run, by=beijiang_officer)
    services.payroll_run_review(run=run, by=finance)
    for who in (officer, finance):
        with pytest.raises(ValidationError, match="不能审批同一张发放表"):
            services.payroll_run_approve(run=run, by=who)
    run = services.payroll_run_approve(run=run, by=leader, note="同意发放")
    assert (run.state, run.built_by, run.reviewed_by, run.approved_by) == (
        RunState.APPROVED, officer, finance, leader)
    assert [h.history_change_reason for h in run.history.order_by("history_id")][-2:] == [
        "复核通过", "审批通过：同意发放"]


def test_a_returned_run_goes_back_to_draft_with_the_reason(zhang, officer, finance, areas):
    _entitled(zhang)
    run = _build(date(2026, 12, 1), officer, areas)
    services.payroll_run_review(run=run, by=finance)
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.payroll_run_return(run=run, by=finance, reason="  ")
    run = services.payroll_run_return(run=run, by=finance, reason="李四账号待核实")
    assert (run.state, run.reviewed_by) == (RunState.DRAFT, None)
    assert run.history.first().history_change_reason == "退回：李四账号待核实"


def test_a_stop_recorded_after_the_build_blocks_the_approval(zhang, officer, finance, leader, areas,
                                                             django_capture_on_commit_callbacks):
    _entitled(zhang)
    run = _build(date(2026, 12, 1), officer, areas)
    services.payroll_run_review(run=run, by=finance)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.person_change_life_status(person=zhang, by=officer, status="deceased",
                                                    since=date(2026, 11, 20), reason="死亡")
    with pytest.raises(ValidationError, match="生成发放表后有 1 人已停发"):
        services.payroll_run_approve(run=run, by=leader)


# --- the bank file ----------------------------------------------------------------------------------------------


def test_the_bank_file_has_one_transfer_per_person_a_totals_sheet_and_the_checksum(zhang, li, officer, finance,
                                                                                  leader, areas):
    _entitled(zhang), _entitled(li)
    li.name = "=HYPERLINK(\"http://x\")"
    li.save()
    run = _build(date(2026, 12, 1), officer, areas)
    services.payroll_run_review(run=run, by=finance)
    run = services.payroll_run_approve(run=run, by=leader)
    run, path = _export(run, officer, "xlsx")
    assert run.state == RunState.EXPORTED
    book = CalamineWorkbook.from_path(str(path))
    detail = book.get_sheet_by_name("发放明细").to_python()
    assert detail[0][:7] == ["序号", "姓名", "身份证号", "开户银行", "银行账号", "户名", "金额（元）"]
    assert {row[1] for row in detail[1:]} == {"张三丰", "'=HYPERLINK(\"http://x\")"}
    assert zhang.id_number in {row[2] for row in detail[1:]}
    totals = dict(row[:2] for row in book.get_sheet_by_name("汇总").to_python()[1:])
    assert (totals["发放人数"], totals["发放总额（元）"], totals["校验码（SHA-256）"]) == ("2", "220.00", run.checksum)
    assert len(run.checksum) == 64
    assert run.history.first().history_change_reason == "导出银行代发文件（XLSX）"


def test_the_csv_bank_file_opens_in_excel_and_ends_with_the_totals(zhang, officer, finance, leader, areas):
    _entitled(zhang)
    run = _build(date(2026, 12, 1), officer, areas)
    services.payroll_run_review(run=run, by=finance)
    run, path = _export(services.payroll_run_approve(run=run, by=leader), officer, "csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[1][1:3] == ["张三丰", zhang.id_number] and rows[1][6] == "110.00"
    assert ["合计", "发放总额（元）", "110.00"] in rows


def test_lines_changed_after_approval_stop_the_export(zhang, officer, finance, leader, areas):
    _entitled(zhang)
    run = _build(date(2026, 12, 1), officer, areas)
    services.payroll_run_review(run=run, by=finance)
    run = services.payroll_run_approve(run=run, by=leader)
    PayrollLine.objects.filter(run=run).update(account_number="6229000000000000999")
    with pytest.raises(ValidationError, match="校验码不符"):
        _export(run, officer, "xlsx")


# --- reconciliation and arrears (对账、补发) --------------------------------------------------------------------


def _exported(month, officer, finance, leader, areas):
    run = _build(month, officer, areas)
    services.payroll_run_review(run=run, by=finance)
    return _export(services.payroll_run_approve(run=run, by=leader), officer, "csv")[0]


def test_a_failed_payment_is_paid_again_next_month_as_arrears(zhang, li, officer, finance, leader, areas):
    _entitled(zhang), _entitled(li)
    november = _exported(date(2026, 11, 1), officer, finance, leader, areas)
    failure = payroll.Failure(row=2, id_number=li.id_number, amount=Decimal("110.00"), reason="账户已销户")
    november = services.payroll_run_reconcile(run=november, by=officer, failures=[failure])
    assert (november.state, november.total_amount, november.failed_amount) == (
        RunState.RECONCILED, Decimal("110.00"), Decimal("110.00"))
    assert november.lines.get(person=li).failure_reason == "账户已销户"
    december = _build(date(2026, 12, 1), officer, areas)
    assert _lines(december) == [("张三丰", "2026-12", Decimal("110.00")), ("李四", "2026-11", Decimal("110.00")),
                                ("李四", "2026-12", Decimal("110.00"))]
    assert december.arrears_amount == Decimal("110.00")
    services.payroll_run_review(run=december, by=finance)
    services.payroll_run_approve(run=december, by=leader)
    assert not Entitlement.objects.filter(arrears_from__isnull=False).exists()


@pytest.mark.parametrize(("row", "message"), [
    (("110101199003077777", "110.00"), "身份证号"),  # wrong check digit
    (("{li}", "100.00"), "金额 100.00 元与发放表中此人的 110.00 元不符"),
    (("{other}", "110.00"), "不在这张发放表中"),
])
def test_a_bank_return_with_a_bad_row_changes_nothing(zhang, li, officer, finance, leader, areas, tmp_path, row,
                                                      message):
    _entitled(zhang), _entitled(li)
    other = make_person(by=officer, area=areas["beijiang"], name="王五", sequence=17)
    run = _exported(date(2026, 11, 1), officer, finance, leader, areas)
    path = tmp_path / "return.csv"
    body = [["身份证号", "金额", "失败原因"], [zhang.id_number, "110.00", "户名不符"],
            [row[0].format(li=li.id_number, other=other.id_number), row[1], "账户冻结"]]
    path.write_bytes("\n".join(",".join(r) for r in body).encode("gbk"))
    returned = payroll.return_file_read(path, today=date(2026, 11, 28))
    with pytest.raises(ValidationError, match=message) as error:
        if returned.errors:
            raise ValidationError([f"第 {n} 行：{m}" for n, m in returned.errors])
        services.payroll_run_reconcile(run=run, by=officer, failures=returned.failures)
    assert "第 3 行" in str(error.value)
    run.refresh_from_db()
    assert run.state == RunState.EXPORTED and not run.lines.filter(failed=True).exists()


def test_the_bank_return_reads_full_width_digits_and_amounts_written_with_yuan(zhang, officer, finance, leader,
                                                                               areas, tmp_path):
    _entitled(zhang)
    run = _exported(date(2026, 11, 1), officer, finance, leader, areas)
    wide = zhang.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    path = tmp_path / "return.csv"
    path.write_text(f"证件号码,交易金额,备注\n{wide},１１０.００元,账户冻结\n", encoding="utf-8")
    returned = payroll.return_file_read(path, today=date(2026, 11, 28))
    assert returned.errors == []
    run = services.payroll_run_reconcile(run=run, by=officer, failures=returned.failures)
    assert run.lines.get().failure_reason == "账户冻结"


def test_an_empty_bank_return_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "文件是空的" in payroll.return_file_read(path, today=date(2026, 11, 28)).errors[0][1]


def test_a_card_unfrozen_pays_the_frozen_months_as_arrears(zhang, officer, finance, leader, areas,
                                                           django_capture_on_commit_callbacks):
    entitlement = _entitled(zhang)
    _paid(date(2026, 9, 1), officer, finance, leader, areas)
    card = zhang.certificates.get(status="valid")
    with django_capture_on_commit_callbacks(execute=True):
        card = registry_services.certificate_freeze(certificate=card, by=officer, on=date(2026, 9, 15),
                                                    reason="户籍迁出未转")
    assert _lines(_paid(date(2026, 10, 1), officer, finance, leader, areas)) == []
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.certificate_unfreeze(certificate=card, by=officer, on=date(2026, 11, 10), reason="已转入")
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.arrears_from) == (Entitlement.State.ACTIVE, date(2026, 10, 1))
    assert _lines(_build(date(2026, 11, 1), officer, areas)) == [
        ("张三丰", "2026-10", Decimal("110.00")), ("张三丰", "2026-11", Decimal("110.00"))]


def test_an_approval_for_a_month_already_paid_is_paid_next_month(zhang, li, officer, finance, leader, areas,
                                                                  beijiang_officer):
    _entitled(li)
    _paid(date(2026, 11, 1), officer, finance, leader, areas)
    application = services.application_submit(person=zhang, scheme=NURSING, by=beijiang_officer,
                                               on=date(2026, 10, 8))
    services.application_review(application=application, by=officer, on=date(2026, 10, 12))
    services.application_approve(application=application, by=finance, on=date(2026, 10, 28))  # from November
    assert _lines(_build(date(2026, 12, 1), officer, areas)) == [
        ("张三丰", "2026-11", Decimal("110.00")), ("张三丰", "2026-12", Decimal("110.00")),
        ("李四", "2026-12", Decimal("110.00"))]


def test_months_before_the_first_payroll_on_the_platform_are_not_paid_again(zhang, officer, areas):
    entitlement = _entitled(zhang, starts=date(2020, 1, 1))
    entitlement.arrears_from = date(2020, 1, 1)
    entitlement.save()
    assert _lines(_build(date(2026, 12, 1), officer, areas)) == [("张三丰", "2026-12", Decimal("110.00"))]


# --- stops and recoveries (停发、追缴) ----------------------------------------------------------------------------


def test_a_death_stops_payment_after_its_month_with_no_overpayment(zhang, officer, finance, leader, areas,
                                                                   django_capture_on_commit_callbacks):
    _entitled(zhang)
    _paid(date(2026, 10, 1), officer, finance, leader, areas)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.person_change_life_status(person=zhang, by=officer, status="deceased",
                                                    since=date(2026, 11, 10), reason="死亡")
    # November, the month of death, is paid (次月起停发); December is not.
    assert _lines(_paid(date(2026, 11, 1), officer, finance, leader, areas)) == [
        ("张三丰", "2026-11", Decimal("110.00"))]
    assert _lines(_build(date(2026, 12, 1), officer, areas)) == []
    assert not Recovery.objects.exists()


def test_a_death_recorded_late_makes_the_months_paid_after_it_recoverable(zhang, officer, finance, leader, areas,
                                                                          django_capture_on_commit_callbacks):
    _entitled(zhang)
    for month in (9, 10, 11):
        _paid(date(2026, month, 1), officer, finance, leader, areas)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.person_change_life_status(person=zhang, by=officer, status="deceased",
                                                    since=date(2026, 9, 20), reason="死亡（家属11月告知）")
    recoveries = Recovery.objects.order_by("line__for_month")
    assert [(f"{r.line.for_month:%Y-%m}", r.amount, r.state) for r in recoveries] == [
        ("2026-10", Decimal("110.00"), Recovery.State.OPEN), ("2026-11", Decimal("110.00"), Recovery.State.OPEN)]
    assert "人员状态为“死亡”" in recoveries[0].reason
    assert services.recoveries_detect(on=date(2026, 11, 30)) == 0  # the nightly sweep opens none twice


def test_losing_dibao_stops_the_living_allowance_from_the_list_month(zhang, officer, finance, leader, areas,
                                                                     django_capture_on_commit_callbacks):
    AssistanceStatus.objects.create(person=zhang, kind=AssistanceKind.DIBAO, started_on=date(2025, 1, 1),
                                    started_by="民政名单")
    _entitled(zhang, scheme=LIVING)
    _paid(date(2026, 10, 1), officer, finance, leader, areas, scheme=LIVING)
    zhang.assistance_statuses.update(ended_on=date(2026, 10, 20), ended_by="2026年10月低保名单")
    services.entitlement_review(person=zhang, on=date(2026, 10, 20), cause="民政救助名单更新")
    assert _lines(_build(date(2026, 11, 1), officer, areas, scheme=LIVING)) == []
    assert not Recovery.objects.exists()


def test_a_recovery_is_closed_as_recovered_or_written_off_by_the_federation(zhang, officer, finance, leader, areas,
                                                                           beijiang_officer,
                                                                           django_capture_on_commit_callbacks):
    _entitled(zhang)
    _paid(date(2026, 11, 1), officer, finance, leader, areas)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.person_change_life_status(person=zhang, by=officer, status="moved_out",
                                                    since=date(2026, 10, 5), reason="迁往呼和浩特")
    recovery = Recovery.objects.get()
    with pytest.raises(ValidationError, match="核销须由残联工作人员办理"):
        services.recovery_settle(recovery=recovery, by=beijiang_officer, state=Recovery.State.WAIVED, note="无法联系")
    with pytest.raises(ValidationError, match="请填写办结说明"):
        services.recovery_settle(recovery=recovery, by=officer, state=Recovery.State.RECOVERED, note="")
    recovery = services.recovery_settle(recovery=recovery, by=officer, state=Recovery.State.RECOVERED,
                                        note="收据 No.0012")
    assert (recovery.state, recovery.settled_by, recovery.note) == (Recovery.State.RECOVERED, officer, "收据 No.0012")
    with pytest.raises(ValidationError, match="已办结"):
        services.recovery_settle(recovery=recovery, by=finance, state=Recovery.State.WAIVED, note="重复")


# --- the command ----------------------------------------------------------------------------------------------


def test_the_command_builds_both_monthly_schemes_and_says_what_it_could_not(zhang, officer, areas):
    from io import StringIO

    from django.core.management import CommandError, call_command

    _entitled(zhang)
    out = StringIO()
    call_command("payroll", "run", "2026-12", "--user", "officer", "--scheme", NURSING, stdout=out)
    assert "已生成 重度残疾人护理补贴 2026-12（二连浩特市）发放表草稿" in out.getvalue()
    assert "1 人，110.00 元" in out.getvalue()
    with pytest.raises(CommandError, match="草稿已存在"):
        call_command("payroll", "run", "2026-12", "--user", "officer", stdout=StringIO())
    with pytest.raises(CommandError, match="发放月份"):
        call_command("payroll", "run", "明年", "--user", "officer")
