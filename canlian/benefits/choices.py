"""The benefit schemes (domain.md §2) and the circumstances that bar or allow them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    LIVING_ALLOWANCE = "living_allowance", _("困难残疾人生活补贴")
    NURSING_ALLOWANCE = "nursing_allowance", _("重度残疾人护理补贴")
    PENSION_PREMIUM = "pension_premium", _("重度残疾人养老保险费补贴")
    INSURANCE_PREMIUM = "insurance_premium", _("城乡居民医疗保险个人缴费代缴")
    ACCIDENT_INSURANCE = "accident_insurance", _("残疾人意外伤害保险")


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    YEAR = "year", _("每年")


class CircumstanceKind(models.TextChoices):
    """What the person receives elsewhere that the 52号 overlap rules look at (domain.md §2)."""

    ORPHAN_SUPPORT = "orphan_support", _("领取孤儿基本生活费")
    WORK_INJURY_NURSING = "work_injury_nursing", _("领取工伤保险生活护理费")
    CHOSE_OTHER_ALLOWANCE = "chose_other_allowance", _("择高领取其他同类津贴")
