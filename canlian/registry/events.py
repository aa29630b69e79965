"""Domain events the registry publishes after its transaction commits (design.md).

Other parts subscribe in their AppConfig.ready() with `subscribe(EventType, handler)`; the registry
imports none of them. Payloads are plain values so a handler never sees a half-written row.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction


@dataclass(frozen=True)
class PersonLifeStatusChanged:
    person_id: int
    old_status: str
    new_status: str
    since: date
    reason: str


@dataclass(frozen=True)
class PersonMoved:
    person_id: int
    old_area_code: str
    new_area_code: str


@dataclass(frozen=True)
class CertificateChanged:
    """A certificate was issued, renewed, regraded, reissued, frozen, unfrozen or cancelled."""

    person_id: int
    certificate_id: int
    action: str
    status: str
    category: int
    grade: int
    on: date


@dataclass(frozen=True)
class AssistanceStatusesChanged:
    """A civil-affairs list was applied: statuses of these kinds in this area changed as of `on`."""

    area_code: str
    kinds: tuple[str, ...]
    on: date
    started: int
    corrected: int
    ended: int


_handlers: dict[type, list[Callable]] = defaultdict(list)


def subscribe(event_type: type, handler: Callable) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event) -> None:
    """Deliver an event to its subscribers once the current transaction has committed."""
    for handler in list(_handlers[type(event)]):
        transaction.on_commit(lambda handler=handler: handler(event), robust=True)
