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
