from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "canlian.benefits"
    verbose_name = _("补贴待遇")

    def ready(self):
        from canlian.benefits import handlers

        handlers.subscribe()
