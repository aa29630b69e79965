from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from canlian.audit.views import access_log
from canlian.common.views import elder_mode_toggle, healthz
from canlian.employment.views import levy_calculator
from canlian.exchange.api import api_urls
from canlian.registry.views import workbench

admin.site.site_header = _("残联综合服务平台 · 管理")
admin.site.site_title = _("残联综合服务平台")

urlpatterns = [
    path("", workbench, name="workbench"),
    path("healthz", healthz, name="healthz"),
    path("elder-mode/", elder_mode_toggle, name="elder_mode"),
    path("accounts/", include("canlian.accounts.urls")),
    path("audit/", access_log, name="access_log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls()),
    path("levy/", levy_calculator, name="levy_calculator"),
    path("exchange/", include("canlian.exchange.urls")),
    path("benefits/", include("canlian.benefits.urls")),
    path("employment/", include("canlian.employment.urls")),
    path("services/", include("canlian.services.urls")),
    path("indicators/", include("canlian.indicators.urls")),
    path("portal/", include("canlian.portal.urls")),
    path("rights/", include("canlian.rights.urls")),
    path("volunteers/", include("canlian.volunteers.urls")),
    path("organisation/", include("canlian.organisation.urls")),
    path("", include("canlian.registry.urls")),
]
