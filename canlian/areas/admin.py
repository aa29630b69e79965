from django.contrib import admin

from canlian.areas import services
from canlian.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    ordering = ["path"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "level"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            services.area_update(area=obj, name=obj.name, name_mn=obj.name_mn, parent=obj.parent)
        else:
            created = services.area_create(
                code=obj.code, name=obj.name, level=obj.level, parent=obj.parent, name_mn=obj.name_mn
            )
            obj.pk, obj.path = created.pk, created.path
