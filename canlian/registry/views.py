"""Staff pages of the registry: parse, call a selector or service, render."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from canlian.accounts.decorators import person_staff_required
from canlian.accounts.models import Proxy, Role
from canlian.accounts.scope import residence_in_scope, scoped_areas
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import attach_errors
from canlian.common.masking import mask_certificate_number, mask_id_number
from canlian.parameters.selectors import parameter_int
from canlian.registry import selectors, services
from canlian.registry.choices import Category, LifeStatus
from canlian.registry.forms import (
    AssessmentForm,
    CertificateActionForm,
    CertificateIssueForm,
    CertificateRegisterForm,
    CertificateRegradeForm,
    HouseholdIncomeForm,
    HouseholdMemberForm,
    LifeStatusForm,
    OutcomeForm,
    PersonEditForm,
    PersonForm,
    RevealIdForm,
    SearchForm,
)
from canlian.registry.models import Certificate, Person
from canlian.registry.rules import Finding, washington_group_identified


@never_cache
def workbench(request):
    """The home page: each role's worklists (工作台)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_resident:
        return redirect("portal:home")
    today = timezone.localdate()
    context = {"today": today}
    if request.user.works_with_persons:
        persons = selectors.person_queryset(user=request.user)
        context["expiring"] = selectors.certificates_expiring(user=request.user, on=today)[:10]
        context["expiring_count"] = selectors.certificates_expiring(user=request.user, on=today).count()
        context["notice_days"] = parameter_int("certificate.expiry_notice_days", on=today)
        context["active_count"] = persons.filter(life_status=LifeStatus.ACTIVE).count()
        context["requests_count"] = selectors.certificate_requests_open(user=request.user).count()
        context["proxies_count"] = Proxy.objects.filter(residence_in_scope(request.user, prefix="person__"),
                                                        state=Proxy.State.PENDING).count()
    elif request.user.role == Role.FEDERATION_LEADER:
        context["summary"] = selectors.certificate_summary_by_category(user=request.user)
    return render(request, "registry/workbench.html", context)


@person_staff_required
def person_search(request):
    areas = scoped_areas(request.user).order_by("path")
    form = SearchForm(request.GET or None, areas=areas)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.PersonFilters(
            query=data["q"], area_id=data["area"].pk if data["area"] else None, category=data["category"],
            grade=data["grade"], life_status=data["status"],
        )
        page = selectors.person_search_page(user=request.user, filters=filters, page_number=request.GET.get("page"))
        if data["q"]:
            access_log_record(request=request, action=AccessLog.Action.SEARCH, detail=data["q"][:4] + "…")
    return render(request, "registry/person_search.html", {"form": form, "page": page})


def person_in_scope(request, pk: int) -> Person:
    """The person if in the user's areas; otherwise 404, and an attempt on a real file is logged (越权访问)."""
    try:
        return selectors.person_get(user=request.user, pk=pk)
    except Http404:
        if str(pk).isdecimal() and str(pk).isascii() and Person.objects.filter(pk=int(pk)).exists():
            access_log_record(request=request, action=AccessLog.Action.DENIED, person_id=int(pk),
                              detail=request.path[:300])
        raise


def _record_edit(request, person: Person, message: str) -> None:
    """Tell the officer what was done, and log it as an edit of the person's file (修改记录)."""
    access_log_record(request=request, action=AccessLog.Action.EDIT, person=person, detail=str(message))
    messages.success(request, message)


