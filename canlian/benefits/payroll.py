"""The monthly payroll as set-based SQL (月度发放): a month's lines are one INSERT … SELECT from the entitlements,
kept to the persons the rules accept that month (eligibility.py) and priced by the standard in force
(rules.standard_for spelled as a CASE). tests/test_payroll_rules.py checks on random registries that the lines are
exactly what rules.py would pay. Also the bank file and the bank's return of failed payments.
"""

import csv
import hashlib
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from pathlib import Path

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from canlian.benefits import rules
from canlian.benefits.choices import Scheme
from canlian.benefits.eligibility import eligible_persons
from canlian.benefits.models import Entitlement, PayrollLine, PayrollRun
from canlian.common.spreadsheets import SpreadsheetError, XlsxWriter, csv_line, read_table
from canlian.exchange import values
from canlian.exchange.sources import header_key
from canlian.registry.models import Certificate, valid_certificate_on

# Paid monthly by the platform, end to end; the yearly premiums are lists with amounts (issue 4 §1).
PAYROLL_SCHEMES = (Scheme.LIVING_ALLOWANCE, Scheme.NURSING_ALLOWANCE)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the day's month."""
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def covering(month: date, prefix: str = "") -> Q:
    """Entitlements whose months include this one (the state follows from the dates: a stop sets ends_on)."""
    return Q(**{f"{prefix}starts_on__lte": month}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": month}))


def standards_in_order(standards: list[rules.StandardRow], *, scheme: str, on: date) -> list[rules.StandardRow]:
    """The standards that can apply on a day, best first as rules.standard_row_for prefers them: the deepest area, then a
    grade-specific one; of the same area and grade only the latest started counts."""
    latest = {}
    for row in sorted((s for s in standards if s.scheme == scheme and s.effective_from <= on),
                      key=lambda s: s.effective_from):
        latest[(row.area_path, row.grade)] = row
    return sorted(latest.values(), key=lambda s: (len(s.area_path or ""), s.grade is not None), reverse=True)


def standard_cases(standards: list[rules.StandardRow], on: date, *, person: str = "person__",
                   person_id: str = "person_id") -> tuple[Case, Case]:
    """rules.standard_row_for as two CASE expressions, the standard's id and its amount, over rows that reach the
    person through `person` (an entitlement's "person__", a person's own "")."""
    ids, amounts = [], []
    default_id = default_amount = None
    for row in standards:
        condition = Q()
        if row.area_path:
            condition &= Q(**{f"{person}residence_area__path__startswith": row.area_path})
        if row.grade is not None:
            condition &= Q(Exists(Certificate.objects.filter(valid_certificate_on(on), person=OuterRef(person_id),
                                                             grade=row.grade)))
        if not condition:  # every area, every grade: the last resort, so nothing after it matters
            default_id, default_amount = row.pk, row.amount
            break
        ids.append(When(condition, then=Value(row.pk)))
        amounts.append(When(condition, then=Value(row.amount)))
    money = DecimalField(max_digits=10, decimal_places=2)
    # Typed even when NULL (no standard at all): PostgreSQL cannot add up an untyped NULL.
    return (Case(*ids, default=Cast(Value(default_id), IntegerField()), output_field=IntegerField()),
            Case(*amounts, default=Cast(Value(default_amount), money), output_field=money))


# The columns of PayrollLine in the order the SELECT produces them.
_LINE_COLUMNS = ("run_id", "scheme", "person_id", "entitlement_id", "for_month", "amount", "standard_id", "bank",
                 "account_number", "account_holder", "failed", "failure_reason")


def _line_rows(run: PayrollRun, *, month: date, options: rules.BenefitOptions, standards: list[rules.StandardRow],
               arrears: bool) -> QuerySet:
    """The lines of one month as a SELECT: covering entitlements of persons the rules accept on the month's first
    day, priced by the standard in force then. For an earlier month (arrears), only entitlements marked as
    possibly owed and months not paid yet."""
    eligible = eligible_persons(run.scheme, on=month, options=options).filter(
        residence_area__path__startswith=run.area.path)
    rows = Entitlement.objects.filter(covering(month), scheme=run.scheme,
                                      person__residence_area__path__startswith=run.area.path)
    if arrears:
        # The few entitlements marked as owing come first; each asks the rules about its own person (EXISTS),
        # rather than the database listing everyone eligible that month (BENCHMARKS.md).
        paid = PayrollLine.objects.filter(scheme=run.scheme, person=OuterRef("person_id"), for_month=month,
                                          failed=False)
        rows = rows.filter(Exists(eligible.filter(pk=OuterRef("person_id"))), arrears_from__lte=month).exclude(
            Exists(paid))
    else:
        rows = rows.filter(person__in=eligible.values("pk"))
    standard_id, amount = standard_cases(standards_in_order(standards, scheme=run.scheme, on=month), month)
    text = CharField()
    rows = rows.annotate(
        l_run=Value(run.pk, output_field=IntegerField()), l_scheme=Value(run.scheme, output_field=text),
        l_person=F("person_id"), l_entitlement=F("pk"),
        l_month=Value(month, output_field=DateField()), l_amount=amount, l_standard=standard_id,
        l_bank=Coalesce("person__payment_account__bank", Value(""), output_field=text),
        l_account=Coalesce("person__payment_account__number", Value(""), output_field=text),
        l_holder=Coalesce("person__payment_account__holder", Value(""), output_field=text),
        l_failed=Value(False, output_field=BooleanField()), l_reason=Value("", output_field=text),
    ).filter(l_standard__isnull=False)
    # Every selected column is an annotation, so the SELECT lists them in the order annotated above.
    return rows.order_by().values_list("l_run", "l_scheme", "l_person", "l_entitlement", "l_month", "l_amount",
                                       "l_standard", "l_bank", "l_account", "l_holder", "l_failed", "l_reason")


def lines_insert(run: PayrollRun, *, month: date, options: rules.BenefitOptions,
                 standards: list[rules.StandardRow], arrears: bool = False) -> int:
    """INSERT … SELECT one month's lines into the run; the rows never pass through Python. Returns how many."""
    sql, params = _line_rows(run, month=month, options=options, standards=standards,
                             arrears=arrears).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PayrollLine._meta.db_table} ({', '.join(_LINE_COLUMNS)}) {sql}",
                       params)
        return cursor.rowcount


