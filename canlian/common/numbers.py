"""Numbers as Chinese officials write them in messages and letters."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def number(value: Decimal) -> str:
    """A Decimal as people write it: 45, 0.675, 1.5 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def percent(part: int, whole: int, *, places: Decimal = FEN) -> Decimal | None:
    """part of whole in percent, rounded half up to `places`; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(places, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """An amount in 元 to the fen, with thousands separators: 24,000.00."""
    return f"{Decimal(value).quantize(FEN):,.2f}"
