from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.benefits.choices import Scheme


class ApplicationForm(forms.Form):
    scheme = forms.ChoiceField(label=_("补贴项目"), choices=[("", _("请选择"))] + Scheme.choices,
                               error_messages={"required": _("请选择补贴项目。"), "invalid_choice": _("请选择补贴项目。")})
    note = forms.CharField(label=_("申请说明"), required=False, max_length=200,
                           help_text=_("例如：本人或家属提出申请的方式、已收到的证明材料"),
                           error_messages={"max_length": _("最多 200 字。")})
