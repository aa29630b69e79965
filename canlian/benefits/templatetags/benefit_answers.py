"""The benefits section of the person file: a tag, so the registry's page needs no import of benefits."""

from django import template
from django.utils import timezone

from canlian.benefits.selectors import scheme_answers

register = template.Library()


@register.inclusion_tag("benefits/_scheme_answers.html")
def benefit_answers(person):
    """Each scheme's decision for the person today, with every reason checked (待遇资格说明)."""
    today = timezone.localdate()
    return {"answers": scheme_answers(person, on=today), "today": today}
