"""The declaration's list of disabled employees as a spreadsheet (XLSX, XLS or CSV in any encoding)."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from canlian.common.spreadsheets import XlsxWriter, read_table
from canlian.employment.services import MAX_EMPLOYEES, EmployeeRow, employee_row_clean
from canlian.exchange.sources import header_key

# Field → the headers it is known by (the first is the template's).
COLUMNS = {
    "certificate_number": ("残疾人证号", "证号", "残疾证号", "身份证号"),
    "name": ("姓名", "职工姓名"),
    "monthly_wage": ("月工资", "月工资（元）", "工资"),
    "social_insurance": ("是否缴纳社会保险", "缴纳社会保险", "社会保险", "社保"),
    "contract_one_year": ("劳动合同一年以上", "劳动合同", "合同一年以上"),
}


def employees_read(path: Path) -> tuple[list[EmployeeRow], list[str]]:
    """Every row of the list checked; returns the rows and, for each bad row, a message naming it."""
    table = read_table(path)
    rows = iter(table.rows)
    header = [header_key(cell) for cell in next(rows, [])]
    index = {}
    for field, names in COLUMNS.items():
        found = [header.index(header_key(name)) for name in names if header_key(name) in header]
        if not found:
            return [], [_("第一行缺少“%(c)s”列：请使用本平台的名单模板。") % {"c": names[0]}]
        index[field] = found[0]
    employees, errors = [], []
    for number, cells in enumerate(rows, start=2):
        if not any(str(value).strip() for value in cells if value is not None):
            continue
        if len(employees) + len(errors) >= MAX_EMPLOYEES:
            return [], [_("名单超过 %(n)d 行：一份申报最多 %(n)d 名残疾职工。") % {"n": MAX_EMPLOYEES}]
        values = {field: cells[column] if column < len(cells) and cells[column] is not None else ""
                  for field, column in index.items()}
        try:
            employees.append(employee_row_clean(**values))
        except ValidationError as error:
            problems = "；".join(message for messages in error.message_dict.values() for message in messages)
            errors.append(_("第 %(row)d 行：%(problems)s") % {"row": number, "problems": problems})
    if not employees and not errors:
        errors.append(_("名单中没有残疾职工：请在第一行标题下逐行填写。"))
    return (employees if not errors else []), errors


def employees_template() -> bytes:
    """The list's template: the headers the reader knows, in Chinese whatever the page's language."""
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer)
    writer.sheet("残疾职工名单", [names[0] for names in COLUMNS.values()])
    writer.close()
    return buffer.getvalue()
