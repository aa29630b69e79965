"""Cells the way officials type them become clean values, or a Chinese message saying how to fix them."""

from datetime import date, datetime

import pytest

from canlian.exchange import values
from canlian.exchange.values import CellError
from canlian.registry.tests.factories import make_id

TODAY = date(2025, 7, 1)
ID = make_id(date(1980, 1, 1), 11)
ID_X = make_id(date(1992, 7, 15), 68)  # check character X
assert ID_X.endswith("X")


def _refusal(parse, *args, **kwargs) -> str:
    with pytest.raises(CellError) as excinfo:
        parse(*args, **kwargs)
    return str(excinfo.value)


# --- ID numbers (身份证号) -------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    ID,
    "".join(chr(ord(c) + 0xFEE0) for c in ID),  # full-width digits, as typed with a Chinese input method
    f"{ID[:6]} {ID[6:14]} {ID[14:]}",  # spaces inside the number
    f" {ID}\t",
    f"{ID[:6]}-{ID[6:14]}-{ID[14:]}",
])
def test_id_number_written_any_common_way_is_read_as_the_same_number(written):
    assert values.id_number(written, today=TODAY) == ID


def test_lowercase_x_check_character_is_accepted_as_capital_x():
    assert values.id_number(ID_X.lower(), today=TODAY) == ID_X


def test_full_width_lowercase_x_is_accepted():
    assert values.id_number(ID_X[:17] + "ｘ", today=TODAY) == ID_X


def test_legacy_fifteen_digit_id_is_upgraded_to_eighteen():
    fifteen = ID[:6] + ID[8:17]  # drop "19" and the check character
    assert values.id_number(fifteen, today=TODAY) == ID


def test_legacy_fifteen_digit_id_stored_by_excel_as_a_number_is_exact_and_upgraded():
    fifteen = ID[:6] + ID[8:17]
    assert values.id_number(float(fifteen), today=TODAY) == ID
    assert values.id_number(int(fifteen), today=TODAY) == ID


def test_eighteen_digit_id_stored_by_excel_as_a_number_is_refused_saying_digits_were_lost():
    message = _refusal(values.id_number, float(ID), today=TODAY)
    assert "存成了数字" in message and "文本" in message


def test_id_that_reached_a_csv_in_scientific_notation_is_refused_saying_excel_stored_it_as_a_number():
    # Excel shows an 18-digit number as 1.52501E+17 and saves the CSV that way.
    assert "存成了数字" in _refusal(values.id_number, "1.52501E+17", today=TODAY)


def test_wrong_check_character_is_refused_naming_the_right_one():
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")
    assert f"最后一位应为 {ID[17]}" in _refusal(values.id_number, wrong, today=TODAY)


def test_id_of_wrong_length_is_refused_with_its_length():
    assert "现在是17位" in _refusal(values.id_number, ID[:17], today=TODAY)


def test_id_born_after_today_is_refused():
    assert "之后" in _refusal(values.id_number, make_id(date(2025, 8, 1), 11), today=TODAY)


def test_id_with_an_invisible_bidi_character_inside_is_refused_not_silently_changed():
    assert "18位" in _refusal(values.id_number, ID[:9] + "\u202e" + ID[9:], today=TODAY)


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "1980-01-01", "1980-1-1", "1980/1/1", "1980/01/01", "1980.01.01", "1980.1.1", "1980年1月1日", "1980年01月01日",
    "1980年1月1", "19800101", 19800101, 19800101.0, "１９８０－０１－０１", " 1980-01-01 ", "1980 年 1 月 1 日",
    "1980-01-01T00:00:00", "1980-01-01 08:30:00", "1980/1/1 8:30",
    date(1980, 1, 1), datetime(1980, 1, 1, 8, 30),
])
def test_date_written_any_common_way_is_read(written):
    assert values.day(written) == date(1980, 1, 1)


def test_single_digit_month_and_day_with_dashes_is_read():
    assert values.day("2024-1-15") == date(2024, 1, 15)


