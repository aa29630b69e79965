"""The benefits section of the person file: a tag, so the registry's page needs no import of benefits."""

from django import template
from django.utils import timezone

from canlian.benefits.models import PayrollRun
from canlian.benefits.selectors import applications_open, payroll_runs, recoveries_open, scheme_answers

register = template.Library()


@register.inclusion_tag("benefits/_scheme_answers.html")
def benefit_answers(person):
    """Each scheme's decision for the person today, with every reason checked (待遇资格说明)."""
    today = timezone.localdate()
    return {"person": person, "answers": scheme_answers(person, on=today), "today": today,
            "entitlements": person.entitlements.order_by("scheme", "-starts_on"),
            "applications": person.benefit_applications.prefetch_related("documents").order_by("-submitted_on", "-pk")[:10]}


@register.inclusion_tag("benefits/_worklist_card.html", takes_context=True)
def benefit_worklist_card(context):
    """For the workbench: open applications (and how many are overdue), open recoveries, and payroll runs waiting
    to be reviewed, approved, exported or reconciled."""
    user, today = context["request"].user, timezone.localdate()
    cards = {"payroll": payroll_runs(user=user).exclude(state=PayrollRun.State.RECONCILED).count()
             if user.handles_payroll else None}
    if user.works_with_persons:
        applications = applications_open(user=user, on=today)
        cards.update({"open": applications.count(), "overdue": applications.filter(due_on__lt=today).count(),
                      "recoveries": recoveries_open(user=user).count()})
    return cards
