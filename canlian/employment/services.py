"""Writes of employment: real-name employment records, employers, and the annual quota review with its levy.

The review is maker ≠ checker: one officer reviews (审核) and another issues the decision (复核出具决定书).
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from canlian.accounts.scope import residence_in_scope, scoped_areas, staff_required
from canlian.areas.models import Area
from canlian.common.ids import IdNumberError, clean_number, normalize_id_number, parse_certificate_number
from canlian.common.records import history_stamp
from canlian.employment import review, rules
from canlian.employment.choices import DeclarationStatus, EmployerKind, EmploymentForm, NotWorkingReason
from canlian.employment.models import Declaration, DeclaredEmployee, Employer, EmploymentRecord
from canlian.parameters.selectors import ParameterTimeline, parameter_int, parameter_value
from canlian.registry.choices import LifeStatus
from canlian.registry.models import Person
from canlian.registry.services import clean_person_name

OPEN_STATUSES = (DeclarationStatus.SUBMITTED, DeclarationStatus.REVIEWED)
MAX_EMPLOYEES = 5000  # per declaration: more than the largest employer of a county or a league


def _require_area_in_scope(area: Area, by) -> None:
    if not scoped_areas(by).filter(pk=area.pk).exists():
        raise ValidationError({"area": _("该区域不在您负责的范围内。")})


# ---- Real-name employment records (实名制) -------------------------------------------------------------------

@transaction.atomic
def employment_record_add(*, person: Person, by, employed: bool, started_on: date, form: str = "",
                          not_working_reason: str = "", employer: Employer | None = None, employer_name: str = "",
                          monthly_income: Decimal | None = None, note: str = "") -> EmploymentRecord:
    """Record a person's employment status from a day; the open spell ends the day before."""
    staff_required(by)
    if not Person.objects.filter(residence_in_scope(by), pk=person.pk).exists():
        raise ValidationError(_("该人员不在您负责的区域内。"))
    if employed and form not in EmploymentForm.values:
        raise ValidationError({"form": _("请选择就业形式。")})
    if not employed and not_working_reason not in NotWorkingReason.values:
        raise ValidationError({"not_working_reason": _("请选择未就业原因。")})
    if monthly_income is not None and monthly_income < 0:
        raise ValidationError({"monthly_income": _("月收入不能为负数。")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("起始日期不能晚于今天。")})
    if started_on < person.birth_date:
        raise ValidationError({"started_on": _("起始日期不能早于出生日期。")})
    if person.life_status != LifeStatus.ACTIVE and person.life_status_since and started_on > person.life_status_since:
        raise ValidationError({"started_on": _("此人自 %(d)s 起已不在册（%(s)s），不能登记此后的就业状态。") % {
            "d": person.life_status_since, "s": person.get_life_status_display()}})
    Person.objects.select_for_update().get(pk=person.pk)  # one status change per person at a time
    open_spell = EmploymentRecord.objects.filter(person=person, ended_on__isnull=True).first()
    if open_spell and started_on <= open_spell.started_on:
        raise ValidationError({"started_on": _("起始日期应晚于当前记录的起始日期 %(d)s。") % {
            "d": open_spell.started_on}})
    if employed and form == EmploymentForm.PUBLIC_WELFARE:
        limit = parameter_int("employment.public_welfare_max_placements", on=started_on)
        placed = EmploymentRecord.objects.filter(person=person, form=EmploymentForm.PUBLIC_WELFARE).count()
        if placed >= limit:
            raise ValidationError({"form": _("此人已安置公益性岗位 %(n)d 次，每人最多 %(limit)d 次。") % {
                "n": placed, "limit": limit}})
    if open_spell:
        open_spell.ended_on = started_on - timedelta(days=1)
        history_stamp(open_spell, by=by, reason=_("新的就业状态"))
        open_spell.save(update_fields=["ended_on"])
    record = EmploymentRecord(
        person=person, employed=employed, form=form if employed else "",
        not_working_reason="" if employed else not_working_reason, employer=employer if employed else None,
        employer_name=(employer_name or (employer.name if employer else ""))[:100] if employed else "",
        monthly_income=monthly_income, started_on=started_on, note=note[:200], recorded_by=by)
    history_stamp(record, by=by, reason=_("登记就业状态"))
    record.save()
    return record


