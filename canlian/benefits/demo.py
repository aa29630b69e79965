"""Erenhot's benefit standards for the demo (domain.md §2); a federation enters its own in the admin."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from canlian.benefits.choices import Period, Scheme
from canlian.benefits.models import Standard

DEMO_STANDARDS = [
    (Scheme.LIVING_ALLOWANCE, date(2020, 1, 1), Decimal("110.00"), Period.MONTH,
     "二连浩特市“十四五”残疾人事业发展规划：2020年每人每月110元 [C]；现行标准 [U]"),
    (Scheme.NURSING_ALLOWANCE, date(2020, 1, 1), Decimal("110.00"), Period.MONTH,
     "二连浩特市“十四五”残疾人事业发展规划：2020年每人每月110元 [C]；现行标准 [U]"),
    (Scheme.PENSION_PREMIUM, date(2020, 1, 1), Decimal("300.00"), Period.YEAR,
     "二连浩特市“十四五”残疾人事业发展规划：每人每年300元 [C]"),
    (Scheme.INSURANCE_PREMIUM, date(2023, 1, 1), Decimal("380.00"), Period.YEAR,
     "城乡居民医保个人缴费标准 2023年380元 [P]"),
    (Scheme.INSURANCE_PREMIUM, date(2024, 1, 1), Decimal("400.00"), Period.YEAR,
     "城乡居民医保个人缴费标准 2024年400元 [P]"),
]


@transaction.atomic
def demo_standards_load() -> int:
    """Enter the demo standards that are missing; running it again changes nothing. Returns how many were added."""
    added = 0
    for scheme, day, amount, period, source in DEMO_STANDARDS:
        _standard, created = Standard.objects.get_or_create(
            scheme=scheme, effective_from=day, grade=None, area=None,
            defaults={"amount": amount, "period": period, "source": source})
        added += created
    return added
