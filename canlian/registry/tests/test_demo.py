"""The Erenhot demo registry reproduces the plan's figures (domain.md §6). Loaded once for the module."""

import hashlib

import pytest
from django.db import transaction

from canlian.accounts.models import User
from canlian.areas.models import Area
from canlian.common.ids import normalize_id_number
from canlian.registry import rules
from canlian.registry.choices import CertificateStatus
from canlian.registry.demo import REFERENCE_DATE, demo_load, demo_plan
from canlian.registry.models import Certificate, HouseholdMember, Person


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once inside a transaction that is rolled back after the module's tests."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                result = demo_load()
                yield result
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def registry(demo, db):
    return demo


def _valid_on_reference_date():
    return [c for c in Certificate.objects.filter(status=CertificateStatus.VALID) if c.is_valid_on(REFERENCE_DATE)]


def _fingerprint() -> dict:
    ids = Person.objects.order_by("id_number").values_list("id_number", flat=True)
    return {
        "areas": Area.objects.count(),
        "users": User.objects.count(),
        "persons": Person.objects.count(),
        "certificates": Certificate.objects.count(),
        "members": HouseholdMember.objects.count(),
        "histories": Person.history.count(),
        "id_checksum": hashlib.sha256("\n".join(ids).encode()).hexdigest(),
    }


def test_demo_registers_773_persons(registry):
    assert registry == {"created": True, "persons": 773}
    assert Person.objects.count() == 773


def test_demo_has_766_valid_certificates_on_the_reference_date(registry):
    assert len(_valid_on_reference_date()) == 766


def test_demo_has_318_severe_and_448_non_severe_certificates(registry):
    grades = [c.grade for c in _valid_on_reference_date()]
    assert sum(1 for g in grades if g in (1, 2)) == 318
    assert sum(1 for g in grades if g in (3, 4)) == 448


def test_demo_has_433_persons_of_working_age(registry):
    assert sum(1 for p in Person.objects.all() if 16 <= p.age_on(REFERENCE_DATE) <= 59) == 433


def test_every_demo_id_number_is_valid_and_from_erenhot(registry):
    for person in Person.objects.all():
        assert person.id_number.startswith("152501")
        assert normalize_id_number(person.id_number, today=REFERENCE_DATE) == person.id_number


def test_every_demo_certificate_number_agrees_with_its_holder(registry):
    for certificate in Certificate.objects.select_related("person").prefetch_related("components"):
        assert rules.certificate_number_problems(
            number=certificate.number, id_number=certificate.person.id_number, category=certificate.category,
            grade=certificate.grade) == []
        if certificate.category == 7:
            components = list(certificate.components.all())
            assert len(components) == 2
            assert min(c.grade for c in components) == certificate.grade


def test_demo_users_cover_every_role(registry):
    assert set(User.objects.values_list("username", flat=True)) >= {"admin", "officer", "leader", "beijiang", "gacha1"}


def test_demo_includes_shared_households_and_elderly_parents(registry):
    assert HouseholdMember.objects.filter(relation="spouse", person__isnull=False).exists()
    assert HouseholdMember.objects.filter(relation="parent", person__isnull=True).exists()


def test_loading_the_demo_twice_leaves_identical_data(registry):
    before = _fingerprint()
    assert demo_load() == {"created": False, "persons": 773}
    assert _fingerprint() == before


def test_demo_plan_is_deterministic():
    first, second = demo_plan(), demo_plan()
    assert first == second
    assert len(first) == 773
    assert demo_plan(seed=1) != first


def test_demo_plan_id_numbers_are_unique():
    assert len({p.id_number for p in demo_plan()}) == 773
