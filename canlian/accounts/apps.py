from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "canlian.accounts"
    verbose_name = _("工作人员与权限")
