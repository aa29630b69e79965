from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    FEDERATION_OFFICER = "federation_officer", _("残联工作人员")
    FEDERATION_LEADER = "federation_leader", _("残联领导")
    COMMUNITY_OFFICER = "community_officer", _("专职委员")
    RESIDENT = "resident", _("居民（网上办事）")


class User(AbstractUser):
    """A staff member (工作人员) with one role and the areas their work covers, or a resident using the portal
    (居民, 网上办事) who covers no area and sees only the persons a confirmed authorisation names."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices, default=Role.COMMUNITY_OFFICER)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("负责区域"), blank=True, related_name="staff",
        help_text=_("可查看这些区域及其下级区域的残疾人。"),
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def works_with_persons(self) -> bool:
        """Whether the role opens person files; leaders see aggregates only, admins run the system."""
        return self.is_active and self.role in {Role.FEDERATION_OFFICER, Role.COMMUNITY_OFFICER}

    @property
    def handles_payroll(self) -> bool:
        """Whether the role builds, checks or approves the federation's payroll (officers and leaders)."""
        return self.is_active and self.role in {Role.FEDERATION_OFFICER, Role.FEDERATION_LEADER}

    @property
    def handles_levy(self) -> bool:
        """Whether the role registers employers and reviews their quota declarations and levy (federation officers)."""
        return self.is_active and self.role == Role.FEDERATION_OFFICER

    @property
    def keeps_organisation(self) -> bool:
        """Whether the role keeps the federation's organisation records (专职委员任职, cadres): federation officers."""
        return self.is_active and self.role == Role.FEDERATION_OFFICER

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)


class Proxy(models.Model):
    """A resident's authorisation to see and act for a registered person (授权代办): the person themself (本人) or
    a ward. Confirmed at once when the resident's verified phone is the one on the person's file (the person's own,
    or the guardian's); otherwise by an officer of the person's area. Every action is recorded as the resident's."""

    class Relation(models.TextChoices):
        SELF = "self", _("本人")
        PARENT = "parent", _("父母")
        CHILD = "child", _("子女")
        SPOUSE = "spouse", _("配偶")
        GUARDIAN = "guardian", _("法定监护人")
        RELATIVE = "relative", _("其他近亲属")

    class State(models.TextChoices):
        PENDING = "pending", _("待工作人员确认")
        CONFIRMED = "confirmed", _("已确认")
        REFUSED = "refused", _("未通过")
        REVOKED = "revoked", _("已解除")

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("居民账户"), on_delete=models.PROTECT,
                                 related_name="proxies")
    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT,
                               related_name="proxies")
    relation = models.CharField(_("与残疾人关系"), max_length=12, choices=Relation.choices)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    declared_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("授权代办")
        verbose_name_plural = _("授权代办")
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "person"], condition=Q(state__in=["pending", "confirmed"]),
                                    name="proxy_one_live_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} → {self.person}（{self.get_relation_display()}）"
