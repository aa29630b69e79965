from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from canlian.areas import services
from canlian.areas.models import Area


class AreaAdminForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["code", "name", "name_mn", "level", "parent"]

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if self.instance.pk and parent is not None and (
                parent.pk == self.instance.pk or parent.path.startswith(self.instance.path)):
            self.add_error("parent", ValidationError(_("不能把区划移到它自己或它的下级之下。")))
        return data


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
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
