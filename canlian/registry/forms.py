"""Forms parse and present; the rules live in services. Each form's errors render at the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.areas.models import Area
from canlian.common.forms import DateInput
from canlian.registry.choices import (
    ETHNICITY_CHOICES,
    WG_DOMAINS,
    Category,
    EducationLevel,
    Grade,
    HukouType,
    LifeStatus,
    MaritalStatus,
    Relation,
    WgAnswer,
)

_BLANK = [("", "——")]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        depth = obj.path.count("/") - 2
        return "　" * max(depth, 0) + obj.name


class PersonForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=40,
                                help_text=_("18位，最后一位可以是 X；旧版15位号码会自动转换。出生日期和性别由号码得出。"))
    name = forms.CharField(label=_("姓名"), max_length=60)
    ethnicity = forms.ChoiceField(label=_("民族"), choices=ETHNICITY_CHOICES)
    hukou_type = forms.ChoiceField(label=_("户籍类型"), choices=_BLANK + HukouType.choices)
    hukou_area = AreaChoiceField(label=_("户籍所在地"), queryset=Area.objects.none(), empty_label="——")
    residence_area = AreaChoiceField(label=_("居住地（社区/嘎查）"), queryset=Area.objects.none(),
                                     empty_label="——")
    address = forms.CharField(label=_("居住地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False,
                            help_text=_("手机号11位，固定电话请带区号"))
    marital_status = forms.ChoiceField(label=_("婚姻状况"), choices=_BLANK + MaritalStatus.choices, required=False)
    education_level = forms.ChoiceField(label=_("文化程度"), choices=_BLANK + EducationLevel.choices,
                                        required=False)
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=60, required=False)
    guardian_relation = forms.CharField(label=_("监护人与本人关系"), max_length=20, required=False)
    guardian_phone = forms.CharField(label=_("监护人电话"), max_length=30, required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_area"].queryset = areas
        self.fields["hukou_area"].queryset = Area.objects.order_by("path")


class PersonEditForm(PersonForm):
    reason = forms.CharField(label=_("修改原因"), max_length=200, required=False,
                             help_text=_("例如：户口本信息更正、电话变更"))

    def __init__(self, *args, masked_id: str, **kwargs):
        super().__init__(*args, **kwargs)
        # The full number is never pre-filled: it is shown masked and typed only to correct it.
        self.fields["id_number"].required = False
        self.fields["id_number"].label = _("更正身份证号")
        self.fields["id_number"].help_text = _("现号码 %(id)s。只有需要更正时才填写新的号码，留空则不变。") % {
            "id": masked_id}


class RevealIdForm(forms.Form):
    reason = forms.CharField(label=_("查看完整身份证号的事由"), max_length=300,
                             help_text=_("将记入访问日志，例如：办理补贴需核对身份"))


class LifeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新的人员状态"), choices=_BLANK + LifeStatus.choices)
    since = forms.DateField(label=_("生效日期"), widget=DateInput())
    reason = forms.CharField(label=_("原因"), max_length=200, help_text=_("例如：死亡证明编号、迁往地点"))


class FindingField(forms.ChoiceField):
    def __init__(self, label, **kwargs):
        super().__init__(label=label, choices=[("", _("无"))] + Grade.choices, required=False, **kwargs)


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("评定日期"), widget=DateInput())
    institution = forms.CharField(label=_("评定机构"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in Category:
            if category != Category.MULTIPLE:
                self.fields[f"grade_{category.value}"] = FindingField(
                    label=_("%(c)s等级") % {"c": category.label}
                )
        for name, label in WG_DOMAINS:
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=[("", _("未询问"))] + WgAnswer.choices, coerce=int, empty_value=None,
                required=False,
            )

    def finding_fields(self):
        return [self[f"grade_{c.value}"] for c in Category if c != Category.MULTIPLE]

    def wg_fields(self):
        return [self[name] for name, _label in WG_DOMAINS]


class CertificateIssueForm(forms.Form):
    assessment = forms.ModelChoiceField(label=_("依据的评定"), queryset=None, empty_label="——")
    on = forms.DateField(label=_("发证日期"), widget=DateInput())

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments
        self.fields["assessment"].label_from_instance = (
            lambda a: f"{a.assessed_on} {a.institution}（{'、'.join(str(f) for f in a.findings.all())}）"
        )


class CertificateRegisterForm(forms.Form):
    """An existing card issued before the platform (存量证件): its number must agree with the holder."""

    number = forms.CharField(label=_("残疾人证号"), max_length=40,
                             help_text=_("20位：身份证号 + 类别 + 等级；补发的证另有 B1、B2 等后缀"))
    category = forms.TypedChoiceField(label=_("残疾类别"), choices=[("", "——"), *Category.choices], coerce=int)
    grade = forms.TypedChoiceField(label=_("残疾等级"), choices=[("", "——"), *Grade.choices], coerce=int)
    issued_on = forms.DateField(label=_("发证日期"), widget=DateInput())
    valid_until = forms.DateField(label=_("有效期至"), widget=DateInput(), required=False,
                                  help_text=_("不填则按发证日期加有效期年限计算"))

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("valid_until") and data["valid_until"] <= data["issued_on"]:
            self.add_error("valid_until", _("有效期至应晚于发证日期。"))
        return data


class CertificateActionForm(forms.Form):
    on = forms.DateField(label=_("办理日期"), widget=DateInput())
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class CertificateRegradeForm(CertificateIssueForm):
    on = forms.DateField(label=_("变更日期"), widget=DateInput())


class SearchForm(forms.Form):
    q = forms.CharField(label=_("查询"), max_length=60, required=False,
                        help_text=_("身份证号、残疾人证号、姓名、姓名拼音首字母（如 zsf）或电话"))
    area = AreaChoiceField(label=_("区域"), queryset=Area.objects.none(), required=False, empty_label=_("全部"))
    category = forms.TypedChoiceField(label=_("残疾类别"), choices=[("", _("全部"))] + Category.choices,
                                      coerce=int, empty_value=None, required=False)
    grade = forms.TypedChoiceField(label=_("残疾等级"), choices=[("", _("全部"))] + Grade.choices,
                                   coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(label=_("人员状态"), choices=[("", _("全部"))] + LifeStatus.choices, required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class HouseholdMemberForm(forms.Form):
    relation = forms.ChoiceField(label=_("与户主关系"), choices=_BLANK + [
        c for c in Relation.choices if c[0] != Relation.HEAD])
    name = forms.CharField(label=_("姓名"), max_length=60)
    id_number = forms.CharField(label=_("身份证号"), max_length=40, required=False,
                                help_text=_("有身份证号请填写，出生日期由号码得出"))
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput(), required=False,
                                 help_text=_("没有身份证号时填写"))


class HouseholdIncomeForm(forms.Form):
    # Text inputs, not type=number (GOV.UK): no spinners, no silent rounding; the server checks the value.
    per_capita_income = forms.DecimalField(label=_("家庭人均年收入（元）"), max_digits=12, decimal_places=2,
                                           min_value=0, required=False,
                                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    income_year = forms.IntegerField(label=_("收入年度"), min_value=2000, max_value=2100,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric"}))



class OutcomeForm(forms.Form):
    """办理结果 of a certificate request, shown to the applicant."""

    outcome = forms.CharField(label=_("办理结果"), max_length=200, help_text=_("例如：已评定，2026-12-05 发证；或不予办理的原因。"),
                              error_messages={"required": _("请填写办理结果，居民会看到它。"),
                                              "max_length": _("最多 200 字。")})
