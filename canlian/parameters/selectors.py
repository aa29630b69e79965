from datetime import date
from decimal import Decimal

from canlian.parameters.catalogue import SPECS
from canlian.parameters.models import Parameter


def parameter_value(key: str, *, on: date) -> Decimal:
    """Return the value of a policy parameter in force on a day (the catalogue default before any)."""
    spec = SPECS[key]
    row = (
        Parameter.objects.filter(key=key, effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("value", flat=True)
        .first()
    )
    return spec.default if row is None else row


def parameter_int(key: str, *, on: date) -> int:
    return int(parameter_value(key, on=on))


class ParameterTimeline:
    """Every value of some keys, read in one query, for work that asks the same keys on many days."""

    def __init__(self, keys: list[str]):
        self._rows: dict[str, list] = {key: [] for key in keys}
        for key, effective_from, value in (Parameter.objects.filter(key__in=keys)
                                           .order_by("key", "-effective_from")
                                           .values_list("key", "effective_from", "value")):
            self._rows[key].append((effective_from, value))

    def value(self, key: str, *, on: date) -> Decimal:
        """As parameter_value: the value in force on the day, the catalogue default before any."""
        return next((value for since, value in self._rows[key] if since <= on), SPECS[key].default)
