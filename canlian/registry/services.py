"""Writes to the registry (一人一档). Every write keeps history with who did it and why."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.scope import residence_in_scope, scoped_areas
from canlian.areas.models import Area
from canlian.common.ids import (
    IdNumberError,
    birth_date_of,
    certificate_number_for,
    clean_number,
    normalize_id_number,
    parse_certificate_number,
    sex_of,
)
from canlian.common.masking import mask_id_number
from canlian.common.records import history_stamp, reason_required
from canlian.common.text import pinyin_initials
from canlian.common.workdays import add_working_days
from canlian.parameters.selectors import parameter_int
from canlian.registry import events, rules
from canlian.registry.choices import WG_DOMAINS, Category, CertificateStatus, LifeStatus, Relation, WgAnswer
from canlian.registry.models import (
    Assessment,
    AssessmentFinding,
    AssistanceStatus,
    Certificate,
    CertificateComponent,
    CertificateRequest,
    Household,
    HouseholdMember,
    Person,
)
from canlian.registry.selectors import AssistanceListChanges, assistance_list_changes

_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z\u1800-\u18af][\u3400-\u9fff\uf900-\ufaffA-Za-z\u1800-\u18af·• .]*$")
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")


def _today() -> date:
    return timezone.localdate()


def clean_person_name(raw: str, *, field: str = "name") -> str:
    name = " ".join(unicodedata.normalize("NFKC", str(raw or "")).split())
    if not name:
        raise ValidationError({field: _("请输入姓名。")})
    if len(name) > 50:
        raise ValidationError({field: _("姓名不能超过50个字。")})
    if not _NAME.match(name):
        raise ValidationError({field: _("姓名只能包含汉字、蒙古文、字母、空格和间隔号“·”。")})
    return name


def clean_phone(raw: str, *, field: str = "phone") -> str:
    phone = clean_number(raw)
    if phone and not _PHONE.match(phone):
        raise ValidationError({field: _("请输入11位手机号或带区号的固定电话，例如 13800000000 或 0479-7512345。")})
    return phone


def clean_id_number(raw: str, *, field: str = "id_number", today: date | None = None) -> str:
    try:
        return normalize_id_number(raw, today=today or _today())
    except IdNumberError as error:
        raise ValidationError({field: str(error)}) from None


def _require_scope(by, area: Area, field: str) -> None:
    if not scoped_areas(by).filter(pk=area.pk).exists():
        raise ValidationError({field: _("“%(area)s”不在您负责的区域内。") % {"area": area.name}})


def _save(instance, *, by, reason: str, conflict: ValidationError):
    """Save with history (who, why); a unique constraint hit by a concurrent write becomes `conflict`."""
    history_stamp(instance, by=by, reason=reason)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # A second submission, or another officer, got there first: the database kept the rule.
        raise conflict from None
    return instance


_PERSON_FIELDS = (
    "name", "ethnicity", "hukou_type", "hukou_area", "residence_area", "address", "phone", "guardian_name",
    "guardian_relation", "guardian_phone", "marital_status", "education_level",
)


def _cleaned_person_values(*, by, values: dict) -> dict:
    errors = {}
    cleaned = dict(values)
    for field, cleaner in (("name", clean_person_name), ("phone", clean_phone), ("guardian_phone", clean_phone)):
        if field in cleaned:
            try:
                cleaned[field] = cleaner(cleaned[field], field=field)
            except ValidationError as error:
                errors.update(error.message_dict)
    if cleaned.get("guardian_name"):
        try:
            cleaned["guardian_name"] = clean_person_name(cleaned["guardian_name"], field="guardian_name")
        except ValidationError as error:
            errors.update(error.message_dict)
    if "residence_area" in cleaned:
        try:
            _require_scope(by, cleaned["residence_area"], "residence_area")
        except ValidationError as error:
            errors.update(error.message_dict)
    for field in ("address", "guardian_relation"):
        if field in cleaned:
            cleaned[field] = " ".join(str(cleaned[field] or "").split())
    if errors:
        raise ValidationError(errors)
    return cleaned


def _duplicate_id_error(id_number: str) -> ValidationError:
    return ValidationError({"id_number": _("身份证号 %(id)s 已登记，不能重复登记；请通过查询找到该人员。")
                            % {"id": mask_id_number(id_number)}})


@transaction.atomic
def person_create(*, by, id_number: str, today: date | None = None, **values) -> Person:
    """Register a person (残疾人登记); birth date and sex come from the ID number."""
    unknown = set(values) - set(_PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    errors = {}
    try:
        id_number = clean_id_number(id_number, today=today)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        values = _cleaned_person_values(by=by, values=values)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if Person.objects.filter(id_number=id_number).exists():
        raise _duplicate_id_error(id_number)
    person = Person(
        id_number=id_number, birth_date=birth_date_of(id_number), sex=sex_of(id_number),
        name_initials=pinyin_initials(values["name"]), life_status=LifeStatus.ACTIVE, **values,
    )
    return _save(person, by=by, reason=_("登记"), conflict=_duplicate_id_error(id_number))


@transaction.atomic
def person_update(*, person: Person, by, reason: str = "", **values) -> Person:
    """Correct a person's details; an ID number change re-derives birth date and sex."""
    unknown = set(values) - set(_PERSON_FIELDS) - {"id_number"}
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    errors = {}
    new_id = None
    if "id_number" in values:
        try:
            new_id = clean_id_number(values.pop("id_number"))
        except ValidationError as error:
            errors.update(error.message_dict)
        if new_id and new_id != person.id_number:
            if Person.objects.filter(id_number=new_id).exclude(pk=person.pk).exists():
                errors.update(_duplicate_id_error(new_id).message_dict)
            elif person.certificates.exists():
                errors["id_number"] = [_("此人已有残疾人证，证号包含身份证号；请先注销证件再更正身份证号。")]
    try:
        values = _cleaned_person_values(by=by, values=values)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    person = _lock_person(person)
    if new_id and new_id != person.id_number:
        person.id_number, person.birth_date, person.sex = new_id, birth_date_of(new_id), sex_of(new_id)
    old_area = person.residence_area
    for field, value in values.items():
        setattr(person, field, value)
    person.name_initials = pinyin_initials(person.name)
    _save(person, by=by, reason=reason or _("修改信息"), conflict=_duplicate_id_error(person.id_number))
    if old_area.pk != person.residence_area_id:
        events.publish(events.PersonMoved(person_id=person.pk, old_area_code=old_area.code,
                                          new_area_code=person.residence_area.code))
    return person


