"""The Erenhot services demo: providers, the device catalogue, rehabilitation coordinators, the 2020 needs and
services behind the plan's coverage figures, and this year's survey with the needs it found and what became of them.

Synthetic and deterministic, and true to the plan's figures (domain.md §6): in 2020, 209 of the 250 persons who
needed rehabilitation received it (基本康复服务率 83.6%) and 91 of the 99 who needed an assistive device were fitted
(辅助器具适配率 91.9%), read off the needs and service records. In 2026 about 60% of the certified persons have been
visited, a few visits are unfinished, and the needs found are open, referred, met or closed; some are overdue. Home
modifications go through their steps (application, home survey, works, acceptance with a photo drawn here).
The survey's employment answers repeat the employment demo's records, so its figures stay as they are. Providers
are invented or marked （示例）; no real person's data is used.
"""

import random
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from canlian.accounts.models import User
from canlian.areas.models import Area
from canlian.benefits.models import Entitlement
from canlian.common.records import history_stamp
from canlian.employment.choices import NotWorkingReason
from canlian.employment.models import EmploymentRecord
from canlian.parameters.selectors import parameter_int, parameter_value
from canlian.registry.choices import AssistanceKind, Category
from canlian.registry.demo import CITY, SEED
from canlian.registry.models import AssistanceStatus, Certificate, Person, valid_certificate_on
from canlian.registry.rules import add_years
from canlian.services import rules, selectors, services
from canlian.services.choices import InstitutionKind, NeedKind, NeedState, ServiceKind, ServiceOutcome
from canlian.services.models import (
    DeviceProduct,
    Institution,
    ModificationProject,
    Need,
    RehabCoordinator,
    ServiceRecord,
    SurveyVisit,
)

LAST_DAY = date(2026, 11, 28)  # the demo's "today", as in the employment demo: nothing is dated after it
YEAR = LAST_DAY.year

# ---- Providers, devices, coordinators ------------------------------------------------------------------------

# key, name, kind, area code, qualified from, qualified until, designated for children's rehabilitation, address, phone
INSTITUTIONS = [
    ("centre", "二连浩特市中蒙残疾人康复中心", InstitutionKind.REHABILITATION, CITY[0], date(2016, 5, 1), None, True,
     "二连浩特市前进路西段（示例）", "0479-7522101"),
    ("hospital", "二连浩特市医院（示例）", InstitutionKind.HOSPITAL, "152501001003", date(2015, 1, 1), None, False,
     "额仁社区新华街（示例）", "0479-7522102"),
    ("maternity", "二连浩特市妇幼保健院（示例）", InstitutionKind.HOSPITAL, "152501001002", date(2015, 1, 1), None, True,
     "东城社区口岸大街（示例）", "0479-7522103"),
    ("devices", "二连浩特市残疾人辅助器具服务中心", InstitutionKind.DEVICE, CITY[0], date(2017, 6, 1), None, False,
     "二连浩特市残疾人综合服务中心一楼（示例）", "0479-7522104"),
    ("home", "二连浩特市阳光家园", InstitutionKind.CARE, "152501001004", date(2018, 9, 1), None, False,
     "呼和社区民族街（示例）", "0479-7522105"),
    ("school", "二连浩特市特殊教育学校（示例）", InstitutionKind.SCHOOL, "152501001005", date(2012, 9, 1), None, False,
     "南苑社区育才路（示例）", "0479-7522106"),
    ("primary", "二连浩特市实验小学（示例）", InstitutionKind.SCHOOL, "152501001008", date(2010, 9, 1), None, False,
     "锡林社区前进路（示例）", "0479-7522107"),
    # Its qualification lapsed in mid-2025: the services it gave before stand, a referral to it now is refused.
    ("clinic", "二连浩特市康宁康复诊所", InstitutionKind.REHABILITATION, "152501001006", date(2018, 7, 1),
     date(2025, 6, 30), False, "乌兰社区团结路（示例）", "0479-7522108"),
]

# name, category, subsidy limit (元), in the catalogue
DEVICES = [
    ("普通轮椅", "轮椅", "800", True),
    ("电动轮椅", "轮椅", "3000", True),
    ("助行器", "助行器", "300", True),
    ("肘拐", "助行器", "150", True),
    ("坐便椅", "生活自理辅具", "200", True),
    ("防压疮坐垫", "生活自理辅具", "400", True),
    ("假肢（小腿）", "假肢", "5000", True),
    ("助听器（耳背式）", "助听器", "2500", True),
    ("盲杖", "盲用辅具", "100", True),
    ("语音手表", "盲用辅具", "200", True),
    ("助视器（便携式）", "盲用辅具", "800", True),
    ("手摇三轮车", "代步辅具", "1200", False),  # taken out of the catalogue
]
# What each kind of disability is fitted with (by grade for physical disability).
DEVICE_FOR = {
    (Category.PHYSICAL, 1): ["电动轮椅", "普通轮椅", "防压疮坐垫", "坐便椅"],
    (Category.PHYSICAL, 2): ["普通轮椅", "坐便椅", "助行器", "假肢（小腿）"],
    (Category.PHYSICAL, 3): ["助行器", "肘拐", "假肢（小腿）"],
    (Category.PHYSICAL, 4): ["肘拐", "助行器"],
    (Category.VISION, None): ["盲杖", "语音手表", "助视器（便携式）"],
    (Category.HEARING, None): ["助听器（耳背式）"],
    (Category.MULTIPLE, None): ["普通轮椅", "坐便椅"],
}

