"""The portal's pages (网上办事): one question per page, plain Chinese, a check-your-answers page and a receipt
(GOV.UK patterns); every page works without JavaScript. Views parse, call a selector or a service, and render."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from canlian.accounts.decorators import person_staff_required
from canlian.accounts.models import Proxy
from canlian.accounts.scope import residence_in_scope
from canlian.areas.models import Area
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.benefits import services as benefit_services
from canlian.benefits.selectors import application_get
from canlian.common.forms import attach_errors
from canlian.common.middleware import client_address
from canlian.common.views import safe_next
from canlian.common.worklists import WORKLIST_PER_PAGE
from canlian.parameters.selectors import parameter_int
from canlian.portal import selectors, services, staging
from canlian.portal.forms import (
    WHAT_CHOICES,
    AssessmentRequestForm,
    CaseForm,
    ContactForm,
    DocumentsForm,
    InfoAnswerForm,
    NewPasswordForm,
    NoteForm,
    PhoneForm,
    ProxyDecisionForm,
    ProxyForm,
    ResidentLoginForm,
    SignUpForm,
    VerifyForm,
    WhatForm,
    WithdrawForm,
)
from canlian.portal.models import VerificationCode
from canlian.portal.proofs import validity_proof_pdf
from canlian.registry.choices import Category
from canlian.registry.models import CertificateRequest
from canlian.registry.services import certificate_request_submit, certificate_request_withdraw, person_update
from canlian.rights.rules import CaseSource
from canlian.rights.services import case_open
from canlian.services.choices import NeedState
from canlian.services.models import Need
from canlian.services.services import need_close, need_open


def resident_required(view):
    """A page for a signed-in resident; staff get 403, everyone else the portal's sign-in page."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        if not request.user.is_resident:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


VERIFY_PER_MINUTE = 30  # per client address: enough for a clerk at a counter, too few to walk the number space
# Per resident: whether an ID number and name are on the register is itself sensitive, so few tries a day.
PROXY_TRIES_PER_DAY = 10


def _over_limit(key: str, limit: int, seconds: int) -> bool:
    """A soft limit counted in the cache (per process without a shared cache): True once `key` passes `limit`."""
    cache_key = f"canlian:portal:{key}"
    cache.add(cache_key, 0, seconds)
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # expired between add and incr
        return False


def home(request):
    """网上办事大厅: what can be done here, signed in or not."""
    return render(request, "portal/home.html")


