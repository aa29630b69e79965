"""Pages of employment: the employment rate and worklists, employers, the annual review, the public levy calculator."""

import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from canlian.accounts.decorators import aggregate_staff_required, levy_staff_required, person_staff_required
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import attach_errors
from canlian.common.spreadsheets import SpreadsheetError
from canlian.common.views import year_asked
from canlian.common.worklists import WORKLIST_PER_PAGE
from canlian.employment import letters, review, selectors, services, sheets
from canlian.employment.choices import DeclarationStatus
from canlian.employment.forms import (
    DeclarationForm,
    EmployeeForm,
    EmployerForm,
    EmploymentRecordForm,
    LevyCalculatorForm,
    PaymentForm,
)
from canlian.employment.selectors import PLAN_END, PLAN_START
from canlian.parameters.selectors import parameter_int
from canlian.registry.views import person_form_page, person_in_scope


def _day(request) -> date:
    """The "as of" day from ?on=YYYY-MM-DD, today when absent or unreadable."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return today
    return day if date(2000, 1, 1) <= day <= today else today


@aggregate_staff_required
@require_GET
def overview(request):
    """就业概况: the employment rate as of a day, by form and by area; the plan's "50 + 50" progress."""
    on = _day(request)
    return render(request, "employment/overview.html", {
        "on": on, "rate": selectors.employment_rate(user=request.user, on=on),
        "by_form": selectors.employment_by_form(user=request.user, on=on),
        "by_area": selectors.employment_by_area(user=request.user, on=on),
        "plan": selectors.plan_progress(user=request.user, since=PLAN_START, until=PLAN_END),
        "plan_jobs": parameter_int("employment.plan_new_jobs", on=PLAN_END),
        "plan_businesses": parameter_int("employment.plan_new_businesses", on=PLAN_END),
        "plan_start": PLAN_START, "plan_end": PLAN_END, "baseline": date(2022, 12, 31)})


def _worklist(request, select, template: str):
    today = timezone.localdate()
    page = Paginator(select(user=request.user, on=today), WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, "today": today})


@person_staff_required
@require_GET
def job_seekers(request):
    """有就业意愿的未就业人员 and graduates needing a plan (一人一策)."""
    return _worklist(request, selectors.job_seekers, "employment/job_seekers.html")


@person_staff_required
@require_GET
def zero_employment_households(request):
    """零就业家庭."""
    return _worklist(request, selectors.zero_employment_households, "employment/zero_households.html")


@person_staff_required
@require_http_methods(["GET", "POST"])
def employment_record_add(request, pk: int):
    """Record a person's employment status (就业状态登记)."""
    person = person_in_scope(request, pk)
    form = EmploymentRecordForm(request.POST or None)
    return person_form_page(
        request, form, person=person, title=_("登记就业状态"), submit=_("保存"),
        done=lambda record: _("已登记就业状态：%(s)s（%(d)s 起）。") % {"s": record.status_label, "d": record.started_on},
        run=lambda data: services.employment_record_add(person=person, by=request.user, **data))


# ---- Employers and the annual review -----------------------------------------------------------------------

