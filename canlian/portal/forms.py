from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from canlian.accounts.models import Proxy
from canlian.areas.models import Area
from canlian.benefits.choices import Scheme
from canlian.common.forms import MultipleFileField
from canlian.portal.selectors import login_name
from canlian.registry.choices import Category
from canlian.registry.services import clean_id_number
from canlian.rights.rules import CaseKind
from canlian.services.choices import NeedKind

ONLINE_SCHEMES = [Scheme.NURSING_ALLOWANCE, Scheme.LIVING_ALLOWANCE]  # the two subsidies, applied for by the person


def _text(label, *, max_length, required=True, help_text="", autocomplete="", inputmode=""):
    attrs = {key: value for key, value in (("autocomplete", autocomplete), ("inputmode", inputmode)) if value}
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text,
                           widget=forms.TextInput(attrs=attrs),
                           error_messages={"required": _("请填写%(label)s。") % {"label": label},
                                           "max_length": _("最多 %(n)d 个字。") % {"n": max_length}})


def _password(label, autocomplete="new-password"):
    return forms.CharField(label=label, strip=False, max_length=128,
                           widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
                           error_messages={"required": _("请填写%(label)s。") % {"label": label}})


class SignUpForm(forms.Form):
    """注册第一步: who you are and the phone the code goes to."""

    id_number = _text(_("身份证号"), max_length=30, help_text=_("18位，最后一位可能是 X。"))
    name = _text(_("姓名"), max_length=50, autocomplete="name")
    phone = _text(_("手机号码"), max_length=20, autocomplete="tel", inputmode="numeric",
                  help_text=_("验证码会发到这个手机号。以后也用它找回密码。"))


class NewPasswordForm(forms.Form):
    """The code from the SMS and a new password (注册第二步、找回密码第二步)."""

    code = _text(_("短信验证码"), max_length=10, autocomplete="one-time-code", inputmode="numeric",
                 help_text=_("6 位数字，10 分钟内有效。"))
    password = _password(_("设置密码"))
    password_again = _password(_("再输一次密码"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("至少 8 位，不能全是数字，不要和身份证号、姓名相近。")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("两次输入的密码不一致。"))
        return data


class PhoneForm(forms.Form):
    """找回密码第一步."""

    phone = _text(_("注册时的手机号码"), max_length=20, autocomplete="tel", inputmode="numeric")


class ResidentLoginForm(AuthenticationForm):
    """Sign in with the ID number or the phone, and the password."""

    error_messages = {
        "invalid_login": _("身份证号（或手机号）或密码不正确。连续输错 5 次，账户将暂时锁定 30 分钟。"),
        "inactive": _("此账户已停用，请拨打 12385 咨询。"),
        "staff": _("这是工作人员账号，请从工作人员入口登录。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("身份证号或手机号码")
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].label = _("密码")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})

    def clean_username(self):
        return login_name(self.cleaned_data["username"])

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_resident:
            raise forms.ValidationError(self.error_messages["staff"], code="staff")


class ProxyForm(forms.Form):
    """授权代办: whose affairs you handle."""

    relation = forms.ChoiceField(label=_("您是办事人的"), choices=Proxy.Relation.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择您与残疾人的关系。"),
                                                 "invalid_choice": _("请选择您与残疾人的关系。")})
    id_number = _text(_("残疾人的身份证号"), max_length=30)
    name = _text(_("残疾人的姓名"), max_length=50)


# What a resident can apply for online (网上可办事项): each goes to the worklist that already handles it — the two
# subsidies to the benefits' applications, services to the needs worklist (with its referral deadline).
WHAT_CHOICES = [(f"benefit:{s.value}", s.label) for s in ONLINE_SCHEMES] + [
    (f"need:{k.value}", label) for k, label in (
        (NeedKind.REHABILITATION, _("康复服务（康复训练、家庭医生签约等）")),
        (NeedKind.ASSISTIVE_DEVICE, _("辅助器具适配（轮椅、助听器、助行器等）")),
        (NeedKind.CHILD_REHABILITATION, _("残疾儿童康复救助（0—14 岁）")),
        (NeedKind.HOME_MODIFICATION, _("家庭无障碍改造")),
        (NeedKind.EDUCATION, _("教育资助或入学安置")))] + [
    ("card:renewal", _("残疾人证到期换证")), ("card:reissue", _("残疾人证遗失补办"))]


class WhatForm(forms.Form):
    what = forms.ChoiceField(label=_("办理什么事？"), widget=forms.RadioSelect, choices=WHAT_CHOICES,
                             error_messages={"required": _("请选择要办理的事项。"),
                                             "invalid_choice": _("请选择要办理的事项。")})


