"""The page components: one field, one error summary (GOV.UK Design System patterns)."""

from django import template
from django.forms.widgets import CheckboxInput, RadioSelect

from canlian.common.masking import mask_certificate_number, mask_id_number

register = template.Library()


@register.inclusion_tag("includes/field.html")
def field(bound_field, width: str = ""):
    """Label above, hint, error message, then the control described by both; radios in a fieldset."""
    if isinstance(bound_field.field.widget, RadioSelect):  # CheckboxSelectMultiple is one too
        value = bound_field.value()
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {"" if value is None else str(value)}
        return {"field": bound_field, "input_type": bound_field.field.widget.input_type, "radios": [
            # The first option carries the field's id, so the error summary's link lands on it.
            {"id": bound_field.auto_id if index == 0 else f"{bound_field.auto_id}_{index}", "value": choice,
             "label": label, "checked": str(choice) in chosen}
            for index, (choice, label) in enumerate(bound_field.field.choices)]}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    attrs = {"class": "control" + (f" control--{width}" if width else "")}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        attrs["class"] += " control--error"
    if bound_field.field.required:
        attrs["aria-required"] = "true"
    widget = bound_field.field.widget
    autocomplete = {"name": "name", "phone": "tel", "guardian_phone": "tel", "address": "street-address"}
    if bound_field.name in autocomplete and not isinstance(widget, CheckboxInput | RadioSelect):
        attrs["autocomplete"] = autocomplete[bound_field.name]
    return {"field": bound_field, "control": bound_field.as_widget(attrs=attrs)}


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """List every error at the top, each linked to its field."""
    items = []
    for form in forms:
        if form is None or not form.errors:
            continue
        # A form-wide error (wrong password …) links to the form's first field, where the answer starts again.
        first = next((bound for bound in form if not bound.is_hidden), None)
        for error in form.non_field_errors():
            items.append({"href": f"#{first.auto_id}" if first else "", "text": error})
        for bound in form:
            for error in bound.errors:
                items.append({"href": f"#{bound.auto_id}", "text": f"{bound.label}：{error}"})
    return {"items": items}


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value or "")


@register.filter
def masked_certificate(value: str) -> str:
    return mask_certificate_number(value or "")