def run_totals(run: PayrollRun) -> dict:
    paid = Q(failed=False)
    return run.lines.aggregate(
        line_count=Count("pk"), person_count=Count("person", distinct=True),
        total_amount=Coalesce(Sum("amount", filter=paid), Decimal(0)),
        arrears_amount=Coalesce(Sum("amount", filter=paid & Q(for_month__lt=run.month)), Decimal(0)),
        failed_amount=Coalesce(Sum("amount", filter=Q(failed=True)), Decimal(0)))


def run_checksum(run: PayrollRun) -> str:
    """SHA-256 over the lines in a fixed order: who, which month, how much, into which account."""
    digest = hashlib.sha256()
    lines = run.lines.order_by("person_id", "for_month").values_list(
        "person_id", "for_month", "amount", "bank", "account_number", "account_holder")
    for person_id, month, amount, bank, account, holder in lines.iterator(chunk_size=5000):
        digest.update(f"{person_id}|{month:%Y-%m}|{amount:.2f}|{bank}|{account}|{holder}\n".encode())
    return digest.hexdigest()


# --- the bank file (代发文件) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    """One transfer: a person's lines in the run added up (the bank pays one amount per account)."""

    name: str
    id_number: str
    bank: str
    account_number: str
    account_holder: str
    amount: Decimal
    months: str  # "2026-12；补发 2026-10"


def payments(run: PayrollRun) -> Iterator[Payment]:
    """The run's transfers in person order, streamed: memory stays flat however many there are."""
    lines = run.lines.filter(failed=False).order_by("person_id", "for_month").values_list(
        "person_id", "person__name", "person__id_number", "bank", "account_number", "account_holder", "for_month",
        "amount")
    for _person, group in groupby(lines.iterator(chunk_size=5000), key=lambda line: line[0]):
        group = list(group)
        first = group[0]
        months = "；".join(f"{line[6]:%Y-%m}" if line[6] == run.month else _("补发 %(m)s") % {"m": f"{line[6]:%Y-%m}"}
                          for line in group)
        yield Payment(name=first[1], id_number=first[2], bank=first[3], account_number=first[4],
                      account_holder=first[5], amount=sum((line[7] for line in group), Decimal(0)), months=months)


def _bank_header() -> list[str]:
    return [_("序号"), _("姓名"), _("身份证号"), _("开户银行"), _("银行账号"), _("户名"), _("金额（元）"), _("补贴项目"),
            _("发放月份"), _("所含月份")]


def _bank_row(n: int, payment: Payment, scheme: str, month: str) -> list:
    return [n, payment.name, payment.id_number, payment.bank, payment.account_number, payment.account_holder,
            f"{payment.amount:.2f}", scheme, month, payment.months]


