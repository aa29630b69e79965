from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from canlian.benefits.choices import Period
from canlian.benefits.models import Circumstance, PaymentAccount, Standard
from canlian.benefits.payroll import PAYROLL_SCHEMES
from canlian.common.admin import DatedPolicyAdmin


class StandardForm(forms.ModelForm):
    class Meta:
        model = Standard
        fields = ["scheme", "amount", "period", "effective_from", "grade", "area", "source"]

    def clean(self):
        data = super().clean()
        if data.get("scheme") in PAYROLL_SCHEMES and data.get("period") != Period.MONTH:
            # The payroll pays these monthly; a yearly amount would be paid twelve times.
            self.add_error("period", _("生活补贴和护理补贴按月发放：请选择“每月”，填写每人每月的金额。"))
        return data

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            # Months already paid keep the amount they were paid with (旧月份保持旧标准).
            raise forms.ValidationError(_("新标准只能从今天或以后生效，已过去的月份保持原标准。"))
        return day


@admin.register(Standard)
class StandardAdmin(DatedPolicyAdmin):
    form = StandardForm
    list_display = ["scheme", "amount", "period", "effective_from", "grade", "area", "source"]
    list_filter = ["scheme", "period"]
    list_select_related = ["area"]

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Circumstance)
class CircumstanceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "kind", "scheme", "started_on", "ended_on"]
    list_filter = ["kind", "scheme"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentAccount)
class PaymentAccountAdmin(SimpleHistoryAdmin):
    """Payment accounts (代发账户); a change is kept in the history and the next payroll pays into the new one."""

    list_display = ["person", "bank", "holder"]
    search_fields = ["person__name", "holder"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]

    def has_delete_permission(self, request, obj=None):
        return False
