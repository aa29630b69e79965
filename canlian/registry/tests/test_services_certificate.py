from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from canlian.parameters.models import Parameter
from canlian.registry import events, services
from canlian.registry.choices import Category, CertificateStatus, LifeStatus
from canlian.registry.models import Certificate
from canlian.registry.rules import Finding
from canlian.registry.tests.factories import make_assessment, make_certificate, make_id, make_person

ISSUED = date(2020, 5, 1)


@pytest.fixture
def person(officer, areas):
    return make_person(by=officer, area=areas["beijiang"])


@pytest.fixture
def certificate(person, officer):
    return make_certificate(person=person, by=officer, category=4, grade=2, on=ISSUED)


def _failures(excinfo) -> list[str]:
    return excinfo.value.messages


# --- issue (发证) -----------------------------------------------------------------------------------


def test_issued_certificate_number_is_id_plus_category_and_grade(certificate, person):
    assert certificate.number == person.id_number + "42"
    assert (certificate.category, certificate.grade, certificate.reissue_count) == (4, 2, 0)


def test_issued_certificate_is_valid_for_ten_years(certificate):
    assert certificate.status == CertificateStatus.VALID
    assert (certificate.issued_on, certificate.valid_until, certificate.status_since) == (
        ISSUED, date(2030, 5, 1), ISSUED)
    assert certificate.is_valid_on(date(2030, 5, 1))
    assert not certificate.is_valid_on(date(2030, 5, 2))
    assert certificate.status_on(date(2030, 5, 2)) == CertificateStatus.EXPIRED


def test_certificate_issued_on_29_february_expires_on_28_february(person, officer):
    certificate = make_certificate(person=person, by=officer, on=date(2020, 2, 29))
    assert certificate.valid_until == date(2030, 2, 28)


def test_validity_period_comes_from_the_parameter_in_force(person, officer):
    Parameter.objects.create(key="certificate.validity_years", value=Decimal(5), effective_from=date(2020, 1, 1))
    certificate = make_certificate(person=person, by=officer, on=ISSUED)
    assert certificate.valid_until == date(2025, 5, 1)


def test_issue_is_recorded_in_history_with_who_and_why(certificate, officer):
    record = certificate.history.get()
    assert (record.history_user, record.history_change_reason) == (officer, "发证")


def test_issue_publishes_certificate_changed_after_commit(person, officer, django_capture_on_commit_callbacks):
    received = []
    events.subscribe(events.CertificateChanged, received.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            certificate = make_certificate(person=person, by=officer)
    finally:
        events._handlers[events.CertificateChanged].remove(received.append)
    assert [(e.certificate_id, e.action, e.status, e.grade) for e in received] == [
        (certificate.pk, "issue", CertificateStatus.VALID, 2)]


def test_second_valid_certificate_is_refused(certificate, person, officer):
    assessment = make_assessment(person=person, by=officer, findings=[Finding(Category.HEARING, 3)])
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_issue(person=person, assessment=assessment, by=officer, on=date(2021, 1, 1))
    assert any("一人只能持有一个有效证件" in m for m in _failures(excinfo))
    assert list(person.certificates.all()) == [certificate]


def test_database_also_refuses_a_second_valid_certificate(certificate, person):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            number=person.id_number + "23", person=person, category=2, grade=3, issued_on=ISSUED,
            valid_until=date(2030, 5, 1), status=CertificateStatus.VALID, status_since=ISSUED,
        )
    assert person.certificates.count() == 1


def test_database_refuses_the_same_live_number_twice(certificate, person, officer, areas):
    other = make_person(by=officer, area=areas["beijiang"], name="李四", sequence=13)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            number=certificate.number, person=other, category=4, grade=2, issued_on=ISSUED,
            valid_until=date(2030, 5, 1), status=CertificateStatus.FROZEN, status_since=ISSUED,
        )


def test_holder_of_a_frozen_certificate_is_not_issued_a_second_one(certificate, person, officer):
    # A frozen card is still the person's card (一人一证): unfreeze or cancel it first.
    services.certificate_freeze(certificate=certificate, by=officer, on=date(2021, 1, 1), reason="户籍迁出未转入")
    assessment = make_assessment(person=person, by=officer, findings=[Finding(Category.PHYSICAL, 3)])
    with pytest.raises(ValidationError):
        services.certificate_issue(person=person, assessment=assessment, by=officer, on=date(2021, 2, 1))
    assert person.certificates.count() == 1


