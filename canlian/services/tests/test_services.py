"""The survey visit section by section, needs it opens, referrals and service records checked against each type's
rules (入户调查、需求、转介、服务记录)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from canlian.employment.models import EmploymentRecord
from canlian.employment.services import employment_record_add
from canlian.registry.choices import Category
from canlian.registry.services import person_change_life_status
from canlian.registry.tests.factories import make_certificate, make_person
from canlian.services import services
from canlian.services.choices import NeedKind, NeedState, ServiceKind, ServiceOutcome
from canlian.services.models import Need, ServiceRecord, SurveyVisit
from canlian.services.selectors import sections_for
from canlian.services.tests.factories import (
    NOTHING_NEEDED,
    answered_visit,
    make_institution,
    make_product,
    make_screening,
    save_section,
)

VISIT_DAY = date(2025, 6, 1)



@pytest.fixture
def zhang(officer, areas):
    """An adult of 北疆社区 (45 in 2025) with a physical disability card, grade 2."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1980, 1, 1), sequence=11)
    make_certificate(person=person, by=officer, category=Category.PHYSICAL, grade=2)
    return person


@pytest.fixture
def xiaoming(officer, areas):
    """A child of 北疆社区 (10 in 2025) with a hearing disability card."""
    person = make_person(by=officer, area=areas["beijiang"], name="李小明", birth=date(2015, 3, 1), sequence=13)
    make_certificate(person=person, by=officer, category=Category.HEARING, grade=2)
    return person


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _messages(excinfo) -> list[str]:
    return excinfo.value.messages


def _save(visit, by, section: str, **changes) -> SurveyVisit:
    return save_section(visit, by, section, **changes)


def _visit(person, by, *, on: date = VISIT_DAY, skip: tuple[str, ...] = (), **sections) -> SurveyVisit:
    return answered_visit(person, by, on=on, skip=skip, **sections)


UNMET = {"need": "yes", "receives": "no"}


# ---- The survey visit (入户调查) ---------------------------------------------------------------------------

def test_a_visit_is_saved_one_section_at_a_time(zhang, beijiang_officer):
    visit = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)
    assert (visit.year, visit.visited_on, visit.officer, visit.answers) == (2025, VISIT_DAY, beijiang_officer, {})
    services.survey_section_save(visit=visit, by=beijiang_officer, section="rehabilitation", data={
        "rehabilitation-need": "yes", "rehabilitation-receives": "no", "rehabilitation-family_doctor": "yes"})
    services.survey_section_save(visit=visit, by=beijiang_officer, section="devices", data={
        "devices-need": "no", "devices-receives": "no"})
    visit.refresh_from_db()
    assert visit.answers == {"rehabilitation": {"need": "yes", "receives": "no", "family_doctor": "yes"},
                             "devices": {"need": "no", "receives": "no"}}
    assert visit.completed_at is None
    assert [h.history_change_reason for h in visit.history.order_by("history_date")] == [
        "开始入户调查", "保存调查：康复", "保存调查：辅助器具"]


def test_starting_again_the_same_year_resumes_the_visit_after_a_dropped_connection(zhang, beijiang_officer):
    first = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)
    _save(first, beijiang_officer, "rehabilitation")
    again = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=date(2025, 6, 2))
    assert again.pk == first.pk
    assert "rehabilitation" in again.answers
    assert SurveyVisit.objects.count() == 1


def test_a_section_saved_again_replaces_its_answers(zhang, beijiang_officer):
    visit = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)
    _save(visit, beijiang_officer, "devices", need="no")
    _save(visit, beijiang_officer, "devices", need="yes")
    visit.refresh_from_db()
    assert visit.answers["devices"]["need"] == "yes"


def test_a_section_with_a_missing_answer_is_refused_and_changes_nothing(zhang, beijiang_officer):
    visit = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)
    _save(visit, beijiang_officer, "rehabilitation", need="no")
    with pytest.raises(ValidationError) as excinfo:
        services.survey_section_save(visit=visit, by=beijiang_officer, section="rehabilitation", data={
            "rehabilitation-need": "yes", "rehabilitation-family_doctor": "no"})
    assert _errors(excinfo) == {"receives": ["请回答：过去一年是否获得康复服务。"]}
    visit.refresh_from_db()
    assert visit.answers == {"rehabilitation": NOTHING_NEEDED["rehabilitation"] | {"need": "no"}}


