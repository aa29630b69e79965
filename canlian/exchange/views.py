"""Staff pages of the data exchange (数据交换): import lists, review what they found, export the registry."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.accounts.decorators import person_staff_required
from canlian.accounts.scope import scoped_areas
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import NoteForm, attach_errors
from canlian.common.masking import mask_id_number
from canlian.common.worklists import worklist_page
from canlian.exchange import exports, selectors, services, tasks
from canlian.exchange.forms import ExportForm, ReviewFilterForm, UploadForm
from canlian.exchange.models import ImportBatch, MatchOutcome, StatusProposal
from canlian.exchange.sources import SOURCES

State = ImportBatch.State
BATCHES_PER_PAGE = 25
PROBLEMS_PER_PAGE = 50
_ID_LIKE = re.compile(r"^(\d{15}|\d{17}[\dXx]\w*)$")


def _source_label(key: str) -> str:
    return str(SOURCES[key].label) if key in SOURCES else key


def _areas(request):
    return scoped_areas(request.user).order_by("path")


def _first_area(request):
    return request.user.areas.order_by("path").first()


# --- batches --------------------------------------------------------------------------------------


@person_staff_required
@require_GET
def batch_list(request):
    """The lists brought in for the user's areas, newest first (数据导入)."""
    batches = selectors.batch_queryset(user=request.user).select_related("department")
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    for batch in page.object_list:
        batch.source_label = _source_label(batch.source)
    return render(request, "exchange/batch_list.html", {"page": page, "counts": selectors.worklist_counts(
        user=request.user)})


def _source_guide() -> list[dict]:
    """Each source with its columns, as the upload page explains them (导入说明)."""
    return [{
        "key": key, "label": source.label, "department": source.department, "description": source.description,
        "columns": [{"label": column.label, "synonyms": "、".join(column.synonyms), "required": column.required}
                    for column in source.columns],
    } for key, source in SOURCES.items()]


def _radio_options(bound, options) -> list[dict]:
    """Radios for a choice field; the first takes the field's id so the error summary's link lands on it."""
    value = bound.value()
    return [{"id": bound.auto_id if index == 0 else f"{bound.auto_id}_{key}", "value": key, "label": label,
             "hint": hint, "checked": value is not None and str(value) == key}
            for index, (key, label, hint) in enumerate(options)]


@person_staff_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    """Upload a department's list; validation (a dry run) is queued and the batch page shows its progress."""
    form = UploadForm(request.POST or None, request.FILES or None, areas=_areas(request),
                      initial={"area": _first_area(request), "list_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        try:
            batch = services.import_batch_create(by=request.user, source=data["source"], area=data["area"],
                                                 list_date=data["list_date"], chunks=upload.chunks(),
                                                 file_name=upload.name)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            tasks.enqueue_validation(batch)
            return redirect("exchange:batch_detail", pk=batch.pk)
    sources = [(key, source.label, f"{source.department}。{source.description}" if source.description
                else source.department) for key, source in SOURCES.items()]
    return render(request, "exchange/batch_new.html", {
        "form": form, "guide": _source_guide(), "source_options": _radio_options(form["source"], sources)})


@person_staff_required
@require_GET
def source_template(request, source: str):
    """An empty list to fill in: the header row of a source's column labels (导入模板)."""
    if source not in SOURCES:
        raise Http404
    label = str(SOURCES[source].label)
    return FileResponse(exports.source_template(SOURCES[source]), as_attachment=True,
                        filename=exports.sheet_name(_("导入模板_%(s)s.xlsx") % {"s": label}))


def _shown_value(value) -> str:
    """A cell as shown on screen: anything that looks like an ID number is masked (the report has it in full)."""
    text = "" if value is None else str(value)
    return mask_id_number(text) if _ID_LIKE.match(text.strip()) else text


def _problem_lines(rows) -> list[dict]:
    return [{"row_number": row.row_number, "column": problem.get("column", ""),
             "value": _shown_value(problem.get("value", "")), "message": problem.get("message", "")}
            for row in rows for problem in (row.problems or [])]


@person_staff_required
@require_GET
def batch_detail(request, pk: int):
    """One batch: its progress, what validation found (and what commit would change), or what it changed."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    context = {"batch": batch, "source": SOURCES.get(batch.source), "source_label": _source_label(batch.source),
               "State": State}
    if batch.state in {State.VALIDATED, State.COMMITTED}:
        page = Paginator(selectors.batch_problem_rows(batch), PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
        matches = selectors.batch_match_counts(batch)
        context.update({
            "problems": page, "problem_lines": _problem_lines(page.object_list),
            "matches": [(MatchOutcome(outcome).label, outcome, n) for outcome, n in matches.items()],
            "match_total": sum(matches.values()),
        })
    if batch.state == State.COMMITTED:
        context["worklists"] = selectors.batch_worklist_counts(batch)
    return render(request, "exchange/batch_detail.html", context)


@person_staff_required
@require_GET
def batch_progress(request, pk: int):
    """The batch's state and progress as JSON, for the page's progress bar."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    return JsonResponse({"state": batch.state, "state_label": str(batch.get_state_display()),
                         "processed_rows": batch.processed_rows, "total_rows": batch.total_rows,
                         "percent": batch.percent, "done": not batch.is_busy})


