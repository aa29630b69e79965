"""Writes of needs and services: the survey visit section by section, needs opened from its answers, referrals,
service records checked against each type's rules, and needs met or closed with the reason."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.scope import residence_in_scope, staff_required
from canlian.common.numbers import money
from canlian.common.records import history_stamp, reason_required
from canlian.common.uploads import document_checked
from canlian.employment import services as employment_services
from canlian.employment.models import EmploymentRecord, employment_spell_on
from canlian.parameters.selectors import parameter_int, parameter_value
from canlian.registry.choices import LifeStatus
from canlian.registry.models import Person
from canlian.services import rules
from canlian.services.choices import SERVICE_FOR_NEED, SUBTYPES, NeedKind, NeedState, ServiceKind, ServiceOutcome
from canlian.services.models import (
    DeviceProduct,
    Institution,
    ModificationPhoto,
    ModificationProject,
    Need,
    ServiceRecord,
    SurveyVisit,
)
from canlian.services.selectors import person_facts, sections_for
from canlian.services.survey import SECTION_BY_KEY, section_form


def _require_in_scope(person: Person, by) -> None:
    if not Person.objects.filter(residence_in_scope(by), pk=person.pk).exists():
        raise ValidationError(_("该人员不在您负责的区域内。"))


# ---- The survey visit (入户调查) -----------------------------------------------------------------------------

@transaction.atomic
def survey_visit_start(*, person: Person, by, visited_on: date) -> SurveyVisit:
    """Open (or resume) this year's visit of a person."""
    _require_in_scope(person, by)
    today = timezone.localdate()
    if visited_on > today:
        raise ValidationError({"visited_on": _("入户日期不能晚于今天。")})
    if visited_on.year < 2015:  # the pages reach a year's visit from 2015 on (?year=)
        raise ValidationError({"visited_on": _("入户日期应在 2015 年或以后。")})
    if person.life_status != LifeStatus.ACTIVE:
        raise ValidationError(_("人员状态为“%(s)s”，不需要入户调查。") % {"s": person.get_life_status_display()})
    visit = SurveyVisit.objects.filter(person=person, year=visited_on.year).first()
    if visit is not None:
        return visit
    visit = SurveyVisit(person=person, year=visited_on.year, visited_on=visited_on, officer=by)
    history_stamp(visit, by=by, reason=_("开始入户调查"))
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the same visit opened from another tablet a moment ago
        return SurveyVisit.objects.get(person=person, year=visited_on.year)
    return visit


@transaction.atomic
def survey_section_save(*, visit: SurveyVisit, by, section: str, data) -> SurveyVisit:
    """Save one section's answers; a refused section changes nothing and says which answer is missing."""
    visit = SurveyVisit.objects.select_for_update().select_related("person").get(pk=visit.pk)
    _require_in_scope(visit.person, by)
    if visit.completed_at:
        raise ValidationError(_("这次调查已完成，不能再修改。"))
    spec = SECTION_BY_KEY.get(section)
    if spec is None or spec not in sections_for(visit.person, on=visit.visited_on):
        raise ValidationError(_("没有这一部分。"))
    form = section_form(spec, data)
    if not form.is_valid():
        raise ValidationError({key: errors for key, errors in form.errors.items()})
    visit.answers = {**visit.answers, section: form.cleaned_data}
    history_stamp(visit, by=by, reason=_("保存调查：%(s)s") % {"s": spec.title})
    visit.save(update_fields=["answers", "updated_at"])
    return visit


@transaction.atomic
def survey_visit_complete(*, visit: SurveyVisit, by) -> list[Need]:
    """Finish a visit: every section answered; each "needs X, not receiving X" opens a need (or joins the live
    one), and a changed employment answer becomes the person's employment record from the visit's day."""
    visit = SurveyVisit.objects.select_for_update().select_related("person").get(pk=visit.pk)
    person = visit.person
    _require_in_scope(person, by)
    if visit.completed_at:
        raise ValidationError(_("这次调查已完成。"))
    missing = [s.title for s in sections_for(person, on=visit.visited_on) if s.key not in visit.answers]
    if missing:
        raise ValidationError(_("还有未填写的部分：%(s)s。") % {"s": "、".join(str(m) for m in missing)})
    age = person.age_on(visit.visited_on)
    found = rules.needs_from_answers(visit.answers, age=age, child_max_age=parameter_int(
        "children.screening_max_age", on=visit.visited_on))
    opened = [need_open(person=person, by=by, kind=need.kind, source=Need.Source.SURVEY, detail=need.detail,
                        visit=visit, on=visit.visited_on) for need in found]
    _employment_from_survey(person, visit, by)
    visit.completed_at = timezone.now()
    history_stamp(visit, by=by, reason=_("完成入户调查"))
    visit.save(update_fields=["completed_at", "updated_at"])
    return opened


