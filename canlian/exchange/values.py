"""Cell values the way officials write them, turned into clean values or a Chinese message saying how to fix them.

Each parser takes the raw cell (str, float, int, date or datetime, as calamine or csv gives it) and returns
the clean value, or raises CellError. An empty cell is "" by the time a parser sees it.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from canlian.common.ids import IdNumberError, clean_number, normalize_id_number
from canlian.registry.choices import Category, Grade

_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
_DATE_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
]
_TIME_OF_DAY = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")  # "2024-01-01 08:00:00" from a datetime
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$")  # "1.52501E+17": Excel's display of a long number, saved to CSV
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                     "壹": 1, "贰": 2, "叁": 3, "肆": 4, "Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4,
                     "I": 1, "II": 2, "III": 3, "IV": 4}  # text() folds Ⅱ to II (NFKC)
_CATEGORY_WORDS = {
    "视力": Category.VISION, "视残": Category.VISION, "盲": Category.VISION, "低视力": Category.VISION,
    "听力": Category.HEARING, "听残": Category.HEARING, "聋": Category.HEARING,
    "言语": Category.SPEECH, "语言": Category.SPEECH,
    "肢体": Category.PHYSICAL, "肢残": Category.PHYSICAL,
    "智力": Category.INTELLECTUAL, "智残": Category.INTELLECTUAL,
    "精神": Category.MENTAL, "精残": Category.MENTAL,
    "多重": Category.MULTIPLE,
}


class CellError(ValueError):
    """A cell that cannot be accepted; the message says what is wrong and how to fix it."""


def text(raw, *, max_length: int = 100) -> str:
    """Plain text: full-width folded, invisible and bidi control characters removed, spaces collapsed."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = CONTROL.sub("", unicodedata.normalize("NFKC", str(raw)))
    value = " ".join(value.split())
    if len(value) > max_length:
        raise CellError(_("内容过长（%(n)d 字），最多 %(max)d 字。") % {"n": len(value), "max": max_length})
    return value


def id_number(raw, *, today: date) -> str:
    """An 18-character ID number from whatever was typed: full-width, spaces, lowercase x, 15-digit legacy."""
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        if isinstance(raw, float) and (not raw.is_integer() or raw >= 1e15):
            # Excel keeps 15 significant digits: the last digits of an 18-digit number are already lost.
            raise CellError(_("身份证号被 Excel 存成了数字，末几位已丢失：请把此列设为“文本”格式，重新填写号码。"))
        raw = str(int(raw))
    elif _SCIENTIFIC.match(clean_number(raw)):
        raise CellError(_("身份证号被 Excel 存成了数字，末几位已丢失：请把此列设为“文本”格式，重新填写号码。"))
    try:
        return normalize_id_number(str(raw), today=today)
    except IdNumberError as error:
        raise CellError(str(error)) from None


def _date_text(raw) -> str:
    """A date as typed, full-width folded, without a time of day or spaces (not clean_number: '-' separates)."""
    value = CONTROL.sub("", unicodedata.normalize("NFKC", str(raw))).strip()
    return "".join(_TIME_OF_DAY.sub("", value).split())


def day(raw) -> date:
    """A date written as an Excel serial, 1980-01-01, 1980/1/1, 1980.01.01, 1980年1月1日 or 19800101."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        if 20000101 <= raw <= 21001231 or 19000101 <= raw <= 19991231:
            raw = str(int(raw))  # 19800101 typed as a number
        elif 1900 <= raw <= 2100:
            # A year alone: as a serial it would silently become a day in 1905.
            raise CellError(_("“%(v)s”只有年份：请写出完整日期，如 %(v)s-01-01。") % {"v": int(raw)})
        elif 1 <= raw <= 80000:
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        else:
            raise CellError(_("“%(v)s”不是日期：请写成 1980-01-01 的形式。") % {"v": raw})
    value = _date_text(raw)
    if value.isdigit() and len(value) <= 5:
        return day(int(value))  # an Excel serial that reached a CSV as text
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
    raise CellError(_("“%(v)s”不是有效日期：请写成 1980-01-01、1980/1/1 或 1980年1月1日 的形式。") % {"v": text(raw)})


def month(raw) -> date:
    """A month (2026-11, 2026年11月, 202611) or a full date, as the first day of its month."""
    if not isinstance(raw, str):
        return day(raw).replace(day=1)
    value = _date_text(raw)
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(value)
        if match and 1 <= int(match["m"]) <= 12:
            return date(int(match["y"]), int(match["m"]), 1)
    return day(raw).replace(day=1)


def money(raw) -> Decimal:
    """An amount in yuan: 110, 110.5, "１１０.００元", "1,320.00" — exact to the fen, never a float's rounding."""
    value = text(raw, max_length=30).replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        amount = Decimal(repr(raw) if isinstance(raw, float) else value)
    except InvalidOperation:
        raise CellError(_("“%(v)s”不是金额：请写成 110.00 的形式。") % {"v": value}) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or amount < 0:
        raise CellError(_("“%(v)s”不是有效金额：金额不能为负，最多保留两位小数。") % {"v": value})
    return amount.quantize(Decimal("0.01"))


def _numeral(value: str) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value)
    return _CHINESE_NUMERALS.get(value)


def category(raw) -> int:
    """残疾类别 as a code (1–7) or a word (肢体, 肢体残疾, 视力 …)."""
    value = text(raw).replace("残疾", "").replace("类", "").strip()
    if isinstance(raw, float | int) or value.isdigit():
        number = _numeral(value)
        if number in Category.values:
            return number
    elif value in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[value]
    raise CellError(_("残疾类别“%(v)s”无法识别：请填写 视力、听力、言语、肢体、智力、精神、多重 或代码 1–7。")
                    % {"v": text(raw)})


def grade(raw) -> int:
    """残疾等级 as a code (1–4) or a word (一级, 四级, 4级, Ⅱ级)."""
    value = text(raw).replace("级", "").replace("等", "").strip()
    number = _numeral(value)
    if number in Grade.values:
        return number
    raise CellError(_("残疾等级“%(v)s”无法识别：请填写 一级、二级、三级、四级 或 1–4。") % {"v": text(raw)})


def choice(raw, words: dict[str, str], *, label: str) -> str:
    """One of a list's words (e.g. 低保/特困) mapped to its code; the message lists what is accepted."""
    value = text(raw)
    if value in words:
        return words[value]
    accepted = "、".join(dict.fromkeys(words))
    raise CellError(_("%(label)s“%(v)s”无法识别：请填写 %(accepted)s 之一。")
                    % {"label": label, "v": value, "accepted": accepted})
