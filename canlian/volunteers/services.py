"""Writes of volunteer services and the emergency register: register a volunteer (on their consent), open a
person's request, match it to a volunteer, log the service with its hours and the person's feedback, record an
award; record a person's emergency needs, pair them with a helper, confirm the pairing again."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.scope import residence_in_scope, scoped_areas, staff_required
from canlian.areas.models import Area
from canlian.common.records import not_after_today, text_cleaned
from canlian.common.workdays import add_working_days
from canlian.parameters.selectors import parameter_int
from canlian.registry.choices import LifeStatus
from canlian.registry.models import Person
from canlian.registry.services import clean_person_name, clean_phone
from canlian.volunteers import rules
from canlian.volunteers.models import Award, EmergencyProfile, Organisation, Pairing, Request, Service, Volunteer
from canlian.volunteers.rules import EmergencyNeed, RequestKind
from canlian.volunteers.selectors import volunteer_kept_by, volunteers


def _volunteer_kept_by(volunteer: Volunteer, by) -> None:
    staff_required(by)
    if not volunteer_kept_by(volunteer, by):
        raise ValidationError(_("%(name)s 在“%(area)s”登记，由那里的工作人员办理。") % {
            "name": volunteer.name, "area": volunteer.area.name})


def _in_scope(by, person: Person) -> None:
    staff_required(by)
    if not Person.objects.filter(residence_in_scope(by), pk=person.pk).exists():
        raise ValidationError(_("%(name)s 不在您负责的区域内。") % {"name": person.name})
    if person.life_status != LifeStatus.ACTIVE:
        raise ValidationError(_("%(name)s 已不在册（%(status)s）。") % {
            "name": person.name, "status": person.get_life_status_display()})


# ---- Volunteers (志愿者) -----------------------------------------------------------------------------------------

@transaction.atomic
def volunteer_register(*, by, name: str, phone: str, area: Area, skills: list[str], consent: bool,
                       consent_on: date, availability: str = "", organisation: Organisation | None = None
                       ) -> Volunteer:
    """Register a volunteer: only with their consent to keep their name and phone for matching (本人同意)."""
    staff_required(by)
    if not consent:
        raise ValidationError({"consent": _("志愿者本人同意后才能登记：请先征得本人同意。")})
    not_after_today(consent_on, field="consent_on")
    if not scoped_areas(by).filter(pk=area.pk).exists():
        raise ValidationError({"area": _("“%(area)s”不在您负责的区域内。") % {"area": area.name}})
    skills = [skill for skill in RequestKind.values if skill in set(skills)]
    if not skills:
        raise ValidationError({"skills": _("请至少选择一项可提供的服务。")})
    phone = clean_phone(phone, field="phone")
    if not phone:
        raise ValidationError({"phone": _("请填写联系电话：对接服务时要联系志愿者。")})
    if Volunteer.objects.filter(phone=phone, active=True).exists():
        raise ValidationError({"phone": _("这个电话号码已登记为志愿者。")})
    try:
        with transaction.atomic():
            return Volunteer.objects.create(
                name=clean_person_name(name), phone=phone, area=area, organisation=organisation, skills=skills,
                availability=text_cleaned(availability, field="availability", label=_("可服务时间"), max_length=100,
                                   required=False),
                consent_on=consent_on, registered_by=by)
    except IntegrityError:  # registered by someone else at the same moment
        raise ValidationError({"phone": _("这个电话号码已登记为志愿者。")}) from None


@transaction.atomic
def volunteer_withdraw(*, volunteer: Volunteer, by, on: date) -> Volunteer:
    """A volunteer leaves or withdraws consent (退出): no longer matched; their hours stay in the record. What they
    still do for persons on the register must be handed on first; for persons no longer on it, it ends here."""
    _volunteer_kept_by(volunteer, by)
    on = not_after_today(on, field="on")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if not volunteer.active:
        raise ValidationError(_("这位志愿者已经退出。"))
    on_register = Q(person__life_status=LifeStatus.ACTIVE)
    matched = volunteer.requests.filter(state=Request.State.MATCHED)
    if matched.filter(on_register).exists():
        raise ValidationError(_("这位志愿者还有正在对接的服务需求，请先改派或完成。"))
    paired = volunteer.pairings.filter(ended_on__isnull=True)
    if paired.filter(on_register).exists():
        # Their phone is on the emergency list: the persons they help need another helper first.
        raise ValidationError(_("这位志愿者还是 %(n)d 位残疾人的应急结对帮扶人，请先为他们更换帮扶人。") % {
            "n": paired.filter(on_register).count()})
    matched.update(state=Request.State.CANCELLED, closed_note=_("志愿者退出；本人已不在册"))
    paired.update(ended_on=on)
    volunteer.active, volunteer.left_on = False, on
    volunteer.save(update_fields=["active", "left_on"])
    return volunteer


@transaction.atomic
def award_record(*, volunteer: Volunteer, by, title: str, awarded_on: date, awarded_by: str) -> Award:
    _volunteer_kept_by(volunteer, by)
    return Award.objects.create(
        volunteer=volunteer, title=text_cleaned(title, field="title", label=_("表彰名称"), max_length=100),
        awarded_on=not_after_today(awarded_on, field="awarded_on"),
        awarded_by=text_cleaned(awarded_by, field="awarded_by", label=_("表彰单位"), max_length=100), recorded_by=by)


# ---- Requests and services (志愿服务需求与记录) ---------------------------------------------------------------------

@transaction.atomic
def request_open(*, person: Person, by, kind: str, detail: str, wanted_on: date | None = None,
                 requested_on: date | None = None) -> Request:
    """A person's request for volunteer help, with the deadline to answer it (响应期限, working days)."""
    _in_scope(by, person)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("请选择服务类型。")})
    requested_on = not_after_today(requested_on or timezone.localdate(), field="requested_on")
    if wanted_on is not None and wanted_on < requested_on:
        raise ValidationError({"wanted_on": _("希望服务日期不能早于提出日期。")})
    due = add_working_days(requested_on, parameter_int("volunteers.answer_working_days", on=requested_on))
    return Request.objects.create(person=person, kind=kind, wanted_on=wanted_on, requested_on=requested_on,
                                  due_on=due, opened_by=by,
                                  detail=text_cleaned(detail, field="detail", label=_("具体需求"), max_length=500))


