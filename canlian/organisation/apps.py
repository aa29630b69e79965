from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "canlian.organisation"
    verbose_name = _("组织建设")
    default_auto_field = "django.db.models.BigAutoField"
