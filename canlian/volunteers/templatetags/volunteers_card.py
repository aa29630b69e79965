"""The volunteers' and emergency register's card on the workbench: a tag, so the registry needs no import of this
app."""

from django import template
from django.utils import timezone

from canlian.volunteers import selectors

register = template.Library()


@register.inclusion_tag("volunteers/_card.html", takes_context=True)
def volunteers_card(context):
    user = context["request"].user
    if not user.works_with_persons:
        return {"shown": False}
    today = timezone.localdate()
    return {"shown": True, "open": selectors.requests_live(user=user).count(),
            "unanswered": selectors.requests_unanswered(user=user, on=today).count(),
            "unconfirmed": selectors.emergency_unconfirmed(user=user, on=today).count()}