# ---- Employers ---------------------------------------------------------------------------------------------

def clean_uscc(raw: str) -> str:
    """The 18-character unified social credit code, checked with its check character (GB 32100-2015)."""
    code = clean_number(raw)
    if not code:
        raise ValidationError({"uscc": _("请输入统一社会信用代码。")})
    if len(code) != 18:
        raise ValidationError({"uscc": _("统一社会信用代码应为18位，现在是%(n)d位。") % {"n": len(code)}})
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError({"uscc": _("统一社会信用代码校验位错误：最后一位应为 %(x)s，请核对。") % {
            "x": uscc.calc_check_digit(code[:17])}}) from None
    except stdnum_errors.ValidationError:
        raise ValidationError({"uscc": _("统一社会信用代码格式不对：只能包含数字和大写字母（不含 I、O、S、V、Z）。")}) \
            from None


@transaction.atomic
def employer_save(*, by, uscc_code: str, name: str, kind: str, area: Area, address: str = "",
                  contact_name: str = "", contact_phone: str = "", employer: Employer | None = None) -> Employer:
    """Register an employer, or correct one's details."""
    code = clean_uscc(uscc_code)
    name = " ".join((name or "").split())  # no NFKC: official names keep their full-width brackets （）
    if not name:
        raise ValidationError({"name": _("请输入单位名称。")})
    if kind not in EmployerKind.values:
        raise ValidationError({"kind": _("请选择单位类型。")})
    _require_area_in_scope(area, by)
    if employer is not None:
        _require_area_in_scope(employer.area, by)
    twin = Employer.objects.filter(uscc=code).exclude(pk=getattr(employer, "pk", None)).first()
    if twin:
        raise ValidationError({"uscc": _("此统一社会信用代码已登记为“%(name)s”。") % {"name": twin.name}})
    employer = employer or Employer()
    for field, value in {"uscc": code, "name": name[:100], "kind": kind, "area": area, "address": address[:200],
                         "contact_name": contact_name[:50], "contact_phone": contact_phone[:20]}.items():
        setattr(employer, field, value)
    history_stamp(employer, by=by, reason=_("登记用人单位"))
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:  # the same code saved by someone else a moment ago
        raise ValidationError({"uscc": _("此统一社会信用代码已登记。")}) from None
    return employer


# ---- Declarations (年审申报) -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EmployeeRow:
    """One disabled employee as the employer lists them, before the registry is asked."""

    certificate_number: str
    id_number: str
    name: str
    monthly_wage: Decimal
    social_insurance: bool
    contract_one_year: bool


_YES = {"是", "有", "y", "yes", "1", "true", "√", "✓"}
_NO = {"否", "无", "没有", "n", "no", "0", "false", "×", "✗"}


def _yes_no(raw, label: str) -> bool:
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip().lower()
    if isinstance(raw, bool):
        return raw
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("%(label)s请填“是”或“否”。") % {"label": label})


def employee_row_clean(*, certificate_number, name, monthly_wage, social_insurance, contract_one_year) -> EmployeeRow:
    """Check one listed employee's own answers; raises ValidationError naming the field."""
    errors = {}
    raw = clean_number(certificate_number)
    number = id_number = ""
    try:
        if len(raw) in (15, 18):  # an ID number where the certificate number was asked: the card is found by it
            id_number = normalize_id_number(raw)
            number = id_number
        else:
            parsed = parse_certificate_number(raw)
            id_number = normalize_id_number(parsed.id_number)
            number = str(parsed)
    except IdNumberError as error:
        errors["certificate_number"] = str(error)
    try:
        name = clean_person_name(name)
    except ValidationError as error:
        errors["name"] = error.message_dict["name"][0]
    try:
        wage = Decimal(unicodedata.normalize("NFKC", str(monthly_wage)).replace(",", "").strip())
        if not wage.is_finite() or wage < 0 or wage >= Decimal("1e8"):
            raise InvalidOperation
        wage = wage.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["monthly_wage"] = _("月工资应为不小于 0 的金额，例如 2500 或 2500.50。")
        wage = Decimal(0)
    answers = {}
    for field, value, label in (("social_insurance", social_insurance, _("是否缴纳社会保险")),
                                ("contract_one_year", contract_one_year, _("劳动合同一年以上"))):
        try:
            answers[field] = _yes_no(value, label)
        except ValueError as error:
            errors[field] = str(error)
    if errors:
        raise ValidationError(errors)
    return EmployeeRow(number, id_number, name, wage, **answers)


