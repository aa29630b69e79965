"""Applications from submission to approval: deadlines in working days, maker ≠ checker, every decision kept."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from canlian.benefits import services
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Application, Entitlement
from canlian.benefits.selectors import applications_open
from canlian.registry import services as registry_services
from canlian.registry.tests.factories import make_certificate, make_person, make_user

State = Application.State


@pytest.fixture
def zhang(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰")
    make_certificate(person=person, by=officer, category=4, grade=1)
    return person


@pytest.fixture
def approver(areas):
    """A second federation officer: the one who approves what others submitted and reviewed."""
    return make_user("approver", "federation_officer", [areas["city"]])


def _submitted(person, by, on=date(2025, 9, 30)):
    return services.application_submit(person=person, scheme=Scheme.NURSING_ALLOWANCE, by=by, on=on)


def test_community_review_is_due_within_five_working_days_skipping_the_national_day_holiday(zhang, beijiang_officer):
    application = _submitted(zhang, beijiang_officer)
    # 10月1日至8日放假; 10月11日（周六）上班: the fifth working day after 9-30 is 10-14.
    assert application.due_on == date(2025, 10, 14)
    assert application.state == State.SUBMITTED


def test_approval_by_a_second_person_gives_an_entitlement_from_the_next_month(zhang, beijiang_officer, officer,
                                                                               approver):
    application = _submitted(zhang, beijiang_officer)
    services.application_review(application=application, by=officer, on=date(2025, 10, 9))
    application.refresh_from_db()
    assert application.due_on == date(2025, 10, 22)  # ten working days for the federation (10-11 Saturday counts)
    entitlement = services.application_approve(application=application, by=approver, on=date(2025, 10, 20))
    assert (entitlement.scheme, entitlement.starts_on, entitlement.state) == (
        Scheme.NURSING_ALLOWANCE, date(2025, 11, 1), Entitlement.State.ACTIVE)
    application.refresh_from_db()
    assert (application.state, application.decided_by) == (State.APPROVED, approver)
    assert [h.history_change_reason for h in application.history.order_by("history_date")] == [
        "提交申请", "社区审核通过", "残联审批通过"]


def test_approval_in_december_starts_in_january(zhang, beijiang_officer, officer, approver):
    application = _submitted(zhang, beijiang_officer)
    services.application_review(application=application, by=officer)
    entitlement = services.application_approve(application=application, by=approver, on=date(2025, 12, 15))
    assert entitlement.starts_on == date(2026, 1, 1)


@pytest.mark.parametrize("who", ["submitter", "reviewer"])
def test_the_submitter_or_the_reviewer_cannot_approve(zhang, officer, approver, who):
    application = _submitted(zhang, officer if who == "submitter" else approver)
    services.application_review(application=application, by=approver if who == "submitter" else officer)
    with pytest.raises(ValidationError, match="不能审批同一份申请"):
        services.application_approve(application=application, by=officer)
    assert not Entitlement.objects.exists()


def test_a_community_officer_cannot_approve(zhang, officer, beijiang_officer, approver, areas):
    application = _submitted(zhang, officer)
    services.application_review(application=application, by=approver)
    colleague = make_user("beijiang2", "community_officer", [areas["beijiang"]])
    with pytest.raises(ValidationError, match="审批由残联工作人员办理"):
        services.application_approve(application=application, by=colleague)


def test_the_submitter_cannot_review_their_own_application(zhang, beijiang_officer):
    application = _submitted(zhang, beijiang_officer)
    with pytest.raises(ValidationError, match="录入人不能审核"):
        services.application_review(application=application, by=beijiang_officer)


def test_approval_checks_the_rules_again_on_the_day(zhang, beijiang_officer, officer, approver):
    application = _submitted(zhang, beijiang_officer)
    services.application_review(application=application, by=officer)
    registry_services.person_change_life_status(person=zhang, by=officer, status="deceased", since=date(2025, 10, 2),
                                                reason="医学死亡证明")
    with pytest.raises(ValidationError, match="不符合条件，不能批准"):
        services.application_approve(application=application, by=approver)
    assert not Entitlement.objects.exists()


def test_approval_needs_the_community_review_first(zhang, beijiang_officer, approver):
    application = _submitted(zhang, beijiang_officer)
    with pytest.raises(ValidationError, match="待社区审核"):
        services.application_approve(application=application, by=approver)


def test_a_second_approval_of_the_same_application_is_refused(zhang, beijiang_officer, officer, approver):
    application = _submitted(zhang, beijiang_officer)
    services.application_review(application=application, by=officer)
    services.application_approve(application=application, by=approver)
    with pytest.raises(ValidationError, match="已批准"):
        services.application_approve(application=application, by=approver)
    assert Entitlement.objects.count() == 1


def test_rejection_needs_the_reason_the_person_will_be_told(zhang, beijiang_officer, approver):
    application = _submitted(zhang, beijiang_officer)
    with pytest.raises(ValidationError) as excinfo:
        services.application_reject(application=application, by=approver, reason="  ")
    assert "reason" in excinfo.value.message_dict
    services.application_reject(application=application, by=approver, reason="残疾人证已过期，请先换证")
    application.refresh_from_db()
    assert (application.state, application.reason) == (State.REJECTED, "残疾人证已过期，请先换证")


def test_withdrawn_application_can_be_made_again(zhang, beijiang_officer):
    application = _submitted(zhang, beijiang_officer)
    services.application_withdraw(application=application, by=beijiang_officer, reason="本人要求撤回")
    again = _submitted(zhang, beijiang_officer)
    assert again.state == State.SUBMITTED


def test_one_open_application_per_person_and_scheme(zhang, beijiang_officer):
    _submitted(zhang, beijiang_officer)
    with pytest.raises(ValidationError, match="正在办理"):
        _submitted(zhang, beijiang_officer)


def test_no_application_while_already_entitled(zhang, beijiang_officer, officer, approver):
    application = _submitted(zhang, beijiang_officer)
    services.application_review(application=application, by=officer)
    services.application_approve(application=application, by=approver)
    with pytest.raises(ValidationError, match="已在享受"):
        _submitted(zhang, beijiang_officer)


def test_another_communitys_person_cannot_be_applied_for(zhang, dongcheng_officer):
    with pytest.raises(ValidationError, match="不在您负责的区域内"):
        _submitted(zhang, dongcheng_officer)


def test_no_application_for_a_deceased_person(zhang, officer):
    registry_services.person_change_life_status(person=zhang, by=officer, status="deceased", since=date(2025, 1, 1),
                                                reason="死亡证明")
    zhang.refresh_from_db()
    with pytest.raises(ValidationError, match="不能申请补贴"):
        _submitted(zhang, officer)


def test_worklist_puts_overdue_applications_first_and_marks_them(zhang, beijiang_officer, dongcheng_officer):
    _submitted(zhang, beijiang_officer, on=date(2025, 9, 30))
    open_now = list(applications_open(user=beijiang_officer, on=date(2025, 10, 15)))
    assert [(a.person_id, a.overdue) for a in open_now] == [(zhang.pk, True)]
    assert not applications_open(user=dongcheng_officer, on=date(2025, 10, 15)).exists()