def _request_locked(request: Request, *states: str) -> Request:
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.state not in states:
        raise ValidationError(_("这项需求已是“%(state)s”，请刷新页面。") % {"state": request.get_state_display()})
    return request


@transaction.atomic
def request_match(*, request: Request, by, volunteer: Volunteer, on: date | None = None) -> Request:
    """Match a request to a volunteer who suits it (对接), by the rule's order; an officer may pick any suitable one.
    A matched request can be handed to another volunteer."""
    _in_scope(by, request.person)
    request = _request_locked(request, Request.State.OPEN, Request.State.MATCHED)
    if not volunteers(user=by).filter(pk=volunteer.pk, active=True).exists():
        raise ValidationError({"volunteer": _("请从列表中选择在册的志愿者。")})
    candidate = rules.match(volunteer_id=volunteer.pk, skills=volunteer.skills, request_kind=request.kind,
                            volunteer_area_path=volunteer.area.path,
                            person_area_path=request.person.residence_area.path,
                            open_requests=volunteer.requests.filter(state=Request.State.MATCHED).count())
    if candidate is None:
        raise ValidationError({"volunteer": _("%(name)s 没有登记可提供%(kind)s。") % {
            "name": volunteer.name, "kind": request.get_kind_display()}})
    request.state, request.volunteer = Request.State.MATCHED, volunteer
    request.matched_on, request.match_reason = on or timezone.localdate(), candidate.reason[:200]
    request.save(update_fields=["state", "volunteer", "matched_on", "match_reason"])
    return request


