"""Volunteer organisations are kept in the admin (基础数据管理); volunteers, requests, services and the emergency
register only through their pages, which check consent, scope and the rules, so they are read-only here."""

from django.contrib import admin

from canlian.common.admin import ReadOnlyAdmin
from canlian.volunteers.models import Organisation, Pairing, Request, Volunteer


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "contact_name", "contact_phone"]
    list_select_related = ["area"]


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ["name", "area", "organisation", "active", "consent_on"]
    list_filter = ["active"]


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "state", "requested_on", "due_on"]
    list_filter = ["kind", "state"]


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ["person", "helper_kind", "helper_name", "started_on", "ended_on", "confirmed_on"]
