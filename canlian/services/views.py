"""Pages of needs and services: the survey visit, the needs worklist, referrals and service records, coverage,
coordinators and children's rehabilitation cases."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.accounts.decorators import person_staff_required
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import NoteForm, attach_errors
from canlian.common.views import year_asked
from canlian.common.worklists import WORKLIST_PER_PAGE
from canlian.exchange import exports
from canlian.registry.views import person_in_scope
from canlian.services import exports as service_exports
from canlian.services import selectors, services
from canlian.services.choices import SERVICE_FOR_NEED, NeedKind
from canlian.services.forms import (
    FinishForm,
    ModificationApplyForm,
    ModificationStepForm,
    ServiceForm,
    VisitStartForm,
)
from canlian.services.models import SurveyVisit
from canlian.services.survey import SECTION_BY_KEY, section_form


def _page(request, items):
    return Paginator(items, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))


@person_staff_required
@require_GET
def needs(request):
    """我区域的需求: live needs by type, overdue referrals first (转介超期)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in NeedKind.values else ""
    counts = dict(selectors.needs_live(user=request.user).order_by().values_list("kind").annotate(n=Count("pk")))
    tabs = [{"kind": value, "label": label, "count": counts.get(value, 0)} for value, label in NeedKind.choices]
    return render(request, "services/needs.html", {
        "page": _page(request, selectors.needs_live(user=request.user, kind=kind)), "tabs": tabs, "kind": kind,
        "today": timezone.localdate(), "total": sum(counts.values()),
        "without_service": selectors.needs_without_service(user=request.user).count()})


@person_staff_required
@require_http_methods(["GET", "POST"])
def need_detail(request, pk: int):
    """One need: refer it to a service (转介), or close it with the reason."""
    need = selectors.need_get(user=request.user, pk=pk)
    # A need with no service type of its own (就业帮扶) is followed on the employment pages and closed here.
    kinds = [SERVICE_FOR_NEED[need.kind]] if need.kind in SERVICE_FOR_NEED else None
    refer_form = ServiceForm(prefix="refer", kinds=kinds, initial={"referred_on": timezone.localdate()}) \
        if kinds else None
    close_form = NoteForm(prefix="close", label=_("关闭原因"), required_message=_("请填写关闭原因。"))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "refer" and refer_form is not None:
            refer_form = ServiceForm(request.POST, prefix="refer", kinds=kinds)
            if refer_form.is_valid():
                try:
                    service = services.service_record_add(person=need.person, by=request.user, need=need,
                                                          **refer_form.cleaned_data)
                except ValidationError as error:
                    attach_errors(refer_form, error, field_map={"kind": "service", "subtype": "service"})
                else:
                    _logged(request, need.person, _("转介：%(n)s → %(s)s") % {
                        "n": need.get_kind_display(), "s": service.subtype_label})
                    return redirect("services:need_detail", pk=need.pk)
        elif action == "close":
            close_form = NoteForm(request.POST, prefix="close", label=_("关闭原因"),
                                  required_message=_("请填写关闭原因。"))
            if close_form.is_valid():
                try:
                    services.need_close(need=need, by=request.user, note=close_form.cleaned_data["note"])
                except ValidationError as error:
                    attach_errors(close_form, error)
                else:
                    _logged(request, need.person, _("关闭需求：%(n)s") % {"n": need.get_kind_display()})
                    return redirect("services:need_detail", pk=need.pk)
    has_errors = bool((refer_form and refer_form.errors) or close_form.errors)
    _viewed(request, need.person, _("查看需求：%(k)s") % {"k": need.get_kind_display()})
    return render(request, "services/need_detail.html", {
        "need": need, "services": need.services.select_related("provider", "product"), "refer_form": refer_form,
        "close_form": close_form, "has_errors": has_errors}, status=400 if has_errors else 200)


def _viewed(request, person, detail: str) -> None:
    if request.method == "GET":  # a post is logged by what it did
        access_log_record(request=request, action=AccessLog.Action.VIEW, person=person, detail=detail)


def _logged(request, person, message: str) -> None:
    access_log_record(request=request, action=AccessLog.Action.EDIT, person=person, detail=message)
    messages.success(request, message)


@person_staff_required
@require_http_methods(["GET", "POST"])
def service_detail(request, pk: int):
    """A service record, and its start, end and outcome (服务结果)."""
    service = selectors.service_get(user=request.user, pk=pk)
    form = FinishForm(request.POST or None, initial={
        "started_on": service.started_on or timezone.localdate(), "ended_on": service.ended_on,
        "outcome": service.outcome, "cost": service.cost, "subsidy": service.subsidy})
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_record_finish(service=service, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            _logged(request, service.person, _("更新服务：%(s)s（%(o)s）") % {
                "s": service.subtype_label, "o": service.get_outcome_display()})
            return redirect("services:service_detail", pk=service.pk)
    _viewed(request, service.person, _("查看服务记录：%(s)s") % {"s": service.subtype_label})
    return render(request, "services/service_detail.html", {"service": service, "form": form},
                  status=400 if form.errors else 200)


@person_staff_required
@require_http_methods(["GET", "POST"])
def service_create(request, pk: int):
    """Record a service for a person directly (e.g. a federation activity, a device repair)."""
    person = person_in_scope(request, pk)
    form = ServiceForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_record_add(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, field_map={"kind": "service", "subtype": "service"})
        else:
            _logged(request, person, _("登记服务：%(s)s") % {"s": service.subtype_label})
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/simple_form.html", {
        "form": form, "person": person, "title": _("登记服务"), "submit": _("保存")},
        status=400 if form.errors else 200)


