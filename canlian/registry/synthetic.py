"""A synthetic province-scale registry for benchmarks and load tests (`canlian synth_persons`).

Deterministic for a seed, streamed in chunks (memory stays flat as the count grows) and loaded
set-based: PostgreSQL through COPY (psycopg 3 `cursor.copy`), SQLite through `executemany` in one
transaction. No real person's data is used.

What is generated:

* an area tree 内蒙古自治区 → 5 prefectures → 23 real counties → townships → communities/gacha
  (`communities` of them, spread over the counties);
* persons with valid, checksummed ID numbers: the 6-digit prefix is one of 23 real Inner Mongolia
  county codes that python-stdnum accepts for every birth year used; birth date and sex come from the
  number; names from `canlian.registry.names`, `name_initials` from
  `canlian.common.text.pinyin_initials`;
* one valid certificate for most persons (`CERTIFIED_SHARE`), number = ID + category + grade,
  categories 1–6 (single disabilities, so no `CertificateComponent` rows are needed).

What is not generated: history rows (django-simple-history), assessments, households, access logs.
The bulk load writes the current state only, as a data migration from another system would; the
person file's timeline is therefore empty for synthetic persons.

Uniqueness without remembering numbers: person `i` maps to the key `(a·i + b) mod N` with
`gcd(a, N) = 1`, a permutation of `N = counties × days × 999` (county, birth day, sequence), so no
two persons share an ID number and no set of a million numbers is kept.

Safety: `synth_load` refuses (`SyntheticDataError`) when the database already holds any person or any
of the synthetic area codes. Regenerate into a fresh database (or drop the registry's rows first);
nothing is ever deleted by this module.
"""

import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connections, transaction

from canlian.common.ids import certificate_number_for, id_number_for
from canlian.common.text import pinyin_initials
from canlian.parameters.catalogue import SPECS
from canlian.registry.names import (
    HAN_GIVEN_FEMALE,
    HAN_GIVEN_MALE,
    HAN_SURNAMES,
    MONGOLIAN_FEMALE,
    MONGOLIAN_MALE,
)
from canlian.registry.rules import add_years

DEFAULT_SEED = 150000
DEFAULT_COMMUNITIES = 5000
DEFAULT_CHUNK = 50_000
CERTIFIED_SHARE = 0.97
REFERENCE_DATE = date(2025, 6, 30)  # ages, certificates and statuses are as of this day
FIRST_BIRTH, LAST_BIRTH = date(1930, 1, 1), date(2022, 12, 31)
DAYS = (LAST_BIRTH - FIRST_BIRTH).days + 1
SEQUENCES = 999  # the 3-digit sequence 001–999; odd = male
CREATED_AT = "2025-06-30 00:00:00+00:00"
# The catalogue's default: a bulk load writes rows directly and reads no parameter table.
VALIDITY_YEARS = int(SPECS["certificate.validity_years"].default)

PROVINCE = ("150000000000", "内蒙古自治区")
PREFECTURES = {"1501": "呼和浩特市", "1502": "包头市", "1522": "兴安盟", "1525": "锡林郭勒盟", "1529": "阿拉善盟"}
# Real county codes that python-stdnum's cn.ric accepts for births 1925–2022 (checked by the tests).
COUNTIES = [
    ("150121", "土默特左旗"), ("150122", "托克托县"), ("150221", "土默特右旗"), ("150222", "固阳县"),
    ("152201", "乌兰浩特市"), ("152221", "科尔沁右翼前旗"), ("152222", "科尔沁右翼中旗"), ("152223", "扎赉特旗"),
    ("152224", "突泉县"), ("152501", "二连浩特市"), ("152522", "阿巴嘎旗"), ("152523", "苏尼特左旗"),
    ("152524", "苏尼特右旗"), ("152525", "东乌珠穆沁旗"), ("152526", "西乌珠穆沁旗"), ("152527", "太仆寺旗"),
    ("152528", "镶黄旗"), ("152529", "正镶白旗"), ("152530", "正蓝旗"), ("152531", "多伦县"),
    ("152921", "阿拉善左旗"), ("152922", "阿拉善右旗"), ("152923", "额济纳旗"),
]
COMMUNITIES_PER_TOWNSHIP = 10
_PLACE_WORDS = list("北东南西中新和兴安乌兰巴彦宝格阿拉坦锡林赛汗希望团结胜利光明幸福朝阳")