def test_assessment_of_another_person_cannot_make_a_certificate(person, officer, areas):
    other = make_person(by=officer, area=areas["beijiang"], name="李四", sequence=13)
    assessment = make_assessment(person=other, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_issue(person=person, assessment=assessment, by=officer, on=ISSUED)
    assert excinfo.value.message_dict["assessment"] == ["评定记录不属于此人。"]


def test_certificate_cannot_be_issued_on_a_future_day(person, officer):
    assessment = make_assessment(person=person, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_issue(person=person, assessment=assessment, by=officer,
                                   on=timezone.localdate() + timedelta(days=1))
    assert excinfo.value.message_dict["on"] == ["办理日期不能晚于今天。"]


def test_person_who_moved_away_is_not_issued_a_certificate(person, officer):
    assessment = make_assessment(person=person, by=officer)
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.MOVED_OUT,
                                       since=date(2020, 1, 1), reason="迁出")
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_issue(person=person, assessment=assessment, by=officer, on=ISSUED)
    assert "人员状态为“迁出”，不能发证" in _failures(excinfo)


# --- multiple disability (多重残疾) -------------------------------------------------------------------


def test_multiple_disability_card_is_category_7_graded_by_the_most_severe_component(person, officer):
    certificate = make_certificate(person=person, by=officer,
                                   findings=[Finding(Category.PHYSICAL, 3), Finding(Category.HEARING, 1)])
    assert certificate.number == person.id_number + "71"
    assert (certificate.category, certificate.grade) == (Category.MULTIPLE, 1)
    assert sorted(certificate.components.values_list("category", "grade")) == [(2, 1), (4, 3)]


def test_assessment_with_the_same_category_twice_is_refused(person, officer):
    with pytest.raises(ValidationError) as excinfo:
        make_assessment(person=person, by=officer, findings=[Finding(4, 2), Finding(4, 3)])
    assert excinfo.value.message_dict["findings"] == ["同一残疾类别只能有一个等级。"]


def test_assessment_dated_before_birth_is_refused(person, officer):
    with pytest.raises(ValidationError) as excinfo:
        make_assessment(person=person, by=officer, on=date(1979, 1, 1))
    assert "assessed_on" in excinfo.value.message_dict


# --- renew (换证) ------------------------------------------------------------------------------------


@pytest.fixture
def old_certificate(person, officer):
    """A card issued 2016-06-01, valid until 2026-06-01."""
    return make_certificate(person=person, by=officer, category=4, grade=2, on=date(2016, 6, 1))


def test_renewal_keeps_the_number_and_starts_a_new_validity(old_certificate, officer):
    renewed = services.certificate_renew(certificate=old_certificate, by=officer, on=date(2026, 3, 10))
    assert renewed.pk == old_certificate.pk
    assert renewed.number == old_certificate.number
    assert (renewed.issued_on, renewed.valid_until, renewed.status) == (
        date(2026, 3, 10), date(2036, 3, 10), CertificateStatus.VALID)
    assert renewed.history.latest("history_id").history_change_reason == "换证（到期换领）"


def test_card_past_its_date_is_renewed(old_certificate, officer):
    renewed = services.certificate_renew(certificate=old_certificate, by=officer, on=date(2026, 9, 1))
    assert renewed.valid_until == date(2036, 9, 1)


def test_renewal_waits_for_the_notice_period_before_expiry(old_certificate, officer):
    # 2026-06-01 minus 90 days is 2026-03-03: a day earlier is too early.
    with pytest.raises(ValidationError, match="到期前 90 天内才能换证") as excinfo:
        services.certificate_renew(certificate=old_certificate, by=officer, on=date(2026, 3, 2))
    assert "on" in excinfo.value.message_dict
    services.certificate_renew(certificate=old_certificate, by=officer, on=date(2026, 3, 3))


def test_action_dated_before_the_card_is_refused(certificate, officer):
    with pytest.raises(ValidationError, match="不能早于 2020-05-01"):
        services.certificate_freeze(certificate=certificate, by=officer, on=date(2019, 1, 1), reason="迁出")


def test_expired_card_must_be_renewed_before_it_is_reissued(old_certificate, officer):
    with pytest.raises(ValidationError, match="已于 2026-06-01 到期"):
        services.certificate_reissue(certificate=old_certificate, by=officer, on=date(2026, 7, 1), reason="遗失")


def test_holder_who_moved_away_cannot_renew(old_certificate, person, officer):
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.MOVED_OUT,
                                       since=date(2023, 1, 1), reason="迁出")
    with pytest.raises(ValidationError, match="持证人状态为“迁出”，不能换证"):
        services.certificate_renew(certificate=old_certificate, by=officer, on=date(2026, 5, 1))


