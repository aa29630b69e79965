"""Builders for exchange tests: real department files written to disk and real batches run through the services."""

import csv
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
import xlwt

from canlian.exchange import services
from canlian.exchange.models import ImportBatch

# Headers as departments write them (the canonical Chinese names; synonyms are tested separately).
ASSISTANCE_HEADER = ["身份证号", "姓名", "救助类型", "起始日期"]
LIFE_EVENTS_HEADER = ["身份证号", "姓名", "变动类型", "变动日期", "说明"]
MEDICAL_HEADER = ["身份证号", "姓名", "参保日期", "终止日期", "参保险种"]
PENSION_HEADER = ["身份证号", "姓名", "参保日期", "终止日期", "经办机构"]
EMPLOYMENT_HEADER = ["身份证号", "姓名", "就业登记日期", "终止日期", "用人单位", "就业形式"]
SCHOOL_HEADER = ["身份证号", "姓名", "入学日期", "终止日期", "学校", "就读方式"]
FAMILY_DOCTOR_HEADER = ["身份证号", "姓名", "签约日期", "终止日期", "签约机构"]
SCREENING_HEADER = ["身份证号", "姓名", "筛查日期", "筛查结果", "筛查机构", "所在社区"]
LEGACY_HEADER = ["身份证号", "姓名", "居住社区", "残疾类别", "残疾等级", "发证日期", "残疾人证号"]


def write_xlsx(path: Path, rows: list[list], *, text_columns: tuple[int, ...] = ()) -> Path:
    """An Excel workbook as a department's clerk saves it: dates as date cells, numbers as numbers.

    Columns listed in `text_columns` are written as text even when they look like numbers (a column set to
    "文本" format); elsewhere ints and floats become number cells, as Excel stores a typed-in number.
    """
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    sheet = book.add_worksheet("名单")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, datetime_format)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, int | float) and not isinstance(value, bool) and c not in text_columns:
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return path


def write_xls(path: Path, rows: list[list]) -> Path:
    """A legacy Excel 97–2003 workbook (.xls), as many county systems still export."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """A CSV file in the given encoding ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16")."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
    return path


def batch_create(path: Path, *, by, source: str, area, list_date: date = date(2025, 6, 30)) -> ImportBatch:
    return services.import_batch_create(by=by, source=source, area=area, list_date=list_date,
                                        chunks=[path.read_bytes()], file_name=path.name)


def validated(path: Path, *, by, source: str, area, list_date: date = date(2025, 6, 30)) -> ImportBatch:
    """Receive and validate a file (the dry run); the batch comes back in its new state."""
    batch = batch_create(path, by=by, source=source, area=area, list_date=list_date)
    return services.import_validate(batch=batch)


def imported(path: Path, *, by, source: str, area, list_date: date = date(2025, 6, 30)) -> ImportBatch:
    """Receive, validate and commit a file; asserts the dry run accepted it."""
    batch = validated(path, by=by, source=source, area=area, list_date=list_date)
    assert batch.state == ImportBatch.State.VALIDATED, batch.message
    return services.import_commit(batch=batch, by=by)


def problems_of(batch: ImportBatch) -> list[tuple[int, str, str, str]]:
    """Every reported problem as (row number, column, value, message), in row order."""
    return [(row.row_number, p["column"], p["value"], p["message"])
            for row in batch.rows.filter(valid=False).order_by("row_number") for p in row.problems or []]


def rows_by_number(batch: ImportBatch) -> dict:
    return {row.row_number: row for row in batch.rows.all()}
