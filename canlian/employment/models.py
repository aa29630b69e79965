from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from canlian.employment.choices import (
    CourseKind,
    DeclarationStatus,
    EmployerKind,
    EmploymentForm,
    EventKind,
    NotWorkingReason,
    Rejection,
    SupportKind,
)


class Employer(models.Model):
    """A employer (用人单位) known by its unified social credit code (统一社会信用代码)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("单位类型"), max_length=20, choices=EmployerKind.choices)
    area = models.ForeignKey("areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT,
                             related_name="employers")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("用人单位变更记录"))

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmploymentRecord(models.Model):
    """One spell of a person's employment status (实名制就业记录): in work in a form, or not and why.

    The spells are the history: a new status closes the open spell the day before it starts.
    """

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="employment_records")
    employed = models.BooleanField(_("是否就业"))
    form = models.CharField(_("就业形式"), max_length=20, choices=EmploymentForm.choices, blank=True)
    not_working_reason = models.CharField(_("未就业原因"), max_length=20, choices=NotWorkingReason.choices,
                                          blank=True)
    employer = models.ForeignKey(Employer, verbose_name=_("用人单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="employment_records")
    employer_name = models.CharField(_("工作单位或经营项目"), max_length=100, blank=True)
    monthly_income = models.DecimalField(_("月收入（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("就业记录变更记录"))

    class Meta:
        verbose_name = _("就业记录")
        verbose_name_plural = _("就业记录")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True),
                                    name="employment_one_open_spell"),
            models.CheckConstraint(
                condition=(Q(employed=True) & ~Q(form="") & Q(not_working_reason=""))
                | (Q(employed=False) & Q(form="") & ~Q(not_working_reason="")),
                name="employment_form_or_reason"),
        ]
        indexes = [models.Index(fields=["person", "started_on"], name="employment_person_start")]

    def __str__(self) -> str:
        return f"{self.person} {self.status_label} {self.started_on}"

    @property
    def status_label(self) -> str:
        return self.get_form_display() if self.employed else _("未就业：%(r)s") % {
            "r": self.get_not_working_reason_display()}

    def is_current_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


def employment_spell_on(day: date, prefix: str = "") -> Q:
    """The condition for a spell covering a day (SQL twin of EmploymentRecord.is_current_on)."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": day}))


