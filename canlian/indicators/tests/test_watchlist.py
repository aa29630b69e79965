"""The poverty-relapse watchlist (防止返贫监测) on the database: the rule's sweep opens a flag per new risk and keeps
it until an officer closes it after a visit; a household event or a registry change asks the rule again at once;
follow-ups move the next visit; the pages show the officer's own areas only, overdue first, log every look and
refuse bad input at the field."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from canlian.audit.models import AccessLog
from canlian.common.tests.concurrency import race
from canlian.employment import services as employment_services
from canlian.employment.choices import EmploymentForm
from canlian.indicators import selectors
from canlian.indicators.models import FollowUp, HouseholdEvent, RiskFlag
from canlian.indicators.rules import EventKind, RiskReason
from canlian.indicators.services import (
    follow_up_record,
    household_event_record,
    risk_flag_close,
    watchlist_sweep,
)
from canlian.parameters.models import Parameter
from canlian.registry.choices import AssistanceKind, LifeStatus, Relation
from canlian.registry.models import AssistanceStatus, Household
from canlian.registry.services import (
    assistance_statuses_apply,
    household_add_member,
    household_create,
    household_update_income,
    person_change_life_status,
)
from canlian.registry.tests.factories import make_certificate, make_id, make_person

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
FOLLOW_UP_DAYS = 30  # watch.follow_up_days, the catalogue default
MEDICAL_THRESHOLD = Decimal(20000)  # watch.medical_spending_threshold


def _shown(day: date) -> str:
    """A date as the pages show it."""
    return f"{day.year}年{day.month}月{day.day}日"


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def _household(officer, area, *, name: str, sequence: int, birth: date = date(1980, 1, 1),
               income: str | None = None, grade: int | None = None) -> Household:
    head = make_person(by=officer, area=area, name=name, birth=birth, sequence=sequence)
    if grade is not None:
        make_certificate(person=head, by=officer, grade=grade)
    household = household_create(by=officer, head=head)
    if income is not None:
        household_update_income(household=household, by=officer, per_capita_income=Decimal(income),
                                income_year=LAST_YEAR)
    return household


def _sweep(household: Household, on: date = TODAY):
    return watchlist_sweep(households=Household.objects.filter(pk=household.pk), on=on)


def _flags(household: Household, reason: str = RiskReason.LOW_INCOME):
    return RiskFlag.objects.filter(household=household, reason=reason)


def _open_flag(household: Household, reason: str = RiskReason.LOW_INCOME) -> RiskFlag:
    return _flags(household, reason).get(closed_on__isnull=True)


def _set_income(household: Household, officer, income: str) -> None:
    household_update_income(household=household, by=officer, per_capita_income=Decimal(income), income_year=LAST_YEAR)


@pytest.fixture
def wang(officer, areas):
    """王五家 (北疆): last year 5,000 yuan a head, under the 6,000 line."""
    return _household(officer, areas["beijiang"], name="王五", sequence=15, income="5000")


@pytest.fixture
def li(officer, areas):
    """李四家 (东城): last year 4,000 yuan a head."""
    return _household(officer, areas["dongcheng"], name="李四", birth=date(1975, 5, 5), sequence=17, income="4000")


@pytest.fixture
def watched(wang):
    """王五家 with its low-income flag opened ten days ago."""
    _sweep(wang, TODAY - timedelta(days=10))
    return wang


def _visit(household, by, *, on: date = TODAY, measures=("subsidy",), situation: str = "收入靠两项补贴。", note=""):
    return follow_up_record(household=household, by=by, visited_on=on, situation=situation,
                            measures=list(measures), note=note)


# --- the sweep ------------------------------------------------------------------------------------


def test_the_sweep_opens_a_flag_for_each_new_risk_with_its_reason_and_a_visit_due_one_period_on(wang):
    result = _sweep(wang)
    flag = _open_flag(wang)
    assert (result.households, result.opened, result.cleared) == (1, 1, 0)
    assert flag.explanation == f"{LAST_YEAR} 年家庭人均收入 5,000.00 元，低于监测线 6,000.00 元。"
    assert flag.opened_on == TODAY
    assert flag.follow_up_due == TODAY + timedelta(days=FOLLOW_UP_DAYS)
    assert flag.cleared_on is None and flag.closed_on is None
    assert flag.history.first().history_change_reason == "规则识别"


def test_a_second_sweep_on_the_same_day_changes_nothing(wang, li):
    watchlist_sweep(on=TODAY)
    before = list(RiskFlag.objects.order_by("pk").values())
    history = RiskFlag.history.count()
    result = watchlist_sweep(on=TODAY)
    assert (result.households, result.opened, result.cleared) == (2, 0, 0)
    assert list(RiskFlag.objects.order_by("pk").values()) == before
    assert RiskFlag.history.count() == history


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_open_each_flag_once(wang, li):
    # The nightly command and an officer's request, say: the second waits for the first and finds its flags.
    outcomes = race(lambda _i: watchlist_sweep(on=TODAY))
    assert sorted(result.opened for result in outcomes) == [0, 2]
    assert RiskFlag.objects.count() == 2


def test_a_household_without_any_risk_is_not_flagged(officer, areas):
    comfortable = _household(officer, areas["beijiang"], name="赵六", sequence=19, income="30000")
    assert _sweep(comfortable).opened == 0
    assert not RiskFlag.objects.exists()


def test_a_flag_whose_risk_is_gone_is_marked_cleared_not_closed_and_unmarked_when_the_risk_returns(wang, officer):
    _sweep(wang, TODAY - timedelta(days=5))
    _set_income(wang, officer, "8000")
    assert _sweep(wang, TODAY - timedelta(days=2)).cleared == 1
    flag = _open_flag(wang)
    assert flag.cleared_on == TODAY - timedelta(days=2) and flag.closed_on is None
    assert _sweep(wang, TODAY - timedelta(days=1)).cleared == 0  # still gone: the first day it was found is kept
    assert _open_flag(wang).cleared_on == TODAY - timedelta(days=2)

    _set_income(wang, officer, "4500")
    result = _sweep(wang)
    flag = _open_flag(wang)
    assert (result.opened, result.cleared) == (0, 0)
    assert flag.cleared_on is None and flag.opened_on == TODAY - timedelta(days=5)
    assert "4,500.00 元" in flag.explanation  # the reason as it is now
    assert _flags(wang).count() == 1


def test_the_sweep_uses_the_monitoring_line_in_force_on_its_day(officer, areas):
    raised_on = TODAY - timedelta(days=10)
    Parameter.objects.create(key="watch.income_line", effective_from=raised_on, value=Decimal(8000),
                             source="自治区当年公布数（测试）")
    household = _household(officer, areas["beijiang"], name="王五", sequence=15, income="7000")
    assert _sweep(household, raised_on - timedelta(days=1)).opened == 0
    assert _sweep(household, raised_on).opened == 1
    assert "低于监测线 8,000.00 元" in _open_flag(household).explanation


def test_the_follow_up_period_in_force_on_the_day_sets_the_first_visit(wang):
    Parameter.objects.create(key="watch.follow_up_days", effective_from=TODAY - timedelta(days=3), value=15)
    _sweep(wang)
    assert _open_flag(wang).follow_up_due == TODAY + timedelta(days=15)


def test_the_sweep_reads_severity_and_work_from_the_registry(officer, areas):
    household = _household(officer, areas["beijiang"], name="王五", sequence=15, grade=1)
    _sweep(household)
    assert _open_flag(household, RiskReason.SEVERE_NO_WORK).explanation.startswith("家中户主为重度（一、二级）残疾")

    son = make_person(by=officer, area=areas["beijiang"], name="王小五", birth=date(2000, 1, 1), sequence=21)
    household_add_member(household=household, by=officer, relation=Relation.CHILD, person=son)
    employment_services.employment_record_add(person=son, by=officer, employed=True, started_on=date(2025, 1, 1),
                                              form=EmploymentForm.FLEXIBLE)
    _sweep(household)
    assert _open_flag(household, RiskReason.SEVERE_NO_WORK).cleared_on == TODAY
    assert _open_flag(household, RiskReason.SEVERAL_DISABLED).explanation == "一户多残：家中有 2 名残疾人。"


def test_an_elder_parent_named_in_the_household_makes_it_a_household_of_aged_carers(officer, areas):
    household = _household(officer, areas["beijiang"], name="王小五", birth=date(1995, 1, 1), sequence=21)
    household_add_member(household=household, by=officer, relation=Relation.PARENT, name="王老汉",
                         id_number=make_id(date(1950, 2, 2), 13))
    _sweep(household)
    assert "依老养残" in _open_flag(household, RiskReason.AGED_CARER).explanation


# --- household events (家庭变故) -----------------------------------------------------------------


def test_a_medical_bill_over_the_threshold_flags_the_household_at_once(wang, officer):
    event = household_event_record(household=wang, by=officer, kind=EventKind.MEDICAL_SPENDING,
                                   occurred_on=TODAY - timedelta(days=3), amount=Decimal("23800.00"),
                                   note="  住院   自付  ")
    flag = _open_flag(wang, RiskReason.MEDICAL_SPENDING)
    assert "医疗自付 23,800.00 元（1 笔）" in flag.explanation and flag.opened_on == TODAY
    assert event.note == "住院 自付" and event.recorded_by == officer
    assert _flags(wang).exists()  # the same sweep found the low income too


def test_two_bills_each_under_the_threshold_add_up_to_it(wang, officer):
    household_event_record(household=wang, by=officer, kind=EventKind.MEDICAL_SPENDING,
                           occurred_on=TODAY - timedelta(days=40), amount=Decimal(12000))
    assert not _flags(wang, RiskReason.MEDICAL_SPENDING).exists()
    household_event_record(household=wang, by=officer, kind=EventKind.MEDICAL_SPENDING,
                           occurred_on=TODAY - timedelta(days=3), amount=Decimal(8000))
    assert "20,000.00 元（2 笔）" in _open_flag(wang, RiskReason.MEDICAL_SPENDING).explanation


def test_a_relatives_death_is_known_only_when_recorded_as_an_event(officer, areas):
    household = _household(officer, areas["beijiang"], name="王五", sequence=15)
    household_add_member(household=household, by=officer, relation=Relation.SPOUSE, name="王秀英",
                         id_number=make_id(date(1982, 3, 3), 22))
    _sweep(household)
    assert not RiskFlag.objects.exists()
    household_event_record(household=household, by=officer, kind=EventKind.DEATH,
                           occurred_on=TODAY - timedelta(days=7))
    assert "家庭成员死亡" in _open_flag(household, RiskReason.DEATH_OR_ILLNESS).explanation


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"kind": EventKind.SERIOUS_ILLNESS, "occurred_on": TODAY + timedelta(days=1)}, "occurred_on",
     "发生日期不能晚于今天。"),
    ({"kind": EventKind.MEDICAL_SPENDING, "occurred_on": TODAY}, "amount", "医疗自付支出请填写金额。"),
    ({"kind": EventKind.MEDICAL_SPENDING, "occurred_on": TODAY, "amount": Decimal(-1)}, "amount", "金额不能小于 0。"),
    ({"kind": "fire", "occurred_on": TODAY}, "kind", "请选择变故类型。"),
])
def test_a_household_event_with_bad_input_is_refused_at_the_field_and_nothing_is_written(wang, officer, values,
                                                                                        field, message):
    with pytest.raises(ValidationError) as refused:
        household_event_record(household=wang, by=officer, **values)
    assert refused.value.message_dict[field] == [message]
    assert not HouseholdEvent.objects.exists() and not RiskFlag.objects.exists()


def test_another_areas_household_is_refused(li, beijiang_officer):
    with pytest.raises(PermissionDenied):
        household_event_record(household=li, by=beijiang_officer, kind=EventKind.SERIOUS_ILLNESS, occurred_on=TODAY)
    assert not HouseholdEvent.objects.exists()


# --- follow-ups (跟踪帮扶) -------------------------------------------------------------------------


def test_a_follow_up_moves_every_open_flags_next_visit_one_period_after_it(watched, officer):
    household_event_record(household=watched, by=officer, kind=EventKind.SERIOUS_ILLNESS,
                           occurred_on=TODAY - timedelta(days=2))
    visit = _visit(watched, officer, measures=["medical", "subsidy", "medical"])
    due = TODAY + timedelta(days=FOLLOW_UP_DAYS)
    assert {flag.reason: flag.follow_up_due for flag in RiskFlag.objects.filter(household=watched)} == {
        RiskReason.LOW_INCOME: due, RiskReason.DEATH_OR_ILLNESS: due}
    assert visit.measures == ["medical", "subsidy"] and visit.measure_labels == ["医疗救助", "残疾人两项补贴"]
    assert _open_flag(watched).history.first().history_change_reason == f"跟踪帮扶 {TODAY}"


def test_a_visit_made_before_a_later_flag_was_opened_does_not_bring_that_flags_visit_forward(watched, officer):
    household_event_record(household=watched, by=officer, kind=EventKind.SERIOUS_ILLNESS,
                           occurred_on=TODAY - timedelta(days=2))  # opened today, next visit due in a period
    _visit(watched, officer, on=TODAY - timedelta(days=1))
    assert _open_flag(watched).follow_up_due == TODAY - timedelta(days=1) + timedelta(days=FOLLOW_UP_DAYS)
    assert _open_flag(watched, RiskReason.DEATH_OR_ILLNESS).follow_up_due == TODAY + timedelta(days=FOLLOW_UP_DAYS)


def test_a_follow_up_for_a_household_without_an_open_flag_is_refused(wang, officer):
    with pytest.raises(ValidationError) as refused:
        _visit(wang, officer)
    assert refused.value.message_dict["situation"] == ["这户家庭没有未关闭的返贫风险，无需登记跟踪帮扶。"]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"measures": []}, "measures", "请至少选择一项帮扶措施（无措施请选“其他”并说明）。"),
    ({"measures": ["cash"]}, "measures", "请至少选择一项帮扶措施（无措施请选“其他”并说明）。"),
    ({"measures": ["other"], "note": "   "}, "note", "选择“其他”时请说明帮扶措施。"),
    ({"on": TODAY + timedelta(days=1)}, "visited_on", "走访日期不能晚于今天。"),
    ({"on": TODAY - timedelta(days=11)}, "visited_on", f"走访日期不能早于风险识别日期 {TODAY - timedelta(days=10)}。"),
    ({"situation": " \n "}, "situation", "请填写家庭现状。"),
])
def test_a_follow_up_with_bad_input_is_refused_at_the_field_and_nothing_is_written(watched, officer, values, field,
                                                                                  message):
    due = _open_flag(watched).follow_up_due
    with pytest.raises(ValidationError) as refused:
        _visit(watched, officer, **values)
    assert refused.value.message_dict[field] == [message]
    assert not FollowUp.objects.exists() and _open_flag(watched).follow_up_due == due


def test_other_with_a_note_is_a_measure(watched, officer):
    visit = _visit(watched, officer, measures=["other"], note="联系 爱心企业 捐助")
    assert visit.note == "联系 爱心企业 捐助" and visit.measure_labels == ["其他"]


def test_a_follow_up_in_another_area_is_refused(li, officer, dongcheng_officer, beijiang_officer):
    _sweep(li)
    with pytest.raises(PermissionDenied):
        _visit(li, beijiang_officer)
    assert _visit(li, dongcheng_officer).recorded_by == dongcheng_officer


# --- closing a flag (风险消除) ---------------------------------------------------------------------


def test_a_flag_is_closed_only_after_a_visit_with_a_reason_and_only_once(watched, officer):
    flag = _open_flag(watched)
    with pytest.raises(ValidationError) as refused:
        risk_flag_close(flag=flag, by=officer, note="收入已恢复")
    assert refused.value.message_dict["note"] == ["请先登记至少一次跟踪帮扶走访，再关闭风险。"]

    _visit(watched, officer, on=TODAY - timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        risk_flag_close(flag=flag, by=officer, note="  ")
    assert refused.value.message_dict["note"] == ["请填写风险消除的原因。"]
    assert _open_flag(watched) == flag

    closed = risk_flag_close(flag=flag, by=officer, note="子女就业，  收入已超过监测线")
    assert closed.closed_on == TODAY and closed.closed_by == officer
    assert closed.close_note == "子女就业， 收入已超过监测线"
    assert closed.history.first().history_change_reason == "关闭返贫风险"
    with pytest.raises(ValidationError) as refused:
        risk_flag_close(flag=flag, by=officer, note="再关一次")
    assert refused.value.messages == [f"这项风险已于 {TODAY} 关闭。"]


def _income(household, officer, amount: str) -> None:
    household_update_income(household=household, by=officer, per_capita_income=Decimal(amount), income_year=LAST_YEAR)


def test_a_visit_made_before_a_flag_was_opened_does_not_allow_closing_it(watched, officer):
    _visit(watched, officer, on=TODAY - timedelta(days=3))
    risk_flag_close(flag=_open_flag(watched), by=officer, note="已落实低保")
    _income(watched, officer, "4800")  # the facts change: the risk is flagged anew today, not yet visited
    _sweep(watched)
    with pytest.raises(ValidationError) as refused:
        risk_flag_close(flag=_open_flag(watched), by=officer, note="走访是在识别之前")
    assert refused.value.message_dict["note"] == ["请先登记至少一次跟踪帮扶走访，再关闭风险。"]


def test_a_risk_an_officer_closed_is_not_flagged_again_on_the_same_facts(watched, officer):
    _visit(watched, officer)
    risk_flag_close(flag=_open_flag(watched), by=officer, note="已纳入低保，收入数据待民政更新")
    assert _sweep(watched).opened == 0 and _sweep(watched, TODAY + timedelta(days=1)).opened == 0
    assert not _flags(watched).filter(closed_on__isnull=True).exists()


def test_a_risk_an_officer_closed_is_flagged_again_when_its_facts_change(watched, officer):
    _visit(watched, officer)
    old = risk_flag_close(flag=_open_flag(watched), by=officer, note="已纳入低保")
    _income(watched, officer, "4200")
    result = _sweep(watched)
    new = _open_flag(watched)
    assert result.opened == 1 and new.pk != old.pk and new.opened_on == TODAY and "4,200.00" in new.explanation
    assert _flags(watched).count() == 2 and _flags(watched).filter(closed_on__isnull=False).get() == old


def test_an_open_flags_reason_follows_the_facts(watched, officer):
    _income(watched, officer, "3900")
    _sweep(watched)
    assert "3,900.00" in _open_flag(watched).explanation and _flags(watched).count() == 1


def test_closing_another_areas_flag_is_refused(li, officer, beijiang_officer):
    _sweep(li)
    _visit(li, officer)
    with pytest.raises(PermissionDenied):
        risk_flag_close(flag=_open_flag(li), by=beijiang_officer, note="不是本社区")
    assert _open_flag(li).closed_on is None


# --- the registry's changes ask the rule again ------------------------------------------------------


def test_a_members_death_recorded_in_the_registry_flags_the_household_without_a_sweep(
        officer, areas, django_capture_on_commit_callbacks):
    household = _household(officer, areas["beijiang"], name="王五", sequence=15)
    son = make_person(by=officer, area=areas["beijiang"], name="王小五", birth=date(2000, 1, 1), sequence=21)
    household_add_member(household=household, by=officer, relation=Relation.CHILD, person=son)
    with django_capture_on_commit_callbacks(execute=True):
        person_change_life_status(person=son, by=officer, status=LifeStatus.DECEASED, since=TODAY - timedelta(days=4),
                                  reason="公安户籍注销")
    flag = _open_flag(household, RiskReason.DEATH_OR_ILLNESS)
    died = TODAY - timedelta(days=4)
    assert f"子女于 {died.year}年{died.month}月{died.day}日 去世" in flag.explanation
    assert "王小五" not in flag.explanation  # stored and shown to the area's officers: relations, not names


def test_a_move_recorded_in_the_registry_does_not_sweep(officer, areas, django_capture_on_commit_callbacks):
    household = _household(officer, areas["beijiang"], name="王五", sequence=15, income="1000")
    with django_capture_on_commit_callbacks(execute=True):
        person_change_life_status(person=household.members.get().person, by=officer, status=LifeStatus.MOVED_OUT,
                                  since=TODAY, reason="迁往外地")
    assert not RiskFlag.objects.exists()


def test_a_civil_affairs_list_that_ends_dibao_flags_the_household_without_a_sweep(
        officer, areas, django_capture_on_commit_callbacks):
    household = _household(officer, areas["beijiang"], name="王五", sequence=15)
    head = household.members.get().person
    AssistanceStatus.objects.create(person=head, kind=AssistanceKind.DIBAO, started_on=date(2022, 1, 1),
                                    started_by="民政低保名单")
    nobody = AssistanceStatus.objects.filter(pk=-1).values("person_id", "kind", "started_on")
    with django_capture_on_commit_callbacks(execute=True):
        assistance_statuses_apply(listed=nobody, mentioned=nobody, area=areas["city"], kinds=[AssistanceKind.DIBAO],
                                  on=TODAY, source="民政低保名单")
    assert _open_flag(household, RiskReason.LOST_DIBAO).explanation == (
        f"家中户主于 {TODAY.year}年{TODAY.month}月{TODAY.day}日 退出低保，家中已无人享受低保。")


# --- selectors --------------------------------------------------------------------------------------


def test_the_open_flags_are_the_users_areas_only_the_overdue_first(officer, beijiang_officer, wang, li, areas):
    _sweep(li, TODAY - timedelta(days=40))
    _sweep(wang)
    overdue_wang = _household(officer, areas["beijiang"], name="赵六", sequence=19, income="100")
    _sweep(overdue_wang, TODAY - timedelta(days=31))
    assert [f.household for f in selectors.risk_flags_open(user=officer)] == [li, overdue_wang, wang]
    assert [f.household for f in selectors.risk_flags_open(user=beijiang_officer)] == [overdue_wang, wang]
    assert [f.household for f in selectors.risk_flags_open(user=beijiang_officer, overdue_on=TODAY)] == [overdue_wang]


def test_a_member_living_outside_the_users_areas_is_hidden_on_the_household_page(officer, beijiang_officer, wang,
                                                                               areas):
    cousin = make_person(by=officer, area=areas["dongcheng"], name="王表哥", birth=date(1988, 8, 8), sequence=23)
    household_add_member(household=wang, by=officer, relation=Relation.OTHER, person=cousin)
    members = selectors.household_members_visible(user=beijiang_officer, household=wang)
    assert [(m.display_name, m.hidden) for m in members] == [("王五", False), ("王表哥", True)]
    assert not any(m.hidden for m in selectors.household_members_visible(user=officer, household=wang))


# --- the pages --------------------------------------------------------------------------------------

WATCHLIST = "/indicators/watchlist/"


def _page(household) -> str:
    return f"/indicators/watchlist/households/{household.pk}/"


def _login(client, user):
    client.force_login(user)
    return client


def test_the_watchlist_shows_the_users_areas_only(client, beijiang_officer, wang, li):
    watchlist_sweep(on=TODAY)
    page = _login(client, beijiang_officer).get(WATCHLIST).content.decode()
    assert "王五家" in page and "低于监测线 6,000.00 元" in page and "北疆社区" in page
    assert "李四" not in page and "4,000.00" not in page and "东城社区" not in page


def test_the_watchlist_puts_overdue_visits_first_marked_and_its_tabs_filter(client, officer, wang, li):
    _sweep(li, TODAY - timedelta(days=FOLLOW_UP_DAYS + 1))  # due yesterday
    household_event_record(household=wang, by=officer, kind=EventKind.MEDICAL_SPENDING, occurred_on=TODAY,
                           amount=MEDICAL_THRESHOLD)
    page = _login(client, officer).get(WATCHLIST).content.decode()
    assert page.index("李四家") < page.index("王五家")
    assert page.count(">已超期</strong>") == 1 and "走访超期（1）" in page and "全部（3）" in page
    assert "大额医疗支出（1）" in page and "家庭人均收入低于监测线（2）" in page

    medical = client.get(WATCHLIST, {"reason": RiskReason.MEDICAL_SPENDING}).content.decode()
    assert "王五家" in medical and "李四家" not in medical
    overdue = client.get(WATCHLIST, {"overdue": "1"}).content.decode()
    assert "李四家" in overdue and "王五家" not in overdue
    unknown = client.get(WATCHLIST, {"reason": "<script>"}).content.decode()  # an unknown tab is the whole list
    assert "李四家" in unknown and "王五家" in unknown and "<script>" not in unknown


def test_the_watchlist_says_so_when_there_is_nothing_open(client, beijiang_officer, wang):
    assert "没有未关闭的返贫风险。" in _login(client, beijiang_officer).get(WATCHLIST).content.decode()


def test_asking_for_a_sweep_checks_the_users_areas_only(client, beijiang_officer, wang, li):
    response = _login(client, beijiang_officer).post(WATCHLIST)
    assert response.status_code == 302 and response["Location"] == WATCHLIST
    assert RiskFlag.objects.filter(household=wang).exists() and not RiskFlag.objects.filter(household=li).exists()
    assert "已核查 1 户：新识别风险 1 项，条件已不满足 0 项。" in client.get(WATCHLIST).content.decode()
    assert AccessLog.objects.filter(user=beijiang_officer, action=AccessLog.Action.EDIT,
                                    detail__startswith="已核查 1 户").exists()


def test_the_household_page_shows_the_risks_and_every_look_is_logged(client, beijiang_officer, watched):
    for _ in range(2):
        response = _login(client, beijiang_officer).get(_page(watched))
        assert response.status_code == 200
    page = response.content.decode()
    assert _title(response).startswith("返贫监测：王五家")
    assert "低于监测线 6,000.00 元" in page and _shown(TODAY + timedelta(days=FOLLOW_UP_DAYS - 10)) in page
    assert 'type="checkbox" name="visit-measures"' in page  # the measures are checkboxes, in a fieldset
    logs = AccessLog.objects.filter(user=beijiang_officer, action=AccessLog.Action.VIEW)
    assert logs.count() == 2 and {log.detail for log in logs} == {f"查看返贫监测家庭：{watched}"}


def test_another_areas_household_or_an_id_that_is_not_one_is_not_found(client, beijiang_officer, li):
    _login(client, beijiang_officer)
    assert client.get(_page(li)).status_code == 404
    assert client.post(_page(li), {"action": "event"}).status_code == 404
    assert client.get("/indicators/watchlist/households/abc/").status_code == 404
    assert client.get("/indicators/watchlist/households/99999999999999999999/").status_code == 404
    assert client.get("/indicators/watchlist/households/0/").status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW).exists()


@pytest.mark.parametrize("user", ["officer", "beijiang_officer"])
def test_a_federation_officer_and_the_areas_community_officer_open_both_pages(client, request, user, watched):
    _login(client, request.getfixturevalue(user))
    assert client.get(WATCHLIST).status_code == 200
    assert client.get(_page(watched)).status_code == 200


def test_a_leader_sees_figures_only_and_is_refused_both_pages(client, leader, watched, li):
    _login(client, leader)
    assert client.get(WATCHLIST).status_code == 403
    assert client.post(WATCHLIST).status_code == 403
    assert client.get(_page(watched)).status_code == 403
    assert not RiskFlag.objects.filter(household=li).exists()  # the refused request swept nothing
    assert not AccessLog.objects.filter(user=leader, action__in=[AccessLog.Action.VIEW, AccessLog.Action.EDIT]).exists()


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, watched):
    for url in (WATCHLIST, _page(watched)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _post_visit(client, household, **values):
    data = {"action": "visit", "visit-visited_on": TODAY.isoformat(), "visit-situation": "家中收入靠两项补贴。",
            "visit-measures": ["subsidy", "medical"], "visit-note": ""}
    return client.post(_page(household), data | {f"visit-{k}": v for k, v in values.items()})


def test_a_follow_up_left_empty_is_refused_at_each_field_with_the_choices_kept(client, beijiang_officer, watched):
    response = _post_visit(_login(client, beijiang_officer), watched, visited_on="", situation="")
    page = response.content.decode()
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert "走访日期：请填写走访日期。" in page and "家庭现状：请填写家庭现状。" in page
    assert 'href="#id_visit-visited_on"' in page  # the summary links to the field
    assert re.search(r'value="subsidy" checked', page) and re.search(r'value="medical" checked', page)
    assert not re.search(r'value="care" checked', page)
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(("values", "message"), [
    ({"measures": []}, "帮扶措施：请至少选择一项帮扶措施。"),
    ({"measures": ["cash"]}, "帮扶措施：请从列表中选择帮扶措施。"),
    ({"measures": ["other"]}, "措施说明：选择“其他”时请说明帮扶措施。"),
    ({"visited_on": (TODAY + timedelta(days=1)).isoformat()}, "走访日期：走访日期不能晚于今天。"),
    ({"visited_on": "2026/13/45"}, "走访日期：请按 2026-03-15 的格式填写日期。"),
    ({"situation": "很" * 501}, "家庭现状：最多 500 字。"),
    ({"note": "很" * 501}, "措施说明：最多 500 字。"),
])
def test_a_bad_follow_up_is_refused_with_its_message_and_nothing_is_written(client, beijiang_officer, watched, values,
                                                                          message):
    response = _post_visit(_login(client, beijiang_officer), watched, **values)
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert message in response.content.decode()
    assert not FollowUp.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EDIT).exists()


def test_a_follow_up_is_saved_shown_with_the_next_visit_and_logged(client, beijiang_officer, watched):
    response = _post_visit(_login(client, beijiang_officer), watched, situation="<script>alert(1)</script>")
    assert response.status_code == 302 and response["Location"] == _page(watched)
    page = client.get(_page(watched)).content.decode()
    assert "已登记跟踪帮扶。" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)</script>" not in page
    assert "残疾人两项补贴、医疗救助" in page or "医疗救助、残疾人两项补贴" in page
    assert _shown(TODAY + timedelta(days=FOLLOW_UP_DAYS)) in page
    assert _open_flag(watched).follow_up_due == TODAY + timedelta(days=FOLLOW_UP_DAYS)
    assert AccessLog.objects.filter(user=beijiang_officer, action=AccessLog.Action.EDIT,
                                    detail__startswith="已登记跟踪帮扶。").exists()


def test_a_household_event_is_recorded_from_the_page_and_flags_it(client, beijiang_officer, wang):
    response = _login(client, beijiang_officer).post(_page(wang), {
        "action": "event", "event-kind": EventKind.MEDICAL_SPENDING, "event-occurred_on": TODAY.isoformat(),
        "event-amount": "20000", "event-note": "<b>住院</b>"})
    assert response.status_code == 302
    page = client.get(_page(wang)).content.decode()
    assert "已登记家庭变故，并已按规则重新核查这户家庭。" in page and "&lt;b&gt;住院&lt;/b&gt;" in page
    assert "大额医疗支出" in page and _open_flag(wang, RiskReason.MEDICAL_SPENDING)


@pytest.mark.parametrize(("values", "message"), [
    ({"event-kind": ""}, "变故类型：请选择变故类型。"),
    ({"event-kind": "fire"}, "变故类型：请选择变故类型。"),
    ({"event-amount": ""}, "医疗自付金额（元）：医疗自付支出请填写金额。"),
    ({"event-amount": "-5"}, "医疗自付金额（元）：不能小于 0。"),
    ({"event-amount": "一万"}, "医疗自付金额（元）：请输入金额，例如 12000 或 12000.50。"),
    ({"event-amount": "12.345"}, "医疗自付金额（元）：最多两位小数。"),
    ({"event-amount": "9" * 13}, "医疗自付金额（元）：金额太大。"),
    ({"event-occurred_on": (TODAY + timedelta(days=1)).isoformat()}, "发生日期：发生日期不能晚于今天。"),
    ({"event-note": "很" * 201}, "说明：最多 200 字。"),
])
def test_a_bad_household_event_is_refused_with_its_message_and_nothing_is_written(client, beijiang_officer, wang,
                                                                                values, message):
    data = {"action": "event", "event-kind": EventKind.MEDICAL_SPENDING, "event-occurred_on": TODAY.isoformat(),
            "event-amount": "25000", "event-note": ""} | values
    response = _login(client, beijiang_officer).post(_page(wang), data)
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert message in response.content.decode()
    assert not HouseholdEvent.objects.exists() and not RiskFlag.objects.exists()


def test_a_flag_is_closed_from_the_page_after_a_visit_with_a_reason(client, beijiang_officer, watched):
    flag = _open_flag(watched)
    _login(client, beijiang_officer)
    early = client.post(_page(watched), {"action": "close", "close-flag": flag.pk, "close-note": "收入恢复"})
    assert early.status_code == 400 and "请先登记至少一次跟踪帮扶走访，再关闭风险。" in early.content.decode()
    _visit(watched, beijiang_officer)
    for data, message in (({"close-note": ""}, "风险消除的原因：请填写风险消除的原因。"),
                          ({"close-flag": ""}, "关闭哪项风险：请选择要关闭的风险。"),
                          ({"close-flag": "999999"}, "关闭哪项风险：请选择要关闭的风险。"),
                          ({"close-note": "很" * 201}, "风险消除的原因：最多 200 字。")):
        response = client.post(_page(watched), {"action": "close", "close-flag": flag.pk, "close-note": "收入恢复"}
                               | data)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert _open_flag(watched) == flag

    response = client.post(_page(watched), {"action": "close", "close-flag": flag.pk, "close-note": "子女已就业"})
    assert response.status_code == 302
    page = client.get(_page(watched)).content.decode()
    assert "已关闭返贫风险。" in page and f"{_shown(TODAY)} 关闭（子女已就业）" in page
    assert "这户家庭目前没有未关闭的返贫风险。" in page and "保存走访记录" not in page


def test_another_areas_flag_cannot_be_closed_through_a_household_in_scope(client, beijiang_officer, watched, li):
    _sweep(li)
    _visit(watched, beijiang_officer)
    response = _login(client, beijiang_officer).post(_page(watched), {
        "action": "close", "close-flag": _open_flag(li).pk, "close-note": "顺手关掉"})
    assert response.status_code == 400 and _open_flag(li).closed_on is None
