"""Pages of volunteer services and the emergency register: the requests worklist, a request with its suitable
volunteers, the volunteers with their hours and stars, registration; the emergency list by area (and its printable
form for the emergency office), and one person's needs and pairing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from canlian.accounts.decorators import person_staff_required
from canlian.accounts.scope import scoped_areas
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import NoteForm, attach_errors
from canlian.common.views import area_asked, year_asked
from canlian.common.worklists import WORKLIST_PER_PAGE
from canlian.registry.selectors import person_queryset
from canlian.registry.services import clean_id_number
from canlian.volunteers import rules, selectors, services
from canlian.volunteers.forms import (
    AwardForm,
    MatchForm,
    PairingForm,
    ProfileForm,
    RequestForm,
    ServiceForm,
    VolunteerForm,
)
from canlian.volunteers.models import Award, Request


def _page(request, items):
    return Paginator(items, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))


def _logged(request, person, action: str, detail: str) -> None:
    access_log_record(request=request, action=action, person=person, detail=detail)


# ---- Requests (志愿服务需求) ----------------------------------------------------------------------------------------

@person_staff_required
@require_GET
def requests(request):
    """志愿助残: requests waiting for a volunteer or being served; those unanswered past the deadline first."""
    today = timezone.localdate()
    state = request.GET.get("state", "")
    counts = dict(selectors.requests_live(user=request.user).order_by().values_list("state").annotate(n=Count("pk")))
    return render(request, "volunteers/requests.html", {
        "page": _page(request, selectors.requests_live(user=request.user, state=state)), "state": state,
        "today": today, "counts": counts, "total": sum(counts.values()),
        "unanswered": selectors.requests_unanswered(user=request.user, on=today).count()})


@person_staff_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_queryset(user=request.user).filter(id_number=clean_id_number(data["id_number"])).first()
            if person is None:
                raise ValidationError({"id_number": _("在您负责的区域内没有找到这个身份证号的残疾人。")})
            created = services.request_open(person=person, by=request.user, kind=data["kind"],
                                            detail=data["detail"], wanted_on=data["wanted_on"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            _logged(request, person, AccessLog.Action.EDIT, _("登记志愿服务需求：%(k)s") % {
                "k": created.get_kind_display()})
            messages.success(request, _("已登记，请在 %(due)s 前对接志愿者。") % {"due": created.due_on})
            return redirect("volunteers:request_detail", pk=created.pk)
    return render(request, "volunteers/request_form.html", {"form": form}, status=400 if form.errors else 200)


@person_staff_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk: int):
    """One request: the suitable volunteers in the rule's order, the services logged, and the next action."""
    item = selectors.request_get(user=request.user, pk=pk)
    candidates = selectors.candidates(user=request.user, request=item) \
        if item.state in (Request.State.OPEN, Request.State.MATCHED) else []
    by_pk = {volunteer.pk: volunteer for volunteer, _candidate in candidates}
    forms = {"match": MatchForm(prefix="match", candidates=candidates),
             "service": ServiceForm(prefix="service", initial={"served_on": timezone.localdate()}),
             "cancel": NoteForm(prefix="cancel", label=_("取消原因"), required_message=_("请填写取消原因。"))}
    if request.method == "POST":
        action, form, done = request.POST.get("action", ""), None, None
        try:
            if action == "match":
                form = forms["match"] = MatchForm(request.POST, prefix="match", candidates=candidates)
                if form.is_valid():
                    item = services.request_match(request=item, by=request.user,
                                                  volunteer=by_pk[form.cleaned_data["volunteer"]])
                    done = _("已对接志愿者 %(name)s。") % {"name": item.volunteer.name}
            elif action == "service":
                form = forms["service"] = ServiceForm(request.POST, prefix="service")
                if form.is_valid():
                    logged = services.service_log(request=item, by=request.user, **form.cleaned_data)
                    done = _("已记录 %(h)s 小时志愿服务。") % {"h": logged.hours}
            elif action == "cancel":
                form = forms["cancel"] = NoteForm(request.POST, prefix="cancel", label=_("取消原因"),
                                                  required_message=_("请填写取消原因。"))
                if form.is_valid():
                    services.request_cancel(request=item, by=request.user, reason=form.cleaned_data["note"])
                    done = _("已取消这项需求。")
            if done:
                _logged(request, item.person, AccessLog.Action.EDIT, done)
                messages.success(request, done)
                return redirect("volunteers:request_detail", pk=item.pk)
        except ValidationError as error:
            attach_errors(form, error)
    else:
        _logged(request, item.person, AccessLog.Action.VIEW, _("查看志愿服务需求：%(k)s") % {
            "k": item.get_kind_display()})
    has_errors = any(form.errors for form in forms.values())
    return render(request, "volunteers/request_detail.html", {
        "item": item, "candidates": candidates, "services": item.services.select_related("volunteer"),
        "today": timezone.localdate(), "has_errors": has_errors, **forms}, status=400 if has_errors else 200)


