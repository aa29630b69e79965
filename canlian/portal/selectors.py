"""Reads of the portal: only what a resident may see — the persons a confirmed authorisation names — and the
public certificate check, which shows a masked name and the card's state, nothing more."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.models import Proxy, Role
from canlian.accounts.scope import acted_for, residence_in_scope
from canlian.benefits.models import Application, Entitlement, PayrollLine, PayrollRun
from canlian.common.ids import IdNumberError, clean_number, normalize_id_number, parse_certificate_number
from canlian.exchange.selectors import certificate_for_verification
from canlian.portal.models import ResidentAccount
from canlian.registry.choices import CertificateStatus
from canlian.registry.models import Certificate, CertificateRequest, Person
from canlian.registry.proofs import proof_read
from canlian.rights.models import Case, CaseStep
from canlian.rights.selectors import case_get as rights_case_get
from canlian.rights.selectors import cases as rights_cases
from canlian.services.choices import NeedState
from canlian.services.models import Need


def login_name(raw: str) -> str:
    """The account's user name from what a resident types to sign in: an ID number (any form) or a phone."""
    text = clean_number(raw).removeprefix("+86")
    if len(text) == 11 and text.isdigit():
        account = ResidentAccount.objects.filter(phone=text).select_related("user").first()
        return account.user.username if account else text
    try:
        return normalize_id_number(text)
    except IdNumberError:
        return (raw or "").strip()  # a staff user name, as typed: so the form can tell them to use their own page


def proxies_of(user) -> QuerySet[Proxy]:
    return Proxy.objects.filter(resident=user).select_related("person").order_by("-declared_at")


def persons_acted_for(user) -> QuerySet[Person]:
    return Person.objects.filter(residence_in_scope(user)).order_by("pk")


def person_acted_for(*, user, pk) -> Person:
    """A person the resident may see; any other answers 404, whether it exists or not."""
    try:
        return persons_acted_for(user).select_related("residence_area").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def applications_of(user) -> QuerySet[Application]:
    """Every application for the persons the resident acts for, by whoever made it (online or at the counter)."""
    return (Application.objects.filter(residence_in_scope(user, prefix="person__")).select_related("person")
            .order_by("-submitted_on", "-pk"))


def reference_number(application: Application) -> str:
    """The receipt's reference (受理编号): the day submitted and the application's number."""
    return f"SQ{application.submitted_on:%Y%m%d}{application.pk:06d}"


@dataclass(frozen=True)
class Step:
    at: datetime
    title: str
    detail: str
    by: str


def _who(user, resident) -> str:
    if user is None:
        return _("系统")
    if user.pk == resident.pk:
        return _("您")
    if user.role == Role.RESIDENT:
        return _("代办家属")
    return {Role.COMMUNITY_OFFICER: _("社区专职委员"), Role.FEDERATION_OFFICER: _("残联工作人员"),
            Role.FEDERATION_LEADER: _("残联")}.get(user.role, _("工作人员"))


def _history_steps(item, states, *, resident) -> list[Step]:
    """An item's history records as steps, oldest first, in the resident's words (who by role, never by name)."""
    return [Step(at=record.history_date, title=states(record.state).label, detail=record.history_change_reason or "",
                 by=_who(record.history_user, resident))
            for record in item.history.select_related("history_user").order_by("history_date", "history_id")]


def application_timeline(application: Application, *, resident) -> list[Step]:
    """What happened to an application, with the first payment month once approved."""
    steps = _history_steps(application, Application.State, resident=resident)
    entitlement = Entitlement.objects.filter(application=application).first()
    if entitlement is not None:
        steps.append(Step(at=steps[-1].at, title=_("开始发放"), by=_("残联"),
                          detail=_("从 %(m)s 起按月发放。") % {"m": entitlement.starts_on.strftime("%Y-%m")}))
    return steps


def needs_of(user) -> QuerySet[Need]:
    """Services asked for online for the persons the resident acts for."""
    return (Need.objects.filter(residence_in_scope(user, prefix="person__"), source=Need.Source.PORTAL)
            .select_related("person").order_by("-opened_on", "-pk"))


def need_of(*, user, pk) -> Need:
    try:
        return needs_of(user).get(pk=pk)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def certificate_requests_of(user) -> QuerySet[CertificateRequest]:
    """Certificate requests for the persons the resident acts for, and those they made for someone not registered."""
    return (CertificateRequest.objects.filter(Q(person__in=acted_for(user)) | Q(submitted_by=user, person__isnull=True))
            .select_related("person", "area").order_by("-submitted_on", "-pk"))


