"""What each department's list means when it is committed: registry, assistance, life events, records, screening."""

from datetime import date

import pytest

from canlian.exchange import services
from canlian.exchange.models import (
    ChildScreening,
    DepartmentRecord,
    ImportBatch,
    MatchOutcome,
    MatchReview,
    RowAction,
    StatusProposal,
)
from canlian.exchange.tests.factories import (
    ASSISTANCE_HEADER,
    EMPLOYMENT_HEADER,
    FAMILY_DOCTOR_HEADER,
    LEGACY_HEADER,
    LIFE_EVENTS_HEADER,
    MEDICAL_HEADER,
    PENSION_HEADER,
    SCHOOL_HEADER,
    SCREENING_HEADER,
    imported,
    problems_of,
    rows_by_number,
    validated,
    write_csv,
    write_xlsx,
)
from canlian.parameters.models import Parameter
from canlian.registry import events
from canlian.registry.models import AssistanceStatus, Certificate, Person
from canlian.registry.tests.factories import make_certificate, make_id, make_person

State = ImportBatch.State


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def zhang(officer, areas):
    return make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=11)


def _open_spells(person) -> list[tuple[str, date]]:
    return sorted(AssistanceStatus.objects.filter(person=person, ended_on__isnull=True)
                  .values_list("kind", "started_on"))


# --- (1) the legacy registry (历史残疾人名册) -------------------------------------------------------

OLD_WANG = make_id(date(1970, 5, 5), 31)
OLD_LI = make_id(date(1965, 3, 8), 42)


def test_legacy_registry_registers_each_person_with_the_certificate(officer, areas, tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [
        LEGACY_HEADER + ["民族", "户籍类型", "联系电话", "居住地址", "有效期至"],
        [OLD_WANG, "王建国", "北疆社区", "肢体残疾", "二级", "2015-05-01", f"{OLD_WANG}42", "蒙古族", "农业",
         "13800000000", "北疆社区3号楼", "2025-05-01"],
        [OLD_LI, "李秀英", "152501001002", 1, 4, date(2019, 3, 1), "", "02", "城镇", "", "", ""],
    ])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["city"])
    assert (batch.state, batch.new_count, batch.error_rows) == (State.COMMITTED, 2, 0)
    wang = Person.objects.get(id_number=OLD_WANG)
    assert (wang.name, wang.residence_area, wang.ethnicity, wang.hukou_type, wang.phone) == (
        "王建国", areas["beijiang"], "02", "agricultural", "13800000000")
    assert wang.birth_date == date(1970, 5, 5)
    card = Certificate.objects.get(person=wang)
    assert (card.number, card.category, card.grade, card.issued_on, card.valid_until, card.status) == (
        f"{OLD_WANG}42", 4, 2, date(2015, 5, 1), date(2025, 5, 1), "valid")
    assert wang.history.first().history_user == officer  # registered through the registry service, with history
    li = Person.objects.get(id_number=OLD_LI)
    assert li.residence_area == areas["dongcheng"]
    li_card = Certificate.objects.get(person=li)
    assert (li_card.number, li_card.category, li_card.grade) == (f"{OLD_LI}14", 1, 4)  # number composed


def test_legacy_registry_leaves_already_registered_people_untouched(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [zhang.id_number, "张三丰", "东城社区", "视力", "一级", "2015-05-01", ""],
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", ""]])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["city"])
    assert (batch.new_count, batch.unchanged_count) == (1, 1)
    zhang.refresh_from_db()
    assert zhang.residence_area == areas["beijiang"]
    assert not Certificate.objects.filter(person=zhang).exists()
    assert rows_by_number(batch)[2].action == RowAction.SKIPPED
    assert not MatchReview.objects.filter(batch=batch).exists(), "a clean match and a new person need no review"


def test_legacy_registry_row_naming_a_registered_person_differently_is_a_match_review(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [zhang.id_number, "张三峰", "北疆社区", "肢体", "二级", "2015-05-01", ""]])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["city"])
    assert list(MatchReview.objects.filter(batch=batch).values_list("outcome", "person_id")) == [
        (MatchOutcome.NAME_DIFFERS, zhang.pk)]
    assert Person.objects.get(pk=zhang.pk).name == "张三丰"


