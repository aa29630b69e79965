"""Registry policy as pure functions: plain values in, a decision and its reasons out (domain.md §1)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from canlian.common.decision import Decision, Reason
from canlian.common.ids import IdNumberError, parse_certificate_number
from canlian.registry.choices import Category, Grade, LifeStatus, Relation


@dataclass(frozen=True)
class Finding:
    category: int
    grade: int


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certificate_class_for(findings: list[Finding]) -> tuple[int, int, tuple[Finding, ...]]:
    """Return (category, grade, components) for a card from assessment findings.

    Several categories make a multiple disability (多重残疾) graded by its most severe component
    (《残疾人证管理办法》第13条); each component keeps its own grade.
    """
    if not findings:
        raise ValueError("an assessment without findings cannot make a certificate")
    if len(findings) == 1:
        return findings[0].category, findings[0].grade, ()
    components = tuple(sorted(findings, key=lambda f: f.category))
    return Category.MULTIPLE, min(f.grade for f in findings), components


def certificate_number_problems(*, number: str, id_number: str, category: int, grade: int) -> list[str]:
    """List every way a certificate number disagrees with its holder's ID, category and grade."""
    try:
        parsed = parse_certificate_number(number)
    except IdNumberError as error:
        return [str(error)]
    problems = []
    if parsed.id_number != id_number:
        problems.append(_("残疾人证号前18位应与持证人身份证号一致。"))
    if parsed.category != category:
        problems.append(
            _("残疾人证号第19位是类别 %(got)s，但类别为“%(label)s”（%(want)s）。")
            % {"got": parsed.category, "label": Category(category).label, "want": category}
        )
    if parsed.grade != grade:
        problems.append(
            _("残疾人证号第20位是等级 %(got)s，但等级为“%(label)s”（%(want)s）。")
            % {"got": parsed.grade, "label": Grade(grade).label, "want": grade}
        )
    return problems


def certificate_issue_decision(
    *, life_status: str, holds_valid_certificate: bool, last_cancelled_on: date | None,
    has_findings: bool, on: date, reapply_after_years: int,
) -> Decision:
    """Decide whether a new certificate may be issued (发证) to a person on a day."""
    reasons = [
        Reason(life_status == LifeStatus.ACTIVE,
               _("人员状态为在册") if life_status == LifeStatus.ACTIVE
               else _("人员状态为“%(s)s”，不能发证") % {"s": LifeStatus(life_status).label}),
        Reason(not holds_valid_certificate,
               _("未持有其他有效残疾人证") if not holds_valid_certificate
               else _("已持有有效残疾人证，一人只能持有一个有效证件；等级变化请办理“等级变更”")),
        Reason(has_findings, _("评定结论已录入") if has_findings else _("评定没有类别和等级结论")),
    ]
    if last_cancelled_on is not None:
        allowed_from = add_years(last_cancelled_on, reapply_after_years)
        reasons.append(Reason(
            on >= allowed_from,
            _("上次注销于 %(d)s，满%(y)d年后可重新申请") % {"d": last_cancelled_on, "y": reapply_after_years}
            if on >= allowed_from
            else _("证件于 %(d)s 注销，%(from)s 之前不得重新申请（《残疾人证管理办法》第24条）")
            % {"d": last_cancelled_on, "from": allowed_from},
        ))
    return Decision.of(reasons)


def certificate_renewable(*, valid_until: date, on: date, notice_days: int) -> bool:
    """A card is renewed on expiry (到期换证): from the notice period before its end date, or after it."""
    return valid_until <= on + timedelta(days=notice_days)


@dataclass(frozen=True)
class MemberFacts:
    relation: str
    birth_date: date | None
    disabled: bool


@dataclass(frozen=True)
class HouseholdFlags:
    several_disabled: bool  # 一户多残
    elderly_parent_carer: bool  # 依老养残
    reasons: tuple[str, ...]


# Whose parent each relation-to-head is: a disabled child of the head is cared for by head and spouse.
_PARENTS_OF = {
    Relation.HEAD: {Relation.PARENT},
    Relation.SPOUSE: set(),
    Relation.CHILD: {Relation.HEAD, Relation.SPOUSE},
    Relation.GRANDCHILD: {Relation.CHILD},
    Relation.SIBLING: {Relation.PARENT},
    Relation.PARENT: {Relation.GRANDPARENT},
}


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def household_flags(members: list[MemberFacts], *, on: date, elder_parent_age: int) -> HouseholdFlags:
    """Derive 一户多残 and 依老养残 from the members of a household."""
    disabled = [m for m in members if m.disabled]
    reasons = []
    several = len(disabled) >= 2
    if several:
        reasons.append(_("一户多残：家中有 %(n)d 名残疾人") % {"n": len(disabled)})
    elderly_carer = False
    for member in disabled:
        parent_relations = _PARENTS_OF.get(member.relation, set())
        for other in members:
            if (other is not member and other.relation in parent_relations and other.birth_date
                    and _age(other.birth_date, on) >= elder_parent_age):
                elderly_carer = True
    if elderly_carer:
        reasons.append(_("依老养残：残疾人由 %(age)d 岁及以上的父母照料") % {"age": elder_parent_age})
    return HouseholdFlags(several_disabled=several, elderly_parent_carer=elderly_carer, reasons=tuple(reasons))


def washington_group_identified(answers: list[int | None]) -> bool | None:
    """WG-SS standard identifier: at least one domain answered 'a lot of difficulty' or 'cannot do'."""
    if all(a is None for a in answers):
        return None
    return any(a is not None and a >= 3 for a in answers)