# --- accounts (注册、登录、找回密码) ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request):
    """注册 step 1: ID number, name and phone; a code is sent to the phone."""
    form = SignUpForm(request.POST or None, initial=request.session.get("portal_signup"))
    if request.method == "POST" and form.is_valid():
        try:
            details = services.sign_up_start(**form.cleaned_data, address=client_address(request))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            request.session["portal_signup"] = details
            return redirect("portal:register_code")
    return render(request, "portal/register.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def register_code(request):
    """注册 step 2: the code and a password; the account opens and the resident is signed in."""
    details = request.session.get("portal_signup")
    if not details:
        return redirect("portal:register")
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        form = NewPasswordForm()
        try:
            services.verification_code_send(phone=details["phone"], purpose=VerificationCode.Purpose.SIGN_UP,
                                            address=client_address(request))
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        else:
            messages.success(request, _("验证码已重新发送。"))
    elif request.method == "POST" and form.is_valid():
        try:
            user = services.resident_register(code=form.cleaned_data["code"], password=form.cleaned_data["password"],
                                              **details)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            del request.session["portal_signup"]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎使用网上办事。"))
            return redirect("portal:me")
    return render(request, "portal/register_code.html", {"form": form, "phone": details["phone"]},
                  status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = ResidentLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("portal:me")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """找回密码 step 1: the phone the account was opened with."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = services.phone_normalized(form.cleaned_data["phone"])
            services.verification_code_send(phone=phone, purpose=VerificationCode.Purpose.PASSWORD_RESET,
                                            address=client_address(request))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            request.session["portal_reset_phone"] = phone
            return redirect("portal:password_reset_code")
    return render(request, "portal/password_reset.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def password_reset_code(request):
    """找回密码 step 2: the code and the new password."""
    phone = request.session.get("portal_reset_phone")
    if not phone:
        return redirect("portal:password_reset")
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset(phone=phone, code=form.cleaned_data["code"], password=form.cleaned_data["password"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            del request.session["portal_reset_phone"]
            messages.success(request, _("密码已重新设置，请用新密码登录。"))
            return redirect("portal:login")
    return render(request, "portal/password_reset_code.html", {"form": form, "phone": phone},
                  status=400 if form.errors else 200)


@require_POST
def session_extend(request):
    """“继续使用”: the session's clock starts again (SESSION_SAVE_EVERY_REQUEST). Asked by the page's script it
    answers 204, or 401 once the session has already ended; without script it goes back to the page."""
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204 if request.user.is_authenticated else 401)
    return redirect(safe_next(request, fallback=reverse("portal:home")))


# --- my affairs (我的办事) -------------------------------------------------------------------------------------


@resident_required
def me(request):
    """我的办事: the persons I act for, my applications, new messages."""
    account = request.user.resident_account
    unread = len(selectors.messages_for(request.user, since=account.messages_seen_at))
    return render(request, "portal/me.html", {
        "account": account, "proxies": selectors.proxies_of(request.user),
        "applications": selectors.applications_of(request.user)[:20], "needs": selectors.needs_of(request.user)[:20],
        "card_requests": selectors.certificate_requests_of(request.user)[:20],
        "cases": selectors.cases_of(request.user)[:20],
        "unread": unread})


@resident_required
@require_http_methods(["GET", "POST"])
def proxy_new(request):
    """授权代办: say whose affairs you handle; confirmed at once or by an officer."""
    form = ProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _over_limit(f"proxy:{request.user.pk}",
                                                                     PROXY_TRIES_PER_DAY, 24 * 3600):
        form.add_error(None, _("今天添加的次数太多，请明天再试，或带户口簿到社区办理。"))
    elif request.method == "POST" and form.is_valid():
        try:
            proxy = services.proxy_declare(resident=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已确认，您现在可以为 %(n)s 办事。") % {"n": proxy.person.name}
                             if proxy.state == Proxy.State.CONFIRMED else
                             _("已提交，社区工作人员核实关系后即可办理（一般 3 个工作日内）。"))
            return redirect("portal:me")
    return render(request, "portal/proxy_new.html", {"form": form}, status=400 if form.errors else 200)


@resident_required
@require_POST
def proxy_revoke(request, pk: int):
    proxy = get_object_or_404(Proxy, pk=pk, resident=request.user)
    try:
        services.proxy_revoke(proxy=proxy, by=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("已解除为 %(n)s 办事的授权。") % {"n": proxy.person.name})
    return redirect("portal:me")


@resident_required
def person_file(request, pk: int):
    """我的档案: the card and its validity, what is paid, services received, applications."""
    person = selectors.person_acted_for(user=request.user, pk=pk)
    access_log_record(request=request, action=AccessLog.Action.VIEW, person=person, detail=_("网上办事：查看档案"))
    payments = Paginator(selectors.payments_of(person), 12).get_page(request.GET.get("page"))
    return render(request, "portal/person_file.html", {
        "person": person, "card": selectors.card_of(person), "today": timezone.localdate(),
        "entitlements": person.entitlements.order_by("scheme", "-starts_on"), "payments": payments,
        "services": person.service_records.order_by("-started_on", "-pk")[:20],
        "applications": selectors.applications_of(request.user).filter(person=person)})


@resident_required
@require_http_methods(["GET", "POST"])
def contact(request, pk: int):
    """更正联系方式: the phone and address on the file; the change is in the file's history as the resident's."""
    person = selectors.person_acted_for(user=request.user, pk=pk)
    form = ContactForm(request.POST or None, initial={"phone": person.phone, "address": person.address})
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, by=request.user, reason=_("网上办事：更正联系方式"), **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            access_log_record(request=request, action=AccessLog.Action.EDIT, person=person,
                              detail=_("网上办事：更正联系方式"))
            messages.success(request, _("联系方式已更新。"))
            return redirect("portal:person_file", pk=pk)
    return render(request, "portal/contact.html", {"person": person, "form": form}, status=400 if form.errors else 200)


@resident_required
def validity_proof(request, pk: int):
    """残疾人证有效证明 (PDF): the card's state today, with a reference anyone can check."""
    person = selectors.person_acted_for(user=request.user, pk=pk)
    card = selectors.card_of(person)
    if card is None:
        raise Http404
    today = timezone.localdate()
    access_log_record(request=request, action=AccessLog.Action.EXPORT, person=person, detail=_("网上办事：下载残疾人证有效证明"))
    content = validity_proof_pdf(card, on=today, base_url=request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(content, content_type="application/pdf", headers={
        "Content-Disposition": content_disposition_header(True, _("残疾人证有效证明_%(d)s.pdf") % {"d": today})})


@resident_required
def messages_page(request):
    """消息: what officers did on my applications, newest first; opening the page marks them read."""
    account = request.user.resident_account
    found = selectors.messages_for(request.user)
    seen = account.messages_seen_at
    account.messages_seen_at = timezone.now()
    account.save(update_fields=["messages_seen_at"])
    return render(request, "portal/messages.html", {"found": found, "seen": seen})


# --- applying online (网上申请): one question per page --------------------------------------------------------


def _journey(request, person) -> dict:
    return request.session.setdefault(f"portal_apply_{person.pk}", {"documents": []})


def _save(request) -> None:
    request.session.modified = True


def _with_documents(journey: dict) -> bool:
    """Subsidies take supporting documents; a service need is referred first and assessed at home."""
    return journey.get("what", "").startswith("benefit:")


def _started(request, pk: int):
    """The person and the journey so far; None for the journey when its first question is not answered yet."""
    person = selectors.person_acted_for(user=request.user, pk=pk)
    journey = _journey(request, person)
    return person, (journey if journey.get("what") in dict(WHAT_CHOICES) else None)


@resident_required
@require_http_methods(["GET", "POST"])
def apply_what(request, pk: int):
    person = selectors.person_acted_for(user=request.user, pk=pk)
    journey = _journey(request, person)
    form = WhatForm(request.POST or None, initial={"what": journey.get("what")})
    if request.method == "POST" and form.is_valid():
        journey["what"] = form.cleaned_data["what"]
        _save(request)
        if request.GET.get("change"):
            return redirect("portal:apply_check", pk=pk)
        return redirect("portal:apply_documents" if _with_documents(journey) else "portal:apply_note", pk=pk)
    return render(request, "portal/apply_what.html", {"person": person, "form": form},
                  status=400 if form.errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def apply_documents(request, pk: int):
    person, journey = _started(request, pk)
    if journey is None or not _with_documents(journey):
        return redirect("portal:apply_what", pk=pk)
    form = DocumentsForm()
    if request.method == "POST" and request.POST.get("remove"):
        kept = [d for d in journey["documents"] if d["token"] != request.POST["remove"]]
        staging.staged_discard([d for d in journey["documents"] if d not in kept])
        journey["documents"] = kept
        _save(request)
        return redirect("portal:apply_documents", pk=pk)
    if request.method == "POST":
        form = DocumentsForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = form.cleaned_data["documents"]
            if len(journey["documents"]) + len(uploads) > settings.DOCUMENTS_PER_APPLICATION:
                form.add_error("documents", _("一份申请最多上传 %(n)d 个材料。") % {"n": settings.DOCUMENTS_PER_APPLICATION})
            else:
                staged = []
                try:
                    for upload in uploads:
                        staged.append(staging.document_stage(upload))
                except ValidationError as error:
                    staging.staged_discard(staged)  # the batch is refused whole: keep none of it on disk
                    form.add_error("documents", error.messages)
                else:
                    journey["documents"] += staged
                    _save(request)
                    if request.POST.get("action") == "add":
                        return redirect("portal:apply_documents", pk=pk)
                    return redirect("portal:apply_check" if request.GET.get("change") else "portal:apply_note", pk=pk)
    return render(request, "portal/apply_documents.html", {"person": person, "form": form, "journey": journey},
                  status=400 if form.errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def apply_note(request, pk: int):
    person, journey = _started(request, pk)
    if journey is None:
        return redirect("portal:apply_what", pk=pk)
    form = NoteForm(request.POST or None, initial={"note": journey.get("note", "")})
    if request.method == "POST" and form.is_valid():
        journey["note"] = form.cleaned_data["note"]
        _save(request)
        return redirect("portal:apply_check", pk=pk)
    back = "portal:apply_documents" if _with_documents(journey) else "portal:apply_what"
    return render(request, "portal/apply_note.html", {"person": person, "form": form, "back": back,
                                                      "steps": 4 if _with_documents(journey) else 3},
                  status=400 if form.errors else 200)


def _submit(request, person, journey: dict):
    """Hand the answers to the write that owns them; returns the receipt's address."""
    kind, value = journey["what"].split(":", 1)
    note = journey.get("note", "")
    if kind == "need":
        need = need_open(person=person, by=request.user, kind=value, source=Need.Source.PORTAL,
                         detail=_("网上申请") + (f"：{note}" if note else ""))
        return reverse("portal:need", args=[need.pk])
    if kind == "card":
        card_request = certificate_request_submit(by=request.user, kind=value, person=person, area=person.residence_area,
                                                  phone=request.user.resident_account.phone, note=note)
        return reverse("portal:certificate_request", args=[card_request.pk])
    files = staging.staged_files(journey["documents"])
    try:
        application = benefit_services.application_submit(person=person, scheme=value, by=request.user, documents=files,
                                                          note=_("网上申请") + (f"：{note}" if note else ""))
    finally:
        for file in files:
            file.close()
    staging.staged_discard(journey["documents"])
    return reverse("portal:application", args=[application.pk])


@resident_required
@require_http_methods(["GET", "POST"])
def apply_check(request, pk: int):
    """核对信息: every answer with a link to change it, then 提交."""
    person, journey = _started(request, pk)
    if journey is None:
        return redirect("portal:apply_what", pk=pk)
    errors = []
    if request.method == "POST":
        try:
            receipt = _submit(request, person, journey)
        except ValidationError as error:
            errors = error.messages
        else:
            del request.session[f"portal_apply_{person.pk}"]
            access_log_record(request=request, action=AccessLog.Action.EDIT, person=person,
                              detail=_("网上申请：%(s)s") % {"s": dict(WHAT_CHOICES)[journey["what"]]})
            return redirect(receipt)
    return render(request, "portal/apply_check.html", {
        "person": person, "journey": journey, "what_label": dict(WHAT_CHOICES)[journey["what"]],
        "with_documents": _with_documents(journey), "kind": journey["what"].split(":", 1)[0], "errors": errors,
        "has_errors": bool(errors), "referral_days": parameter_int("services.referral_days", on=timezone.localdate()),
        "card_days": parameter_int("certificate.request_working_days", on=timezone.localdate())},
        status=400 if errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def application(request, pk: int):
    """受理回执与办理进度: the reference number, each step, the first payment month; withdraw while open."""
    found = application_get(user=request.user, pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    form = WithdrawForm(request.POST if action == "withdraw" else None)
    answer = InfoAnswerForm(request.POST if action == "answer" else None, request.FILES if action == "answer" else None,
                            prefix="answer")
    posted = {"withdraw": form, "answer": answer}.get(action)
    if posted is not None and posted.is_valid():
        try:
            if action == "withdraw":
                benefit_services.application_withdraw(application=found, by=request.user,
                                                      reason=form.cleaned_data["reason"])
            else:
                benefit_services.application_info_answer(application=found, by=request.user,
                                                         note=answer.cleaned_data["note"],
                                                         documents=answer.cleaned_data["documents"])
        except ValidationError as error:
            attach_errors(posted, error)
        else:
            messages.success(request, _("申请已撤回。") if action == "withdraw" else _("已提交补充的内容。"))
            return redirect("portal:application", pk=pk)
    has_errors = posted is not None and bool(posted.errors)
    return render(request, "portal/application.html", {
        "application": found, "reference": selectors.reference_number(found), "form": form, "answer": answer,
        "steps": selectors.application_timeline(found, resident=request.user), "has_errors": has_errors,
        "open": found.is_open,
        "entitlement": getattr(found, "entitlement", None)}, status=400 if has_errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def assessment_request(request):
    """残疾评定和办证 for someone not on the register yet (oneself or a relative): one page, then 核对 and 提交."""
    saved = request.session.get("portal_assessment")
    form = AssessmentRequestForm(request.POST or None, initial=saved and {**saved, "area": saved["area"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        request.session["portal_assessment"] = {**data, "area": data["area"].pk}
        return redirect("portal:assessment_check")
    return render(request, "portal/assessment_request.html", {"form": form}, status=400 if form.errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def assessment_check(request):
    saved = request.session.get("portal_assessment")
    if not saved:
        return redirect("portal:assessment_request")
    area = get_object_or_404(Area, pk=saved["area"])
    errors = []
    if request.method == "POST":
        try:
            card_request = certificate_request_submit(by=request.user, kind=CertificateRequest.Kind.NEW, area=area,
                                                      **{k: v for k, v in saved.items() if k != "area"})
        except ValidationError as error:
            errors = error.messages
        else:
            del request.session["portal_assessment"]
            return redirect("portal:certificate_request", pk=card_request.pk)
    return render(request, "portal/assessment_check.html", {
        "saved": saved, "area": area, "category": Category(saved["category"]).label if saved.get("category") else "",
        "errors": errors, "has_errors": bool(errors)}, status=400 if errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def certificate_request(request, pk: int):
    """证件申请的回执与进度: the reference, each step, the outcome; withdraw while it waits."""
    found = selectors.certificate_request_of(user=request.user, pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_request_withdraw(request=found, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("申请已撤回。"))
            return redirect("portal:certificate_request", pk=pk)
    return render(request, "portal/certificate_request.html", {
        "item": found, "reference": f"ZJ{found.submitted_on:%Y%m%d}{found.pk:06d}", "form": form,
        "steps": selectors.certificate_request_timeline(found, resident=request.user),
        "open": found.state == CertificateRequest.State.SUBMITTED},
        status=400 if form.errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def need(request, pk: int):
    """A service asked for online (服务申请): its reference and steps — referred to a service, met or closed;
    withdrawn by the applicant while it is open."""
    found = selectors.need_of(user=request.user, pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need_close(need=found, by=request.user, note=_("申请人撤回：%(r)s") % {"r": form.cleaned_data["reason"]})
        except ValidationError as error:
            attach_errors(form, error, field_map={"note": "reason"})
        else:
            messages.success(request, _("申请已撤回。"))
            return redirect("portal:need", pk=pk)
    return render(request, "portal/need.html", {
        "need": found, "reference": selectors.need_reference(found), "form": form,
        "steps": selectors.need_timeline(found, resident=request.user), "open": found.state == NeedState.OPEN,
        "services": found.services.select_related("provider").order_by("pk")}, status=400 if form.errors else 200)


@resident_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """反映问题: a question, a request for help, a complaint … about a person the resident acts for; it goes to the
    officers' rights cases as 网上办事, with its deadline."""
    persons = list(selectors.persons_acted_for(request.user))
    if not persons:
        messages.warning(request, _("请先添加本人或家人，确认后再反映问题；也可以拨打 12385 残疾人服务热线。"))
        return redirect("portal:me")
    form = CaseForm(request.POST or None, persons=persons, initial={
        "phone": request.user.resident_account.phone, "person": persons[0].pk if len(persons) == 1 else None})
    if request.method == "POST" and form.is_valid():
        person = next(p for p in persons if p.pk == form.cleaned_data["person"])
        try:
            case = case_open(by=request.user, kind=form.cleaned_data["kind"], source=CaseSource.PORTAL,
                             received_on=timezone.localdate(), summary=form.cleaned_data["summary"], person=person,
                             caller_name=request.user.resident_account.name, caller_phone=form.cleaned_data["phone"])
        except ValidationError as error:
            attach_errors(form, error, field_map={"caller_phone": "phone"})
        else:
            access_log_record(request=request, action=AccessLog.Action.EDIT, person=person,
                              detail=_("网上办事：反映问题 %(ref)s") % {"ref": case.reference})
            messages.success(request, _("已受理，受理编号 %(ref)s。工作人员会在 %(due)s 前答复您。") % {
                "ref": case.reference, "due": case.due_on})
            return redirect("portal:case", pk=case.pk)
    return render(request, "portal/case_new.html", {"form": form}, status=400 if form.errors else 200)


@resident_required
def case(request, pk: int):
    """A matter raised online: its reference, the answer and the outcome, step by step."""
    found = selectors.case_of(user=request.user, pk=pk)
    return render(request, "portal/case.html", {
        "case": found, "steps": selectors.case_timeline(found, resident=request.user)})


# --- certificate check (残疾人证查验), public ------------------------------------------------------------------


def verify(request):
    """查验残疾人证: anyone may check whether a card number is valid today; the name is masked."""
    form = VerifyForm(request.GET or None)
    result = None
    if form.is_bound and _over_limit(f"verify:{client_address(request)}", VERIFY_PER_MINUTE, 60):
        form.is_valid()
        form.add_error("number", _("查验太频繁，请一分钟后再试。"))
        return render(request, "portal/verify.html", {"form": form, "result": None}, status=429)
    if form.is_bound and form.is_valid():
        try:
            result = selectors.certificate_verification(form.cleaned_data["number"], name=form.cleaned_data["name"],
                                                        proof=form.cleaned_data["proof"])
        except ValueError as error:
            form.add_error("number", str(error))
    return render(request, "portal/verify.html", {"form": form, "result": result}, status=400 if form.errors else 200)


# --- officers: authorisations to confirm (授权代办确认) -------------------------------------------------------


@person_staff_required
@require_http_methods(["GET", "POST"])
def proxies_pending(request):
    """待确认的代办授权: residents asking to act for a person of my areas; check the relationship, then decide."""
    pending = (Proxy.objects.filter(state=Proxy.State.PENDING).filter(residence_in_scope(request.user, prefix="person__"))
               .select_related("person", "resident__resident_account").order_by("declared_at"))
    forms = {}
    if request.method == "POST":
        chosen = request.POST.get("proxy", "")
        proxy = get_object_or_404(pending, pk=int(chosen) if chosen.isdigit() and len(chosen) < 18 else 0)
        form = ProxyDecisionForm(request.POST, prefix=f"p{proxy.pk}")
        if form.is_valid():
            try:
                services.proxy_decide(proxy=proxy, by=request.user, confirm=request.POST.get("action") == "confirm",
                                      note=form.cleaned_data["note"])
            except ValidationError as error:
                attach_errors(form, error)
            else:
                access_log_record(request=request, action=AccessLog.Action.EDIT, person=proxy.person,
                                  detail=_("代办授权：%(s)s") % {"s": proxy})
                messages.success(request, _("已处理：%(s)s") % {"s": proxy})
                return redirect("portal:proxies_pending")
        forms[proxy.pk] = form
    page = Paginator(pending, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    for proxy in page.object_list:
        proxy.form = forms.get(proxy.pk) or ProxyDecisionForm(prefix=f"p{proxy.pk}")
    return render(request, "portal/proxies_pending.html", {"page": page, "has_errors": bool(forms)},
                  status=400 if forms else 200)