@transaction.atomic
def person_change_life_status(*, person: Person, by, status: str, since: date, reason: str) -> Person:
    """Record a death, move away, cancellation or return (人员状态变更) from a date, with the reason."""
    # Check against the locked row, not the caller's copy: it may be stale (a second change, a second officer).
    person = _lock_person(person)
    errors = {}
    if status not in LifeStatus.values:
        errors["status"] = [_("请选择人员状态。")]
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = [_("请填写状态变更的原因。")]
    if since is None:
        errors["since"] = [_("请输入生效日期。")]
    elif since > _today():
        errors["since"] = [_("生效日期不能晚于今天。")]
    elif since < person.birth_date:
        errors["since"] = [_("生效日期不能早于出生日期。")]
    if not errors and status == person.life_status:
        errors["status"] = [_("人员状态已经是“%(s)s”。") % {"s": LifeStatus(status).label}]
    if errors:
        raise ValidationError(errors)
    old = person.life_status
    person.life_status, person.life_status_since, person.life_status_reason = status, since, reason
    history_stamp(person, by=by, reason=_("人员状态：%(old)s → %(new)s") % {
        "old": LifeStatus(old).label, "new": LifeStatus(status).label})
    person.save()
    if status == LifeStatus.DECEASED:
        for certificate in person.certificates.filter(status__in=[CertificateStatus.VALID, CertificateStatus.FROZEN]):
            _certificate_set_status(certificate, by=by, status=CertificateStatus.CANCELLED, on=since,
                                    reason=_("持证人死亡"), action="cancel")
    events.publish(events.PersonLifeStatusChanged(person_id=person.pk, old_status=old, new_status=status,
                                                  since=since, reason=reason))
    return person


# --- households (户) ---------------------------------------------------------------------------


