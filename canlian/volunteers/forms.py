from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.areas.models import Area
from canlian.common.forms import choice_field, date_field, text_field
from canlian.registry.forms import AreaChoiceField
from canlian.volunteers.models import Organisation, Pairing, Service
from canlian.volunteers.rules import EmergencyNeed, RequestKind


class VolunteerForm(forms.Form):
    """志愿者登记, on the volunteer's consent."""

    name = text_field(_("姓名"), max_length=50)
    phone = text_field(_("联系电话"), max_length=30)
    area = AreaChoiceField(label=_("服务区域"), queryset=Area.objects.none(),
                           error_messages={"required": _("请选择服务区域。"),
                                           "invalid_choice": _("请从列表中选择服务区域。")})
    organisation = forms.ModelChoiceField(label=_("所属组织"), queryset=Organisation.objects.none(), required=False,
                                          empty_label=_("（个人志愿者）"),
                                          error_messages={"invalid_choice": _("请从列表中选择所属组织。")})
    skills = choice_field(_("可提供的服务"), RequestKind.choices, multiple=True, widget=forms.CheckboxSelectMultiple)
    availability = text_field(_("可服务时间"), max_length=100, required=False,
                              help_text=_("例如：周末上午；工作日晚上。"))
    consent = forms.BooleanField(label=_("志愿者本人同意平台保存其姓名、电话，用于对接志愿服务"), error_messages={
        "required": _("志愿者本人同意后才能登记：请先征得本人同意。")})
    consent_on = date_field(_("同意日期"))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["organisation"].queryset = Organisation.objects.all()


class AwardForm(forms.Form):
    title = text_field(_("表彰名称"), max_length=100, help_text=_("例如：优秀志愿者"))
    awarded_by = text_field(_("表彰单位"), max_length=100)
    awarded_on = date_field(_("表彰日期"))


class RequestForm(forms.Form):
    """志愿服务需求: who needs what, and when."""

    id_number = text_field(_("残疾人身份证号"), max_length=40)
    kind = choice_field(_("服务类型"), RequestKind.choices, widget=forms.RadioSelect)
    detail = text_field(_("具体需求"), max_length=500, rows=3)
    wanted_on = date_field(_("希望服务日期"), required=False)


class MatchForm(forms.Form):
    volunteer = forms.TypedChoiceField(label=_("对接哪位志愿者"), coerce=int, widget=forms.RadioSelect,
                                       error_messages={"required": _("请选择志愿者。"),
                                                       "invalid_choice": _("请从列表中选择志愿者。")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].choices = [
            (volunteer.pk, f"{volunteer.name}（{candidate.reason}）") for volunteer, candidate in candidates]


class ServiceForm(forms.Form):
    """志愿服务记录: the day, the hours, and what the person thought of it."""

    served_on = date_field(_("服务日期"))
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=4, decimal_places=1, min_value=Decimal("0.1"),
                               max_value=Decimal(24), error_messages={
                                   "required": _("请填写服务时长。"), "invalid": _("请输入小时数，例如 2 或 1.5。"),
                                   "min_value": _("服务时长应在 0.1 到 24 小时之间。"),
                                   "max_value": _("服务时长应在 0.1 到 24 小时之间。"),
                                   "max_decimal_places": _("最多一位小数。"), "max_digits": _("服务时长应在 0.1 到 24 小时之间。"),
                                   "max_whole_digits": _("服务时长应在 0.1 到 24 小时之间。")})
    note = text_field(_("服务内容"), max_length=500, required=False, rows=2)
    feedback = choice_field(_("服务对象评价"), Service.Feedback.choices, required=False, widget=forms.RadioSelect)
    feedback_note = text_field(_("评价说明"), max_length=200, required=False)
    finished = forms.BooleanField(label=_("这项需求已经完成"), required=False)


class ProfileForm(forms.Form):
    needs = choice_field(_("应急需求"), EmergencyNeed.choices, multiple=True, widget=forms.CheckboxSelectMultiple)
    note = text_field(_("说明"), max_length=200, required=False, help_text=_("例如：使用家用制氧机；住六楼无电梯。"))


class PairingForm(forms.Form):
    helper_kind = choice_field(_("帮扶人身份"), Pairing.HelperKind.choices, widget=forms.RadioSelect)
    helper_name = text_field(_("帮扶人姓名"), max_length=50, required=False)
    helper_phone = text_field(_("帮扶人电话"), max_length=30, required=False)
    volunteer = forms.ModelChoiceField(label=_("或选择在册志愿者"), queryset=None, required=False,
                                       empty_label=_("（不是志愿者）"),
                                       help_text=_("选择志愿者时，姓名和电话取自志愿者登记。"),
                                       error_messages={"invalid_choice": _("请从列表中选择志愿者。")})
    started_on = date_field(_("结对日期"))

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
