from canlian.common.masking import mask_certificate_number, mask_id_number


def test_id_number_shows_area_code_and_last_four_only():
    assert mask_id_number("15250119800101002X") == "152501********002X"


def test_short_id_number_is_masked_completely():
    assert mask_id_number("123456789") == "*********"
    assert mask_id_number("") == ""


def test_certificate_number_masks_the_id_part_and_keeps_category_grade_and_suffix():
    assert mask_certificate_number("15250119800101011842") == "152501********011842"
    assert mask_certificate_number("15250119800101011842B1") == "152501********011842B1"

