from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.areas.models import Area
from canlian.common.forms import NoteForm, choice_field, date_field, text_field
from canlian.registry.forms import AreaChoiceField
from canlian.rights.rules import CaseKind, CaseSource, Satisfaction


class CaseForm(forms.Form):
    """受理登记: what was raised, by whom, about whom or which area."""

    kind = choice_field(_("案件类型"), CaseKind.choices, widget=forms.RadioSelect)
    source = choice_field(_("来源"), [("", _("（请选择）"))] + [c for c in CaseSource.choices if c[0] != CaseSource.PORTAL])
    received_on = date_field(_("受理日期"))
    id_number = forms.CharField(label=_("涉及的残疾人身份证号"), max_length=40, required=False,
                                help_text=_("反映的是登记残疾人的事项时填写；不是登记残疾人的，不填，并选择所属区域。"))
    area = AreaChoiceField(label=_("所属区域"), queryset=Area.objects.none(), required=False,
                           empty_label=_("（填写了身份证号的不用选）"),
                           error_messages={"invalid_choice": _("请从列表中选择所属区域。")})
    caller_name = forms.CharField(label=_("反映人姓名"), max_length=50, required=False,
                                  help_text=_("残疾人本人反映的可不填。"))
    caller_phone = forms.CharField(label=_("反映人电话"), max_length=30, required=False)
    summary = text_field(_("反映内容"), max_length=1000, rows=5)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class AssignForm(forms.Form):
    """分派: to an officer whose areas cover the case, or to a partner body."""

    officer = forms.ModelChoiceField(label=_("承办人"), queryset=None, required=False, empty_label=_("（不分派给工作人员）"),
                                     error_messages={"invalid_choice": _("请从列表中选择承办人。")})
    partner = forms.ModelChoiceField(label=_("或转协办单位"), queryset=None, required=False,
                                     empty_label=_("（不转协办单位）"),
                                     error_messages={"invalid_choice": _("请从列表中选择协办单位。")})
    note = text_field(_("分派说明"), max_length=200, required=False)

    def __init__(self, *args, handlers, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = handlers
        self.fields["partner"].queryset = partners


class ReplyForm(forms.Form):
    """答复: what the person was told, and when."""

    replied_on = date_field(_("答复日期"))
    reply = text_field(_("答复内容"), max_length=1000, rows=4)


class CloseForm(forms.Form):
    """办结: the outcome and the person's satisfaction on the return call (回访)."""

    closed_on = date_field(_("办结日期"))
    outcome = text_field(_("办理结果"), max_length=500, rows=3)
    satisfaction = choice_field(_("回访满意度"), Satisfaction.choices, widget=forms.RadioSelect)


class ReopenForm(NoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, label=_("重新办理的原因"), required_message=_("请填写重新办理的原因。"), **kwargs)
