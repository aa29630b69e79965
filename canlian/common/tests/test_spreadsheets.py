"""Department files open whatever their format and encoding; exported cells never run as formulas."""

import io
import zipfile
from datetime import date, datetime

import pytest
from python_calamine import CalamineWorkbook

from canlian.common.spreadsheets import SpreadsheetError, XlsxWriter, csv_line, read_table, safe_cell
from canlian.exchange.tests.factories import write_csv, write_xls, write_xlsx

ROWS = [["身份证号", "姓名", "救助类型", "起始日期"],
        ["152501198001010118", "张三丰", "低保", "2024-01-01"],
        ["15250119920715068X", "乌云其其格", "特困", "2024/2/1"]]


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "kind"), [
    ("utf-8", "csv:utf-8"), ("utf-8-sig", "csv:utf-8-sig"), ("gbk", "csv:gb18030"), ("gb18030", "csv:gb18030"),
    ("utf-16", "csv:utf-16"),
])
def test_csv_in_any_encoding_officials_use_is_detected_and_read(tmp_path, encoding, kind):
    table = read_table(write_csv(tmp_path / "名单.csv", ROWS, encoding=encoding))
    assert table.kind == kind
    assert list(table.rows) == ROWS
    assert table.row_count == 2


def test_utf8_bom_does_not_stick_to_the_first_header(tmp_path):
    table = read_table(write_csv(tmp_path / "名单.csv", ROWS, encoding="utf-8-sig"))
    assert next(table.rows)[0] == "身份证号"


def test_gbk_file_larger_than_one_read_chunk_is_detected(tmp_path):
    # The UTF-8 check reads 1 MiB at a time; a GBK character may straddle a chunk boundary.
    rows = [ROWS[0]] + [["152501198001010118", "张三丰" * 20, "低保", "2024-01-01"]] * 12_000
    table = read_table(write_csv(tmp_path / "big.csv", rows, encoding="gbk"))
    assert table.kind == "csv:gb18030"
    assert table.row_count == 12_000


def test_gb18030_only_characters_are_read(tmp_path):
    rows = [["身份证号", "姓名"], ["152501198001010118", "𠀀䶮"]]  # outside GBK, inside GB18030
    table = read_table(write_csv(tmp_path / "名单.csv", rows, encoding="gb18030"))
    assert list(table.rows)[1][1] == "𠀀䶮"


def test_tab_separated_unicode_text_from_excel_is_read(tmp_path):
    # Excel's "Unicode 文本" export: UTF-16 with tabs.
    table = read_table(write_csv(tmp_path / "名单.txt", ROWS, encoding="utf-16", delimiter="\t"))
    assert list(table.rows) == ROWS


def test_semicolon_separated_csv_is_read(tmp_path):
    table = read_table(write_csv(tmp_path / "名单.csv", ROWS, encoding="utf-8", delimiter=";"))
    assert list(table.rows) == ROWS


def test_quoted_cell_with_a_comma_stays_one_cell(tmp_path):
    rows = [["身份证号", "姓名", "说明"], ["152501198001010118", "张三丰", "北疆社区, 3号楼"]]
    assert list(read_table(write_csv(tmp_path / "名单.csv", rows)).rows) == rows


def test_xlsx_is_read_with_typed_cells(tmp_path):
    rows = [["身份证号", "姓名", "起始日期", "人数"], ["152501198001010118", "张三丰", date(2024, 1, 1), 3]]
    table = read_table(write_xlsx(tmp_path / "名单.xlsx", rows))
    assert table.kind == "xlsx"
    assert table.row_count == 1
    header, row = list(table.rows)
    assert header == rows[0]
    assert row[:2] == ["152501198001010118", "张三丰"]
    assert row[2] == date(2024, 1, 1)
    assert row[3] == 3


def test_xlsx_datetime_cell_is_read_as_a_datetime(tmp_path):
    rows = [["日期"], [datetime(2024, 1, 1, 8, 30)]]
    assert list(read_table(write_xlsx(tmp_path / "a.xlsx", rows)).rows)[1][0] == datetime(2024, 1, 1, 8, 30)