def _employment_from_survey(person: Person, visit: SurveyVisit, by) -> None:
    answer = visit.answers.get("employment")
    if not answer:
        return
    employed = answer["employed"] == "yes"
    current = EmploymentRecord.objects.filter(employment_spell_on(visit.visited_on), person=person).first()
    same = current is not None and current.employed == employed and (
        current.form == answer.get("form", "") if employed else current.not_working_reason == answer.get("reason", ""))
    # A record from the visit's day or later (a visit entered late) is newer than the answer and stands.
    if same or EmploymentRecord.objects.filter(person=person, started_on__gte=visit.visited_on).exists():
        return
    try:
        employment_services.employment_record_add(
            person=person, by=by, employed=employed, started_on=visit.visited_on, form=answer.get("form", ""),
            not_working_reason=answer.get("reason", ""), note=_("入户调查"))
    except ValidationError as error:
        raise ValidationError({"employment": error.messages}) from None


# ---- Needs (需求) --------------------------------------------------------------------------------------------

def need_open(*, person: Person, by, kind: str, source: str, detail: str = "", visit: SurveyVisit | None = None,
              on: date | None = None) -> Need:
    """Open a need, due for referral within the set days; a live need of the same kind is returned as it is."""
    _require_in_scope(person, by)
    on = on or timezone.localdate()
    if kind not in NeedKind.values:
        raise ValidationError({"kind": _("请选择需求类型。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    live = Need.objects.filter(person=person, kind=kind, state__in=[NeedState.OPEN, NeedState.REFERRED])
    if live.exists():
        return live.get()
    need = Need(person=person, kind=kind, source=source, detail=detail[:200], visit=visit, opened_on=on,
                due_on=on + timedelta(days=parameter_int("services.referral_days", on=on)), opened_by=by)
    history_stamp(need, by=by, reason=_("发现需求"))
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError:  # the same need opened a moment ago from another page
        return live.get()
    return need


def _lock_need(need: Need, by) -> Need:
    need = Need.objects.select_for_update().select_related("person").get(pk=need.pk)
    _require_in_scope(need.person, by)
    if not need.is_live:
        raise ValidationError(_("这项需求已办结（%(s)s），不能再办理。") % {"s": need.get_state_display()})
    return need


@transaction.atomic
def need_close(*, need: Need, by, note: str, on: date | None = None) -> Need:
    """Close a need without service, with the reason (e.g. 本人拒绝, 已迁出, 另有渠道解决)."""
    need = _lock_need(need, by)
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < need.opened_on:
        raise ValidationError({"note": _("办结日期应在发现日期 %(d)s 和今天之间。") % {"d": need.opened_on}})
    need.state, need.closed_on = NeedState.CLOSED, on
    need.close_note = reason_required(note, field="note", message=_("请填写关闭原因。"))[:200]
    history_stamp(need, by=by, reason=_("关闭需求"))
    need.save()
    return need


# ---- Services (服务记录) ----------------------------------------------------------------------------------------

def _check_service(*, person: Person, kind: str, subtype: str, provider: Institution | None,
                   product: DeviceProduct | None, day: date, subsidy: Decimal | None, cost: Decimal | None,
                   note: str = "", exclude: int | None = None) -> None:
    """Every rule a service of its type must meet; all failures are reported together at their fields."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in ServiceKind.values:
        refuse("kind", _("请选择服务类型。"))
    elif subtype not in dict(SUBTYPES[kind]):
        refuse("subtype", _("请选择%(k)s的服务项目。") % {"k": ServiceKind(kind).label})
    if provider is not None and not provider.is_qualified_on(day):
        refuse("provider", _("%(p)s 在 %(d)s 不在资质有效期内。") % {"p": provider, "d": day})
    if cost is not None and subsidy is not None and subsidy > cost:
        refuse("subsidy", _("补贴金额不能超过费用。"))
    facts = person_facts(person, on=day)
    if kind == ServiceKind.ASSISTIVE_DEVICE and subtype in ("fitting", "rental"):
        if product is None:
            refuse("product", _("请选择辅助器具产品。"))
        elif not product.active:
            refuse("product", _("%(p)s 已不在辅助器具目录中。") % {"p": product})
        elif subsidy is not None and subsidy > product.subsidy_limit:
            refuse("subsidy", _("%(p)s 的补贴限额为 %(limit)s 元。") % {"p": product, "limit": money(product.subsidy_limit)})
    if kind == ServiceKind.CHILD_REHABILITATION:
        decision = rules.child_rehabilitation_decision(facts, rules.ChildRehabilitationOptions(
            max_age=parameter_int("children.screening_max_age", on=day)))
        for failure in decision.failures:
            refuse("kind", failure)
        if provider is not None and not provider.designated_for_children:
            refuse("provider", _("%(p)s 不是残疾儿童康复救助定点机构。") % {"p": provider})
        if subsidy and subtype in dict(SUBTYPES[kind]):
            within = rules.subsidy_within_cap(amount=subsidy, already=_granted(person, kind, subtype, day, exclude),
                                              cap=parameter_value(f"children_rehab.cap.{subtype}", on=day))
            if not within.ok:
                refuse("subsidy", within.text)
    if kind == ServiceKind.EDUCATION and subtype == "deferred" and not note.strip():
        refuse("note", _("缓学或免学请在说明中写明原因。"))
    if kind == ServiceKind.CARE:
        decision = rules.care_decision(facts, rules.CareOptions(
            min_age=parameter_int("person.working_age_min", on=day),
            max_age=parameter_int("person.working_age_max", on=day)))
        for failure in decision.failures:
            refuse("kind", failure)
        if subsidy and subtype in dict(SUBTYPES[kind]):
            # The standard is per person and year: the year's records of the type count together.
            within = rules.subsidy_within_cap(amount=subsidy, already=_granted(person, kind, subtype, day, exclude),
                                              cap=parameter_value(f"care.subsidy.{subtype}", on=day))
            if not within.ok:
                refuse("subsidy", within.text)
    if errors:
        raise ValidationError(errors)


def _granted(person: Person, kind: str, subtype: str, day: date, exclude: int | None) -> Decimal:
    """Subsidies of a type already recorded for the person in the day's year."""
    return (ServiceRecord.objects.filter(person=person, kind=kind, subtype=subtype, started_on__year=day.year)
            .exclude(pk=exclude).aggregate(total=Sum("subsidy"))["total"] or Decimal(0))


@transaction.atomic
def service_record_add(*, person: Person, by, kind: str, subtype: str, need: Need | None = None,
                       provider: Institution | None = None, product: DeviceProduct | None = None,
                       referred_on: date | None = None, started_on: date | None = None, ended_on: date | None = None,
                       outcome: str = "", cost: Decimal | None = None, subsidy: Decimal | None = None,
                       note: str = "") -> ServiceRecord:
    """Record a service (or a referral to one): checked against its type's rules; a need it answers is referred,
    and met when the service ends completed."""
    staff_required(by)
    _require_in_scope(person, by)
    Person.objects.select_for_update().get(pk=person.pk)  # one at a time: yearly caps add up the person's records
    today = timezone.localdate()
    day = started_on or referred_on
    if day is None:
        raise ValidationError({"started_on": _("请填写转介日期或开始日期。")})
    for field, value in (("referred_on", referred_on), ("started_on", started_on), ("ended_on", ended_on)):
        if value and value > today:
            raise ValidationError({field: _("日期不能晚于今天。")})
    if ended_on and (started_on is None or ended_on < started_on):
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期。")})
    if referred_on and started_on and started_on < referred_on:
        raise ValidationError({"started_on": _("开始日期不能早于转介日期。")})
    _check_outcome(outcome, ended_on)
    _check_service(person=person, kind=kind, subtype=subtype, provider=provider, product=product, day=day,
                   subsidy=subsidy, cost=cost, note=note)
    if need is not None:
        need = _lock_need(need, by)
        if need.person_id != person.pk:
            raise ValidationError(_("这项需求不是此人的。"))
        if SERVICE_FOR_NEED.get(need.kind) != kind:
            raise ValidationError({"kind": _("“%(need)s”需求不能用“%(service)s”服务满足。") % {
                "need": need.get_kind_display(), "service": ServiceKind(kind).label}})
    service = ServiceRecord(person=person, kind=kind, subtype=subtype, need=need, provider=provider, product=product,
                            referred_on=referred_on, started_on=started_on, ended_on=ended_on, outcome=outcome,
                            cost=cost, subsidy=subsidy, note=note[:200], recorded_by=by)
    history_stamp(service, by=by, reason=_("登记服务"))
    service.save()
    if need is not None:
        _need_follow(need, service, by)
    return service


@transaction.atomic
def service_record_finish(*, service: ServiceRecord, by, started_on: date, ended_on: date | None, outcome: str,
                          cost: Decimal | None = None, subsidy: Decimal | None = None) -> ServiceRecord:
    """Record that a referred service started, and how it ended (服务结果); its need is met when completed."""
    service = ServiceRecord.objects.select_for_update(of=("self",)).select_related(
        "person", "provider", "product").get(pk=service.pk)
    _require_in_scope(service.person, by)
    today = timezone.localdate()
    if started_on > today or (ended_on and ended_on > today):
        raise ValidationError({"started_on": _("日期不能晚于今天。")})
    if service.referred_on and started_on < service.referred_on:
        raise ValidationError({"started_on": _("开始日期不能早于转介日期 %(d)s。") % {"d": service.referred_on}})
    if ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期。")})
    _check_outcome(outcome, ended_on)
    _check_service(person=service.person, kind=service.kind, subtype=service.subtype, provider=service.provider,
                   product=service.product, day=started_on, subsidy=subsidy, cost=cost, note=service.note,
                   exclude=service.pk)
    service.started_on, service.ended_on, service.outcome = started_on, ended_on, outcome
    service.cost, service.subsidy = cost, subsidy
    history_stamp(service, by=by, reason=_("登记服务结果"))
    service.save()
    if service.need_id:
        _need_follow(Need.objects.select_for_update().get(pk=service.need_id), service, by)
    return service


def _check_outcome(outcome: str, ended_on: date | None) -> None:
    if outcome not in ServiceOutcome.values or (ended_on and not outcome) or (outcome and not ended_on):
        raise ValidationError({"outcome": _("结束的服务请选择服务结果；尚未结束的请选择“进行中”并不填结束日期。")})


def _need_follow(need: Need, service: ServiceRecord, by) -> None:
    """A need is referred once a service answers it, and met when that service ends completed."""
    if not need.is_live:
        return
    if service.outcome in (ServiceOutcome.COMPLETED, ServiceOutcome.IMPROVED):
        need.state, need.closed_on = NeedState.MET, service.ended_on
        need.close_note = _("已获得服务：%(s)s") % {"s": service.subtype_label}
    elif service.outcome == ServiceOutcome.STOPPED:
        need.state = NeedState.OPEN  # the need is still there: refer again or close it with the reason
    else:
        need.state = NeedState.REFERRED
    history_stamp(need, by=by, reason=_("需求随服务更新"))
    need.save()


# ---- Home accessibility modification (家庭无障碍改造) ------------------------------------------------------------

Step = ModificationProject.Step
NEXT_STEP = {Step.APPLIED: Step.SURVEYED, Step.SURVEYED: Step.IN_WORKS, Step.IN_WORKS: Step.ACCEPTED}


@transaction.atomic
def modification_apply(*, person: Person, by, applied_on: date, need: Need | None = None,
                       note: str = "") -> ModificationProject:
    """Open a modification project for a household (申请); one open project per person."""
    staff_required(by)
    _require_in_scope(person, by)
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("申请日期不能晚于今天。")})
    if ModificationProject.objects.filter(person=person, step__in=list(NEXT_STEP)).exists():
        raise ValidationError(_("此人已有进行中的无障碍改造项目。"))
    if need is not None:
        need = _lock_need(need, by)
        if need.person_id != person.pk or need.kind != NeedKind.HOME_MODIFICATION:
            raise ValidationError(_("这项需求不是此人的家庭无障碍改造需求。"))
        need.state = NeedState.REFERRED  # the project answers it; acceptance meets it
        history_stamp(need, by=by, reason=_("已申请无障碍改造"))
        need.save()
    project = ModificationProject(person=person, need=need, applied_on=applied_on, note=note[:200], created_by=by)
    history_stamp(project, by=by, reason=_("申请无障碍改造"))
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        raise ValidationError(_("此人已有进行中的无障碍改造项目。")) from None
    return project


@transaction.atomic
def modification_advance(*, project: ModificationProject, by, on: date, plan: str = "", contractor: str = "",
                         cost: Decimal | None = None, subsidy: Decimal | None = None, photos=(),
                         note: str = "") -> ModificationProject:
    """Move a project one step on: surveyed (with the plan), works started (with the contractor), accepted (with
    the cost, the subsidy and at least one photo) — acceptance records the service and meets the need."""
    staff_required(by)
    project = ModificationProject.objects.select_for_update().select_related("person").get(pk=project.pk)
    _require_in_scope(project.person, by)
    following = NEXT_STEP.get(project.step)
    if following is None:
        raise ValidationError(_("这个项目已%(s)s，不能再办理。") % {"s": project.get_step_display()})
    previous = {Step.SURVEYED: project.applied_on, Step.IN_WORKS: project.surveyed_on,
                Step.ACCEPTED: project.works_started_on}[following]
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    if on < previous:
        raise ValidationError({"on": _("日期不能早于上一步的日期 %(d)s。") % {"d": previous}})
    if following == Step.SURVEYED:
        project.plan = reason_required(plan, field="plan", message=_("请填写评估确定的改造内容。"))[:300]
        project.surveyed_on = on
    elif following == Step.IN_WORKS:
        project.contractor = reason_required(contractor, field="contractor", message=_("请填写施工单位。"))[:100]
        project.works_started_on = on
    else:
        _accept(project, by=by, on=on, cost=cost, subsidy=subsidy, photos=photos)
    project.step = following
    if note:
        project.note = note[:200]
    history_stamp(project, by=by, reason=str(following.label))
    project.save()
    return project


def _accept(project: ModificationProject, *, by, on: date, cost, subsidy, photos) -> None:
    errors = {}
    if cost is None:
        errors["cost"] = [_("请填写改造费用。")]
    if subsidy is None:
        errors["subsidy"] = [_("请填写补贴金额（没有补贴填 0）。")]
    if not photos and not project.photos.exists():
        errors["photos"] = [_("请上传至少一张验收照片。")]
    checked = []
    for upload in photos:
        try:
            facts = document_checked(upload)
        except ValidationError as error:
            errors.setdefault("photos", []).extend(error.messages)
            continue
        if not facts["content_type"].startswith("image/"):
            errors.setdefault("photos", []).append(_("“%(n)s”不是照片：验收照片请上传 JPEG 或 PNG。") % {
                "n": facts["name"]})
        checked.append((upload, facts))
    if errors:
        raise ValidationError(errors)
    # The service first: a refusal (subsidy above the cost …) must leave no photo of the home behind on disk.
    project.service = service_record_add(
        person=project.person, by=by, kind=ServiceKind.HOME_MODIFICATION, subtype="modification",
        need=project.need if project.need and project.need.is_live else None, started_on=project.works_started_on,
        ended_on=on, outcome=ServiceOutcome.COMPLETED, cost=cost, subsidy=subsidy, note=project.plan[:200])
    for upload, facts in checked:
        photo = ModificationPhoto(project=project, name=facts["name"], content_type=facts["content_type"],
                                  uploaded_by=by)
        photo.file.save(facts["stored_name"], upload, save=False)
        photo.save()
    project.accepted_on, project.cost, project.subsidy = on, cost, subsidy


@transaction.atomic
def modification_cancel(*, project: ModificationProject, by, note: str) -> ModificationProject:
    """Cancel a project that has not been accepted (取消), with the reason."""
    staff_required(by)
    project = ModificationProject.objects.select_for_update().select_related("person").get(pk=project.pk)
    _require_in_scope(project.person, by)
    if project.step not in NEXT_STEP:
        raise ValidationError(_("这个项目已%(s)s，不能取消。") % {"s": project.get_step_display()})
    project.step = Step.CANCELLED
    project.note = reason_required(note, field="note", message=_("请填写取消原因。"))[:200]
    need = Need.objects.select_for_update().filter(pk=project.need_id, state=NeedState.REFERRED).first()
    if need is not None:  # the need is still there: reopen it for another way, or close it with the reason
        need.state = NeedState.OPEN
        history_stamp(need, by=by, reason=_("无障碍改造项目取消"))
        need.save()
    history_stamp(project, by=by, reason=_("取消无障碍改造"))
    project.save()
    return project


@transaction.atomic
def child_case_open(*, person: Person, by, on: date | None = None) -> Need:
    """Open a children's rehabilitation case (立案) for a child the rule accepts; screened children's cases say so."""
    staff_required(by)
    on = on or timezone.localdate()
    _require_in_scope(person, by)
    facts = person_facts(person, on=on)
    decision = rules.child_rehabilitation_decision(facts, rules.ChildRehabilitationOptions(
        max_age=parameter_int("children.screening_max_age", on=on)))
    if not decision.allowed:
        raise ValidationError(_("%(name)s 不符合残疾儿童康复救助条件：%(why)s") % {
            "name": person.name, "why": "；".join(decision.failures)})
    return need_open(person=person, by=by, kind=NeedKind.CHILD_REHABILITATION,
                     source=Need.Source.SCREENING if facts.screened else Need.Source.OFFICER,
                     detail=_("儿童康复救助立案"), on=on)
