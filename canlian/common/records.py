"""Helpers for services that keep a record of who changed what, and why."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def history_stamp(instance, *, by, reason: str = "") -> None:
    """Tell django-simple-history who made this change and why."""
    instance._history_user = by
    instance._change_reason = reason


def reason_required(reason: str, *, field: str = "reason", message: str = "") -> str:
    """The reason given, spaces tidied; refused at `field` with `message` when there is none."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({field: message or _("请填写原因。")})
    return reason


def text_cleaned(raw: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Free text as a service keeps it: trimmed; refused at `field` when required and empty, or too long."""
    text = (raw or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(text) > max_length:
        raise ValidationError({field: _("%(label)s最多 %(n)d 字。") % {"label": label, "n": max_length}})
    return text


def not_after_today(day: date, *, field: str, message: str = "") -> date:
    """A day something happened: refused at `field` when it lies ahead."""
    if day > timezone.localdate():
        raise ValidationError({field: message or _("日期不能晚于今天。")})
    return day
