"""The Erenhot employment demo: real-name employment records, employers and their annual quota reviews, training.

Synthetic and deterministic, and true to the plan's figure (domain.md §6): on 2022-12-31, of the 433 persons on
the register aged 16–59, 227 are in work and 206 are not (52.42%). The employers, their codes and their figures are
invented; no real enterprise's data is used.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from stdnum.cn import uscc

from canlian.accounts.models import User
from canlian.accounts.scope import residence_in_scope
from canlian.areas.models import Area
from canlian.common.ids import certificate_number_for, id_number_for
from canlian.employment import selectors, services
from canlian.employment.choices import (
    CourseKind,
    EmployerKind,
    EmploymentForm,
    EventKind,
    NotWorkingReason,
    SupportKind,
)
from canlian.employment.models import (
    Declaration,
    Employer,
    EmploymentEvent,
    EmploymentRecord,
    EntrepreneurshipSupport,
    TrainingCourse,
    TrainingEnrolment,
)
from canlian.registry.choices import Category, LifeStatus
from canlian.registry.demo import CITY, REFERENCE_DATE, SEED, SUMU
from canlian.registry.models import Certificate, Person, valid_certificate_on
from canlian.registry.rules import add_years

EMPLOYED_ON_REFERENCE_DATE = 227  # of 433 (domain.md §6): 就业率 52.42%
HISTORY_START = date(2019, 6, 30)  # the demo's first real-name survey (实名制动态更新)
LAST_DAY = date(2026, 11, 28)  # the demo's "today": nothing is dated after it
PART_TIME_WAGE = Decimal("1650.00")  # below the 1980 元 minimum wage: the review refuses to count it

# ---- Employers ------------------------------------------------------------------------------------------------

# key, code prefix (91 enterprise, 11 organ, 12 institution; GB 32100), the organisation code's first 8 characters,
# name, kind, area code, address, contact, phone.
EMPLOYERS = [
    ("tongda", "91", "MA0N3K1P", "二连浩特市通达中蒙国际贸易有限公司", EmployerKind.ENTERPRISE, "152501001002",
     "东城社区口岸大街88号（示例）", "王海峰", "0479-7512301"),
    ("yilin", "91", "MA0P7R2C", "二连浩特市伊林国际酒店有限公司", EmployerKind.ENTERPRISE, "152501001008",
     "锡林社区前进路16号（示例）", "李秀梅", "0479-7512302"),
    ("hospital", "12", "46122503", "二连浩特市人民医院（示例）", EmployerKind.INSTITUTION, "152501001003",
     "额仁社区新华街2号（示例）", "赵丽娟", "0479-7512303"),
    ("jinqiao", "91", "MA0Q4T8W", "二连浩特市金桥矿产品进出口有限公司", EmployerKind.ENTERPRISE, CITY[0],
     "边境经济合作区国际物流园（示例）", "张志刚", "0479-7512304"),
    ("wulan", "91", "MA0R6U3M", "二连浩特市乌兰蒙餐饮有限公司", EmployerKind.ENTERPRISE, "152501001006",
     "乌兰社区团结路7号（示例）", "乌云", "0479-7512305"),
    ("wanjiahui", "91", "MA0K2L9H", "二连浩特市万家惠超市有限公司", EmployerKind.ENTERPRISE, "152501001001",
     "北疆社区友谊路21号（示例）", "刘建军", "0479-7512306"),
    ("hongda", "91", "MA0T5W7N", "二连浩特市宏达国际物流有限公司", EmployerKind.ENTERPRISE, "152501001005",
     "南苑社区物流大道5号（示例）", "陈国庆", "0479-7512307"),
    ("bureau", "11", "01165327", "二连浩特市人力资源和社会保障局（示例）", EmployerKind.GOVERNMENT, CITY[0],
     "二连浩特市政务服务中心（示例）", "孙晓燕", "0479-7512308"),
    ("crafts", "91", "MA0U8X1D", "二连浩特市助残福利工艺品有限公司", EmployerKind.ENTERPRISE, "152501001004",
     "呼和社区民族街12号（示例）", "巴特尔", "0479-7512309"),
    ("timber", "91", "MA0W1Y6F", "二连浩特市口岸木业加工有限公司", EmployerKind.ENTERPRISE, "152501001007",
     "西城社区工业园区3号（示例）", "周立新", "0479-7512310"),
    ("dairy", "91", "MA0X9B4G", "二连浩特市草原牧歌乳业有限公司", EmployerKind.ENTERPRISE, SUMU[0],
     "格日勒敖都苏木政府东侧（示例）", "苏日娜", "0479-7512311"),
    ("jinda", "91", "MA0Y3C5J", "二连浩特市金达口岸进出口贸易有限责任公司", EmployerKind.ENTERPRISE, "152501001003",
     "额仁社区国门路9号（示例）", "马振华", "0479-7512312"),
]


def _organisation_code(body: str) -> str:
    """The 9-character organisation code (组织机构代码, GB 11714): 8 characters and their check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(char, 36) * weight for char, weight in zip(body, weights, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def demo_uscc(prefix: str, body: str) -> str:
    """A valid unified social credit code (统一社会信用代码, GB 32100) registered in Erenhot (152501)."""
    code = f"{prefix}152501{_organisation_code(body)}"
    return uscc.validate(code + uscc.calc_check_digit(code))


# Who works where on the reference date (quota employment, 按比例就业): (employer, holds a grade 2 card).
# A grade 1–2 holder counts as 2 in the review, so these choices set each employer's outcome below.
QUOTA_STAFF = [
    ("tongda", True), ("tongda", False), ("tongda", False),  # the last moves to 宏达物流 on 2024-07-01
    ("yilin", False), ("yilin", False),
    ("hospital", True),
    ("jinqiao", False),
    ("wanjiahui", False),
    ("bureau", False),
    ("timber", True),
]
CONCENTRATED_STAFF = [("crafts", True)] + [("crafts", False)] * 5  # 6 of 22 staff: a welfare enterprise (≥ 25%)
MOVES_TO_HONGDA = date(2024, 7, 1)
# Job seekers of the reference date the federation placed in quota jobs later (a zero-employment household each).
QUOTA_PLACEMENTS = [("jinda", date(2023, 4, 3)), ("jinda", date(2024, 3, 1)), ("tongda", date(2025, 3, 3))]

# Review year → (employer, declared on, staff last year, average annual wage last year). Chosen for the outcomes:
# 通达 over the quota (reward from 2025), 伊林 and 万家惠 between 1% and 1.5% (50%), 医院 and 草原牧歌 under 1% (90%),
# 金桥 above twice the local average wage (cap), 乌兰蒙餐饮 ≤ 30 staff (exempt), 助残福利工艺品 a welfare enterprise.
DECLARATIONS = {
    2025: [
        ("tongda", date(2025, 3, 20), "160", "78600"),
        ("yilin", date(2025, 4, 8), "140", "62400"),
        ("hospital", date(2025, 4, 15), "412", "118600"),
        ("jinqiao", date(2025, 4, 22), "85", "236000"),
        ("wulan", date(2025, 4, 28), "18", "45600"),
        ("wanjiahui", date(2025, 5, 6), "96.25", "52800"),
        ("hongda", date(2025, 5, 12), "75", "68000"),  # lists the man 通达 listed first: refused (declared_elsewhere)
        ("bureau", date(2025, 5, 20), "64", "96500"),
        ("crafts", date(2025, 5, 26), "22", "42000"),
        ("timber", date(2025, 6, 3), "110", "58000"),
        ("dairy", date(2025, 6, 16), "45", "54000"),  # lists a worker registered in 锡林浩特: refused
    ],
    2026: [  # 口岸木业 and 草原牧歌 have not declared
        ("tongda", date(2026, 3, 18), "168", "81200"),
        ("yilin", date(2026, 4, 7), "146", "64800"),
        ("hospital", date(2026, 4, 13), "425.5", "123400"),
        ("jinqiao", date(2026, 4, 20), "88", "245000"),
        ("wulan", date(2026, 4, 27), "17", "47200"),
        ("wanjiahui", date(2026, 5, 8), "98.5", "54600"),
        ("hongda", date(2026, 5, 14), "78", "70500"),
        ("bureau", date(2026, 5, 19), "66", "99800"),
        ("crafts", date(2026, 5, 27), "23", "43500"),
        ("jinda", date(2026, 6, 10), "260", "75000"),
    ],
}
# 2025: every declaration decided on a day (review a few days before), some paid: on time, or late with 滞纳金.
DECIDED_2025 = {key: date(2025, 7, 7) + timedelta(days=n) for n, (key, *_rest) in enumerate(DECLARATIONS[2025])}
PAID_2025 = {"yilin": 20, "hospital": 28, "jinqiao": 12, "wanjiahui": 25, "bureau": 0, "hongda": 49}  # days after
# 2026: reviewed (审核) on a day, and of those, decided (复核) on a day; the rest await review.
REVIEWED_2026 = {"hospital": date(2026, 9, 9), "wulan": date(2026, 10, 19), "yilin": date(2026, 11, 4),
                 "tongda": date(2026, 11, 18), "wanjiahui": date(2026, 11, 20), "bureau": date(2026, 11, 24)}
DECIDED_2026 = {"hospital": date(2026, 9, 15), "wulan": date(2026, 10, 26), "yilin": date(2026, 11, 10)}

# ---- Work ---------------------------------------------------------------------------------------------------

# (what the record says, lowest and highest monthly income in 元)
FLEXIBLE_WORK = [("口岸货物装卸", 2600, 4200), ("网约车司机", 3000, 5200), ("快递配送", 2800, 4500),
                 ("家政保洁", 2000, 3200), ("中蒙边贸代购", 2500, 5500), ("餐馆帮工", 2000, 3000),
                 ("手工编织（计件）", 1200, 2200), ("小区保安", 2200, 2900)]
OWN_BUSINESS = [("便利店", 2500, 5000), ("蒙古族手工艺品店", 2200, 4500), ("修鞋配钥匙", 1500, 2600),
                ("奶食品加工作坊", 2500, 4800), ("跨境电商网店", 2000, 6000), ("个体货运", 3500, 6500),
                ("理发店", 2200, 4000), ("手机维修", 2500, 4500)]
MASSAGE = ("盲人按摩店", 3000, 6000)
HERDING = [("牧业养殖（羊）", 1800, 4200), ("牧业养殖（牛）", 2000, 4500), ("饲草种植", 1200, 2500)]
WELFARE_POSTS = [("社区助残协理员", 1980, 2300), ("社区保洁员", 1980, 2200), ("公共设施管理员", 1980, 2300)]
GRASSLAND_POST = ("草原生态管护员", 1980, 2400)
ASSISTED_WORK = [("阳光家园辅助性就业（手工串珠）", 500, 1200), ("阳光家园辅助性就业（洗车）", 800, 1500)]
QUOTA_WAGE = (2600, 4800)


@dataclass
class Spell:
    started_on: date
    employed: bool
    form: str = ""
    reason: str = ""
    employer: str = ""  # key of a demo employer
    employer_name: str = ""
    income: Decimal | None = None
    note: str = ""


@dataclass
class Resident:
    """A person of the demo register the employment plan gives records to."""

    person: Person
    card: Certificate | None  # valid on the reference date
    spells: list[Spell] = field(default_factory=list)

    @property
    def age(self) -> int:
        return self.person.age_on(REFERENCE_DATE)

    @property
    def sixteen(self) -> date:
        return add_years(self.person.birth_date, 16)

    @property
    def grade(self) -> int | None:
        return self.card.grade if self.card else None

    @property
    def category(self) -> int | None:
        return self.card.category if self.card else None

    @property
    def gacha(self) -> bool:
        return self.person.residence_area.code.startswith(SUMU[0][:9])  # a gacha of the sumu

    def registered_on(self, day: date) -> bool:
        return self.person.life_status_on(day) == LifeStatus.ACTIVE

    def on(self, day: date) -> Spell | None:
        """The spell planned to cover a day."""
        current = None
        for spell in self.spells:
            if spell.started_on <= day:
                current = spell
        return current

    def welfare_posts(self) -> int:
        return sum(1 for spell in self.spells if spell.form == EmploymentForm.PUBLIC_WELFARE)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low // 10, high // 10) * 10).quantize(Decimal("0.01"))


def _job(rng: random.Random, form: str, choices, start: date, **extra) -> Spell:
    name, low, high = rng.choice(choices) if isinstance(choices, list) else choices
    return Spell(start, True, form=form, employer_name=name, income=_money(rng, low, high), **extra)


def _not_working(start: date, reason: str, note: str = "") -> Spell:
    return Spell(start, False, reason=reason, note=note)


def _work_weight(resident: Resident) -> float:
    """How likely a person is in work: severe grades, mental and intellectual disability and the young less."""
    weight = {1: 0.3, 2: 0.6, 3: 1.0, 4: 1.2}.get(resident.grade, 0.8)
    age = resident.age
    weight *= 0.25 if age < 20 else 0.55 if age >= 55 else 0.8 if age >= 50 else 1.0
    if resident.category in (Category.INTELLECTUAL, Category.MENTAL, Category.MULTIPLE):
        weight *= 0.6
    return weight * (1.4 if resident.gacha else 1.0)


def _employed_spell(rng: random.Random, resident: Resident, start: date) -> Spell:
    """The work of a person in work on the reference date, by where they live and what they can do."""
    urban_forms = [EmploymentForm.FLEXIBLE, EmploymentForm.SELF_EMPLOYED, EmploymentForm.PUBLIC_WELFARE]
    if resident.gacha:
        form = EmploymentForm.AGRICULTURE if rng.random() < 0.85 else EmploymentForm.PUBLIC_WELFARE
    elif resident.person.hukou_type == "agricultural" and rng.random() < 0.35:
        form = EmploymentForm.AGRICULTURE
    elif resident.category in (Category.INTELLECTUAL, Category.MENTAL, Category.MULTIPLE) and rng.random() < 0.45:
        form = EmploymentForm.ASSISTED
    else:
        form = rng.choices(urban_forms, weights=[56, 30, 10])[0]
    if form == EmploymentForm.AGRICULTURE:
        return _job(rng, form, HERDING, start)
    if form == EmploymentForm.PUBLIC_WELFARE:
        return _job(rng, form, GRASSLAND_POST if resident.gacha else WELFARE_POSTS, start)
    if form == EmploymentForm.ASSISTED:
        return _job(rng, form, ASSISTED_WORK, start)
    if form == EmploymentForm.SELF_EMPLOYED:
        massage = resident.category == Category.VISION and rng.random() < 0.7
        return _job(rng, form, MASSAGE if massage else OWN_BUSINESS, start)
    return _job(rng, form, FLEXIBLE_WORK, start)


def _reason(rng: random.Random, resident: Resident) -> str:
    """Why a person is not in work on the reference date."""
    age, reason = resident.age, NotWorkingReason
    educated = resident.person.education_level in ("college", "bachelor")
    if age <= 19 and rng.random() < 0.75:
        return reason.STUDYING
    if 20 <= age <= 26 and educated:  # 高校毕业生 not yet in work, or still at university
        return reason.STUDYING if age <= 21 and rng.random() < 0.5 else reason.GRADUATE
    if (resident.grade == 1 and rng.random() < 0.65) or (resident.grade == 2 and rng.random() < 0.4):
        return reason.UNABLE
    if resident.category in (Category.INTELLECTUAL, Category.MENTAL) and rng.random() < 0.4:
        return reason.UNABLE
    return rng.choices([reason.HOUSEWORK, reason.UNWILLING, reason.SEEKING, reason.UNABLE, reason.OTHER],
                       weights=[30, 20, 24, 16, 10])[0]


def employment_plan(residents: list[Resident], seed: int = SEED + 7) -> None:
    """Give each working-age person of the reference date their spells, the reference date's exactly as the plan
    counts it (227 in work of 433), with some history before it and some changes after it."""
    rng = random.Random(seed)
    pool = [r for r in residents if r.card and not r.gacha and 22 <= r.age <= 50
            and r.category not in (Category.INTELLECTUAL, Category.MENTAL)]
    rng.shuffle(pool)

    def take(severe: bool) -> Resident:
        chosen = next(r for r in pool if (r.grade == 2 if severe else r.grade in (3, 4)))
        pool.remove(chosen)
        return chosen

    placed: set[int] = set()
    quota_staff = []
    for employer, severe in QUOTA_STAFF:
        resident = take(severe)
        resident.spells.append(Spell(_day(rng, date(2012, 3, 1), date(2019, 6, 30)), True, form=EmploymentForm.QUOTA,
                                     employer=employer, income=_money(rng, *QUOTA_WAGE), note="签订劳动合同，缴纳社会保险"))
        placed.add(resident.person.pk)
        quota_staff.append(resident)
    mover = quota_staff[2]  # 通达's third: at 宏达物流 from 2024-07-01; both list this employee for 2024
    mover.spells.append(Spell(MOVES_TO_HONGDA, True, form=EmploymentForm.QUOTA, employer="hongda",
                              income=mover.spells[0].income + 300, note="调换工作单位"))
    for employer, severe in CONCENTRATED_STAFF:
        resident = take(severe)
        resident.spells.append(Spell(_day(rng, date(2016, 5, 1), date(2020, 12, 31)), True,
                                     form=EmploymentForm.CONCENTRATED, employer=employer,
                                     income=_money(rng, 2000, 2600)))
        placed.add(resident.person.pk)
    part_timer = take(False)  # 万家惠's part-time cashier: listed in 2025, refused for pay below the minimum wage
    part_timer.spells += [
        Spell(date(2021, 10, 8), True, form=EmploymentForm.FLEXIBLE, employer="wanjiahui", employer_name="超市收银（非全日制）",
              income=PART_TIME_WAGE),
        _job(rng, EmploymentForm.FLEXIBLE, FLEXIBLE_WORK[3], date(2025, 1, 1)),
    ]
    placed.add(part_timer.person.pk)
    placements = []
    for employer, day in QUOTA_PLACEMENTS:
        resident = take(False)
        resident.spells += [
            _not_working(HISTORY_START, NotWorkingReason.SEEKING, "零就业家庭，登记求职"),
            Spell(day, True, form=EmploymentForm.QUOTA, employer=employer, income=_money(rng, *QUOTA_WAGE),
                  note="残联推荐就业，签订劳动合同"),
        ]
        placements.append(resident.person.pk)

    others = [r for r in residents if r.person.pk not in placed and r.person.pk not in placements]
    wanted = EMPLOYED_ON_REFERENCE_DATE - len(placed)
    ranked = sorted(others, key=lambda r: rng.random() ** (1 / _work_weight(r)), reverse=True)
    for resident in ranked[:wanted]:
        _plan_employed(rng, resident)
    for resident in ranked[wanted:]:
        _plan_not_working(rng, resident)
    for resident in ranked:
        _plan_changes(rng, resident)
    for resident in residents:
        # Every record runs from its first day: before a job found later, the person was at school or looking.
        first = _first_day(resident)
        if resident.spells[0].started_on > first:
            young = resident.person.age_on(first) < 20
            resident.spells.insert(0, _not_working(first, NotWorkingReason.STUDYING if young
                                                   else NotWorkingReason.SEEKING))


def _first_day(resident: Resident) -> date:
    """The day a person's real-name record begins: the first survey, or their 16th birthday if later."""
    return max(HISTORY_START, resident.sixteen)


def _plan_employed(rng: random.Random, resident: Resident) -> None:
    first = _first_day(resident)
    if rng.random() < 0.35 or first > REFERENCE_DATE - timedelta(days=60):
        # Found work after the first survey (未就业 2019 → 就业 2021); the years before are filled in later.
        start = _day(rng, first + timedelta(days=30), REFERENCE_DATE)
    else:
        start = _day(rng, min(first, max(date(2008, 1, 1), add_years(resident.person.birth_date, 18))), first)
    spell = _employed_spell(rng, resident, start)
    if spell.form == EmploymentForm.PUBLIC_WELFARE:  # posts are recent: the programme grew from 2020
        spell.started_on = max(spell.started_on, _day(rng, date(2020, 1, 1), REFERENCE_DATE))
        if rng.random() < 0.25 and spell.started_on > date(2021, 1, 1) and first < date(2020, 1, 1):
            # A second placement: the first post ran 2019–2020 (公益性岗位每人最多安置两次).
            resident.spells += [
                _job(rng, EmploymentForm.PUBLIC_WELFARE, GRASSLAND_POST if resident.gacha else WELFARE_POSTS, first),
                _not_working(date(2020, 12, 1), NotWorkingReason.SEEKING, "公益性岗位期满")]
    resident.spells.append(spell)


def _plan_not_working(rng: random.Random, resident: Resident) -> None:
    reason = _reason(rng, resident)
    first = _first_day(resident)
    if reason == NotWorkingReason.GRADUATE:
        graduated = date(rng.choice([2020, 2021, 2022]), 7, 1)
        if first < graduated:
            resident.spells.append(_not_working(first, NotWorkingReason.STUDYING))
        resident.spells.append(_not_working(max(graduated, first), reason))
    elif reason in (NotWorkingReason.SEEKING, NotWorkingReason.HOUSEWORK, NotWorkingReason.OTHER) \
            and resident.age >= 24 and rng.random() < 0.3:
        # Lost work in the epidemic years (疫情期间失去工作).
        resident.spells += [_job(rng, EmploymentForm.FLEXIBLE, FLEXIBLE_WORK, first),
                            _not_working(_day(rng, date(2020, 2, 1), date(2022, 6, 30)), reason)]
    else:
        note = "重度残疾" if reason == NotWorkingReason.UNABLE and resident.grade in (1, 2) else ""
        resident.spells.append(_not_working(first, reason, note))


def _plan_changes(rng: random.Random, resident: Resident) -> None:
    """What changed after the reference date (from 2023-01-01, never later than the demo's today)."""
    now = resident.on(REFERENCE_DATE)
    if resident.age > 55 or now is None:
        return
    reason, roll = now.reason, rng.random()
    if reason == NotWorkingReason.SEEKING and roll < 0.65:
        form = rng.choices([EmploymentForm.FLEXIBLE, EmploymentForm.PUBLIC_WELFARE, EmploymentForm.SELF_EMPLOYED],
                           weights=[45, 25, 20])[0]
        if form == EmploymentForm.PUBLIC_WELFARE and resident.welfare_posts() >= 2:
            form = EmploymentForm.FLEXIBLE
        choices = {EmploymentForm.FLEXIBLE: FLEXIBLE_WORK, EmploymentForm.SELF_EMPLOYED: OWN_BUSINESS,
                   EmploymentForm.PUBLIC_WELFARE: GRASSLAND_POST if resident.gacha else WELFARE_POSTS}[form]
        resident.spells.append(_job(rng, form, choices, _day(rng, date(2023, 3, 1), date(2026, 9, 30)),
                                    note="残联就业援助"))
    elif reason == NotWorkingReason.GRADUATE and roll < 0.7:
        resident.spells.append(_job(rng, EmploymentForm.FLEXIBLE, FLEXIBLE_WORK,
                                    _day(rng, date(2023, 2, 1), date(2024, 10, 31)), note="高校毕业生一人一策"))
    elif reason == NotWorkingReason.STUDYING:
        graduated = date(max(REFERENCE_DATE.year + 1, REFERENCE_DATE.year + 22 - resident.age), 7, 1)
        if graduated <= LAST_DAY:
            resident.spells.append(_not_working(graduated, NotWorkingReason.GRADUATE))
            found = graduated + timedelta(days=rng.randint(60, 300))
            if graduated.year < LAST_DAY.year and rng.random() < 0.5 and found <= LAST_DAY:
                resident.spells.append(_job(rng, EmploymentForm.FLEXIBLE, FLEXIBLE_WORK, found,
                                            note="高校毕业生一人一策"))
    elif reason in (NotWorkingReason.HOUSEWORK, NotWorkingReason.UNWILLING) and roll < 0.06:
        resident.spells.append(_job(rng, EmploymentForm.FLEXIBLE, FLEXIBLE_WORK,
                                    _day(rng, date(2023, 5, 1), date(2026, 6, 30)), note="参加培训后就业"))
    elif now.employed and not now.employer:
        if roll < 0.04:
            resident.spells.append(_not_working(_day(rng, date(2023, 3, 1), date(2026, 10, 31)),
                                                rng.choice([NotWorkingReason.UNABLE, NotWorkingReason.SEEKING]),
                                                "因病或单位裁员离岗"))
        elif roll < 0.08 and now.form == EmploymentForm.FLEXIBLE:
            resident.spells.append(_job(rng, EmploymentForm.SELF_EMPLOYED, OWN_BUSINESS,
                                        _day(rng, date(2023, 3, 1), date(2025, 12, 31)), note="自主创业"))
        elif now.form == EmploymentForm.PUBLIC_WELFARE and roll < 0.3 and now.started_on < date(2022, 1, 1):
            resident.spells.append(_job(rng, EmploymentForm.FLEXIBLE, FLEXIBLE_WORK, date(2025, 1, 1),
                                        note="公益性岗位期满，转灵活就业"))


# ---- Training and support -----------------------------------------------------------------------------------

# name, kind, provider, area code, first day, last day, hours, certificate earned, trainees, who (a filter name)
COURSES = [
    ("残疾人中式面点师培训班", CourseKind.VOCATIONAL, "二连浩特市职业技能培训中心（示例）", CITY[0],
     date(2021, 5, 10), date(2021, 6, 18), 120, "中式面点师（初级）", 12, "any"),
    ("盲人保健按摩培训班", CourseKind.VOCATIONAL, "锡林郭勒盟盲人按摩指导中心（示例）", CITY[0],
     date(2022, 8, 1), date(2022, 9, 9), 160, "保健按摩师（初级）", 8, "vision"),
    ("残疾人创业培训（SYB）", CourseKind.ENTREPRENEURSHIP, "二连浩特市公共就业服务中心（示例）", CITY[0],
     date(2023, 4, 10), date(2023, 4, 21), 80, "创业培训合格证书", 15, "any"),
    ("牧区残疾人养殖实用技术培训", CourseKind.AGRICULTURE, "格日勒敖都苏木农牧业综合服务站（示例）", SUMU[0],
     date(2024, 6, 17), date(2024, 6, 21), 40, "", 10, "gacha"),
    ("跨境电商与直播营销培训", CourseKind.VOCATIONAL, "二连浩特市职业技能培训中心（示例）", CITY[0],
     date(2025, 9, 8), date(2025, 10, 17), 90, "互联网营销师（五级）", 12, "any"),
    ("中式烹调师培训班", CourseKind.VOCATIONAL, "二连浩特市职业技能培训中心（示例）", CITY[0],
     date(2026, 11, 2), date(2026, 12, 11), 120, "中式烹调师（初级）", 10, "any"),  # running now
]
# kind, title, day, area code, employers, jobs offered, disabled attendees, placed
EVENTS = [
    (EventKind.JOB_FAIR, "2024年“就业援助月”残疾人专场招聘会", date(2024, 2, 23), CITY[0], 18, 126, 64, 11),
    (EventKind.PLACEMENT, "2025年“就业援助月”走访零就业家庭专项活动", date(2025, 2, 12), CITY[0], 6, 22, 31, 7),
    (EventKind.JOB_FAIR, "2026年全国助残日残疾人专场招聘会", date(2026, 5, 17), CITY[0], 23, 158, 72, 14),
]
SUPPORTS = 10


def _enrol(rng: random.Random, residents: list[Resident]) -> int:
    enrolments = []
    for name, kind, provider, code, first, last, hours, certificate, size, who in COURSES:
        course = TrainingCourse.objects.create(name=name, kind=kind, provider=provider, area=Area.objects.get(code=code),
                                               starts_on=first, ends_on=last, hours=hours)
        candidates = [r for r in residents if r.registered_on(first) and 16 <= r.person.age_on(first) <= 59
                      and (who != "vision" or r.category == Category.VISION) and (who != "gacha" or r.gacha)
                      and (who == "gacha" or not r.gacha)]
        # Those looking for work or in flexible work first: the courses are for them.
        keen = [r for r in candidates if (spell := r.on(first)) is not None and (
            spell.reason in (NotWorkingReason.SEEKING, NotWorkingReason.GRADUATE)
            or spell.form in (EmploymentForm.FLEXIBLE, EmploymentForm.SELF_EMPLOYED, EmploymentForm.AGRICULTURE))]
        chosen = rng.sample(keen, min(size, len(keen)))
        for resident in chosen:
            completed = last <= LAST_DAY and rng.random() < 0.88
            enrolments.append(TrainingEnrolment(course=course, person=resident.person,
                                                completed_on=last if completed else None,
                                                certificate=certificate if completed else ""))
    TrainingEnrolment.objects.bulk_create(enrolments)
    return len(enrolments)


def _support(rng: random.Random, residents: list[Resident]) -> int:
    """创业扶持 for those who started a business from 2021, then for older businesses (loan interest, premises)."""
    founders = [(r, s) for r in residents for s in r.spells
                if s.form == EmploymentForm.SELF_EMPLOYED and date(2021, 1, 1) <= s.started_on <= date(2026, 6, 30)]
    older = [(r, s) for r in residents for s in r.spells[-1:]
             if s.form == EmploymentForm.SELF_EMPLOYED and s.started_on < date(2021, 1, 1)]
    rows = []
    for resident, spell in founders[:SUPPORTS - 3]:
        rows.append(EntrepreneurshipSupport(
            person=resident.person, kind=SupportKind.STARTUP_GRANT,
            granted_on=min(LAST_DAY, spell.started_on + timedelta(days=rng.randint(30, 120))),
            amount=Decimal(rng.choice([5000, 5000, 10000])).quantize(Decimal("0.01")),
            note=f"{spell.employer_name}：一次性创业补贴"))
    for n, (resident, spell) in enumerate(rng.sample(older, min(len(older), max(0, SUPPORTS - len(rows))))):
        if n % 2:
            rows.append(EntrepreneurshipSupport(person=resident.person, kind=SupportKind.PREMISES,
                                                granted_on=date(2024 + n % 3, 3, 15), amount=Decimal("3600.00"),
                                                note=f"{spell.employer_name}：经营场地租金补贴（一年）"))
        else:
            rows.append(EntrepreneurshipSupport(person=resident.person, kind=SupportKind.LOAN_INTEREST,
                                                granted_on=date(2023 + n % 3, 12, 20),
                                                amount=Decimal(rng.randint(80000, 240000)) / 100,
                                                note=f"{spell.employer_name}：创业担保贷款贴息"))
    EntrepreneurshipSupport.objects.bulk_create(rows)
    return len(rows)


# ---- Loading ------------------------------------------------------------------------------------------------

def _residents(officer) -> list[Resident]:
    """The working-age persons of the reference date, each with the card valid then."""
    persons = list(selectors.working_age_persons(user=officer, on=REFERENCE_DATE)
                   .select_related("residence_area").order_by("id_number"))
    cards = {card.person_id: card for card in Certificate.objects.filter(
        valid_certificate_on(REFERENCE_DATE), person__in=[p.pk for p in persons])}
    return [Resident(person, cards.get(person.pk)) for person in persons]


def _records_add(residents: list[Resident], employers: dict[str, Employer], officer) -> int:
    added = 0
    for resident in residents:
        # Nothing is recorded after a death (the benefits demo reports one in September 2026).
        for spell in (s for s in resident.spells if resident.registered_on(s.started_on)):
            services.employment_record_add(
                person=resident.person, by=officer, employed=spell.employed, started_on=spell.started_on,
                form=spell.form, not_working_reason=spell.reason, employer=employers.get(spell.employer),
                employer_name=spell.employer_name, monthly_income=spell.income, note=spell.note)
            added += 1
    return added


def _staff_of(residents: list[Resident], employer: str, year: int) -> list[tuple[Resident, Spell]]:
    """Who worked for an employer at some time in a year, by the plan's spells."""
    staff = []
    for resident in residents:
        for spell, following in zip(resident.spells, [*resident.spells[1:], None], strict=True):
            ends = following.started_on - timedelta(days=1) if following else LAST_DAY
            if spell.employer == employer and spell.started_on <= date(year, 12, 31) and ends >= date(year, 1, 1):
                staff.append((resident, spell))
    return staff


def _declare(residents: list[Resident], employers: dict[str, Employer], officer) -> dict[int, dict]:
    filed: dict[int, dict] = {}
    for year, rows in DECLARATIONS.items():
        year_end = date(year - 1, 12, 31)
        filed[year] = {}
        for key, declared_on, staff, wage in rows:
            employees = []
            for resident, spell in _staff_of(residents, key, year - 1):
                card = Certificate.objects.filter(valid_certificate_on(year_end), person=resident.person).first()
                employees.append(services.employee_row_clean(
                    certificate_number=(card or resident.card).number, name=resident.person.name,
                    monthly_wage=spell.income, social_insurance=True,
                    contract_one_year=spell.income != PART_TIME_WAGE))  # the part-timer has no one-year contract
            if key == "dairy":  # a herder's son from 锡林浩特, not on this register
                employees.append(services.employee_row_clean(
                    certificate_number=certificate_number_for(id_number_for("152502", date(1991, 5, 14), 37), 4, 3),
                    name="吉日木图", monthly_wage="3200", social_insurance="是", contract_one_year="是"))
            filed[year][key] = services.declaration_submit(
                employer=employers[key], by=officer, year=year, declared_on=declared_on, staff_count=Decimal(staff),
                average_wage=Decimal(wage), employees=employees)
    return filed


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 30)))