def test_an_answer_not_among_the_choices_is_refused(zhang, beijiang_officer):
    visit = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)
    with pytest.raises(ValidationError) as excinfo:
        services.survey_section_save(visit=visit, by=beijiang_officer, section="devices", data={
            "devices-need": "maybe", "devices-receives": "no"})
    assert _errors(excinfo) == {"need": ["请回答：是否需要辅助器具。"]}
    visit.refresh_from_db()
    assert visit.answers == {}


def test_a_section_that_does_not_apply_to_the_person_is_refused(zhang, xiaoming, beijiang_officer):
    adult = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)
    with pytest.raises(ValidationError, match="没有这一部分"):
        _save(adult, beijiang_officer, "education")
    child = services.survey_visit_start(person=xiaoming, by=beijiang_officer, visited_on=VISIT_DAY)
    with pytest.raises(ValidationError, match="没有这一部分"):
        _save(child, beijiang_officer, "employment")
    with pytest.raises(ValidationError, match="没有这一部分"):
        services.survey_section_save(visit=child, by=beijiang_officer, section="no_such_section", data={})


def test_completing_with_sections_missing_is_refused_naming_them(zhang, beijiang_officer):
    visit = _visit(zhang, beijiang_officer, skip=("care", "culture"))
    with pytest.raises(ValidationError) as excinfo:
        services.survey_visit_complete(visit=visit, by=beijiang_officer)
    assert _messages(excinfo) == ["还有未填写的部分：托养照护、文化体育。"]
    visit.refresh_from_db()
    assert visit.completed_at is None
    assert not Need.objects.exists()


def test_completing_opens_a_need_for_each_unmet_need_due_within_the_referral_period(zhang, beijiang_officer):
    visit = _visit(zhang, beijiang_officer, rehabilitation=UNMET, devices=UNMET,
                   accessibility={"need": "yes", "receives": "yes"}, care={"need": "no", "receives": "no"})
    opened = services.survey_visit_complete(visit=visit, by=beijiang_officer)
    assert sorted(need.kind for need in opened) == [NeedKind.ASSISTIVE_DEVICE, NeedKind.REHABILITATION]
    for need in Need.objects.all():
        assert (need.person, need.state, need.source, need.visit, need.opened_by) == (
            zhang, NeedState.OPEN, Need.Source.SURVEY, visit, beijiang_officer)
        assert (need.opened_on, need.due_on) == (VISIT_DAY, VISIT_DAY + timedelta(days=30))
    assert Need.objects.get(kind=NeedKind.REHABILITATION).detail == "调查：需要康复服务，过去一年未获得"
    visit.refresh_from_db()
    assert visit.completed_at is not None


def test_a_survey_with_nothing_needed_opens_no_need(zhang, beijiang_officer):
    assert services.survey_visit_complete(visit=_visit(zhang, beijiang_officer), by=beijiang_officer) == []
    assert not Need.objects.exists()


def test_a_completed_visit_can_no_longer_be_changed_or_completed_again(zhang, beijiang_officer):
    visit = _visit(zhang, beijiang_officer)
    services.survey_visit_complete(visit=visit, by=beijiang_officer)
    with pytest.raises(ValidationError, match="这次调查已完成，不能再修改"):
        _save(visit, beijiang_officer, "devices", need="yes")
    with pytest.raises(ValidationError, match="这次调查已完成"):
        services.survey_visit_complete(visit=visit, by=beijiang_officer)


def test_next_years_visit_with_the_same_answers_joins_the_live_need_not_a_second_one(zhang, beijiang_officer):
    first = _visit(zhang, beijiang_officer, rehabilitation=UNMET)
    [need] = services.survey_visit_complete(visit=first, by=beijiang_officer)
    second = _visit(zhang, beijiang_officer, on=date(2026, 3, 1), rehabilitation=UNMET)
    [again] = services.survey_visit_complete(visit=second, by=beijiang_officer)
    assert again.pk == need.pk
    assert Need.objects.filter(person=zhang, kind=NeedKind.REHABILITATION).count() == 1
    assert (again.visit, again.opened_on) == (first, VISIT_DAY)