def certificate_request_of(*, user, pk) -> CertificateRequest:
    try:
        return certificate_requests_of(user).get(pk=pk)
    except (CertificateRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def certificate_request_timeline(request: CertificateRequest, *, resident) -> list[Step]:
    return _history_steps(request, CertificateRequest.State, resident=resident)


def need_reference(need: Need) -> str:
    return f"FW{need.opened_on:%Y%m%d}{need.pk:06d}"


def need_timeline(need: Need, *, resident) -> list[Step]:
    return _history_steps(need, NeedState, resident=resident)


@dataclass(frozen=True)
class Message:
    subject: str
    url: str
    step: Step


def messages_for(user, *, since: datetime | None = None) -> list[Message]:
    """Messages (消息): every step an officer took on an application, a service or a card asked for, or a matter
    raised, that the resident can see (the latest 50 of each), newest first."""
    items = [(f"{a.get_scheme_display()}（{a.person.name}）", reverse("portal:application", args=[a.pk]),
              application_timeline(a, resident=user)) for a in applications_of(user)[:50]]
    items += [(f"{n.get_kind_display()}（{n.person.name}）", reverse("portal:need", args=[n.pk]),
               need_timeline(n, resident=user)) for n in needs_of(user)[:50]]
    items += [(f"{r.get_kind_display()}（{r.who}）", reverse("portal:certificate_request", args=[r.pk]),
               certificate_request_timeline(r, resident=user)) for r in certificate_requests_of(user)[:50]]
    items += [(f"{c.get_kind_display()}（{c.reference}）", reverse("portal:case", args=[c.pk]),
               case_timeline(c, resident=user)) for c in cases_of(user)[:50]]
    found = [Message(subject, url, step) for subject, url, steps in items for step in steps
             if step.by not in (_("您"), _("代办家属")) and (since is None or step.at > since)]
    return sorted(found, key=lambda message: message.step.at, reverse=True)


PAID_STATES = [PayrollRun.State.APPROVED, PayrollRun.State.EXPORTED, PayrollRun.State.RECONCILED]


def payments_of(person: Person) -> QuerySet[PayrollLine]:
    """The months paid to the person (approved runs), newest first; a failed payment says so."""
    return (PayrollLine.objects.filter(person=person, run__state__in=PAID_STATES).select_related("run")
            .order_by("-for_month", "scheme"))


def card_of(person: Person) -> Certificate | None:
    """The person's current card: the valid one, else the latest."""
    cards = person.certificates.order_by("-issued_on", "-pk")
    return cards.filter(status=CertificateStatus.VALID).first() or cards.first()


@dataclass(frozen=True)
class Verification:
    found: bool
    number: str = ""
    masked_name: str = ""
    category: str = ""
    grade: str = ""
    status: str = ""
    status_label: str = ""
    valid_until: date | None = None
    proof_checked: bool = False
    proof_issued_on: date | None = None  # set when the proof reference given is genuine for this number


def masked_name(name: str) -> str:
    """张*丰, 李*: the first and (for three or more characters) the last character."""
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 2 if len(name) > 2 else 1) + (name[-1] if len(name) > 2 else "")


def certificate_verification(raw: str, *, name: str, proof: str = "", on: date | None = None) -> Verification:
    """Check a certificate number with its holder's name (残疾人证查验, 跨省通办): whether the card is valid today, and
    whether a validity proof's reference is genuine for it. Without the right name the answer is "not found", so the
    page cannot be used to learn who is disabled from an ID number. A malformed number raises ValueError."""
    on = on or timezone.localdate()
    try:
        number = str(parse_certificate_number(raw))
    except IdNumberError as error:
        raise ValueError(str(error)) from None
    card = certificate_for_verification(number=number, on=on)
    issued = proof_read(proof, number=number) if proof else None
    if card is None or card.person.name != " ".join(unicodedata.normalize("NFKC", name or "").split()):
        return Verification(found=False, number=number)
    status = card.status_on(on)
    return Verification(found=True, number=number, masked_name=masked_name(card.person.name),
                        category=card.get_category_display(), grade=card.get_grade_display(), status=status,
                        status_label=CertificateStatus(status).label, valid_until=card.valid_until,
                        proof_checked=bool(proof), proof_issued_on=issued)


def cases_of(user) -> QuerySet[Case]:
    """The matters the resident raised online (网上反映)."""
    return rights_cases(user=user).select_related("person").order_by("-received_on", "-pk")


def case_of(*, user, pk) -> Case:
    return rights_case_get(user=user, pk=pk)


# What a resident sees of a case's steps: that it was taken, handed on, answered, closed or reopened, and the
# answer and the outcome in the officers' words; not who handled it, nor reminders and escalations inside.
_CASE_STEP_NOTE_SHOWN = {CaseStep.Kind.REPLIED, CaseStep.Kind.CLOSED}
_CASE_STEPS_SHOWN = {CaseStep.Kind.RECEIVED, CaseStep.Kind.ASSIGNED, CaseStep.Kind.REOPENED} | _CASE_STEP_NOTE_SHOWN


def case_timeline(case: Case, *, resident) -> list[Step]:
    return [Step(at=step.at, title=step.get_kind_display(), by=_who(step.by, resident),
                 detail=step.note if step.kind in _CASE_STEP_NOTE_SHOWN else "")
            for step in case.steps.filter(kind__in=_CASE_STEPS_SHOWN).select_related("by").order_by("at", "pk")]