def _review_and_decide(filed: dict[int, dict], officer, finance) -> None:
    """2025: all reviewed and decided, most paid (one late); 2026: a mix at every stage."""
    for key, decided_on in DECIDED_2025.items():
        services.declarations_review(year=2025, by=officer, declarations=[filed[2025][key]],
                                     at=_at(decided_on - timedelta(days=4)))
        declaration = services.declaration_decide(declaration=filed[2025][key], by=finance, on=decided_on)
        if key in PAID_2025 and declaration.levy > 0:
            paid_on = declaration.due_on - timedelta(days=30) + timedelta(days=PAID_2025[key])
            levy, surcharge = services.amount_owed(declaration, paid_on=paid_on)
            services.declaration_payment_record(declaration=declaration, by=finance, paid_on=paid_on,
                                                amount=levy + surcharge)
    for key, reviewed_on in REVIEWED_2026.items():
        services.declarations_review(year=2026, by=officer, declarations=[filed[2026][key]], at=_at(reviewed_on))
    for key, decided_on in DECIDED_2026.items():
        services.declaration_decide(declaration=filed[2026][key], by=finance, on=decided_on)


def _young(officer) -> list[Resident]:
    """Those who turned 16 after the reference date: at school, as the survey records them."""
    persons = (Person.objects.filter(residence_in_scope(officer), birth_date__gt=add_years(REFERENCE_DATE, -16),
                                     birth_date__lte=add_years(LAST_DAY, -16))
               .select_related("residence_area").order_by("id_number"))
    young = [Resident(person, None) for person in persons]
    for resident in young:
        resident.spells.append(_not_working(resident.sixteen, NotWorkingReason.STUDYING))
    return young


