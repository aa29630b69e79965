"""Staff pages of benefits: apply on a person's behalf, and the applications worklist (审核、审批)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from canlian.accounts.decorators import person_staff_required
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.benefits import selectors, services
from canlian.benefits.choices import Scheme
from canlian.benefits.forms import ApplicationForm
from canlian.common.forms import NoteForm
from canlian.common.worklists import WORKLIST_PER_PAGE, worklist_page
from canlian.registry.views import person_form_page, person_in_scope


@person_staff_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk: int):
    """Apply for a scheme on the person's behalf (代为申请)."""
    person = person_in_scope(request, pk)
    form = ApplicationForm(request.POST or None)
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
}
_DONE = {"review": _("社区审核通过"), "approve": _("已批准"), "reject": _("已驳回"), "withdraw": _("已撤回")}


@person_staff_required
@require_http_methods(["GET", "POST"])
def applications(request):
    """Open applications in the user's areas, overdue ones first and marked (补贴申请审核审批)."""
    today = timezone.localdate()

    def make_form(application, data):
        return NoteForm(data, prefix=f"item{application.pk}",
                        label=_("意见（%(name)s）") % {"name": application.person.name},
                        required_message=_("请填写意见：审核、审批写“同意”等意见，驳回、撤回写明原因。"))

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
    today = timezone.localdate()
    scheme = request.GET.get("scheme") if request.GET.get("scheme") in Scheme.values else Scheme.LIVING_ALLOWANCE
    tabs = [{"scheme": choice.value, "label": choice.label, "current": choice.value == scheme,
             "count": selectors.coverage_gaps(user=request.user, scheme=choice.value, on=today).count()}
            for choice in Scheme]
    page = Paginator(selectors.coverage_gaps(user=request.user, scheme=scheme, on=today),
                     WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "benefits/coverage.html", {
        "tabs": tabs, "scheme_label": Scheme(scheme).label, "page": page, "today": today})
