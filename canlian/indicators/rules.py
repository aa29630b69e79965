"""Poverty-relapse monitoring (防止返贫监测): which risks a household's facts show on a day, each with its reason.

A pure function over plain facts; the watchlist's sweep loads the facts of many households in a few queries and
asks this function about each, so the list and a household's own page cannot disagree.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canlian.common.numbers import money
from canlian.registry.choices import Relation
from canlian.registry.rules import MemberFacts, household_flags


class RiskReason(models.TextChoices):
    """Why a household is watched (监测风险类型)."""

    LOW_INCOME = "low_income", gettext_lazy("家庭人均收入低于监测线")
    SEVERE_NO_WORK = "severe_no_work", gettext_lazy("重度残疾且家中无人就业")
    SEVERAL_DISABLED = "several_disabled", gettext_lazy("一户多残")
    AGED_CARER = "aged_carer", gettext_lazy("依老养残")
    MEDICAL_SPENDING = "medical_spending", gettext_lazy("大额医疗支出")
    LOST_DIBAO = "lost_dibao", gettext_lazy("退出低保")
    DEATH_OR_ILLNESS = "death_or_illness", gettext_lazy("家庭成员死亡或重病")


class EventKind(models.TextChoices):
    """A change in a household's life an officer records (家庭变故)."""

    MEDICAL_SPENDING = "medical_spending", gettext_lazy("医疗自付支出")
    SERIOUS_ILLNESS = "serious_illness", gettext_lazy("重大疾病")
    DEATH = "death", gettext_lazy("家庭成员死亡")


@dataclass(frozen=True)
class WatchMember:
    relation: str
    birth_date: date | None
    disabled: bool  # a registered person on the register on the day
    severe: bool  # with a card of grade 1 or 2 valid on the day
    employed: bool
    died_on: date | None = None  # a registered member's recorded death
    in_dibao: bool = False
    dibao_ended_on: date | None = None  # the end of the member's last 低保 spell


@dataclass(frozen=True)
class WatchEvent:
    kind: str
    occurred_on: date
    amount: Decimal | None = None


@dataclass(frozen=True)
class WatchFacts:
    per_capita_income: Decimal | None
    income_year: int | None
    members: tuple[WatchMember, ...]
    events: tuple[WatchEvent, ...] = ()


@dataclass(frozen=True)
class WatchParams:
    income_line: Decimal  # 防止返贫监测线, yuan per person per year
    medical_threshold: Decimal  # out-of-pocket medical spending in the look-back period
    lookback_days: int  # how far back a loss of 低保, a death or an illness still counts
    elder_parent_age: int


@dataclass(frozen=True)
class Risk:
    reason: str
    explanation: str


def _who(member: WatchMember) -> str:
    """A member by their place in the household (户主, 子女 …), never by name: the explanation is stored and shown
    to officers of the household's area, who may not see a member living elsewhere."""
    return str(Relation(member.relation).label)


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def relapse_risks(facts: WatchFacts, *, on: date, params: WatchParams) -> list[Risk]:
    """Every risk of falling back into poverty the household's facts show on the day, each explained."""
    risks = []
    since = date.fromordinal(on.toordinal() - params.lookback_days)
    # The window in days, not from a date: an explanation carries only facts, so it changes when they do (a flag an
    # officer closed is opened again only then).
    window = _("近 %(days)d 天") % {"days": params.lookback_days}

    if facts.per_capita_income is not None and facts.per_capita_income < params.income_line:
        risks.append(Risk(RiskReason.LOW_INCOME, _(
            "%(year)s 年家庭人均收入 %(income)s 元，低于监测线 %(line)s 元。") % {
            "year": facts.income_year or _("（年度未填）"), "income": money(facts.per_capita_income),
            "line": money(params.income_line)}))

    severe = [_who(m) for m in facts.members if m.disabled and m.severe]
    if severe and not any(m.employed for m in facts.members if m.disabled):
        risks.append(Risk(RiskReason.SEVERE_NO_WORK, _(
            "家中%(who)s为重度（一、二级）残疾，登记在册的残疾人无人就业；其他成员的就业情况请入户核实。") % {
            "who": "、".join(severe)}))

    living = [m for m in facts.members if not (m.died_on and m.died_on <= on)]  # a parent who died cares no more
    flags = household_flags([MemberFacts(m.relation, m.birth_date, m.disabled) for m in living], on=on,
                            elder_parent_age=params.elder_parent_age)
    if flags.several_disabled:
        risks.append(Risk(RiskReason.SEVERAL_DISABLED, flags.reasons[0] + _("。")))
    if flags.elderly_parent_carer:
        risks.append(Risk(RiskReason.AGED_CARER, flags.reasons[-1] + _("。")))

    medical = [e for e in facts.events if e.kind == EventKind.MEDICAL_SPENDING and since <= e.occurred_on <= on]
    spent = sum((e.amount or Decimal(0) for e in medical), Decimal(0))
    if medical and spent >= params.medical_threshold:
        risks.append(Risk(RiskReason.MEDICAL_SPENDING, _(
            "%(window)s医疗自付 %(spent)s 元（%(n)d 笔），达到大额医疗支出标准 %(line)s 元。") % {
            "window": window, "spent": money(spent), "n": len(medical), "line": money(params.medical_threshold)}))

    lost = [m for m in facts.members if m.dibao_ended_on and since <= m.dibao_ended_on <= on]
    if lost and not any(m.in_dibao for m in facts.members):
        risks.append(Risk(RiskReason.LOST_DIBAO, _("家中%(who)s于 %(day)s 退出低保，家中已无人享受低保。") % {
            "who": "、".join(_who(m) for m in lost), "day": _day(max(m.dibao_ended_on for m in lost))}))

    losses = [_("%(who)s于 %(day)s 去世") % {"who": _who(m), "day": _day(m.died_on)}
              for m in facts.members if m.died_on and since <= m.died_on <= on]
    losses += [_("%(day)s %(what)s") % {"day": _day(e.occurred_on), "what": EventKind(e.kind).label}
               for e in sorted(facts.events, key=lambda e: e.occurred_on)
               if e.kind in (EventKind.DEATH, EventKind.SERIOUS_ILLNESS) and since <= e.occurred_on <= on]
    if losses:
        risks.append(Risk(RiskReason.DEATH_OR_ILLNESS, _("%(window)s：%(what)s。") % {
            "window": window, "what": "；".join(losses)}))
    return risks