def test_legacy_registry_duplicate_row_in_the_file_is_reported_and_registered_once(officer, areas, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", ""],
                                            [OLD_WANG.lower(), "王建国", "北疆社区", "肢体", "三级", "2016-05-01", ""]])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["city"])
    [(row, column, _value, message)] = problems_of(batch)
    assert (row, column) == (3, "身份证号") and "第 2 行" in message
    assert Person.objects.filter(id_number=OLD_WANG).count() == 1
    assert Certificate.objects.get(person__id_number=OLD_WANG).grade == 2


def test_legacy_registry_not_found_rows_do_not_become_match_reviews(officer, areas, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", ""],
                                            ["123", "错号", "北疆社区", "肢体", "二级", "2015-05-01", ""]])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["city"])
    assert list(MatchReview.objects.filter(batch=batch).values_list("row_number", "outcome")) == [
        (3, MatchOutcome.ID_INVALID)]


@pytest.mark.parametrize(("number", "words"), [
    (f"{OLD_LI}42", "前18位"),  # someone else's ID
    (f"{OLD_WANG}32", "第19—20位"),  # category 3, but the row says 肢体
    (f"{OLD_WANG}43", "第19—20位"),  # grade 3, but the row says 二级
])
def test_legacy_certificate_number_disagreeing_with_id_category_or_grade_is_reported(officer, areas, tmp_path,
                                                                                   number, words):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", number]])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["city"])
    [(row, column, _value, message)] = problems_of(batch)
    assert (row, column) == (2, "残疾人证号")
    assert words in message
    assert not Person.objects.filter(id_number=OLD_WANG).exists()


def test_legacy_malformed_certificate_number_is_reported(officer, areas, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", "残123"]])
    batch = validated(path, by=officer, source="legacy_registry", area=areas["city"])
    assert [(r, c) for r, c, _v, _m in problems_of(batch)] == [(2, "残疾人证号")]


def test_legacy_valid_until_before_issue_date_is_reported(officer, areas, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER + ["有效期至"],
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", "", "2014-01-01"]])
    batch = validated(path, by=officer, source="legacy_registry", area=areas["city"])
    assert [(r, c) for r, c, _v, _m in problems_of(batch)] == [(2, "有效期至")]


def test_legacy_community_outside_the_lists_area_is_reported_naming_the_area(officer, areas, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [OLD_WANG, "王建国", "东城社区", "肢体", "二级", "2015-05-01", ""],
                                            [OLD_LI, "李秀英", "火星社区", "肢体", "二级", "2015-05-01", ""]])
    batch = validated(path, by=officer, source="legacy_registry", area=areas["beijiang"])
    reported = problems_of(batch)
    assert [(r, c, v) for r, c, v, _m in reported] == [(2, "居住社区", "东城社区"), (3, "居住社区", "火星社区")]
    assert "北疆社区" in reported[0][3]


def test_legacy_row_the_registry_refuses_is_reported_on_its_row_and_the_rest_go_on(officer, areas, tmp_path):
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER + ["联系电话"],
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", "", "12345"],
                                            [OLD_LI, "李秀英", "北疆社区", "肢体", "二级", "2015-05-01", "", ""]])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["city"])
    assert (batch.new_count, batch.error_rows) == (1, 1)
    [(row, column, _value, message)] = problems_of(batch)
    assert (row, column) == (2, "联系电话") and "手机号" in message
    assert not Person.objects.filter(id_number=OLD_WANG).exists()
    assert Person.objects.filter(id_number=OLD_LI).exists()


