"""The benefits section of the person file: a tag, so the registry's page needs no import of benefits."""

from django import template
from django.utils import timezone

from canlian.benefits.selectors import applications_open, scheme_answers

register = template.Library()


@register.inclusion_tag("benefits/_scheme_answers.html")
def benefit_answers(person):
    """Each scheme's decision for the person today, with every reason checked (待遇资格说明)."""
    today = timezone.localdate()
    return {"person": person, "answers": scheme_answers(person, on=today), "today": today,
            "entitlements": person.entitlements.order_by("scheme", "-starts_on"),
            "applications": person.benefit_applications.order_by("-submitted_on", "-pk")[:10]}


@register.inclusion_tag("benefits/_worklist_card.html", takes_context=True)
def benefit_worklist_card(context):
    """Open applications in the user's areas and how many are past their deadline (for the workbench)."""
    today = timezone.localdate()
    applications = applications_open(user=context["request"].user, on=today)
    return {"open": applications.count(), "overdue": applications.filter(due_on__lt=today).count()}
