from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidentAccount(models.Model):
    """A resident's portal account (居民账户): the ID number and mobile phone it was opened with, the phone
    verified by a code. The login is the user; this holds what residents have and staff do not."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="resident_account")
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=11, unique=True)
    phone_verified_at = models.DateTimeField(_("手机验证时间"))
    messages_seen_at = models.DateTimeField(_("消息已读至"), null=True, blank=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("居民账户")
        verbose_name_plural = _("居民账户")

    def __str__(self) -> str:
        return self.name


class VerificationCode(models.Model):
    """A one-time code sent by SMS (短信验证码): stored as a keyed hash, valid for minutes, a few tries."""

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("注册")
        PASSWORD_RESET = "password_reset", _("找回密码")

    phone = models.CharField(_("手机号码"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    requested_from = models.GenericIPAddressField(_("请求来源地址"), null=True, blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone", "purpose", "created_at"], name="code_phone_purpose"),
                   models.Index(fields=["requested_from", "created_at"], name="code_address")]

    def __str__(self) -> str:
        return f"{self.phone} {self.get_purpose_display()}"
