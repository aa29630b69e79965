"""Writes of benefits: applications through review and approval (maker ≠ checker), and the entitlements they give."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from canlian.accounts.models import Role
from canlian.accounts.scope import residence_in_scope
from canlian.benefits import rules
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Application, Entitlement
from canlian.benefits.selectors import benefit_facts, benefit_options
from canlian.common.records import history_stamp, reason_required
from canlian.common.workdays import add_working_days
from canlian.parameters.selectors import parameter_int
from canlian.registry.choices import CertificateStatus, LifeStatus
from canlian.registry.models import Person

State = Application.State


def _require_person_in_scope(person: Person, by) -> None:
    if not Person.objects.filter(residence_in_scope(by), pk=person.pk).exists():
        raise ValidationError(_("该人员不在您负责的区域内。"))


def _lock(application: Application, *, allowed: set[str], by) -> Application:
    """The application as it is now, locked; refused if another officer has moved it on meanwhile."""
    application = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    _require_person_in_scope(application.person, by)
    if application.state not in allowed:
        raise ValidationError(_("这份申请当前状态为“%(s)s”，不能办理此操作（可能已由他人办理）。")
                              % {"s": application.get_state_display()})
    return application


@transaction.atomic
def application_submit(*, person: Person, scheme: str, by, note: str = "", on: date | None = None) -> Application:
    """Apply for a scheme on a person's behalf (代为申请); the community reviews within the deadline."""
    on = on or timezone.localdate()
    if scheme not in Scheme.values:
        raise ValidationError({"scheme": _("请选择补贴项目。")})
    _require_person_in_scope(person, by)
    if person.life_status != LifeStatus.ACTIVE:
        raise ValidationError(_("人员状态为“%(s)s”，不能申请补贴。") % {"s": person.get_life_status_display()})
    if Entitlement.objects.filter(person=person, scheme=scheme,
                                  state__in=[Entitlement.State.ACTIVE, Entitlement.State.SUSPENDED]).exists():
        raise ValidationError({"scheme": _("此人已在享受“%(s)s”，无需再申请。") % {"s": Scheme(scheme).label}})
    application = Application(person=person, scheme=scheme, submitted_by=by, submitted_on=on, note=note[:200],
                              due_on=add_working_days(on, parameter_int("benefits.review_working_days", on=on)))
    history_stamp(application, by=by, reason=_("提交申请"))
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError({"scheme": _("此人已有一份“%(s)s”申请正在办理。") % {"s": Scheme(scheme).label}}) from None
    return application


def _with_opinion(action: str, note: str) -> str:
    note = " ".join((note or "").split())
    return f"{action}：{note}" if note else action


@transaction.atomic
def application_review(*, application: Application, by, note: str = "", on: date | None = None) -> Application:
    """The community's review passed (社区审核), with the reviewer's opinion: the federation approves within its
    deadline."""
    on = on or timezone.localdate()
    application = _lock(application, allowed={State.SUBMITTED}, by=by)
    if by.pk == application.submitted_by_id:
        raise ValidationError(_("申请的录入人不能审核同一份申请：请由另一位工作人员审核。"))
    application.state, application.reviewed_by = State.REVIEWED, by
    application.due_on = add_working_days(on, parameter_int("benefits.approval_working_days", on=on))
    history_stamp(application, by=by, reason=_with_opinion(_("社区审核通过"), note))
    application.save()
    return application


def _require_checker(application: Application, by) -> None:
    """The federation decides (残联审批), and not the person who entered or reviewed it (maker ≠ checker)."""
    if by.role != Role.FEDERATION_OFFICER:
        raise ValidationError(_("审批由残联工作人员办理：专职委员可以录入和审核申请，不能审批。"))
    if by.pk in {application.submitted_by_id, application.reviewed_by_id}:
        raise ValidationError(_("申请的录入人和社区审核人不能审批同一份申请：请由另一位工作人员审批。"))


