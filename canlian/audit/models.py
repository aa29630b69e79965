from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One access to personal data (访问日志): who looked at whom, when, what and from where."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看档案")
        REVEAL_ID = "reveal_id", _("查看完整证件号")
        SEARCH = "search", _("查询")
        EDIT = "edit", _("修改")
        EXPORT = "export", _("导出")
        DENIED = "denied", _("越权访问被拒")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), null=True, on_delete=models.SET_NULL,
        related_name="access_logs",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("残疾人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="access_logs", db_constraint=False,
    )
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    detail = models.CharField(_("内容"), max_length=300, blank=True)
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("访问日志")
        verbose_name_plural = _("访问日志")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