def _aged_out(officer) -> list[Resident]:
    """Those who turned 60 between the first survey and the reference date: recorded while of working age."""
    rng = random.Random(SEED + 9)
    persons = (Person.objects.filter(residence_in_scope(officer), birth_date__lte=add_years(REFERENCE_DATE, -60),
                                     birth_date__gt=add_years(HISTORY_START, -60))
               .select_related("residence_area").order_by("id_number"))
    aged = [Resident(person, None) for person in persons]
    for resident in aged:
        if rng.random() < 0.4:
            resident.spells.append(_job(rng, EmploymentForm.AGRICULTURE if resident.gacha else EmploymentForm.FLEXIBLE,
                                        HERDING if resident.gacha else FLEXIBLE_WORK, HISTORY_START))
        else:
            resident.spells.append(_not_working(HISTORY_START, rng.choice(
                [NotWorkingReason.UNABLE, NotWorkingReason.HOUSEWORK, NotWorkingReason.UNWILLING])))
    return aged


def demo_employment_load() -> dict:
    """Employers, real-name employment records (2019–2026), two review years of quota declarations, training,
    job fairs and entrepreneurship support. Runs once: a second call finds the records and changes nothing."""
    if Employer.objects.exists() or EmploymentRecord.objects.exists():
        return {"created": False}
    users = {user.username: user for user in User.objects.filter(username__in=["officer", "finance"])}
    if len(users) < 2 or not Person.objects.exists():
        raise LookupError("load_demo")  # the registry demo (its areas, staff and persons) comes first
    officer, finance = users["officer"], users["finance"]
    rng = random.Random(SEED + 8)
    with transaction.atomic():
        employers = {}
        for key, prefix, body, name, kind, code, address, contact, phone in EMPLOYERS:
            employers[key] = services.employer_save(
                by=officer, uscc_code=demo_uscc(prefix, body), name=name, kind=kind, area=Area.objects.get(code=code),
                address=address, contact_name=contact, contact_phone=phone)
        residents = _residents(officer)
        employment_plan(residents)
        records = _records_add([*residents, *_young(officer), *_aged_out(officer)], employers, officer)
        filed = _declare(residents, employers, officer)
        _review_and_decide(filed, officer, finance)
        enrolments = _enrol(rng, residents)
        EmploymentEvent.objects.bulk_create(
            EmploymentEvent(kind=kind, title=title, held_on=day, area=Area.objects.get(code=code), employers=units,
                            jobs_offered=jobs, attendees=attendees, placed=placed)
            for kind, title, day, code, units, jobs, attendees, placed in EVENTS)
        supports = _support(rng, residents)
    rate = selectors.employment_rate(user=officer, on=REFERENCE_DATE)
    totals = {year: {key: (value or Decimal(0)).quantize(Decimal("0.01")) for key, value in Declaration.objects.filter(
        year=year).aggregate(levy=Sum("levy"), reward=Sum("reward"), paid=Sum("paid_amount")).items()}
        for year in DECLARATIONS}
    return {"created": True, "employers": len(employers), "records": records, "enrolments": enrolments,
            "supports": supports, "declarations": {year: len(rows) for year, rows in filed.items()},
            "rate": rate, "totals": totals}