def test_a_need_met_last_year_is_opened_anew_when_the_survey_finds_it_again(zhang, beijiang_officer):
    need = services.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.REHABILITATION,
                              source=Need.Source.OFFICER, on=date(2024, 3, 1))
    services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                subtype="training", need=need, started_on=date(2024, 4, 1),
                                ended_on=date(2024, 9, 30), outcome=ServiceOutcome.COMPLETED)
    visit = _visit(zhang, beijiang_officer, rehabilitation=UNMET)
    [found] = services.survey_visit_complete(visit=visit, by=beijiang_officer)
    assert found.pk != need.pk and found.state == NeedState.OPEN
    assert Need.objects.filter(person=zhang, kind=NeedKind.REHABILITATION).count() == 2


def test_a_childs_visit_asks_education_not_employment(xiaoming, beijiang_officer):
    keys = [spec.key for spec in sections_for(xiaoming, on=VISIT_DAY)]
    assert "education" in keys and "employment" not in keys


def test_a_childs_rehabilitation_need_becomes_a_child_rehabilitation_case(xiaoming, beijiang_officer):
    visit = _visit(xiaoming, beijiang_officer, rehabilitation=UNMET, education={"placement": "none", "need": "yes"})
    opened = services.survey_visit_complete(visit=visit, by=beijiang_officer)
    assert sorted(need.kind for need in opened) == [NeedKind.CHILD_REHABILITATION, NeedKind.EDUCATION]
    assert Need.objects.get(kind=NeedKind.EDUCATION).detail == "调查：未入学，需要教育安置"
    assert not EmploymentRecord.objects.exists()


def test_employment_answer_becomes_the_persons_employment_record_from_the_visit_day(zhang, beijiang_officer):
    visit = _visit(zhang, beijiang_officer, employment={"employed": "no", "form": "", "reason": "seeking"})
    opened = services.survey_visit_complete(visit=visit, by=beijiang_officer)
    assert [need.kind for need in opened] == [NeedKind.EMPLOYMENT]
    record = EmploymentRecord.objects.get(person=zhang)
    assert (record.employed, record.not_working_reason, record.started_on, record.ended_on, record.note) == (
        False, "seeking", VISIT_DAY, None, "入户调查")


def test_a_changed_employment_answer_ends_the_current_record_the_day_before(zhang, beijiang_officer):
    earlier = employment_record_add(person=zhang, by=beijiang_officer, employed=True, form="flexible",
                                    started_on=date(2023, 1, 1))
    visit = _visit(zhang, beijiang_officer, employment={"employed": "no", "form": "", "reason": "unable"})
    assert services.survey_visit_complete(visit=visit, by=beijiang_officer) == []  # 丧失劳动能力: no need
    earlier.refresh_from_db()
    assert earlier.ended_on == date(2025, 5, 31)
    current = EmploymentRecord.objects.get(person=zhang, ended_on__isnull=True)
    assert (current.employed, current.not_working_reason, current.started_on) == (False, "unable", VISIT_DAY)


def test_an_employment_answer_that_matches_the_current_record_adds_nothing(zhang, beijiang_officer):
    employment_record_add(person=zhang, by=beijiang_officer, employed=True, form="flexible",
                          started_on=date(2023, 1, 1))
    visit = _visit(zhang, beijiang_officer, employment={"employed": "yes", "form": "flexible", "reason": ""})
    services.survey_visit_complete(visit=visit, by=beijiang_officer)
    assert EmploymentRecord.objects.filter(person=zhang).count() == 1


def test_a_visit_dated_before_the_latest_employment_record_still_completes(zhang, beijiang_officer):
    employment_record_add(person=zhang, by=beijiang_officer, employed=True, form="quota",
                          started_on=date(2025, 7, 1))
    visit = _visit(zhang, beijiang_officer, employment={"employed": "no", "form": "", "reason": "seeking"})
    services.survey_visit_complete(visit=visit, by=beijiang_officer)
    visit.refresh_from_db()
    assert visit.completed_at is not None