def _employees_insert(declaration: Declaration, rows: list[EmployeeRow]) -> int:
    """Add listed employees; a person listed twice (in the list, or already on the declaration) refuses all."""
    seen = dict(declaration.employees.values_list("id_number", "name"))
    errors = []
    for index, row in enumerate(rows, start=1):
        if row.id_number in seen:
            errors.append(_("第 %(n)d 个：%(name)s 已在本单位的申报名单中。") % {"n": index, "name": row.name})
        seen[row.id_number] = row.name
    if len(seen) > MAX_EMPLOYEES:
        errors.append(_("一份申报最多 %(n)d 名残疾职工。") % {"n": MAX_EMPLOYEES})
    persons = dict(Person.objects.filter(id_number__in=[row.id_number for row in rows]).values_list("id_number", "pk"))
    names = dict(Person.objects.filter(pk__in=persons.values()).values_list("pk", "name"))
    for index, row in enumerate(rows, start=1):
        person_id = persons.get(row.id_number)
        if person_id and names[person_id] != row.name:
            # Said without the registered name: the declaration may list someone of another area.
            errors.append(_("第 %(n)d 个：姓名“%(name)s”与此证号登记的姓名不一致，请核对。") % {"n": index, "name": row.name})
    if errors:
        raise ValidationError({"employees": errors})
    DeclaredEmployee.objects.bulk_create([
        DeclaredEmployee(declaration=declaration, year=declaration.year, declared_on=declaration.declared_on,
                         certificate_number=row.certificate_number, id_number=row.id_number, name=row.name,
                         person_id=persons.get(row.id_number), monthly_wage=row.monthly_wage,
                         social_insurance=row.social_insurance, contract_one_year=row.contract_one_year)
        for row in rows])
    return len(rows)


def _clean_figures(*, year: int, declared_on: date, staff_count: Decimal, average_wage: Decimal) -> None:
    errors = {}
    today = timezone.localdate()
    if not 2015 <= year <= today.year + 1:
        errors["year"] = _("年审年度应在 2015 年到 %(y)d 年之间。") % {"y": today.year + 1}
    if declared_on > today:
        errors["declared_on"] = _("申报日期不能晚于今天。")
    elif declared_on.year < year:
        errors["declared_on"] = _("%(y)d 年度的年审不能早于 %(y)d 年申报。") % {"y": year}
    if staff_count < 0:
        errors["staff_count"] = _("在职职工人数不能为负数。")
    if average_wage < 0:
        errors["average_wage"] = _("年平均工资不能为负数。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def declaration_submit(*, employer: Employer, by, year: int, declared_on: date, staff_count: Decimal,
                       average_wage: Decimal, employees: list[EmployeeRow] = ()) -> Declaration:
    """File an employer's declaration for a review year with its list of disabled employees."""
    _require_area_in_scope(employer.area, by)
    _clean_figures(year=year, declared_on=declared_on, staff_count=staff_count, average_wage=average_wage)
    if Declaration.objects.filter(employer=employer, year=year).exists():
        raise ValidationError({"year": _("%(employer)s 已有 %(year)d 年度的申报。") % {"employer": employer, "year": year}})
    declaration = Declaration(employer=employer, year=year, declared_on=declared_on, staff_count=staff_count,
                              average_wage=average_wage, entered_by=by)
    history_stamp(declaration, by=by, reason=_("录入年审申报"))
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:
        raise ValidationError({"year": _("%(employer)s 已有 %(year)d 年度的申报。") % {
            "employer": employer, "year": year}}) from None
    _employees_insert(declaration, list(employees))
    return declaration


def _lock(declaration: Declaration, *, by, allowed) -> Declaration:
    declaration = Declaration.objects.select_for_update().select_related("employer").get(pk=declaration.pk)
    _require_area_in_scope(declaration.employer.area, by)
    if declaration.status not in allowed:
        raise ValidationError(_("这份申报当前状态为“%(s)s”，不能办理此操作（可能已由他人办理）。") % {
            "s": declaration.get_status_display()})
    return declaration


