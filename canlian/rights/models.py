"""Rights cases (维权案件): a call, a visit, a letter, an online message or a department's referral about a disabled
person's rights; assigned, answered and closed with the person's satisfaction, each step kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canlian.rights.rules import CaseKind, CaseSource, CaseState, Satisfaction


class Partner(models.Model):
    """A body a case can be handed to (协办单位): a legal-aid station, the police, labour inspection …"""

    class Kind(models.TextChoices):
        LEGAL_AID = "legal_aid", _("法律援助机构")
        POLICE = "police", _("公安机关")
        LABOUR = "labour", _("劳动保障监察")
        COURT = "court", _("人民法院")
        DEPARTMENT = "department", _("其他政府部门")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    active = models.BooleanField(_("可分派"), default=True)

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A rights case (维权案件): who raised it, about what, where; who handles it by when; how it ended."""

    kind = models.CharField(_("类型"), max_length=16, choices=CaseKind.choices)
    source = models.CharField(_("来源"), max_length=12, choices=CaseSource.choices)
    received_on = models.DateField(_("受理日期"))
    area = models.ForeignKey("areas.Area", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("涉及的残疾人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="rights_cases")
    caller_name = models.CharField(_("反映人"), max_length=50)
    caller_phone = models.CharField(_("反映人电话"), max_length=20, blank=True)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("网上反映的居民账户"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(_("反映内容"), max_length=1000)
    state = models.CharField(_("状态"), max_length=12, choices=CaseState.choices, default=CaseState.RECEIVED)
    due_on = models.DateField(_("办结期限"))
    remind_on = models.DateField(_("到期提醒日"))
    reminded_on = models.DateField(_("已提醒"), null=True, blank=True)
    escalated_on = models.DateField(_("超期督办日期"), null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, verbose_name=_("协办单位"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="cases")
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=500, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    reopened = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("维权案件")
        verbose_name_plural = _("维权案件")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="case_state_due"),
                   models.Index(fields=["received_on"], name="case_received")]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        """The case number read to the caller (受理编号)."""
        return f"WQ{self.received_on:%Y%m%d}{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED


class CaseStep(models.Model):
    """One step in handling a case (办理记录), in order: the case's timeline, and the replies given."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("受理")
        ASSIGNED = "assigned", _("分派")
        REMINDED = "reminded", _("到期提醒")
        ESCALATED = "escalated", _("超期督办")
        REPLIED = "replied", _("答复")
        CLOSED = "closed", _("办结")
        REOPENED = "reopened", _("重新办理")

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("内容"), max_length=1000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+", help_text=_("空白：系统自动。"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"