@transaction.atomic
def household_create(*, by, head: Person, address: str = "", per_capita_income=None,
                     income_year: int | None = None) -> Household:
    """Open a household with a registered person as its head."""
    if HouseholdMember.objects.filter(person=head).exists():
        raise ValidationError({"head": _("%(name)s 已在一个家庭中。") % {"name": head.name}})
    household = Household(area=head.residence_area, address=address or head.address,
                          per_capita_income=per_capita_income, income_year=income_year)
    history_stamp(household, by=by, reason=_("建立家庭"))
    household.save()
    _save_member(HouseholdMember(household=household, person=head, relation=Relation.HEAD), by=by,
                 reason=_("户主"))
    return household


def _save_member(member: HouseholdMember, *, by, reason: str) -> HouseholdMember:
    return _save(member, by=by, reason=reason,
                 conflict=ValidationError(_("此人已在一个家庭中，或该家庭已有户主。")))


@transaction.atomic
def household_add_member(*, household: Household, by, relation: str, person: Person | None = None,
                         name: str = "", id_number: str = "", birth_date: date | None = None) -> HouseholdMember:
    """Add a member: a registered person, or a relative by name and ID number (or birth date)."""
    errors = {}
    if relation not in Relation.values:
        errors["relation"] = [_("请选择与户主关系。")]
    elif relation == Relation.HEAD and household.members.filter(relation=Relation.HEAD).exists():
        errors["relation"] = [_("一个家庭只能有一名户主。")]
    if person is not None:
        if HouseholdMember.objects.filter(person=person).exists():
            errors["person"] = [_("%(name)s 已在一个家庭中。") % {"name": person.name}]
        name, id_number, birth_date = "", "", None
    else:
        try:
            name = clean_person_name(name)
        except ValidationError as error:
            errors.update(error.message_dict)
        if id_number:
            try:
                id_number = clean_id_number(id_number)
                birth_date = birth_date_of(id_number)
            except ValidationError as error:
                errors.update(error.message_dict)
        elif birth_date and birth_date > _today():
            errors["birth_date"] = [_("出生日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    return _save_member(HouseholdMember(household=household, person=person, name=name, id_number=id_number,
                                        birth_date=birth_date, relation=relation), by=by, reason=_("加入家庭"))


@transaction.atomic
def household_update_income(*, household: Household, by, per_capita_income, income_year: int) -> Household:
    """Record the household's per-capita annual income for a year."""
    if per_capita_income is not None and per_capita_income < 0:
        raise ValidationError({"per_capita_income": _("人均收入不能为负数。")})
    household.per_capita_income, household.income_year = per_capita_income, income_year
    history_stamp(household, by=by, reason=_("更新家庭收入"))
    household.save()
    return household


# --- assessments and certificates (评定与残疾人证) ------------------------------------------------


@transaction.atomic
def assessment_record(*, person: Person, by, assessed_on: date, institution: str,
                      findings: list[rules.Finding], wg_answers: dict[str, int | None] | None = None) -> Assessment:
    """Record a disability assessment (残疾评定) with its category and grade findings."""
    errors = {}
    if assessed_on is None:
        errors["assessed_on"] = [_("请输入评定日期。")]
    elif assessed_on > _today():
        errors["assessed_on"] = [_("评定日期不能晚于今天。")]
    elif assessed_on < person.birth_date:
        errors["assessed_on"] = [_("评定日期不能早于出生日期。")]
    institution = " ".join((institution or "").split())
    if not institution:
        errors["institution"] = [_("请填写评定机构。")]
    wg_answers = wg_answers or {}
    if set(wg_answers) - {name for name, _label in WG_DOMAINS}:
        raise TypeError(f"unknown WG-SS questions: {sorted(set(wg_answers) - {n for n, _l in WG_DOMAINS})}")
    for name, answer in wg_answers.items():
        if answer is not None and answer not in WgAnswer.values:
            errors[name] = [_("请选择 1–4 的回答。")]
    if not findings:
        errors["findings"] = [_("请至少选择一个残疾类别及其等级。")]
    elif len({f.category for f in findings}) != len(findings):
        errors["findings"] = [_("同一残疾类别只能有一个等级。")]
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(person=person, assessed_on=assessed_on, institution=institution, recorded_by=by,
                            **wg_answers)
    history_stamp(assessment, by=by, reason=_("录入评定"))
    assessment.save()
    AssessmentFinding.objects.bulk_create(
        AssessmentFinding(assessment=assessment, category=f.category, grade=f.grade) for f in findings
    )
    return assessment


