"""Who receives which benefit on a day (国发〔2015〕52号 and the local options), as pure functions.

Each rule takes plain facts about one person on one day and the options in force, and returns a Decision with
every reason it checked, in Chinese, so the person file can show "✔ 持有效残疾人证 ✔ 一级 ✘ 已纳入特困供养".
The amount is a separate question (standard_for): eligibility does not depend on whether a standard is set.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from canlian.benefits.choices import CircumstanceKind, Period, Scheme
from canlian.common.decision import Decision, Reason
from canlian.registry.choices import AssistanceKind, Category, Grade, LifeStatus

SEVERE_GRADES = (1, 2)
# The seed's extension of the nursing allowance to non-severe (grade 3–4) disability of these categories.
EXTENDED_NURSING_CATEGORIES = (Category.INTELLECTUAL, Category.MENTAL, Category.MULTIPLE)


@dataclass(frozen=True)
class BenefitFacts:
    """What the rules need to know about one person on one day."""

    on: date
    life_status: str
    age: int
    certificate_category: int | None  # of the certificate valid on the day; None without one
    certificate_grade: int | None
    assistance: frozenset[str] = frozenset()  # AssistanceKind values held on the day
    circumstances: frozenset[str] = frozenset()  # CircumstanceKind values active on the day
    chose_other_instead_of: frozenset[str] = frozenset()  # schemes given up for another allowance (择高)
    pension_insured: bool = False


@dataclass(frozen=True)
class BenefitOptions:
    """The local options in force on the day (parameters with effective dates, domain.md §2)."""

    living_includes_near_dibao: bool = False
    living_includes_low_income: bool = False
    nursing_includes_grade34: bool = True
    extreme_poverty_keeps_living: bool = False
    extreme_poverty_keeps_nursing: bool = False
    accident_insurance_max_age: int = 59


@dataclass(frozen=True)
class Amount:
    value: Decimal
    period: str

    def __str__(self) -> str:
        per = _("元/月") if self.period == Period.MONTH else _("元/年")
        return f"{self.value} {per}"


def _registered(facts: BenefitFacts) -> Reason:
    if facts.life_status == LifeStatus.ACTIVE:
        return Reason(True, _("人员状态为在册"))
    return Reason(False, _("人员状态为“%(s)s”，自次月起停发") % {"s": LifeStatus(facts.life_status).label})


def _certificate(facts: BenefitFacts) -> Reason:
    if facts.certificate_category is None:
        return Reason(False, _("没有当日有效的残疾人证（未持证、已过期、冻结或注销）"))
    return Reason(True, _("持有效残疾人证（%(category)s%(grade)s）") % {
        "category": Category(facts.certificate_category).label, "grade": Grade(facts.certificate_grade).label})


def _not_chosen_elsewhere(facts: BenefitFacts, scheme: str) -> list[Reason]:
    if scheme in facts.chose_other_instead_of:
        return [Reason(False, _("本人已择高领取其他同类津贴，不再领取本项补贴"))]
    return []


def living_allowance_decision(facts: BenefitFacts, options: BenefitOptions) -> Decision:
    """困难残疾人生活补贴: a valid certificate and a 低保 household (extensions by option)."""
    reasons = [_registered(facts), _certificate(facts)]
    held = facts.assistance
    if AssistanceKind.DIBAO in held:
        reasons.append(Reason(True, _("家庭纳入最低生活保障（低保）")))
    elif AssistanceKind.NEAR_DIBAO in held and options.living_includes_near_dibao:
        reasons.append(Reason(True, _("低保边缘家庭（本地已扩大到低保边缘）")))
    elif AssistanceKind.LOW_INCOME in held and options.living_includes_low_income:
        reasons.append(Reason(True, _("低收入家庭（本地已扩大到低收入家庭）")))
    elif AssistanceKind.EXTREME_POVERTY in held and options.extreme_poverty_keeps_living:
        reasons.append(Reason(True, _("特困供养人员（本地保留生活补贴）")))
    else:
        reasons.append(Reason(False, _("不是低保家庭成员") + _extended_to(options)))
    if AssistanceKind.EXTREME_POVERTY in held and not options.extreme_poverty_keeps_living:
        reasons.append(Reason(False, _("已纳入特困人员救助供养，不享受生活补贴")))
    if CircumstanceKind.ORPHAN_SUPPORT in facts.circumstances:
        reasons.append(Reason(False, _("领取孤儿基本生活费，不享受生活补贴")))
    reasons += _not_chosen_elsewhere(facts, Scheme.LIVING_ALLOWANCE)
    return Decision.of(reasons)


def _extended_to(options: BenefitOptions) -> str:
    extended = [str(label) for flag, label in ((options.living_includes_near_dibao, AssistanceKind.NEAR_DIBAO.label),
                                              (options.living_includes_low_income, AssistanceKind.LOW_INCOME.label))
                if flag]
    return _("（本地也包括%(kinds)s家庭，本人均不是）") % {"kinds": "、".join(extended)} if extended else ""


def nursing_allowance_decision(facts: BenefitFacts, options: BenefitOptions) -> Decision:
    """重度残疾人护理补贴: a valid grade 1–2 certificate (grade 3–4 intellectual, mental, multiple by option)."""
    reasons = [_registered(facts), _certificate(facts)]
    grade, category = facts.certificate_grade, facts.certificate_category
    if grade in SEVERE_GRADES:
        reasons.append(Reason(True, _("残疾等级为一级或二级（重度）")))
    elif grade is not None and category in EXTENDED_NURSING_CATEGORIES and options.nursing_includes_grade34:
        reasons.append(Reason(True, _("三、四级智力、精神或多重残疾（本地扩大范围）")))
    elif grade is not None:
        reasons.append(Reason(False, _("残疾等级为三级或四级，不属于重度残疾")
                              + (_("（本地扩大范围只含智力、精神、多重残疾）") if options.nursing_includes_grade34
                                 else "")))
    if AssistanceKind.EXTREME_POVERTY in facts.assistance and not options.extreme_poverty_keeps_nursing:
        reasons.append(Reason(False, _("已纳入特困人员救助供养，不享受护理补贴")))
    if CircumstanceKind.WORK_INJURY_NURSING in facts.circumstances:
        reasons.append(Reason(False, _("领取工伤保险生活护理费，不享受护理补贴")))
    reasons += _not_chosen_elsewhere(facts, Scheme.NURSING_ALLOWANCE)
    return Decision.of(reasons)


def pension_premium_decision(facts: BenefitFacts, options: BenefitOptions) -> Decision:
    """重度残疾人养老保险费补贴: a severe (grade 1–2) person enrolled in resident pension insurance."""
    reasons = [_registered(facts), _certificate(facts)]
    if facts.certificate_grade is not None:
        severe = facts.certificate_grade in SEVERE_GRADES
        reasons.append(Reason(severe, _("残疾等级为一级或二级（重度）") if severe
                              else _("残疾等级为三级或四级，不属于重度残疾")))
    reasons.append(Reason(True, _("参加城乡居民养老保险")) if facts.pension_insured
                   else Reason(False, _("未参加城乡居民养老保险（以人社部门推送的参保名单为准）")))
    return Decision.of(reasons)


def insurance_premium_decision(facts: BenefitFacts, options: BenefitOptions) -> Decision:
    """城乡居民医疗保险个人缴费由政府代缴: hardship (低保 or 特困) certified persons."""
    reasons = [_registered(facts), _certificate(facts)]
    hardship = facts.assistance & {AssistanceKind.DIBAO, AssistanceKind.EXTREME_POVERTY}
    reasons.append(Reason(True, _("低保或特困供养人员（困难残疾人）")) if hardship
                   else Reason(False, _("不是低保或特困供养人员")))
    return Decision.of(reasons)


def accident_insurance_decision(facts: BenefitFacts, options: BenefitOptions) -> Decision:
    """残疾人意外伤害保险: every certified person up to the age limit (seed: under 59, full coverage)."""
    reasons = [_registered(facts), _certificate(facts)]
    limit = options.accident_insurance_max_age
    within = facts.age <= limit
    reasons.append(Reason(within, (_("年龄 %(age)d 岁，在 %(limit)d 岁及以下") if within
                                   else _("年龄 %(age)d 岁，超过 %(limit)d 岁的投保年龄")) % {"age": facts.age, "limit": limit}))
    return Decision.of(reasons)


DECISIONS = {
    Scheme.LIVING_ALLOWANCE: living_allowance_decision,
    Scheme.NURSING_ALLOWANCE: nursing_allowance_decision,
    Scheme.PENSION_PREMIUM: pension_premium_decision,
    Scheme.INSURANCE_PREMIUM: insurance_premium_decision,
    Scheme.ACCIDENT_INSURANCE: accident_insurance_decision,
}


@dataclass(frozen=True)
class StandardRow:
    """A standard as plain values (for the pure chooser)."""

    scheme: str
    effective_from: date
    amount: Decimal
    period: str
    grade: int | None
    area_path: str | None  # None: every area
    pk: int | None = None


def standard_row_for(standards: list[StandardRow], *, scheme: str, on: date, grade: int | None,
                     area_path: str) -> StandardRow | None:
    """The standard in force on a day for a person: the deepest matching area, then a grade-specific one, then
    the latest start date. None when none applies."""
    candidates = [s for s in standards if s.scheme == scheme and s.effective_from <= on
                  and (s.grade is None or s.grade == grade)
                  and (s.area_path is None or area_path.startswith(s.area_path))]
    return max(candidates, key=lambda s: (len(s.area_path or ""), s.grade is not None, s.effective_from),
               default=None)


def standard_for(standards: list[StandardRow], **person) -> Amount | None:
    """The amount of standard_row_for, or None when no standard applies."""
    row = standard_row_for(standards, **person)
    return Amount(row.amount, row.period) if row else None
