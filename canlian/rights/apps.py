from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "canlian.rights"
    verbose_name = _("权益维护")
    default_auto_field = "django.db.models.BigAutoField"
