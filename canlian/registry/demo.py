"""The Erenhot demo registry: synthetic, deterministic, and true to the plan's figures (domain.md §6).

On the reference date 2022-12-31 the registry holds 773 persons, 766 of them with a valid certificate
(318 grade 1–2, 448 grade 3–4), and 433 persons aged 16–59. No real person's data is used.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from canlian.accounts.models import Role, User
from canlian.areas.models import Area
from canlian.areas.services import area_create
from canlian.common.ids import birth_date_of, certificate_number_for, id_number_for
from canlian.registry import rules, services
from canlian.registry.choices import Category, Relation
from canlian.registry.models import Person
from canlian.registry.names import (
    HAN_GIVEN_FEMALE,
    HAN_GIVEN_MALE,
    HAN_SURNAMES,
    MONGOLIAN_FEMALE,
    MONGOLIAN_MALE,
)

REFERENCE_DATE = date(2022, 12, 31)
SEED = 152501
DEMO_PASSWORD = "Canlian-demo-2026"  # noqa: S105 — demo accounts only, printed by `canlian demo`

CITY = ("152501000000", "二连浩特市", Area.Level.COUNTY)
COMMUNITIES = ["北疆社区", "东城社区", "额仁社区", "呼和社区", "南苑社区", "乌兰社区", "西城社区", "锡林社区"]
SUMU = ("152501200000", "格日勒敖都苏木")
# Gacha names are not confirmed (domain.md §7): placeholders an administrator renames in the admin.
GACHA = ["第一嘎查", "第二嘎查", "第三嘎查", "第四嘎查", "第五嘎查"]

# The 2020 category mix (domain.md §6) scaled to 766 certificates.
CATEGORY_COUNTS = {
    Category.PHYSICAL: 465, Category.VISION: 70, Category.HEARING: 115, Category.SPEECH: 7,
    Category.MENTAL: 59, Category.INTELLECTUAL: 14, Category.MULTIPLE: 36,
}
GRADE_COUNTS = {1: 131, 2: 187, 3: 203, 4: 245}  # 318 severe, 448 non-severe
PERSONS, CERTIFIED, WORKING_AGE, CHILDREN = 773, 766, 433, 28
EXPIRING_SOON = 12  # cards issued early in 2017 that come up for renewal (到期换证) in the demo

assert sum(CATEGORY_COUNTS.values()) == CERTIFIED == sum(GRADE_COUNTS.values())
assert GRADE_COUNTS[1] + GRADE_COUNTS[2] == 318

DEMO_USERS = [
    # username, display name, role, area codes
    ("admin", "系统管理员", Role.ADMIN, [CITY[0]]),
    ("officer", "残联工作人员（示例）", Role.FEDERATION_OFFICER, [CITY[0]]),
    ("finance", "残联财务复核（示例）", Role.FEDERATION_OFFICER, [CITY[0]]),
    ("leader", "残联领导（示例）", Role.FEDERATION_LEADER, [CITY[0]]),
    ("beijiang", "北疆社区专职委员（示例）", Role.COMMUNITY_OFFICER, ["152501001001"]),
    ("gacha1", "第一嘎查专职委员（示例）", Role.COMMUNITY_OFFICER, ["152501200200"]),
]


@dataclass
class DemoPerson:
    id_number: str
    name: str
    ethnicity: str
    hukou_type: str
    area_code: str
    address: str
    phone: str
    marital_status: str
    education_level: str
    category: int | None = None
    grade: int | None = None
    components: list[rules.Finding] = field(default_factory=list)
    issued_on: date | None = None
    household: int = 0
    relation: str = Relation.HEAD
    elderly_parent_birth: date | None = None

    @property
    def birth_date(self) -> date:
        return birth_date_of(self.id_number)


def area_codes() -> list[tuple[str, str, str, str | None]]:
    """Every demo area as (code, name, level, parent code)."""
    rows = [(CITY[0], CITY[1], CITY[2], None)]
    rows += [(f"152501001{i:03d}", name, Area.Level.VILLAGE, CITY[0]) for i, name in enumerate(COMMUNITIES, 1)]
    rows.append((SUMU[0], SUMU[1], Area.Level.TOWNSHIP, CITY[0]))
    rows += [(f"152501200{199 + i:03d}", name, Area.Level.VILLAGE, SUMU[0]) for i, name in enumerate(GACHA, 1)]
    return rows


def _id_number(rng: random.Random, birth: date, male: bool, used: set[str]) -> str:
    while True:
        sequence = rng.randrange(1, 999)
        if sequence % 2 != int(male):
            sequence += 1 if sequence < 998 else -1
        number = id_number_for("152501", birth, sequence)
        if number not in used:
            used.add(number)
            return number


def _ages(rng: random.Random) -> list[int]:
    ages = [rng.randint(2, 15) for _ in range(CHILDREN)]
    ages += [rng.randint(16, 59) for _ in range(WORKING_AGE)]
    ages += [min(95, 60 + int(rng.expovariate(1 / 12))) for _ in range(PERSONS - CHILDREN - WORKING_AGE)]
    rng.shuffle(ages)
    return ages


def demo_plan(seed: int = SEED) -> list[DemoPerson]:
    """Build the demo registry in memory: the same list for the same seed, every time."""
    rng = random.Random(seed)
    categories = [c for c, n in CATEGORY_COUNTS.items() for _ in range(n)]
    grades = [g for g, n in GRADE_COUNTS.items() for _ in range(n)]
    rng.shuffle(categories)
    rng.shuffle(grades)
    community_codes = [f"152501001{i:03d}" for i in range(1, 9)]
    gacha_codes = [f"152501200{199 + i:03d}" for i in range(1, 6)]
    used: set[str] = set()
    plan = []
    for index, age in enumerate(_ages(rng)):
        male = rng.random() < 0.56
        birth = date(REFERENCE_DATE.year - age, 1, 1) + timedelta(days=rng.randrange(365))
        mongolian = rng.random() < 0.29
        ethnicity = "02" if mongolian else rng.choices(["01", "03", "11", "31"], weights=[95, 2, 2, 1])[0]
        if mongolian:
            name = rng.choice(MONGOLIAN_MALE if male else MONGOLIAN_FEMALE)
        else:
            given = HAN_GIVEN_MALE if male else HAN_GIVEN_FEMALE
            name = rng.choice(HAN_SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice([1, 2, 2])))
        in_gacha = rng.random() < 0.1
        area_code = rng.choice(gacha_codes if in_gacha else community_codes)
        person = DemoPerson(
            id_number=_id_number(rng, birth, male, used), name=name, ethnicity=ethnicity,
            hukou_type="agricultural" if in_gacha or rng.random() < 0.05 else "urban", area_code=area_code,
            address=f"{rng.randint(1, 40)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}"
            if not in_gacha else f"{rng.randint(1, 12)}组",
            phone="" if rng.random() < 0.1 else f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
            marital_status="10" if age < 22 else rng.choices(["10", "20", "30", "40"], weights=[15, 65, 12, 8])[0],
            education_level=("preschool" if age < 7 else "primary") if age < 13 else rng.choices(
                ["none", "primary", "junior", "senior", "college", "bachelor"], weights=[10, 25, 30, 20, 9, 6])[0],
            household=index,
        )
        if index < CERTIFIED:
            person.category, person.grade = categories[index], grades[index]
            if person.category == Category.MULTIPLE:
                first, second = rng.sample([1, 2, 3, 4, 5, 6], 2)
                person.components = [rules.Finding(first, person.grade),
                                     rules.Finding(second, rng.randint(person.grade, 4))]
            earliest = max(date(2017, 3, 1), birth + timedelta(days=365))
            if index < EXPIRING_SOON:
                earliest = date(2016, 12, 1) + timedelta(days=index * 7)
                person.issued_on = earliest
            else:
                person.issued_on = earliest + timedelta(days=rng.randrange(max(1, (REFERENCE_DATE - earliest).days)))
        plan.append(person)
    _group_households(rng, plan)
    return plan


def _group_households(rng: random.Random, plan: list[DemoPerson]) -> None:
    """Pair some persons into shared households (一户多残) and give some an elderly parent (依老养残)."""
    by_area: dict[str, list[DemoPerson]] = {}
    for person in plan:
        by_area.setdefault(person.area_code, []).append(person)
    for residents in by_area.values():
        adults = [p for p in residents if (REFERENCE_DATE - p.birth_date).days > 30 * 365]
        for head, other in list(zip(adults[0::2], adults[1::2], strict=False))[: max(1, len(adults) // 12)]:
            other.household, other.relation = head.household, Relation.SPOUSE
            other.address = head.address
    for person in plan:
        age = REFERENCE_DATE.year - person.birth_date.year
        if person.relation == Relation.HEAD and 16 <= age <= 40 and rng.random() < 0.25:
            parent_age = age + rng.randint(24, 34)
            person.elderly_parent_birth = date(REFERENCE_DATE.year - parent_age, rng.randint(1, 12), rng.randint(1, 28))


def _elderly_parent_name(rng: random.Random, person: DemoPerson) -> str:
    if person.ethnicity == "02":
        return rng.choice(MONGOLIAN_FEMALE)
    return person.name[0] + rng.choice(HAN_GIVEN_MALE)


@transaction.atomic
def demo_load() -> dict:
    """Create the demo areas, staff and registry, once; running it again changes nothing."""
    areas = {}
    for code, name, level, parent_code in area_codes():
        areas[code] = Area.objects.filter(code=code).first() or area_create(
            code=code, name=name, level=level, parent=areas.get(parent_code))
    users = {}
    for username, display_name, role, codes in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={
            "display_name": display_name, "role": role, "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.areas.set([areas[c] for c in codes])
        users[username] = user
    city = areas[CITY[0]]
    existing = Person.objects.filter(residence_area__path__startswith=city.path).count()
    if existing:
        return {"created": False, "persons": existing}
    officer = users["officer"]
    rng = random.Random(SEED + 1)
    heads = {}
    for demo in demo_plan():
        person = services.person_create(
            by=officer, id_number=demo.id_number, today=REFERENCE_DATE, name=demo.name, ethnicity=demo.ethnicity,
            hukou_type=demo.hukou_type, hukou_area=areas[demo.area_code], residence_area=areas[demo.area_code],
            address=demo.address, phone=demo.phone, marital_status=demo.marital_status,
            education_level=demo.education_level,
        )
        if demo.category is not None:
            findings = demo.components or [rules.Finding(demo.category, demo.grade)]
            assessment = services.assessment_record(
                person=person, by=officer, assessed_on=demo.issued_on - timedelta(days=rng.randint(3, 20)),
                institution="二连浩特市残疾评定机构（示例）", findings=findings,
            )
            services.certificate_register(
                person=person, by=officer, number=certificate_number_for(demo.id_number, demo.category, demo.grade),
                category=demo.category, grade=demo.grade, issued_on=demo.issued_on, components=demo.components,
                assessment=assessment,
            )
        if demo.relation == Relation.HEAD:
            heads[demo.household] = services.household_create(by=officer, head=person)
            if demo.elderly_parent_birth:
                services.household_add_member(
                    household=heads[demo.household], by=officer, relation=Relation.PARENT,
                    name=_elderly_parent_name(rng, demo), birth_date=demo.elderly_parent_birth,
                )
        else:
            services.household_add_member(household=heads[demo.household], by=officer, relation=demo.relation,
                                          person=person)
    return {"created": True, "persons": Person.objects.filter(residence_area__path__startswith=city.path).count()}
