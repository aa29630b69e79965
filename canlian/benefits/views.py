"""Staff pages of benefits: applications (审核、审批), coverage, the monthly payroll, recoveries and the budget."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.accounts.decorators import payroll_staff_required, person_staff_required
from canlian.accounts.models import Role
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.benefits import payroll, selectors, services
from canlian.benefits.choices import Scheme
from canlian.benefits.forms import ApplicationForm, PayrollActionForm, PayrollBuildForm, ReconcileForm
from canlian.benefits.models import PayrollRun, Recovery
from canlian.common.forms import NoteForm, attach_errors
from canlian.common.worklists import WORKLIST_PER_PAGE, worklist_page
from canlian.exchange import exports
from canlian.registry.views import person_form_page, person_in_scope


@person_staff_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk: int):
    """Apply for a scheme on the person's behalf (代为申请)."""
    person = person_in_scope(request, pk)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    return person_form_page(
        request, form, person=person, title=_("申请补贴"), submit=_("提交申请"),
        done=lambda application: _("已提交%(scheme)s申请，社区审核时限至 %(due)s。") % {
            "scheme": application.get_scheme_display(), "due": application.due_on},
        run=lambda data: services.application_submit(person=person, by=request.user, **data))


_ACTIONS = {
    "review": lambda application, by, note: services.application_review(application=application, by=by, note=note),
    "approve": lambda application, by, note: services.application_approve(application=application, by=by, note=note),
    "reject": lambda application, by, note: services.application_reject(application=application, by=by, reason=note),
    "withdraw": lambda application, by, note: services.application_withdraw(application=application, by=by,
                                                                           reason=note),
    "info": lambda application, by, note: services.application_info_request(application=application, by=by,
                                                                           message=note),
}
_DONE = {"review": gettext_lazy("社区审核通过"), "approve": gettext_lazy("已批准"), "reject": gettext_lazy("已驳回"),
         "withdraw": gettext_lazy("已撤回"), "info": gettext_lazy("已请申请人补充材料")}


@person_staff_required
@require_http_methods(["GET", "POST"])
def applications(request):
    """Open applications in the user's areas, overdue ones first and marked (补贴申请审核审批)."""
    today = timezone.localdate()

    def make_form(application, data):
        return NoteForm(data, prefix=f"item{application.pk}",
                        label=_("意见（%(name)s）") % {"name": application.person.name},
                        required_message=_("请填写意见：审核、审批写“同意”等意见，驳回、撤回写明原因，补充材料写明要什么。"))

    def act(application, note):
        action = request.POST.get("action")
        if action not in _ACTIONS:
            raise ValidationError({"note": _("请选择要办理的操作。")})
        _ACTIONS[action](application, request.user, note)
        message = _("%(name)s 的%(scheme)s申请：%(done)s。") % {
            "name": application.person.name, "scheme": application.get_scheme_display(), "done": _DONE[action]}
        access_log_record(request=request, action=AccessLog.Action.EDIT, person=application.person, detail=message)
        return message

    return worklist_page(request, items=selectors.applications_open(user=request.user, on=today),
                         get=selectors.application_get, make_form=make_form, act=act,
                         template="benefits/applications.html", context={"today": today})


@person_staff_required
@require_GET
def coverage(request):
    """Who appears eligible but neither receives the benefit nor has applied (应保尽保), scheme by scheme."""
    today, scheme = timezone.localdate(), _scheme_tab(request)
    tabs = [{"scheme": choice.value, "label": choice.label, "current": choice.value == scheme,
             "count": selectors.coverage_gaps(user=request.user, scheme=choice.value, on=today).count()}
            for choice in Scheme]
    page = Paginator(selectors.coverage_gaps(user=request.user, scheme=scheme, on=today),
                     WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "benefits/coverage.html", {
        "tabs": tabs, "scheme_label": Scheme(scheme).label, "page": page, "today": today})


def _scheme_tab(request) -> str:
    return request.GET.get("scheme") if request.GET.get("scheme") in Scheme.values else Scheme.LIVING_ALLOWANCE