def test_legacy_xls_is_read(tmp_path):
    rows = [["身份证号", "姓名", "起始日期"], ["152501198001010118", "张三丰", date(2024, 1, 1)]]
    table = read_table(write_xls(tmp_path / "名单.xls", rows))
    assert table.kind == "xls"
    header, row = list(table.rows)
    assert header == rows[0]
    assert row[:2] == ["152501198001010118", "张三丰"]
    assert row[2] == date(2024, 1, 1)


def test_format_is_told_by_content_not_by_the_file_name(tmp_path):
    xlsx_named_csv = write_xlsx(tmp_path / "名单.csv", ROWS)
    csv_named_xlsx = write_csv(tmp_path / "名单.xlsx", ROWS)
    assert read_table(xlsx_named_csv).kind == "xlsx"
    assert read_table(csv_named_xlsx).kind == "csv:utf-8"


def test_blank_rows_above_the_table_keep_excel_row_numbers(tmp_path):
    rows = [[], [], ["身份证号", "姓名"], ["152501198001010118", "张三丰"]]
    table_rows = list(read_table(write_xlsx(tmp_path / "a.xlsx", rows)).rows)
    assert table_rows[2] == ["身份证号", "姓名"]  # Excel row 3 is the third row read


def test_empty_file_is_refused_saying_it_is_empty(tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    with pytest.raises(SpreadsheetError, match="空"):
        read_table(path)


def test_broken_zip_that_claims_to_be_xlsx_is_refused_with_advice(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(write_xlsx(tmp_path / "ok.xlsx", ROWS).read_bytes()[:300])
    with pytest.raises(SpreadsheetError, match="另存"):
        read_table(path)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(SpreadsheetError, match="Excel"):
        read_table(path)


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 8,
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\x00\x01\x02\xff\xfe\nendstream",
    bytes(range(256)) * 16,
])
def test_binary_file_that_is_not_a_spreadsheet_is_refused_with_a_message(tmp_path, content):
    path = tmp_path / "照片.csv"
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError) as excinfo:
        table = read_table(path)
        list(table.rows)
    assert "上传" in str(excinfo.value)


def test_ole_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(SpreadsheetError, match="Excel"):
        read_table(path)


# --- writing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "written"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ('=HYPERLINK("http://evil.example","点击")', '\'=HYPERLINK("http://evil.example","点击")'),
    ("+86 479", "'+86 479"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("张三丰", "张三丰"),
    ("a=b", "a=b"),
])
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_escaped(value, written):
    assert safe_cell(value) == written


def test_numbers_are_not_escaped():
    assert safe_cell(-5) == -5


def test_exported_workbook_keeps_a_formula_like_name_as_inert_text(tmp_path):
    path = tmp_path / "导出.xlsx"
    writer = XlsxWriter(path)
    sheet = writer.sheet("错误报告", ["行号", "姓名", "日期", "数量"])
    sheet.append([2, "=cmd|' /C calc'!A0", date(2024, 1, 1), -3])
    sheet.append([3, "张三丰", None, ""])
    writer.close()
    sheet_read = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    header, first, second = sheet_read.to_python()
    assert header == ["行号", "姓名", "日期", "数量"]
    assert first[1] == "'=cmd|' /C calc'!A0"
    assert first[2] == date(2024, 1, 1)
    assert first[0] == 2 and first[3] == -3
    assert second[:2] == [3, "张三丰"]
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no cell is stored as a formula


def test_workbook_can_be_written_to_memory(tmp_path):
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer)
    writer.sheet("名单", ["姓名"]).append(["+1"])
    writer.close()
    path = tmp_path / "m.xlsx"
    path.write_bytes(buffer.getvalue())
    assert list(read_table(path).rows) == [["姓名"], ["'+1"]]


def test_long_sheet_name_is_cut_to_excels_limit(tmp_path):
    path = tmp_path / "a.xlsx"
    writer = XlsxWriter(path)
    writer.sheet("名" * 40, ["姓名"])
    writer.close()
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["名" * 31]


def test_csv_line_escapes_formulas_like_the_workbook():
    assert csv_line(["=1+1", None, 3, "张三丰"]) == ["'=1+1", "", "3", "张三丰"]
