"""Benefit standards (补贴标准) with effective dates, and the circumstances the overlap rules look at."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from canlian.benefits.choices import CircumstanceKind, Period, Scheme
from canlian.registry.choices import Grade


class Standard(models.Model):
    """An amount of a scheme in force from a date (补贴标准), optionally only for a grade or an area.

    Never edited in place: a new standard starts on a date and the months before keep the old amount. The
    most specific standard applies: one for the person's area (the deepest) before one for everyone, one for
    the person's grade before one for every grade.
    """

    scheme = models.CharField(_("补贴项目"), max_length=24, choices=Scheme.choices)
    effective_from = models.DateField(_("生效日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    period = models.CharField(_("发放周期"), max_length=8, choices=Period.choices, default=Period.MONTH)
    grade = models.PositiveSmallIntegerField(_("仅限等级"), choices=Grade.choices, null=True, blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("仅限区域"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("依据"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("补贴标准变更记录"))

    class Meta:
        verbose_name = _("补贴标准")
        verbose_name_plural = _("补贴标准")
        ordering = ["scheme", "-effective_from"]
        constraints = [
            # One standard per scheme, start date, grade and area, "any grade" and "every area" included.
            # Spelled as four partial indexes because SQLite cannot treat NULLs as equal in one (nulls_distinct).
            *(models.UniqueConstraint(fields=["scheme", "effective_from", *fields], condition=condition,
                                      name=f"standard_one_per_day_{name}")
              for name, fields, condition in (
                  ("everyone", [], Q(grade__isnull=True, area__isnull=True)),
                  ("grade", ["grade"], Q(grade__isnull=False, area__isnull=True)),
                  ("area", ["area"], Q(grade__isnull=True, area__isnull=False)),
                  ("grade_area", ["grade", "area"], Q(grade__isnull=False, area__isnull=False)))),
            models.CheckConstraint(condition=Q(amount__gte=0), name="standard_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return _("%(scheme)s %(amount)s 元%(period)s（%(day)s 起）") % {
            "scheme": self.get_scheme_display(), "amount": self.amount, "period": self.get_period_display(),
            "day": self.effective_from}


class Circumstance(models.Model):
    """Something the person receives elsewhere, for a period, that bars a scheme (orphan support, work-injury
    nursing pay) or records the person's 择高 choice of another allowance instead of `scheme`."""

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="benefit_circumstances")
    kind = models.CharField(_("情形"), max_length=24, choices=CircumstanceKind.choices)
    scheme = models.CharField(_("放弃的补贴项目"), max_length=24, choices=Scheme.choices, blank=True,
                              help_text=_("仅“择高领取”时填写：因领取其他津贴而不领取的本项补贴。"))
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords(verbose_name=_("待遇情形变更记录"))

    class Meta:
        verbose_name = _("待遇情形")
        verbose_name_plural = _("待遇情形")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="chose_other_allowance") | Q(scheme=""),
                                   name="circumstance_scheme_only_for_choice"),
            models.CheckConstraint(condition=~Q(kind="chose_other_allowance") | ~Q(scheme=""),
                                   name="circumstance_choice_names_scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"

    def is_active_on(self, day) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


class Application(models.Model):
    """An application for a scheme made on a person's behalf (申请): 已提交 → 社区审核 → 残联审批 → 已批准/已驳回,
    or 已撤回. Whoever submitted or reviewed it cannot approve it (maker ≠ checker)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交，待社区审核")
        REVIEWED = "reviewed", _("社区已审核，待残联审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        WITHDRAWN = "withdrawn", _("已撤回")

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="benefit_applications")
    scheme = models.CharField(_("补贴项目"), max_length=24, choices=Scheme.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请录入人"), on_delete=models.PROTECT,
                                     related_name="+")
    submitted_on = models.DateField(_("申请日期"))
    due_on = models.DateField(_("当前环节办理时限"))
    note = models.CharField(_("申请说明"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("社区审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    reason = models.CharField(_("驳回或撤回原因"), max_length=200, blank=True)
    # 补正: what an officer asked the applicant to add; cleared when they answer. The deadline does not stop.
    info_request = models.CharField(_("请补充的材料或情况"), max_length=200, blank=True)
    history = HistoricalRecords(verbose_name=_("申请办理记录"))

    class Meta:
        verbose_name = _("补贴申请")
        verbose_name_plural = _("补贴申请")
        ordering = ["due_on", "pk"]
        constraints = [
            # One open application per person and scheme: a second click or a second officer is refused.
            models.UniqueConstraint(fields=["person", "scheme"], condition=Q(state__in=["submitted", "reviewed"]),
                                    name="application_one_open_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_scheme_display()} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.SUBMITTED, self.State.REVIEWED}


class Entitlement(models.Model):
    """A person's right to a scheme's payments from a month (享受资格/待遇); the amount each month comes from the
    standard in force that month. Ended, never deleted; its history says who changed it and why."""

    class State(models.TextChoices):
        ACTIVE = "active", _("享受中")
        SUSPENDED = "suspended", _("暂停")
        ENDED = "ended", _("已终止")

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="entitlements")
    scheme = models.CharField(_("补贴项目"), max_length=24, choices=Scheme.choices)
    application = models.OneToOneField(Application, verbose_name=_("依据申请"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="entitlement")
    starts_on = models.DateField(_("起始月份"))  # the first day of a month
    # The first day of the last month paid; a month before starts_on when it stopped before any was paid.
    ends_on = models.DateField(_("终止月份"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    state_reason = models.CharField(_("状态原因"), max_length=200, blank=True)
    # From this month on some months may be owed (补发): approved late, reinstated, or a payment failed. The next
    # payroll checks these months; approving it clears the mark (arrears_run says which run looked).
    arrears_from = models.DateField(_("待补发起始月份"), null=True, blank=True, db_index=True)
    arrears_run = models.ForeignKey("PayrollRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    editable=False)
    history = HistoricalRecords(verbose_name=_("享受资格变更记录"))

    class Meta:
        verbose_name = _("享受资格")
        verbose_name_plural = _("享受资格")
        ordering = ["scheme", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "scheme"], condition=Q(state__in=["active", "suspended"]),
                                    name="entitlement_one_live_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_scheme_display()} {self.starts_on:%Y-%m}"


class PaymentAccount(models.Model):
    """The bank account a person's benefits are paid into (代发账户, usually the social security card's)."""

    person = models.OneToOneField("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                                  related_name="payment_account")
    bank = models.CharField(_("开户银行"), max_length=60)
    number = models.CharField(_("银行账号"), max_length=32)
    holder = models.CharField(_("户名"), max_length=50, help_text=_("本人或监护人的姓名，与银行开户名一致。"))
    history = HistoricalRecords(verbose_name=_("代发账户变更记录"))

    class Meta:
        verbose_name = _("代发账户")
        verbose_name_plural = _("代发账户")

    def __str__(self) -> str:
        return f"{self.bank} {self.number[-4:]}"


class PayrollRun(models.Model):
    """One month's payroll of a scheme for a federation's area (月度发放表): built as a draft, reviewed by a second
    person, approved by a third, exported to the bank, reconciled with the bank's return. Locked once approved."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿，待复核")
        REVIEWED = "reviewed", _("已复核，待审批")
        APPROVED = "approved", _("已审批，待导出")
        EXPORTED = "exported", _("已导出，待对账")
        RECONCILED = "reconciled", _("已对账")

    scheme = models.CharField(_("补贴项目"), max_length=24, choices=Scheme.choices)
    month = models.DateField(_("发放月份"))  # the first day of the month
    area = models.ForeignKey("areas.Area", verbose_name=_("发放区域"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                 related_name="+")
    built_at = models.DateTimeField(_("生成时间"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    person_count = models.PositiveIntegerField(_("发放人数"), default=0)
    line_count = models.PositiveIntegerField(_("明细条数"), default=0)
    total_amount = models.DecimalField(_("发放总额（元）"), max_digits=14, decimal_places=2, default=0)
    arrears_amount = models.DecimalField(_("其中补发（元）"), max_digits=14, decimal_places=2, default=0)
    failed_amount = models.DecimalField(_("发放失败（元）"), max_digits=14, decimal_places=2, default=0)
    # SHA-256 of the lines as approved: the export recomputes it and refuses a file that differs.
    checksum = models.CharField(_("校验码"), max_length=64, blank=True)
    history = HistoricalRecords(verbose_name=_("发放表办理记录"))

    class Meta:
        verbose_name = _("月度发放表")
        verbose_name_plural = _("月度发放表")
        ordering = ["-month", "scheme"]
        constraints = [
            # Two workers starting the same month: the second insert fails, so there is exactly one run.
            models.UniqueConstraint(fields=["scheme", "month", "area"], name="payroll_run_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.state not in {self.State.DRAFT, self.State.REVIEWED}


class PayrollLine(models.Model):
    """One month of one person's payment in a run (发放明细): the month itself, or an earlier month owed (补发)."""

    run = models.ForeignKey(PayrollRun, verbose_name=_("发放表"), on_delete=models.PROTECT, related_name="lines")
    scheme = models.CharField(_("补贴项目"), max_length=24, choices=Scheme.choices)
    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="payroll_lines")
    entitlement = models.ForeignKey(Entitlement, verbose_name=_("享受资格"), on_delete=models.PROTECT,
                                    related_name="payroll_lines")
    for_month = models.DateField(_("所属月份"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    standard = models.ForeignKey(Standard, verbose_name=_("依据标准"), on_delete=models.PROTECT, related_name="+")
    # The account as approved: the bank file pays what the checker saw, even if the account changes later.
    bank = models.CharField(_("开户银行"), max_length=60, blank=True)
    account_number = models.CharField(_("银行账号"), max_length=32, blank=True)
    account_holder = models.CharField(_("户名"), max_length=50, blank=True)
    failed = models.BooleanField(_("发放失败"), default=False)
    failure_reason = models.CharField(_("失败原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        constraints = [
            # A person is paid a month of a scheme once: a failed payment may be paid again, nothing else.
            models.UniqueConstraint(fields=["scheme", "person", "for_month"], condition=Q(failed=False),
                                    name="payroll_line_paid_once"),
        ]
        indexes = [models.Index(fields=["run", "person"], name="payroll_line_run_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.for_month:%Y-%m} {self.amount}"


class Recovery(models.Model):
    """A month paid that should not have been (追缴): the entitlement ended before it. Stays on the worklist until
    the money is recovered or written off with a reason."""

    class State(models.TextChoices):
        OPEN = "open", _("待追缴")
        RECOVERED = "recovered", _("已追回")
        WAIVED = "waived", _("已核销")

    line = models.OneToOneField(PayrollLine, verbose_name=_("发放明细"), on_delete=models.PROTECT,
                                related_name="recovery")
    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="benefit_recoveries")
    amount = models.DecimalField(_("应追缴金额（元）"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("多发原因"), max_length=200)
    noted_on = models.DateField(_("发现日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    settled_on = models.DateField(_("办结日期"), null=True, blank=True)
    note = models.CharField(_("办结说明"), max_length=200, blank=True)
    history = HistoricalRecords(verbose_name=_("追缴办理记录"))

    class Meta:
        verbose_name = _("待追缴")
        verbose_name_plural = _("待追缴")
        ordering = ["noted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.amount}"


class ApplicationDocument(models.Model):
    """A supporting document of an application (申请材料): a scan or photo, type checked from its content."""

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="documents")
    file = models.FileField(_("文件"), upload_to="applications/%Y/%m/")
    name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
