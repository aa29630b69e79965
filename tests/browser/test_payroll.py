"""The demo month paid end to end in the browser, on the Erenhot demo data (ten months already paid): an
application approved by a second person, November's payroll built, reviewed and approved by three people,
the bank file exported, one failed payment reconciled and paid again in December as arrears."""

import tempfile
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from canlian.accounts.models import User
from canlian.benefits.choices import Scheme
from canlian.benefits.demo import demo_benefits_load
from canlian.benefits.models import Application, PayrollLine, PayrollRun
from canlian.registry.demo import demo_load
from canlian.registry.tests.factories import _password_hash
from tests.browser.conftest import assert_accessible, assert_error_page_state, login


@pytest.fixture
def demo(transactional_db):
    demo_load()
    with tempfile.TemporaryDirectory() as bank_files:
        demo_benefits_load(tmp_dir=Path(bank_files))
    User.objects.update(password=_password_hash())  # the suite's password, so login() can check it
    return {user.username: user for user in User.objects.all()}


def _as(page, user) -> None:
    page.context.clear_cookies()  # the next person at the same desk
    login(page, user)


def test_a_demo_month_is_paid_end_to_end(page, demo, tmp_path):
    officer, finance, leader = demo["officer"], demo["finance"], demo["leader"]

    # An application the community reviewed is approved by a second federation officer.
    _as(page, finance)
    page.goto("/benefits/applications/")
    reviewed = Application.objects.get(state=Application.State.REVIEWED)
    row = page.locator("tbody tr", has_text=reviewed.person.name)
    row.get_by_label(f"意见（{reviewed.person.name}）").fill("同意")
    row.get_by_role("button", name="批准").click()
    expect(page.get_by_role("status")).to_contain_text("已批准")

    # The officer builds November: a month that cannot be read is refused at the field first.
    _as(page, officer)
    page.goto("/benefits/payroll/")
    assert_accessible(page, state="payroll list with ten months paid")
    page.get_by_label("补贴项目").select_option(label="重度残疾人护理补贴")
    page.get_by_label("发放月份").fill("下个月")
    page.get_by_role("button", name="生成发放表").click()
    assert_error_page_state(page)
    assert_accessible(page, state="payroll build: month unreadable")
    page.get_by_label("发放月份").fill("2026-11")
    page.get_by_role("button", name="生成发放表").click()
    expect(page.get_by_role("status")).to_contain_text("已生成 重度残疾人护理补贴 2026-11 发放表草稿")
    november = PayrollRun.objects.get(scheme=Scheme.NURSING_ALLOWANCE, month=date(2026, 11, 1))
    assert november.state == PayrollRun.State.DRAFT and november.person_count > 290
    assert_accessible(page, state="payroll draft with its lines")

    # The builder may not review it.
    page.get_by_role("button", name="复核通过").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("不能复核自己生成的发放表")
    assert_accessible(page, state="payroll draft: the builder tried to review")

    _as(page, finance)
    page.goto(f"/benefits/payroll/{november.pk}/")
    page.get_by_label("意见").fill("人数、金额与上月核对无误")
    page.get_by_role("button", name="复核通过").click()
    expect(page.get_by_role("status")).to_contain_text("已复核")

    _as(page, leader)
    page.goto(f"/benefits/payroll/{november.pk}/")
    expect(page.get_by_role("heading", name="发放明细")).to_have_count(0)  # leaders see the totals only
    assert_accessible(page, state="payroll reviewed, leader's view")
    page.get_by_role("button", name="审批通过").click()
    expect(page.get_by_role("status")).to_contain_text("已审批，明细已锁定")

    # The officer downloads the bank file and reconciles the bank's return.
    _as(page, officer)
    page.goto(f"/benefits/payroll/{november.pk}/")
    assert_accessible(page, state="payroll approved, export")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 XLSX").click()
    book = CalamineWorkbook.from_path(download.value.path())
    rows = book.get_sheet_by_name("发放明细").to_python()
    failed_line = PayrollLine.objects.filter(run=november).select_related("person").order_by("person_id").first()
    assert failed_line.person.id_number in {row[2] for row in rows[1:]}
    page.goto(f"/benefits/payroll/{november.pk}/")
    returned = tmp_path / "回单.csv"
    returned.write_bytes(f"身份证号,金额,失败原因\n{failed_line.person.id_number},999.00,账户冻结\n".encode("gbk"))
    page.get_by_label("银行回单（发放失败名单）").set_input_files(str(returned))
    page.get_by_role("button", name="上传并对账").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("金额 999.00 元与发放表中此人的 110.00 元不符")
    assert_accessible(page, state="reconcile: wrong amount")
    returned.write_bytes(f"身份证号,金额,失败原因\n{failed_line.person.id_number},110.00,账户冻结\n".encode("gbk"))
    page.get_by_label("银行回单（发放失败名单）").set_input_files(str(returned))
    page.get_by_role("button", name="上传并对账").click()
    expect(page.get_by_role("status")).to_contain_text("1 人发放失败，已转入下月补发")

    # December pays the failed month again, and the newly approved person from December.
    page.goto("/benefits/payroll/")
    page.get_by_label("补贴项目").select_option(label="重度残疾人护理补贴")
    page.get_by_label("发放月份").fill("2026-12")
    page.get_by_role("button", name="生成发放表").click()
    expect(page.get_by_role("status")).to_contain_text("已生成 重度残疾人护理补贴 2026-12 发放表草稿")
    december = PayrollRun.objects.get(scheme=Scheme.NURSING_ALLOWANCE, month=date(2026, 12, 1))
    assert december.lines.filter(person=failed_line.person, for_month=date(2026, 11, 1)).exists()
    assert december.lines.filter(person=reviewed.person, for_month=date(2026, 12, 1)).exists()
    assert december.arrears_amount == failed_line.amount

    # The recoveries worklist (a death reported late) and the budget.
    page.goto("/benefits/recoveries/")
    assert_accessible(page, state="recoveries worklist")
    page.locator("tbody tr").first.get_by_role("button", name="已追回").click()
    assert_error_page_state(page)
    assert_accessible(page, state="recoveries worklist: note missing")
    page.goto("/benefits/lists/?scheme=accident_insurance")
    expect(page.get_by_role("heading", name="享受名单")).to_be_visible()
    assert_accessible(page, state="accident insurance list with amounts")
    _as(page, leader)
    page.goto("/benefits/budget/")
    expect(page.get_by_role("heading", name="2026 年补贴资金")).to_be_visible()
    assert_accessible(page, state="budget")