def test_legacy_row_for_a_person_registered_in_another_community_is_refused_at_commit(officer, areas, tmp_path):
    elsewhere = make_person(by=officer, area=areas["dongcheng"], name="王建国", birth=date(1970, 5, 5), sequence=31)
    path = write_csv(tmp_path / "名册.csv", [LEGACY_HEADER,
                                            [OLD_WANG, "王建国", "北疆社区", "肢体", "二级", "2015-05-01", ""]])
    batch = imported(path, by=officer, source="legacy_registry", area=areas["beijiang"])
    assert (batch.new_count, batch.error_rows) == (0, 1)
    assert [(r, c) for r, c, _v, _m in problems_of(batch)] == [(2, "身份证号")]
    assert Person.objects.filter(id_number=OLD_WANG).get() == elsewhere


# --- (2) assistance (低保/特困/低保边缘名单) -----------------------------------------------------------


def test_assistance_list_starts_each_listed_status_from_its_start_date(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                          [zhang.id_number, "张三丰", "特困供养", "2024-02-01"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1)), ("extreme_poverty", date(2024, 2, 1))]
    assert f"#{batch.pk}" in AssistanceStatus.objects.filter(person=zhang).first().started_by


@pytest.mark.parametrize(("word", "kind"), [("低保边缘户", "near_dibao"), ("五保", "extreme_poverty"),
                                            ("低收入家庭", "low_income"), ("农村低保", "dibao")])
def test_assistance_kind_words_departments_use_are_understood(officer, areas, zhang, tmp_path, word, kind):
    path = write_csv(tmp_path / "a.csv", [["公民身份号码", "姓名", "保障类别", "纳入日期"],
                                          [zhang.id_number, "张三丰", word, "2024-01-01"]])
    imported(path, by=officer, source="assistance", area=areas["city"])
    assert _open_spells(zhang) == [(kind, date(2024, 1, 1))]


def _assistance(tmp_path, name, rows, *, by, area, list_date):
    return imported(write_csv(tmp_path / name, [ASSISTANCE_HEADER, *rows]), by=by, source="assistance", area=area,
                    list_date=list_date)