def test_working_without_a_form_of_work_is_refused_when_the_section_is_saved(zhang, beijiang_officer):
    visit = services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)
    with pytest.raises(ValidationError):
        _save(visit, beijiang_officer, "employment", employed="yes", form="", reason="")


def test_another_communitys_officer_cannot_visit_save_or_complete(zhang, beijiang_officer, dongcheng_officer):
    with pytest.raises(ValidationError, match="该人员不在您负责的区域内"):
        services.survey_visit_start(person=zhang, by=dongcheng_officer, visited_on=VISIT_DAY)
    visit = _visit(zhang, beijiang_officer, rehabilitation=UNMET)
    with pytest.raises(ValidationError, match="该人员不在您负责的区域内"):
        _save(visit, dongcheng_officer, "devices", need="yes")
    with pytest.raises(ValidationError, match="该人员不在您负责的区域内"):
        services.survey_visit_complete(visit=visit, by=dongcheng_officer)
    visit.refresh_from_db()
    assert visit.completed_at is None and visit.answers["devices"]["need"] == "no"
    assert not Need.objects.exists()


def test_the_federation_officer_covering_the_city_can_visit(zhang, officer):
    assert services.survey_visit_start(person=zhang, by=officer, visited_on=VISIT_DAY).officer == officer


def test_a_visit_dated_in_the_future_is_refused(zhang, beijiang_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.survey_visit_start(person=zhang, by=beijiang_officer,
                                    visited_on=timezone.localdate() + timedelta(days=1))
    assert _errors(excinfo) == {"visited_on": ["入户日期不能晚于今天。"]}


def test_a_deceased_person_is_not_visited(zhang, officer, beijiang_officer):
    person_change_life_status(person=zhang, by=officer, status="deceased", since=date(2025, 3, 1), reason="死亡证明")
    zhang.refresh_from_db()
    with pytest.raises(ValidationError, match="不需要入户调查"):
        services.survey_visit_start(person=zhang, by=beijiang_officer, visited_on=VISIT_DAY)


# ---- Needs: referred, met, closed ---------------------------------------------------------------------------

@pytest.fixture
def rehab_need(zhang, beijiang_officer):
    return services.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.REHABILITATION,
                              source=Need.Source.OFFICER, detail="本人申请康复训练", on=date(2025, 5, 1))


def test_referral_moves_the_need_to_referred_and_a_completed_service_meets_it(zhang, beijiang_officer, areas,
                                                                             rehab_need):
    centre = make_institution(areas["city"])
    service = services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                          subtype="training", need=rehab_need, provider=centre,
                                          referred_on=date(2025, 5, 10))
    rehab_need.refresh_from_db()
    assert rehab_need.state == NeedState.REFERRED and rehab_need.closed_on is None
    services.service_record_finish(service=service, by=beijiang_officer, started_on=date(2025, 5, 15),
                                   ended_on=date(2025, 8, 15), outcome=ServiceOutcome.COMPLETED)
    rehab_need.refresh_from_db()
    assert (rehab_need.state, rehab_need.closed_on, rehab_need.close_note) == (
        NeedState.MET, date(2025, 8, 15), "已获得服务：康复训练")
    service.refresh_from_db()
    assert (service.started_on, service.ended_on, service.outcome) == (
        date(2025, 5, 15), date(2025, 8, 15), ServiceOutcome.COMPLETED)


def test_a_service_still_going_keeps_the_need_referred(zhang, beijiang_officer, rehab_need):
    service = services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                          subtype="training", need=rehab_need, referred_on=date(2025, 5, 10))
    services.service_record_finish(service=service, by=beijiang_officer, started_on=date(2025, 5, 15),
                                   ended_on=None, outcome=ServiceOutcome.ONGOING)
    rehab_need.refresh_from_db()
    assert rehab_need.state == NeedState.REFERRED


def test_a_service_cannot_start_before_its_referral(zhang, beijiang_officer, rehab_need):
    service = services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                          subtype="training", need=rehab_need, referred_on=date(2025, 5, 10))
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_finish(service=service, by=beijiang_officer, started_on=date(2025, 5, 9),
                                       ended_on=None, outcome="")
    assert _errors(excinfo) == {"started_on": ["开始日期不能早于转介日期 2025-05-10。"]}