def test_cancelled_certificate_cannot_be_renewed(certificate, officer):
    services.certificate_cancel(certificate=certificate, by=officer, on=date(2023, 1, 1), reason="本人申请")
    with pytest.raises(ValidationError, match="证件状态为“注销”，不能换证"):
        services.certificate_renew(certificate=certificate, by=officer, on=date(2024, 3, 1))


# --- regrade (等级变更) --------------------------------------------------------------------------------


def test_regrade_replaces_the_old_card_with_a_new_number_carrying_the_new_grade(certificate, person, officer):
    assessment = make_assessment(person=person, by=officer, on=date(2023, 6, 1), findings=[Finding(4, 1)])
    new = services.certificate_regrade(certificate=certificate, assessment=assessment, by=officer,
                                       on=date(2023, 6, 10))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REPLACED
    assert certificate.status_since == date(2023, 6, 10)
    assert new.number == person.id_number + "41"
    assert (new.grade, new.status, new.replaces) == (1, CertificateStatus.VALID, certificate)
    assert (new.issued_on, new.valid_until) == (date(2023, 6, 10), date(2033, 6, 10))


def test_regrade_to_another_category_changes_the_category_digit(certificate, person, officer):
    assessment = make_assessment(person=person, by=officer, findings=[Finding(Category.MENTAL, 2)])
    new = services.certificate_regrade(certificate=certificate, assessment=assessment, by=officer,
                                       on=date(2023, 6, 10))
    assert new.number == person.id_number + "62"


def test_regrade_to_a_multiple_disability_stores_its_components(certificate, person, officer):
    assessment = make_assessment(person=person, by=officer, findings=[Finding(4, 2), Finding(5, 3)])
    new = services.certificate_regrade(certificate=certificate, assessment=assessment, by=officer,
                                       on=date(2023, 6, 10))
    assert new.number == person.id_number + "72"
    assert sorted(new.components.values_list("category", "grade")) == [(4, 2), (5, 3)]


def test_regrade_to_the_same_category_and_grade_is_refused(certificate, person, officer):
    assessment = make_assessment(person=person, by=officer, findings=[Finding(4, 2)])
    with pytest.raises(ValidationError, match="无需变更"):
        services.certificate_regrade(certificate=certificate, assessment=assessment, by=officer,
                                     on=date(2023, 6, 10))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    assert person.certificates.count() == 1


def test_regrade_with_another_persons_assessment_is_refused(certificate, officer, areas):
    other = make_person(by=officer, area=areas["beijiang"], name="李四", sequence=13)
    assessment = make_assessment(person=other, by=officer, findings=[Finding(4, 1)])
    with pytest.raises(ValidationError):
        services.certificate_regrade(certificate=certificate, assessment=assessment, by=officer,
                                     on=date(2023, 6, 10))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


# --- reissue (补发) -------------------------------------------------------------------------------------


def test_reissue_adds_b1_then_b2_and_keeps_the_validity(certificate, person, officer):
    first = services.certificate_reissue(certificate=certificate, by=officer, on=date(2022, 1, 5), reason="遗失")
    second = services.certificate_reissue(certificate=first, by=officer, on=date(2023, 2, 6), reason="损坏")
    assert first.number == person.id_number + "42B1"
    assert second.number == person.id_number + "42B2"
    assert second.reissue_count == 2
    assert first.valid_until == second.valid_until == certificate.valid_until == date(2030, 5, 1)
    certificate.refresh_from_db()
    first.refresh_from_db()
    assert (certificate.status, first.status, second.status) == (
        CertificateStatus.REPLACED, CertificateStatus.REPLACED, CertificateStatus.VALID)
    assert second.replaces == first and first.replaces == certificate
    assert certificate.status_reason == "补发：遗失"


def test_reissued_multiple_disability_card_keeps_its_components(person, officer):
    certificate = make_certificate(person=person, by=officer, findings=[Finding(1, 2), Finding(2, 3)])
    new = services.certificate_reissue(certificate=certificate, by=officer, on=date(2022, 1, 5), reason="遗失")
    assert new.number == person.id_number + "72B1"
    assert sorted(new.components.values_list("category", "grade")) == [(1, 2), (2, 3)]


def test_reissue_requires_a_reason(certificate, officer):
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_reissue(certificate=certificate, by=officer, on=date(2022, 1, 5), reason=" ")
    assert excinfo.value.message_dict["reason"] == ["请填写原因。"]
    assert Certificate.objects.count() == 1


