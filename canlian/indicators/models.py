from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canlian.indicators.measures import MEASURES


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
