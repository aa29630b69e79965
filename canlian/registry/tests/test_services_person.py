from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from canlian.registry import events, services
from canlian.registry.choices import CertificateStatus, LifeStatus, Relation
from canlian.registry.models import Household, HouseholdMember, Person
from canlian.registry.tests.factories import make_certificate, make_id, make_person

FEMALE_ID = make_id(date(1992, 7, 15), 68)  # sequence 068: female, check character X


def _create(by, area, **values):
    values = {"id_number": FEMALE_ID, "name": "乌云", "ethnicity": "02", "hukou_type": "urban",
              "hukou_area": area, "residence_area": area, **values}
    return services.person_create(by=by, **values)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- registration (登记) -------------------------------------------------------------------------


def test_registration_derives_birth_date_and_sex_from_the_id_number(officer, areas):
    person = _create(officer, areas["beijiang"])
    assert person.birth_date == date(1992, 7, 15)
    assert person.sex == "F"
    assert person.life_status == LifeStatus.ACTIVE


def test_registration_stores_the_normalised_id_number(officer, areas):
    person = _create(officer, areas["beijiang"], id_number=" " + FEMALE_ID.lower().replace("1", "１") + " ")
    assert person.id_number == FEMALE_ID


def test_registration_stores_pinyin_initials_for_search(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰")
    assert person.name_initials == "zsf"


def test_registration_records_who_registered_in_history(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    record = person.history.get()
    assert record.history_type == "+"
    assert record.history_user == officer
    assert record.history_change_reason == "登记"


@pytest.mark.parametrize("typed", [
    pytest.param(lambda n: n, id="same"),
    pytest.param(lambda n: n[:6] + n[8:17], id="legacy-15-digit"),
    pytest.param(lambda n: "".join(chr(ord(c) + 0xFEE0) for c in n), id="full-width"),
    pytest.param(lambda n: f"{n[:6]} {n[6:14]} {n[14:]}", id="with-spaces"),
])
def test_duplicate_id_number_is_refused_and_changes_nothing(officer, areas, typed):
    existing = make_person(by=officer, area=areas["beijiang"])
    before = Person.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, areas["dongcheng"], id_number=typed(existing.id_number), name="李四")
    message = _errors(excinfo)["id_number"][0]
    assert "已登记，不能重复登记" in message
    assert existing.id_number not in message  # the message masks the number
    assert Person.objects.count() == before
    existing.refresh_from_db()
    assert existing.name == "张三丰"


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE registry_person;--",
    "张三' OR '1'='1",
    "张\x00三",
    "张\x07三",
    "张\u202e三",  # right-to-left override
    "张\u200b三",  # zero-width space
    "{{ 7*7 }}",
])
def test_hostile_name_is_refused_at_the_name_field_and_nothing_is_saved(officer, areas, hostile):
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, areas["beijiang"], name=hostile)
    assert _errors(excinfo)["name"] == ["姓名只能包含汉字、蒙古文、字母、空格和间隔号“·”。"]
    assert not Person.objects.exists()


def test_blank_name_asks_for_a_name(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, areas["beijiang"], name="  \u3000 ")
    assert _errors(excinfo)["name"] == ["请输入姓名。"]


def test_name_with_middle_dot_and_extra_spaces_is_tidied(officer, areas):
    person = _create(officer, areas["beijiang"], name="  阿依  ·古丽 ")
    assert person.name == "阿依 ·古丽"


def test_mongolian_script_name_is_accepted(officer, areas):
    person = _create(officer, areas["beijiang"], name="ᠪᠠᠲᠤ")
    assert person.name == "ᠪᠠᠲᠤ"


def test_bad_phone_is_refused_with_an_example(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, areas["beijiang"], phone="12345")
    assert "例如 13800000000" in _errors(excinfo)["phone"][0]


def test_full_width_phone_is_cleaned(officer, areas):
    person = _create(officer, areas["beijiang"], phone="１３８ ０００ ０１２３４")
    assert person.phone == "13800001234"


def test_every_problem_is_reported_at_once(officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, areas["beijiang"], id_number=FEMALE_ID[:17] + "1", name="<b>", phone="1")
    assert set(_errors(excinfo)) == {"id_number", "name", "phone"}
    assert "最后一位应为 X" in _errors(excinfo)["id_number"][0]


def test_future_birth_date_in_id_number_is_refused(officer, areas):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        _create(officer, areas["beijiang"], id_number=make_id(tomorrow, 11))
    assert "在今天之后" in _errors(excinfo)["id_number"][0]


