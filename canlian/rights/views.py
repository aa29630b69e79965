"""Pages of rights cases: the worklist, taking a case, one case with its steps and the next action, and the
statistics for the annual report."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from canlian.accounts.decorators import aggregate_staff_required, person_staff_required
from canlian.accounts.scope import scoped_areas
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import attach_errors
from canlian.common.worklists import WORKLIST_PER_PAGE
from canlian.parameters.selectors import parameter_int
from canlian.registry.selectors import person_queryset
from canlian.registry.services import clean_id_number
from canlian.rights import rules, selectors, services
from canlian.rights.forms import AssignForm, CaseForm, CloseForm, ReopenForm, ReplyForm
from canlian.rights.models import Case
from canlian.rights.rules import CaseState


def _timed(case: Case, today: date, remind: int) -> Case:
    case.timeliness = rules.timeliness(due=case.due_on, today=today, remind_working_days=remind,
                                       closed_on=case.closed_on)
    return case


@person_staff_required
@require_GET
def cases(request):
    """维权案件: open cases of my areas, escalated and late ones first."""
    today = timezone.localdate()
    state = request.GET.get("state", "")
    state = state if state in CaseState.values and state != CaseState.CLOSED else ""
    query = request.GET.get("q", "")[:40]
    rows = selectors.cases_open(user=request.user, state=state, query=query)
    counts = dict(selectors.cases_open(user=request.user).order_by().values_list("state").annotate(n=Count("pk")))
    tabs = [{"state": value, "label": label, "count": counts.get(value, 0)}
            for value, label in CaseState.choices if value != CaseState.CLOSED]
    page = Paginator(rows, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    remind = parameter_int("rights.remind_working_days", on=today)
    for case in page.object_list:
        _timed(case, today, remind)
    return render(request, "rights/cases.html", {
        "page": page, "tabs": tabs, "state": state, "query": query, "total": sum(counts.values())})


@person_staff_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    """受理登记: a call, a visit, a letter or a department's referral."""
    areas = scoped_areas(request.user).order_by("path")
    form = CaseForm(request.POST or None, areas=areas, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = None
            if data["id_number"].strip():
                id_number = clean_id_number(data["id_number"])
                person = person_queryset(user=request.user).filter(id_number=id_number).first()
                if person is None:
                    raise ValidationError({"id_number": _(
                        "在您负责的区域内没有找到这个身份证号的残疾人。反映的事项不涉及登记残疾人的，请不填身份证号，选择所属区域。")})
            case = services.case_open(by=request.user, kind=data["kind"], source=data["source"],
                                      received_on=data["received_on"], summary=data["summary"], area=data["area"],
                                      person=person, caller_name=data["caller_name"],
                                      caller_phone=data["caller_phone"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if person is not None:
                access_log_record(request=request, action=AccessLog.Action.EDIT, person=person,
                                  detail=_("受理维权案件 %(ref)s") % {"ref": case.reference})
            messages.success(request, _("已受理，受理编号 %(ref)s，办结期限 %(due)s。") % {
                "ref": case.reference, "due": case.due_on})
            return redirect("rights:case_detail", pk=case.pk)
    return render(request, "rights/case_form.html", {"form": form}, status=400 if form.errors else 200)


@person_staff_required
@require_http_methods(["GET", "POST"])
def case_detail(request, pk: int):
    """One case: its steps, and the action its state allows (分派, 答复, 办结回访, 重新办理)."""
    case = selectors.case_get(user=request.user, pk=pk)
    today = timezone.localdate()
    handlers, partners = selectors.case_handlers(case), selectors.partners_active()
    forms = {
        "assign": AssignForm(prefix="assign", handlers=handlers, partners=partners),
        "reply": ReplyForm(prefix="reply", initial={"replied_on": today}),
        "close": CloseForm(prefix="close", initial={"closed_on": today}),
        "reopen": ReopenForm(prefix="reopen"),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in forms:
            extra = {"handlers": handlers, "partners": partners} if action == "assign" else {}
            form = forms[action] = type(forms[action])(request.POST, prefix=action, **extra)
            if form.is_valid():
                act = {"assign": services.case_assign, "reply": services.case_reply, "close": services.case_close,
                       "reopen": services.case_reopen}[action]
                data = {"reason": form.cleaned_data["note"]} if action == "reopen" else form.cleaned_data
                try:
                    case = act(case=case, by=request.user, **data)
                except ValidationError as error:
                    attach_errors(form, error)
                else:
                    done = _("%(ref)s：%(state)s") % {"ref": case.reference, "state": case.get_state_display()}
                    if case.person_id:
                        access_log_record(request=request, action=AccessLog.Action.EDIT, person=case.person,
                                          detail=_("办理维权案件 %(done)s") % {"done": done})
                    messages.success(request, done)
                    return redirect("rights:case_detail", pk=case.pk)
    elif case.person_id:
        access_log_record(request=request, action=AccessLog.Action.VIEW, person=case.person,
                          detail=_("查看维权案件 %(ref)s") % {"ref": case.reference})
    has_errors = any(form.errors for form in forms.values())
    _timed(case, today, parameter_int("rights.remind_working_days", on=today))
    return render(request, "rights/case_detail.html", {
        "case": case, "steps": case.steps.select_related("by"), "has_errors": has_errors, **forms,
        "can_assign": case.state in (CaseState.RECEIVED, CaseState.ASSIGNED),
        "can_reply": case.state in (CaseState.RECEIVED, CaseState.ASSIGNED),
        "can_close": case.state == CaseState.ANSWERED, "can_reopen": case.state == CaseState.CLOSED},
        status=400 if has_errors else 200)


def _years_asked(request, today: date) -> tuple[int, int]:
    def year(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isdecimal() and 2015 <= int(raw) <= today.year else default
    first, last = year("from", today.year), year("to", today.year)
    return (first, last) if first <= last else (last, first)


@aggregate_staff_required
@require_GET
def statistics(request):
    """维权案件统计: received by kind, source and area, on-time and satisfaction rates, for the years asked."""
    today = timezone.localdate()
    first, last = _years_asked(request, today)
    stats = selectors.case_statistics(cases=selectors.cases(user=request.user), start=date(first, 1, 1),
                                      end=date(last, 12, 31), today=today)
    return render(request, "rights/statistics.html", {
        "stats": stats, "first": first, "last": last, "years": range(2015, today.year + 1)})
