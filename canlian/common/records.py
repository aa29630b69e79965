"""Helpers for services that keep a record of who changed what, and why."""

from django.core.exceptions import ValidationError
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