def _first_of_month(day: date, months_later: int) -> date:
    month = day.month - 1 + months_later
    return date(day.year + month // 12, month % 12 + 1, 1)


@transaction.atomic
def application_approve(*, application: Application, by, note: str = "", on: date | None = None) -> Entitlement:
    """Approve (残联审批): the entitlement starts the month after (configurable). The submitter or the community
    reviewer cannot approve: money needs a second person (maker ≠ checker)."""
    on = on or timezone.localdate()
    application = _lock(application, allowed={State.REVIEWED}, by=by)
    _require_checker(application, by)
    # Locked like entitlement_review locks it: a death recorded meanwhile is either seen here or reviewed after.
    person = Person.objects.select_for_update().get(pk=application.person_id)
    decision = rules.DECISIONS[application.scheme](benefit_facts(person, on=on), benefit_options(on=on))
    if not decision.allowed:
        raise ValidationError(_("按今天的情况不符合条件，不能批准：%(why)s。请驳回并写明原因。")
                              % {"why": "；".join(decision.failures)})
    application.state, application.decided_by, application.decided_on = State.APPROVED, by, on
    history_stamp(application, by=by, reason=_with_opinion(_("残联审批通过"), note))
    application.save()
    starts = _first_of_month(on, parameter_int("benefits.start_months_after_approval", on=on))
    entitlement = Entitlement(person=application.person, scheme=application.scheme, application=application,
                              starts_on=starts)
    history_stamp(entitlement, by=by, reason=_("依申请批准"))
    try:
        with transaction.atomic():
            entitlement.save()
    except IntegrityError:
        raise ValidationError(_("此人已在享受这项补贴，不能重复批准。")) from None
    return entitlement


@transaction.atomic
def application_reject(*, application: Application, by, reason: str, on: date | None = None) -> Application:
    """Reject at review or approval, with the reason the person will be told (驳回须说明理由)."""
    reason = reason_required(reason, message=_("请填写驳回原因，申请人会看到这段说明。"))[:200]
    application = _lock(application, allowed={State.SUBMITTED, State.REVIEWED}, by=by)
    if application.state == State.REVIEWED:
        _require_checker(application, by)
    application.state, application.decided_by, application.decided_on = State.REJECTED, by, on or timezone.localdate()
    application.reason = reason
    history_stamp(application, by=by, reason=_("驳回：%(r)s") % {"r": reason})
    application.save()
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by, reason: str) -> Application:
    """Withdraw an open application at the person's request (撤回)."""
    reason = reason_required(reason, message=_("请填写撤回原因，例如“本人要求撤回”。"))[:200]
    application = _lock(application, allowed={State.SUBMITTED, State.REVIEWED}, by=by)
    application.state, application.reason = State.WITHDRAWN, reason
    history_stamp(application, by=by, reason=_("撤回：%(r)s") % {"r": reason})
    application.save()
    return application


# --- automatic review (自动核查): the registry changed, do the entitlements still stand? ----------------------


def _stop_kind(facts: rules.BenefitFacts, person: Person, on: date) -> str:
    """Suspend when the cause can pass by itself (a card to renew or unfreeze); end otherwise."""
    if facts.life_status == LifeStatus.ACTIVE and facts.certificate_category is None and person.certificates.filter(
            status__in=[CertificateStatus.VALID, CertificateStatus.FROZEN]).exists():
        return Entitlement.State.SUSPENDED
    return Entitlement.State.ENDED


@transaction.atomic
def entitlement_review(*, person: Person, on: date, cause: str) -> list[Entitlement]:
    """Check a person's live entitlements against the rules as of a day; stop those no longer met from that
    month (the month of the change is the last one paid, 52号: 次月起停发), restart suspended ones now met.

    Returns the entitlements it changed, each with the reasons in its history.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    facts, options = benefit_facts(person, on=on), benefit_options(on=on)
    changed = []
    for entitlement in person.entitlements.filter(state__in=[Entitlement.State.ACTIVE, Entitlement.State.SUSPENDED]):
        decision = rules.DECISIONS[entitlement.scheme](facts, options)
        stop = None if decision.allowed else _stop_kind(facts, person, on)
        if entitlement.state == Entitlement.State.SUSPENDED and stop == Entitlement.State.ENDED:
            # Suspended for a card, and now stopped for good (a death, a move, a lower grade): it ends where it
            # stopped, and the person may apply again later.
            entitlement.state = Entitlement.State.ENDED
            entitlement.state_reason = ("；".join(decision.failures))[:200]
            history_stamp(entitlement, by=None, reason=_("%(cause)s：暂停后终止") % {"cause": cause})
        elif entitlement.state == Entitlement.State.ACTIVE and stop:
            last_month = _first_of_month(on, 0)
            entitlement.state = stop
            # Stopped before the first month: the month before it, i.e. no month paid.
            entitlement.ends_on = max(last_month, _first_of_month(entitlement.starts_on, -1))
            entitlement.state_reason = ("；".join(decision.failures))[:200]
            verb = (pgettext("待遇", "暂停") if entitlement.state == Entitlement.State.SUSPENDED
                    else pgettext("待遇", "终止"))
            history_stamp(entitlement, by=None, reason=_("%(cause)s：自 %(month)s 后%(verb)s") % {
                "cause": cause, "month": f"{entitlement.ends_on:%Y-%m}", "verb": verb})
        elif entitlement.state == Entitlement.State.SUSPENDED and decision.allowed:
            # The months in between are paid as arrears by the payroll (补发).
            entitlement.state, entitlement.ends_on = Entitlement.State.ACTIVE, None
            entitlement.state_reason = _("%(cause)s，恢复发放") % {"cause": cause}
            history_stamp(entitlement, by=None, reason=entitlement.state_reason)
        else:
            continue
        entitlement.save()
        changed.append(entitlement)
    return changed
