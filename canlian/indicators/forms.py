from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.common.forms import DateInput, NoteForm
from canlian.indicators.models import FollowUp
from canlian.indicators.rules import EventKind

_DATE = {"invalid": _("请按 2026-03-15 的格式填写日期。")}


class HouseholdEventForm(forms.Form):
    """家庭变故: a medical bill, an illness or a death in the household."""

    kind = forms.ChoiceField(label=_("变故类型"), choices=EventKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("请选择变故类型。"), "invalid_choice": _("请选择变故类型。")})
    occurred_on = forms.DateField(label=_("发生日期"), widget=DateInput(),
                                  error_messages={**_DATE, "required": _("请填写发生日期。")})
    amount = forms.DecimalField(label=_("医疗自付金额（元）"), required=False, max_digits=12, decimal_places=2,
                                min_value=0, help_text=_("医疗自付支出必填：扣除医保报销和医疗救助后家庭自己负担的部分。"),
                                error_messages={"invalid": _("请输入金额，例如 12000 或 12000.50。"),
                                                "max_digits": _("金额太大。"), "max_whole_digits": _("金额太大。"),
                                                "max_decimal_places": _("最多两位小数。"), "min_value": _("不能小于 0。")})
    note = forms.CharField(label=_("说明"), required=False, max_length=200,
                           error_messages={"max_length": _("最多 200 字。")})


class FollowUpForm(forms.Form):
    """跟踪帮扶: a visit, what was found and the assistance arranged."""

    visited_on = forms.DateField(label=_("走访日期"), widget=DateInput(),
                                 error_messages={**_DATE, "required": _("请填写走访日期。")})
    situation = forms.CharField(label=_("家庭现状"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                                error_messages={"required": _("请填写家庭现状。"), "max_length": _("最多 500 字。")})
    measures = forms.MultipleChoiceField(label=_("帮扶措施"), choices=FollowUp.Measure.choices,
                                         widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("请至少选择一项帮扶措施。"),
                                                         "invalid_choice": _("请从列表中选择帮扶措施。")})
    note = forms.CharField(label=_("措施说明"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}), error_messages={"max_length": _("最多 500 字。")})


class RiskCloseForm(NoteForm):
    """风险消除: which open flag and why."""

    flag = forms.TypedChoiceField(label=_("关闭哪项风险"), coerce=int, widget=forms.RadioSelect,
                                  error_messages={"required": _("请选择要关闭的风险。"),
                                                  "invalid_choice": _("请选择要关闭的风险。")})

    def __init__(self, *args, flags, **kwargs):
        super().__init__(*args, label=_("风险消除的原因"), required_message=_("请填写风险消除的原因。"), **kwargs)
        self.fields["flag"].choices = [(f.pk, f.get_reason_display()) for f in flags]
        self.order_fields(["flag", "note"])
