"""Spreadsheets the way departments send them: XLSX, XLS and CSV in any of the encodings officials use.

Reading streams rows so memory stays flat as files grow (CSV fully; XLSX/XLS hold one sheet's cells, which
calamine keeps compactly in Rust). Writing escapes formulas so an exported name like "=cmd|…" stays text.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """A file that cannot be read as a table; the message tells the official what to do."""


@dataclass
class Table:
    """A readable table: its format, the number of data rows (for progress) and its rows, header first."""

    kind: str  # "xlsx", "xls" or "csv:<encoding>"
    row_count: int
    rows: Iterator[list]


def _csv_encoding(path: Path) -> str:
    """Detect UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GB18030 (a superset of GBK)."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _csv_table(path: Path) -> Table:
    encoding = _csv_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            sample = handle.read(64 * 1024)
            handle.seek(0)
            row_count = max(0, sum(1 for _ in csv.reader(handle)) - 1)
    except UnicodeDecodeError:
        raise SpreadsheetError(_("文件编码无法识别：请另存为“CSV UTF-8”或 Excel 工作簿后再上传。")) from None
    except csv.Error:
        raise SpreadsheetError(_("CSV 文件格式有误（引号不成对等）：请用 Excel 打开后另存为工作簿再上传。")) from None
    if "\x00" in sample:
        raise SpreadsheetError(_("文件不是表格（含有二进制内容）：请上传 Excel 工作簿（.xlsx/.xls）或 CSV 文件。"))
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter if sample else ","
    except csv.Error:
        delimiter = ","

    def rows() -> Iterator[list]:
        with path.open(encoding=encoding, newline="") as handle:
            yield from csv.reader(handle, delimiter=delimiter)

    return Table(kind=f"csv:{encoding}", row_count=row_count, rows=rows())


def _workbook_table(path: Path, kind: str) -> Table:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise SpreadsheetError(_("工作簿中没有工作表。"))
        sheet = workbook.get_sheet_by_index(0)
    except CalamineError as error:
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise SpreadsheetError(_("文件设有密码：请取消密码保护后再上传。")) from None
        raise SpreadsheetError(_("无法读取此 Excel 文件（文件可能已损坏）：请用 Excel 打开并另存后再上传。")) from None
    except Exception:  # calamine raises plain errors for some broken archives
        raise SpreadsheetError(_("无法读取此 Excel 文件（文件可能已损坏）：请用 Excel 打开并另存后再上传。")) from None
    return Table(kind=kind, row_count=max(0, sheet.height - 1), rows=sheet.iter_rows())


def read_table(path: Path) -> Table:
    """Open an XLSX, XLS or CSV file by its content (not its name) and return its first sheet's rows."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise SpreadsheetError(_("文件是空的：请检查是否选错了文件。"))
    if head.startswith(_ZIP):
        return _workbook_table(path, "xlsx")
    if head.startswith(_OLE):
        return _workbook_table(path, "xls")
    return _csv_table(path)


def safe_cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @) is written with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class XlsxWriter:
    """Write sheets row by row in constant memory; every text cell is written as text, escaped."""

    def __init__(self, target: str | Path | io.BytesIO):
        self.book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "in_memory": False})
        self.bold = self.book.add_format({"bold": True})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(self, name: str, header: list[str]):
        worksheet = self.book.add_worksheet(name[:31])
        worksheet.write_row(0, 0, header, self.bold)
        worksheet.freeze_panes(1, 0)
        worksheet.set_column(0, len(header) - 1, 16)
        return _Sheet(worksheet, self)

    def close(self) -> None:
        self.book.close()


class _Sheet:
    def __init__(self, worksheet, writer: XlsxWriter):
        self.worksheet = worksheet
        self.writer = writer
        self.next_row = 1

    def append(self, values: list) -> None:
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                self.worksheet.write_datetime(self.next_row, column, value, self.writer.date)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                self.worksheet.write_number(self.next_row, column, value)
            else:
                self.worksheet.write_string(self.next_row, column, safe_cell(str(value)))
        self.next_row += 1


def csv_line(values: list) -> list[str]:
    """One CSV row with the same formula escaping as the XLSX exports."""
    return [safe_cell("" if value is None else str(value)) for value in values]