@person_staff_required
@require_POST
def batch_commit(request, pk: int):
    """Apply a validated batch (确认导入); the work runs in the background."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        tasks.enqueue_commit(batch, by=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return redirect("exchange:batch_detail", pk=batch.pk)
    batch.refresh_from_db()
    if batch.state == State.COMMITTED:
        messages.success(request, _("已导入：新增 %(new)d，变更 %(changed)d，终止 %(ended)d，无变化 %(same)d。") % {
            "new": batch.new_count, "changed": batch.changed_count, "ended": batch.ended_count,
            "same": batch.unchanged_count})
    elif batch.state == State.VALIDATED and batch.message:
        messages.warning(request, batch.message)
    else:
        messages.success(request, _("已提交导入，正在后台处理。稍后刷新本页查看结果。"))
    return redirect("exchange:batch_detail", pk=batch.pk)


@person_staff_required
@require_POST
def batch_discard(request, pk: int):
    """Give up a validated batch (放弃此批次): nothing was applied."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        services.import_discard(batch=batch, by=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("已放弃此批次，没有修改任何数据。"))
    return redirect("exchange:batch_detail", pk=batch.pk)


@person_staff_required
@require_GET
def batch_errors(request, pk: int):
    """The error report (错误报告) to send back to the department: every bad row with its cells (logged)."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    if batch.state not in {State.VALIDATED, State.COMMITTED}:
        raise Http404
    handle, lines = exports.error_report(batch, selectors.batch_problem_rows(batch))
    access_log_record(request=request, action=AccessLog.Action.EXPORT,
                      detail=_("导入批次 #%(id)d 错误报告（%(n)d 条问题）") % {"id": batch.pk, "n": lines})
    return FileResponse(handle, as_attachment=True, filename=_("批次%(id)d_错误报告.xlsx") % {"id": batch.pk})


# --- worklists ------------------------------------------------------------------------------------


@person_staff_required
@require_http_methods(["GET", "POST"])
def match_reviews(request):
    """List rows that did not match the registry cleanly, for officers to work through (比对核查)."""
    filters = ReviewFilterForm(request.GET or None)
    items = selectors.match_reviews_open(user=request.user)
    batch = None
    if filters.is_valid():
        if filters.cleaned_data["outcome"]:
            items = items.filter(outcome=filters.cleaned_data["outcome"])
        if filters.cleaned_data["batch"]:
            batch = selectors.batch_get(user=request.user, pk=filters.cleaned_data["batch"])
            items = items.filter(batch=batch)

    def make_form(review, data):
        return NoteForm(data, prefix=f"item{review.pk}",
                        label=_("处理说明（批次 #%(b)d 第 %(r)d 行）") % {"b": review.batch_id, "r": review.row_number},
                        required_message=_("请填写处理说明，例如“已通知民政局更正身份证号”。"))

    def act(review, note):
        services.match_review_resolve(review=review, by=request.user, note=note)
        return _("已处理：批次 #%(b)d 第 %(r)d 行。") % {"b": review.batch_id, "r": review.row_number}

    def decorate(review):
        review.batch.source_label = _source_label(review.batch.source)

    return worklist_page(request, items=items, get=selectors.match_review_get, make_form=make_form, act=act,
                     template="exchange/reviews.html", context={"filters": filters, "filter_batch": batch},
                     decorate=decorate)


@person_staff_required
@require_http_methods(["GET", "POST"])
def status_proposals(request):
    """Deaths and moves other departments reported, for an officer to confirm or reject (状态变更核实)."""

    def make_form(proposal, data):
        return NoteForm(data, prefix=f"item{proposal.pk}",
                        label=_("核实说明（%(name)s）") % {"name": proposal.person.name},
                        required_message=_("请填写核实情况，例如“已电话联系家属核实”。"))

    def act(proposal, note):
        decision = request.POST.get("decision")
        if decision not in {"confirm", "reject"}:
            raise ValidationError({"note": _("请选择“确认”或“驳回”。")})
        proposal = services.status_proposal_decide(proposal=proposal, by=request.user, confirm=decision == "confirm",
                                                   note=note)
        if proposal.state == StatusProposal.State.CONFIRMED:
            message = _("已确认：%(name)s %(status)s（%(since)s）。") % {
                "name": proposal.person.name, "status": proposal.get_status_display(), "since": proposal.since}
        else:
            message = _("已驳回：%(name)s 的%(status)s报告。") % {
                "name": proposal.person.name, "status": proposal.get_status_display()}
        access_log_record(request=request, action=AccessLog.Action.EDIT, person=proposal.person, detail=message)
        return message

    return worklist_page(request, items=selectors.status_proposals_pending(user=request.user).select_related(
                         "person__residence_area"),
                     get=selectors.status_proposal_get, make_form=make_form, act=act,
                     template="exchange/proposals.html", context={})


@person_staff_required
@require_http_methods(["GET", "POST"])
def child_screenings(request):
    """Screened children not in the registry, followed up for early intervention (残疾儿童筛查跟进)."""
    today = timezone.localdate()

    def make_form(screening, data):
        return NoteForm(data, prefix=f"item{screening.pk}",
                        label=_("跟进结果（%(name)s）") % {"name": screening.name},
                        required_message=_("请填写跟进结果，例如“已转介康复机构评估”。"))

    def act(screening, note):
        services.child_screening_close(screening=screening, by=request.user, note=note)
        return _("已结案：%(name)s。") % {"name": screening.name}

    return worklist_page(request, items=selectors.child_screenings_open(user=request.user),
                     get=selectors.child_screening_get, make_form=make_form, act=act,
                     template="exchange/screenings.html", context={"today": today})


# --- exports --------------------------------------------------------------------------------------


@person_staff_required
@require_http_methods(["GET", "POST"])
def registry_export(request):
    """The registry of an area for the regional/national systems, as XLSX or JSON, with full IDs (logged)."""
    form = ExportForm(request.POST or None, areas=_areas(request),
                      initial={"area": _first_area(request), "format": "xlsx"})
    if request.method == "POST" and form.is_valid():
        area, kind, reason = form.cleaned_data["area"], form.cleaned_data["format"], form.cleaned_data["reason"]
        persons = exports.registry_persons(user=request.user, area=area)
        name = _("残疾人名册_%(area)s_%(code)s_%(day)s") % {
            "area": area.name, "code": area.code, "day": timezone.localdate().isoformat()}
        if kind == "json":
            count = persons.count()
            response = StreamingHttpResponse(exports.registry_json(persons),
                                             content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = content_disposition_header(True, f"{exports.sheet_name(name)}.json")
        else:
            handle, count = exports.registry_xlsx(persons)
            response = FileResponse(handle, as_attachment=True, filename=f"{exports.sheet_name(name)}.xlsx")
        access_log_record(request=request, action=AccessLog.Action.EXPORT, reason=reason,
                          detail=_("残疾人名册 %(area)s（%(code)s）%(kind)s，%(n)d 人") % {
                              "area": area.name, "code": area.code, "kind": kind.upper(), "n": count})
        return response
    return render(request, "exchange/export.html", {
        "form": form, "format_options": _radio_options(form["format"], [(key, label, "") for key, label in
                                                                          ExportForm.FORMATS])})
