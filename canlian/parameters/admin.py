from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.common.admin import DatedPolicyAdmin
from canlian.parameters.models import Parameter


class ParameterForm(forms.ModelForm):
    class Meta:
        model = Parameter
        fields = ["key", "value", "effective_from", "source", "note"]

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            # Periods already decided keep the value they were decided with (旧期间保持旧值).
            raise forms.ValidationError(_("新取值只能从今天或以后生效，已过去的期间保持原取值。"))
        return day


@admin.register(Parameter)
class ParameterAdmin(DatedPolicyAdmin):
    form = ParameterForm
    list_display = ["key", "value", "effective_from", "source"]
    list_filter = ["key"]