@person_staff_required
@require_http_methods(["GET", "POST"])
def eligible_list(request):
    """Who the rules accept today for each scheme, with the amount (享受名单及金额), and its XLSX for the department
    that pays the premium or the insurer (full ID numbers, so logged)."""
    today, scheme = timezone.localdate(), _scheme_tab(request)
    persons = selectors.eligible_with_amounts(user=request.user, scheme=scheme, on=today)
    if request.method == "POST":
        handle, count = payroll.eligible_xlsx(persons, scheme=Scheme(scheme).label, on=today)
        access_log_record(request=request, action=AccessLog.Action.EXPORT, reason=_("补贴名单"),
                          detail=_("%(scheme)s享受名单 %(day)s，%(n)d 人") % {
                              "scheme": Scheme(scheme).label, "day": today, "n": count})
        return FileResponse(handle, as_attachment=True, filename=exports.sheet_name(
            _("%(scheme)s名单_%(day)s.xlsx") % {"scheme": Scheme(scheme).label, "day": today.isoformat()}))
    totals = persons.aggregate(count=Count("pk"), total=Sum("amount"))
    page = Paginator(persons, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "benefits/eligible_list.html", {
        "tabs": [{"scheme": choice.value, "label": choice.label, "current": choice.value == scheme}
                 for choice in Scheme],
        "scheme": scheme, "scheme_label": Scheme(scheme).label, "page": page, "today": today, **totals})


@person_staff_required
@require_GET
def application_document(request, pk: int):
    """A supporting document, to officers of the person's area only; every opening is logged."""
    document = selectors.application_document_get(user=request.user, pk=pk)
    access_log_record(request=request, action=AccessLog.Action.VIEW, person_id=document.application.person_id,
                      detail=_("查看申请材料：%(name)s") % {"name": document.name})
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name,
                        content_type=document.content_type)


# --- monthly payroll (月度发放) -----------------------------------------------------------------------------


@payroll_staff_required
@require_http_methods(["GET", "POST"])
def payroll_list(request):
    """The runs of the user's areas, and the form that builds a month (生成发放表) for officers."""
    today = timezone.localdate()
    areas = request.user.areas.order_by("path")
    can_build = request.user.role == Role.FEDERATION_OFFICER
    form = PayrollBuildForm(request.POST or None, areas=areas,
                            initial={"month": f"{today:%Y-%m}", "area": areas.first()}) if can_build else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            run = services.payroll_run_build(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已生成 %(run)s 发放表草稿：%(n)d 人，%(total)s 元。请由另一位工作人员复核。") % {
                "run": run, "n": run.person_count, "total": f"{run.total_amount:.2f}"})
            return redirect("benefits:payroll_detail", pk=run.pk)
    page = Paginator(selectors.payroll_runs(user=request.user), WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "benefits/payroll_list.html", {"form": form, "page": page})


_RUN_ACTIONS = {
    "review": (lambda run, by, note: services.payroll_run_review(run=run, by=by, note=note), gettext_lazy("已复核")),
    "return": (lambda run, by, note: services.payroll_run_return(run=run, by=by, reason=note),
               gettext_lazy("已退回经办人")),
    "approve": (lambda run, by, note: services.payroll_run_approve(run=run, by=by, note=note),
                gettext_lazy("已审批，明细已锁定")),
}


@payroll_staff_required
@require_http_methods(["GET", "POST"])
def payroll_detail(request, pk: int):
    """One run: its totals against last month, by area, the lines (officers), those left out, and what the user
    may do next (复核、退回、审批、导出、对账)."""
    run = selectors.payroll_run_get(user=request.user, pk=pk)
    form = PayrollActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, note = form.cleaned_data["action"], form.cleaned_data["note"]
        try:
            _RUN_ACTIONS[action][0](run, request.user, note)
        except ValidationError as error:
            attach_errors(form, error, field_map={"__all__": "note"} if action == "return" else None)
        else:
            messages.success(request, _("%(run)s：%(done)s。") % {"run": run, "done": _RUN_ACTIONS[action][1]})
            return redirect("benefits:payroll_detail", pk=run.pk)
    return _payroll_detail_page(request, run, form=form, reconcile_form=ReconcileForm())


def _payroll_detail_page(request, run: PayrollRun, *, form, reconcile_form, status: int = 200):
    context = {"run": run, "form": form, "reconcile_form": reconcile_form, "State": PayrollRun.State,
               "previous": selectors.payroll_run_previous(run), "by_area": selectors.payroll_run_by_area(run),
               "has_errors": bool(form.errors or reconcile_form.errors)}
    if request.user.works_with_persons:  # leaders see the aggregates only
        context["lines"] = Paginator(selectors.payroll_lines(run), 50).get_page(request.GET.get("page"))
        left_out = selectors.payroll_left_out(run)
        context.update({"left_out": left_out[:50], "left_out_count": left_out.count()})
    return render(request, "benefits/payroll_detail.html", context, status=status)


