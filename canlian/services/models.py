from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from canlian.services.choices import InstitutionKind, NeedKind, NeedState, ServiceKind, ServiceOutcome


class Institution(models.Model):
    """A service provider (服务机构) and the period its qualification (资质/定点) covers."""

    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构类型"), max_length=20, choices=InstitutionKind.choices)
    area = models.ForeignKey("areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    qualified_from = models.DateField(_("资质起始日期"))
    qualified_until = models.DateField(_("资质有效期至"), null=True, blank=True)
    designated_for_children = models.BooleanField(_("残疾儿童康复救助定点机构"), default=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("服务机构")
        verbose_name_plural = _("服务机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_qualified_on(self, day: date) -> bool:
        return self.qualified_from <= day and (self.qualified_until is None or day <= self.qualified_until)


class DeviceProduct(models.Model):
    """An assistive device in the catalogue (辅助器具目录) with its subsidy limit."""

    name = models.CharField(_("产品名称"), max_length=100, unique=True)
    category = models.CharField(_("类别"), max_length=50, help_text=_("如：轮椅、助听器、盲杖、假肢"))
    subsidy_limit = models.DecimalField(_("补贴限额（元）"), max_digits=10, decimal_places=2)
    active = models.BooleanField(_("在目录中"), default=True)

    class Meta:
        verbose_name = _("辅助器具产品")
        verbose_name_plural = _("辅助器具目录")
        ordering = ["category", "name"]
        constraints = [models.CheckConstraint(condition=Q(subsidy_limit__gte=0), name="device_limit_not_negative")]

    def __str__(self) -> str:
        return self.name


class SurveyVisit(models.Model):
    """A year's home visit (入户调查, 动态更新): the answers by section, saved one section at a time."""

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="survey_visits")
    year = models.PositiveSmallIntegerField(_("调查年度"))
    visited_on = models.DateField(_("入户日期"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调查员"), on_delete=models.PROTECT,
                                related_name="+")
    answers = models.JSONField(_("调查内容"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("最近保存"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("入户调查变更记录"))

    class Meta:
        verbose_name = _("入户调查")
        verbose_name_plural = _("入户调查")
        ordering = ["-year", "-visited_on"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="survey_once_a_year")]
        indexes = [models.Index(fields=["year", "person"], name="survey_year_person",
                                condition=Q(completed_at__isnull=False))]

    def __str__(self) -> str:
        return _("%(person)s %(year)s 年入户调查") % {"person": self.person, "year": self.year}


class Need(models.Model):
    """A need found for a person (需求): open until referred to a service, then met or closed with the reason."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("入户调查")
        SCREENING = "screening", _("儿童筛查")
        OFFICER = "officer", _("工作人员登记")
        PORTAL = "portal", _("网上申请")

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="needs")
    kind = models.CharField(_("需求类型"), max_length=24, choices=NeedKind.choices)
    state = models.CharField(_("状态"), max_length=12, choices=NeedState.choices, default=NeedState.OPEN)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    visit = models.ForeignKey(SurveyVisit, verbose_name=_("入户调查"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="needs")
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    opened_on = models.DateField(_("发现日期"))
    due_on = models.DateField(_("转介期限"))
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    close_note = models.CharField(_("办结说明"), max_length=200, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                  related_name="+")
    history = HistoricalRecords(verbose_name=_("需求变更记录"))

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求")
        ordering = ["due_on", "pk"]
        constraints = [
            # One live need of a kind per person: a second survey answer adds to it, not beside it.
            models.UniqueConstraint(fields=["person", "kind"], condition=Q(state__in=["open", "referred"]),
                                    name="need_one_live_per_kind"),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="need_state_due")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"

    @property
    def is_live(self) -> bool:
        return self.state in (NeedState.OPEN, NeedState.REFERRED)


class ServiceRecord(models.Model):
    """A service delivered to a person (服务记录), whatever its type: one model, per-type subtypes and details."""

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="service_records")
    kind = models.CharField(_("服务类型"), max_length=24, choices=ServiceKind.choices)
    subtype = models.CharField(_("服务项目"), max_length=24)
    need = models.ForeignKey(Need, verbose_name=_("对应需求"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="services")
    provider = models.ForeignKey(Institution, verbose_name=_("服务机构"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="services")
    product = models.ForeignKey(DeviceProduct, verbose_name=_("辅助器具"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField(_("转介日期"), null=True, blank=True)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    outcome = models.CharField(_("服务结果"), max_length=12, choices=ServiceOutcome.choices, blank=True)
    cost = models.DecimalField(_("费用（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    subsidy = models.DecimalField(_("补贴金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("服务记录变更记录"))

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0) | Q(cost__isnull=True), name="service_cost_not_negative"),
            models.CheckConstraint(condition=Q(subsidy__gte=0) | Q(subsidy__isnull=True),
                                   name="service_subsidy_not_negative"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(started_on__isnull=False),
                                   name="service_ends_after_it_starts"),
        ]
        indexes = [models.Index(fields=["kind", "person", "started_on"], name="service_kind_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"

    @property
    def subtype_label(self) -> str:
        from canlian.services.choices import SUBTYPES

        return str(dict(SUBTYPES.get(self.kind, [])).get(self.subtype, self.subtype))


class RehabCoordinator(models.Model):
    """A community rehabilitation coordinator (社区康复协调员) assigned to an area for a period."""

    area = models.ForeignKey("areas.Area", verbose_name=_("负责区域"), on_delete=models.PROTECT,
                             related_name="rehab_coordinators")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    assigned_on = models.DateField(_("指派日期"))
    ended_on = models.DateField(_("卸任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("康复协调员")
        verbose_name_plural = _("康复协调员")
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name


class ModificationProject(models.Model):
    """A home accessibility modification (家庭无障碍改造): applied, the home surveyed, the works, the acceptance
    with photos, and the cost; on acceptance it becomes a service record answering the need."""

    class Step(models.TextChoices):
        APPLIED = "applied", _("已申请，待入户评估")
        SURVEYED = "surveyed", _("已评估，待施工")
        IN_WORKS = "in_works", _("施工中")
        ACCEPTED = "accepted", _("已验收")
        CANCELLED = "cancelled", _("已取消")

    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="modification_projects")
    need = models.ForeignKey(Need, verbose_name=_("对应需求"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    step = models.CharField(_("进度"), max_length=12, choices=Step.choices, default=Step.APPLIED)
    applied_on = models.DateField(_("申请日期"))
    surveyed_on = models.DateField(_("评估日期"), null=True, blank=True)
    plan = models.CharField(_("改造内容"), max_length=300, blank=True, help_text=_("如：卫生间扶手、门口坡道、闪光门铃"))
    works_started_on = models.DateField(_("开工日期"), null=True, blank=True)
    contractor = models.CharField(_("施工单位"), max_length=100, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    cost = models.DecimalField(_("费用（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    subsidy = models.DecimalField(_("补贴金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    service = models.OneToOneField(ServiceRecord, verbose_name=_("服务记录"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="modification")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords(verbose_name=_("无障碍改造变更记录"))

    class Meta:
        verbose_name = _("家庭无障碍改造")
        verbose_name_plural = _("家庭无障碍改造")
        ordering = ["applied_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(step__in=["applied", "surveyed", "in_works"]),
                                    name="modification_one_open_per_person"),
        ]

    def __str__(self) -> str:
        return _("%(person)s 家庭无障碍改造") % {"person": self.person}


class ModificationPhoto(models.Model):
    """A photo of the works at acceptance (验收照片): JPEG or PNG checked by content, stored under a random name."""

    project = models.ForeignKey(ModificationProject, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to="modifications/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("验收照片")
        verbose_name_plural = _("验收照片")

    def __str__(self) -> str:
        return self.name
