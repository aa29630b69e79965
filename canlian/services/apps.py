from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "canlian.services"
    label = "care_services"  # "services" reads as the layer of write functions every app has
    verbose_name = _("需求与服务")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from canlian.registry.selectors import TIMELINE_SOURCES
        from canlian.services.selectors import timeline_entries

        TIMELINE_SOURCES.append(timeline_entries)