def _findings_of(assessment: Assessment) -> list[rules.Finding]:
    return [rules.Finding(f.category, f.grade) for f in assessment.findings.all()]


def _save_certificate(certificate: Certificate, *, by, reason: str) -> Certificate:
    return _save(certificate, by=by, reason=reason,
                 conflict=ValidationError(_("此人已持有有效残疾人证，或该证号已在使用。")))


def _publish_certificate(certificate: Certificate, action: str, on: date) -> None:
    events.publish(events.CertificateChanged(
        person_id=certificate.person_id, certificate_id=certificate.pk, action=action,
        status=certificate.status, category=certificate.category, grade=certificate.grade, on=on,
    ))


def _new_certificate(*, person: Person, by, category: int, grade: int, components, on: date, valid_until: date,
                     assessment: Assessment | None, replaces: Certificate | None, reissue_count: int,
                     reason: str, action: str) -> Certificate:
    certificate = Certificate(
        number=certificate_number_for(person.id_number, category, grade, reissue_count), person=person,
        category=category, grade=grade, reissue_count=reissue_count, issued_on=on, valid_until=valid_until,
        status=CertificateStatus.VALID, status_since=on, assessment=assessment, replaces=replaces,
    )
    _save_certificate(certificate, by=by, reason=reason)
    CertificateComponent.objects.bulk_create(
        CertificateComponent(certificate=certificate, category=c.category, grade=c.grade) for c in components
    )
    _publish_certificate(certificate, action, on)
    return certificate