def _totals(run: PayrollRun) -> list[tuple[str, str]]:
    return [(_("发放表"), str(run)), (_("发放区域"), run.area.name), (_("发放人数"), str(run.person_count)),
            (_("发放总额（元）"), f"{run.total_amount:.2f}"), (_("其中补发（元）"), f"{run.arrears_amount:.2f}"),
            (_("审批人"), str(run.approved_by.display_name or run.approved_by.username)),
            (_("审批时间"), f"{run.approved_at:%Y-%m-%d %H:%M}"), (_("校验码（SHA-256）"), run.checksum)]


def bank_file_write(run: PayrollRun, kind: str, target: Path) -> None:
    """Write the bank file (XLSX with a totals sheet, or CSV with the totals at the end), in constant memory."""
    scheme, month = str(run.get_scheme_display()), f"{run.month:%Y-%m}"
    if kind == "xlsx":
        writer = XlsxWriter(target)
        sheet = writer.sheet(_("发放明细"), _bank_header())
        for n, payment in enumerate(payments(run), start=1):
            sheet.append(_bank_row(n, payment, scheme, month))
        totals = writer.sheet(_("汇总"), [_("项目"), _("内容")])
        for row in _totals(run):
            totals.append(list(row))
        writer.close()
        return
    with open(target, "w", encoding="utf-8-sig", newline="") as out:  # the BOM lets Excel read it as UTF-8
        rows = csv.writer(out)
        rows.writerow(_bank_header())
        for n, payment in enumerate(payments(run), start=1):
            rows.writerow(csv_line(_bank_row(n, payment, scheme, month)))
        for label, value in _totals(run):
            rows.writerow(csv_line([_("合计") if label == _("发放总额（元）") else "", label, value]))


# --- the bank's return (对账): which payments failed ------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    row: int  # the row number in the file, as the official sees it
    id_number: str
    amount: Decimal
    reason: str


@dataclass
class ReturnFile:
    failures: list[Failure]
    errors: list[tuple[int, str]]  # (row, message)


_RETURN_COLUMNS = {"id_number": (_("身份证号"), "证件号码", "身份证号码", "证件号"),
                   "amount": (_("金额（元）"), "金额", "发放金额", "交易金额"),
                   "reason": (_("失败原因"), "原因", "备注", "退回原因")}


def return_file_read(path: Path, *, today: date) -> ReturnFile:
    """Read the bank's list of failed payments: ID number, amount and reason per row, every bad row reported."""
    try:
        table = read_table(path)
    except SpreadsheetError as error:
        return ReturnFile([], [(0, str(error))])
    rows = iter(table.rows)
    header = [header_key(cell) for cell in next(rows, [])]
    index = {}
    for key, names in _RETURN_COLUMNS.items():
        found = [header.index(header_key(name)) for name in names if header_key(name) in header]
        if found:
            index[key] = found[0]
        elif key != "reason":
            return ReturnFile([], [(1, _("第一行缺少“%(c)s”列：请使用银行回单或本平台的模板。") % {"c": names[0]})])
    failures, errors = [], []
    for number, cells in enumerate(rows, start=2):
        def cell(key, cells=cells):
            column = index.get(key)
            return cells[column] if column is not None and column < len(cells) and cells[column] is not None else ""
        if not any(str(value).strip() for value in cells if value is not None):
            continue
        try:
            failures.append(Failure(row=number, id_number=values.id_number(cell("id_number"), today=today),
                                    amount=values.money(cell("amount")),
                                    reason=values.text(cell("reason"), max_length=200) or _("银行退回")))
        except values.CellError as error:
            errors.append((number, str(error)))
    if not failures and not errors:
        errors.append((0, _("文件中没有失败记录：如果全部发放成功，请直接点“全部发放成功”。")))
    return ReturnFile(failures, errors)


def return_template() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([_("身份证号"), _("金额（元）"), _("失败原因")])
    return ("\ufeff" + out.getvalue()).encode()


# --- the yearly schemes' lists with amounts (享受名单) ------------------------------------------------------


def eligible_xlsx(persons: QuerySet, *, scheme: str, on: date):
    """The list of a scheme with each amount, full ID numbers as text, in constant memory; returns (file, count)."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")
    writer = XlsxWriter(handle)
    sheet = writer.sheet(scheme, [_("序号"), _("姓名"), _("身份证号"), _("居住地"), _("金额（元）"), _("名单日期")])
    count = 0
    for count, person in enumerate(persons.iterator(chunk_size=5000), start=1):
        sheet.append([count, person.name, person.id_number, person.residence_area.name,
                      "" if person.amount is None else f"{person.amount:.2f}", on])
    writer.close()
    handle.seek(0)
    return handle, count
