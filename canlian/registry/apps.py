from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "canlian.registry"
    verbose_name = _("残疾人档案")
