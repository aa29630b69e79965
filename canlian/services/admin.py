"""Providers, the device catalogue and coordinators are kept in the admin (基础数据管理); needs, visits and service
records only through their pages, which apply the rules, so they are read-only here."""

from django.contrib import admin

from canlian.common.admin import ReadOnlyAdmin
from canlian.services.models import DeviceProduct, Institution, Need, RehabCoordinator, ServiceRecord, SurveyVisit


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "qualified_from", "qualified_until", "designated_for_children"]
    list_filter = ["kind", "designated_for_children"]


@admin.register(DeviceProduct)
class DeviceProductAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "subsidy_limit", "active"]
    list_filter = ["category", "active"]


@admin.register(RehabCoordinator)
class RehabCoordinatorAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "phone", "assigned_on", "ended_on"]
    list_select_related = ["area"]


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "state", "opened_on", "due_on"]
    list_filter = ["kind", "state"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "subtype", "provider", "started_on", "ended_on", "outcome"]
    list_filter = ["kind"]


@admin.register(SurveyVisit)
class SurveyVisitAdmin(ReadOnlyAdmin):
    list_display = ["person", "year", "visited_on", "completed_at"]
    list_filter = ["year"]
