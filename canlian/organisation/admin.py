"""Associations, facilities and cadres are kept in the admin (基础数据管理); officers' posts too, though their page
(组织建设 → 专职委员) checks the area and ends the previous term."""

from django.contrib import admin

from canlian.organisation.models import Association, Facility, OfficerPost, StaffMember


@admin.register(OfficerPost)
class OfficerPostAdmin(admin.ModelAdmin):
    list_display = ["area", "holder_name", "holder_phone", "started_on", "ended_on"]
    list_select_related = ["area"]
    raw_id_fields = ["user"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "chair_name", "members", "founded_on", "dissolved_on"]
    list_filter = ["kind"]
    list_select_related = ["area"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "capacity", "status", "opened_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["area"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "unit_area", "position", "started_on", "ended_on"]
    list_select_related = ["unit_area"]
    raw_id_fields = ["person"]
