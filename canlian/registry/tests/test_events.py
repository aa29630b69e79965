"""The registry publishes domain events after commit; subscribers never see an uncommitted change."""

from datetime import date

import pytest

from canlian.registry import events, services
from canlian.registry.tests.factories import make_certificate, make_person


@pytest.fixture
def received():
    seen = []

    def handler(event):
        seen.append(event)

    for event_type in (events.PersonLifeStatusChanged, events.CertificateChanged, events.PersonMoved):
        events.subscribe(event_type, handler)
    yield seen
    for event_type in (events.PersonLifeStatusChanged, events.CertificateChanged, events.PersonMoved):
        events._handlers[event_type].remove(handler)


def test_death_publishes_status_change_and_certificate_cancellation_after_commit(
    officer, areas, received, django_capture_on_commit_callbacks
):
    person = make_person(by=officer, area=areas["beijiang"])
    with django_capture_on_commit_callbacks(execute=True):
        make_certificate(person=person, by=officer)
    received.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.person_change_life_status(person=person, by=officer, status="deceased", since=date(2024, 3, 1),
                                           reason="死亡证明 2024-001")
    assert received == [], "nothing is delivered before the transaction commits"
    for callback in callbacks:
        callback()
    kinds = [(type(e).__name__, getattr(e, "action", getattr(e, "new_status", None))) for e in received]
    assert ("CertificateChanged", "cancel") in kinds
    assert ("PersonLifeStatusChanged", "deceased") in kinds


def test_moving_to_another_community_publishes_person_moved(officer, areas, received,
                                                             django_capture_on_commit_callbacks):
    person = make_person(by=officer, area=areas["beijiang"])
    with django_capture_on_commit_callbacks(execute=True):
        services.person_update(person=person, by=officer, residence_area=areas["dongcheng"], reason="搬家")
    assert received == [events.PersonMoved(person_id=person.pk, old_area_code="152501001001",
                                           new_area_code="152501001002")]
