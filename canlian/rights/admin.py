"""Partner bodies are kept in the admin (基础数据管理). Cases are not shown here: they hold what callers said about
persons, read only on the rights pages, in the officer's areas, with each look logged."""

from django.contrib import admin

from canlian.rights.models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "active"]
    list_filter = ["kind", "active"]