@payroll_staff_required
@require_POST
def payroll_export(request, pk: int):
    """Download the bank file (代发文件) with full ID numbers and accounts; logged."""
    run = selectors.payroll_run_get(user=request.user, pk=pk)
    kind = request.POST.get("kind") if request.POST.get("kind") in {"xlsx", "csv"} else "xlsx"
    handle = tempfile.NamedTemporaryFile(suffix=f".{kind}")  # FileResponse closes, and so deletes, it
    try:
        run = services.payroll_run_export(run=run, by=request.user, kind=kind, target=Path(handle.name))
    except ValidationError as error:
        handle.close()
        messages.warning(request, " ".join(error.messages))
        return redirect("benefits:payroll_detail", pk=run.pk)
    access_log_record(request=request, action=AccessLog.Action.EXPORT, reason=_("银行代发"),
                      detail=_("银行代发文件 %(run)s（%(area)s）%(kind)s，%(n)d 人，%(total)s 元，校验码 %(sum)s") % {
                          "run": run, "area": run.area.name, "kind": kind.upper(), "n": run.person_count,
                          "total": f"{run.total_amount:.2f}", "sum": run.checksum[:16]})
    name = exports.sheet_name(_("代发_%(scheme)s_%(month)s_%(area)s.%(kind)s") % {
        "scheme": run.get_scheme_display(), "month": f"{run.month:%Y-%m}", "area": run.area.name, "kind": kind})
    return FileResponse(handle, as_attachment=True, filename=name)


@payroll_staff_required
@require_POST
def payroll_reconcile(request, pk: int):
    """对账: upload the bank's failed payments, or confirm that everything was paid."""
    run = selectors.payroll_run_get(user=request.user, pk=pk)
    form = ReconcileForm(request.POST, request.FILES)
    failures = []
    if form.is_valid() and form.cleaned_data["file"] and request.POST.get("all_paid") != "1":
        upload = form.cleaned_data["file"]
        with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix[:8]) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            returned = payroll.return_file_read(Path(handle.name), today=timezone.localdate())
        for row, message in returned.errors:
            form.add_error("file", _("第 %(row)d 行：%(m)s") % {"row": row, "m": message} if row else message)
        failures = returned.failures
    elif request.POST.get("all_paid") != "1":
        form.add_error("file", _("请上传银行回单中的发放失败名单；如果全部发放成功，请点“全部发放成功”。"))
    if not form.errors:
        try:
            run = services.payroll_run_reconcile(run=run, by=request.user, failures=failures)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
    if form.errors:
        return _payroll_detail_page(request, run, form=PayrollActionForm(), reconcile_form=form, status=400)
    messages.success(request, _("%(run)s 已对账：%(n)d 人发放失败，已转入下月补发。") % {"run": run, "n": len(failures)}
                     if failures else _("%(run)s 已对账：全部发放成功。") % {"run": run})
    return redirect("benefits:payroll_detail", pk=run.pk)


@payroll_staff_required
@require_GET
def reconcile_template(request):
    return HttpResponse(payroll.return_template(), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": content_disposition_header(True, _("银行回单模板.csv"))})


# --- recoveries (追缴) and the budget -----------------------------------------------------------------------


@person_staff_required
@require_http_methods(["GET", "POST"])
def recoveries(request):
    """Months paid after a stop, to recover or (a federation officer) to write off with the reason (追缴)."""

    def make_form(recovery, data):
        return NoteForm(data, prefix=f"item{recovery.pk}",
                        label=_("办结说明（%(name)s）") % {"name": recovery.person.name},
                        required_message=_("请填写办结说明：追回的收据号或核销的理由。"))

    def act(recovery, note):
        state = request.POST.get("action", "")
        services.recovery_settle(recovery=recovery, by=request.user, state=state, note=note)
        message = _("%(name)s %(month)s 的 %(amount)s 元：%(done)s。") % {
            "name": recovery.person.name, "month": f"{recovery.line.for_month:%Y-%m}",
            "amount": recovery.amount, "done": Recovery.State(state).label}
        access_log_record(request=request, action=AccessLog.Action.EDIT, person=recovery.person, detail=message)
        return message

    return worklist_page(request, items=selectors.recoveries_open(user=request.user), get=selectors.recovery_get,
                         make_form=make_form, act=act, template="benefits/recoveries.html", context={})


@payroll_staff_required
@require_GET
def budget(request):
    """This year's cost of the monthly schemes to date and the projection to December (aggregates only)."""
    today = timezone.localdate()
    return render(request, "benefits/budget.html", {
        "year": today.year, "today": today, **selectors.benefits_budget(user=request.user, year=today.year)})