def test_person_dropped_from_the_list_loses_the_status_from_the_list_date(officer, areas, zhang, tmp_path):
    wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", sequence=13)
    _assistance(tmp_path, "june.csv", [[zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                       [wuyun.id_number, "乌云", "低保", "2024-01-01"]],
                by=officer, area=areas["city"], list_date=date(2024, 6, 30))
    batch = _assistance(tmp_path, "july.csv", [[wuyun.id_number, "乌云", "低保", "2024-01-01"]],
                        by=officer, area=areas["city"], list_date=date(2024, 7, 31))
    spell = AssistanceStatus.objects.get(person=zhang)
    assert spell.ended_on == date(2024, 7, 31)
    assert f"#{batch.pk}" in spell.ended_by
    assert _open_spells(wuyun) == [("dibao", date(2024, 1, 1))]
    assert batch.ended_count == 1


def test_list_ends_only_the_kinds_it_covers(officer, areas, zhang, tmp_path):
    wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", sequence=13)
    _assistance(tmp_path, "a.csv", [[zhang.id_number, "张三丰", "特困", "2024-01-01"]],
                by=officer, area=areas["city"], list_date=date(2024, 6, 30))
    batch = _assistance(tmp_path, "dibao.csv", [[wuyun.id_number, "乌云", "低保", "2024-07-01"]],
                        by=officer, area=areas["city"], list_date=date(2024, 7, 31))
    assert batch.ended_count == 0
    assert _open_spells(zhang) == [("extreme_poverty", date(2024, 1, 1))]


def test_list_ends_statuses_only_within_its_area(officer, areas, zhang, tmp_path):
    herder = make_person(by=officer, area=areas["gacha"], name="巴特尔", sequence=21)
    _assistance(tmp_path, "city.csv", [[zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                       [herder.id_number, "巴特尔", "低保", "2024-01-01"]],
                by=officer, area=areas["city"], list_date=date(2024, 6, 30))
    wuyun = make_person(by=officer, area=areas["gacha"], name="乌云", sequence=13)
    batch = _assistance(tmp_path, "sumu.csv", [[wuyun.id_number, "乌云", "低保", "2024-07-01"]],
                        by=officer, area=areas["sumu"], list_date=date(2024, 7, 31))
    assert batch.ended_count == 1
    assert _open_spells(herder) == []  # in the sumu, no longer on the sumu's list
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]  # in town: the sumu's list says nothing of them


def test_older_list_does_not_end_a_status_that_started_after_its_date(officer, areas, zhang, tmp_path):
    wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", sequence=13)
    _assistance(tmp_path, "june.csv", [[zhang.id_number, "张三丰", "低保", "2024-05-01"]],
                by=officer, area=areas["city"], list_date=date(2024, 6, 30))
    batch = _assistance(tmp_path, "march.csv", [[wuyun.id_number, "乌云", "低保", "2024-01-01"]],
                        by=officer, area=areas["city"], list_date=date(2024, 3, 31))
    assert batch.ended_count == 0
    assert _open_spells(zhang) == [("dibao", date(2024, 5, 1))]


def test_start_date_is_corrected_when_the_list_says_otherwise(officer, areas, zhang, tmp_path):
    _assistance(tmp_path, "june.csv", [[zhang.id_number, "张三丰", "低保", "2024-01-01"]],
                by=officer, area=areas["city"], list_date=date(2024, 6, 30))
    batch = _assistance(tmp_path, "july.csv", [[zhang.id_number, "张三丰", "低保", "2023-11-01"]],
                        by=officer, area=areas["city"], list_date=date(2024, 7, 31))
    assert (batch.new_count, batch.changed_count, batch.unchanged_count) == (0, 1, 0)
    assert _open_spells(zhang) == [("dibao", date(2023, 11, 1))]
    assert AssistanceStatus.objects.filter(person=zhang).count() == 1


def test_person_listed_under_another_name_is_not_applied_and_keeps_their_status(officer, areas, zhang, tmp_path):
    wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", sequence=13)
    _assistance(tmp_path, "june.csv", [[zhang.id_number, "张三丰", "低保", "2024-01-01"]],
                by=officer, area=areas["city"], list_date=date(2024, 6, 30))
    batch = _assistance(tmp_path, "july.csv", [[zhang.id_number, "张三峰", "低保", "2024-03-01"],
                                               [wuyun.id_number, "乌云其其格", "特困", "2024-03-01"]],
                        by=officer, area=areas["city"], list_date=date(2024, 7, 31))
    assert (batch.new_count, batch.changed_count, batch.ended_count) == (0, 0, 0)
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]  # neither ended nor corrected
    assert _open_spells(wuyun) == []
    assert sorted(MatchReview.objects.filter(batch=batch).values_list("outcome", "person_id")) == [
        (MatchOutcome.NAME_DIFFERS, zhang.pk), (MatchOutcome.NAME_DIFFERS, wuyun.pk)]


def test_person_still_on_the_list_with_a_mistyped_date_keeps_their_status(officer, areas, zhang, tmp_path):
    _assistance(tmp_path, "june.csv", [[zhang.id_number, "张三丰", "低保", "2024-01-01"]],
                by=officer, area=areas["city"], list_date=date(2024, 6, 30))
    # Like a row whose name differs: the list still names them, it only has an error to fix.
    wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", sequence=13)
    batch = _assistance(tmp_path, "july.csv", [[zhang.id_number, "张三丰", "低保", "2024-02-30"],
                                               [wuyun.id_number, "乌云", "低保", "2024-07-01"]],
                        by=officer, area=areas["city"], list_date=date(2024, 7, 31))
    assert batch.error_rows == 1
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]