class TrainingCourse(models.Model):
    """A training course (培训班) the federation runs or pays for."""

    name = models.CharField(_("培训名称"), max_length=100)
    kind = models.CharField(_("培训类型"), max_length=20, choices=CourseKind.choices)
    provider = models.CharField(_("培训机构"), max_length=100)
    area = models.ForeignKey("areas.Area", verbose_name=_("举办区域"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours = models.PositiveIntegerField(_("学时"))

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="course_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class TrainingEnrolment(models.Model):
    """A person on a course; completion and the certificate earned (结业、取得证书)."""

    course = models.ForeignKey(TrainingCourse, verbose_name=_("培训班"), on_delete=models.PROTECT,
                               related_name="enrolments")
    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="training_enrolments")
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    certificate = models.CharField(_("取得证书"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="enrolment_once_per_course")]

    def __str__(self) -> str:
        return f"{self.person} {self.course}"


class EmploymentEvent(models.Model):
    """A job fair or placement event (招聘会、就业援助活动) and what came of it."""

    kind = models.CharField(_("活动类型"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("举办日期"))
    area = models.ForeignKey("areas.Area", verbose_name=_("举办区域"), on_delete=models.PROTECT, related_name="+")
    employers = models.PositiveIntegerField(_("参加单位数"), default=0)
    jobs_offered = models.PositiveIntegerField(_("提供岗位数"), default=0)
    attendees = models.PositiveIntegerField(_("参加残疾人数"), default=0)
    placed = models.PositiveIntegerField(_("达成就业意向人数"), default=0)

    class Meta:
        verbose_name = _("就业活动")
        verbose_name_plural = _("就业活动")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class EntrepreneurshipSupport(models.Model):
    """Support given to a disabled entrepreneur (创业扶持) and its subsidy."""

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="entrepreneurship_support")
    kind = models.CharField(_("扶持类型"), max_length=20, choices=SupportKind.choices)
    granted_on = models.DateField(_("扶持日期"))
    amount = models.DecimalField(_("补贴金额（元）"), max_digits=10, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("创业扶持")
        verbose_name_plural = _("创业扶持")
        ordering = ["-granted_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="support_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class Declaration(models.Model):
    """An employer's annual quota declaration (按比例就业年审申报) and, once reviewed, its levy.

    `year` is the review year (年审年度); staff and wages are of the year before it. The levy's parameters are
    those in force on the day of filing (`declared_on`); the review keeps them in `levy_parameters`, so the worked
    calculation (rules.levy_calculate on the figures and these values) reads the same after a parameter changes.
    """

    employer = models.ForeignKey(Employer, verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="declarations")
    year = models.PositiveSmallIntegerField(_("年审年度"))
    declared_on = models.DateField(_("申报日期"))
    staff_count = models.DecimalField(_("上年在职职工年平均人数"), max_digits=10, decimal_places=2)
    average_wage = models.DecimalField(_("上年在职职工年平均工资（元）"), max_digits=12, decimal_places=2)
    status = models.CharField(_("状态"), max_length=12, choices=DeclarationStatus.choices,
                              default=DeclarationStatus.SUBMITTED, db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    counted = models.DecimalField(_("审核计入残疾人数"), max_digits=10, decimal_places=1, null=True, blank=True)
    levy = models.DecimalField(_("应缴保障金（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    reward = models.DecimalField(_("超比例奖励（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    levy_parameters = models.JSONField(_("计算所用政策参数"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("年审", "复核人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    due_on = models.DateField(_("缴款期限"), null=True, blank=True)
    paid_on = models.DateField(_("缴款日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("实缴金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    surcharge = models.DecimalField(_("滞纳金（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords(verbose_name=_("年审申报变更记录"))

    class Meta:
        verbose_name = _("年审申报")
        verbose_name_plural = _("年审申报")
        ordering = ["-year", "employer__name"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "year"], name="declaration_one_per_year"),
            models.CheckConstraint(condition=Q(staff_count__gte=0) & Q(average_wage__gte=0),
                                   name="declaration_figures_not_negative"),
        ]

    def __str__(self) -> str:
        return _("%(employer)s %(year)s 年度年审") % {"employer": self.employer, "year": self.year}

    @property
    def data_year(self) -> int:
        return self.year - 1


class DeclaredEmployee(models.Model):
    """A disabled employee listed in a declaration, and the review's verdict on them.

    `year` and `declared_on` repeat the declaration's (fixed once filed) so the review can rank two employers'
    claims on one person in a single UPDATE; `rejection` is NULL until reviewed and "" when counted.
    """

    declaration = models.ForeignKey(Declaration, verbose_name=_("年审申报"), on_delete=models.CASCADE,
                                    related_name="employees")
    year = models.PositiveSmallIntegerField(_("年审年度"))
    declared_on = models.DateField(_("申报日期"))
    certificate_number = models.CharField(_("残疾人证号"), max_length=24)
    id_number = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=50)
    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    monthly_wage = models.DecimalField(_("月工资（元）"), max_digits=10, decimal_places=2)
    social_insurance = models.BooleanField(_("已缴纳社会保险"))
    contract_one_year = models.BooleanField(_("劳动合同一年以上"))
    # NULL (not reviewed) differs from "" (counted): the review sets one or the other.
    rejection = models.CharField(_("审核结果"), max_length=24, choices=Rejection.choices, null=True,  # noqa: DJ001
                                 blank=True)
    counted = models.DecimalField(_("计入人数"), max_digits=3, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("申报的残疾职工")
        verbose_name_plural = _("申报的残疾职工")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "id_number"], name="declared_employee_once"),
        ]
        indexes = [models.Index(fields=["person", "year"], name="declared_employee_person_year")]

    def __str__(self) -> str:
        return f"{self.name} {self.certificate_number}"