def _lock_person(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _check_on(on: date, *, not_before: date | None = None) -> None:
    if on > _today():
        raise ValidationError({"on": _("办理日期不能晚于今天。")})
    if not_before is not None and on < not_before:
        raise ValidationError({"on": _("办理日期不能早于 %(d)s（证件或评定的日期）。") % {"d": not_before}})


def _issue_decision(person: Person, *, on: date, has_findings: bool):
    last_cancelled = (person.certificates.filter(status=CertificateStatus.CANCELLED)
                      .order_by("-status_since").values_list("status_since", flat=True).first())
    return rules.certificate_issue_decision(
        life_status=person.life_status,
        # A frozen card is still the person's one card (一人一证): unfreeze or cancel it first.
        holds_valid_certificate=person.certificates.filter(
            status__in=[CertificateStatus.VALID, CertificateStatus.FROZEN]).exists(),
        last_cancelled_on=last_cancelled, has_findings=has_findings, on=on,
        reapply_after_years=parameter_int("certificate.reapply_after_cancel_years", on=on),
    )


@transaction.atomic
def certificate_issue(*, person: Person, assessment: Assessment, by, on: date) -> Certificate:
    """Issue a certificate (发证) from an assessment, valid for the configured number of years."""
    _check_on(on, not_before=assessment.assessed_on)
    person = _lock_person(person)
    if assessment.person_id != person.pk:
        raise ValidationError({"assessment": _("评定记录不属于此人。")})
    findings = _findings_of(assessment)
    decision = _issue_decision(person, on=on, has_findings=bool(findings))
    if not decision.allowed:
        raise ValidationError(decision.failures)
    category, grade, components = rules.certificate_class_for(findings)
    years = parameter_int("certificate.validity_years", on=on)
    return _new_certificate(person=person, by=by, category=category, grade=grade, components=components, on=on,
                            valid_until=rules.add_years(on, years), assessment=assessment, replaces=None,
                            reissue_count=0, reason=_("发证"), action="issue")


@transaction.atomic
def certificate_register(*, person: Person, by, number: str, category: int, grade: int, issued_on: date,
                         valid_until: date | None = None, components: list[rules.Finding] = (),
                         assessment: Assessment | None = None) -> Certificate:
    """Enter a valid card issued before the platform (存量证件录入); its number must agree with the holder."""
    person = _lock_person(person)
    number = clean_number(number)
    problems = rules.certificate_number_problems(number=number, id_number=person.id_number,
                                                 category=category, grade=grade)
    if category == 7 and components and min(c.grade for c in components) != grade:
        problems.append(_("多重残疾的等级应为各类别中最重的等级。"))
    if issued_on > _today():
        problems.append(_("发证日期不能晚于今天。"))
    if problems:
        raise ValidationError({"number": problems})
    decision = _issue_decision(person, on=issued_on, has_findings=True)
    if not decision.allowed:
        raise ValidationError(decision.failures)
    years = parameter_int("certificate.validity_years", on=issued_on)
    return _new_certificate(
        person=person, by=by, category=category, grade=grade, components=components, on=issued_on,
        valid_until=valid_until or rules.add_years(issued_on, years), assessment=assessment, replaces=None,
        reissue_count=parse_certificate_number(number).reissue, reason=_("存量证件录入"), action="register",
    )


def _lock_certificate(certificate: Certificate, allowed: set[str], action_label: str, *, on: date,
                      expired_allowed: bool = False) -> Certificate:
    """Lock the holder, then the card (always in this order, so a death and a card action serialise)."""
    _lock_person(certificate.person)
    certificate = Certificate.objects.select_related("person").select_for_update(of=("self",)).get(
        pk=certificate.pk)
    if certificate.status not in allowed:
        raise ValidationError(
            _("证件状态为“%(s)s”，不能%(action)s。") % {"s": certificate.get_status_display(), "action": action_label}
        )
    if not expired_allowed and certificate.status_on(on) == CertificateStatus.EXPIRED:
        raise ValidationError(
            _("证件已于 %(d)s 到期，不能%(action)s；请先办理换证。") % {"d": certificate.valid_until,
                                                                "action": action_label})
    _check_on(on, not_before=certificate.status_since)
    return certificate


def _certificate_set_status(certificate: Certificate, *, by, status: str, on: date, reason: str,
                            action: str) -> Certificate:
    certificate.status, certificate.status_since, certificate.status_reason = status, on, reason
    _save_certificate(certificate, by=by, reason=reason)
    _publish_certificate(certificate, action, on)
    return certificate


@transaction.atomic
def certificate_renew(*, certificate: Certificate, by, on: date) -> Certificate:
    """Renew a card on expiry (换证): same number, a new validity period from the renewal day."""
    _check_on(on)
    certificate = _lock_certificate(certificate, {CertificateStatus.VALID, CertificateStatus.EXPIRED}, _("换证"),
                                    on=on, expired_allowed=True)
    if certificate.person.life_status != LifeStatus.ACTIVE:
        raise ValidationError(_("持证人状态为“%(s)s”，不能换证。") % {"s": certificate.person.get_life_status_display()})
    notice_days = parameter_int("certificate.expiry_notice_days", on=on)
    if not rules.certificate_renewable(valid_until=certificate.valid_until, on=on, notice_days=notice_days):
        raise ValidationError({"on": _("证件有效期至 %(d)s，到期前 %(n)d 天内才能换证；等级变化请办理等级变更。")
                                     % {"d": certificate.valid_until, "n": notice_days}})
    years = parameter_int("certificate.validity_years", on=on)
    certificate.issued_on, certificate.valid_until = on, rules.add_years(on, years)
    certificate.status, certificate.status_since, certificate.status_reason = CertificateStatus.VALID, on, ""
    _save_certificate(certificate, by=by, reason=_("换证（到期换领）"))
    _publish_certificate(certificate, "renew", on)
    return certificate


@transaction.atomic
def certificate_regrade(*, certificate: Certificate, assessment: Assessment, by, on: date) -> Certificate:
    """Change category or grade after a new assessment (等级变更): the old card is replaced by a new one."""
    _check_on(on, not_before=assessment.assessed_on)
    certificate = _lock_certificate(certificate, {CertificateStatus.VALID}, _("办理等级变更"), on=on)
    if assessment.person_id != certificate.person_id:
        raise ValidationError({"assessment": _("评定记录不属于此人。")})
    category, grade, components = rules.certificate_class_for(_findings_of(assessment))
    current = {(c.category, c.grade) for c in certificate.components.all()}
    if (category, grade) == (certificate.category, certificate.grade) and {
            (c.category, c.grade) for c in components} == current:
        raise ValidationError({"assessment": _("新评定的类别和等级与现有证件相同，无需变更；到期请办理换证。")})
    _certificate_set_status(certificate, by=by, status=CertificateStatus.REPLACED, on=on,
                            reason=_("等级变更，换发新证"), action="replaced")
    years = parameter_int("certificate.validity_years", on=on)
    return _new_certificate(person=certificate.person, by=by, category=category, grade=grade,
                            components=components, on=on, valid_until=rules.add_years(on, years),
                            assessment=assessment, replaces=certificate, reissue_count=0,
                            reason=_("等级变更发证"), action="regrade")


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by, on: date, reason: str) -> Certificate:
    """Reissue a lost or damaged card (补发): number gains the next Bn suffix, validity unchanged."""
    _check_on(on)
    reason = reason_required(reason)
    certificate = _lock_certificate(certificate, {CertificateStatus.VALID}, _("补发"), on=on)
    _certificate_set_status(certificate, by=by, status=CertificateStatus.REPLACED, on=on,
                            reason=_("补发：%(r)s") % {"r": reason}, action="replaced")
    components = [rules.Finding(c.category, c.grade) for c in certificate.components.all()]
    return _new_certificate(person=certificate.person, by=by, category=certificate.category,
                            grade=certificate.grade, components=components, on=on,
                            valid_until=certificate.valid_until, assessment=certificate.assessment,
                            replaces=certificate, reissue_count=certificate.reissue_count + 1,
                            reason=_("补发：%(r)s") % {"r": reason}, action="reissue")