# ---- Volunteers (志愿者) ---------------------------------------------------------------------------------------------

def _awards_count():
    # A subquery, not Count("awards"): joining the awards beside the services would add each service's hours once
    # per award.
    awards = Award.objects.filter(volunteer=OuterRef("pk")).order_by().values("volunteer").annotate(n=Count("pk"))
    return Coalesce(Subquery(awards.values("n")), 0)


@person_staff_required
@require_GET
def volunteer_list(request):
    """志愿者: hours this year and in all, star level, awards."""
    today = timezone.localdate()
    year = year_asked(request)
    rows = (selectors.with_hours(selectors.volunteers(user=request.user).filter(active=True), year=year)
            .select_related("area", "organisation").annotate(awards_count=_awards_count())
            .order_by("-total_hours", "name", "pk"))
    page = _page(request, rows)
    thresholds = selectors.star_thresholds(on=today)
    for volunteer in page.object_list:
        volunteer.stars = rules.star_level(volunteer.total_hours, thresholds)
    return render(request, "volunteers/volunteer_list.html", {"page": page, "year": year})


@person_staff_required
@require_http_methods(["GET", "POST"])
def volunteer_create(request):
    areas = scoped_areas(request.user).order_by("path")
    form = VolunteerForm(request.POST or None, areas=areas, initial={"consent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_register(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已登记志愿者 %(name)s。") % {"name": volunteer.name})
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form}, status=400 if form.errors else 200)


@person_staff_required
@require_http_methods(["GET", "POST"])
def volunteer_detail(request, pk: int):
    volunteer = selectors.volunteer_get(user=request.user, pk=pk)
    today = timezone.localdate()
    award_form = AwardForm(prefix="award", initial={"awarded_on": today})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "award":
                award_form = AwardForm(request.POST, prefix="award")
                if award_form.is_valid():
                    services.award_record(volunteer=volunteer, by=request.user, **award_form.cleaned_data)
                    messages.success(request, _("已记录表彰。"))
                    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
            elif action == "withdraw":
                services.volunteer_withdraw(volunteer=volunteer, by=request.user, on=today)
                messages.success(request, _("%(name)s 已退出志愿者队伍。") % {"name": volunteer.name})
                return redirect("volunteers:volunteer_list")
        except ValidationError as error:
            if action == "award":
                attach_errors(award_form, error)
            else:
                messages.error(request, " ".join(error.messages))
    hours = selectors.with_hours(selectors.volunteers(user=request.user).filter(pk=volunteer.pk),
                                 year=today.year).get()
    return render(request, "volunteers/volunteer_detail.html", {
        "volunteer": volunteer, "hours": hours,
        "kept": selectors.volunteer_kept_by(volunteer, request.user),
        "stars": rules.star_level(hours.total_hours, selectors.star_thresholds(on=today)),
        "services": volunteer.services.select_related("request")[:50], "awards": volunteer.awards.all(),
        "award_form": award_form, "has_errors": bool(award_form.errors)}, status=400 if award_form.errors else 200)


# ---- The emergency register (应急登记与结对帮扶) ----------------------------------------------------------------

