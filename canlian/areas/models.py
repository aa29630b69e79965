from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """An area of the tree city → street/sumu → community/gacha (行政区划), by its 12-digit code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省/自治区")
        PREFECTURE = "prefecture", _("市/盟")
        COUNTY = "county", _("县/市/旗")
        TOWNSHIP = "township", _("街道/苏木/乡镇")
        VILLAGE = "village", _("社区/嘎查/村")

    code = models.CharField(_("统计用区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_mn = models.CharField(_("蒙古文名称"), max_length=120, blank=True)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes ("/152501000000/152501200000/"): one indexed prefix query finds a subtree.
    path = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name