@transaction.atomic
def certificate_freeze(*, certificate: Certificate, by, on: date, reason: str) -> Certificate:
    """Freeze a card (冻结), e.g. household registration moved away without transfer."""
    _check_on(on)
    reason = reason_required(reason)
    certificate = _lock_certificate(certificate, {CertificateStatus.VALID}, _("冻结"), on=on)
    return _certificate_set_status(certificate, by=by, status=CertificateStatus.FROZEN, on=on, reason=reason,
                                   action="freeze")


@transaction.atomic
def certificate_unfreeze(*, certificate: Certificate, by, on: date, reason: str) -> Certificate:
    """Lift a freeze (解冻) when the cause is resolved."""
    _check_on(on)
    reason = reason_required(reason)
    certificate = _lock_certificate(certificate, {CertificateStatus.FROZEN}, _("解冻"), on=on, expired_allowed=True)
    return _certificate_set_status(certificate, by=by, status=CertificateStatus.VALID, on=on, reason=reason,
                                   action="unfreeze")


@transaction.atomic
def certificate_cancel(*, certificate: Certificate, by, on: date, reason: str) -> Certificate:
    """Cancel a card (注销); no new application within the configured period afterwards."""
    _check_on(on)
    reason = reason_required(reason)
    certificate = _lock_certificate(
        certificate, {CertificateStatus.VALID, CertificateStatus.FROZEN, CertificateStatus.EXPIRED}, _("注销"),
        on=on, expired_allowed=True,
    )
    return _certificate_set_status(certificate, by=by, status=CertificateStatus.CANCELLED, on=on, reason=reason,
                                   action="cancel")


# --- social-assistance statuses (救助身份) ---------------------------------------------------------


@transaction.atomic
def assistance_statuses_apply(*, listed: QuerySet, mentioned: QuerySet, area: Area, kinds: list[str], on: date,
                              source: str) -> dict[str, int]:
    """Apply a civil-affairs list (低保/特困/低保边缘名单) as of its date: start, correct and end spells.

    Set-based: three statements whatever the list's size. See assistance_list_changes.
    """
    changes: AssistanceListChanges = assistance_list_changes(listed=listed, mentioned=mentioned, area=area,
                                                             kinds=kinds, on=on)
    ended = changes.ended.update(ended_on=on, ended_by=source[:100])
    corrected = changes.corrected.update(started_on=Subquery(
        listed.filter(person_id=OuterRef("person_id"), kind=OuterRef("kind")).values("started_on")[:1]))
    # INSERT … SELECT from the list itself: the rows never pass through Python.
    listed_sql, params = changes.started.values("person_id", "kind", "started_on").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AssistanceStatus._meta.db_table} (person_id, kind, started_on, started_by, ended_by) "  # noqa: S608
            f"SELECT listed.person_id, listed.kind, listed.started_on, %s, '' FROM ({listed_sql}) AS listed",
            [source[:100], *params])
        started = cursor.rowcount
    events.publish(events.AssistanceStatusesChanged(area_code=area.code, kinds=tuple(kinds), on=on, started=started,
                                                    corrected=corrected, ended=ended))
    return {"started": started, "corrected": corrected, "ended": ended}