@levy_staff_required
@require_GET
def employers(request):
    """用人单位 and their review for a year; the lists of those who did not declare or did not pay."""
    year, show = year_asked(request, ahead=1), request.GET.get("show", "")
    if show == "not_declared":
        rows = selectors.employers_not_declared(user=request.user, year=year)
    else:
        rows = selectors.employers(user=request.user).order_by("area__code", "name")
    unpaid = selectors.declarations_unpaid(user=request.user, year=year) if show == "unpaid" else None
    page = Paginator(unpaid if unpaid is not None else rows, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    if unpaid is None:
        declared = {d.employer_id: d for d in selectors.declarations(user=request.user).filter(
            year=year, employer__in=list(page.object_list))}
        for employer in page:
            employer.declaration = declared.get(employer.pk)
    return render(request, "employment/employers.html", {
        "year": year, "show": show, "page": page, "unpaid": unpaid, "today": timezone.localdate(),
        "summary": selectors.review_year_summary(user=request.user, year=year),
        "years": range(timezone.localdate().year + 1, 2019, -1)})


def _employer_form_page(request, *, employer=None):
    initial = {} if employer is None else {
        "uscc_code": employer.uscc, "name": employer.name, "kind": employer.kind, "area": employer.area,
        "address": employer.address, "contact_name": employer.contact_name, "contact_phone": employer.contact_phone}
    form = EmployerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_save(by=request.user, employer=employer, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, field_map={"uscc": "uscc_code"})
        else:
            messages.success(request, _("已保存用人单位：%(name)s。") % {"name": employer.name})
            return redirect("employment:employer_detail", pk=employer.pk)
    return render(request, "employment/employer_form.html", {"form": form, "employer": employer})


@levy_staff_required
@require_http_methods(["GET", "POST"])
def employer_create(request):
    return _employer_form_page(request)


@levy_staff_required
@require_http_methods(["GET", "POST"])
def employer_edit(request, pk: int):
    return _employer_form_page(request, employer=selectors.employer_get(user=request.user, pk=pk))


@levy_staff_required
@require_http_methods(["GET", "POST"])
def employer_detail(request, pk: int):
    """An employer, its declarations, and the form for a new declaration (录入年审申报)."""
    employer = selectors.employer_get(user=request.user, pk=pk)
    form = DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("employees_file")
        rows = _read_employees(upload, form) if upload else []
        if not form.errors:
            try:
                declaration = services.declaration_submit(employer=employer, by=request.user, employees=rows, **data)
            except ValidationError as error:
                attach_errors(form, error, field_map={"employees": "employees_file"})
            else:
                messages.success(request, _("已录入 %(year)s 年度年审申报，残疾职工 %(n)d 人。") % {
                    "year": declaration.year, "n": len(rows)})
                return redirect("employment:declaration_detail", pk=declaration.pk)
    return render(request, "employment/employer_detail.html", {
        "employer": employer, "form": form, "declarations": employer.declarations.order_by("-year")},
        status=400 if form.errors else 200)


def _read_employees(upload, form) -> list[services.EmployeeRow]:
    """The employees of an uploaded list; each bad row is reported at the file field, and nothing is kept."""
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix[:8]) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            rows, errors = sheets.employees_read(Path(handle.name))
        except SpreadsheetError as error:
            form.add_error("employees_file", str(error))
            return []
    for message in errors:
        form.add_error("employees_file", message)
    return rows


@levy_staff_required
@require_http_methods(["GET", "POST"])
def declaration_detail(request, pk: int):
    """A declaration: each employee accepted or refused with the reason, the levy step by step, and the actions."""
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    employee_form, payment_form = EmployeeForm(prefix="employee"), PaymentForm(prefix="payment")
    upload_form = DeclarationUploadForm(prefix="upload")
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            done = _declaration_act(request, declaration, action)
        except _FormRefused as refused:
            employee_form = refused.forms.get("employee", employee_form)
            payment_form = refused.forms.get("payment", payment_form)
            upload_form = refused.forms.get("upload", upload_form)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("employment:declaration_detail", pk=declaration.pk)
        else:
            messages.success(request, done)
            return redirect("employment:declaration_detail", pk=declaration.pk)
    has_errors = any(f.errors for f in (employee_form, payment_form, upload_form))
    today, owed = timezone.localdate(), None
    if declaration.status == DeclarationStatus.DECIDED and declaration.levy:
        levy, surcharge = services.amount_owed(declaration, paid_on=today)
        owed = {"levy": levy, "surcharge": surcharge, "total": levy + surcharge}
    return render(request, "employment/declaration_detail.html", {
        "declaration": declaration, "employees": selectors.declaration_employees(declaration),
        "employee_form": employee_form, "payment_form": payment_form, "upload_form": upload_form,
        "has_errors": has_errors, "Status": DeclarationStatus, "owed": owed, "today": today,
        "steps": services.declaration_levy(declaration).steps if declaration.levy_parameters else None,
        "can_edit": declaration.status in services.OPEN_STATUSES,
        "self_reviewed": declaration.reviewed_by_id == request.user.pk},
        status=400 if has_errors else 200)


class _FormRefused(Exception):
    def __init__(self, **forms):
        self.forms = forms


