from django.contrib import admin

from canlian.parameters.models import Parameter


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "effective_from", "source"]
    list_filter = ["key"]

    def has_change_permission(self, request, obj=None):
        # Never edited in place: a new value starts on a date and old periods keep theirs.
        return obj is None and super().has_change_permission(request, obj)
