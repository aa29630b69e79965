from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "canlian.portal"
    verbose_name = _("网上办事")
    default_auto_field = "django.db.models.BigAutoField"
