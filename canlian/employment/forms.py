from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canlian.accounts.scope import scoped_areas
from canlian.common.forms import date_field
from canlian.employment.choices import EmployerKind, EmploymentForm, NotWorkingReason

_NUMBER = {"invalid": _("请输入数字。"), "max_digits": _("数字太大。"), "max_decimal_places": _("最多两位小数。"),
           "max_whole_digits": _("数字太大。"), "min_value": _("不能小于 %(limit_value)s。")}
_EMPLOYED = [("yes", _("已就业")), ("no", _("未就业"))]
_YES_NO = [("yes", _("是")), ("no", _("否"))]



def _money(label, digits: int = 14, **kwargs) -> forms.DecimalField:
    """An amount in 元 that fits its column (`digits` as the model field's max_digits)."""
    return forms.DecimalField(label=label, max_digits=digits, decimal_places=2, min_value=0, error_messages={
        "required": _("请填写%(label)s。") % {"label": label}, **_NUMBER}, **kwargs)


class EmploymentRecordForm(forms.Form):
    """就业状态登记 (实名制)."""

    employed = forms.ChoiceField(label=_("就业状态"), choices=_EMPLOYED, widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择是否就业。")})
    form = forms.ChoiceField(label=_("就业形式"), required=False, choices=[("", _("（就业的请选择）")),
                                                                       *EmploymentForm.choices])
    not_working_reason = forms.ChoiceField(label=_("未就业原因"), required=False,
                                           choices=[("", _("（未就业的请选择）")), *NotWorkingReason.choices])
    employer_name = forms.CharField(label=_("工作单位或经营项目"), required=False, max_length=100)
    monthly_income = _money(_("月收入（元）"), digits=10, required=False)
    started_on = date_field(_("起始日期"), help_text=_("此状态从哪一天开始。"))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        data["employed"] = data.get("employed") == "yes"
        return data


class EmployerForm(forms.Form):
    uscc_code = forms.CharField(label=_("统一社会信用代码"), max_length=40, help_text=_("18位，见营业执照或登记证书。"),
                                error_messages={"required": _("请输入统一社会信用代码。")})
    name = forms.CharField(label=_("单位名称"), max_length=100, error_messages={"required": _("请输入单位名称。")})
    kind = forms.ChoiceField(label=_("单位类型"), choices=EmployerKind.choices,
                             error_messages={"required": _("请选择单位类型。")})
    area = forms.ModelChoiceField(label=_("所在区域"), queryset=None, empty_label=None,
                                  error_messages={"required": _("请选择所在区域。"),
                                                  "invalid_choice": _("请选择您负责的区域。")})
    address = forms.CharField(label=_("地址"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = scoped_areas(user).order_by("code")


class DeclarationForm(forms.Form):
    year = forms.IntegerField(label=_("年审年度"), min_value=2015, max_value=2100,
                              help_text=_("申报的是上一年的职工人数和工资，例如 2026 年度年审申报 2025 年的数据。"),
                              error_messages={"required": _("请填写年审年度。"), "invalid": _("请输入年份，例如 2026。"),
                                              "min_value": _("年度不能早于 2015 年。"),
                                              "max_value": _("年度不能晚于 2100 年。")})
    declared_on = date_field(_("申报日期"))
    staff_count = forms.DecimalField(label=_("上年在职职工年平均人数"), max_digits=10, decimal_places=2, min_value=0,
                                     help_text=_("签订一年以上劳动合同的在职职工，按全年平均计算，可有小数。"),
                                     error_messages={"required": _("请填写在职职工年平均人数。"), **_NUMBER})
    average_wage = _money(_("上年在职职工年平均工资（元）"), digits=12, help_text=_("工资总额 ÷ 在职职工年平均人数。"))
    employees_file = forms.FileField(
        label=_("残疾职工名单"), required=False,
        help_text=_("XLSX 或 CSV，列为：残疾人证号、姓名、月工资、是否缴纳社会保险、劳动合同一年以上。也可以提交后逐人添加。"),
        error_messages={"empty": _("上传的文件是空的。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["declared_on"].initial = today

    def clean_employees_file(self):
        upload = self.cleaned_data.get("employees_file")
        if upload and upload.size > settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("名单文件太大：最大 %(mb)d MB。") % {
                "mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)})
        return upload


class EmployeeForm(forms.Form):
    """One disabled employee added to a declaration."""

    certificate_number = forms.CharField(label=_("残疾人证号"), max_length=40,
                                         help_text=_("20位（补发证另加 B1、B2…）；也可填18位身份证号。"),
                                         error_messages={"required": _("请输入残疾人证号。")})
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请输入姓名。")})
    monthly_wage = _money(_("月工资（元）"), digits=10)
    social_insurance = forms.ChoiceField(label=_("是否缴纳社会保险"), choices=_YES_NO, widget=forms.RadioSelect,
                                         error_messages={"required": _("请选择是否缴纳社会保险。")})
    contract_one_year = forms.ChoiceField(label=_("劳动合同一年以上"), choices=_YES_NO, widget=forms.RadioSelect,
                                          error_messages={"required": _("请选择劳动合同是否一年以上。")})


class PaymentForm(forms.Form):
    paid_on = date_field(_("缴款日期"))
    amount = _money(_("实缴金额（元）"), help_text=_("保障金加上逾期的滞纳金。"))


class LevyCalculatorForm(forms.Form):
    """The public levy calculator's inputs (用人单位自助测算)."""

    declared_on = date_field(_("申报日期"), help_text=_("按这一天有效的政策计算，通常填今天。"))
    employer_kind = forms.ChoiceField(label=_("单位类型"), choices=EmployerKind.choices,
                                      error_messages={"required": _("请选择单位类型。")})
    staff_count = forms.DecimalField(label=_("上年在职职工年平均人数"), max_digits=10, decimal_places=2, min_value=0,
                                     error_messages={"required": _("请填写在职职工年平均人数。"), **_NUMBER})
    average_wage = _money(_("上年在职职工年平均工资（元）"), digits=12)
    severe_employees = forms.IntegerField(label=_("一、二级残疾职工人数"), min_value=0, max_value=100000, initial=0,
                                          help_text=_("每人按 2 人计算。"),
                                          error_messages={"required": _("请填写人数，没有填 0。"),
                                                          "invalid": _("请输入整数。"),
                                                          "min_value": _("不能小于 0。"), "max_value": _("人数太大。")})
    other_employees = forms.IntegerField(label=_("三、四级残疾职工人数"), min_value=0, max_value=100000, initial=0,
                                         error_messages={"required": _("请填写人数，没有填 0。"),
                                                         "invalid": _("请输入整数。"),
                                                         "min_value": _("不能小于 0。"), "max_value": _("人数太大。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declared_on"].initial = timezone.localdate()

    def clean_declared_on(self) -> date:
        day = self.cleaned_data["declared_on"]
        if day.year < 2015:
            raise forms.ValidationError(_("本计算器适用于 2015 年以后的申报。"))
        return day