def person_form_page(request, form, *, person: Person, run, done, title: str, submit: str, certificate=None):
    """A one-form page: a valid post runs the service; a refusal shows at the fields, success returns to the file.

    `done` is the success message, or a function of the service's result that makes it.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            _record_edit(request, person, done(result) if callable(done) else done)
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/simple_form.html", {
        "form": form, "person": person, "certificate": certificate, "title": title, "submit": submit})


def _person_form_initial(person: Person) -> dict:
    return {
        "name": person.name, "ethnicity": person.ethnicity,
        "hukou_type": person.hukou_type, "hukou_area": person.hukou_area_id,
        "residence_area": person.residence_area_id, "address": person.address, "phone": person.phone,
        "marital_status": person.marital_status, "education_level": person.education_level,
        "guardian_name": person.guardian_name, "guardian_relation": person.guardian_relation,
        "guardian_phone": person.guardian_phone,
    }


@person_staff_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    areas = scoped_areas(request.user).order_by("path")
    form = PersonForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            _record_edit(request, person, _("已登记 %(name)s。") % {"name": person.name})
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "creating": True})


@person_staff_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = person_in_scope(request, pk)
    areas = scoped_areas(request.user).order_by("path")
    form = PersonEditForm(request.POST or None, areas=areas, initial=_person_form_initial(person),
                          masked_id=mask_id_number(person.id_number))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        if not data["id_number"]:
            del data["id_number"]
        try:
            services.person_update(person=person, by=request.user, reason=reason, **data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            _record_edit(request, person, _("已保存。"))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": person, "creating": False})


def _person_file_context(request, person: Person, *, full_id: bool = False) -> dict:
    today = timezone.localdate()
    household, members, flags = selectors.household_facts(user=request.user, person=person, on=today)
    assessments = list(selectors.assessments_of(person))
    return {
        "person": person,
        "shown_id": person.id_number if full_id else mask_id_number(person.id_number),
        "full_id": full_id,
        "age": person.age_on(today),
        "today": today,
        "certificate": selectors.certificate_current(person),
        "certificates": person.certificates.order_by("-issued_on", "-pk"),
        "assessments": [(a, washington_group_identified(a.wg_answers)) for a in assessments],
        "household": household,
        "members": members,
        "flags": flags,
        "assistance": person.assistance_statuses.order_by("-started_on"),
        # Facts other departments sent (insurance, employment, school, family doctor) through the exchange.
        "department_records": person.department_records.order_by("kind", "-started_on"),
        "timeline": selectors.person_timeline(
            person, assessments=assessments, hidden_person_ids=frozenset(m.person_id for m in members if m.hidden)),
    }


@person_staff_required
def person_detail(request, pk: int):
    """The person file (一人一档). Every view is logged."""
    person = person_in_scope(request, pk)
    access_log_record(request=request, action=AccessLog.Action.VIEW, person=person)
    return render(request, "registry/person_detail.html", _person_file_context(request, person))


@person_staff_required
@require_http_methods(["GET", "POST"])
def person_reveal_id(request, pk: int):
    """Show the full ID number once, after the officer gives a reason (logged)."""
    person = person_in_scope(request, pk)
    form = RevealIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        access_log_record(request=request, action=AccessLog.Action.REVEAL_ID, person=person,
                          reason=form.cleaned_data["reason"])
        return render(request, "registry/person_detail.html", _person_file_context(request, person, full_id=True))
    return render(request, "registry/reveal_id.html", {"form": form, "person": person})


@person_staff_required
@require_http_methods(["GET", "POST"])
def person_life_status(request, pk: int):
    person = person_in_scope(request, pk)
    form = LifeStatusForm(request.POST or None)
    return person_form_page(request, form, person=person, title=_("变更人员状态"), submit=_("保存状态"),
                      done=_("人员状态已更新。"),
                      run=lambda data: services.person_change_life_status(person=person, by=request.user, **data))


@person_staff_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, pk: int):
    person = person_in_scope(request, pk)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        findings = [Finding(c.value, int(data[f"grade_{c.value}"])) for c in Category
                    if c != Category.MULTIPLE and data.get(f"grade_{c.value}")]
        wg = {name: data[name] for name in ("wg_seeing", "wg_hearing", "wg_walking", "wg_remembering",
                                            "wg_self_care", "wg_communicating")}
        try:
            services.assessment_record(person=person, by=request.user, assessed_on=data["assessed_on"],
                                       institution=data["institution"], findings=findings, wg_answers=wg)
        except ValidationError as error:
            attach_errors(form, error, field_map={"findings": "grade_1"})
        else:
            _record_edit(request, person, _("评定已录入。"))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/assessment_form.html", {"form": form, "person": person})


@person_staff_required
@require_http_methods(["GET", "POST"])
def certificate_issue(request, pk: int):
    person = person_in_scope(request, pk)
    form = CertificateIssueForm(request.POST or None, assessments=selectors.assessments_of(person),
                                initial={"on": timezone.localdate()})
    return person_form_page(request, form, person=person, title=_("发放残疾人证"), submit=_("发证"),
                      done=lambda card: _("已发证：%(n)s") % {"n": mask_certificate_number(card.number)},
                      run=lambda data: services.certificate_issue(person=person, by=request.user, **data))


@person_staff_required
@require_http_methods(["GET", "POST"])
def certificate_register(request, pk: int):
    """Enter a card issued before the platform (存量证件录入)."""
    person = person_in_scope(request, pk)
    form = CertificateRegisterForm(request.POST or None)
    return person_form_page(request, form, person=person, title=_("录入已有残疾人证"), submit=_("录入"),
                      done=_("已录入残疾人证。"),
                      run=lambda data: services.certificate_register(person=person, by=request.user, **data))


_ACTIONS = {
    "renew": (pgettext_lazy("certificate action", "换证"), services.certificate_renew, False),
    "reissue": (pgettext_lazy("certificate action", "补发"), services.certificate_reissue, True),
    "freeze": (pgettext_lazy("certificate action", "冻结"), services.certificate_freeze, True),
    "unfreeze": (pgettext_lazy("certificate action", "解冻"), services.certificate_unfreeze, True),
    "cancel": (pgettext_lazy("certificate action", "注销"), services.certificate_cancel, True),
}


def _certificate_in_scope(request, pk: int) -> Certificate:
    certificate = get_object_or_404(Certificate.objects.select_related("person"), pk=pk)
    person_in_scope(request, certificate.person_id)
    return certificate


@person_staff_required
@require_http_methods(["GET", "POST"])
def certificate_action(request, pk: int, action: str):
    """Renew, reissue, freeze, unfreeze or cancel a certificate."""
    if action not in _ACTIONS:
        raise Http404
    label, service, needs_reason = _ACTIONS[action]
    certificate = _certificate_in_scope(request, pk)
    form = CertificateActionForm(request.POST or None, initial={"on": timezone.localdate()})
    if not needs_reason:
        del form.fields["reason"]
    else:
        form.fields["reason"].required = True
    return person_form_page(request, form, person=certificate.person, certificate=certificate,
                      title=_("%(a)s残疾人证") % {"a": label}, submit=label, done=_("已办理%(a)s。") % {"a": label},
                      run=lambda data: service(certificate=certificate, by=request.user, **data))


@person_staff_required
@require_http_methods(["GET", "POST"])
def certificate_regrade(request, pk: int):
    certificate = _certificate_in_scope(request, pk)
    form = CertificateRegradeForm(request.POST or None, assessments=selectors.assessments_of(certificate.person),
                                  initial={"on": timezone.localdate()})
    return person_form_page(request, form, person=certificate.person, certificate=certificate,
                      title=_("残疾类别/等级变更"), submit=_("变更并换发新证"), done=_("已办理等级变更并换发新证。"),
                      run=lambda data: services.certificate_regrade(certificate=certificate, by=request.user, **data))


@person_staff_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    """Open the person's household, add members, record its income."""
    person = person_in_scope(request, pk)
    household, members, flags = selectors.household_facts(user=request.user, person=person, on=timezone.localdate())
    member_form = HouseholdMemberForm(request.POST if request.POST.get("form") == "member" else None,
                                      prefix="member")
    income_form = HouseholdIncomeForm(
        request.POST if request.POST.get("form") == "income" else None, prefix="income",
        initial={"per_capita_income": household.per_capita_income if household else None,
                 "income_year": (household.income_year if household else None) or timezone.localdate().year - 1},
    )
    chosen = request.POST.get("form")
    create_form = forms.Form(request.POST if request.method == "POST" and chosen not in ("member", "income") else None)
    if request.method == "POST":
        target = {"member": member_form, "income": income_form}.get(chosen, create_form)
        try:
            if target is create_form and household is None:
                services.household_create(by=request.user, head=person)
                _record_edit(request, person, _("已建立家庭。"))
                return redirect("registry:household_edit", pk=person.pk)
            if household is not None and target is member_form and member_form.is_valid():
                services.household_add_member(household=household, by=request.user, **member_form.cleaned_data)
                _record_edit(request, person, _("已添加家庭成员。"))
                return redirect("registry:household_edit", pk=person.pk)
            if household is not None and target is income_form and income_form.is_valid():
                services.household_update_income(household=household, by=request.user, **income_form.cleaned_data)
                _record_edit(request, person, _("已更新家庭收入。"))
                return redirect("registry:household_edit", pk=person.pk)
        except ValidationError as error:
            target.is_valid()  # errors can only be added to a cleaned form
            attach_errors(target, error)
    return render(request, "registry/household_form.html", {
        "person": person, "household": household, "members": members, "flags": flags,
        "member_form": member_form, "income_form": income_form, "create_form": create_form,
        "has_errors": bool(member_form.errors or income_form.errors or create_form.errors),
    })