# Column order of the rows below; the tests check them against the models.
AREA_COLUMNS = ("id", "code", "name", "name_mn", "level", "parent_id", "path")
PERSON_COLUMNS = (
    "id", "id_number", "name", "name_initials", "sex", "birth_date", "ethnicity", "hukou_type", "hukou_area_id",
    "residence_area_id", "address", "phone", "guardian_name", "guardian_relation", "guardian_phone",
    "marital_status", "education_level", "life_status", "life_status_since", "life_status_reason", "created_at",
    "updated_at",
)
CERTIFICATE_COLUMNS = (
    "id", "number", "person_id", "category", "grade", "reissue_count", "issued_on", "valid_until", "status",
    "status_since", "status_reason", "assessment_id", "replaces_id", "created_at",
)
TABLES = {"area": "areas_area", "person": "registry_person", "certificate": "registry_certificate"}
COLUMNS = {"area": AREA_COLUMNS, "person": PERSON_COLUMNS, "certificate": CERTIFICATE_COLUMNS}



def _weighted(weights: dict) -> tuple:
    """A pool in which each value appears as often as its weight: one uniform pick draws by weight."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


# Category mix close to the 2020 national one (physical most common); grades 1–4.
_CATEGORIES = _weighted({1: 9, 2: 15, 3: 1, 4: 61, 5: 6, 6: 8})
_GRADES = _weighted({1: 17, 2: 24, 3: 27, 4: 32})
_MARITAL = _weighted({"10": 15, "20": 65, "30": 12, "40": 8})
_EDUCATION = _weighted({"none": 10, "primary": 25, "junior": 30, "senior": 20, "college": 9, "bachelor": 6})


class SyntheticDataError(Exception):
    """The database is not empty, or the request makes no sense; nothing was written."""


@dataclass(frozen=True)
class SyntheticPlan:
    persons: int
    seed: int = DEFAULT_SEED
    communities: int = DEFAULT_COMMUNITIES


@dataclass
class Chunk:
    persons: list[tuple]
    certificates: list[tuple]


# --- areas -----------------------------------------------------------------------------------------


def area_rows(plan: SyntheticPlan, *, first_id: int = 1) -> list[tuple]:
    """The area tree as rows in AREA_COLUMNS order, parents before children."""
    if plan.communities < len(COUNTIES):
        raise SyntheticDataError(f"至少需要 {len(COUNTIES)} 个社区（每个旗县一个）。")
    rng = random.Random(plan.seed * 7 + 1)
    rows: list[tuple] = []

    def add(code: str, name: str, level: str, parent: tuple | None) -> tuple:
        path = (parent[6] if parent else "/") + code + "/"
        row = (first_id + len(rows), code, name, "", level, parent[0] if parent else None, path)
        rows.append(row)
        return row

    province = add(PROVINCE[0], PROVINCE[1], "province", None)
    prefectures = {p: add(f"{p}00000000", name, "prefecture", province) for p, name in PREFECTURES.items()}
    for index, (code, name) in enumerate(COUNTIES):
        county = add(f"{code}000000", name, "county", prefectures[code[:4]])
        # Spread the communities evenly: the first `extra` counties get one more.
        count = plan.communities // len(COUNTIES) + (index < plan.communities % len(COUNTIES))
        townships = math.ceil(count / COMMUNITIES_PER_TOWNSHIP)
        made = 0
        for t in range(1, townships + 1):
            sumu = t % 3 == 0
            township = add(f"{code}{t:03d}000", f"第{t}{'苏木' if sumu else '街道'}", "township", county)
            for v in range(1, min(COMMUNITIES_PER_TOWNSHIP, count - made) + 1):
                word = rng.choice(_PLACE_WORDS) + rng.choice(_PLACE_WORDS)
                add(f"{code}{t:03d}{v:03d}", f"{word}{'嘎查' if sumu else '社区'}", "village", township)
                made += 1
    return rows


def communities_by_county(rows: list[tuple]) -> list[list[int]]:
    """Community ids per county, in COUNTIES order."""
    index = {code: i for i, (code, _name) in enumerate(COUNTIES)}
    result: list[list[int]] = [[] for _ in COUNTIES]
    for row in rows:
        if row[4] == "village":
            result[index[row[1][:6]]].append(row[0])
    return result


# --- persons ---------------------------------------------------------------------------------------


class _Initials:
    """pinyin_initials, cached per name part (surname, given name, Mongolian name).

    The pools are bounded, so the cache is too (a few thousand entries, not one per person). For these
    pools the parts' initials joined equal pinyin_initials of the whole name (checked over every Han
    combination with pypinyin 0.55; the tests check the generated rows), and pypinyin is called ~3,000
    times instead of ~280,000.
    """

    def __init__(self):
        self.cache: dict[str, str] = {}

    def __call__(self, *parts: str) -> str:
        result = ""
        for part in parts:
            value = self.cache.get(part)
            if value is None:
                value = self.cache[part] = pinyin_initials(part)
            result += value
        return result


def _multiplier(seed: int, modulus: int) -> int:
    a = random.Random(seed).randrange(modulus // 3, modulus // 2) | 1
    while math.gcd(a, modulus) != 1:
        a += 2
    return a


def _age(birth: date) -> int:
    on = REFERENCE_DATE
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def person_chunks(plan: SyntheticPlan, *, areas: list[tuple], first_person_id: int = 1,
                  first_certificate_id: int = 1, chunk: int = DEFAULT_CHUNK) -> Iterator[Chunk]:
    """Yield the persons and certificates in chunks of `chunk` persons; the same rows for the same plan."""
    if plan.persons < 0:
        raise SyntheticDataError("人数不能为负。")
    counties = [code for code, _name in COUNTIES]
    by_county = communities_by_county(areas)
    modulus = len(COUNTIES) * DAYS * SEQUENCES
    if plan.persons > modulus:
        raise SyntheticDataError(f"最多 {modulus} 人。")
    a, b = _multiplier(plan.seed, modulus), random.Random(plan.seed + 1).randrange(modulus)
    rng = random.Random(plan.seed + 2)
    rand = rng.random

    def pick(pool):
        return pool[int(rand() * len(pool))]

    initials = _Initials()
    first_ordinal = FIRST_BIRTH.toordinal()
    issue_from, reference = date(2015, 7, 1).toordinal(), REFERENCE_DATE.toordinal()
    certificate_id = first_certificate_id
    persons: list[tuple] = []
    certificates: list[tuple] = []
    for i in range(plan.persons):
        key, sequence = divmod((a * i + b) % modulus, SEQUENCES)
        county_index, day = divmod(key, DAYS)
        sequence += 1
        male = sequence % 2 == 1
        birth = date.fromordinal(first_ordinal + day)
        id_number = id_number_for(counties[county_index], birth, sequence)
        if rand() < 0.2:
            ethnicity = "02"
            name = pick(MONGOLIAN_MALE if male else MONGOLIAN_FEMALE)
            name_initials = initials(name)
        else:
            ethnicity = "01" if rand() < 0.95 else pick(("03", "11", "31"))
            given_pool = HAN_GIVEN_MALE if male else HAN_GIVEN_FEMALE
            surname = pick(HAN_SURNAMES)
            given = pick(given_pool) + (pick(given_pool) if rand() < 0.7 else "")
            name, name_initials = surname + given, initials(surname, given)
        area = pick(by_county[county_index])
        age = _age(birth)
        agricultural = rand() < 0.35
        marital = "10" if age < 22 else pick(_MARITAL)
        education = "preschool" if age < 7 else "primary" if age < 13 else pick(_EDUCATION)
        if agricultural:
            address = f"{int(rand() * 12) + 1}组"
        else:
            address = f"{int(rand() * 40) + 1}号楼{int(rand() * 6) + 1}单元{int(rand() * 6) + 1}0{int(rand() * 4) + 1}"
        phone = "" if rand() < 0.1 else f"1{pick('35789')}{int(rand() * 10**9):09d}"
        guardian = age < 18
        person_id = first_person_id + i
        birth_text = birth.isoformat()
        persons.append((
            person_id, id_number, name, name_initials, "M" if male else "F", birth_text, ethnicity,
            "agricultural" if agricultural else "urban", area, area, address, phone,
            (name[0] + pick(HAN_GIVEN_MALE)) if guardian else "", "父亲" if guardian else "",
            (f"1{pick('35789')}{int(rand() * 10**9):09d}") if guardian else "",
            marital, education, "active", None, "", CREATED_AT, CREATED_AT,
        ))
        if rand() < CERTIFIED_SHARE:
            category, grade = pick(_CATEGORIES), pick(_GRADES)
            earliest = max(issue_from, birth.toordinal() + 365)  # assessed at one year old at the earliest
            issued = date.fromordinal(earliest + int(rand() * (reference - earliest + 1)))
            issued_text = issued.isoformat()
            certificates.append((
                certificate_id, certificate_number_for(id_number, category, grade), person_id, category, grade, 0,
                issued_text, add_years(issued, VALIDITY_YEARS).isoformat(), "valid", issued_text, "", None, None,
                CREATED_AT,
            ))
            certificate_id += 1
        if len(persons) >= chunk:
            yield Chunk(persons, certificates)
            persons, certificates = [], []
    if persons:
        yield Chunk(persons, certificates)


# --- writing ---------------------------------------------------------------------------------------


def copy_text(rows: list[tuple]) -> str:
    """Rows in PostgreSQL's COPY text format (the generated values hold no tab, newline or backslash)."""
    return "".join("\t".join(r"\N" if v is None else str(v) for v in row) + "\n" for row in rows)


