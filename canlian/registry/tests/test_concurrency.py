"""Two officers registering the same person at the same moment: one file, one clear refusal."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from canlian.registry import services
from canlian.registry.models import Certificate, Person
from canlian.registry.tests.factories import make_assessment, make_id, make_person


def _race(work, times: int = 2):
    barrier = threading.Barrier(times)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(work())
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_same_id_registered_twice_at_once_makes_one_person(officer, areas):
    outcomes = _race(lambda: services.person_create(
        by=officer, id_number=make_id(), name="张三丰", ethnicity="01", hukou_type="urban",
        hukou_area=areas["beijiang"], residence_area=areas["beijiang"]))
    assert Person.objects.filter(id_number=make_id()).count() == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1
    assert "已登记" in refused[0].message_dict["id_number"][0]


@pytest.mark.django_db(transaction=True)
def test_two_certificates_issued_at_once_leave_one_valid_card(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    assessment = make_assessment(person=person, by=officer)
    outcomes = _race(lambda: services.certificate_issue(person=person, assessment=assessment, by=officer,
                                                        on=date(2021, 6, 1)))
    assert Certificate.objects.filter(person=person, status="valid").count() == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1