@transaction.atomic
def service_log(*, request: Request, by, served_on: date, hours: Decimal, note: str = "", feedback: str = "",
                feedback_note: str = "", finished: bool = False) -> Service:
    """Log a service the matched volunteer gave, with its hours and the person's feedback (服务记录); the last one
    finishes the request."""
    _in_scope(by, request.person)
    request = _request_locked(request, Request.State.MATCHED)
    not_after_today(served_on, field="served_on")
    if served_on < request.requested_on:
        raise ValidationError({"served_on": _("服务日期不能早于需求提出日期 %(d)s。") % {"d": request.requested_on}})
    if not (Decimal("0") < hours <= Decimal("24")):
        raise ValidationError({"hours": _("服务时长应在 0.1 到 24 小时之间。")})
    if hours != hours.quantize(Decimal("0.1")):  # the column keeps one decimal: 0.04 would become 0.0
        raise ValidationError({"hours": _("服务时长最多一位小数。")})
    if feedback and feedback not in Service.Feedback.values:
        raise ValidationError({"feedback": _("请从列表中选择评价。")})
    service = Service.objects.create(
        request=request, volunteer=request.volunteer, served_on=served_on, hours=hours, recorded_by=by,
        note=text_cleaned(note, field="note", label=_("服务内容"), max_length=500, required=False), feedback=feedback,
        feedback_note=text_cleaned(feedback_note, field="feedback_note", label=_("评价说明"), max_length=200,
                            required=False))
    if finished:
        request.state, request.closed_note = Request.State.DONE, _("服务完成")
        request.save(update_fields=["state", "closed_note"])
    return service


@transaction.atomic
def request_cancel(*, request: Request, by, reason: str) -> Request:
    _in_scope(by, request.person)
    request = _request_locked(request, Request.State.OPEN, Request.State.MATCHED)
    request.state = Request.State.CANCELLED
    request.closed_note = text_cleaned(reason, field="note", label=_("取消原因"), max_length=200)
    request.save(update_fields=["state", "closed_note"])
    return request


# ---- The emergency register (应急登记与结对帮扶) ----------------------------------------------------------------

@transaction.atomic
def emergency_profile_save(*, person: Person, by, needs: list[str], note: str = "") -> EmergencyProfile:
    """Record what a person needs in an emergency, as confirmed on a visit (replacing what was recorded before)."""
    _in_scope(by, person)
    needs = [need for need in EmergencyNeed.values if need in set(needs)]
    if not needs:
        raise ValidationError({"needs": _("请至少选择一项应急需求；没有需求的不用登记。")})
    profile, _created = EmergencyProfile.objects.update_or_create(person=person, defaults={
        "needs": needs, "note": text_cleaned(note, field="note", label=_("说明"), max_length=200, required=False),
        "recorded_on": timezone.localdate(), "recorded_by": by})
    return profile


@transaction.atomic
def pairing_set(*, person: Person, by, helper_kind: str, helper_name: str, helper_phone: str,
                started_on: date, volunteer: Volunteer | None = None) -> Pairing:
    """Pair a person with a named helper (结对); the pairing before it, if any, ends the same day."""
    _in_scope(by, person)
    if helper_kind not in Pairing.HelperKind.values:
        raise ValidationError({"helper_kind": _("请选择帮扶人身份。")})
    if volunteer is not None:
        if not volunteers(user=by).filter(pk=volunteer.pk, active=True).exists():
            raise ValidationError({"volunteer": _("请从列表中选择在册的志愿者。")})
        helper_kind, helper_name, helper_phone = Pairing.HelperKind.VOLUNTEER, volunteer.name, volunteer.phone
    helper_name = clean_person_name(helper_name, field="helper_name")
    helper_phone = clean_phone(helper_phone, field="helper_phone")
    if not helper_phone:
        raise ValidationError({"helper_phone": _("请填写帮扶人电话：紧急时要能联系到帮扶人。")})
    not_after_today(started_on, field="started_on")
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one pairing change per person at a time
    current = Pairing.objects.filter(person=person, ended_on__isnull=True).first()
    if current is not None:
        if started_on < current.started_on:
            raise ValidationError({"started_on": _("结对日期不能早于现有结对的日期 %(d)s。") % {"d": current.started_on}})
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    return Pairing.objects.create(person=person, helper_kind=helper_kind, helper_name=helper_name,
                                  helper_phone=helper_phone, volunteer=volunteer, started_on=started_on,
                                  confirmed_on=started_on, confirmed_by=by)


@transaction.atomic
def pairing_confirm(*, pairing: Pairing, by, on: date | None = None) -> Pairing:
    """The helper was reached and still agrees (确认结对关系): the date is kept as the last confirmation."""
    _in_scope(by, pairing.person)
    on = not_after_today(on or timezone.localdate(), field="on")
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.ended_on is not None:
        raise ValidationError(_("这一结对已经解除。"))
    pairing.confirmed_on, pairing.confirmed_by = max(on, pairing.confirmed_on), by
    pairing.save(update_fields=["confirmed_on", "confirmed_by"])
    return pairing
