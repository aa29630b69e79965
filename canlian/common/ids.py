"""Resident ID numbers (居民身份证号, GB 11643) and disability certificate numbers (残疾人证号)."""

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

_SEPARATORS = re.compile(r"[\s\-_]+")
_CERTIFICATE = re.compile(r"^(?P<id>\d{17}[\dX])(?P<category>[1-7])(?P<grade>[1-4])(?:B(?P<reissue>[1-9]\d?))?$")


class IdNumberError(ValueError):
    """An ID or certificate number that cannot be accepted; the message says why in Chinese."""


def clean_number(raw: str) -> str:
    """Turn a number the way officials type it (full-width, spaces, lowercase x) into plain ASCII."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return _SEPARATORS.sub("", text).upper()


def upgrade_legacy_id(fifteen: str) -> str:
    """Convert a first-generation 15-digit ID number to 18 digits (insert 19, add the check character)."""
    body = fifteen[:6] + "19" + fifteen[6:]
    return body + ric.calc_check_digit(body + "0")


def normalize_id_number(raw: str, *, today: date | None = None) -> str:
    """Return the 18-character ID number or raise IdNumberError with a message an officer can act on."""
    number = clean_number(raw)
    if not number:
        raise IdNumberError(_("请输入身份证号。"))
    if len(number) == 15 and number.isdigit():
        number = upgrade_legacy_id(number)
    if len(number) != 18:
        raise IdNumberError(_("身份证号应为18位（或旧版15位），现在是%(n)d位。") % {"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(_("身份证号只能包含数字，最后一位可以是 X。"))
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(_("身份证号中的出生日期（第7–14位）不是有效日期。")) from None
    if birth > (today or date.today()):
        raise IdNumberError(_("身份证号中的出生日期 %(d)s 在今天之后。") % {"d": birth.isoformat()})
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise IdNumberError(
            _("身份证号校验位错误：最后一位应为 %(x)s，请核对号码是否抄错。") % {"x": expected}
        )
    if not _known_birth_place(number[:10]):
        raise IdNumberError(_("身份证号前6位 %(code)s 不是有效的行政区划代码。") % {"code": number[:6]})
    return number


@functools.lru_cache(maxsize=65536)
def _known_birth_place(area_and_year: str) -> bool:
    """Whether the area code existed in the birth year (stdnum's table); cached: a list repeats few areas."""
    try:
        ric.get_birth_place(area_and_year + "0101" + "0000")
    except (stdnum_errors.ValidationError, KeyError):
        # KeyError: stdnum knows the province (e.g. 1525xx) but no county under it.
        return False
    return True


def id_number_for(area: str, birth: date, sequence: int) -> str:
    """Compose a valid 18-character ID number: area code, birth date, sequence (odd = male), check character."""
    body = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def birth_date_of(id_number: str) -> date:
    return ric.get_birth_date(id_number)


def sex_of(id_number: str) -> str:
    """Return 'M' or 'F' from the sequence digit (odd = male, even = female)."""
    return "M" if int(id_number[16]) % 2 else "F"


@dataclass(frozen=True)
class CertificateNumber:
    id_number: str
    category: int
    grade: int
    reissue: int  # 0 for the first card, n for the suffix Bn

    def __str__(self) -> str:
        return certificate_number_for(self.id_number, self.category, self.grade, self.reissue)


def certificate_number_for(id_number: str, category: int, grade: int, reissue: int = 0) -> str:
    """Compose the 20-character certificate number, with the Bn suffix of a reissued card."""
    return f"{id_number}{category}{grade}" + (f"B{reissue}" if reissue else "")


def parse_certificate_number(raw: str) -> CertificateNumber:
    """Split a certificate number into ID, category, grade and reissue count; raise if malformed."""
    number = clean_number(raw)
    match = _CERTIFICATE.match(number)
    if not match:
        raise IdNumberError(
            _("残疾人证号应为20位：18位身份证号 + 1位类别(1–7) + 1位等级(1–4)，补发证另加 B1、B2…")
        )
    return CertificateNumber(
        id_number=match["id"],
        category=int(match["category"]),
        grade=int(match["grade"]),
        reissue=int(match["reissue"] or 0),
    )
