from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "canlian.volunteers"
    verbose_name = _("志愿助残与应急结对")
    default_auto_field = "django.db.models.BigAutoField"
