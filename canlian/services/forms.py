from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.common.forms import MultipleFileField, date_field
from canlian.services.choices import SUBTYPES, ServiceKind, ServiceOutcome
from canlian.services.models import DeviceProduct, Institution

_NUMBER = {"invalid": _("请输入金额，例如 1200 或 1200.50。"), "max_digits": _("金额太大。"),
           "max_decimal_places": _("最多两位小数。"), "max_whole_digits": _("金额太大。"),
           "min_value": _("不能小于 0。")}



def _money(label):
    return forms.DecimalField(label=label, required=False, max_digits=12, decimal_places=2, min_value=0,
                              error_messages=_NUMBER)


def service_choices(kinds=None) -> list:
    """"kind:subtype" options grouped by service type, so one list works without JavaScript."""
    return [(ServiceKind(kind).label, [(f"{kind}:{value}", label) for value, label in SUBTYPES[kind]])
            for kind in (kinds or ServiceKind.values)]


class ServiceForm(forms.Form):
    """A service delivered or a referral made (服务记录 / 转介)."""

    service = forms.ChoiceField(label=_("服务项目"), error_messages={"required": _("请选择服务项目。"),
                                                                "invalid_choice": _("请选择服务项目。")})
    provider = forms.ModelChoiceField(label=_("服务机构"), required=False, queryset=Institution.objects.none(),
                                      empty_label=_("（无或本人自行安排）"),
                                      error_messages={"invalid_choice": _("请从列表中选择服务机构。")})
    product = forms.ModelChoiceField(label=_("辅助器具（适配、租赁时选择）"), required=False,
                                     queryset=DeviceProduct.objects.none(), empty_label=_("（不适用）"),
                                     error_messages={"invalid_choice": _("请从目录中选择辅助器具。")})
    referred_on = date_field(_("转介日期"), required=False)
    started_on = date_field(_("开始日期"), required=False, help_text=_("只转介、尚未开始的可不填。"))
    ended_on = date_field(_("结束日期"), required=False)
    outcome = forms.ChoiceField(label=_("服务结果"), required=False, choices=ServiceOutcome.choices)
    cost = _money(_("费用（元）"))
    subsidy = _money(_("补贴金额（元）"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("（请选择）")), *service_choices(kinds)]
        self.fields["provider"].queryset = Institution.objects.order_by("name")
        self.fields["product"].queryset = DeviceProduct.objects.filter(active=True)

    def clean(self):
        data = super().clean()
        if data.get("service"):
            data["kind"], data["subtype"] = data.pop("service").split(":", 1)
        return data


class FinishForm(forms.Form):
    """How a referred service went (服务开始、结束和结果)."""

    started_on = date_field(_("开始日期"))
    ended_on = date_field(_("结束日期"), required=False, help_text=_("仍在进行的不填。"))
    outcome = forms.ChoiceField(label=_("服务结果"), required=False, choices=ServiceOutcome.choices)
    cost = _money(_("费用（元）"))
    subsidy = _money(_("补贴金额（元）"))


class VisitStartForm(forms.Form):
    visited_on = date_field(_("入户日期"))


class ModificationApplyForm(forms.Form):
    applied_on = date_field(_("申请日期"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class ModificationStepForm(forms.Form):
    """The next step of a modification project; the page shows only the fields that step needs."""

    on = date_field(_("日期"))
    plan = forms.CharField(label=_("改造内容"), required=False, max_length=300,
                           help_text=_("入户评估确定的改造项目，如：卫生间扶手、门口坡道、闪光门铃。"))
    contractor = forms.CharField(label=_("施工单位"), required=False, max_length=100)
    cost = _money(_("改造费用（元）"))
    subsidy = _money(_("补贴金额（元）"))
    photos = MultipleFileField(label=_("验收照片"), required=False,
                               help_text=_("JPEG 或 PNG，每张不超过 10 MB，可一次选择多张。"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    FIELDS = {"surveyed": ["on", "plan", "note"], "in_works": ["on", "contractor", "note"],
              "accepted": ["on", "cost", "subsidy", "photos", "note"]}

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.FIELDS[step]:
                del self.fields[name]
        self.fields["on"].label = {"surveyed": _("评估日期"), "in_works": _("开工日期"), "accepted": _("验收日期")}[step]