def test_excel_date_serial_as_a_number_cell_is_read():
    assert values.day(29221) == date(1980, 1, 1)
    assert values.day(45000.0) == date(2023, 3, 15)


def test_excel_date_serial_that_reached_a_csv_as_text_is_read():
    assert values.day("29221") == date(1980, 1, 1)


def test_datetime_serial_with_a_time_of_day_keeps_its_day():
    assert values.day(29221.75) == date(1980, 1, 1)


@pytest.mark.parametrize("written", ["1980-02-30", "1980-13-01", "明年", "80-1-1", "2024/31/12", -5, 123456789])
def test_impossible_or_unreadable_date_is_refused_with_the_accepted_forms(written):
    message = _refusal(values.day, written)
    assert "日期" in message
    assert "1980-01-01" in message


def test_month_written_with_a_single_digit_is_that_month_not_an_excel_serial():
    assert values.month("2026-1") == date(2026, 1, 1)


@pytest.mark.parametrize("written", ["2026-11", "2026/11", "2026.11", "2026年11月", "202611", "2026-11-20", 46346])
def test_month_written_any_common_way_is_its_first_day(written):
    assert values.month(written) == date(2026, 11, 1)


# --- categories and grades (残疾类别、等级) ----------------------------------------------------------


@pytest.mark.parametrize(("written", "code"), [
    ("肢体", 4), ("肢体残疾", 4), ("肢残", 4), ("视力", 1), ("视力残疾", 1), ("低视力", 1), ("盲", 1),
    ("听力", 2), ("言语", 3), ("智力", 5), ("精神", 6), ("精神类", 6), ("多重", 7), ("多重残疾", 7),
    ("4", 4), (4, 4), (4.0, 4), ("７", 7),
])
def test_category_written_as_a_word_or_a_code_is_read(written, code):
    assert values.category(written) == code


@pytest.mark.parametrize("written", ["8", 0, "残", "腿脚不便", "四"])
def test_unknown_category_is_refused_listing_the_accepted_words(written):
    assert "肢体" in _refusal(values.category, written)


@pytest.mark.parametrize(("written", "code"), [
    ("一级", 1), ("二级", 2), ("三级", 3), ("四级", 4), ("4级", 4), ("4", 4), (4, 4), (2.0, 2), ("贰级", 2),
    ("肆级", 4), ("四", 4), ("Ⅱ级", 2), ("Ⅳ级", 4), ("III级", 3), ("２级", 2),
])
def test_grade_written_as_a_word_or_a_code_is_read(written, code):
    assert values.grade(written) == code


@pytest.mark.parametrize("written", ["五级", "0", 5, "重度", "特级"])
def test_unknown_grade_is_refused_listing_the_accepted_words(written):
    assert "四级" in _refusal(values.grade, written)


# --- text and choices ---------------------------------------------------------------------------


def test_text_folds_full_width_and_collapses_spaces():
    assert values.text("  ＡＢＣ　１２３  x ") == "ABC 123 x"


def test_text_removes_invisible_and_bidi_control_characters():
    assert values.text("张\u202e三\u200b丰\u2066\x07") == "张三丰"


def test_whole_number_read_as_a_float_is_written_without_decimals():
    assert values.text(3.0) == "3"


def test_text_longer_than_allowed_is_refused_with_both_lengths():
    message = _refusal(values.text, "字" * 10_000, max_length=200)
    assert "10000" in message and "200" in message


def test_choice_maps_a_word_to_its_code():
    assert values.choice("特困", {"低保": "dibao", "特困": "extreme_poverty"}, label="救助类型") == "extreme_poverty"


def test_unknown_choice_is_refused_naming_the_label_and_every_accepted_word():
    message = _refusal(values.choice, "救济", {"低保": "dibao", "特困": "extreme_poverty"}, label="救助类型")
    assert "救助类型" in message and "低保" in message and "特困" in message and "救济" in message


@pytest.mark.parametrize("written", ["2024", 2024, 2024.0])
def test_year_alone_is_refused_rather_than_read_as_a_day_in_1905(written):
    assert "只有年份" in _refusal(values.day, written)
