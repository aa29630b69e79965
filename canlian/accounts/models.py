from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    FEDERATION_OFFICER = "federation_officer", _("残联工作人员")
    FEDERATION_LEADER = "federation_leader", _("残联领导")
    COMMUNITY_OFFICER = "community_officer", _("专职委员")


class User(AbstractUser):
    """A staff member (工作人员) with one role and the areas their work covers."""

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
    def is_platform_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)
