"""The person file's section on rights cases, volunteer help and emergency pairing: a tag, so the registry needs
no import of these apps."""

from django import template

from canlian.rights.models import Case
from canlian.volunteers.models import EmergencyProfile, Pairing, Request

register = template.Library()


@register.inclusion_tag("volunteers/_person_section.html")
def community_section(person):
    """维权、志愿服务和应急结对: the person's cases and requests, newest first, their emergency needs and helper."""
    return {"person": person,
            "cases": Case.objects.filter(person=person).order_by("-received_on", "-pk")[:10],
            "requests": Request.objects.filter(person=person).select_related("volunteer")
            .order_by("-requested_on", "-pk")[:10],
            "profile": EmergencyProfile.objects.filter(person=person).first(),
            "pairing": Pairing.objects.filter(person=person, ended_on__isnull=True).first()}
