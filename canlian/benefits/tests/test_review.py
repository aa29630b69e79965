"""Automatic review (自动核查): when the registry changes, payment stops from the right month, with the reason."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from canlian.benefits.choices import Scheme
from canlian.benefits.models import Entitlement
from canlian.benefits.services import entitlement_review
from canlian.registry import services as registry_services
from canlian.registry.choices import AssistanceKind
from canlian.registry.models import AssistanceStatus
from canlian.registry.tests.factories import make_assessment, make_certificate, make_person


@pytest.fixture
def zhang(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1958, 3, 4))
    make_certificate(person=person, by=officer, category=4, grade=1, on=date(2020, 5, 1))
    return person


def _entitled(person, scheme=Scheme.NURSING_ALLOWANCE, starts=date(2024, 1, 1)) -> Entitlement:
    return Entitlement.objects.create(person=person, scheme=scheme, starts_on=starts)


def test_death_ends_the_entitlement_after_the_month_of_death(zhang, officer, django_capture_on_commit_callbacks):
    entitlement = _entitled(zhang)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.person_change_life_status(person=zhang, by=officer, status="deceased",
                                                    since=date(2025, 5, 17), reason="医学死亡证明")
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.ends_on) == (Entitlement.State.ENDED, date(2025, 5, 1))
    assert "人员状态为“死亡”" in entitlement.state_reason
    assert entitlement.history.first().history_change_reason == "人员状态变更为“死亡”：自 2025-05 后终止"


def test_regrade_to_grade_three_physical_ends_the_nursing_allowance(zhang, officer, django_capture_on_commit_callbacks):
    entitlement = _entitled(zhang)
    assessment = make_assessment(person=zhang, by=officer, on=date(2025, 3, 1))
    assessment.findings.update(grade=3)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.certificate_regrade(certificate=zhang.certificates.get(status="valid"),
                                              assessment=assessment, by=officer, on=date(2025, 3, 10))
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.ends_on) == (Entitlement.State.ENDED, date(2025, 3, 1))


def test_a_frozen_certificate_suspends_and_unfreezing_restores_the_payment(zhang, officer,
                                                                          django_capture_on_commit_callbacks):
    entitlement = _entitled(zhang)
    card = zhang.certificates.get(status="valid")
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.certificate_freeze(certificate=card, by=officer, on=date(2025, 4, 2), reason="户籍迁出未转")
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.ends_on) == (Entitlement.State.SUSPENDED, date(2025, 4, 1))
    card.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.certificate_unfreeze(certificate=card, by=officer, on=date(2025, 6, 3), reason="已转入")
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.ends_on) == (Entitlement.State.ACTIVE, None)
    assert "恢复发放" in entitlement.state_reason


def test_losing_dibao_ends_the_living_allowance_but_not_the_nursing_allowance(zhang):
    AssistanceStatus.objects.create(person=zhang, kind=AssistanceKind.DIBAO, started_on=date(2024, 1, 1),
                                    ended_on=date(2025, 8, 31), started_by="test", ended_by="test")
    living, nursing = _entitled(zhang, Scheme.LIVING_ALLOWANCE), _entitled(zhang)
    entitlement_review(person=zhang, on=date(2025, 9, 1), cause="民政救助名单更新")
    living.refresh_from_db()
    nursing.refresh_from_db()
    assert (living.state, living.ends_on) == (Entitlement.State.ENDED, date(2025, 9, 1))
    assert "不是低保家庭成员" in living.state_reason
    assert nursing.state == Entitlement.State.ACTIVE


def test_a_change_before_the_first_month_leaves_no_month_paid(zhang):
    entitlement = _entitled(zhang, starts=date(2025, 6, 1))
    zhang.life_status = "deceased"
    zhang.save()
    entitlement_review(person=zhang, on=date(2025, 4, 20), cause="测试")
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.ends_on) == (Entitlement.State.ENDED, date(2025, 5, 1)), \
        "the month before the first: no month paid"


def test_a_suspended_entitlement_ends_when_the_person_dies(zhang, officer, django_capture_on_commit_callbacks):
    entitlement = _entitled(zhang)
    card = zhang.certificates.get(status="valid")
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.certificate_freeze(certificate=card, by=officer, on=date(2025, 4, 2), reason="户籍迁出未转")
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.person_change_life_status(person=zhang, by=officer, status="deceased",
                                                    since=date(2025, 7, 3), reason="医学死亡证明")
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.ends_on) == (Entitlement.State.ENDED, date(2025, 4, 1))


def test_nightly_review_catches_a_certificate_that_ran_out(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="李小红", birth=date(1990, 7, 8))
    make_certificate(person=person, by=officer, category=2, grade=1, on=date(2015, 3, 1))  # valid to 2025-02-28
    entitlement = _entitled(person)
    out = StringIO()
    call_command("benefits_review", "--on", "2025-03-15", stdout=out)
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.ends_on) == (Entitlement.State.SUSPENDED, date(2025, 3, 1))
    assert "复核 1 人，变更 1 项待遇" in out.getvalue()


def test_dropping_off_the_civil_affairs_list_stops_the_living_allowance(zhang, officer, areas, tmp_path, settings,
                                                                       django_capture_on_commit_callbacks):
    from canlian.exchange.tests.factories import ASSISTANCE_HEADER, imported, write_csv

    settings.IMPORT_DIR = tmp_path / "imports"
    june = write_csv(tmp_path / "june.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    imported(june, by=officer, source="assistance", area=areas["city"], list_date=date(2025, 6, 30))
    living = _entitled(zhang, Scheme.LIVING_ALLOWANCE)
    other = make_person(by=officer, area=areas["dongcheng"], name="王大明", birth=date(1975, 2, 3))
    july = write_csv(tmp_path / "july.csv", [ASSISTANCE_HEADER, [other.id_number, "王大明", "低保", "2025-07-01"]])
    with django_capture_on_commit_callbacks(execute=True):
        imported(july, by=officer, source="assistance", area=areas["city"], list_date=date(2025, 7, 31))
    living.refresh_from_db()
    assert (living.state, living.ends_on) == (Entitlement.State.ENDED, date(2025, 7, 1))
    assert living.history.first().history_change_reason == "民政救助名单更新：自 2025-07 后终止"