def test_replaced_card_cannot_be_reissued_again(certificate, officer):
    services.certificate_reissue(certificate=certificate, by=officer, on=date(2022, 1, 5), reason="遗失")
    with pytest.raises(ValidationError, match="证件状态为“补发替换”，不能补发"):
        services.certificate_reissue(certificate=certificate, by=officer, on=date(2022, 1, 6), reason="遗失")


# --- freeze, unfreeze, cancel (冻结、解冻、注销) ---------------------------------------------------------


def test_freeze_and_unfreeze_with_reasons(certificate, officer):
    frozen = services.certificate_freeze(certificate=certificate, by=officer, on=date(2022, 1, 1),
                                         reason="户籍迁出6个月未转入")
    assert (frozen.status, frozen.status_since, frozen.status_reason) == (
        CertificateStatus.FROZEN, date(2022, 1, 1), "户籍迁出6个月未转入")
    assert not frozen.is_valid_on(date(2022, 1, 2))
    thawed = services.certificate_unfreeze(certificate=frozen, by=officer, on=date(2022, 3, 1), reason="已转入")
    assert thawed.status == CertificateStatus.VALID
    assert thawed.valid_until == date(2030, 5, 1)
    assert [h.history_change_reason for h in thawed.history.order_by("history_id")] == [
        "发证", "户籍迁出6个月未转入", "已转入"]


def test_valid_certificate_cannot_be_unfrozen(certificate, officer):
    with pytest.raises(ValidationError, match="证件状态为“有效”，不能解冻"):
        services.certificate_unfreeze(certificate=certificate, by=officer, on=date(2022, 3, 1), reason="误操作")


def test_frozen_certificate_cannot_be_frozen_again(certificate, officer):
    services.certificate_freeze(certificate=certificate, by=officer, on=date(2022, 1, 1), reason="迁出")
    with pytest.raises(ValidationError, match="不能冻结"):
        services.certificate_freeze(certificate=certificate, by=officer, on=date(2022, 1, 2), reason="迁出")


def test_freeze_requires_a_reason(certificate, officer):
    with pytest.raises(ValidationError):
        services.certificate_freeze(certificate=certificate, by=officer, on=date(2022, 1, 1), reason="")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_frozen_certificate_can_be_cancelled(certificate, officer):
    services.certificate_freeze(certificate=certificate, by=officer, on=date(2022, 1, 1), reason="迁出")
    cancelled = services.certificate_cancel(certificate=certificate, by=officer, on=date(2023, 1, 1),
                                            reason="迁出满一年")
    assert cancelled.status == CertificateStatus.CANCELLED


def _cancel_and_reapply(person, officer, *, cancelled_on: date, reapply_on: date):
    certificate = make_certificate(person=person, by=officer, on=date(2020, 5, 1))
    services.certificate_cancel(certificate=certificate, by=officer, on=cancelled_on, reason="本人申请注销")
    assessment = make_assessment(person=person, by=officer, on=reapply_on)
    return services.certificate_issue(person=person, assessment=assessment, by=officer, on=reapply_on)


def test_new_certificate_within_one_year_of_cancellation_is_refused(person, officer):
    with pytest.raises(ValidationError) as excinfo:
        _cancel_and_reapply(person, officer, cancelled_on=date(2021, 3, 15), reapply_on=date(2022, 3, 14))
    assert _failures(excinfo) == [
        "证件于 2021-03-15 注销，2022-03-15 之前不得重新申请（《残疾人证管理办法》第24条）"]
    assert person.certificates.count() == 1


def test_new_certificate_one_year_after_cancellation_is_allowed(person, officer):
    new = _cancel_and_reapply(person, officer, cancelled_on=date(2021, 3, 15), reapply_on=date(2022, 3, 15))
    assert new.status == CertificateStatus.VALID
    assert new.number == person.id_number + "42"  # a cancelled number may be used again
    assert person.certificates.count() == 2


def test_cancel_requires_a_reason(certificate, officer):
    with pytest.raises(ValidationError):
        services.certificate_cancel(certificate=certificate, by=officer, on=date(2022, 1, 1), reason="")


def test_cancelled_certificate_cannot_be_cancelled_again(certificate, officer):
    services.certificate_cancel(certificate=certificate, by=officer, on=date(2022, 1, 1), reason="本人申请")
    with pytest.raises(ValidationError, match="不能注销"):
        services.certificate_cancel(certificate=certificate, by=officer, on=date(2022, 1, 2), reason="本人申请")


# --- existing certificates (存量证件录入) --------------------------------------------------------------


