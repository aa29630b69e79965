"""The federation's own organisation (残联组织建设): community officers' posts, the disability associations, the
facilities, and the federation's staff. Two plan indicators read them: 专职委员 coverage and disabled cadres."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OfficerPost(models.Model):
    """A community officer's term in the post of a community or gacha (社区/嘎查专职委员): every community has one
    post; a term ends when its holder leaves, and the post is vacant until the next term starts."""

    area = models.ForeignKey("areas.Area", verbose_name=_("社区/嘎查"), on_delete=models.PROTECT,
                             related_name="officer_posts")
    holder_name = models.CharField(_("专职委员姓名"), max_length=50)
    holder_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    holder_disabled = models.BooleanField(_("本人为残疾人"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("平台账户"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专职委员任职")
        verbose_name_plural = _("专职委员任职")
        ordering = ["area__path", "-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["area"], condition=Q(ended_on__isnull=True),
                                    name="officer_post_one_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.holder_name}"


def held_on(on, prefix: str = "") -> Q:
    """A term (or anything with started_on / ended_on) that runs on the day."""
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on}))


class Association(models.Model):
    """A disability association (残协): a community's own, or one of the five special associations (专门协会)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("社区（嘎查）残协")
        BLIND = "blind", _("盲人协会")
        DEAF = "deaf", _("聋人协会")
        LIMB = "limb", _("肢残人协会")
        INTELLECTUAL = "intellectual", _("智力残疾人及亲友协会")
        MENTAL = "mental", _("精神残疾人及亲友协会")

    kind = models.CharField(_("协会类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    area = models.ForeignKey("areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    chair_name = models.CharField(_("主席（会长）"), max_length=50, blank=True)
    chair_phone = models.CharField(_("主席联系电话"), max_length=20, blank=True)
    members = models.PositiveIntegerField(_("会员人数"), default=0)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("残疾人协会")
        verbose_name_plural = _("残疾人协会")
        ordering = ["area__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind"], condition=Q(dissolved_on__isnull=True),
                                    name="association_one_per_area_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    """A facility of the federation or run for it (服务设施): 温馨家园, care centre, rehabilitation centre …"""

    class Kind(models.TextChoices):
        WARM_HOME = "warm_home", _("温馨家园")
        CARE_CENTRE = "care_centre", _("托养（照护）中心")
        REHABILITATION_CENTRE = "rehabilitation", _("康复中心")
        EMPLOYMENT_BASE = "employment", _("就业（辅助性就业）基地")
        SPORTS = "sports", _("文体活动场所")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PLANNED = "planned", _("规划中")
        BUILDING = "building", _("在建")
        OPEN = "open", _("运营中")
        SUSPENDED = "suspended", _("暂停服务")
        CLOSED = "closed", _("已关闭")

    kind = models.CharField(_("设施类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    area = models.ForeignKey("areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("服务能力（床位或名额）"), default=0)
    status = models.CharField(_("运营状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    opened_on = models.DateField(_("投入使用日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("服务设施")
        verbose_name_plural = _("服务设施")
        ordering = ["area__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A cadre of the federation (残联干部) at the city or a street/sumu, for the "disabled cadres ≥ 15%" indicator:
    a cadre counts as disabled when their own file on the register holds a valid certificate on the day."""

    name = models.CharField(_("姓名"), max_length=50)
    unit_area = models.ForeignKey("areas.Area", verbose_name=_("所在残联"), on_delete=models.PROTECT, related_name="+",
                                  help_text=_("市残联选市，街道/苏木残联选街道/苏木。"))
    position = models.CharField(_("职务"), max_length=50)
    person = models.ForeignKey("registry.Person", verbose_name=_("本人残疾人档案"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("本人是持证残疾人的，关联其档案；按档案中的有效残疾人证计入“残疾人干部”。"))
    started_on = models.DateField(_("入职日期"))
    ended_on = models.DateField(_("离职日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("残联干部")
        verbose_name_plural = _("残联干部")
        ordering = ["unit_area__path", "name"]

    def __str__(self) -> str:
        return self.name