def test_community_officer_cannot_register_a_resident_of_another_community(beijiang_officer, areas):
    with pytest.raises(ValidationError) as excinfo:
        _create(beijiang_officer, areas["dongcheng"])
    assert _errors(excinfo)["residence_area"] == ["“东城社区”不在您负责的区域内。"]
    assert not Person.objects.exists()


def test_community_officer_registers_a_resident_of_their_community(beijiang_officer, areas):
    person = _create(beijiang_officer, areas["beijiang"])
    assert person.residence_area == areas["beijiang"]


def test_federation_officer_registers_in_any_community_under_the_city(officer, areas):
    assert _create(officer, areas["gacha"]).residence_area == areas["gacha"]


# --- corrections (修改) ---------------------------------------------------------------------------


def test_update_keeps_the_old_values_in_history_with_who_and_why(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], phone="13800001234")
    services.person_update(person=person, by=officer, reason="户口本信息更正", name="张三峰", phone="13900005678")
    person.refresh_from_db()
    assert (person.name, person.phone, person.name_initials) == ("张三峰", "13900005678", "zsf")
    latest, first = person.history.order_by("-history_id")[:2]
    assert latest.history_user == officer
    assert latest.history_change_reason == "户口本信息更正"
    assert (first.name, first.phone) == ("张三丰", "13800001234")


