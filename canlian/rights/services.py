"""Writes of rights cases: take a case, assign it, answer, close with the person's satisfaction, reopen; and the
daily sweep that reminds the handler before the deadline and escalates a case past it (超期督办)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.models import User
from canlian.accounts.scope import residence_in_scope, scoped_areas, staff_required
from canlian.areas.models import Area
from canlian.common.records import not_after_today, reason_required, text_cleaned
from canlian.parameters.catalogue import SPECS
from canlian.parameters.selectors import parameter_int
from canlian.registry.models import Person
from canlian.registry.services import clean_person_name, clean_phone
from canlian.rights import rules
from canlian.rights.models import Case, CaseStep, Partner
from canlian.rights.rules import CaseKind, CaseSource, CaseState, Satisfaction
from canlian.rights.selectors import case_handlers, cases


def _day(day: date, *, field: str, not_before: date, label: str = "") -> date:
    not_after_today(day, field=field)
    if day < not_before:
        raise ValidationError({field: (_("日期不能早于%(label)s（%(d)s）。") if label else _("日期不能早于 %(d)s。")) % {
            "label": label, "d": not_before}})
    return day


def _deadline(kind: str, received_on: date) -> tuple[date, date]:
    limit = f"rights.due_calendar_days.{kind}"
    due = rules.due_on(received_on, parameter_int(f"rights.due_working_days.{kind}", on=received_on),
                       parameter_int(limit, on=received_on) if limit in SPECS else 0)
    return due, rules.reminder_day(due, parameter_int("rights.remind_working_days", on=received_on))


# A resident raises a few matters a day at most; more is a script, and a burden on the officers who read them.
PORTAL_CASES_PER_DAY = 5


@transaction.atomic
def case_open(*, by, kind: str, source: str, received_on: date, summary: str, area: Area | None = None,
              person: Person | None = None, caller_name: str = "", caller_phone: str = "") -> Case:
    """Take a case (受理). It belongs to the area of the person it concerns, or the area the caller names; an
    officer may take it only for their own areas, a resident (网上反映) only about a person they act for. Its
    deadline follows its kind."""
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("请选择案件类型。")})
    _day(received_on, field="received_on", not_before=date(2015, 1, 1))
    resident = by if getattr(by, "is_resident", False) else None
    if resident is not None:
        if person is None or not Person.objects.filter(residence_in_scope(by), pk=person.pk).exists():
            raise ValidationError({"person": _("请选择为谁反映。")})
        if Case.objects.filter(resident=by, received_on=received_on).count() >= PORTAL_CASES_PER_DAY:
            raise ValidationError(_("今天已经反映了 %(n)d 件事项，请明天再提交，或拨打 12385 残疾人服务热线。") % {
                "n": PORTAL_CASES_PER_DAY})
        source = CaseSource.PORTAL
    elif source not in CaseSource.values or source == CaseSource.PORTAL:
        raise ValidationError({"source": _("请选择来源。")})
    if person is not None:
        area = person.residence_area
        caller_name = caller_name or person.name
    if area is None:
        raise ValidationError({"area": _("请选择所属区域，或填写涉及的残疾人的身份证号。")})
    if resident is None and not scoped_areas(by).filter(pk=area.pk).exists():
        raise ValidationError({"area": _("“%(area)s”不在您负责的区域内。") % {"area": area.name}})
    caller_name = clean_person_name(caller_name, field="caller_name")
    caller_phone = clean_phone(caller_phone, field="caller_phone")
    summary = text_cleaned(summary, field="summary", label=_("反映内容"), max_length=1000)
    due, remind = _deadline(kind, received_on)
    case = Case.objects.create(kind=kind, source=source, received_on=received_on, area=area, person=person,
                               caller_name=caller_name, caller_phone=caller_phone, resident=resident,
                               summary=summary, due_on=due, remind_on=remind, opened_by=by)
    CaseStep.objects.create(case=case, kind=CaseStep.Kind.RECEIVED, on=received_on, by=by,
                            note=_("%(source)s受理，办结期限 %(due)s") % {"source": case.get_source_display(),
                                                                      "due": due})
    return case


def _locked(case: Case, *states: str, by) -> Case:
    # The pages find the case in the officer's areas; a service called from elsewhere must not act outside them.
    if not cases(user=by).filter(pk=case.pk).exists():
        raise ValidationError(_("这个案件不在您负责的区域内。"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.state not in states:
        # Another officer acted first: say where the case is now, change nothing.
        raise ValidationError(_("案件已是“%(state)s”，请刷新页面后再办理。") % {"state": case.get_state_display()})
    return case


@transaction.atomic
def case_assign(*, case: Case, by, officer: User | None = None, partner: Partner | None = None,
                note: str = "") -> Case:
    """Hand a case to an officer whose areas cover it, or to a partner body (分派 / 转办); a case being handled
    can be handed on."""
    staff_required(by)
    if (officer is None) == (partner is None):
        raise ValidationError({"officer": _("请选择承办人或协办单位（二选一）。")})
    case = _locked(case, CaseState.RECEIVED, CaseState.ASSIGNED, by=by)
    if officer is not None and not case_handlers(case).filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("%(name)s 的负责区域不包括“%(area)s”。") % {
            "name": officer, "area": case.area.name}})
    if partner is not None and not partner.active:
        raise ValidationError({"partner": _("“%(name)s”已停止分派。") % {"name": partner.name}})
    note = (note or "").strip()[:200]
    case.assigned_to, case.partner, case.state = officer, partner, CaseState.ASSIGNED
    case.save(update_fields=["assigned_to", "partner", "state"])
    CaseStep.objects.create(case=case, kind=CaseStep.Kind.ASSIGNED, on=timezone.localdate(), by=by,
                            note=_("分派给 %(to)s") % {"to": officer or partner} + (f"：{note}" if note else ""))
    return case


@transaction.atomic
def case_reply(*, case: Case, by, replied_on: date, reply: str) -> Case:
    """Record the answer given to the person (答复), by phone, letter or in person; it waits for the return call
    (回访) that closes it. A consultation answered on the spot needs no assignment first."""
    staff_required(by)
    case = _locked(case, CaseState.RECEIVED, CaseState.ASSIGNED, by=by)
    _day(replied_on, field="replied_on", not_before=case.received_on, label=_("受理日期"))
    reply = text_cleaned(reply, field="reply", label=_("答复内容"), max_length=1000)
    if case.assigned_to is None and case.partner is None:
        case.assigned_to = by
    case.state, case.answered_on = CaseState.ANSWERED, replied_on
    case.save(update_fields=["assigned_to", "state", "answered_on"])
    CaseStep.objects.create(case=case, kind=CaseStep.Kind.REPLIED, on=replied_on, by=by, note=reply)
    return case


@transaction.atomic
def case_close(*, case: Case, by, closed_on: date, outcome: str, satisfaction: str) -> Case:
    """Close an answered case with its outcome and the person's satisfaction from the return call (办结、回访)."""
    staff_required(by)
    case = _locked(case, CaseState.ANSWERED, by=by)
    _day(closed_on, field="closed_on", not_before=case.answered_on, label=_("答复日期"))
    outcome = text_cleaned(outcome, field="outcome", label=_("办理结果"), max_length=500)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择回访满意度。")})
    case.state, case.closed_on, case.outcome, case.satisfaction = CaseState.CLOSED, closed_on, outcome, satisfaction
    case.save(update_fields=["state", "closed_on", "outcome", "satisfaction"])
    CaseStep.objects.create(case=case, kind=CaseStep.Kind.CLOSED, on=closed_on, by=by,
                            note=f"{outcome}（{case.get_satisfaction_display()}）")
    return case


