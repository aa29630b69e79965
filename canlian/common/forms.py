from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _


def attach_errors(form, error: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: at the field it names, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        target = (field_map or {}).get(key, key)
        form.add_error(target if target in form.fields else None, messages)


class NoteForm(forms.Form):
    """What the officer found or did, for a worklist item (处理说明 / 核实说明 / 跟进结果)."""

    note = forms.CharField(max_length=200)

    def __init__(self, *args, label, required_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].error_messages["required"] = required_message
        self.fields["note"].error_messages["max_length"] = _("最多 200 字。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("allow_empty_file", True)  # the service's check names the empty file in its message
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def message(text, **values):
    """A message with its values filled in when it is shown, so it is in the reader's language, not in the one
    active when the form's module was imported."""
    return lazy(lambda: str(text) % {key: str(value) if isinstance(value, Promise) else value
                                     for key, value in values.items()}, str)()


def date_field(label, **kwargs) -> forms.DateField:
    """A date with the platform's messages: "请填写…" when missing, the format to use when it is not a date."""
    return forms.DateField(label=label, widget=DateInput(), error_messages={
        "required": message(_("请填写%(label)s。"), label=label), "invalid": _("请按 2026-03-15 的格式填写日期。")},
        **kwargs)


def text_field(label, *, max_length: int, required: bool = True, rows: int = 0, **kwargs) -> forms.CharField:
    """Free text with the platform's messages; `rows` makes it a text area."""
    return forms.CharField(
        label=label, max_length=max_length, required=required,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages={"required": message(_("请填写%(label)s。"), label=label),
                        "max_length": message(_("最多 %(n)d 字。"), n=max_length)}, **kwargs)


def choice_field(label, choices, *, multiple: bool = False, **kwargs) -> forms.ChoiceField:
    """A choice (or several) with the platform's messages: "请选择…" when missing or not one of the choices."""
    field = forms.MultipleChoiceField if multiple else forms.ChoiceField
    return field(label=label, choices=choices, error_messages={
        "required": message(_("请选择%(label)s。"), label=label),
        "invalid_choice": message(_("请从列表中选择%(label)s。"), label=label)}, **kwargs)
