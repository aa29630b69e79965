from datetime import date, timedelta

import pytest
from django.http import Http404

from canlian.registry import selectors, services
from canlian.registry.choices import LifeStatus, Relation
from canlian.registry.models import Certificate
from canlian.registry.rules import Finding
from canlian.registry.selectors import PersonFilters, person_search
from canlian.registry.tests.factories import make_assessment, make_certificate, make_id, make_person


@pytest.fixture
def zhang(officer, areas):
    """张三丰 of 北疆社区, physical grade 2, with a phone and a guardian's phone."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", phone="13800001234",
                         guardian_name="张大山", guardian_phone="13912345678")
    make_certificate(person=person, by=officer, category=4, grade=2)
    return person


@pytest.fixture
def li(officer, areas):
    """李张 of 东城社区, hearing grade 3."""
    person = make_person(by=officer, area=areas["dongcheng"], name="李张", sequence=13, phone="13700005555")
    make_certificate(person=person, by=officer, category=2, grade=3)
    return person


@pytest.fixture
def bater(officer, areas):
    """巴特尔 of 第一嘎查, no certificate."""
    return make_person(by=officer, area=areas["gacha"], name="巴特尔", sequence=15, ethnicity="02",
                       hukou_type="agricultural")


def _found(user, **filters) -> list[str]:
    return [p.name for p in person_search(user=user, filters=PersonFilters(**filters))]


# --- search by what the officer types -----------------------------------------------------------------


def test_search_by_full_id_number(officer, zhang, li):
    assert _found(officer, query=zhang.id_number) == ["张三丰"]


def test_search_by_id_number_typed_loosely(officer, zhang, li):
    assert _found(officer, query=f" {zhang.id_number[:6]} {zhang.id_number[6:]} ") == ["张三丰"]


def test_search_by_legacy_fifteen_digit_id_number(officer, zhang, li):
    assert _found(officer, query=zhang.id_number[:6] + zhang.id_number[8:17]) == ["张三丰"]


def test_search_by_lowercase_x_id_number(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="王芳", sequence=2)
    assert person.id_number.endswith("X")
    assert _found(officer, query=person.id_number.lower()) == ["王芳"]


def test_search_by_certificate_number(officer, zhang, li):
    assert _found(officer, query=zhang.id_number + "42") == ["张三丰"]


def test_search_by_replaced_old_certificate_number_finds_the_holder(officer, zhang):
    old = zhang.certificates.get()
    new = services.certificate_reissue(certificate=old, by=officer, on=date(2022, 1, 5), reason="遗失")
    assert _found(officer, query=old.number) == ["张三丰"]
    assert _found(officer, query=new.number.lower()) == ["张三丰"]


def test_search_by_name_prefix(officer, zhang, li, bater):
    assert _found(officer, query="张三") == ["张三丰"]
    assert _found(officer, query="张") == ["张三丰"]  # 李张 does not start with 张
    assert _found(officer, query="巴特") == ["巴特尔"]


def test_search_by_pinyin_initials(officer, zhang, li, bater):
    assert _found(officer, query="zsf") == ["张三丰"]
    assert _found(officer, query="ZS") == ["张三丰"]
    assert _found(officer, query="lz") == ["李张"]


def test_search_by_phone(officer, zhang, li):
    assert _found(officer, query="13800001234") == ["张三丰"]
    assert _found(officer, query="138 0000 1234") == ["张三丰"]


def test_search_by_guardian_phone(officer, zhang, li):
    assert _found(officer, query="13912345678") == ["张三丰"]


def test_search_by_phone_prefix(officer, zhang, li):
    assert _found(officer, query="1370") == ["李张"]


def test_search_for_an_unknown_number_finds_nobody(officer, zhang):
    assert _found(officer, query=make_id(date(1999, 9, 9), 99)) == []


def test_empty_search_lists_everyone_in_scope_by_name(officer, zhang, li, bater):
    assert _found(officer) == sorted(["张三丰", "李张", "巴特尔"])


# --- filters ----------------------------------------------------------------------------------------


def test_filter_by_community(officer, areas, zhang, li, bater):
    assert _found(officer, area_id=areas["dongcheng"].pk) == ["李张"]


def test_filter_by_sumu_includes_its_gacha(officer, areas, zhang, li, bater):
    assert _found(officer, area_id=areas["sumu"].pk) == ["巴特尔"]


def test_filter_by_category_and_grade_of_the_valid_certificate(officer, zhang, li, bater):
    assert _found(officer, category=2) == ["李张"]
    assert _found(officer, grade=2) == ["张三丰"]
    assert _found(officer, category=4, grade=3) == []


def test_filter_by_category_ignores_cancelled_certificates(officer, zhang):
    services.certificate_cancel(certificate=zhang.certificates.get(), by=officer, on=date(2022, 1, 1),
                                reason="本人申请")
    assert _found(officer, category=4) == []


def test_filter_by_life_status(officer, zhang, li):
    services.person_change_life_status(person=li, by=officer, status=LifeStatus.DECEASED, since=date(2023, 1, 1),
                                       reason="死亡")
    assert _found(officer, life_status=LifeStatus.DECEASED) == ["李张"]
    assert _found(officer, life_status=LifeStatus.ACTIVE) == ["张三丰"]


def test_search_results_carry_the_valid_certificate(officer, zhang):
    [result] = person_search(user=officer, filters=PersonFilters(query="zsf"))
    assert [c.number for c in result.valid_certificates] == [zhang.id_number + "42"]


# --- area scope (数据权限) -------------------------------------------------------------------------------


def test_community_officer_sees_only_their_community(beijiang_officer, zhang, li, bater):
    assert _found(beijiang_officer) == ["张三丰"]


@pytest.mark.parametrize("query", [
    pytest.param(lambda p: p.id_number, id="id"),
    pytest.param(lambda p: p.id_number + "23", id="certificate"),
    pytest.param(lambda p: p.name, id="name"),
    pytest.param(lambda p: "lz", id="initials"),
    pytest.param(lambda p: p.phone, id="phone"),
])
def test_community_officer_never_finds_another_communitys_person(beijiang_officer, li, query):
    assert _found(beijiang_officer, query=query(li)) == []


def test_community_officer_filtering_by_another_community_gets_nobody(beijiang_officer, areas, zhang, li):
    assert _found(beijiang_officer, area_id=areas["dongcheng"].pk) == []
    assert _found(beijiang_officer, area_id=areas["city"].pk) == []


def test_other_community_officer_gets_404_for_the_person(dongcheng_officer, zhang):
    with pytest.raises(Http404):
        selectors.person_get(user=dongcheng_officer, pk=zhang.pk)


def test_unknown_person_gets_the_same_404(officer):
    with pytest.raises(Http404):
        selectors.person_get(user=officer, pk=999999)


def test_leader_sees_no_persons(leader, zhang, li):
    assert _found(leader) == []
    assert not selectors.person_queryset(user=leader).exists()
    with pytest.raises(Http404):
        selectors.person_get(user=leader, pk=zhang.pk)


def test_admin_sees_no_persons(admin_user, zhang):
    assert not selectors.person_queryset(user=admin_user).exists()


def test_deactivated_officer_sees_no_persons(beijiang_officer, zhang):
    beijiang_officer.is_active = False
    beijiang_officer.save()
    assert not selectors.person_queryset(user=beijiang_officer).exists()


# --- expiring certificates (到期换证) -----------------------------------------------------------------------


def test_certificates_expiring_within_90_days_are_listed(officer, zhang, li):
    # Both cards were issued on 2020-05-01 and are valid until 2030-05-01.
    assert selectors.certificates_expiring(user=officer, on=date(2030, 1, 31)).count() == 2
    assert selectors.certificates_expiring(user=officer, on=date(2030, 2, 1)).count() == 2  # exactly 89 days
    assert selectors.certificates_expiring(user=officer, on=date(2030, 5, 1)).count() == 2  # last day


def test_certificates_expiring_in_more_than_90_days_are_not_listed(officer, zhang):
    assert not selectors.certificates_expiring(user=officer, on=date(2030, 1, 30)).exists()  # 91 days


def test_overdue_certificates_stay_on_the_renewal_list(officer, zhang):
    assert [c.person for c in selectors.certificates_expiring(user=officer, on=date(2030, 5, 2))] == [zhang]


def test_cancelled_certificates_leave_the_renewal_list(officer, zhang):
    services.certificate_cancel(certificate=zhang.certificates.get(), by=officer, on=date(2024, 1, 1), reason="注销")
    assert not selectors.certificates_expiring(user=officer, on=date(2030, 5, 2)).exists()


def test_expiring_list_is_scoped_to_the_officers_area(beijiang_officer, zhang, li):
    assert [c.person for c in selectors.certificates_expiring(user=beijiang_officer, on=date(2030, 3, 1))] == [zhang]


def test_frozen_certificates_are_not_on_the_expiring_list(officer, zhang):
    services.certificate_freeze(certificate=zhang.certificates.get(), by=officer, on=date(2022, 1, 1), reason="迁出")
    assert not selectors.certificates_expiring(user=officer, on=date(2030, 3, 1)).exists()


# --- household facts -----------------------------------------------------------------------------------


def test_household_facts_flag_elderly_parent_care(officer, zhang):
    household = services.household_create(by=officer, head=zhang)
    services.household_add_member(household=household, by=officer, relation=Relation.PARENT, name="张父",
                                  birth_date=date(1950, 1, 1))
    found, members, flags = selectors.household_facts(user=officer, person=zhang, on=date(2024, 1, 1))
    assert found == household
    assert [m.display_name for m in members] == ["张三丰", "张父"]
    assert flags.elderly_parent_carer and not flags.several_disabled


def test_person_without_household_has_no_facts(officer, zhang):
    assert selectors.household_facts(user=officer, person=zhang, on=date(2024, 1, 1)) == (None, [], None)


# --- the person's timeline (一人一档时间线) -------------------------------------------------------------------


def _titles(person) -> list[str]:
    return [entry.title for entry in selectors.person_timeline(person)]


def test_timeline_starts_with_registration_by_the_officer(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    [entry] = selectors.person_timeline(person)
    assert (entry.title, entry.who, entry.reason, entry.changes) == ("登记信息", "officer", "登记", [])


def test_timeline_shows_edits_with_old_and_new_values(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], phone="13800001234")
    services.person_update(person=person, by=officer, reason="电话变更", phone="13900005678", name="张三峰")
    edit = selectors.person_timeline(person)[0]
    assert edit.title == "信息变更"
    assert edit.reason == "电话变更"
    assert ("联系电话", "13800001234", "13900005678") in edit.changes
    assert ("姓名", "张三丰", "张三峰") in edit.changes
    assert not any(label == "姓名拼音首字母" for label, _before, _after in edit.changes)


def test_timeline_shows_area_changes_by_name(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    services.person_update(person=person, by=officer, residence_area=areas["dongcheng"])
    assert ("居住地", "北疆社区", "东城社区") in selectors.person_timeline(person)[0].changes


def test_timeline_masks_a_corrected_id_number(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    old_id = person.id_number
    new_id = make_id(date(1980, 1, 2), 11)
    services.person_update(person=person, by=officer, id_number=new_id, reason="号码录错")
    changes = selectors.person_timeline(person)[0].changes
    assert ("身份证号", "152501********" + old_id[-4:], "152501********" + new_id[-4:]) in changes
    assert not any(old_id in before or new_id in after for _label, before, after in changes)


def test_timeline_shows_life_status_change_with_its_reason(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    services.person_change_life_status(person=person, by=officer, status=LifeStatus.MOVED_OUT,
                                       since=date(2023, 3, 4), reason="迁往锡林浩特市")
    entry = selectors.person_timeline(person)[0]
    assert entry.reason == "人员状态：在册 → 迁出"
    assert ("人员状态", "在册", "迁出") in entry.changes
    assert ("状态变更原因", "—", "迁往锡林浩特市") in entry.changes


def test_timeline_lists_certificate_actions_with_masked_numbers(officer, areas):
    wang = make_person(by=officer, area=areas["beijiang"], name="王五", sequence=31)
    certificate = make_certificate(person=wang, by=officer, on=date(2016, 6, 1))
    services.certificate_renew(certificate=certificate, by=officer, on=date(2026, 4, 1))
    new = services.certificate_reissue(certificate=certificate, by=officer, on=date(2026, 5, 1), reason="遗失")
    entries = [e for e in selectors.person_timeline(wang) if e.title.startswith("残疾人证")]
    reasons = {e.reason for e in entries}
    assert {"发证", "换证（到期换领）", "补发：遗失"} <= reasons
    assert all(wang.id_number not in e.title for e in entries)
    assert f"残疾人证 152501********{new.number[14:]}" in [e.title for e in entries]
    renewal = next(e for e in entries if e.reason == "换证（到期换领）")
    assert ("有效期至", "2026-06-01", "2036-04-01") in renewal.changes


def test_timeline_lists_household_changes(officer, zhang):
    household = services.household_create(by=officer, head=zhang)
    services.household_add_member(household=household, by=officer, relation=Relation.PARENT, name="张父",
                                  birth_date=date(1950, 1, 1))
    services.household_update_income(household=household, by=officer, per_capita_income=8000, income_year=2023)
    titles = _titles(zhang)
    assert "家庭成员：张三丰" in titles
    assert "家庭成员：张父" in titles
    assert "家庭信息" in titles
    income = next(e for e in selectors.person_timeline(zhang) if e.reason == "更新家庭收入")
    assert ("家庭人均年收入（元）", "—", "8000.00") in income.changes


def test_timeline_lists_assessments_with_findings(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"])
    make_assessment(person=person, by=officer, on=date(2021, 6, 1), findings=[Finding(4, 2), Finding(1, 3)])
    entry = next(e for e in selectors.person_timeline(person) if e.title.startswith("残疾评定"))
    assert entry.title == "残疾评定（2021-06-01，二连浩特市残疾评定机构）"
    assert set(entry.reason.split("、")) == {"肢体残疾二级", "视力残疾三级"}
    assert entry.who == "officer"


def test_timeline_is_newest_first(officer, zhang):
    entries = selectors.person_timeline(zhang)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert entries[-1].title == "登记信息"


# --- the search page's pages ----------------------------------------------------------------------------


@pytest.fixture
def thirty_wangs(officer, areas):
    """Thirty persons named 王… sharing one guardian phone (a care home's number)."""
    return [make_person(by=officer, area=areas["beijiang"], name=f"王{'一二三'[i // 10]}{'甲乙丙丁戊己庚辛壬癸'[i % 10]}",
                        sequence=101 + 2 * i, guardian_name="王院长", guardian_phone="04797512345")
            for i in range(30)]


def test_search_page_lists_names_in_order_across_pages(officer, thirty_wangs):
    first = selectors.person_search_page(user=officer, filters=PersonFilters(query="王"), page_number=1)
    second = selectors.person_search_page(user=officer, filters=PersonFilters(query="王"), page_number=2)
    by_initials = selectors.person_search_page(user=officer, filters=PersonFilters(query="wy"), page_number=1)
    names = sorted(p.name for p in thirty_wangs)
    assert first.paginator.count == 30
    assert [p.name for p in first.object_list] + [p.name for p in second.object_list] == names
    assert [p.valid_certificates for p in second.object_list] == [[]] * 5
    assert [p.name for p in by_initials.object_list] == [n for n in names if n.startswith("王一")]


def test_lookup_by_a_shared_phone_is_not_cut_at_one_page(officer, thirty_wangs):
    page = selectors.person_search_page(user=officer, filters=PersonFilters(query="0479-7512345"), page_number=1)
    assert page.paginator.count == 30
    assert page.has_next()


def test_lookup_by_number_finds_the_one_person(officer, zhang, li):
    page = selectors.person_search_page(user=officer, filters=PersonFilters(query=zhang.id_number.lower()),
                                        page_number=1)
    assert [p.name for p in page.object_list] == ["张三丰"]
    assert page.paginator.count == 1
    assert page.object_list[0].valid_certificates[0].number == zhang.id_number + "42"


def test_renewal_worklist_agrees_with_the_renewal_rule(officer, areas):
    """The worklist's SQL and rules.certificate_renewable decide the same for every card (policy twin)."""
    import random

    from canlian.registry.rules import certificate_renewable

    rng = random.Random(7)
    today = date(2026, 11, 28)
    for index in range(40):
        person = make_person(by=officer, area=areas["beijiang"], name="王甲", sequence=201 + 2 * index)
        issued = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 3650))
        make_certificate(person=person, by=officer, on=min(issued, today))
    listed = set(selectors.certificates_expiring(user=officer, on=today).values_list("pk", flat=True))
    expected = {c.pk for c in Certificate.objects.all()
                if certificate_renewable(valid_until=c.valid_until, on=today, notice_days=90)}
    assert listed == expected
    assert len(expected) > 5