@transaction.atomic
def declaration_employees_add(*, declaration: Declaration, by, employees: list[EmployeeRow]) -> int:
    """Add employees to a declaration not yet decided; a reviewed one goes back to await review."""
    declaration = _lock(declaration, by=by, allowed=OPEN_STATUSES)
    if not employees:
        raise ValidationError({"employees": _("没有要添加的残疾职工。")})
    added = _employees_insert(declaration, employees)
    _back_to_review(declaration, by=by, reason=_("增加申报的残疾职工"))
    return added


@transaction.atomic
def declaration_employee_remove(*, employee: DeclaredEmployee, by) -> None:
    declaration = _lock(employee.declaration, by=by, allowed=OPEN_STATUSES)
    employee.delete()
    _back_to_review(declaration, by=by, reason=_("删除申报的残疾职工 %(name)s") % {"name": employee.name})


def _back_to_review(declaration: Declaration, *, by, reason: str) -> None:
    declaration.status = DeclarationStatus.SUBMITTED
    declaration.counted = declaration.levy = declaration.reward = declaration.levy_parameters = None
    declaration.reviewed_by, declaration.reviewed_at = None, None
    history_stamp(declaration, by=by, reason=reason)
    declaration.save()
    declaration.employees.update(rejection=None, counted=None)


def declaration_levy(declaration: Declaration, params: rules.LevyParameters | None = None, *,
                     explain: bool = True) -> rules.LevyResult:
    """The levy on the counted employees, worked step by step: with the parameters the review kept, or those in
    force on the day of filing."""
    if params is None:
        params = (rules.LevyParameters.from_json(declaration.levy_parameters) if declaration.levy_parameters
                  else review.levy_parameters(declaration.declared_on))
    return rules.levy_calculate(
        rules.LevyInputs(employer_kind=declaration.employer.kind, staff_count=declaration.staff_count,
                         average_wage=declaration.average_wage, disabled_counted=declaration.counted or Decimal(0)),
        params, explain=explain)


_REVIEW_FIELDS = ["counted", "levy", "reward", "levy_parameters", "status", "reviewed_by", "reviewed_at"]


def _reviews_write(declarations: list[Declaration], *, by) -> None:
    """Write the reviewed declarations back, one UPDATE per row sent together (a province reviews 50,000 at once,
    where bulk_update's CASE per field grows with the batch), and their history in bulk."""
    columns = [Declaration._meta.get_field(name) for name in _REVIEW_FIELDS]
    quote = connection.ops.quote_name
    # Names from the model, values bound.
    sql = (f"UPDATE {quote(Declaration._meta.db_table)} SET "  # noqa: S608
           + ", ".join(f"{quote(column.column)} = %s" for column in columns) + f" WHERE {quote('id')} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[column.get_db_prep_save(getattr(d, column.attname), connection)
                                  for column in columns] + [d.pk] for d in declarations])
    Declaration.history.bulk_history_create(declarations, batch_size=2000, update=True, default_user=by,
                                            default_change_reason=_("年审审核"))


@transaction.atomic
def declarations_review(*, year: int, by, declarations=None, at: datetime | None = None) -> int:
    """Review the open declarations of a year (or those given, and any that share an employee with them):
    judge every listed employee in one UPDATE, then compute each declaration's levy. Returns how many."""
    open_ones = Declaration.objects.filter(year=year, status__in=OPEN_STATUSES)
    if declarations is not None:
        chosen = [d.pk for d in declarations]
        sharing = DeclaredEmployee.objects.filter(year=year, person_id__in=DeclaredEmployee.objects.filter(
            declaration_id__in=chosen, person_id__isnull=False).values("person_id")).values("declaration_id")
        open_ones = open_ones.filter(Q(pk__in=chosen) | Q(pk__in=sharing))
    # Another federation's declarations are theirs to review, even when they list the same person.
    open_ones = open_ones.filter(employer__area__in=scoped_areas(by))
    locked = list(open_ones.select_for_update().select_related("employer").order_by("pk"))
    # The ids themselves when few: a sub-select with an OR would hide how few rows there are from the planner,
    # which then hashes every certificate in the registry to judge four employees.
    employees = DeclaredEmployee.objects.filter(
        declaration_id__in=[d.pk for d in locked] if declarations is not None else open_ones.values("pk"))
    review.employee_verdicts(employees, year=year)
    review.employee_weights(employees, year=year)
    counted = dict(employees.values("declaration_id").annotate(total=Sum("counted"))
                   .values_list("declaration_id", "total"))
    at, timeline, params = at or timezone.now(), ParameterTimeline(review.LEVY_KEYS), {}
    for declaration in locked:
        day = declaration.declared_on  # a year's filings fall on a few hundred days: each day's values once
        params[day] = params.get(day) or review.levy_parameters(day, timeline)
        declaration.counted = counted.get(declaration.pk) or Decimal(0)
        result = declaration_levy(declaration, params[day], explain=False)  # the page works the steps out again
        declaration.levy, declaration.reward = result.levy, result.reward
        declaration.levy_parameters = params[day].as_json()
        declaration.status, declaration.reviewed_by, declaration.reviewed_at = DeclarationStatus.REVIEWED, by, at
    _reviews_write(locked, by=by)
    return len(locked)