def test_update_without_a_reason_records_a_default_reason(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    services.person_update(person=person, by=officer, address="北疆社区1号楼")
    assert person.history.latest("history_id").history_change_reason == "修改信息"


def test_update_refreshes_pinyin_initials(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰")
    person = services.person_update(person=person, by=officer, name="李四")
    assert person.name_initials == "ls"


def test_correcting_the_id_number_re_derives_birth_date_and_sex(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    person = services.person_update(person=person, by=officer, id_number=FEMALE_ID, reason="号码录错")
    assert (person.id_number, person.birth_date, person.sex) == (FEMALE_ID, date(1992, 7, 15), "F")


def test_id_number_cannot_be_corrected_to_another_persons_number(officer, areas):
    first = make_person(by=officer, area=areas["beijiang"])
    second = make_person(by=officer, area=areas["beijiang"], name="李四", sequence=13)
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(person=second, by=officer, id_number=first.id_number[:6] + first.id_number[8:17])
    assert "已登记" in _errors(excinfo)["id_number"][0]
    second.refresh_from_db()
    assert second.id_number == make_id(sequence=13)


def test_id_number_of_a_certificate_holder_cannot_be_changed(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    make_certificate(person=person, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(person=person, by=officer, id_number=FEMALE_ID)
    assert "请先注销证件" in _errors(excinfo)["id_number"][0]


def test_community_officer_cannot_move_a_person_out_of_their_area(beijiang_officer, areas):
    person = make_person(by=beijiang_officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(person=person, by=beijiang_officer, residence_area=areas["dongcheng"])
    assert "residence_area" in _errors(excinfo)
    person.refresh_from_db()
    assert person.residence_area == areas["beijiang"]


def test_hostile_name_is_refused_on_update_too(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError):
        services.person_update(person=person, by=officer, name="<script>")
    person.refresh_from_db()
    assert person.name == "张三丰"
    assert person.history.count() == 1


def test_moving_residence_publishes_person_moved_after_commit(officer, areas, django_capture_on_commit_callbacks):
    received = []

    def handler(event):
        received.append(event)

    events.subscribe(events.PersonMoved, handler)
    try:
        person = make_person(by=officer, area=areas["beijiang"])
        with django_capture_on_commit_callbacks(execute=True):
            services.person_update(person=person, by=officer, residence_area=areas["dongcheng"])
    finally:
        events._handlers[events.PersonMoved].remove(handler)
    assert received == [events.PersonMoved(person_id=person.pk, old_area_code="152501001001",
                                           new_area_code="152501001002")]


# --- life status (人员状态) -------------------------------------------------------------------------


def test_death_cancels_the_valid_certificate_from_the_date_of_death(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    certificate = make_certificate(person=person, by=officer)
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                       since=date(2023, 3, 4), reason="死亡证明 No.123")
    person.refresh_from_db()
    certificate.refresh_from_db()
    assert (person.life_status, person.life_status_since, person.life_status_reason) == (
        LifeStatus.DECEASED, date(2023, 3, 4), "死亡证明 No.123")
    assert (certificate.status, certificate.status_since, certificate.status_reason) == (
        CertificateStatus.CANCELLED, date(2023, 3, 4), "持证人死亡")


def test_death_cancels_a_frozen_certificate_too(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    certificate = make_certificate(person=person, by=officer)
    services.certificate_freeze(certificate=certificate, by=officer, on=date(2022, 1, 1), reason="户籍迁出")
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                       since=date(2023, 3, 4), reason="死亡")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.CANCELLED


def test_moving_away_leaves_the_certificate_alone(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    certificate = make_certificate(person=person, by=officer)
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.MOVED_OUT,
                                       since=date(2023, 3, 4), reason="迁往锡林浩特市")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_life_status_date_in_the_future_is_refused(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                           since=timezone.localdate() + timedelta(days=1), reason="死亡")
    assert _errors(excinfo)["since"] == ["生效日期不能晚于今天。"]
    person.refresh_from_db()
    assert person.life_status == LifeStatus.ACTIVE


def test_life_status_date_before_birth_is_refused(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                           since=date(1979, 12, 31), reason="死亡")
    assert "since" in _errors(excinfo)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_life_status_change_requires_a_reason(officer, areas, reason):
    person = make_person(by=officer, area=areas["beijiang"])
    certificate = make_certificate(person=person, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                           since=date(2023, 3, 4), reason=reason)
    assert _errors(excinfo)["reason"] == ["请填写状态变更的原因。"]
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_life_status_change_to_the_same_status_is_refused(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    with pytest.raises(ValidationError) as excinfo:
        services.person_change_life_status(person=person, by=officer, status=LifeStatus.ACTIVE,
                                           since=date(2023, 3, 4), reason="核实")
    assert _errors(excinfo)["status"] == ["人员状态已经是“在册”。"]


def test_life_status_change_is_recorded_in_history(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.MOVED_OUT,
                                       since=date(2023, 3, 4), reason="迁往锡林浩特市")
    latest = person.history.latest("history_id")
    assert latest.history_user == officer
    assert latest.history_change_reason == "人员状态：在册 → 迁出"
    assert latest.prev_record.life_status == LifeStatus.ACTIVE


def test_second_death_recorded_from_a_stale_copy_is_refused(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])  # this copy still reads 在册
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                       since=date(2023, 3, 4), reason="死亡证明 No.123")
    with pytest.raises(ValidationError) as excinfo:
        services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                           since=date(2023, 3, 5), reason="死亡（重复录入）")
    assert _errors(excinfo)["status"] == ["人员状态已经是“死亡”。"]
    person.refresh_from_db()
    assert person.life_status_since == date(2023, 3, 4)


def test_person_returning_to_the_register_is_active_again(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.MOVED_OUT,
                                       since=date(2023, 3, 4), reason="迁出")
    person = services.person_change_life_status(person=person, by=officer, status=LifeStatus.ACTIVE,
                                                since=date(2024, 1, 2), reason="迁回")
    assert person.life_status == LifeStatus.ACTIVE


# --- households (户) ----------------------------------------------------------------------------


def test_household_is_opened_with_the_person_as_head(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    household = services.household_create(by=officer, head=person)
    assert household.area == areas["beijiang"]
    assert household.members.get().relation == Relation.HEAD


def test_person_can_be_in_only_one_household(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    services.household_create(by=officer, head=person)
    with pytest.raises(ValidationError):
        services.household_create(by=officer, head=person)
    assert Household.objects.count() == 1


def test_relative_added_by_id_number_gets_birth_date_from_it(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    household = services.household_create(by=officer, head=person)
    member = services.household_add_member(household=household, by=officer, relation=Relation.PARENT,
                                           name="张父", id_number=make_id(date(1950, 3, 1), 31))
    assert member.birth_date == date(1950, 3, 1)


def test_household_has_only_one_head(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    household = services.household_create(by=officer, head=person)
    with pytest.raises(ValidationError) as excinfo:
        services.household_add_member(household=household, by=officer, relation=Relation.HEAD, name="王五")
    assert _errors(excinfo)["relation"] == ["一个家庭只能有一名户主。"]
    assert HouseholdMember.objects.count() == 1


def test_negative_household_income_is_refused(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    household = services.household_create(by=officer, head=person)
    with pytest.raises(ValidationError):
        services.household_update_income(household=household, by=officer, per_capita_income=-1, income_year=2023)
