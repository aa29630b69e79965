"""Writes of benefits: applications through review and approval (maker ≠ checker), and the entitlements they give."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from canlian.accounts.models import Role
from canlian.accounts.scope import residence_in_scope, scope_paths, staff_required
from canlian.areas.models import Area
from canlian.benefits import payroll, rules
from canlian.benefits.choices import Scheme
from canlian.benefits.models import (
    Application,
    ApplicationDocument,
    Entitlement,
    PayrollLine,
    PayrollRun,
    Recovery,
)
from canlian.benefits.selectors import benefit_facts, benefit_options, standard_rows
from canlian.common.masking import mask_id_number
from canlian.common.records import history_stamp, reason_required
from canlian.common.uploads import document_checked, document_cleaned
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
def application_submit(*, person: Person, scheme: str, by, note: str = "", on: date | None = None,
                       documents: list[File] = ()) -> Application:
    """Apply for a scheme on a person's behalf (代为申请), with its supporting documents (申请材料: PDF, JPEG or
    PNG by content); the community reviews within the deadline. A bad document refuses the whole application."""
    on = on or timezone.localdate()
    if scheme not in Scheme.values:
        raise ValidationError({"scheme": _("请选择补贴项目。")})
    if len(documents) > settings.DOCUMENTS_PER_APPLICATION:
        raise ValidationError({"documents": _("一份申请最多上传 %(n)d 个材料。") % {"n": settings.DOCUMENTS_PER_APPLICATION}})
    checked = _documents_checked(documents)
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
    _documents_store(application, checked, by=by)
    return application


def _documents_checked(documents: list[File]) -> list[tuple[File, dict]]:
    """Each upload as it will be kept (images saved again without their metadata) with its facts; the first bad
    one refuses them all, its reason at the documents field."""
    checked = []
    for upload in documents:
        try:
            cleaned = document_cleaned(upload)
            checked.append((cleaned, document_checked(cleaned)))
        except ValidationError as error:
            raise ValidationError({"documents": error.messages}) from None
    return checked


def _documents_store(application: Application, checked: list[tuple[File, dict]], *, by) -> None:
    for upload, facts in checked:
        stored = facts.pop("stored_name")
        document = ApplicationDocument(application=application, uploaded_by=by, **facts)
        document.file.save(stored, upload, save=False)
        document.save()


def _with_opinion(action: str, note: str) -> str:
    note = " ".join((note or "").split())
    return f"{action}：{note}" if note else action


@transaction.atomic
def application_review(*, application: Application, by, note: str = "", on: date | None = None) -> Application:
    """The community's review passed (社区审核), with the reviewer's opinion: the federation approves within its
    deadline."""
    staff_required(by)
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


@transaction.atomic
def application_approve(*, application: Application, by, note: str = "", on: date | None = None) -> Entitlement:
    """Approve (残联审批): the entitlement starts the month after (configurable). The submitter or the community
    reviewer cannot approve: money needs a second person (maker ≠ checker)."""
    staff_required(by)
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
    starts = payroll.add_months(on, parameter_int("benefits.start_months_after_approval", on=on))
    # Marked as possibly owing from its start: a payroll already built for that month pays it next time (补发).
    entitlement = Entitlement(person=application.person, scheme=application.scheme, application=application,
                              starts_on=starts, arrears_from=starts)
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
    staff_required(by)
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


@transaction.atomic
def application_info_request(*, application: Application, by, message: str) -> Application:
    """Ask the applicant for a document or a fact (请补充材料); they see it online and answer there or at the
    counter. The application stays where it is on the worklist."""
    message = reason_required(message, field="note", message=_("请写明需要补充什么，申请人会看到这句话。"))[:200]
    application = _lock(application, allowed={State.SUBMITTED, State.REVIEWED}, by=by)
    if by.is_resident:
        raise ValidationError(_("只有工作人员可以要求补充材料。"))
    application.info_request = message
    history_stamp(application, by=by, reason=_("请补充材料：%(m)s") % {"m": message})
    application.save()
    return application


@transaction.atomic
def application_info_answer(*, application: Application, by, note: str = "", documents: list[File] = ()) -> Application:
    """Answer a request for more (补正): a note, documents, or both; the request is then cleared."""
    application = _lock(application, allowed={State.SUBMITTED, State.REVIEWED}, by=by)
    if not application.info_request:
        raise ValidationError(_("这份申请没有需要补充的内容。"))
    note = " ".join((note or "").split())[:200]
    if not note and not documents:
        raise ValidationError({"note": _("请填写补充说明或上传材料。")})
    if application.documents.count() + len(documents) > settings.DOCUMENTS_PER_APPLICATION:
        raise ValidationError({"documents": _("一份申请最多上传 %(n)d 个材料。") % {"n": settings.DOCUMENTS_PER_APPLICATION}})
    _documents_store(application, _documents_checked(documents), by=by)
    if note:  # on the worklist beside the application, for the officer who asked
        application.note = f"{application.note}；{_('补充')}：{note}"[-200:]
    application.info_request = ""
    history_stamp(application, by=by, reason=_("已补充：%(n)s") % {
        "n": note or _("上传了 %(k)d 个材料") % {"k": len(documents)}})
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
            last_month = payroll.add_months(on, 0)
            entitlement.state = stop
            # Stopped before the first month: the month before it, i.e. no month paid.
            entitlement.ends_on = max(last_month, payroll.add_months(entitlement.starts_on, -1))
            entitlement.state_reason = ("；".join(decision.failures))[:200]
            verb = (pgettext("待遇", "暂停") if entitlement.state == Entitlement.State.SUSPENDED
                    else pgettext("待遇", "终止"))
            history_stamp(entitlement, by=None, reason=_("%(cause)s：自 %(month)s 后%(verb)s") % {
                "cause": cause, "month": f"{entitlement.ends_on:%Y-%m}", "verb": verb})
        elif entitlement.state == Entitlement.State.SUSPENDED and decision.allowed:
            # The months in between are owed: the next payroll checks them month by month (补发).
            entitlement.arrears_from = payroll.add_months(entitlement.ends_on, 1)
            entitlement.state, entitlement.ends_on, entitlement.arrears_run = Entitlement.State.ACTIVE, None, None
            entitlement.state_reason = _("%(cause)s，恢复发放") % {"cause": cause}
            history_stamp(entitlement, by=None, reason=entitlement.state_reason)
        else:
            continue
        entitlement.save()
        changed.append(entitlement)
    if changed:
        recoveries_detect(on=timezone.localdate(), person=person)
    return changed


# --- monthly payroll (月度发放): built → reviewed → approved → exported → reconciled ----------------------------

RunState = PayrollRun.State
FEDERATION_ROLES = {Role.FEDERATION_OFFICER, Role.FEDERATION_LEADER}


def _require_area_in_scope(area: Area, by) -> None:
    if not any(area.path.startswith(path) for path in scope_paths(by)):
        raise ValidationError(_("该发放区域不在您负责的范围内。"))


def _require_federation(by) -> None:
    if by.role not in FEDERATION_ROLES:
        raise ValidationError(_("发放表由残联工作人员办理。"))


def _lock_run(run: PayrollRun, *, allowed: set[str], by) -> PayrollRun:
    run = PayrollRun.objects.select_for_update().select_related("area").get(pk=run.pk)
    _require_federation(by)
    _require_area_in_scope(run.area, by)
    if run.state not in allowed:
        raise ValidationError(_("这张发放表当前状态为“%(s)s”，不能办理此操作（可能已由他人办理）。")
                              % {"s": run.get_state_display()})
    return run


def _require_in_sequence(run: PayrollRun) -> None:
    """Runs of a scheme follow each other month by month, one area's runs never overlapping another's."""
    others = PayrollRun.objects.filter(scheme=run.scheme).exclude(pk=run.pk)
    for path, name in others.exclude(area=run.area).values_list("area__path", "area__name").distinct():
        if path.startswith(run.area.path) or run.area.path.startswith(path):
            raise ValidationError(_("“%(area)s”已单独生成这项补贴的发放表，区域不能重叠。") % {"area": name})
    mine = others.filter(area=run.area)
    later = mine.filter(month__gt=run.month).order_by("month").first()
    if later:
        raise ValidationError(_("已有 %(m)s 的发放表，不能再生成更早的月份：漏发的月份会在下一次发放时自动补发。")
                              % {"m": f"{later.month:%Y-%m}"})
    pending = mine.filter(state__in=[RunState.DRAFT, RunState.REVIEWED]).first()
    if pending:
        raise ValidationError(_("%(m)s 的发放表尚未审批：请先办结上一张发放表。") % {"m": f"{pending.month:%Y-%m}"})
    previous = payroll.add_months(run.month, -1)
    if mine.exists() and not mine.filter(month=previous).exists():
        raise ValidationError(_("缺少 %(m)s 的发放表：请按月份顺序生成。") % {"m": f"{previous:%Y-%m}"})


def _arrears_insert(run: PayrollRun, standards: list[rules.StandardRow]) -> None:
    """Pay the months owed (补发) of entitlements marked as possibly owing, each month by that month's rules and
    standard; then record that this run looked at them (its approval clears the marks)."""
    marked = Entitlement.objects.filter(scheme=run.scheme, arrears_from__lt=run.month,
                                        person__residence_area__path__startswith=run.area.path)
    first_marked = marked.aggregate(first=Min("arrears_from"))["first"]
    if first_marked is None:
        return
    # Months before the area's first payroll on the platform were paid outside it.
    first_run = PayrollRun.objects.filter(scheme=run.scheme, area=run.area).aggregate(first=Min("month"))["first"]
    month = max(first_marked, first_run)
    while month < run.month:
        payroll.lines_insert(run, month=month, options=benefit_options(on=month), standards=standards, arrears=True)
        month = payroll.add_months(month, 1)
    marked.update(arrears_run=run)


@transaction.atomic
def payroll_run_build(*, scheme: str, month: date, area: Area, by, replace_draft: bool = False) -> PayrollRun:
    """Build a month's payroll of a scheme for an area (生成发放表): the month's lines and any months owed, as a
    few INSERT … SELECT statements whatever the number of persons. A draft may be rebuilt with today's data; a
    reviewed or later run is locked. Two workers starting the same month get exactly one run."""
    if scheme not in payroll.PAYROLL_SCHEMES:
        raise ValidationError({"scheme": _("请选择按月发放的补贴项目（生活补贴或护理补贴）。")})
    if by.role != Role.FEDERATION_OFFICER:
        raise ValidationError(_("发放表由残联工作人员生成。"))
    _require_area_in_scope(area, by)
    month = month.replace(day=1)
    label = {"m": f"{month:%Y-%m}", "s": Scheme(scheme).label}
    try:
        with transaction.atomic():
            run = PayrollRun.objects.create(scheme=scheme, month=month, area=area, built_by=by,
                                            built_at=timezone.now())
    except IntegrityError:
        run = PayrollRun.objects.select_for_update().select_related("area").get(scheme=scheme, month=month,
                                                                                 area=area)
        if run.state != RunState.DRAFT:
            raise ValidationError(_("%(m)s 的“%(s)s”发放表已在办理中（%(state)s），不能重新生成。")
                                  % {**label, "state": run.get_state_display()}) from None
        if not replace_draft:
            raise ValidationError(_("%(m)s 的“%(s)s”发放表草稿已存在：如需按最新数据重新生成，请勾选“重新生成草稿”。")
                                  % label) from None
        run.lines.all().delete()
        Entitlement.objects.filter(arrears_run=run).update(arrears_run=None)
        run.built_by, run.built_at = by, timezone.now()
    _require_in_sequence(run)
    standards = standard_rows(until=month)
    payroll.lines_insert(run, month=month, options=benefit_options(on=month), standards=standards)
    _arrears_insert(run, standards)
    for field, value in payroll.run_totals(run).items():
        setattr(run, field, value)
    history_stamp(run, by=by, reason=_("生成发放表：%(n)d 人，%(total)s 元") % {
        "n": run.person_count, "total": f"{run.total_amount:.2f}"})
    run.save()
    return run


@transaction.atomic
def payroll_run_review(*, run: PayrollRun, by, note: str = "") -> PayrollRun:
    """复核: a second person checks the draft; whoever built it cannot (maker ≠ checker)."""
    run = _lock_run(run, allowed={RunState.DRAFT}, by=by)
    if by.pk == run.built_by_id:
        raise ValidationError(_("发放表的经办人不能复核自己生成的发放表：请由另一位工作人员复核。"))
    run.state, run.reviewed_by = RunState.REVIEWED, by
    history_stamp(run, by=by, reason=_with_opinion(_("复核通过"), note))
    run.save()
    return run


@transaction.atomic
def payroll_run_return(*, run: PayrollRun, by, reason: str) -> PayrollRun:
    """退回: the reviewer or the approver sends the run back to a draft, saying what to correct."""
    reason = reason_required(reason, message=_("请填写退回原因，说明需要核实或更正的内容。"))[:200]
    run = _lock_run(run, allowed={RunState.DRAFT, RunState.REVIEWED}, by=by)
    if by.pk == run.built_by_id:
        raise ValidationError(_("经办人可以直接重新生成草稿，无需退回。"))
    run.state, run.reviewed_by = RunState.DRAFT, None
    history_stamp(run, by=by, reason=_("退回：%(r)s") % {"r": reason})
    run.save()
    return run


@transaction.atomic
def payroll_run_approve(*, run: PayrollRun, by, note: str = "") -> PayrollRun:
    """审批: a third person approves; the lines are then locked and their checksum kept for the bank file."""
    run = _lock_run(run, allowed={RunState.REVIEWED}, by=by)
    if by.pk in {run.built_by_id, run.reviewed_by_id}:
        raise ValidationError(_("发放表的经办人和复核人不能审批同一张发放表：请由另一位工作人员审批。"))
    stopped = run.lines.filter(entitlement__ends_on__lt=F("for_month")).values("person").distinct().count()
    if stopped:
        # Approving would pay months after a stop recorded since the build.
        raise ValidationError(_("生成发放表后有 %(n)d 人已停发：请退回经办人重新生成草稿。") % {"n": stopped})
    run.state, run.approved_by, run.approved_at = RunState.APPROVED, by, timezone.now()
    run.checksum = payroll.run_checksum(run)
    Entitlement.objects.filter(arrears_run=run).update(arrears_from=None, arrears_run=None)
    history_stamp(run, by=by, reason=_with_opinion(_("审批通过"), note))
    run.save()
    return run


@transaction.atomic
def payroll_run_export(*, run: PayrollRun, by, kind: str, target: Path) -> PayrollRun:
    """Write the bank file (导出代发文件) of an approved run, if its lines are still exactly those approved."""
    if kind not in {"xlsx", "csv"}:
        raise ValidationError(_("请选择 XLSX 或 CSV 格式。"))
    run = _lock_run(run, allowed={RunState.APPROVED, RunState.EXPORTED}, by=by)
    if payroll.run_checksum(run) != run.checksum:
        raise ValidationError(_("发放明细与审批时不一致（校验码不符），已停止导出：请联系系统管理员核查。"))
    payroll.bank_file_write(run, kind, target)
    run.state = RunState.EXPORTED
    history_stamp(run, by=by, reason=_("导出银行代发文件（%(kind)s）") % {"kind": kind.upper()})
    run.save()
    return run


@transaction.atomic
def payroll_run_reconcile(*, run: PayrollRun, by, failures: list[payroll.Failure]) -> PayrollRun:
    """对账: mark the payments the bank returned as failed; their months are owed again and the next payroll pays
    them (补发). Without failures, everything was paid. A file with any bad row changes nothing."""
    run = _lock_run(run, allowed={RunState.EXPORTED}, by=by)
    listed = {failure.id_number for failure in failures}
    paid = {row["person__id_number"]: row for row in run.lines.filter(failed=False, person__id_number__in=listed)
            .values("person_id", "person__id_number").annotate(total=Sum("amount"))}
    errors, seen = [], set()
    for failure in failures:
        found = paid.get(failure.id_number)
        if failure.id_number in seen:
            errors.append(_("第 %(row)d 行：此人在文件中重复出现。") % {"row": failure.row})
        elif found is None:
            errors.append(_("第 %(row)d 行：身份证号 %(id)s 不在这张发放表中。") % {
                "row": failure.row, "id": mask_id_number(failure.id_number)})
        elif found["total"] != failure.amount:
            errors.append(_("第 %(row)d 行：金额 %(a)s 元与发放表中此人的 %(b)s 元不符。") % {
                "row": failure.row, "a": f"{failure.amount:.2f}", "b": f"{found['total']:.2f}"})
        seen.add(failure.id_number)
    if errors:
        raise ValidationError(errors)
    for failure in failures:
        lines = run.lines.filter(person_id=paid[failure.id_number]["person_id"], failed=False)
        for entitlement_id, month in lines.values_list("entitlement_id", "for_month"):
            Entitlement.objects.filter(pk=entitlement_id).update(
                arrears_from=Least(Coalesce("arrears_from", Value(month)), Value(month)), arrears_run=None)
        lines.update(failed=True, failure_reason=failure.reason)
    for field, value in payroll.run_totals(run).items():
        setattr(run, field, value)
    run.state = RunState.RECONCILED
    history_stamp(run, by=by, reason=_("对账：%(n)d 人发放失败，转入下月补发") % {"n": len(failures)} if failures
                  else _("对账：全部发放成功"))
    run.save()
    return run


# --- recoveries (追缴): months paid after an entitlement stopped -----------------------------------------------


def recoveries_detect(*, on: date, person: Person | None = None) -> int:
    """Open a recovery for every month paid after its entitlement stopped (a death recorded late, a status lost
    with an earlier date). Run after each review and nightly; a line gets one recovery. Returns how many opened."""
    lines = PayrollLine.objects.filter(
        failed=False, run__state__in=[RunState.APPROVED, RunState.EXPORTED, RunState.RECONCILED],
        entitlement__ends_on__lt=F("for_month"), recovery__isnull=True)
    if person is not None:
        lines = lines.filter(person=person)
    opened = 0
    for line in lines.select_related("entitlement").iterator(chunk_size=2000):
        recovery = Recovery(line=line, person_id=line.person_id, amount=line.amount, noted_on=on,
                            reason=(_("%(m)s 已发放，但该月前已停发：%(why)s") % {
                                "m": f"{line.for_month:%Y-%m}", "why": line.entitlement.state_reason})[:200])
        history_stamp(recovery, by=None, reason=_("自动核查发现多发"))
        recovery.save()
        opened += 1
    return opened


@transaction.atomic
def recovery_settle(*, recovery: Recovery, by, state: str, note: str, on: date | None = None) -> Recovery:
    """Close a recovery: the money came back (已追回, with the receipt), or the federation writes it off (核销) with
    the reason — money not recovered is the federation's decision, not a community officer's."""
    staff_required(by)
    note = reason_required(note, message=_("请填写办结说明：追回的收据号或核销的理由。"))[:200]
    recovery = Recovery.objects.select_for_update().select_related("person").get(pk=recovery.pk)
    _require_person_in_scope(recovery.person, by)
    if recovery.state != Recovery.State.OPEN:
        raise ValidationError(_("这笔追缴已办结（%(s)s）。") % {"s": recovery.get_state_display()})
    if state == Recovery.State.WAIVED and by.role != Role.FEDERATION_OFFICER:
        raise ValidationError(_("核销须由残联工作人员办理。"))
    if state not in {Recovery.State.RECOVERED, Recovery.State.WAIVED}:
        raise ValidationError(_("请选择“已追回”或“核销”。"))
    recovery.state, recovery.settled_by, recovery.settled_on, recovery.note = state, by, on or timezone.localdate(), note
    history_stamp(recovery, by=by, reason=f"{recovery.get_state_display()}：{note}")
    recovery.save()
    return recovery