@transaction.atomic
def declaration_review(*, declaration: Declaration, by) -> Declaration:
    """Review one declaration (审核): each employee accepted or refused with its reason, the levy worked out."""
    _lock(declaration, by=by, allowed=OPEN_STATUSES)
    declarations_review(year=declaration.year, by=by, declarations=[declaration])
    return Declaration.objects.get(pk=declaration.pk)


@transaction.atomic
def declaration_decide(*, declaration: Declaration, by, on: date | None = None) -> Declaration:
    """Confirm a reviewed declaration and issue the decision (复核、出具决定书); not by its reviewer."""
    declaration = _lock(declaration, by=by, allowed={DeclarationStatus.REVIEWED})
    if declaration.reviewed_by_id == by.pk:
        raise ValidationError(_("审核人不能复核自己审核的申报，请由另一位工作人员复核。"))
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < declaration.declared_on:
        raise ValidationError(_("决定日期应在申报日期 %(d)s 和今天之间。") % {"d": declaration.declared_on})
    declaration.status, declaration.decided_by, declaration.decided_on = DeclarationStatus.DECIDED, by, on
    if declaration.levy > 0:
        declaration.due_on = on + timedelta(days=parameter_int("levy.payment_days", on=on))
    history_stamp(declaration, by=by, reason=_("复核并出具决定书"))
    declaration.save()
    return declaration


def amount_owed(declaration: Declaration, *, paid_on: date) -> tuple[Decimal, Decimal]:
    """The levy and the late-payment surcharge (滞纳金) owed if paid on a day."""
    surcharge = rules.late_surcharge(
        unpaid=declaration.levy, due_on=declaration.due_on or paid_on, paid_on=paid_on,
        per_mille=parameter_value("levy.late_surcharge_per_mille", on=paid_on))
    return declaration.levy, surcharge


@transaction.atomic
def declaration_payment_record(*, declaration: Declaration, by, paid_on: date, amount: Decimal) -> Declaration:
    """Record the employer's payment (缴款); it must cover the levy and any surcharge for paying late."""
    declaration = _lock(declaration, by=by, allowed={DeclarationStatus.DECIDED})
    if declaration.levy <= 0:
        raise ValidationError(_("这份申报无需缴纳保障金。"))
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("缴款日期不能晚于今天。")})
    if paid_on < declaration.decided_on:
        raise ValidationError({"paid_on": _("缴款日期不能早于决定日期 %(d)s。") % {"d": declaration.decided_on}})
    levy, surcharge = amount_owed(declaration, paid_on=paid_on)
    if amount != levy + surcharge:
        raise ValidationError({"amount": _("应缴 %(total)s 元（保障金 %(levy)s 元 + 滞纳金 %(surcharge)s 元），"
                                           "实缴金额应与之相等。") % {
            "total": rules.money(levy + surcharge), "levy": rules.money(levy), "surcharge": rules.money(surcharge)}})
    declaration.status, declaration.paid_on, declaration.paid_amount = DeclarationStatus.PAID, paid_on, amount
    declaration.surcharge = surcharge
    history_stamp(declaration, by=by, reason=_("登记缴款"))
    declaration.save()
    return declaration