# ---- The survey visit --------------------------------------------------------------------------------------

def _visit_of(request, person) -> SurveyVisit | None:
    """The visit of the year asked (?year=, this year by default): a visit entered late for last year stays in reach."""
    return person.survey_visits.filter(year=year_asked(request)).first()


def _to_visit(person, year: int):
    response = redirect("services:survey_visit", pk=person.pk)
    response["Location"] += f"?year={year}"
    return response


@person_staff_required
@require_http_methods(["GET", "POST"])
def survey_visit(request, pk: int):
    """This year's visit: start it, see which sections are saved, and finish it (完成调查)."""
    person = person_in_scope(request, pk)
    visit = _visit_of(request, person)
    start_form = VisitStartForm(request.POST if request.POST.get("action") == "start" else None,
                                initial={"visited_on": timezone.localdate()})
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start" and start_form.is_valid():
                visit = services.survey_visit_start(person=person, by=request.user, **start_form.cleaned_data)
                return _to_visit(person, visit.year)
            if request.POST.get("action") == "complete" and visit is not None:
                opened = services.survey_visit_complete(visit=visit, by=request.user)
                _logged(request, person, _("完成入户调查，发现 %(n)d 项需求。") % {"n": len(opened)})
                return _to_visit(person, visit.year)
        except ValidationError as error:
            if request.POST.get("action") == "start":
                attach_errors(start_form, error)
            else:
                errors = error.messages
    _viewed(request, person, _("查看入户调查"))
    sections = selectors.sections_for(person, on=visit.visited_on if visit else timezone.localdate())
    return render(request, "services/survey_visit.html", {
        "person": person, "visit": visit, "start_form": start_form, "errors": errors,
        "sections": [(section, visit is not None and section.key in visit.answers) for section in sections],
        "has_errors": bool(errors or start_form.errors)}, status=400 if errors or start_form.errors else 200)


@person_staff_required
@require_http_methods(["GET", "POST"])
def survey_section(request, pk: int, section: str):
    """One section of the visit on its own page, saved on its own (a dropped connection loses one page at most)."""
    person = person_in_scope(request, pk)
    visit = _visit_of(request, person)
    spec = SECTION_BY_KEY.get(section)
    if visit is None or spec is None:
        raise Http404
    form = section_form(spec, request.POST or None, initial=visit.answers.get(section))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_section_save(visit=visit, by=request.user, section=section, data=request.POST)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已保存：%(s)s。") % {"s": spec.title})
            following = _next_section(person, visit, section)
            if not following:
                return _to_visit(person, visit.year)
            response = redirect("services:survey_section", pk=person.pk, section=following)
            response["Location"] += f"?year={visit.year}"
            return response
    _viewed(request, person, _("查看入户调查：%(s)s") % {"s": spec.title})
    return render(request, "services/survey_section.html", {
        "person": person, "visit": visit, "section": spec, "form": form}, status=400 if form.errors else 200)


def _next_section(person, visit, current: str) -> str | None:
    keys = [s.key for s in selectors.sections_for(person, on=visit.visited_on)]
    later = keys[keys.index(current) + 1:] if current in keys else []
    return next((key for key in later if key not in visit.answers), None)


@person_staff_required
@require_GET
def survey_progress(request):
    """入户调查进度: visited / due per area this year, and who is still to visit."""
    today = timezone.localdate()
    return render(request, "services/survey_progress.html", {
        "today": today, "rows": selectors.survey_progress(user=request.user, on=today),
        "page": _page(request, selectors.survey_not_visited(user=request.user, on=today))})


# ---- Coverage, coordinators, children ----------------------------------------------------------------------

@person_staff_required
@require_GET
def coverage(request):
    """康复服务率 and 辅助器具适配率 per area for a year, read off the records."""
    year = year_asked(request)
    return render(request, "services/coverage.html", {
        "year": year, "years": range(timezone.localdate().year, 2019, -1),
        "tables": [(_("基本康复服务率"), selectors.coverage_by_area(user=request.user, what="rehabilitation", year=year)),
                   (_("辅助器具适配率"), selectors.coverage_by_area(user=request.user, what="assistive_device",
                                                              year=year))]})


@person_staff_required
@require_GET
def coordinators(request):
    """康复协调员: persons per coordinator in each area against the 80–150 band."""
    today = timezone.localdate()
    return render(request, "services/coordinators.html", {
        "today": today, "rows": selectors.coordinators_by_area(user=request.user, on=today)})


