"""The needs-and-services section of the person file and the workbench card: tags, so the registry needs no
import of this app."""

from django import template
from django.utils import timezone

from canlian.services.choices import NeedState
from canlian.services.selectors import needs_live, person_needs_and_services, survey_not_visited

register = template.Library()


@register.inclusion_tag("services/_person_section.html")
def services_section(person):
    """需求与服务: the person's needs, services and survey visits, newest first."""
    return {"person": person, "this_year": timezone.localdate().year, **person_needs_and_services(person)}


@register.inclusion_tag("services/_worklist_card.html", takes_context=True)
def services_worklist_card(context):
    user, today = context["request"].user, timezone.localdate()
    if not user.works_with_persons:
        return {"shown": False}
    live = needs_live(user=user)
    return {"shown": True, "live": live.count(),
            "overdue": live.filter(state=NeedState.OPEN, due_on__lt=today).count(),
            "not_visited": survey_not_visited(user=user, on=today).count()}