@pytest.mark.parametrize(("ended_on", "outcome"), [(date(2025, 6, 1), ""), (None, ServiceOutcome.COMPLETED)])
def test_finishing_needs_an_outcome_exactly_when_the_service_ended(zhang, beijiang_officer, rehab_need, ended_on,
                                                                   outcome):
    service = services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                          subtype="training", need=rehab_need, referred_on=date(2025, 5, 10))
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_finish(service=service, by=beijiang_officer, started_on=date(2025, 5, 15),
                                       ended_on=ended_on, outcome=outcome)
    assert list(_errors(excinfo)) == ["outcome"]
    rehab_need.refresh_from_db()
    assert rehab_need.state == NeedState.REFERRED


def test_closing_a_need_requires_a_reason(rehab_need, beijiang_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.need_close(need=rehab_need, by=beijiang_officer, note="   ")
    assert _errors(excinfo) == {"note": ["请填写关闭原因。"]}
    rehab_need.refresh_from_db()
    assert rehab_need.state == NeedState.OPEN
    services.need_close(need=rehab_need, by=beijiang_officer, note="本人拒绝", on=date(2025, 6, 1))
    rehab_need.refresh_from_db()
    assert (rehab_need.state, rehab_need.closed_on, rehab_need.close_note) == (
        NeedState.CLOSED, date(2025, 6, 1), "本人拒绝")


def test_a_closed_need_cannot_be_referred_or_closed_again(zhang, rehab_need, beijiang_officer):
    services.need_close(need=rehab_need, by=beijiang_officer, note="已迁出")
    with pytest.raises(ValidationError, match="这项需求已办结"):
        services.need_close(need=rehab_need, by=beijiang_officer, note="再次关闭")
    with pytest.raises(ValidationError, match="这项需求已办结"):
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", need=rehab_need, referred_on=date(2025, 6, 1))
    assert not ServiceRecord.objects.exists()


def test_another_communitys_officer_cannot_close_the_need(rehab_need, dongcheng_officer):
    with pytest.raises(ValidationError, match="该人员不在您负责的区域内"):
        services.need_close(need=rehab_need, by=dongcheng_officer, note="本人拒绝")
    rehab_need.refresh_from_db()
    assert rehab_need.state == NeedState.OPEN


def test_a_need_of_another_person_cannot_be_answered(officer, areas, rehab_need, beijiang_officer):
    li = make_person(by=officer, area=areas["beijiang"], name="李四", sequence=15)
    make_certificate(person=li, by=officer)
    with pytest.raises(ValidationError, match="这项需求不是此人的"):
        services.service_record_add(person=li, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", need=rehab_need, referred_on=date(2025, 6, 1))
    assert not ServiceRecord.objects.exists()


def test_a_second_need_of_the_same_kind_joins_the_live_one(zhang, beijiang_officer, rehab_need):
    again = services.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.REHABILITATION,
                               source=Need.Source.OFFICER)
    assert again.pk == rehab_need.pk


def test_a_need_of_no_known_kind_is_refused(zhang, beijiang_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.need_open(person=zhang, by=beijiang_officer, kind="housing", source=Need.Source.OFFICER)
    assert _errors(excinfo) == {"kind": ["请选择需求类型。"]}


def test_another_communitys_officer_cannot_open_a_need(zhang, dongcheng_officer):
    with pytest.raises(ValidationError, match="该人员不在您负责的区域内"):
        services.need_open(person=zhang, by=dongcheng_officer, kind=NeedKind.CARE, source=Need.Source.OFFICER)


def test_a_need_cannot_be_closed_on_a_day_in_the_future(rehab_need, beijiang_officer):
    with pytest.raises(ValidationError):
        services.need_close(need=rehab_need, by=beijiang_officer, note="本人拒绝",
                            on=timezone.localdate() + timedelta(days=1))


def test_a_service_of_another_type_cannot_answer_the_need(zhang, beijiang_officer):
    device_need = services.need_open(person=zhang, by=beijiang_officer, kind=NeedKind.ASSISTIVE_DEVICE,
                                     source=Need.Source.OFFICER, on=date(2025, 5, 1))
    with pytest.raises(ValidationError):
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", need=device_need, referred_on=date(2025, 5, 10))


def test_adding_a_completed_service_without_an_end_date_is_refused(zhang, beijiang_officer, rehab_need):
    with pytest.raises(ValidationError):
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", need=rehab_need, started_on=date(2025, 5, 10),
                                    outcome=ServiceOutcome.COMPLETED)


def test_adding_a_service_that_starts_before_its_referral_is_refused(zhang, beijiang_officer):
    with pytest.raises(ValidationError):
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", referred_on=date(2025, 6, 1), started_on=date(2025, 5, 1))


# ---- Each service type's rules -----------------------------------------------------------------------------

def test_a_device_subsidy_up_to_the_products_limit_is_accepted_and_above_it_refused(zhang, beijiang_officer):
    wheelchair = make_product(limit=Decimal(800))
    fitting = {"person": zhang, "by": beijiang_officer, "kind": ServiceKind.ASSISTIVE_DEVICE, "subtype": "fitting",
               "product": wheelchair, "started_on": date(2025, 5, 1), "cost": Decimal(1200)}
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(**fitting, subsidy=Decimal("800.01"))
    assert _errors(excinfo) == {"subsidy": ["手动轮椅 的补贴限额为 800.00 元。"]}
    assert services.service_record_add(**fitting, subsidy=Decimal(800)).subsidy == Decimal(800)


def test_a_device_fitting_names_the_product(zhang, beijiang_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.ASSISTIVE_DEVICE,
                                    subtype="fitting", started_on=date(2025, 5, 1))
    assert _errors(excinfo) == {"product": ["请选择辅助器具产品。"]}


def test_a_subsidy_above_the_cost_is_refused(zhang, beijiang_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.ASSISTIVE_DEVICE,
                                    subtype="fitting", product=make_product(), started_on=date(2025, 5, 1),
                                    cost=Decimal(300), subsidy=Decimal(500))
    assert _errors(excinfo) == {"subsidy": ["补贴金额不能超过费用。"]}


def test_a_subtype_of_another_service_type_is_refused(zhang, beijiang_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="fitting", started_on=date(2025, 5, 1))
    assert _errors(excinfo) == {"subtype": ["请选择基本康复服务的服务项目。"]}


@pytest.mark.parametrize("day", [date(2022, 12, 31), date(2025, 1, 1)])
def test_a_provider_outside_its_qualification_dates_is_refused(zhang, beijiang_officer, areas, day):
    centre = make_institution(areas["city"], qualified_from=date(2023, 1, 1), qualified_until=date(2024, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", provider=centre, started_on=day)
    assert _errors(excinfo) == {"provider": [f"市康复中心 在 {day} 不在资质有效期内。"]}


@pytest.mark.parametrize("day", [date(2023, 1, 1), date(2024, 12, 31)])
def test_a_provider_on_the_first_and_last_day_of_its_qualification_is_accepted(zhang, beijiang_officer, areas, day):
    centre = make_institution(areas["city"], qualified_from=date(2023, 1, 1), qualified_until=date(2024, 12, 31))
    services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                subtype="training", provider=centre, started_on=day)


def test_another_communitys_officer_cannot_record_a_service(zhang, dongcheng_officer):
    with pytest.raises(ValidationError, match="该人员不在您负责的区域内"):
        services.service_record_add(person=zhang, by=dongcheng_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", started_on=date(2025, 5, 1))


# Children's rehabilitation assistance: designated institutions, yearly cap per service item.

@pytest.fixture
def designated(areas):
    return make_institution(areas["city"], name="市儿童康复中心", designated_for_children=True)


def _child_training(person, by, provider, *, day: date, subsidy: Decimal, **extra) -> ServiceRecord:
    return services.service_record_add(person=person, by=by, kind=ServiceKind.CHILD_REHABILITATION,
                                       subtype="training", provider=provider, started_on=day, subsidy=subsidy, **extra)


def test_childrens_rehabilitation_at_a_non_designated_institution_is_refused(xiaoming, beijiang_officer, areas):
    ordinary = make_institution(areas["city"], name="市康复医院", kind="hospital")
    with pytest.raises(ValidationError) as excinfo:
        _child_training(xiaoming, beijiang_officer, ordinary, day=date(2025, 5, 1), subsidy=Decimal(1000))
    assert _errors(excinfo) == {"provider": ["市康复医院 不是残疾儿童康复救助定点机构。"]}


def test_childrens_rehabilitation_over_the_yearly_cap_is_refused_counting_the_years_services(
        xiaoming, beijiang_officer, designated):
    _child_training(xiaoming, beijiang_officer, designated, day=date(2025, 3, 1), subsidy=Decimal(15000))
    _child_training(xiaoming, beijiang_officer, designated, day=date(2025, 6, 1), subsidy=Decimal(8000))
    with pytest.raises(ValidationError) as excinfo:
        _child_training(xiaoming, beijiang_officer, designated, day=date(2025, 9, 1), subsidy=Decimal("1000.01"))
    [message] = _errors(excinfo)["subsidy"]
    assert message == "本年度已补贴 23,000.00 元，限额 24,000.00 元，本次最多 1,000.00 元"
    _child_training(xiaoming, beijiang_officer, designated, day=date(2025, 9, 1), subsidy=Decimal(1000))
    # A new year starts a new cap; another service item has its own.
    _child_training(xiaoming, beijiang_officer, designated, day=date(2026, 1, 5), subsidy=Decimal(24000))
    services.service_record_add(person=xiaoming, by=beijiang_officer, kind=ServiceKind.CHILD_REHABILITATION,
                                subtype="therapy", provider=designated, started_on=date(2025, 10, 1),
                                subsidy=Decimal(6000))


def test_refusals_show_money_in_yuan_and_fen(xiaoming, zhang, beijiang_officer, designated):
    _child_training(xiaoming, beijiang_officer, designated, day=date(2025, 3, 1), subsidy=Decimal(23000))
    with pytest.raises(ValidationError) as child:
        _child_training(xiaoming, beijiang_officer, designated, day=date(2025, 9, 1), subsidy=Decimal(2000))
    with pytest.raises(ValidationError) as care:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.CARE, subtype="day",
                                    started_on=date(2025, 5, 1), subsidy=Decimal(3001))
    for message in [*_errors(child)["subsidy"], *_errors(care)["subsidy"]]:
        amounts = re.findall(r"[\d,]+(?:\.\d+)?(?= 元)", message)
        assert amounts and all(re.fullmatch(r"[\d,]+\.\d\d", amount) for amount in amounts), message


def test_finishing_a_childs_service_counts_the_cap_without_itself(xiaoming, beijiang_officer, designated):
    service = _child_training(xiaoming, beijiang_officer, designated, day=date(2025, 3, 1), subsidy=Decimal(20000))
    services.service_record_finish(service=service, by=beijiang_officer, started_on=date(2025, 3, 1),
                                   ended_on=date(2025, 8, 31), outcome=ServiceOutcome.IMPROVED,
                                   subsidy=Decimal(24000))
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_finish(service=service, by=beijiang_officer, started_on=date(2025, 3, 1),
                                       ended_on=date(2025, 8, 31), outcome=ServiceOutcome.IMPROVED,
                                       subsidy=Decimal(24001))
    assert list(_errors(excinfo)) == ["subsidy"]


def test_childrens_rehabilitation_past_the_assistance_age_is_refused_with_the_reason(officer, areas,
                                                                                   beijiang_officer, designated):
    teen = make_person(by=officer, area=areas["beijiang"], name="王大伟", birth=date(2010, 3, 1), sequence=17)
    make_certificate(person=teen, by=officer, category=Category.INTELLECTUAL, grade=3)
    with pytest.raises(ValidationError) as excinfo:
        _child_training(teen, beijiang_officer, designated, day=date(2025, 5, 1), subsidy=Decimal(1000))
    assert _errors(excinfo) == {"kind": ["15 岁，救助年龄为 0—14 岁"]}


def test_a_screened_child_without_a_certificate_gets_childrens_rehabilitation(officer, areas, beijiang_officer,
                                                                             designated):
    baby = make_person(by=officer, area=areas["beijiang"], name="赵小宝", birth=date(2022, 8, 1), sequence=19)
    with pytest.raises(ValidationError) as excinfo:
        _child_training(baby, beijiang_officer, designated, day=date(2025, 5, 1), subsidy=Decimal(1000))
    assert _errors(excinfo) == {"kind": ["未持证，也没有筛查记录"]}
    make_screening(baby, by=officer, area=areas["beijiang"])
    assert _child_training(baby, beijiang_officer, designated, day=date(2025, 5, 1), subsidy=Decimal(1000)).pk


# Care (阳光家园托养).

def test_care_for_a_hearing_disabled_person_is_refused_with_the_reason(officer, areas, beijiang_officer):
    wang = make_person(by=officer, area=areas["beijiang"], name="王五", birth=date(1985, 1, 1), sequence=21)
    make_certificate(person=wang, by=officer, category=Category.HEARING, grade=1)
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=wang, by=beijiang_officer, kind=ServiceKind.CARE, subtype="day",
                                    started_on=date(2025, 5, 1))
    assert _errors(excinfo) == {"kind": ["听力残疾一级不在托养范围（智力、精神和重度肢体残疾）"]}


def test_care_for_a_severely_physically_disabled_adult_within_the_subsidy_standard(zhang, beijiang_officer):
    day_care = {"person": zhang, "by": beijiang_officer, "kind": ServiceKind.CARE, "subtype": "day",
                "started_on": date(2025, 5, 1)}
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(**day_care, subsidy=Decimal(3001))
    [message] = _errors(excinfo)["subsidy"]
    assert message == "本年度已补贴 0.00 元，限额 3,000.00 元，本次最多 3,000.00 元"
    assert services.service_record_add(**day_care, subsidy=Decimal(3000)).pk


def test_care_subsidies_in_one_year_add_up_against_the_yearly_standard(zhang, beijiang_officer):
    day_care = {"person": zhang, "by": beijiang_officer, "kind": ServiceKind.CARE, "subtype": "day"}
    services.service_record_add(**day_care, started_on=date(2025, 3, 1), subsidy=Decimal(2000))
    with pytest.raises(ValidationError):
        services.service_record_add(**day_care, started_on=date(2025, 9, 1), subsidy=Decimal(2000))


def test_care_for_a_person_past_working_age_is_refused(officer, areas, beijiang_officer):
    elder = make_person(by=officer, area=areas["beijiang"], name="刘老", birth=date(1960, 1, 1), sequence=23)
    make_certificate(person=elder, by=officer, category=Category.INTELLECTUAL, grade=2)
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=elder, by=beijiang_officer, kind=ServiceKind.CARE, subtype="home",
                                    started_on=date(2025, 5, 1))
    assert _errors(excinfo) == {"kind": ["65 岁，托养对象为 16—59 岁"]}