def _declaration_act(request, declaration, action: str) -> str:
    by = request.user
    if action == "add_employee":
        form = EmployeeForm(request.POST, prefix="employee")
        if not form.is_valid():
            raise _FormRefused(employee=form)
        try:
            row = services.employee_row_clean(**form.cleaned_data)
            services.declaration_employees_add(declaration=declaration, by=by, employees=[row])
        except ValidationError as error:
            attach_errors(form, error, field_map={"employees": "certificate_number"})
            raise _FormRefused(employee=form) from None
        return _("已添加残疾职工 %(name)s，请重新审核。") % {"name": row.name}
    if action == "upload":
        form = DeclarationUploadForm(request.POST, request.FILES, prefix="upload")
        if not form.is_valid():
            raise _FormRefused(upload=form)
        rows = _read_employees(form.cleaned_data["employees_file"], form)
        if form.errors:
            raise _FormRefused(upload=form)
        try:
            added = services.declaration_employees_add(declaration=declaration, by=by, employees=rows)
        except ValidationError as error:
            attach_errors(form, error, field_map={"employees": "employees_file"})
            raise _FormRefused(upload=form) from None
        return _("已从名单添加 %(n)d 名残疾职工，请重新审核。") % {"n": added}
    if action == "remove_employee":
        chosen = request.POST.get("employee", "")
        employee = selectors.declaration_employees(declaration).filter(pk=chosen).first() \
            if chosen.isascii() and chosen.isdecimal() else None
        if employee is None:
            raise ValidationError(_("名单中没有这名职工（可能已被删除）。"))
        services.declaration_employee_remove(employee=employee, by=by)
        return _("已从名单删除 %(name)s，请重新审核。") % {"name": employee.name}
    if action == "review":
        declaration = services.declaration_review(declaration=declaration, by=by)
        return _("审核完成：计入残疾职工 %(n)s 人，应缴保障金 %(levy)s 元。请另一位工作人员复核。") % {
            "n": declaration.counted, "levy": declaration.levy}
    if action == "decide":
        declaration = services.declaration_decide(declaration=declaration, by=by)
        return _("已复核并出具决定书。") if not declaration.due_on else _(
            "已复核并出具决定书，缴款期限 %(due)s。") % {"due": declaration.due_on}
    if action == "pay":
        form = PaymentForm(request.POST, prefix="payment")
        if not form.is_valid():
            raise _FormRefused(payment=form)
        try:
            services.declaration_payment_record(declaration=declaration, by=by, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
            raise _FormRefused(payment=form) from None
        return _("已登记缴款。")
    raise ValidationError(_("请选择要办理的操作。"))


class DeclarationUploadForm(DeclarationForm):
    """Only the list file of DeclarationForm, for adding employees to a filed declaration."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name != "employees_file":
                del self.fields[name]
        self.fields["employees_file"].required = True
        self.fields["employees_file"].label = _("残疾职工名单")
        self.fields["employees_file"].error_messages["required"] = _("请选择名单文件（XLSX 或 CSV）。")


@levy_staff_required
@require_GET
def declaration_letter(request, pk: int):
    """The decision letter (残疾人就业保障金审核决定书) as PDF, once the review is confirmed."""
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    if declaration.status not in (DeclarationStatus.DECIDED, DeclarationStatus.PAID):
        messages.warning(request, _("复核并出具决定书后才能下载决定书。"))
        return redirect("employment:declaration_detail", pk=declaration.pk)
    access_log_record(request=request, action=AccessLog.Action.EXPORT, reason=_("年审决定书"),
                      detail=_("下载决定书：%(d)s") % {"d": declaration})
    return HttpResponse(letters.decision_letter_pdf(declaration), content_type="application/pdf", headers={
        "Content-Disposition": content_disposition_header(False, _("决定书_%(employer)s_%(year)s.pdf") % {
            "employer": declaration.employer.name, "year": declaration.year})})


@levy_staff_required
@require_GET
def employees_template(request):
    """The declaration list's template, as XLSX with its headers and one example row."""
    return HttpResponse(sheets.employees_template(), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": content_disposition_header(True, _("残疾职工名单模板.xlsx"))})


# ---- The public calculator ---------------------------------------------------------------------------------

@require_GET
def levy_calculator(request):
    """保障金测算: a public page where an employer works out its levy before declaring (no login)."""
    form = LevyCalculatorForm(request.GET if "staff_count" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = review.levy_estimate(**form.cleaned_data)
    return render(request, "employment/levy_calculator.html", {
        "form": form, "result": result, "has_errors": bool(form.is_bound and form.errors)},
        status=400 if form.is_bound and form.errors else 200)
