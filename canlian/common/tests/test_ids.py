from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from canlian.common.ids import (
    CertificateNumber,
    IdNumberError,
    birth_date_of,
    certificate_number_for,
    clean_number,
    normalize_id_number,
    parse_certificate_number,
    sex_of,
    upgrade_legacy_id,
)
from canlian.registry.tests.factories import make_id

TODAY = date(2024, 6, 1)
VALID = "152501198001010118"  # 二连浩特市, born 1980-01-01, sequence 011 (male)
ENDS_IN_X = "15250119800101002X"  # sequence 002 (female), check character X


def _with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_valid_id_number_is_returned_unchanged():
    assert normalize_id_number(VALID, today=TODAY) == VALID


def test_id_number_with_x_check_character_is_valid():
    assert normalize_id_number(ENDS_IN_X, today=TODAY) == ENDS_IN_X


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(IdNumberError) as error:
        normalize_id_number(VALID[:17] + "2", today=TODAY)
    assert "校验位" in str(error.value)
    assert "最后一位应为 8" in str(error.value)


def test_wrong_check_character_where_x_is_expected_says_x():
    with pytest.raises(IdNumberError, match="最后一位应为 X"):
        normalize_id_number(ENDS_IN_X[:17] + "0", today=TODAY)


def test_full_width_digits_are_accepted():
    assert normalize_id_number("１５２５０１１９８００１０１０１１８", today=TODAY) == VALID


def test_full_width_x_is_accepted():
    assert normalize_id_number(_full_width(ENDS_IN_X.lower()), today=TODAY) == ENDS_IN_X


def test_spaces_and_dashes_inside_are_ignored():
    assert normalize_id_number(" 152501 19800101 0118 ", today=TODAY) == VALID
    assert normalize_id_number("152501-19800101-0118", today=TODAY) == VALID
    assert normalize_id_number("152501\u300019800101\u30000118", today=TODAY) == VALID  # ideographic space


def test_lowercase_x_is_read_as_uppercase():
    assert normalize_id_number(ENDS_IN_X.lower(), today=TODAY) == ENDS_IN_X


def test_legacy_fifteen_digit_number_is_converted_to_eighteen():
    assert upgrade_legacy_id("152501800101011") == VALID
    assert normalize_id_number("152501800101011", today=TODAY) == VALID


def test_legacy_fifteen_digit_number_in_full_width_is_converted():
    assert normalize_id_number("１５２５０１８００１０１０１１", today=TODAY) == VALID


def test_empty_input_asks_for_the_number():
    with pytest.raises(IdNumberError, match="请输入身份证号"):
        normalize_id_number("   ", today=TODAY)


@pytest.mark.parametrize("raw", ["15250119800101011", "1525011980010101188", "1525018001010"])
def test_wrong_length_says_how_many_digits_were_typed(raw):
    with pytest.raises(IdNumberError) as error:
        normalize_id_number(raw, today=TODAY)
    assert f"现在是{len(raw)}位" in str(error.value)


def test_letters_inside_the_number_are_refused():
    with pytest.raises(IdNumberError, match="只能包含数字"):
        normalize_id_number("15250119800101A118", today=TODAY)


@pytest.mark.parametrize("birth", ["19800230", "19810229", "19801301", "19800001", "19800132"])
def test_impossible_birth_date_is_refused(birth):
    with pytest.raises(IdNumberError, match="出生日期"):
        normalize_id_number(_with_check(f"152501{birth}011"), today=TODAY)


def test_leap_day_birth_date_is_accepted():
    number = _with_check("15250119800229011")
    assert normalize_id_number(number, today=TODAY) == number
    assert birth_date_of(number) == date(1980, 2, 29)


def test_future_birth_date_is_refused():
    number = _with_check("15250120240602011")
    with pytest.raises(IdNumberError, match="2024-06-02 在今天之后"):
        normalize_id_number(number, today=TODAY)


def test_birth_date_today_is_accepted():
    number = _with_check("15250120240601011")
    assert normalize_id_number(number, today=TODAY) == number


@pytest.mark.parametrize("area", ["000000", "999999", "152502", "152599", "159999"])
def test_unknown_area_code_is_refused(area):
    # 152599 / 159999: the province exists but the county does not; must still read as a bad area code.
    with pytest.raises(IdNumberError, match=f"前6位 {area} 不是有效的行政区划代码"):
        normalize_id_number(_with_check(f"{area}19800101011"), today=TODAY)


@pytest.mark.parametrize("area", ["152501", "152500", "150000"])
def test_erenhot_league_and_region_codes_are_valid(area):
    number = _with_check(f"{area}19800101011")
    assert normalize_id_number(number, today=TODAY) == number


def test_sex_comes_from_the_sequence_digit():
    assert sex_of(VALID) == "M"
    assert sex_of(ENDS_IN_X) == "F"


def test_clean_number_handles_full_width_spaces_and_case():
    assert clean_number("１５２５ ０１-x") == "152501X"
    assert clean_number(None) == ""


def test_certificate_number_is_id_plus_category_and_grade():
    assert certificate_number_for(VALID, 4, 2) == VALID + "42"
    assert certificate_number_for(VALID, 4, 2, reissue=1) == VALID + "42B1"


def test_certificate_number_parses_into_its_parts():
    assert parse_certificate_number(VALID + "42") == CertificateNumber(VALID, 4, 2, 0)


def test_reissued_certificate_number_parses_its_b_suffix():
    parsed = parse_certificate_number(VALID + "71B1")
    assert (parsed.id_number, parsed.category, parsed.grade, parsed.reissue) == (VALID, 7, 1, 1)
    assert parse_certificate_number(VALID + "71B12").reissue == 12


def test_certificate_number_typed_loosely_is_cleaned():
    parsed = parse_certificate_number(" " + ENDS_IN_X.lower() + " 3 4 b2")
    assert str(parsed) == ENDS_IN_X + "34B2"


@pytest.mark.parametrize("raw", [
    VALID,  # no category and grade
    VALID + "82",  # category 8 does not exist
    VALID + "45",  # grade 5 does not exist
    VALID + "40",  # grade 0 does not exist
    VALID + "42B0",  # reissues count from 1
    VALID + "42C1",
    VALID[:17] + "Y42",
])
def test_malformed_certificate_number_is_refused_with_the_expected_shape(raw):
    with pytest.raises(IdNumberError, match="残疾人证号应为20位"):
        parse_certificate_number(raw)


# Codes whose county exists for every birth year 1900–today.
_AREAS = st.sampled_from(["152501", "152500", "150000", "110101"])
_FORMS = st.sampled_from(["plain", "full_width", "lower", "spaced"])


@given(
    area=_AREAS,
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
    form=_FORMS,
)
def test_any_valid_id_round_trips_and_yields_birth_date_and_sex(area, birth, sequence, form):
    number = make_id(birth, sequence, area)
    typed = {
        "plain": number,
        "full_width": _full_width(number),
        "lower": number.lower(),
        "spaced": f"{number[:6]} {number[6:14]} {number[14:]}",
    }[form]
    assert normalize_id_number(typed, today=TODAY) == number
    assert birth_date_of(number) == birth
    assert sex_of(number) == ("M" if sequence % 2 else "F")


@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
       sequence=st.integers(min_value=0, max_value=999))
def test_any_legacy_number_upgrades_to_the_eighteen_digit_one(birth, sequence):
    eighteen = make_id(birth, sequence)
    fifteen = eighteen[:6] + eighteen[8:17]
    assert normalize_id_number(fifteen, today=TODAY) == eighteen
