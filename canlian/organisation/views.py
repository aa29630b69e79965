"""Pages of the federation's organisation: the overview, the communities' posts (vacancies first in sight), one
post's terms, and the cadres with the disabled share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from canlian.accounts.decorators import aggregate_staff_required, organisation_staff_required
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import attach_errors
from canlian.common.views import area_asked
from canlian.organisation import selectors, services
from canlian.organisation.forms import PostAssignForm, PostEndForm


@aggregate_staff_required
@require_GET
def overview(request):
    """组织建设: posts filled, associations, facilities and cadres in the user's areas."""
    today = timezone.localdate()
    return render(request, "organisation/overview.html", {
        "today": today, "summary": selectors.summary(user=request.user, on=today),
        "associations": selectors.associations(user=request.user, on=today),
        "facilities": selectors.facilities(user=request.user)})


@aggregate_staff_required
@require_GET
def posts(request):
    """专职委员配备: each community and gacha with its officer, or 空缺."""
    today = timezone.localdate()
    under = area_asked(request)
    rows = selectors.posts(user=request.user, on=today, under=under)
    return render(request, "organisation/posts.html", {
        "rows": rows, "under": under, "today": today,
        "vacant": sum(row.holder is None for row in rows)})


@organisation_staff_required
@require_http_methods(["GET", "POST"])
def post_detail(request, pk: int):
    """One community's post: its terms, a new holder, or the current holder leaving."""
    area = selectors.post_area_get(user=request.user, pk=pk)
    terms = list(selectors.post_terms(area))
    current = next((term for term in terms if term.ended_on is None), None)
    assign_form = PostAssignForm(prefix="assign", initial={"started_on": timezone.localdate()})
    end_form = PostEndForm(prefix="end", initial={"ended_on": timezone.localdate()}) if current else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                assign_form = PostAssignForm(request.POST, prefix="assign")
                if assign_form.is_valid():
                    post = services.officer_post_assign(area=area, by=request.user, **assign_form.cleaned_data)
                    messages.success(request, _("%(name)s 已任%(area)s专职委员。") % {
                        "name": post.holder_name, "area": area.name})
                    return redirect("organisation:post_detail", pk=area.pk)
            elif action == "end" and current is not None:
                end_form = PostEndForm(request.POST, prefix="end")
                if end_form.is_valid():
                    services.officer_post_end(post=current, by=request.user, **end_form.cleaned_data)
                    messages.success(request, _("%(name)s 已离任，%(area)s专职委员岗位空缺。") % {
                        "name": current.holder_name, "area": area.name})
                    return redirect("organisation:post_detail", pk=area.pk)
        except ValidationError as error:
            attach_errors(assign_form if action == "assign" else end_form, error)
    has_errors = bool(assign_form.errors or (end_form and end_form.errors))
    return render(request, "organisation/post_detail.html", {
        "area": area, "terms": terms, "current": current, "assign_form": assign_form, "end_form": end_form,
        "has_errors": has_errors}, status=400 if has_errors else 200)


@aggregate_staff_required
@require_GET
def cadres(request):
    """残联干部: who is in post, and how many of them are disabled (规划：不低于 15%)."""
    today = timezone.localdate()
    under = area_asked(request)  # the indicator page's "查看明细" asks for one area's figure
    rows = []
    # Who is disabled is read off their own file: the list is for the officers who keep it, leaders get the totals.
    if request.user.keeps_organisation:
        rows = list(selectors.cadres(user=request.user, on=today, under=under).order_by("unit_area__path", "name"))
        for cadre in rows:
            if cadre.person_id:
                access_log_record(request=request, action=AccessLog.Action.VIEW, person_id=cadre.person_id,
                                  detail=_("残联干部名单：残疾人干部认定"))
    return render(request, "organisation/cadres.html", {
        "rows": rows, "today": today, "under": under,
        "summary": selectors.summary(user=request.user, on=today, under=under)})