def test_existing_certificate_is_registered_with_its_number(person, officer):
    registered = services.certificate_register(person=person, by=officer, number=person.id_number + "13",
                                               category=1, grade=3, issued_on=date(2019, 8, 1))
    assert (registered.number, registered.valid_until, registered.reissue_count) == (
        person.id_number + "13", date(2029, 8, 1), 0)
    assert registered.history.get().history_change_reason == "存量证件录入"


def test_existing_reissued_certificate_keeps_its_reissue_count(person, officer):
    registered = services.certificate_register(person=person, by=officer, number=person.id_number + "13b2",
                                               category=1, grade=3, issued_on=date(2019, 8, 1))
    assert (registered.number, registered.reissue_count) == (person.id_number + "13B2", 2)


def test_existing_certificate_number_of_another_id_is_refused(person, officer):
    other_id = make_id(date(1981, 2, 3), 13)
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_register(person=person, by=officer, number=other_id + "42", category=4, grade=2,
                                      issued_on=date(2019, 8, 1))
    assert excinfo.value.message_dict["number"] == ["残疾人证号前18位应与持证人身份证号一致。"]
    assert not Certificate.objects.exists()


def test_existing_certificate_number_disagreeing_with_grade_is_refused(person, officer):
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_register(person=person, by=officer, number=person.id_number + "43", category=4,
                                      grade=2, issued_on=date(2019, 8, 1))
    assert excinfo.value.message_dict["number"] == ["残疾人证号第20位是等级 3，但等级为“二级”（2）。"]
    assert not Certificate.objects.exists()


def test_existing_certificate_number_disagreeing_with_category_is_refused(person, officer):
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_register(person=person, by=officer, number=person.id_number + "12", category=4,
                                      grade=2, issued_on=date(2019, 8, 1))
    assert "第19位是类别 1" in excinfo.value.message_dict["number"][0]


def test_existing_multiple_disability_must_carry_its_most_severe_grade(person, officer):
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_register(person=person, by=officer, number=person.id_number + "73", category=7,
                                      grade=3, issued_on=date(2019, 8, 1),
                                      components=[Finding(1, 2), Finding(4, 3)])
    assert "多重残疾的等级应为各类别中最重的等级。" in excinfo.value.message_dict["number"]


def test_existing_multiple_disability_is_registered_with_components(person, officer):
    registered = services.certificate_register(person=person, by=officer, number=person.id_number + "72",
                                               category=7, grade=2, issued_on=date(2019, 8, 1),
                                               components=[Finding(1, 2), Finding(4, 3)])
    assert sorted(registered.components.values_list("category", "grade")) == [(1, 2), (4, 3)]


def test_existing_certificate_for_a_holder_of_a_valid_one_is_refused(certificate, person, officer):
    with pytest.raises(ValidationError, match="已持有有效残疾人证，一人只能持有一个有效证件"):
        services.certificate_register(person=person, by=officer, number=person.id_number + "13", category=1,
                                      grade=3, issued_on=date(2019, 8, 1))
    assert person.certificates.count() == 1


def test_existing_certificate_with_a_future_issue_date_is_refused(person, officer):
    with pytest.raises(ValidationError) as excinfo:
        services.certificate_register(person=person, by=officer, number=person.id_number + "42", category=4,
                                      grade=2, issued_on=timezone.localdate() + timedelta(days=1))
    assert "发证日期不能晚于今天。" in excinfo.value.message_dict["number"]


def test_existing_certificate_within_a_year_of_cancellation_is_refused(certificate, person, officer):
    services.certificate_cancel(certificate=certificate, by=officer, on=date(2023, 1, 10), reason="本人申请")
    with pytest.raises(ValidationError, match="2024-01-10 之前不得重新申请"):
        services.certificate_register(person=person, by=officer, number=person.id_number + "13", category=1,
                                      grade=3, issued_on=date(2023, 6, 1))


def test_regrade_to_the_same_multiple_disability_is_refused(person, officer):
    findings = [Finding(1, 2), Finding(4, 3)]
    certificate = make_certificate(person=person, by=officer, findings=findings)
    again = make_assessment(person=person, by=officer, on=date(2023, 1, 1), findings=findings)
    with pytest.raises(ValidationError, match="与现有证件相同"):
        services.certificate_regrade(certificate=certificate, assessment=again, by=officer, on=date(2023, 2, 1))


def test_registering_an_existing_certificate_publishes_the_change(person, officer, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe(events.CertificateChanged, seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.certificate_register(person=person, by=officer, number=person.id_number + "13", category=1,
                                          grade=3, issued_on=date(2019, 8, 1))
    finally:
        events._handlers[events.CertificateChanged].remove(seen.append)
    assert [(e.action, e.grade) for e in seen] == [("register", 3)]
