from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "canlian.employment"
    verbose_name = _("就业")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The public levy calculation joins the platform's API before anything reads the API's routes.
        from canlian.employment import api  # noqa: F401
