"""Chinese text helpers: pinyin initials for search (zsf → 张三丰)."""

from pypinyin import Style, lazy_pinyin


def pinyin_initials(name: str) -> str:
    """Return the lowercase initials of a Chinese name; non-Chinese letters are kept as they are."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(part[:1] for part in letters if part and part[0].isalnum()).lower()
