"""Needs and eligibility for services, as pure functions with their reasons (like benefits/rules.py).

needs_from_answers reads a survey's answers ("needs X, not receiving X" opens a need); the eligibility rules decide
one person for children's rehabilitation assistance (国发〔2018〕20号 as widened locally) and for care (阳光家园).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from canlian.common.decision import Decision, Reason
from canlian.common.numbers import money
from canlian.employment.choices import WANTS_WORK
from canlian.registry.choices import Category, Grade
from canlian.services.choices import NeedKind


@dataclass(frozen=True)
class FoundNeed:
    kind: str
    detail: str


def _needs_not_received(section: dict) -> bool:
    return section.get("need") == "yes" and section.get("receives") == "no"


def needs_from_answers(answers: dict, *, age: int, child_max_age: int) -> list[FoundNeed]:
    """The needs a survey's answers show, each with the answer that shows it."""
    found = []
    if _needs_not_received(answers.get("rehabilitation", {})):
        child = age <= child_max_age
        found.append(FoundNeed(NeedKind.CHILD_REHABILITATION if child else NeedKind.REHABILITATION,
                               _("调查：需要康复服务，过去一年未获得")))
    if _needs_not_received(answers.get("devices", {})):
        found.append(FoundNeed(NeedKind.ASSISTIVE_DEVICE, _("调查：需要辅助器具，尚未配备")))
    education = answers.get("education", {})
    if education.get("need") == "yes":
        found.append(FoundNeed(NeedKind.EDUCATION, _("调查：未入学，需要教育安置") if education.get("placement") == "none"
                               else _("调查：需要教育资助或支持")))
    employment = answers.get("employment", {})
    if employment.get("employed") == "no" and employment.get("reason") in WANTS_WORK:
        found.append(FoundNeed(NeedKind.EMPLOYMENT, _("调查：未就业，有就业意愿")))
    if _needs_not_received(answers.get("care", {})):
        found.append(FoundNeed(NeedKind.CARE, _("调查：需要托养照护，尚未获得")))
    if _needs_not_received(answers.get("accessibility", {})):
        found.append(FoundNeed(NeedKind.HOME_MODIFICATION, _("调查：家中需要无障碍改造")))
    culture = answers.get("culture", {})
    if culture.get("need") == "yes" and culture.get("participates") == "no":
        found.append(FoundNeed(NeedKind.CULTURE_SPORTS, _("调查：希望参加文化体育活动")))
    return found


@dataclass(frozen=True)
class PersonFacts:
    """What the eligibility rules need to know about one person on one day."""

    age: int
    registered: bool
    certificate_category: int | None  # of the card valid on the day; None without one
    certificate_grade: int | None
    screened: bool = False  # a health screening found a disability (筛查阳性), card or not


@dataclass(frozen=True)
class ChildRehabilitationOptions:
    max_age: int = 14  # the seed widens 0–6 to 0–14 [U]


# 国发〔2018〕20号: vision, hearing, speech, physical, intellectual disability and autism (certified as mental in
# children); multiple disability includes one of them.
CHILD_CATEGORIES = (Category.VISION, Category.HEARING, Category.SPEECH, Category.PHYSICAL, Category.INTELLECTUAL,
                    Category.MENTAL, Category.MULTIPLE)


def child_rehabilitation_decision(facts: PersonFacts, options: ChildRehabilitationOptions) -> Decision:
    """残疾儿童康复救助: a child within the age limit, certified or screened, with no household-income condition."""
    reasons = [
        Reason(facts.registered, _("在册") if facts.registered else _("不在册（已死亡、迁出或注销）")),
        Reason(facts.age <= options.max_age, _("%(age)d 岁，救助年龄为 0—%(max)d 岁") % {
            "age": facts.age, "max": options.max_age}),
    ]
    if facts.certificate_category is not None:
        reasons.append(Reason(facts.certificate_category in CHILD_CATEGORIES, _("持%(c)s证") % {
            "c": Category(facts.certificate_category).label}))
    else:
        reasons.append(Reason(facts.screened, _("未持证，经卫健部门筛查发现残疾，可先行救助") if facts.screened
                              else _("未持证，也没有筛查记录")))
    reasons.append(Reason(True, _("不设家庭经济条件")))
    return Decision.of(reasons)


@dataclass(frozen=True)
class CareOptions:
    min_age: int = 16
    max_age: int = 59


def care_decision(facts: PersonFacts, options: CareOptions) -> Decision:
    """阳光家园托养: working age, with intellectual, mental or severe (grade 1–2) physical disability."""
    category, grade = facts.certificate_category, facts.certificate_grade
    if category is None:
        kind = Reason(False, _("没有有效的残疾人证"))
    elif category in (Category.INTELLECTUAL, Category.MENTAL):
        kind = Reason(True, str(Category(category).label))
    elif category in (Category.PHYSICAL, Category.MULTIPLE) and grade in (1, 2):
        kind = Reason(True, _("重度%(c)s（%(g)s）") % {"c": Category(category).label, "g": Grade(grade).label})
    else:
        kind = Reason(False, _("%(c)s%(g)s不在托养范围（智力、精神和重度肢体残疾）") % {
            "c": Category(category).label, "g": Grade(grade).label})
    return Decision.of([
        Reason(facts.registered, _("在册") if facts.registered else _("不在册（已死亡、迁出或注销）")),
        Reason(options.min_age <= facts.age <= options.max_age, _("%(age)d 岁，托养对象为 %(lo)d—%(hi)d 岁") % {
            "age": facts.age, "lo": options.min_age, "hi": options.max_age}),
        kind,
    ])


def subsidy_within_cap(*, amount: Decimal, already: Decimal, cap: Decimal) -> Reason:
    """A subsidy fits under a yearly cap with what was already granted this year (年度救助限额)."""
    left = cap - already
    if amount <= left:
        return Reason(True, _("本年度已补贴 %(already)s 元，限额 %(cap)s 元") % {
            "already": money(already), "cap": money(cap)})
    return Reason(False, _("本年度已补贴 %(already)s 元，限额 %(cap)s 元，本次最多 %(left)s 元") % {
        "already": money(already), "cap": money(cap), "left": money(max(left, Decimal(0)))})


def coordinator_load(*, persons: int, coordinators: int, low: int, high: int) -> str:
    """An area's persons per coordinator against the 80–150 band: "none", "low", "ok" or "high"."""
    if coordinators == 0:
        return "none" if persons else "ok"
    per = persons / coordinators
    return "low" if per < low else "high" if per > high else "ok"
