from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from canlian.indicators.measures import MEASURES
from canlian.indicators.rules import EventKind, RiskReason


class Indicator(models.Model):
    """A plan indicator (规划指标): what it counts is a registered measure; its targets are data by year."""

    class Kind(models.TextChoices):
        BINDING = "binding", _("约束性")
        EXPECTED = "expected", _("预期性")
        MONITORED = "monitored", _("监测")

    code = models.CharField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=100)
    measure = models.CharField(_("计算口径"), max_length=40, choices=[(key, m.label) for key, m in MEASURES.items()],
                               blank=True, help_text=_("空白：平台尚未掌握这项数据，仪表盘显示“无数据”。"))
    kind = models.CharField(_("指标属性"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("规划指标")
        verbose_name_plural = _("规划指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """An indicator's target for a year (目标值): at least this value (a percent, or a count)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("目标值")
        verbose_name_plural = _("目标值")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_year")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class Snapshot(models.Model):
    """An indicator's value for an area and a year as it was computed on a day (快照): reports read these, so a
    2024 report stays the same when the records change in 2026."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="snapshots")
    area = models.ForeignKey("areas.Area", verbose_name=_("区域"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    as_of = models.DateField(_("统计截至"))
    numerator = models.PositiveIntegerField(_("分子"))
    denominator = models.PositiveIntegerField(_("分母"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计算人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        constraints = [models.UniqueConstraint(fields=["indicator", "area", "year"], name="snapshot_one_per_year")]
        indexes = [models.Index(fields=["year", "area"], name="snapshot_year_area")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area} {self.year}"


class HouseholdEvent(models.Model):
    """A change in a household's life recorded by an officer (家庭变故): medical spending, an illness, a death."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="events")
    kind = models.CharField(_("变故类型"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("家庭变故")
        verbose_name_plural = _("家庭变故")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.get_kind_display()} {self.occurred_on}"


class RiskFlag(models.Model):
    """A household flagged at risk of falling back into poverty (返贫风险), open until an officer closes it."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="risk_flags")
    reason = models.CharField(_("风险类型"), max_length=20, choices=RiskReason.choices)
    explanation = models.CharField(_("识别依据"), max_length=500)
    opened_on = models.DateField(_("识别日期"))
    follow_up_due = models.DateField(_("下次走访期限"))
    # The rule no longer finding the risk does not close a flag (an officer does, after a visit); it is shown.
    cleared_on = models.DateField(_("条件已不满足（核查日期）"), null=True, blank=True)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    close_note = models.CharField(_("关闭原因"), max_length=200, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关闭人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(verbose_name=_("返贫风险变更记录"))

    class Meta:
        verbose_name = _("返贫风险")
        verbose_name_plural = _("返贫风险")
        ordering = ["follow_up_due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["household", "reason"], condition=Q(closed_on__isnull=True),
                                    name="risk_flag_one_open_per_reason"),
        ]
        indexes = [models.Index(fields=["closed_on", "follow_up_due"], name="risk_flag_open_due")]

    def __str__(self) -> str:
        return f"{self.household} {self.get_reason_display()}"


class FollowUp(models.Model):
    """A follow-up visit to a watched household and the assistance arranged (跟踪帮扶 / 帮扶措施)."""

    class Measure(models.TextChoices):
        DIBAO = "dibao", _("纳入低保或特困")
        TEMPORARY_ASSISTANCE = "temporary", _("临时救助")
        MEDICAL_ASSISTANCE = "medical", _("医疗救助")
        EMPLOYMENT = "employment", _("就业帮扶或公益性岗位")
        SUBSIDY = "subsidy", _("残疾人两项补贴")
        REHABILITATION = "rehabilitation", _("康复或辅助器具")
        EDUCATION = "education", _("教育资助")
        CARE = "care", _("托养照护")
        INDUSTRY = "industry", _("产业或小额信贷帮扶")
        OTHER = "other", _("其他")

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="follow_ups")
    visited_on = models.DateField(_("走访日期"))
    situation = models.CharField(_("家庭现状"), max_length=500)
    measures = models.JSONField(_("帮扶措施"), default=list)
    note = models.CharField(_("措施说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("跟踪帮扶")
        verbose_name_plural = _("跟踪帮扶")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"

    @property
    def measure_labels(self) -> list[str]:
        return [str(self.Measure(m).label) for m in self.measures if m in self.Measure.values]
