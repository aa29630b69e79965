"""The rights cases' card on the workbench: a tag, so the registry needs no import of this app."""

from django import template
from django.utils import timezone

from canlian.rights.selectors import cases_open

register = template.Library()


@register.inclusion_tag("rights/_card.html", takes_context=True)
def rights_card(context):
    user = context["request"].user
    if not user.works_with_persons:
        return {"shown": False}
    today = timezone.localdate()
    rows = cases_open(user=user)
    return {"shown": True, "open": rows.count(), "mine": rows.filter(assigned_to=user).count(),
            "late": rows.filter(due_on__lt=today).count(),
            "due_soon": rows.filter(remind_on__lte=today, due_on__gte=today).count()}
