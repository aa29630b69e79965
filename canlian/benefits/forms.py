from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.benefits.choices import Scheme
from canlian.benefits.payroll import PAYROLL_SCHEMES
from canlian.common.forms import MultipleFileField
from canlian.exchange import values


class ApplicationForm(forms.Form):
    scheme = forms.ChoiceField(label=_("补贴项目"), choices=[("", _("请选择"))] + Scheme.choices,
                               error_messages={"required": _("请选择补贴项目。"), "invalid_choice": _("请选择补贴项目。")})
    note = forms.CharField(label=_("申请说明"), required=False, max_length=200,
                           help_text=_("例如：本人或家属提出申请的方式、已收到的证明材料"),
                           error_messages={"max_length": _("最多 200 字。")})
    documents = MultipleFileField(label=_("申请材料（可选）"), required=False,
                                  help_text=_("残疾人证、户口簿、低保证等的扫描件或照片：PDF、JPEG 或 PNG，每个不超过 10 MB，"
                                              "可一次选择多个。"))


class PayrollBuildForm(forms.Form):
    scheme = forms.ChoiceField(label=_("补贴项目"), error_messages={"required": _("请选择补贴项目。"),
                                                                "invalid_choice": _("请选择补贴项目。")})
    month = forms.CharField(label=_("发放月份"), max_length=20, help_text=_("例如 2026-12"),
                            error_messages={"required": _("请填写发放月份，例如 2026-12。")})
    area = forms.ModelChoiceField(label=_("发放区域"), queryset=None, empty_label=None,
                                  error_messages={"required": _("请选择发放区域。"),
                                                  "invalid_choice": _("请选择您负责的区域。")})
    replace_draft = forms.BooleanField(label=_("重新生成草稿（按最新数据替换本月尚未复核的草稿）"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(s, Scheme(s).label) for s in PAYROLL_SCHEMES]
        self.fields["area"].queryset = areas

    def clean_month(self):
        try:
            return values.month(self.cleaned_data["month"])
        except values.CellError:
            raise forms.ValidationError(_("请按“2026-12”的形式填写发放月份。")) from None


class ReconcileForm(forms.Form):
    file = forms.FileField(label=_("银行回单（发放失败名单）"), required=False,
                           help_text=_("XLSX、XLS 或 CSV，列：身份证号、金额（元）、失败原因。全部成功时不用上传。"))


class PayrollActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("review", _("复核通过")), ("return", _("退回")), ("approve", _("审批通过"))],
                               error_messages={"required": _("请选择要办理的操作。"),
                                               "invalid_choice": _("请选择要办理的操作。")})
    note = forms.CharField(label=_("意见"), required=False, max_length=200,
                           help_text=_("复核、审批可写“同意”；退回必须写明需要核实或更正的内容。"),
                           error_messages={"max_length": _("最多 200 字。")})