# --- certificate requests (证件申请) ----------------------------------------------------------------------


@transaction.atomic
def certificate_request_submit(*, by, kind: str, area: Area, person: Person | None = None, applicant_name: str = "",
                               applicant_id_number: str = "", category: int | None = None, phone: str = "",
                               note: str = "", on: date | None = None) -> CertificateRequest:
    """Ask for an assessment and a first card (someone not yet registered), a renewal or a lost card's reissue
    (证件申请); the area's officer accepts it within the set working days. Made by an officer or a resident for
    someone they act for."""
    on = on or _today()
    errors: dict[str, list[str]] = {}
    if kind not in CertificateRequest.Kind.values:
        errors["kind"] = [_("请选择申请事项。")]
    if kind == CertificateRequest.Kind.NEW:
        try:
            applicant_id_number = clean_id_number(applicant_id_number, field="applicant_id_number")
        except ValidationError as error:
            errors.update(error.message_dict)
        try:
            applicant_name = clean_person_name(applicant_name, field="applicant_name")
        except ValidationError as error:
            errors.update(error.message_dict)
        # Whether the number is already on the register is not said here: the officer finds the match.
        if category is not None and category not in Category.values:
            errors["category"] = [_("请选择残疾类别。")]
        person = None
    elif person is None:
        errors["kind"] = [_("换证、补证须为已登记的残疾人办理。")]
    else:
        if not Person.objects.filter(residence_in_scope(by), pk=person.pk).exists():
            errors["kind"] = [_("该人员不在您负责的区域内。")]
        elif not person.certificates.exists():
            errors["kind"] = [_("%(n)s 还没有残疾人证：请申请残疾评定和办证。") % {"n": person.name}]
        area, applicant_name, applicant_id_number = person.residence_area, "", ""
    if phone:
        try:
            phone = clean_phone(phone, field="phone")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    request = CertificateRequest(
        kind=kind, person=person, applicant_name=applicant_name, applicant_id_number=applicant_id_number, area=area,
        category=category, phone=phone, note=" ".join(note.split())[:200], submitted_by=by, submitted_on=on,
        due_on=add_working_days(on, parameter_int("certificate.request_working_days", on=on)))
    history_stamp(request, by=by, reason=_("提交申请"))
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError({"kind": _("这项申请已经提交过，正在办理。")}) from None
    return request


def _certificate_request_locked(request: CertificateRequest) -> CertificateRequest:
    # No select_related: the person is a nullable join, and PostgreSQL cannot lock the nullable side of one.
    request = CertificateRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != CertificateRequest.State.SUBMITTED:
        raise ValidationError(_("这项申请已经%(s)s。") % {"s": request.get_state_display()})
    return request


@transaction.atomic
def certificate_request_decide(*, request: CertificateRequest, by, done: bool, outcome: str) -> CertificateRequest:
    """Close a request with what was done (已办结: 已评定发证、已换证、已补发) or why not (未予办理)."""
    request = _certificate_request_locked(request)
    if not by.works_with_persons or not scoped_areas(by).filter(pk=request.area_id).exists():
        raise ValidationError(_("这项申请不在您负责的区域内。"))
    outcome = reason_required(outcome, field="outcome", message=_("请填写办理结果，居民会看到它。"))[:200]
    request.state = CertificateRequest.State.DONE if done else CertificateRequest.State.REFUSED
    request.decided_by, request.decided_on, request.outcome = by, _today(), outcome
    history_stamp(request, by=by, reason=outcome)
    request.save()
    return request


@transaction.atomic
def certificate_request_withdraw(*, request: CertificateRequest, by, reason: str) -> CertificateRequest:
    """The person (or whoever made the request) withdraws it (撤回)."""
    request = _certificate_request_locked(request)
    if request.submitted_by_id != by.pk and not scoped_areas(by).filter(pk=request.area_id).exists():
        raise ValidationError(_("只有申请人或负责区域的工作人员可以撤回。"))
    reason = reason_required(reason, message=_("请填写撤回原因，例如“不再需要”。"))[:200]
    request.state, request.outcome = CertificateRequest.State.WITHDRAWN, reason
    history_stamp(request, by=by, reason=_("撤回：%(r)s") % {"r": reason})
    request.save()
    return request
