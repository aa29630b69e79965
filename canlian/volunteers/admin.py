"""Volunteer organisations are kept in the admin (基础数据管理). Volunteers, requests, services and the emergency
register are not shown here: they hold phones and health needs, read only on their pages, in the officer's areas."""

from django.contrib import admin

from canlian.volunteers.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "contact_name", "contact_phone"]
    list_select_related = ["area"]
