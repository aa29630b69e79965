"""The exchange's cards on the workbench: a tag, so the registry's home page needs no import of the exchange."""

from django import template

from canlian.exchange import selectors

register = template.Library()


@register.inclusion_tag("exchange/_worklist_cards.html", takes_context=True)
def exchange_worklist_cards(context):
    """What department lists left to check (比对核查, 状态变更核实, 残疾儿童筛查跟进)."""
    return {"exchange": selectors.worklist_counts(user=context["request"].user)}