@person_staff_required
@require_http_methods(["GET", "POST"])
def children(request):
    """残疾儿童康复救助: children within the age limit, certified or screened by health, without a case;
    one click opens the case (a children's rehabilitation need) for referral to a designated institution."""
    today = timezone.localdate()
    if request.method == "POST":
        person = person_in_scope(request, request.POST.get("person"))
        try:
            need = services.child_case_open(person=person, by=request.user, on=today)
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
            return redirect("services:children")
        _logged(request, person, _("%(name)s：已立案，请在 %(due)s 前转介定点机构。") % {
            "name": person.name, "due": need.due_on})
        return redirect("services:need_detail", pk=need.pk)
    return render(request, "services/children.html", {
        "today": today, "page": _page(request, selectors.children_without_case(user=request.user, on=today))})


@person_staff_required
@require_POST
def services_export(request):
    """The year's service records as XLSX for the annual report (ID numbers masked); logged."""
    year = year_asked(request)
    handle, count = service_exports.services_xlsx(selectors.services_of(user=request.user), year=year)
    access_log_record(request=request, action=AccessLog.Action.EXPORT, reason=_("年度报告"),
                      detail=_("%(year)d 年服务记录，%(n)d 条") % {"year": year, "n": count})
    return FileResponse(handle, as_attachment=True, filename=exports.sheet_name(
        _("服务记录_%(year)d.xlsx") % {"year": year}))


# ---- Education placements and home modifications ------------------------------------------------------------

@person_staff_required
@require_GET
def education(request):
    """适龄残疾儿童少年安置: school-age children with no placement this year nor a recorded reason (一人一案)."""
    today = timezone.localdate()
    return render(request, "services/education.html", {
        "today": today, "page": _page(request, selectors.children_without_placement(user=request.user, on=today))})


@person_staff_required
@require_GET
def modifications(request):
    """家庭无障碍改造: this year's accepted projects against the target, and those in progress."""
    today = timezone.localdate()
    progress = selectors.modification_progress(user=request.user, year=today.year)
    return render(request, "services/modifications.html", {
        "today": today, **progress, "page": _page(request, progress["in_progress"])})


@person_staff_required
@require_http_methods(["GET", "POST"])
def modification_apply(request, pk: int):
    """Open a modification project for a person (申请), answering their live need if there is one."""
    person = person_in_scope(request, pk)
    form = ModificationApplyForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        need = person.needs.filter(kind=NeedKind.HOME_MODIFICATION, state__in=["open", "referred"]).first()
        try:
            project = services.modification_apply(person=person, by=request.user, need=need, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            _logged(request, person, _("已登记无障碍改造申请。"))
            return redirect("services:modification_detail", pk=project.pk)
    return render(request, "registry/simple_form.html", {
        "form": form, "person": person, "title": _("申请家庭无障碍改造"), "submit": _("登记申请")},
        status=400 if form.errors else 200)


@person_staff_required
@require_http_methods(["GET", "POST"])
def modification_detail(request, pk: int):
    """A project and its next step: home survey, works, acceptance with photos (验收); or cancel with a reason."""
    project = selectors.modification_get(user=request.user, pk=pk)
    following = services.NEXT_STEP.get(project.step)
    form = ModificationStepForm(prefix="step", step=following) if following else None
    cancel_form = NoteForm(prefix="cancel", label=_("取消原因"), required_message=_("请填写取消原因。"))
    if request.method == "POST" and following:
        action = request.POST.get("action")
        target = form
        if action == "cancel":
            cancel_form = target = NoteForm(request.POST, prefix="cancel", label=_("取消原因"),
                                            required_message=_("请填写取消原因。"))
        else:
            form = target = ModificationStepForm(request.POST, request.FILES, prefix="step", step=following)
        if target.is_valid():
            try:
                if action == "cancel":
                    services.modification_cancel(project=project, by=request.user, note=target.cleaned_data["note"])
                else:
                    services.modification_advance(project=project, by=request.user, **target.cleaned_data)
            except ValidationError as error:
                attach_errors(target, error)
            else:
                project.refresh_from_db()
                _logged(request, project.person, _("无障碍改造：%(s)s") % {"s": project.get_step_display()})
                return redirect("services:modification_detail", pk=project.pk)
    has_errors = bool((form and form.errors) or cancel_form.errors)
    _viewed(request, project.person, _("查看无障碍改造项目"))
    return render(request, "services/modification_detail.html", {
        "project": project, "form": form, "cancel_form": cancel_form, "following": following,
        "photos": project.photos.all(), "has_errors": has_errors}, status=400 if has_errors else 200)


@person_staff_required
@require_GET
def modification_photo(request, pk: int):
    """An acceptance photo, to officers of the person's area only; logged."""
    photo = selectors.modification_photo_get(user=request.user, pk=pk)
    access_log_record(request=request, action=AccessLog.Action.VIEW, person_id=photo.project.person_id,
                      detail=_("查看验收照片：%(n)s") % {"n": photo.name})
    return FileResponse(photo.file.open("rb"), filename=photo.name, content_type=photo.content_type)