# Dates.

@pytest.mark.parametrize("field", ["referred_on", "started_on", "ended_on"])
def test_service_dates_in_the_future_are_refused(zhang, beijiang_officer, field):
    tomorrow = timezone.localdate() + timedelta(days=1)
    dates = {"started_on": date(2025, 5, 1), field: tomorrow}
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", **dates)
    assert _errors(excinfo) == {field: ["日期不能晚于今天。"]}


def test_finishing_a_service_on_a_future_day_is_refused(zhang, beijiang_officer):
    service = services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                          subtype="training", referred_on=date(2025, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_finish(service=service, by=beijiang_officer, started_on=date(2025, 5, 2),
                                       ended_on=timezone.localdate() + timedelta(days=1),
                                       outcome=ServiceOutcome.COMPLETED)
    assert _errors(excinfo) == {"started_on": ["日期不能晚于今天。"]}


def test_a_service_needs_a_referral_or_start_date_and_cannot_end_before_it_starts(zhang, beijiang_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training")
    assert _errors(excinfo) == {"started_on": ["请填写转介日期或开始日期。"]}
    with pytest.raises(ValidationError) as excinfo:
        services.service_record_add(person=zhang, by=beijiang_officer, kind=ServiceKind.REHABILITATION,
                                    subtype="training", started_on=date(2025, 5, 2), ended_on=date(2025, 5, 1),
                                    outcome=ServiceOutcome.COMPLETED)
    assert _errors(excinfo) == {"ended_on": ["结束日期不能早于开始日期。"]}
