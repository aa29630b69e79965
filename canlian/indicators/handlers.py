"""What the watchlist does when the registry publishes a change: ask the rule again about the households touched
(a death, a lost 低保). The nightly `canlian watchlist_sweep` catches anything an event missed."""

from canlian.areas.models import Area
from canlian.indicators.services import watchlist_sweep
from canlian.registry import events
from canlian.registry.choices import AssistanceKind, LifeStatus
from canlian.registry.models import Household


def on_life_status_changed(event: events.PersonLifeStatusChanged) -> None:
    if event.new_status == LifeStatus.DECEASED:
        watchlist_sweep(households=Household.objects.filter(members__person=event.person_id))


def on_assistance_statuses_changed(event: events.AssistanceStatusesChanged) -> None:
    area = Area.objects.filter(code=event.area_code).first()
    if area is not None and event.ended and AssistanceKind.DIBAO in event.kinds:
        watchlist_sweep(households=Household.objects.filter(members__person__assistance_statuses__ended_on=event.on,
                                                            area__path__startswith=area.path).distinct())


def subscribe() -> None:
    events.subscribe(events.PersonLifeStatusChanged, on_life_status_changed)
    events.subscribe(events.AssistanceStatusesChanged, on_assistance_statuses_changed)
