"""Files the exchange writes: import templates, error reports, and the registry for the regional/national systems.

Every file is written row by row (XlsxWriter in constant memory into a temporary file, JSON streamed), so
memory stays flat however many persons an area has. Text cells are formula-escaped by common.spreadsheets.
"""

import json
import re
import tempfile
from collections.abc import Iterator
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canlian.areas.models import Area
from canlian.common.spreadsheets import XlsxWriter
from canlian.exchange.models import ImportBatch
from canlian.exchange.sources import Source
from canlian.registry.choices import CertificateStatus
from canlian.registry.models import Certificate, Person
from canlian.registry.selectors import person_queryset

CHUNK = 2000
_TEXT_TARGETS = {"id_number", "data.certificate_number", "data.phone"}  # Excel would turn these into numbers


def sheet_name(text: str) -> str:
    """A worksheet or file name without the characters Excel and file systems refuse (/, :, *, ?, …)."""
    return re.sub(r'[\\/:*?"<>|\[\]]', "、", text)


def _spool():
    """A temporary file that disappears when closed (FileResponse closes it after sending)."""
    return tempfile.NamedTemporaryFile(suffix=".xlsx")


def source_template(source: Source):
    """An empty list for a source: one header row of its column labels, ID-like columns formatted as text."""
    handle = _spool()
    writer = XlsxWriter(handle)
    sheet = writer.sheet(sheet_name(str(source.label)), [str(column.label) for column in source.columns])
    text = writer.book.add_format({"num_format": "@"})
    for index, column in enumerate(source.columns):
        if column.target in _TEXT_TARGETS:
            sheet.worksheet.set_column(index, index, 22, text)
    writer.close()
    handle.seek(0)
    return handle


def error_report(batch: ImportBatch, rows: QuerySet) -> tuple[object, int]:
    """The rows that will not be imported, one line per problem, followed by the row's cells as they were sent.

    The file's own header row is not kept, so the original cells are headed 原始第1列, 原始第2列, …
    """
    width = 0
    for raw in rows.values_list("raw", flat=True).iterator(chunk_size=CHUNK):
        width = max(width, len(raw or []))
    handle = _spool()
    writer = XlsxWriter(handle)
    header = [_("行号"), _("列"), _("填写的值"), _("问题说明")]
    header += [_("原始第%(n)d列") % {"n": n} for n in range(1, width + 1)]
    sheet = writer.sheet(_("有问题的行"), [str(h) for h in header])
    lines = 0
    for row in rows.iterator(chunk_size=CHUNK):
        cells = list(row.raw or [])
        for problem in row.problems or [{"column": "", "value": "", "message": ""}]:
            sheet.append([row.row_number, problem.get("column", ""), problem.get("value", ""),
                          problem.get("message", ""), *cells])
            lines += 1
    writer.close()
    handle.seek(0)
    return handle, lines


# --- the registry for the regional/national systems (残疾人人口基础库) ------------------------------

# (JSON key, XLSX header); the XLSX shows labels as officials read them, the JSON gives codes.
COLUMNS = [
    ("id_number", gettext_lazy("身份证号")), ("name", gettext_lazy("姓名")), ("sex", gettext_lazy("性别")),
    ("ethnicity", gettext_lazy("民族")), ("birth_date", gettext_lazy("出生日期")),
    ("hukou_type", gettext_lazy("户籍类型")), ("residence_area_name", gettext_lazy("居住社区")),
    ("residence_area_code", gettext_lazy("居住社区代码")), ("address", gettext_lazy("居住地址")),
    ("phone", gettext_lazy("联系电话")), ("life_status", gettext_lazy("人员状态")),
    ("certificate_number", gettext_lazy("残疾人证号")), ("category", gettext_lazy("残疾类别")),
    ("grade", gettext_lazy("残疾等级")), ("issued_on", gettext_lazy("发证日期")),
    ("valid_until", gettext_lazy("有效期至")), ("certificate_status", gettext_lazy("证件状态")),
]


def registry_persons(*, user, area: Area) -> QuerySet[Person]:
    """The persons living in an area (within the user's scope), each with their certificates, in ID order."""
    certificates = Certificate.objects.order_by("-status_since", "-pk")
    return (person_queryset(user=user).filter(residence_area__path__startswith=area.path)
            .select_related("residence_area").prefetch_related(Prefetch("certificates", queryset=certificates))
            .order_by("id_number"))


def _current(person: Person) -> Certificate | None:
    """The card that speaks for the person (as registry.selectors.certificate_current), from the prefetch."""
    cards = list(person.certificates.all())
    return next((c for c in cards if c.status == CertificateStatus.VALID), None) or (cards[0] if cards else None)


def _record(person: Person, today: date) -> dict[str, tuple]:
    """Each column as (code, label): the JSON takes the code, the spreadsheet the label."""
    card = _current(person)
    area = person.residence_area
    values = {
        "id_number": (person.id_number, person.id_number), "name": (person.name, person.name),
        "sex": (person.sex, person.get_sex_display()),
        "ethnicity": (person.ethnicity, person.get_ethnicity_display()),
        "birth_date": (person.birth_date, person.birth_date),
        "hukou_type": (person.hukou_type, person.get_hukou_type_display()),
        "residence_area_name": (area.name, area.name), "residence_area_code": (area.code, area.code),
        "address": (person.address, person.address), "phone": (person.phone, person.phone),
        "life_status": (person.life_status, person.get_life_status_display()),
    }
    if card is None:
        values.update({key: (None, "") for key in ("certificate_number", "category", "grade", "issued_on",
                                                     "valid_until", "certificate_status")})
    else:
        status = card.status_on(today)
        values.update({
            "certificate_number": (card.number, card.number),
            "category": (card.category, card.get_category_display()),
            "grade": (card.grade, card.get_grade_display()),
            "issued_on": (card.issued_on, card.issued_on), "valid_until": (card.valid_until, card.valid_until),
            "certificate_status": (status, CertificateStatus(status).label),
        })
    return values


def registry_xlsx(persons: QuerySet[Person]):
    """The registry as the spreadsheet officials upload: one row per person, full ID numbers as text."""
    today = timezone.localdate()
    handle = _spool()
    writer = XlsxWriter(handle)
    sheet = writer.sheet(_("残疾人名册"), [str(label) for _key, label in COLUMNS])
    count = 0
    for person in persons.iterator(chunk_size=CHUNK):
        record = _record(person, today)
        sheet.append([record[key][1] for key, _label in COLUMNS])
        count += 1
    writer.close()
    handle.seek(0)
    return handle, count


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def registry_json(persons: QuerySet[Person]) -> Iterator[str]:
    """The registry as a JSON array written one person at a time (codes, ISO dates)."""
    today = timezone.localdate()
    yield "[\n"
    first = True
    for person in persons.iterator(chunk_size=CHUNK):
        record = _record(person, today)
        line = json.dumps({key: _json_value(record[key][0]) for key, _label in COLUMNS}, ensure_ascii=False)
        yield line if first else ",\n" + line
        first = False
    yield "\n]\n"