class DocumentsForm(forms.Form):
    documents = MultipleFileField(label=_("上传材料"), required=False, help_text=_(
        "例如身份证、户口簿、低保证明的照片或扫描件。PDF、JPEG 或 PNG，每个不超过 10 MB，最多 10 个。没有可以跳过。"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("还有什么需要告诉我们吗？"), required=False, max_length=200,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"max_length": _("最多 200 字。")})


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200,
                             error_messages={"required": _("请填写撤回原因，例如“不再需要”。"),
                                             "max_length": _("最多 200 字。")})


class VerifyForm(forms.Form):
    number = _text(_("残疾人证号"), max_length=40, help_text=_("20 位：身份证号 + 类别 + 等级，补发证另加 B1、B2…"))
    name = _text(_("持证人姓名"), max_length=50, help_text=_("与证上的姓名一致。"))
    proof = _text(_("证明编号"), max_length=400, required=False,
                  help_text=_("核对一份《残疾人证有效证明》时填写，在证明的底部。"))


class ProxyDecisionForm(forms.Form):
    note = forms.CharField(label=_("说明（不予确认时必填）"), required=False, max_length=200,
                           error_messages={"max_length": _("最多 200 字。")})


class AssessmentRequestForm(forms.Form):
    """残疾评定和办证 for someone not on the register yet: who, where they live, what kind of disability."""

    applicant_name = _text(_("申请人姓名"), max_length=50)
    applicant_id_number = _text(_("申请人身份证号"), max_length=30)
    area = forms.ModelChoiceField(label=_("住在哪个社区（嘎查）？"), queryset=Area.objects.none(),
                                  empty_label=_("（请选择）"),
                                  error_messages={"required": _("请选择所在的社区（嘎查）。"),
                                                  "invalid_choice": _("请从列表中选择社区（嘎查）。")})
    category = forms.TypedChoiceField(label=_("哪一类残疾？"), coerce=int, widget=forms.RadioSelect,
                                      choices=[*Category.choices, ("", _("不清楚，请评定机构判断"))], required=False,
                                      empty_value=None, error_messages={"invalid_choice": _("请选择残疾类别。")})
    phone = _text(_("联系电话"), max_length=20, autocomplete="tel", inputmode="numeric",
                  help_text=_("社区工作人员会打这个电话约评定时间。"))
    note = forms.CharField(label=_("还有什么需要告诉我们吗？"), required=False, max_length=200,
                           widget=forms.Textarea(attrs={"rows": 3}), error_messages={"max_length": _("最多 200 字。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(level=Area.Level.VILLAGE).order_by("code")

    def clean_applicant_id_number(self):
        """Checked here, so a wrong check character is shown at the field, not after 提交."""
        try:
            return clean_id_number(self.cleaned_data["applicant_id_number"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class InfoAnswerForm(forms.Form):
    """补正: answer what the officer asked for, with a note, documents, or both."""

    note = forms.CharField(label=_("补充说明"), required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"max_length": _("最多 200 字。")})
    documents = MultipleFileField(label=_("补充材料"), required=False,
                                  help_text=_("PDF、JPEG 或 PNG，每个不超过 10 MB。"))


class ContactForm(forms.Form):
    """更正联系方式: the phone and address on the file."""

    phone = _text(_("联系电话"), max_length=20, autocomplete="tel", inputmode="numeric",
                  help_text=_("手机号，或带区号的固定电话。"))
    address = _text(_("居住地址"), max_length=200, required=False, autocomplete="street-address")


class CaseForm(forms.Form):
    """反映问题: whom it is about, what kind of matter, what happened, and how to reach the resident."""

    person = forms.TypedChoiceField(label=_("为谁反映"), coerce=int, widget=forms.RadioSelect, error_messages={
        "required": _("请选择为谁反映。"), "invalid_choice": _("请选择为谁反映。")})
    kind = forms.ChoiceField(label=_("事项类型"), widget=forms.RadioSelect, choices=CaseKind.choices, error_messages={
        "required": _("请选择事项类型。"), "invalid_choice": _("请选择事项类型。")})
    summary = forms.CharField(label=_("反映的内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("请写清楚发生了什么、在哪里、希望怎样解决。最多 1000 字。"),
                              error_messages={"required": _("请填写反映的内容。"), "max_length": _("最多 1000 字。")})
    phone = forms.CharField(label=_("联系电话"), max_length=30, help_text=_("工作人员答复时拨打这个电话。"),
                            error_messages={"required": _("请填写联系电话。")})

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(person.pk, person.name) for person in persons]