class _Writer:
    def __init__(self, using: str):
        self.connection = connections[using]
        self.vendor = self.connection.vendor

    def write(self, kind: str, rows: list[tuple]) -> None:
        if not rows:
            return
        table, columns = TABLES[kind], COLUMNS[kind]
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write(copy_text(rows))
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 — constants
                cursor.executemany(sql, rows)

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 — a constant
            return cursor.fetchone()[0]

    def reset_sequences(self) -> None:
        if self.vendor != "postgresql":
            return  # SQLite's AUTOINCREMENT follows explicit ids by itself
        with self.connection.cursor() as cursor:
            for table in TABLES.values():
                top = self.next_id(table) - 1
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [table, max(top, 1), top > 0])


def _refuse_if_present(using: str, areas: list[tuple]) -> None:
    from canlian.areas.models import Area
    from canlian.registry.models import Certificate, Person

    if Person.objects.using(using).exists() or Certificate.objects.using(using).exists():
        raise SyntheticDataError("数据库中已有残疾人数据；合成数据只能载入空库（请使用新数据库）。")
    codes = [row[1] for row in areas]
    taken = Area.objects.using(using).filter(code__in=codes).values_list("code", flat=True)[:3]
    if taken:
        raise SyntheticDataError(f"区划代码已存在：{', '.join(taken)}；合成数据只能载入空库。")