def test_applied_list_is_announced_after_commit(officer, areas, zhang, tmp_path, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe(events.AssistanceStatusesChanged, seen.append)
    try:
        wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", sequence=13)
        _assistance(tmp_path, "june.csv", [[zhang.id_number, "张三丰", "低保", "2024-01-01"]],
                    by=officer, area=areas["city"], list_date=date(2024, 6, 30))
        seen.clear()
        batch = validated(write_csv(tmp_path / "july.csv", [ASSISTANCE_HEADER, [wuyun.id_number, "乌云", "低保",
                                                                                 "2024-07-01"]]),
                          by=officer, source="assistance", area=areas["city"], list_date=date(2024, 7, 31))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.import_commit(batch=batch, by=officer)
        assert seen == [], "nothing is announced before the transaction commits"
        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()
    finally:
        events._handlers[events.AssistanceStatusesChanged].remove(seen.append)
    assert seen == [events.AssistanceStatusesChanged(area_code=areas["city"].code, kinds=("dibao",),
                                                     on=date(2024, 7, 31), started=1, corrected=0, ended=1)]


def test_failed_commit_announces_nothing(officer, areas, zhang, tmp_path, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe(events.AssistanceStatusesChanged, seen.append)
    try:
        path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
        first, second = (services.import_validate(batch=services.import_batch_create(
            by=officer, source="assistance", area=areas["city"], list_date=date(2025, 6, 30),
            chunks=[path.read_bytes()], file_name=path.name)) for _ in range(2))
        with django_capture_on_commit_callbacks(execute=True):
            services.import_commit(batch=first, by=officer)
        seen.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert services.import_commit(batch=second, by=officer).state == State.DUPLICATE
    finally:
        events._handlers[events.AssistanceStatusesChanged].remove(seen.append)
    assert seen == []


# --- (3) deaths and moves (死亡和户籍迁出) ------------------------------------------------------------


def test_reported_death_and_move_become_proposals_and_change_nobody(officer, areas, zhang, tmp_path):
    wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", sequence=13)
    make_certificate(person=zhang, by=officer)
    path = write_csv(tmp_path / "a.csv", [LIFE_EVENTS_HEADER,
                                          [zhang.id_number, "张三丰", "死亡", "2025-03-01", "死亡证明 2025-017"],
                                          [wuyun.id_number, "乌云", "户籍迁出", "2025-04-01", "迁往呼和浩特市"]],
                     encoding="gbk")
    batch = imported(path, by=officer, source="life_events", area=areas["city"])
    assert batch.new_count == 2
    proposals = list(StatusProposal.objects.order_by("since").values_list("person_id", "status", "since", "detail",
                                                                            "state"))
    assert proposals == [(zhang.pk, "deceased", date(2025, 3, 1), "死亡证明 2025-017", "pending"),
                         (wuyun.pk, "moved_out", date(2025, 4, 1), "迁往呼和浩特市", "pending")]
    zhang.refresh_from_db()
    wuyun.refresh_from_db()
    assert zhang.life_status == wuyun.life_status == "active"
    assert Certificate.objects.get(person=zhang).status == "valid"


def test_same_report_sent_again_makes_no_second_proposal(officer, areas, zhang, tmp_path):
    row = [zhang.id_number, "张三丰", "死亡", "2025-03-01", ""]
    imported(write_csv(tmp_path / "a.csv", [LIFE_EVENTS_HEADER, row]), by=officer, source="life_events",
             area=areas["city"])
    batch = imported(write_csv(tmp_path / "b.csv", [LIFE_EVENTS_HEADER, row], encoding="utf-8-sig"), by=officer,
                     source="life_events", area=areas["city"])
    assert (batch.new_count, batch.unchanged_count) == (0, 1)
    assert StatusProposal.objects.count() == 1


def test_death_of_a_person_already_recorded_dead_makes_no_proposal(officer, areas, zhang, tmp_path):
    from canlian.registry import services as registry_services
    registry_services.person_change_life_status(person=zhang, by=officer, status="deceased", since=date(2025, 3, 1),
                                                reason="家属报告")
    batch = imported(write_csv(tmp_path / "a.csv", [LIFE_EVENTS_HEADER,
                                                    [zhang.id_number, "张三丰", "死亡", "2025-03-01", ""]]),
                     by=officer, source="life_events", area=areas["city"])
    assert (batch.new_count, batch.unchanged_count) == (0, 1)
    assert not StatusProposal.objects.exists()


def test_reported_death_of_someone_not_matched_makes_no_proposal_but_a_review(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [LIFE_EVENTS_HEADER, [zhang.id_number, "张三", "死亡", "2025-03-01", ""],
                                          [make_id(sequence=97), "无名", "死亡", "2025-03-01", ""]])
    batch = imported(path, by=officer, source="life_events", area=areas["city"])
    assert not StatusProposal.objects.exists()
    assert list(MatchReview.objects.filter(batch=batch).order_by("row_number").values_list("outcome", flat=True)) == [
        MatchOutcome.NAME_DIFFERS, MatchOutcome.NOT_IN_REGISTRY]


# --- (4–7) department records: insurance, employment, school, family doctor ------------------------

RECORD_SOURCES = [
    ("medical_insurance", MEDICAL_HEADER, ["居民医保"], ("居民医保", "")),
    ("pension_insurance", PENSION_HEADER, ["二连浩特市社保中心"], ("二连浩特市社保中心", "")),
    ("employment", EMPLOYMENT_HEADER, ["二连浩特市口岸公司", "按比例就业"], ("二连浩特市口岸公司", "按比例就业")),
    ("school", SCHOOL_HEADER, ["二连浩特市第一小学", "随班就读"], ("二连浩特市第一小学", "随班就读")),
    ("family_doctor", FAMILY_DOCTOR_HEADER, ["北疆社区卫生服务站"], ("北疆社区卫生服务站", "")),
]


@pytest.mark.parametrize(("source", "header", "tail", "stored"), RECORD_SOURCES, ids=[s[0] for s in RECORD_SOURCES])
def test_department_record_is_inserted_then_unchanged_then_updated(officer, areas, zhang, tmp_path, source, header,
                                                                   tail, stored):
    first = imported(write_csv(tmp_path / "1.csv", [header, [zhang.id_number, "张三丰", "2024-09-01", "", *tail]]),
                     by=officer, source=source, area=areas["city"])
    assert first.new_count == 1
    record = DepartmentRecord.objects.get(person=zhang)
    assert (record.kind, record.started_on, record.ended_on, (record.organisation, record.detail), record.batch_id) == (
        source, date(2024, 9, 1), None, stored, first.pk)
    again = imported(write_csv(tmp_path / "2.csv", [header, [zhang.id_number, "张三丰", "2024/9/1", None, *tail]],
                               encoding="gbk"), by=officer, source=source, area=areas["city"])
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 1)
    ended = imported(write_csv(tmp_path / "3.csv", [header, [zhang.id_number, "张三丰", "2024-09-01", "2025-06-30",
                                                             *tail]]), by=officer, source=source, area=areas["city"])
    assert (ended.new_count, ended.changed_count, ended.unchanged_count) == (0, 1, 0)
    record.refresh_from_db()
    assert (record.ended_on, record.batch_id) == (date(2025, 6, 30), ended.pk)
    assert DepartmentRecord.objects.count() == 1


@pytest.mark.parametrize(("source", "header"), [
    ("medical_insurance", ["证件号码", "人员姓名", "参保时间", "停保日期", "险种"]),
    ("pension_insurance", ["公民身份号码", "姓名", "参保时间", "终止日期", "参保地"]),
    ("employment", ["身份证号码", "姓名", "就业日期", "解约日期", "就业单位", "就业类型"]),
    ("school", ["身份证号", "儿童姓名", "入学时间", "离校日期", "学校名称", "安置方式"]),
    ("family_doctor", ["身份证件号码", "姓名", "签约时间", "解约日期", "签约医生"]),
])
def test_department_record_columns_are_found_by_the_names_departments_use(officer, areas, zhang, tmp_path, source,
                                                                          header):
    row = [zhang.id_number, "张三丰", "2024-09-01", "2025-01-31", "某机构"] + (["某方式"] if len(header) == 6 else [])
    batch = imported(write_xlsx(tmp_path / "a.xlsx", [header, row]), by=officer, source=source, area=areas["city"])
    assert batch.new_count == 1
    record = DepartmentRecord.objects.get(person=zhang)
    assert (record.started_on, record.ended_on, record.organisation) == (date(2024, 9, 1), date(2025, 1, 31), "某机构")


def test_one_person_may_hold_two_records_that_started_on_different_days(officer, areas, zhang, tmp_path):
    imported(write_csv(tmp_path / "a.csv", [EMPLOYMENT_HEADER,
                                            [zhang.id_number, "张三丰", "2020-03-01", "2023-12-31", "甲公司", ""],
                                            [zhang.id_number, "张三丰", "2024-03-01", "", "乙公司", ""]]),
             by=officer, source="employment", area=areas["city"])
    assert list(DepartmentRecord.objects.filter(person=zhang).order_by("started_on")
                .values_list("organisation", flat=True)) == ["甲公司", "乙公司"]


def test_record_ending_before_it_starts_is_reported(officer, areas, zhang, tmp_path):
    batch = imported(write_csv(tmp_path / "a.csv", [MEDICAL_HEADER, [zhang.id_number, "张三丰", "2024-09-01",
                                                                     "2024-08-01", "居民医保"]]),
                     by=officer, source="medical_insurance", area=areas["city"])
    assert [(r, c) for r, c, _v, _m in problems_of(batch)] == [(2, "终止日期")]
    assert not DepartmentRecord.objects.exists()


def test_record_for_someone_not_in_the_registry_is_kept_only_as_a_review(officer, areas, tmp_path):
    batch = imported(write_csv(tmp_path / "a.csv", [SCHOOL_HEADER, [make_id(date(2015, 2, 2), 33), "小明", "2021-09-01",
                                                                    "", "第一小学", ""]]),
                     by=officer, source="school", area=areas["city"])
    assert not DepartmentRecord.objects.exists()
    assert list(MatchReview.objects.filter(batch=batch).values_list("outcome", flat=True)) == [
        MatchOutcome.NOT_IN_REGISTRY]


# --- (7b) child disability screening (0—14岁残疾儿童筛查) ---------------------------------------------

CHILD = make_id(date(2021, 4, 1), 33)


def test_screened_child_not_in_the_registry_opens_a_follow_up(officer, areas, tmp_path):
    path = write_csv(tmp_path / "a.csv", [SCREENING_HEADER, [CHILD, "小明", "2025-03-01", "听力", "市医院", "北疆社区"]])
    batch = imported(path, by=officer, source="child_screening", area=areas["city"])
    screening = ChildScreening.objects.get()
    assert (screening.id_number, screening.name, screening.birth_date, screening.screened_on, screening.finding,
            screening.institution, screening.area, screening.person, screening.follow_up, screening.batch_id) == (
        CHILD, "小明", date(2021, 4, 1), date(2025, 3, 1), "听力", "市医院", areas["beijiang"], None,
        ChildScreening.FollowUp.OPEN, batch.pk)
    assert not MatchReview.objects.exists(), "a child not yet registered is the point of the list, not a mismatch"


def test_screened_child_already_registered_is_marked_registered(officer, areas, tmp_path):
    child = make_person(by=officer, area=areas["beijiang"], name="小明", birth=date(2021, 4, 1), sequence=33)
    imported(write_csv(tmp_path / "a.csv", [SCREENING_HEADER, [CHILD, "小明", "2025-03-01", "听力", "", ""]]),
             by=officer, source="child_screening", area=areas["city"])
    screening = ChildScreening.objects.get()
    assert (screening.person, screening.follow_up) == (child, ChildScreening.FollowUp.REGISTERED)


def test_screening_without_a_community_is_placed_in_the_lists_area(officer, areas, tmp_path):
    imported(write_csv(tmp_path / "a.csv", [SCREENING_HEADER[:4], [CHILD, "小明", "2025-03-01", "听力"]]),
             by=officer, source="child_screening", area=areas["sumu"])
    assert ChildScreening.objects.get().area == areas["sumu"]


def test_child_over_the_screening_age_limit_is_a_row_error(officer, areas, tmp_path):
    teen = make_id(date(2009, 1, 1), 35)  # 16 at screening
    path = write_csv(tmp_path / "a.csv", [SCREENING_HEADER, [CHILD, "小明", "2025-03-01", "听力", "", ""],
                                          [teen, "小强", "2025-03-01", "智力", "", ""]])
    batch = imported(path, by=officer, source="child_screening", area=areas["city"])
    [(row, column, _value, message)] = problems_of(batch)
    assert (row, column) == (3, "筛查日期")
    assert "16 岁" in message and "0—14" in message
    assert list(ChildScreening.objects.values_list("id_number", flat=True)) == [CHILD]


def test_child_screened_the_day_before_turning_fifteen_is_within_the_limit(officer, areas, tmp_path):
    fourteen = make_id(date(2010, 3, 2), 35)  # 15 tomorrow
    fifteen = make_id(date(2010, 3, 1), 37)  # 15 today
    batch = imported(write_csv(tmp_path / "a.csv", [SCREENING_HEADER, [fourteen, "小强", "2025-03-01", "智力", "", ""],
                                                    [fifteen, "小刚", "2025-03-01", "智力", "", ""]]),
                     by=officer, source="child_screening", area=areas["city"])
    assert (batch.new_count, batch.error_rows) == (1, 1)
    assert [r for r, _c, _v, _m in problems_of(batch)] == [3]


def test_screening_age_limit_is_the_configured_parameter(officer, areas, tmp_path):
    Parameter.objects.create(key="children.screening_max_age", value=6, effective_from=date(2020, 1, 1),
                             source="国发〔2018〕20号")
    ten = make_id(date(2015, 1, 1), 35)
    batch = validated(write_csv(tmp_path / "a.csv", [SCREENING_HEADER, [CHILD, "小明", "2025-03-01", "听力", "", ""],
                                                     [ten, "小强", "2025-03-01", "智力", "", ""]]),
                      by=officer, source="child_screening", area=areas["city"])
    [(row, _column, _value, message)] = problems_of(batch)
    assert row == 3 and "0—6" in message


def test_screening_before_the_child_was_born_is_a_row_error(officer, areas, tmp_path):
    batch = validated(write_csv(tmp_path / "a.csv", [SCREENING_HEADER, [CHILD, "小明", "2021-03-01", "听力", "", ""]]),
                      by=officer, source="child_screening", area=areas["city"])
    assert [(r, c) for r, c, _v, _m in problems_of(batch)] == [(2, "筛查日期")]


def test_same_screening_sent_again_opens_no_second_follow_up(officer, areas, tmp_path):
    row = [CHILD, "小明", "2025-03-01", "听力", "市医院", ""]
    imported(write_csv(tmp_path / "a.csv", [SCREENING_HEADER, row]), by=officer, source="child_screening",
             area=areas["city"])
    batch = imported(write_xlsx(tmp_path / "b.xlsx", [SCREENING_HEADER, row]), by=officer, source="child_screening",
                     area=areas["city"])
    assert (batch.new_count, batch.unchanged_count) == (0, 1)
    assert ChildScreening.objects.count() == 1


def test_screening_with_an_invalid_id_is_a_match_review(officer, areas, tmp_path):
    batch = imported(write_csv(tmp_path / "a.csv", [SCREENING_HEADER, [CHILD, "小明", "2025-03-01", "听力", "", ""],
                                                    [CHILD[:17], "小红", "2025-03-01", "听力", "", ""]]),
                     by=officer, source="child_screening", area=areas["city"])
    assert list(MatchReview.objects.filter(batch=batch).values_list("row_number", "outcome")) == [
        (3, MatchOutcome.ID_INVALID)]


def test_screening_institution_longer_than_kept_is_reported_not_a_failed_commit(officer, areas, tmp_path):
    batch = imported(write_csv(tmp_path / "a.csv", [SCREENING_HEADER,
                                                    [CHILD, "小明", "2025-03-01", "听力", "医" * 100, ""],
                                                    [make_id(date(2021, 5, 1), 35), "小红", "2025-03-01", "听力",
                                                     "院" * 101, ""]]),
                     by=officer, source="child_screening", area=areas["city"])
    assert batch.state == State.COMMITTED
    assert [(r, c) for r, c, _v, _m in problems_of(batch)] == [(3, "筛查机构")]
    assert ChildScreening.objects.get().institution == "医" * 100
