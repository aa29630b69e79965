"""The watchlist's card on the workbench: a tag, so the registry needs no import of this app."""

from django import template
from django.utils import timezone

from canlian.indicators.selectors import risk_flags_open

register = template.Library()


@register.inclusion_tag("indicators/_watchlist_card.html", takes_context=True)
def watchlist_card(context):
    user = context["request"].user
    if not user.works_with_persons:
        return {"shown": False}
    flags = risk_flags_open(user=user)
    return {"shown": True, "households": flags.values("household").distinct().count(),
            "overdue": flags.filter(follow_up_due__lt=timezone.localdate()).count()}