def synth_load(*, persons: int, seed: int = DEFAULT_SEED, communities: int = DEFAULT_COMMUNITIES,
               chunk: int = DEFAULT_CHUNK, using: str = "default",
               progress: Callable[[int], None] | None = None) -> dict:
    """Generate and load a synthetic registry into an empty database; return counts and timings."""
    plan = SyntheticPlan(persons=persons, seed=seed, communities=communities)
    started = time.perf_counter()
    writer = _Writer(using)
    with transaction.atomic(using=using):
        areas = area_rows(plan, first_id=writer.next_id(TABLES["area"]))
        _refuse_if_present(using, areas)
        writer.write("area", areas)
        done = certified = 0
        for part in person_chunks(plan, areas=areas, first_person_id=writer.next_id(TABLES["person"]),
                                  first_certificate_id=writer.next_id(TABLES["certificate"]), chunk=chunk):
            writer.write("person", part.persons)
            writer.write("certificate", part.certificates)
            done += len(part.persons)
            certified += len(part.certificates)
            if progress:
                progress(done)
        writer.reset_sequences()
    seconds = time.perf_counter() - started
    return {
        "persons": done, "certificates": certified, "areas": len(areas),
        "communities": sum(1 for row in areas if row[4] == "village"), "seconds": seconds,
        "rows": done + certified + len(areas), "rows_per_second": (done + certified + len(areas)) / seconds,
        "vendor": writer.vendor, "seed": seed,
    }


def synth_staff(*, password: str, using: str = "default") -> dict:
    """Two staff accounts for load tests: a province-wide federation officer and one community's officer."""
    from canlian.accounts.models import Role, User
    from canlian.areas.models import Area

    province = Area.objects.using(using).get(code=PROVINCE[0])
    community = Area.objects.using(using).filter(level="village", path__startswith=province.path).order_by("code")[0]
    users = {}
    for username, role, area in (("synth_officer", Role.FEDERATION_OFFICER, province),
                                 ("synth_community", Role.COMMUNITY_OFFICER, community)):
        user = User.objects.using(using).filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, display_name=username)
            user.set_password(password)
            user.save(using=using)
            user.areas.set([area])
        users[username] = user
    return users

