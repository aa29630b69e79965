from django.contrib import admin

from canlian.audit.models import AccessLog
from canlian.common.admin import ReadOnlyAdmin


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "person", "detail", "ip_address"]
    list_filter = ["action"]
    search_fields = ["user__username", "detail"]