# area code, name, phone, assigned on, ended on. Each community has one coordinator (80–100 persons: 北疆社区's 76
# reads as under the band); 西城社区's left in September and is not yet replaced; the village doctors of the
# gachas (10–18 persons each) serve as coordinators part-time.
COORDINATORS = [
    ("152501001001", "王淑芬", "13904791201", date(2021, 3, 1), None),
    ("152501001002", "李建华", "13904791202", date(2021, 3, 1), None),
    ("152501001003", "乌日娜", "13904791203", date(2021, 3, 1), None),
    ("152501001004", "张丽", "13904791204", date(2022, 5, 9), None),
    ("152501001005", "刘志强", "13904791205", date(2021, 3, 1), None),
    ("152501001006", "萨仁高娃", "13904791206", date(2023, 2, 13), None),
    ("152501001006", "赵红梅", "13904791207", date(2021, 3, 1), date(2023, 1, 31)),
    ("152501001007", "马秀兰", "13904791208", date(2021, 3, 1), date(2026, 9, 30)),
    ("152501001008", "孙晓东", "13904791209", date(2021, 3, 1), None),
    ("152501200200", "巴图（嘎查村医兼任）", "13904791210", date(2022, 4, 1), None),
    ("152501200201", "其其格（嘎查村医兼任）", "13904791211", date(2022, 4, 1), None),
    ("152501200202", "额尔敦（嘎查村医兼任）", "13904791212", date(2022, 4, 1), None),
    ("152501200203", "图雅（嘎查村医兼任）", "13904791213", date(2022, 4, 1), None),
    ("152501200204", "宝音（嘎查村医兼任）", "13904791214", date(2022, 4, 1), None),
]

# ---- 2020 (domain.md §6) ------------------------------------------------------------------------------------------

# (needing, served in the year): 209/250 = 83.6%, 91/99 = 91.9% (one decimal, half up, as the selector rounds).
REHABILITATION_2020 = (250, 209)
DEVICES_2020 = (99, 91)
SURVEY_2020 = (date(2020, 3, 2), date(2020, 9, 30))
BACKFILLED = "2020年度入户调查（纸质表，系统上线前补录）"

CLOSE_NOTES = {
    NeedKind.REHABILITATION: ["本人拒绝康复服务", "已在外地医院接受康复（另有渠道解决）", "外出务工，长期无法联系"],
    NeedKind.CHILD_REHABILITATION: ["家长选择在外地自费康复训练", "家长暂不同意训练"],
    NeedKind.ASSISTIVE_DEVICE: ["已自行购买辅助器具", "本人表示暂不需要"],
    NeedKind.CARE: ["家属照料，暂不需要托养", "本人不愿离家"],
    NeedKind.HOME_MODIFICATION: ["房屋为租住，房东不同意改造", "家庭已搬迁，新居无需改造"],
    NeedKind.EDUCATION: ["已随家长到外地就学"],
    NeedKind.EMPLOYMENT: ["已推荐到公共就业服务中心登记求职，由就业服务跟进"],
    NeedKind.CULTURE_SPORTS: ["身体原因，暂不参加"],
}

# ---- 2026 -----------------------------------------------------------------------------------------------------

VISITED_SHARE, UNFINISHED_SHARE = 0.60, 0.05
SURVEY_FROM = date(2026, 3, 2)
# The federation's own activities this year: subtype, day, what, how many took part.
EVENTS = [
    ("federation_event", date(2026, 5, 17), "全国助残日文艺汇演", 34),
    ("sports", date(2026, 8, 8), "全民健身日残疾人趣味运动会", 22),
    ("culture", date(2026, 10, 15), "国际盲人节读书分享会（视力残疾人）", 12),
]
CARE_RECIPIENTS = {"day": 8, "home": 5, "residential": 2}  # in 阳光家园 since 2025
UNIVERSITY_AID = Decimal("5000.00")
MODIFICATIONS_APPLIED = 12  # severely disabled households that applied at the federation (one gave up)
CHILDREN_WAITING = 5  # children ≤ 14 left on the children's page without a case