@transaction.atomic
def case_reopen(*, case: Case, by, reason: str, on: date | None = None) -> Case:
    """Handle a closed case again (重新办理), e.g. when the person was not satisfied: back to its handler, with a
    new deadline counted from today. The earlier closing stays in the steps."""
    staff_required(by)
    on = on or timezone.localdate()
    reason = reason_required(reason, field="reason", message=_("请填写重新办理的原因。"))
    case = _locked(case, CaseState.CLOSED, by=by)
    case.due_on, case.remind_on = _deadline(case.kind, on)
    case.state = CaseState.ASSIGNED if (case.assigned_to_id or case.partner_id) else CaseState.RECEIVED
    case.closed_on, case.answered_on, case.outcome, case.satisfaction = None, None, "", ""
    case.reminded_on = case.escalated_on = None
    case.reopened += 1
    case.save()
    CaseStep.objects.create(case=case, kind=CaseStep.Kind.REOPENED, on=on, by=by,
                            note=_("%(reason)s；新的办结期限 %(due)s") % {"reason": reason[:200], "due": case.due_on})
    return case


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    escalated: int


@transaction.atomic
def cases_sweep(*, on: date | None = None) -> SweepResult:
    """Remind the handlers of open cases whose deadline is near, and escalate those past it (超期督办): one step
    each, once. Set-based; the cases are locked, so a second sweep at once finds them done and adds nothing."""
    on = on or timezone.localdate()
    open_cases = Case.objects.exclude(state=CaseState.CLOSED)
    # "将到" only while the deadline is ahead: a case found already past it is escalated, not reminded.
    due = list(open_cases.filter(remind_on__lte=on, due_on__gte=on, reminded_on__isnull=True).select_for_update()
               .values_list("pk", "due_on"))
    late = list(open_cases.filter(due_on__lt=on, escalated_on__isnull=True).select_for_update()
                .values_list("pk", "due_on"))
    CaseStep.objects.bulk_create(
        [CaseStep(case_id=pk, kind=CaseStep.Kind.REMINDED, on=on, note=_("办结期限 %(due)s 将到，请抓紧办理。") % {
            "due": due_on}) for pk, due_on in due]
        + [CaseStep(case_id=pk, kind=CaseStep.Kind.ESCALATED, on=on, note=_("已超过办结期限 %(due)s，列入督办。") % {
            "due": due_on}) for pk, due_on in late])
    Case.objects.filter(pk__in=[pk for pk, _due in due]).update(reminded_on=on)
    Case.objects.filter(pk__in=[pk for pk, _due in late]).update(escalated_on=on)
    return SweepResult(reminded=len(due), escalated=len(late))
