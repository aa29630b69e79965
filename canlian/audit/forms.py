from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.audit.models import AccessLog
from canlian.common.forms import DateInput


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(label=_("工作人员"), max_length=50, required=False)
    person = forms.IntegerField(label=_("残疾人档案编号"), required=False, min_value=1,
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    action = forms.ChoiceField(label=_("操作"), choices=[("", _("全部"))] + AccessLog.Action.choices, required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data
