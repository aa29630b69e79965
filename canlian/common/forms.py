from django.core.exceptions import ValidationError


def attach_errors(form, error: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: at the field it names, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        target = (field_map or {}).get(key, key)
        form.add_error(target if target in form.fields else None, messages)
