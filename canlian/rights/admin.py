"""Partner bodies are kept in the admin (基础数据管理); cases only through their pages, which apply the deadlines and
keep the steps, so they are read-only here."""

from django.contrib import admin

from canlian.common.admin import ReadOnlyAdmin
from canlian.rights.models import Case, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "active"]
    list_filter = ["kind", "active"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "source", "received_on", "area", "state", "due_on"]
    list_filter = ["kind", "source", "state"]