@person_staff_required
@require_GET
def emergency(request):
    """应急结对: the persons with emergency needs, most urgent first, their helpers, and those to visit."""
    today = timezone.localdate()
    under = area_asked(request)
    rows = selectors.emergency_list(user=request.user, on=today, under=under)
    return render(request, "volunteers/emergency.html", {
        "rows": rows, "page": Paginator(rows, 50).get_page(request.GET.get("page")), "under": under, "areas": scoped_areas(request.user).order_by("path"), "today": today,
        "unpaired": sum(row.pairing is None for row in rows),
        "to_confirm": sum(row.confirm_overdue and row.pairing is not None for row in rows),
        "suggested": Paginator(selectors.emergency_suggested(user=request.user, on=today), WORKLIST_PER_PAGE)
        .get_page(request.GET.get("suggested_page"))})


@person_staff_required
@require_GET
def emergency_print(request):
    """The list for the emergency office (应急名单), by area, printable: who, where, what they need, who helps."""
    today = timezone.localdate()
    under = area_asked(request)
    rows = selectors.emergency_list(user=request.user, on=today, under=under)
    access_log_record(request=request, action=AccessLog.Action.EXPORT, detail=_(
        "打印应急名单：%(area)s，%(n)d 人") % {"area": under.name if under else _("全部负责区域"), "n": len(rows)})
    return render(request, "volunteers/emergency_print.html", {"rows": rows, "under": under, "today": today})


@person_staff_required
@require_http_methods(["GET", "POST"])
def emergency_person(request, pk: int):
    """One person's emergency needs and pairing: record them, pair with a helper, confirm the pairing again."""
    person = selectors.emergency_person_get(user=request.user, pk=pk)
    today = timezone.localdate()
    profile = getattr(person, "emergency_profile", None)
    pairings = list(selectors.pairings_of(person))
    current = next((p for p in pairings if p.ended_on is None), None)
    helpers = selectors.volunteers(user=request.user).filter(active=True).order_by("name")
    profile_form = ProfileForm(prefix="profile", initial={"needs": profile.needs if profile else [],
                                                         "note": profile.note if profile else ""})
    pairing_form = PairingForm(prefix="pairing", volunteers=helpers, initial={"started_on": today})
    if request.method == "POST":
        action, done = request.POST.get("action", ""), None
        try:
            if action == "profile":
                profile_form = ProfileForm(request.POST, prefix="profile")
                if profile_form.is_valid():
                    services.emergency_profile_save(person=person, by=request.user, **profile_form.cleaned_data)
                    done = _("已保存应急需求。")
            elif action == "pairing":
                pairing_form = PairingForm(request.POST, prefix="pairing", volunteers=helpers)
                if pairing_form.is_valid():
                    pairing = services.pairing_set(person=person, by=request.user, **pairing_form.cleaned_data)
                    done = _("已与 %(name)s 结对。") % {"name": pairing.helper_name}
            elif action == "confirm" and current is not None:
                services.pairing_confirm(pairing=current, by=request.user, on=today)
                done = _("已确认结对关系（%(d)s）。") % {"d": today}
            if done and not (profile_form.errors or pairing_form.errors):
                _logged(request, person, AccessLog.Action.EDIT, done)
                messages.success(request, done)
                return redirect("volunteers:emergency_person", pk=person.pk)
        except ValidationError as error:
            attach_errors(profile_form if action == "profile" else pairing_form, error)
    else:
        _logged(request, person, AccessLog.Action.VIEW, _("查看应急结对"))
    has_errors = bool(profile_form.errors or pairing_form.errors)
    suggested = rules.needs_suggested(**selectors.emergency_facts(person, on=today)) if profile is None else []
    return render(request, "volunteers/emergency_person.html", {
        "person": person, "profile": profile, "pairings": pairings, "current": current,
        "profile_form": profile_form, "pairing_form": pairing_form, "has_errors": has_errors,
        "suggested": [rules.EmergencyNeed(need).label for need in suggested]}, status=400 if has_errors else 200)
