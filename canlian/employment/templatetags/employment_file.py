"""The employment section of the person file and the workbench card: tags, so the registry needs no import of
employment."""

from django import template
from django.utils import timezone

from canlian.employment.selectors import (
    employment_history,
    job_seekers,
    training_of,
    working_age_persons,
    zero_employment_households,
)

register = template.Library()


@register.inclusion_tag("employment/_person_section.html")
def employment_section(person):
    """就业和培训: the employment spells (实名制), newest first, and the courses taken."""
    today = timezone.localdate()
    return {"person": person, "records": employment_history(person), "training": training_of(person),
            "working_age": working_age_persons(user=None, on=today, scoped=False).filter(pk=person.pk).exists()}


@register.inclusion_tag("employment/_worklist_card.html", takes_context=True)
def employment_worklist_card(context):
    user, today = context["request"].user, timezone.localdate()
    if not user.works_with_persons:
        return {"shown": False}
    return {"shown": True, "seekers": job_seekers(user=user, on=today).count(),
            "households": zero_employment_households(user=user, on=today).count()}
