from django import forms
from django.utils.translation import gettext_lazy as _

from canlian.common.forms import date_field, text_field


class PostAssignForm(forms.Form):
    """任职: who takes the community's post, from when."""

    holder_name = text_field(_("专职委员姓名"), max_length=50)
    holder_phone = text_field(_("联系电话"), max_length=30, required=False)
    holder_disabled = forms.BooleanField(label=_("本人为残疾人"), required=False)
    started_on = date_field(_("任职日期"))


class PostEndForm(forms.Form):
    """离任: the post is vacant from the next day."""

    ended_on = date_field(_("离任日期"))
    reason = text_field(_("离任原因"), max_length=200)