@person_staff_required
@require_http_methods(["GET", "POST"])
def certificate_requests(request):
    """证件申请: assessments and first cards, renewals and reissues asked for online or at the counter; handle
    them on the person's file, then close each with the outcome the applicant will read."""
    waiting = selectors.certificate_requests_open(user=request.user)
    forms = {}
    if request.method == "POST":
        chosen = request.POST.get("request", "")
        found = get_object_or_404(waiting, pk=int(chosen) if chosen.isdigit() and len(chosen) < 18 else 0)
        form = OutcomeForm(request.POST, prefix=f"r{found.pk}")
        if form.is_valid():
            try:
                services.certificate_request_decide(request=found, by=request.user,
                                                    done=request.POST.get("action") == "done",
                                                    outcome=form.cleaned_data["outcome"])
            except ValidationError as error:
                attach_errors(form, error)
            else:
                access_log_record(request=request, action=AccessLog.Action.EDIT, person=found.person,
                                  detail=_("证件申请：%(r)s，%(o)s") % {"r": found, "o": form.cleaned_data["outcome"]})
                messages.success(request, _("已办理：%(r)s") % {"r": found})
                return redirect("registry:certificate_requests")
        forms[found.pk] = form
    page = Paginator(waiting, 25).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.form = forms.get(item.pk) or OutcomeForm(prefix=f"r{item.pk}")
    return render(request, "registry/certificate_requests.html", {
        "page": page, "today": timezone.localdate(), "has_errors": bool(forms)}, status=400 if forms else 200)


@person_staff_required
def certificates_expiring(request):
    """Worklist: valid cards expiring within the notice period (到期换证)."""
    today = timezone.localdate()
    page = Paginator(selectors.certificates_expiring(user=request.user, on=today), 50).get_page(request.GET.get("page"))
    return render(request, "registry/certificates_expiring.html", {
        "page": page, "today": today, "notice_days": parameter_int("certificate.expiry_notice_days", on=today)})