@dataclass
class Resident:
    """A certified person of the demo register and what the demo knows of them today."""

    person: Person
    card: Certificate
    schemes: set[str] = field(default_factory=set)
    dibao: bool = False
    fitted: bool = False
    in_care: bool = False
    placement: str = ""
    events: list[date] = field(default_factory=list)
    modified_on: date | None = None  # home modification accepted

    @property
    def grade(self) -> int:
        return self.card.grade

    @property
    def category(self) -> int:
        return self.card.category

    def age(self, day: date) -> int:
        return self.person.age_on(day)

    def devices(self) -> list[str]:
        return DEVICE_FOR.get((self.category, self.grade)) or DEVICE_FOR.get((self.category, None)) or []


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _workday(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _round10(value: float) -> Decimal:
    return _money(int(value) // 10 * 10)


def _institutions() -> dict[str, Institution]:
    places = {}
    for key, name, kind, code, since, until, children, address, phone in INSTITUTIONS:
        places[key] = Institution.objects.create(
            name=name, kind=kind, area=Area.objects.get(code=code), qualified_from=since, qualified_until=until,
            designated_for_children=children, address=address, phone=phone)
    return places


def _products() -> dict[str, DeviceProduct]:
    DeviceProduct.objects.bulk_create(DeviceProduct(name=name, category=category, subsidy_limit=_money(limit),
                                                    active=active) for name, category, limit, active in DEVICES)
    return {product.name: product for product in DeviceProduct.objects.all()}


def _coordinators() -> int:
    areas = {area.code: area for area in Area.objects.filter(code__in={row[0] for row in COORDINATORS})}
    RehabCoordinator.objects.bulk_create(
        RehabCoordinator(area=areas[code], name=name, phone=phone, assigned_on=since, ended_on=until)
        for code, name, phone, since, until in COORDINATORS)
    return len(COORDINATORS)


# ---- What a service for a need looks like ---------------------------------------------------------------------

@dataclass
class Plan:
    """A service answering a need: what, by whom, and its dates (ended None: still running)."""

    kind: str
    subtype: str
    provider: Institution | None
    referred_on: date
    started_on: date | None
    ended_on: date | None
    product: DeviceProduct | None = None
    cost: Decimal | None = None
    subsidy: Decimal | None = None
    note: str = ""


def _plan(rng: random.Random, kind: str, resident: Resident, *, referred_on: date, started_on: date | None,
          ended_on: date | None, places: dict, products: dict) -> Plan:
    """The service a need of a kind gets for this person; the cost and subsidy only once it has ended."""
    done = ended_on is not None
    if kind == NeedKind.ASSISTIVE_DEVICE:
        product = products[rng.choice(resident.devices() or ["助行器"])]
        cost = _round10(float(product.subsidy_limit) * rng.choice([1.0, 1.0, 1.25, 1.6]))
        return Plan(ServiceKind.ASSISTIVE_DEVICE, "fitting", places["devices"], referred_on, started_on, ended_on,
                    product=product, cost=cost if done else None,
                    subsidy=min(cost, product.subsidy_limit) if done else None)
    if kind == NeedKind.CHILD_REHABILITATION:
        provider = places["maternity" if resident.category == Category.HEARING or rng.random() < 0.3 else "centre"]
        if resident.category == Category.HEARING:
            product = products["助听器（耳背式）"]
            return Plan(ServiceKind.CHILD_REHABILITATION, "device", provider, referred_on, started_on, ended_on,
                        product=product, cost=_money(4600) if done else None, subsidy=_money(4600) if done else None,
                        note="双耳助听器验配")
        months = max(1, ((ended_on or referred_on) - (started_on or referred_on)).days // 30)
        fee = _money(rng.choice([1800, 2000, 2400]) * months)
        return Plan(ServiceKind.CHILD_REHABILITATION, "training", provider, referred_on, started_on, ended_on,
                    cost=fee if done else None, subsidy=min(fee, _money(12000)) if done else None,
                    note="一人一案：康复训练")
    if kind == NeedKind.REHABILITATION:
        if resident.category == Category.MENTAL:
            subtype, provider = "mental_community", places["centre"]
        elif resident.category == Category.PHYSICAL:
            subtype = rng.choice(["training", "training", "medical", "plan"])
            provider = places["hospital"] if subtype == "medical" else places["centre"]
        else:
            subtype = rng.choice(["training", "family_doctor", "psychological", "plan"])
            provider = places["hospital"] if subtype == "family_doctor" else places["centre"]
        if provider == places["centre"] and (started_on or referred_on) <= date(2025, 6, 30) and rng.random() < 0.2:
            provider = places["clinic"]  # qualified then
        cost = _round10(rng.randint(400, 3000)) if done and subtype != "family_doctor" else None
        return Plan(ServiceKind.REHABILITATION, subtype, provider, referred_on, started_on, ended_on, cost=cost,
                    subsidy=_round10(float(cost) * 0.8) if cost else None)
    if kind == NeedKind.CARE:
        subtype = rng.choice(["day", "day", "home", "residential"])
        return Plan(ServiceKind.CARE, subtype, places["home"], referred_on, started_on, ended_on)
    if kind == NeedKind.EDUCATION:
        if resident.age(referred_on) >= 18:
            return Plan(ServiceKind.EDUCATION, "university_aid", None, referred_on, started_on, ended_on,
                        cost=UNIVERSITY_AID if done else None, subsidy=UNIVERSITY_AID if done else None,
                        note="残疾大学生资助")
        subtype = "home_teaching" if resident.grade == 1 else "special_school"
        return Plan(ServiceKind.EDUCATION, subtype, places["school"], referred_on, started_on, ended_on,
                    note="一人一案")
    subtype = rng.choice(["culture", "sports", "federation_event"])
    return Plan(ServiceKind.CULTURE_SPORTS, subtype, None, referred_on, started_on, ended_on,
                note={"culture": "社区书画班", "sports": "轮椅太极、地掷球", "federation_event": "残联志愿服务活动"}[subtype])


def _record(plan: Plan, person: Person, need: Need | None, by, outcome: str = "") -> ServiceRecord:
    return services.service_record_add(
        person=person, by=by, kind=plan.kind, subtype=plan.subtype, need=need, provider=plan.provider,
        product=plan.product, referred_on=plan.referred_on, started_on=plan.started_on, ended_on=plan.ended_on,
        outcome=outcome if plan.ended_on else "", cost=plan.cost, subsidy=plan.subsidy, note=plan.note)


# ---- 2020 ------------------------------------------------------------------------------------------------------

def _residents_2020() -> list[Resident]:
    """Persons whose card was valid all through 2020 (the 2020 survey knew them), and no child turning 15 before
    the services of 2020 ended (the children's assistance stops at 14)."""
    first, last = SURVEY_2020[0], date(2021, 6, 30)
    cards = (Certificate.objects.filter(valid_certificate_on(first)).filter(valid_certificate_on(last))
             .select_related("person").order_by("person__id_number"))
    residents = {}
    for card in cards:
        if (card.person.age_on(first) <= 14) == (card.person.age_on(last) <= 14):
            residents.setdefault(card.person_id, Resident(card.person, card))
    return list(residents.values())


def _needing_weight(resident: Resident) -> float:
    """Who needs rehabilitation most: children, mental and severe physical disability."""
    if resident.age(SURVEY_2020[0]) <= 14:
        return 4.0
    if resident.category == Category.MENTAL or (resident.category == Category.PHYSICAL and resident.grade <= 2):
        return 2.0
    return 1.0


def _year_2020(rng: random.Random, officer, places: dict, products: dict) -> set[int]:
    """The 2020 survey's rehabilitation and device needs (entered later) and the services that answered them:
    most in the year, some only in 2021, a few closed without service. Returns who was fitted with a device."""
    residents = _residents_2020()
    ranked = sorted(residents, key=lambda r: rng.random() ** (1 / _needing_weight(r)), reverse=True)
    needing, served = REHABILITATION_2020
    # 195 served and finished in 2020, 14 still in training at the year's end, 25 served only in 2021, 16 closed.
    groups = [("done", served - 14), ("running", 14), ("late", needing - served - 16), ("closed", 16)]
    _needs_2020(rng, officer, ranked[:needing], groups, places, products, device=False)
    fit = [r for r in residents if r.devices()]
    rng.shuffle(fit)
    needing, served = DEVICES_2020
    groups = [("done", served), ("late", needing - served - 3), ("closed", 3)]
    chosen = fit[:needing]
    _needs_2020(rng, officer, chosen, groups, places, products, device=True)
    return {r.person.pk for r in chosen[:served + groups[1][1]]}


def _needs_2020(rng, officer, residents: list[Resident], groups, places, products, *, device: bool) -> None:
    order = [group for group, count in groups for _ in range(count)]
    assert len(order) == len(residents)
    rng.shuffle(order)
    for resident, group in zip(residents, order, strict=True):
        # Those still in training at the year's end, or served only in 2021, were found late in the year.
        opened = _day(rng, date(2020, 8, 3) if group == "running" else SURVEY_2020[0],
                      date(2020, 10, 30) if group in ("running", "late") else SURVEY_2020[1])
        child = resident.age(opened) <= 14
        kind = NeedKind.ASSISTIVE_DEVICE if device else (
            NeedKind.CHILD_REHABILITATION if child else NeedKind.REHABILITATION)
        need = services.need_open(person=resident.person, by=officer, kind=kind, source=Need.Source.SURVEY,
                                  detail=BACKFILLED, on=opened)
        if group == "closed":
            services.need_close(need=need, by=officer, note=rng.choice(CLOSE_NOTES[kind]),
                                on=opened + timedelta(days=rng.randint(40, 150)))
            continue
        referred = opened + timedelta(days=rng.randint(3, 20))
        if group == "late":
            referred = opened + timedelta(days=rng.randint(20, 50))
            started = _day(rng, date(2021, 1, 11), date(2021, 4, 30))
        else:
            started = referred + timedelta(days=rng.randint(0, 10))
        if device:
            ended = started + timedelta(days=rng.randint(0, 14))
        elif group == "running":
            ended = _day(rng, date(2021, 1, 15), date(2021, 4, 30))
        else:
            ended = started + timedelta(days=rng.randint(20, 90))
        if group == "done":
            ended = min(ended, date(2020, 12, 28))
        plan = _plan(rng, kind, resident, referred_on=referred, started_on=started, ended_on=ended, places=places,
                     products=products)
        _record(plan, resident.person, need, officer,
                outcome=ServiceOutcome.IMPROVED if rng.random() < 0.3 else ServiceOutcome.COMPLETED)


def coverage_totals(*, user, year: int) -> dict[str, tuple[int, int]]:
    """基本康复服务率 and 辅助器具适配率 over all the user's areas: (needing, served)."""
    totals = {}
    for what in selectors.COVERAGE:
        rows = selectors.coverage_by_area(user=user, what=what, year=year)
        totals[what] = (sum(r.needing for r in rows), sum(r.served for r in rows))
    return totals


# ---- 2026: who is who, and what they already receive --------------------------------------------------------------

def _residents_now(officer) -> list[Resident]:
    """This year's survey population (certified, on the register), with what the other demos gave them."""
    persons = list(selectors.survey_due(user=officer, on=LAST_DAY).select_related("residence_area")
                   .order_by("id_number"))
    cards = {}
    for card in Certificate.objects.filter(valid_certificate_on(LAST_DAY), person__in=persons).order_by("-issued_on"):
        cards.setdefault(card.person_id, card)
    schemes: dict[int, set[str]] = {}
    for person_id, scheme in Entitlement.objects.filter(state=Entitlement.State.ACTIVE).values_list("person",
                                                                                                   "scheme"):
        schemes.setdefault(person_id, set()).add(scheme)
    dibao = set(AssistanceStatus.objects.filter(kind=AssistanceKind.DIBAO, ended_on__isnull=True)
                .values_list("person", flat=True))
    return [Resident(p, cards[p.pk], schemes=schemes.get(p.pk, set()), dibao=p.pk in dibao) for p in persons]


def _care_eligible(resident: Resident, day: date) -> bool:
    facts = rules.PersonFacts(age=resident.age(day), registered=True, certificate_category=resident.category,
                              certificate_grade=resident.grade)
    return rules.care_decision(facts, rules.CareOptions(
        min_age=parameter_int("person.working_age_min", on=day),
        max_age=parameter_int("person.working_age_max", on=day))).allowed


def _standing_services(rng: random.Random, residents: list[Resident], officer, places: dict) -> None:
    """What persons already received apart from this year's visits: care in 阳光家园 since 2025, school placements,
    home modifications applied for at the federation, and the federation's activities of the year."""
    since = date(2025, 3, 3)
    eligible = [r for r in residents if _care_eligible(r, since) and _care_eligible(r, LAST_DAY)
                and r.card.issued_on <= since]
    rng.shuffle(eligible)
    for subtype, count in CARE_RECIPIENTS.items():
        standard = parameter_value(f"care.subsidy.{subtype}", on=since)
        for resident in [eligible.pop() for _ in range(count)]:
            resident.in_care = True
            services.service_record_add(
                person=resident.person, by=officer, kind=ServiceKind.CARE, subtype=subtype, provider=places["home"],
                referred_on=since - timedelta(days=14), started_on=since, ended_on=date(2025, 12, 31),
                outcome=ServiceOutcome.COMPLETED, cost=standard, subsidy=standard, note="2025年度阳光家园托养")
            services.service_record_add(
                person=resident.person, by=officer, kind=ServiceKind.CARE, subtype=subtype, provider=places["home"],
                started_on=date(2026, 1, 5), note="2026年度阳光家园托养（续）")
    # School placements (教育安置, 一人一案) for the school-age children: one deferred with the reason; every seventh
    # has none and is on the education page until the survey finds the need.
    school_age = [r for r in residents if 6 <= r.age(date(YEAR, 9, 1)) <= 15]
    for n, resident in enumerate(school_age):
        if n % 7 == 3:
            continue
        subtype = ("home_teaching" if resident.grade == 1 else "special_school" if resident.category in (
            Category.INTELLECTUAL, Category.MULTIPLE) or resident.grade == 2 else "mainstream")
        subtype, note = ("deferred", "病情不宜入学，经评估缓学一年（医院证明）") if n == 1 else (subtype, "一人一案")
        provider = places["primary" if subtype == "mainstream" else "school"] if subtype != "deferred" else None
        started = max(date(YEAR - 1, 9, 1), date(add_years(resident.person.birth_date, 6).year, 9, 1))
        started = started if started <= LAST_DAY else date(YEAR, 9, 1)
        resident.placement = "none" if subtype == "deferred" else subtype
        services.service_record_add(person=resident.person, by=officer, kind=ServiceKind.EDUCATION, subtype=subtype,
                                    provider=provider, started_on=started, note=note)
    # Home modifications applied for at the federation this spring (not from the survey), accepted by the summer.
    severe = [r for r in residents if r.grade <= 2 and r.category in (Category.PHYSICAL, Category.VISION,
                                                                      Category.MULTIPLE)]
    for n, resident in enumerate(rng.sample(severe, MODIFICATIONS_APPLIED)):
        applied = _workday(_day(rng, date(YEAR, 3, 2), date(YEAR, 6, 30)))
        if n == 0:  # the landlord said no after the home survey
            project = _modification(rng, resident.person, officer, need=None, steps=2, applied_on=applied)
            services.modification_cancel(project=project, by=officer, note="房屋为租住，房东不同意改造")
            continue
        resident.modified_on = _modification(rng, resident.person, officer, need=None, steps=4,
                                             applied_on=applied).accepted_on
    adults = [r for r in residents if 16 <= r.age(LAST_DAY) <= 70]
    for subtype, day, title, count in EVENTS:
        pool = [r for r in adults if r.category == Category.VISION] if "盲" in title else adults
        for resident in rng.sample(pool, min(count, len(pool))):
            resident.events.append(day)
            services.service_record_add(person=resident.person, by=officer, kind=ServiceKind.CULTURE_SPORTS,
                                        subtype=subtype, started_on=day, ended_on=day,
                                        outcome=ServiceOutcome.COMPLETED, note=title)


# ---- 2026: the survey ------------------------------------------------------------------------------------------

def _spells() -> dict[int, list[EmploymentRecord]]:
    spells: dict[int, list[EmploymentRecord]] = {}
    for record in EmploymentRecord.objects.order_by("person", "started_on"):
        spells.setdefault(record.person_id, []).append(record)
    return spells


def _spell_on(spells: list[EmploymentRecord], day: date) -> EmploymentRecord | None:
    return next((s for s in spells if s.is_current_on(day)), None)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _answers(rng: random.Random, resident: Resident, day: date, spell: EmploymentRecord | None) -> dict[str, dict]:
    """What the person's household answers, consistent with their card, age, benefits and employment record."""
    age, category, grade = resident.age(day), resident.category, resident.grade
    child = age <= 14
    severe_body = category in (Category.PHYSICAL, Category.VISION, Category.MULTIPLE) and grade <= 2
    # Fixed draws in a fixed order: the answers of one person never shift those of the next.
    draws = [rng.random() for _ in range(14)]
    rehab_need = draws[0] < (0.75 if child else 0.4 if category == Category.MENTAL
                             else 0.3 if severe_body else 0.12)
    device_need = bool(resident.devices()) and (resident.fitted or draws[1] < 0.18)
    care_need = resident.in_care or (draws[3] < 0.3 if _care_eligible(resident, day)
                                     else draws[3] < 0.05 and grade <= 2 and age >= 60)
    modified = resident.modified_on is not None and resident.modified_on < day
    home_need = modified or (resident.modified_on is None and draws[4] < (0.22 if severe_body else 0.02))
    went = any(event < day for event in resident.events)
    participates = went or draws[5] < 0.45
    answers = {
        "assistance": {"living_allowance": _yes("living_allowance" in resident.schemes),
                       "nursing_allowance": _yes("nursing_allowance" in resident.schemes),
                       "hardship": _yes(resident.dibao or draws[6] < 0.08)},
        "insurance": {"pension": _yes(age >= 16 and draws[7] < 0.88), "medical": _yes(draws[8] < 0.97)},
        "rehabilitation": {"need": _yes(rehab_need), "receives": _yes(rehab_need and not child and draws[9] < 0.4),
                           "family_doctor": _yes(draws[10] < 0.55)},
        "devices": {"need": _yes(device_need), "receives": _yes(resident.fitted or (device_need and draws[2] < 0.3))},
        "care": {"need": _yes(care_need), "receives": _yes(resident.in_care)},
        "accessibility": {"need": _yes(home_need), "receives": _yes(modified or (home_need and draws[11] < 0.15))},
        "culture": {"participates": _yes(participates), "need": _yes(not participates and draws[12] < 0.3)},
    }
    if 3 <= age <= 22:
        studying = age <= 15 or (spell is not None and spell.not_working_reason == NotWorkingReason.STUDYING)
        if resident.placement:
            placement, need = resident.placement, "no"  # a deferred child answers 未入学 and needs nothing now
        elif 6 <= age <= 15:
            placement, need = "none", "yes"  # school age and not at school: the survey opens the need
        elif studying and age >= 16:
            placement, need = "mainstream", _yes(age >= 18 and draws[13] < 0.5)  # 大学生资助
        else:
            placement, need = "none", "no"
        answers["education"] = {"placement": placement, "need": need}
    if spell is not None:
        answers["employment"] = {"employed": _yes(spell.employed), "form": spell.form,
                                 "reason": spell.not_working_reason}
    return answers


def _post(section: str, answers: dict) -> dict:
    """A section's answers as the tablet posts them."""
    return {f"{section}-{key}": value for key, value in answers.items()}


COMMUNITY_OFFICERS = {"152501001001": "beijiang", "152501200200": "gacha1"}


def _surveyor(person: Person, users: dict) -> User:
    """The community officer visits in their own area, the federation's officer elsewhere."""
    return users[COMMUNITY_OFFICERS.get(person.residence_area.code, "officer")]


def _walk(visit: SurveyVisit, by, sections, answers: dict, *, finish: bool) -> list[Need]:
    """A visit as the tablet makes it: each section saved through the survey service, then finished."""
    for section in sections:
        services.survey_section_save(visit=visit, by=by, section=section.key,
                                     data=_post(section.key, answers[section.key]))
    return services.survey_visit_complete(visit=visit, by=by) if finish else []


def _written(person: Person, by, day: date, answers: dict, child_max_age: int) -> list[Need]:
    """A finished visit written at once, as survey_visit_complete leaves it: the answers, the needs they show
    (rules.needs_from_answers through need_open), and no employment record, the answers repeating the current one."""
    visit = SurveyVisit(person=person, year=day.year, visited_on=day, officer=by, answers=answers,
                        completed_at=timezone.now())
    history_stamp(visit, by=by, reason="完成入户调查")
    visit.save()
    return [services.need_open(person=person, by=by, kind=need.kind, source=Need.Source.SURVEY, detail=need.detail,
                               visit=visit, on=day)
            for need in rules.needs_from_answers(answers, age=person.age_on(day), child_max_age=child_max_age)]


def _survey(rng: random.Random, residents: list[Resident], users: dict) -> tuple[list[tuple[Need, Resident]], int]:
    """Visit about 60% of this year's persons and start a few more. The unfinished visits, those in the two
    community officers' areas and every fourth other go through the survey services section by section; the rest
    are written as the services would leave them (walking all of them would take half a minute)."""
    spells = _spells()
    working_min = parameter_int("person.working_age_min", on=LAST_DAY)
    working_max = parameter_int("person.working_age_max", on=LAST_DAY)
    child_max_age = parameter_int("children.screening_max_age", on=LAST_DAY)
    order = residents[:]
    rng.shuffle(order)
    visited = round(len(order) * VISITED_SHARE)
    unfinished = round(len(order) * UNFINISHED_SHARE)
    found: list[tuple[Need, Resident]] = []
    started = 0
    for n, resident in enumerate(order[:visited + unfinished]):
        person, finish = resident.person, n < visited
        day = _workday(_day(rng, SURVEY_FROM if finish else date(2026, 11, 9), LAST_DAY - timedelta(days=3)))
        spell = _spell_on(spells.get(person.pk, []), day)
        if working_min <= resident.age(day) <= working_max and spell is None:
            continue  # no employment record to repeat: left for a visit that records one
        by = _surveyor(person, users)
        answers = _answers(rng, resident, day, spell)
        sections = selectors.sections_for(person, on=day)
        walked = not finish or person.residence_area.code in COMMUNITY_OFFICERS or n % 4 == 0
        if not walked:
            needs = _written(person, by, day, {s.key: answers[s.key] for s in sections}, child_max_age)
        else:
            if not finish:  # the tablet lost its connection, or the day ended
                sections = sections[:rng.randint(1, len(sections) - 1)]
                started += 1
            visit = services.survey_visit_start(person=person, by=by, visited_on=day)
            needs = _walk(visit, by, sections, answers, finish=finish)
        found += [(need, resident) for need in needs]
    return found, started


# ---- 2026: what became of the needs -------------------------------------------------------------------------

DURATION = {  # days a service of a need's kind runs, when it ends
    NeedKind.REHABILITATION: (30, 90), NeedKind.CHILD_REHABILITATION: (60, 120), NeedKind.ASSISTIVE_DEVICE: (0, 14),
    NeedKind.EDUCATION: (0, 0), NeedKind.CULTURE_SPORTS: (0, 0),
}
MODIFICATION_PLANS = ["卫生间加装扶手、坐便改造", "门口坡道、门槛铲平", "闪光门铃、可视对讲门铃", "室内扶手、地面防滑",
                      "厨房操作台降低、加装扶手"]
CONTRACTORS = ["二连浩特市安居建筑装饰有限公司（示例）", "二连浩特市鑫达装修工程队（示例）"]


def _photo(n: int) -> SimpleUploadedFile:
    """An acceptance photo (验收照片) drawn here, a small PNG: sky, floor and a ramp, as a demo has no camera."""
    width, height = 120, 80
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter: none
        for x in range(width):
            ramp = y > height - 1 - (x - 30) * 0.5 and x > 30
            row += bytes((150, 150, 160) if ramp else (200, 180, 140) if y > 50 else (170, 200, 230))
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))
    return SimpleUploadedFile(f"验收照片{n}.png", png, content_type="image/png")


def _modification(rng: random.Random, person: Person, by, *, need: Need | None, applied_on: date, steps: int,
                  last: date = LAST_DAY) -> ModificationProject:
    """A home modification through its steps (申请 → 入户评估 → 施工 → 验收), as far as `steps` and the days allow."""
    project = services.modification_apply(person=person, by=by, applied_on=applied_on, need=need,
                                          note="重度残疾人家庭无障碍改造")
    day = applied_on
    for step in range(1, steps):
        day += timedelta(days=rng.randint(*((5, 15), (7, 25), (15, 40))[step - 1]))
        if day > last:
            break
        if step == 1:
            project = services.modification_advance(project=project, by=by, on=day,
                                                    plan=rng.choice(MODIFICATION_PLANS))
        elif step == 2:
            project = services.modification_advance(project=project, by=by, on=day, contractor=rng.choice(CONTRACTORS))
        else:
            cost = _round10(rng.randint(2800, 9000))
            project = services.modification_advance(project=project, by=by, on=day, cost=cost,
                                                    subsidy=min(cost, _money(6000)), photos=[_photo(project.pk)])
    return project


def _follow_up(rng: random.Random, found: list[tuple[Need, Resident]], users: dict, places: dict,
               products: dict) -> None:
    """Most needs past their referral deadline were referred or met, a few closed, some left open (overdue); the
    recent ones are mostly still open. Care runs on; placements start with the school year."""
    for need, resident in sorted(found, key=lambda pair: (pair[0].opened_on, pair[0].pk)):
        by = _surveyor(resident.person, users)
        roll, kind = rng.random(), need.kind
        past_due = need.due_on < LAST_DAY
        if kind == NeedKind.EMPLOYMENT or (kind == NeedKind.CARE and not _care_eligible(resident, LAST_DAY)):
            if roll < 0.5 or kind == NeedKind.CARE:
                note = CLOSE_NOTES[kind][0] if kind == NeedKind.EMPLOYMENT else "不在阳光家园托养范围，已转介民政部门养老服务"
                services.need_close(need=need, by=by, note=note,
                                    on=min(LAST_DAY, need.opened_on + timedelta(days=rng.randint(5, 25))))
            continue
        if kind == NeedKind.CHILD_REHABILITATION:  # a child's case is referred first (一人一案)
            outcome = ("met" if roll < 0.75 else "referred") if past_due else (
                "referred" if roll < 0.6 else "open")
        elif past_due:
            outcome = "met" if roll < 0.5 else "referred" if roll < 0.72 else "closed" if roll < 0.82 else "open"
        else:
            outcome = "referred" if roll < 0.4 else "met" if roll < 0.5 else "open"
        if outcome == "open":
            continue
        if outcome == "closed":
            note, closed = rng.choice(CLOSE_NOTES[kind]), min(LAST_DAY, need.opened_on + timedelta(
                days=rng.randint(10, 40)))
            if kind == NeedKind.HOME_MODIFICATION:  # surveyed, then given up
                project = _modification(rng, resident.person, by, need=need, applied_on=need.opened_on, steps=2,
                                        last=closed)
                services.modification_cancel(project=project, by=by, note=note)
            services.need_close(need=need, by=by, note=note, on=closed)
            continue
        referred = min(LAST_DAY, need.opened_on + timedelta(days=rng.randint(3, 25)))
        if kind == NeedKind.HOME_MODIFICATION:
            _modification(rng, resident.person, by, need=need, applied_on=referred,
                          steps=4 if outcome == "met" else rng.randint(1, 3))
            continue
        started = referred + timedelta(days=rng.randint(0, 10))
        if kind == NeedKind.EDUCATION and resident.age(referred) < 18:
            started = max(started, date(YEAR, 9, 1))  # a school place starts with the school year
        low, high = DURATION.get(kind, (0, 0))
        ended = started + timedelta(days=rng.randint(low, high))
        if outcome == "referred" or kind == NeedKind.CARE or (kind == NeedKind.EDUCATION and resident.age(
                referred) < 18) or ended > LAST_DAY:
            ended = None
        if started > LAST_DAY or (outcome == "referred" and rng.random() < 0.3):
            started = None  # referred, waiting for the provider to start
        if kind == NeedKind.CHILD_REHABILITATION and max(started or referred, ended or referred) >= add_years(
                resident.person.birth_date, 15):
            continue  # the child turns 15 first: left for the officer to decide
        plan = _plan(rng, kind, resident, referred_on=referred, started_on=started, ended_on=ended, places=places,
                     products=products)
        _record(plan, resident.person, need, by, outcome=ServiceOutcome.IMPROVED if kind in (
            NeedKind.REHABILITATION, NeedKind.CHILD_REHABILITATION) and rng.random() < 0.4
            else ServiceOutcome.COMPLETED)
        if kind == NeedKind.CHILD_REHABILITATION and ended is not None and plan.subtype == "training" \
                and ended + timedelta(days=7) <= LAST_DAY:
            # The next term of training: within the year's cap with the first (children_rehab.cap.training).
            services.service_record_add(
                person=resident.person, by=by, kind=ServiceKind.CHILD_REHABILITATION, subtype="training",
                provider=plan.provider, started_on=ended + timedelta(days=7), note="一人一案：第二期康复训练")


def _children_cases(rng: random.Random, residents: list[Resident], officer, places: dict, products: dict) -> int:
    """Cases opened from the children's page (残疾儿童康复救助立案) for most children the survey did not make one
    for, and referred to a designated institution; a few children are left on the page. Returns how many wait."""
    by_pk = {r.person.pk: r for r in residents}
    waiting = sorted((by_pk[p.pk] for p in selectors.children_without_case(user=officer, on=LAST_DAY) if p.pk in by_pk),
                     key=lambda r: r.person.id_number)
    left = {r.person.pk for r in rng.sample(waiting, min(CHILDREN_WAITING, len(waiting)))}
    for resident in waiting:
        if resident.person.pk in left:
            continue
        opened = _workday(_day(rng, date(2026, 9, 1), date(2026, 11, 13)))
        need = services.need_open(person=resident.person, by=officer, kind=NeedKind.CHILD_REHABILITATION,
                                  source=Need.Source.OFFICER, detail="儿童康复救助立案", on=opened)
        referred = opened + timedelta(days=rng.randint(2, 10))
        started = referred + timedelta(days=rng.randint(3, 10)) if rng.random() < 0.7 else None
        _record(_plan(rng, need.kind, resident, referred_on=referred, started_on=started, ended_on=None,
                      places=places, products=products), resident.person, need, officer)
    return len(left)


# ---- Loading ------------------------------------------------------------------------------------------------

def _health_screening(residents: list[Resident], officer) -> int:
    """The health commission's screening list of the autumn (0—14岁残疾儿童筛查), imported as departments send it:
    two registered children with no case yet, and one child not yet on the register (the officer registers them
    before a case can be opened). Returns how many rows matched the register."""
    from canlian.common.ids import id_number_for
    from canlian.exchange import services as exchange_services
    from canlian.exchange.models import ImportBatch
    from canlian.services.models import Need as NeedModel

    day = LAST_DAY - timedelta(days=40)
    with_case = set(NeedModel.objects.filter(kind=NeedKind.CHILD_REHABILITATION).values_list("person_id", flat=True))
    children = [r.person for r in residents if r.person.age_on(day) <= 12 and r.person.pk not in with_case][:2]
    newborn = id_number_for("152501", day - timedelta(days=500), 391)
    rows = [["身份证号", "姓名", "筛查日期", "筛查结果", "筛查机构", "所在社区"]]
    rows += [[child.id_number, child.name, day.isoformat(), "孤独症（疑似）", "二连浩特市妇幼保健院（示例）",
              child.residence_area.code] for child in children]
    rows.append([newborn, "乌日娜", day.isoformat(), "听力障碍（疑似）", "二连浩特市妇幼保健院（示例）", "152501001001"])
    data = "\ufeff" + "\n".join(",".join(row) for row in rows) + "\n"
    city = Area.objects.get(code=CITY[0])
    batch = exchange_services.import_batch_create(
        by=officer, source="child_screening", area=city, list_date=day, chunks=[data.encode()],
        file_name="0-14岁残疾儿童筛查名单（示例）.csv")
    batch = exchange_services.import_validate(batch=batch)
    if batch.state == ImportBatch.State.VALIDATED:
        exchange_services.import_commit(batch=batch, by=officer)
    return len(children)


def demo_services_load() -> dict:
    """Providers, the device catalogue, coordinators, the 2020 needs and services, and this year's survey with its
    needs and services. Runs once: a second call finds the providers and changes nothing."""
    if Institution.objects.exists() or Need.objects.exists() or ServiceRecord.objects.exists() \
            or ModificationProject.objects.exists():
        return {"created": False}
    users = {user.username: user for user in User.objects.filter(username__in=["officer", "beijiang", "gacha1"])}
    if len(users) < 3 or not Person.objects.exists() or not EmploymentRecord.objects.exists():
        raise LookupError("load_demo_employment")  # the registry and employment demos come first
    officer = users["officer"]
    rng = random.Random(SEED + 11)
    with transaction.atomic():
        places = _institutions()
        products = _products()
        coordinators = _coordinators()
        fitted = _year_2020(rng, officer, places, products)
        residents = _residents_now(officer)
        for resident in residents:
            resident.fitted = resident.person.pk in fitted
        _standing_services(rng, residents, officer, places)
        found, unfinished = _survey(rng, residents, users)
        _follow_up(rng, found, users, places, products)
        waiting = _children_cases(rng, residents, officer, places, products)
        screened = _health_screening(residents, officer)
    progress = selectors.survey_progress(user=officer, on=LAST_DAY)
    coverage = coverage_totals(user=officer, year=2020)
    counted = dict(Need.objects.filter(opened_on__year=YEAR).values_list("state").annotate(n=Count("pk"))
                   .values_list("state", "n"))
    states = {state: counted.get(state, 0) for state in NeedState.values}
    steps = dict(ModificationProject.objects.values_list("step").annotate(n=Count("pk")).values_list("step", "n"))
    return {
        "created": True, "institutions": len(places), "products": len(products), "coordinators": coordinators,
        "visited": sum(row["visited"] for row in progress), "due": sum(row["due"] for row in progress),
        "unfinished": unfinished, "needs": states, "children_waiting": waiting, "screened": screened,
        "modifications": {step: steps.get(step, 0) for step in ModificationProject.Step.values},
        "overdue": Need.objects.filter(state=NeedState.OPEN, due_on__lt=LAST_DAY).count(),
        "services": ServiceRecord.objects.count(), "coverage_2020": coverage,
        "percent_2020": {what: selectors.Coverage("", *pair).percent for what, pair in coverage.items()},
    }
