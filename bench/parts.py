"""The benchmark parts; each runs in its own process against the database its environment names
(DATABASE_URL for PostgreSQL, CANLIAN_DATA_DIR for SQLite) and prints one JSON object on its last line.

    python bench/parts.py load   --persons N [--floor-url URL | --floor-sqlite PATH] [--workdir DIR]
    python bench/parts.py search --queries 500
    python bench/parts.py page   --base http://127.0.0.1:PORT --max-id N --clients 20 --seconds 30
    python bench/parts.py import-files|import-floor|import --workdir DIR --rows N
    python bench/parts.py benefits-setup|review --workdir DIR   (the import's DIR)
    python bench/parts.py payroll --scheme nursing_allowance [--area-code CODE] [--repeat 3] [--explain] --workdir DIR
    python bench/parts.py levy [--employers 50000] [--employees 200000] [--repeat 3] [--singles 200]
    python bench/parts.py services [--per-person 2] [--queries 50]
    python bench/parts.py indicators [--repeat 3]
    python bench/parts.py dashboard --base http://127.0.0.1:PORT [--code certified] --clients 20 --seconds 30
    python bench/parts.py portal-setup [--residents 50]
    python bench/parts.py portal --base http://127.0.0.1:PORT --clients 50 --seconds 30

bench/run.py runs them in order and writes BENCHMARKS.md.
"""

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canlian.settings")

STAFF_PASSWORD = "Bench-synthetic-2026"  # noqa: S105 — throwaway benchmark database only
COMMUNITIES = 5000


def _percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(at(0.95), 3),
            "max_ms": round(ordered[-1], 3)}


def _setup():
    import django

    django.setup()


# --- load --------------------------------------------------------------------------------------------


def part_load(args) -> dict:
    _setup()
    from django.db import connection

    from canlian.registry import synthetic

    plan = synthetic.SyntheticPlan(persons=args.persons, seed=args.seed, communities=args.communities)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor

    # 1. Pre-generate the very same rows for the floor (not timed as load; its time is reported).
    started = time.perf_counter()
    areas = synthetic.area_rows(plan)
    files = {kind: workdir / f"{kind}.tsv" for kind in synthetic.TABLES}
    with files["area"].open("w") as a, files["person"].open("w") as p, files["certificate"].open("w") as c:
        a.write(synthetic.copy_text(areas))
        for chunk in synthetic.person_chunks(plan, areas=areas):
            p.write(synthetic.copy_text(chunk.persons))
            c.write(synthetic.copy_text(chunk.certificates))
    generate_seconds = time.perf_counter() - started

    # 2. The generator itself: generate + write into the real tables (COPY / executemany), one transaction.
    _checkpoint(connection)
    result = synthetic.synth_load(persons=args.persons, seed=args.seed, communities=args.communities)
    rows = result["rows"]

    # 3. Floors: the same rows from the pre-generated files, with nothing but the database's own work.
    _checkpoint(connection)
    if vendor == "postgresql":
        floor = _pg_floor(args.floor_url, files)
    else:
        floor = _sqlite_floor(args.floor_sqlite, files)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    analyze_seconds = time.perf_counter() - started
    synthetic.synth_staff(password=STAFF_PASSWORD)
    for path in files.values():
        path.unlink()
    indexed = floor["indexed_seconds"]
    return {
        "vendor": vendor, "persons": result["persons"], "certificates": result["certificates"],
        "areas": result["areas"], "rows": rows,
        "load_seconds": round(result["seconds"], 2), "load_rows_per_s": round(rows / result["seconds"]),
        "persons_per_s": round(result["persons"] / result["seconds"]),
        "generate_only_seconds": round(generate_seconds, 2),
        "floor_indexed_seconds": round(indexed, 2), "floor_indexed_rows_per_s": round(rows / indexed),
        "floor_bare_seconds": round(floor["bare_seconds"], 2),
        "floor_bare_rows_per_s": round(rows / floor["bare_seconds"]),
        "ratio_vs_indexed_floor": round(result["seconds"] / indexed, 2),
        "ratio_vs_bare_floor": round(result["seconds"] / floor["bare_seconds"], 2),
        "analyze_seconds": round(analyze_seconds, 2),
        "floor_method": floor["method"],
    }


def _checkpoint(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT" if connection.vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)")


def _pg_copy_file(cursor, table: str, columns, path: Path) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy, path.open("rb") as source:
        while block := source.read(1 << 20):
            copy.write(block)


def _pg_floor(url: str, files: dict) -> dict:
    """COPY the pre-generated files (a) into the real tables of an identical empty copy of the migrated
    database (same indexes, constraints and foreign keys) and (b) into bare tables with no index or key."""
    import psycopg

    from canlian.registry import synthetic

    with psycopg.connect(url, autocommit=False) as conn:
        with conn.cursor() as cursor:
            started = time.perf_counter()
            for kind in ("area", "person", "certificate"):
                _pg_copy_file(cursor, synthetic.TABLES[kind], synthetic.COLUMNS[kind], files[kind])
            conn.commit()
            indexed = time.perf_counter() - started
            for kind in synthetic.TABLES:
                cursor.execute(f"CREATE TABLE bare_{kind} (LIKE {synthetic.TABLES[kind]})")  # no indexes, no keys
            conn.commit()
            cursor.execute("CHECKPOINT")
            started = time.perf_counter()
            for kind in ("area", "person", "certificate"):
                _pg_copy_file(cursor, f"bare_{kind}", synthetic.COLUMNS[kind], files[kind])
            conn.commit()
            bare = time.perf_counter() - started
    return {"indexed_seconds": indexed, "bare_seconds": bare,
            "method": "psycopg COPY … FROM STDIN of pre-generated text files, 1 MiB blocks, one transaction"}


def _read_rows(path: Path):
    for line in path.open():
        yield tuple(None if v == r"\N" else v for v in line.rstrip("\n").split("\t"))


def _sqlite_floor(path: str, files: dict) -> dict:
    """executemany of the pre-generated rows with the sqlite3 module (a) into the real tables of a copy
    of the migrated, empty database file and (b) into bare tables without indexes, one transaction each."""
    import sqlite3

    from canlian.registry import synthetic

    rows = {kind: list(_read_rows(files[kind])) for kind in synthetic.TABLES}  # read before timing
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")

    def load(prefix: str) -> float:
        started = time.perf_counter()
        conn.execute("BEGIN")
        for kind in ("area", "person", "certificate"):
            table = f"bare_{kind}" if prefix else synthetic.TABLES[kind]
            columns = synthetic.COLUMNS[kind]
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows[kind])
        conn.execute("COMMIT")
        return time.perf_counter() - started

    indexed = load("")
    for kind in synthetic.TABLES:
        conn.execute(f"CREATE TABLE bare_{kind} AS SELECT * FROM {synthetic.TABLES[kind]} WHERE 0")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    bare = load("bare")
    conn.close()
    return {"indexed_seconds": indexed, "bare_seconds": bare,
            "method": "sqlite3 executemany of pre-generated rows, one transaction, WAL + synchronous=NORMAL"}


# --- search ------------------------------------------------------------------------------------------

_FLOOR_CONDITIONS = {
    "id_number": "p.id_number = %s",
    "certificate": "p.id IN (SELECT c.person_id FROM registry_certificate c WHERE c.number = %s)",
    "name_prefix": "p.name LIKE %s",
    "initials": "p.name_initials LIKE %s",
}


def _queries(rng: random.Random, persons: list[dict], numbers: dict, count: int) -> dict:
    picks = [rng.choice(persons) for _ in range(count)]
    with_cards = [p for p in persons if p["id"] in numbers] or persons
    cards = [rng.choice(with_cards) for _ in range(count)]
    return {
        "id_number": [p["id_number"] for p in picks],
        "certificate": [numbers.get(p["id"], p["id_number"] + "41") for p in cards],
        # What officers type: the surname and the first given character; the full initials (zsf).
        "name_prefix": [p["name"][:2] for p in picks],
        "initials": [p["name_initials"] for p in picks],
    }


def part_search(args) -> dict:
    _setup()
    from django.db import connection

    from canlian.accounts.models import User
    from canlian.registry.models import Certificate, Person
    from canlian.registry.selectors import PersonFilters, person_search_page

    rng = random.Random(args.seed)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    officer = User.objects.get(username="synth_officer")
    community_officer = User.objects.get(username="synth_community")
    community = community_officer.areas.get()
    sample = list(Person.objects.filter(pk__in=[rng.randint(1, top) for _ in range(args.queries * 2)])
                  .values("id", "id_number", "name", "name_initials"))
    local = list(Person.objects.filter(residence_area=community).values("id", "id_number", "name", "name_initials"))

    def numbers_of(persons):
        return dict(Certificate.objects.filter(person_id__in=[p["id"] for p in persons], status="valid")
                    .values_list("person_id", "number"))

    results = {"persons": Person.objects.count(), "community_persons": len(local), "queries_per_kind": args.queries}
    for label, user, persons, area_id in (("federation_officer", officer, sample, None),
                                          ("community_officer", community_officer, local, community.pk)):
        queries = _queries(rng, persons, numbers_of(persons), args.queries)
        for kind, texts in queries.items():
            orm, floor, hits = [], [], []
            for text in texts[: min(20, len(texts))]:  # warm caches and connections
                _orm_page(person_search_page, PersonFilters, user, text)
            for text in texts:
                started = time.perf_counter()
                total, _rows = _orm_page(person_search_page, PersonFilters, user, text)
                orm.append((time.perf_counter() - started) * 1000)
                hits.append(total)
                started = time.perf_counter()
                floor_total = _floor_page(connection, kind, text, area_id)
                floor.append((time.perf_counter() - started) * 1000)
                if floor_total != total:
                    raise SystemExit(f"floor and selector disagree for {kind} {text!r}: {floor_total} != {total}")
            key = f"{label}.{kind}"
            results[key] = {**_percentiles(orm), "floor": _percentiles(floor),
                            "median_matches": statistics.median(hits), "max_matches": max(hits)}
            results[key]["ratio_p50"] = round(results[key]["p50_ms"] / max(results[key]["floor"]["p50_ms"], 1e-3), 2)
            results[key]["ratio_p95"] = round(results[key]["p95_ms"] / max(results[key]["floor"]["p95_ms"], 1e-3), 2)
    return results


def _orm_page(person_search_page, PersonFilters, user, text):
    """What the search page does: the selector's first page of 25, every row with its area and valid cards."""
    page = person_search_page(user=user, filters=PersonFilters(query=text), page_number=1)
    rows = list(page.object_list)
    for person in rows:  # the page shows each person's valid card and area
        person.valid_certificates, person.residence_area.name  # noqa: B018
    return page.paginator.count, rows


def _floor_page(connection, kind: str, text: str, area_id: int | None) -> int:
    """The bare SQL for the same lookup: a count and the first 25 rows with the area and valid cards."""
    from canlian.common.ids import clean_number

    condition = _FLOOR_CONDITIONS[kind]
    if kind in ("id_number", "certificate"):
        params = [clean_number(text)]
    else:
        prefix = text if kind == "name_prefix" else text.lower()
        params = [prefix + "%"]
        if connection.vendor == "sqlite":
            # SQLite's LIKE is case-insensitive and cannot use the index; a range over it can (as the selector does).
            column = "p.name" if kind == "name_prefix" else "p.name_initials"
            condition, params = f"{column} >= %s AND {column} < %s", [prefix, prefix + "\U0010ffff"]
    if area_id is not None:
        condition += " AND p.residence_area_id = %s"
        params.append(area_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM registry_person p WHERE {condition}", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT p.*, a.name FROM registry_person p JOIN areas_area a ON a.id = p.residence_area_id "
            f"WHERE {condition} ORDER BY p.name, p.id LIMIT 25", params)
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"SELECT * FROM registry_certificate WHERE status = 'valid' AND person_id IN ({marks})", ids)
            cursor.fetchall()
    return total


# --- page under load -----------------------------------------------------------------------------------


def _login(base: str):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/", timeout=30).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    # Landing on /healthz, not on the workbench: the landing page is not measured, and the workbench's counts take
    # seconds at 1,000,000 persons.
    body = urllib.parse.urlencode({"username": "synth_officer", "password": STAFF_PASSWORD,
                                   "csrfmiddlewaretoken": token, "next": "/healthz"}).encode()
    request = urllib.request.Request(  # noqa: S310 — loopback http only (checked in main)
        f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/accounts/login/"})
    opener.open(request, timeout=30).read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit("login failed")
    return opener


def _hammer(base: str, path_for, clients: int, seconds: float, warmup: float, *, openers=None,
            paths: list[str] | None = None) -> dict:
    """`clients` threads, each with its own session (logged in through the staff login form unless `openers` are
    given), requesting `path_for(rng)` — or its own `paths[index]` — as fast as the server answers."""
    openers = openers or [_login(base) for _ in range(clients)]

    def one(index: int, rng) -> bool:
        path = paths[index] if paths else path_for(rng)
        with openers[index].open(base + path, timeout=60) as response:
            response.read()
            return response.status == 200

    return _timed_clients(one, clients, seconds, warmup)


def _timed_clients(one, clients: int, seconds: float, warmup: float) -> dict:
    """Run `one(index, rng)` (one request, True when it answered as it should) in a loop in `clients` threads;
    requests started after the warm-up and within `seconds` are timed."""
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start_at = time.perf_counter() + 0.5
    measure_from, stop_at = start_at + warmup, start_at + warmup + seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        mine = []
        while (now := time.perf_counter()) < start_at:
            time.sleep(start_at - now)
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            try:
                ok = one(index, rng)
            except Exception:
                ok = False
            ended = time.perf_counter()
            if began >= measure_from:
                if ok:
                    mine.append((ended - began) * 1000)
                else:
                    with lock:
                        errors[0] += 1
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not samples:
        raise SystemExit(f"no request answered as expected ({errors[0]} errors)")
    return {**_percentiles(samples), "errors": errors[0], "requests_per_s": round(len(samples) / seconds, 1)}


def part_page(args) -> dict:
    def person(rng):
        return f"/persons/{rng.randint(1, args.max_id)}/"

    def health(_rng):
        return "/healthz"

    page = _hammer(args.base, person, args.clients, args.seconds, args.warmup)
    floor = _hammer(args.base, health, args.clients, args.seconds / 2, args.warmup / 2)
    return {"clients": args.clients, "seconds": args.seconds, "person_file": page, "floor_healthz": floor,
            "ratio_p50": round(page["p50_ms"] / floor["p50_ms"], 2),
            "ratio_p95": round(page["p95_ms"] / floor["p95_ms"], 2)}


# --- the online portal (网上办事) under load -----------------------------------------------------------------

RESIDENT_PASSWORD = "Bench-resident-2026"  # noqa: S105 — throwaway benchmark database only
PORTAL_NOTE = "bench: portal"


def part_portal_setup(args) -> dict:
    """`--residents` resident accounts as the portal opens them (a user with the role resident and its
    `ResidentAccount`), each the confirmed proxy (本人) of one registered person with a valid card, for whom it has
    applied online for the nursing allowance (`application_submit`, by the resident)."""
    _setup()
    from django.contrib.auth.hashers import check_password, get_hasher, make_password
    from django.db import transaction
    from django.utils import timezone

    from canlian.accounts.models import Proxy, User
    from canlian.benefits import services as benefit_services
    from canlian.benefits.choices import Scheme
    from canlian.benefits.models import Application
    from canlian.portal.models import ResidentAccount
    from canlian.registry.choices import CertificateStatus, LifeStatus
    from canlian.registry.models import Person

    started = time.perf_counter()
    persons = list(Person.objects.filter(life_status=LifeStatus.ACTIVE, certificates__status=CertificateStatus.VALID)
                   .exclude(entitlements__scheme=Scheme.NURSING_ALLOWANCE).exclude(proxies__isnull=False)
                   .distinct().order_by("pk")[:args.residents])
    if len(persons) < args.residents:
        raise SystemExit(f"only {len(persons)} persons to act for, {args.residents} wanted")
    password = make_password(RESIDENT_PASSWORD)  # one argon2 hash for all: the accounts are made, not timed
    now = timezone.now()
    with transaction.atomic():
        for number, person in enumerate(persons):
            user = User.objects.create(username=person.id_number, display_name=person.name, role="resident",
                                       password=password)
            ResidentAccount.objects.create(user=user, id_number=person.id_number, name=person.name,
                                           phone=f"139{90_000_000 + number:08d}", phone_verified_at=now)
            Proxy.objects.create(resident=user, person=person, relation=Proxy.Relation.SELF,
                                 state=Proxy.State.CONFIRMED, decided_at=now, note=PORTAL_NOTE)
            benefit_services.application_submit(person=person, scheme=Scheme.NURSING_ALLOWANCE, by=user,
                                                note="网上申请：日常起居需要有人照料")
    seconds = time.perf_counter() - started
    resident, person = User.objects.get(username=persons[0].id_number), persons[0]
    application = Application.objects.get(person=person, scheme=Scheme.NURSING_ALLOWANCE)
    alone = _pages_alone(None, {"home": "/portal/", "login_page": "/portal/login/", "floor_healthz": "/healthz"})
    alone |= _pages_alone(resident, {"application": f"/portal/me/applications/{application.pk}/",
                                     "apply_what": f"/portal/me/persons/{person.pk}/apply/"})
    hasher = get_hasher()
    verify = []
    for _attempt in range(5):
        began = time.perf_counter()
        if not check_password(RESIDENT_PASSWORD, password):
            raise SystemExit("the bench residents' password does not verify")
        verify.append((time.perf_counter() - began) * 1000)
    return {"residents": len(persons), "persons": Person.objects.count(), "seconds": round(seconds, 2),
            "pages_alone": alone, "password_hasher": {
                "algorithm": hasher.algorithm, **{k: getattr(hasher, k) for k in ("time_cost", "memory_cost",
                                                                                   "parallelism", "iterations")
                                                  if hasattr(hasher, k)},
                "verify_median_ms": round(statistics.median(verify), 1)}}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 302 itself is the answer (urllib raises it as an HTTPError)


def _resident_sign_in(base: str, opener, jar, username: str) -> bool:
    """One POST of the portal's sign-in form with the csrftoken the browser holds; True when it answered 302 to
    我的办事 with a session."""
    for cookie in [c for c in jar if c.name == "sessionid"]:
        jar.clear(cookie.domain, cookie.path, cookie.name)
    token = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({"username": username, "password": RESIDENT_PASSWORD,
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(  # noqa: S310 — loopback http only (checked in main)
        f"{base}/portal/login/", data=body, headers={"Referer": f"{base}/portal/login/"})
    try:
        opener.open(request, timeout=60).read()
    except urllib.error.HTTPError as answer:
        answer.read()
        return answer.code == 302 and answer.headers.get("Location", "").endswith("/portal/me/") and any(
            c.name == "sessionid" for c in jar)
    return False


def _browser(base: str):
    """A browser of its own for a resident, which does not follow redirects: its cookie jar, with the csrftoken
    from the sign-in page."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.open(f"{base}/portal/login/", timeout=60).read()
    return opener, jar


def part_portal(args) -> dict:
    """The portal's pages, each hammered by `--clients` clients, each client a browser of its own: the home page and
    the sign-in page as visitors see them (not signed in), then signed in as its own resident the receipt and
    progress page of its application and the first step of applying online for its person; `/healthz` under the
    same load, not signed in and signed in; finally the sign-in itself (a POST of the form: argon2, django-axes)."""
    _setup()
    from canlian.accounts.models import Proxy
    from canlian.benefits.models import Application

    proxies = list(Proxy.objects.filter(note=PORTAL_NOTE).select_related("resident").order_by("pk")[:args.clients])
    if len(proxies) < args.clients:
        raise SystemExit(f"{len(proxies)} bench residents, {args.clients} clients: run portal-setup first")
    applications = dict(Application.objects.filter(person__in=[p.person_id for p in proxies])
                        .values_list("person_id", "pk"))
    base = args.base
    visitors = [urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
                for _ in range(args.clients)]
    signed_in = []
    for proxy in proxies:
        opener, jar = _browser(base)
        if not _resident_sign_in(base, opener, jar, proxy.resident.username):
            raise SystemExit(f"sign-in failed for {proxy.resident.username}")
        signed_in.append(urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)))

    def hammer(openers, path_for=None, paths=None, seconds=args.seconds, warmup=args.warmup):
        return _hammer(base, path_for, args.clients, seconds, warmup, openers=openers, paths=paths)

    result = {
        "clients": args.clients, "seconds": args.seconds,
        "home": hammer(visitors, lambda _rng: "/portal/"),
        "login_page": hammer(visitors, lambda _rng: "/portal/login/"),
        "application": hammer(signed_in, paths=[f"/portal/me/applications/{applications[p.person_id]}/"
                                                for p in proxies]),
        "apply_what": hammer(signed_in, paths=[f"/portal/me/persons/{p.person_id}/apply/" for p in proxies]),
        "floor_healthz": hammer(visitors, lambda _rng: "/healthz", seconds=args.seconds / 2,
                                warmup=args.warmup / 2),
        "floor_healthz_signed_in": hammer(signed_in, lambda _rng: "/healthz", seconds=args.seconds / 2,
                                          warmup=args.warmup / 2),
    }
    browsers = [_browser(base) for _ in proxies]
    result["sign_in"] = _timed_clients(
        lambda index, _rng: _resident_sign_in(base, *browsers[index], proxies[index].resident.username),
        args.clients, args.seconds, args.warmup)
    return result


# --- import of a civil-affairs list -------------------------------------------------------------------

KINDS = [("低保", 8), ("特困", 1), ("低保边缘", 1)]


def part_import_files(args) -> dict:
    """Write the list (N persons picked at random) and a re-sent version of it with 1% dropped, added, changed."""
    _setup()
    import datetime as dt

    from canlian.common.spreadsheets import XlsxWriter
    from canlian.registry.models import Person

    rng = random.Random(args.seed)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = rng.sample(range(1, top + 1), min(top, args.rows + args.rows // 100))
    persons = {}
    for start in range(0, len(ids), 10_000):
        chunk = Person.objects.filter(pk__in=ids[start:start + 10_000]).values_list("pk", "id_number", "name")
        persons.update({pk: (number, name) for pk, number, name in chunk})
    listed, extra = ids[: args.rows], ids[args.rows:]
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    rows = {pk: (kinds[pk % len(kinds)], dt.date(2020 + pk % 5, 1 + pk % 12, 1)) for pk in listed + extra}
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    def write(path: Path, chosen: list[int], changed: set[int]) -> None:
        writer = XlsxWriter(path)
        sheet = writer.sheet("名单", ["序号", "姓名", "身份证号", "救助类型", "起始日期"])
        for n, pk in enumerate(chosen, start=1):
            number, name = persons[pk]
            kind, since = rows[pk]
            if pk in changed:
                since = since.replace(day=15)
            sheet.append([n, name, number, kind, since])
        writer.close()

    step = 100  # 1% of the rows
    dropped = set(listed[::step])
    changed = set(listed[1::step])
    write(workdir / "list.xlsx", listed, set())
    write(workdir / "resent.xlsx", [pk for pk in listed if pk not in dropped] + extra, changed)
    return {"rows": len(listed), "dropped": len(dropped), "added": len(extra), "changed": len(changed - dropped)}


def _rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def part_import_floor(args) -> dict:
    """Floors: calamine reading the file alone; the bare SQL that inserts the same statuses (rolled back)."""
    _setup()
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    path = Path(args.workdir) / "list.xlsx"
    started = time.perf_counter()
    rows = list(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    read_seconds = time.perf_counter() - started
    words = {"低保": "dibao", "特困": "extreme_poverty", "低保边缘": "near_dibao"}
    values = [(number, words[kind], since) for _n, _name, number, kind, since in rows[1:]]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE floor_list (id_number varchar(18), kind varchar(20), started_on date)")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY floor_list FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO floor_list VALUES (%s, %s, %s)", values)
        cursor.execute("INSERT INTO registry_assistancestatus (person_id, kind, started_on, started_by, ended_by) "
                       "SELECT p.id, f.kind, f.started_on, 'floor', '' FROM floor_list f "
                       "JOIN registry_person p ON p.id_number = f.id_number")
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE floor_list")
        transaction.set_rollback(True)
    sql_seconds = time.perf_counter() - started
    return {"read_seconds": round(read_seconds, 2), "sql_seconds": round(sql_seconds, 2), "sql_rows": inserted}


def _import_list(officer, area, path: Path, list_date) -> dict:
    """One list through the officer's pipeline: receive, validate (dry run), commit; timed phase by phase."""
    from canlian.exchange import services

    started = time.perf_counter()
    with path.open("rb") as handle:
        batch = services.import_batch_create(by=officer, source="assistance", area=area, list_date=list_date,
                                             chunks=iter(lambda: handle.read(1 << 20), b""), file_name=path.name)
    received = time.perf_counter() - started
    if batch.state == "duplicate":
        return {"state": batch.state, "seconds": round(received, 2)}
    started = time.perf_counter()
    batch = services.import_validate(batch=batch)
    validated = time.perf_counter() - started
    started = time.perf_counter()
    batch = services.import_commit(batch=batch, by=officer)
    committed = time.perf_counter() - started
    return {"state": batch.state, "rows": batch.total_rows, "errors": batch.error_rows,
            "new": batch.new_count, "changed": batch.changed_count, "ended": batch.ended_count,
            "unchanged": batch.unchanged_count, "receive_seconds": round(received, 2),
            "validate_seconds": round(validated, 2), "commit_seconds": round(committed, 2),
            "seconds": round(received + validated + committed, 2),
            "rows_per_s": round(batch.total_rows / (received + validated + committed))}


_IMPORT_TABLES = ("exchange_matchreview", "exchange_importrow", "exchange_importbatch", "registry_assistancestatus")


def part_import(args) -> dict:
    """The pipeline as officers use it: receive, validate (dry run), commit; then the same file again; then the
    re-sent list with 1% changes. Peak memory of this process is reported."""
    _setup()
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from canlian.accounts.models import User

    officer = User.objects.get(username="synth_officer")
    area = officer.areas.get()
    with connection.cursor() as cursor:  # a rerun on a kept database starts from no statuses and no batches
        for table in _IMPORT_TABLES:
            cursor.execute(f"DELETE FROM {table}")
    today = timezone.localdate()
    baseline = _rss_mb()
    workdir = Path(args.workdir)
    first = _import_list(officer, area, workdir / "list.xlsx", today - dt.timedelta(days=30))
    peak_first = _rss_mb()
    again = _import_list(officer, area, workdir / "list.xlsx", today - dt.timedelta(days=30))
    resent = _import_list(officer, area, workdir / "resent.xlsx", today)
    return {"first": first, "same_file_again": again, "resent": resent, "rss_baseline_mb": baseline,
            "rss_peak_first_mb": peak_first, "rss_peak_mb": _rss_mb()}


# --- benefits: the monthly payroll and the review after a list ----------------------------------------

BENCH_REVIEWER, BENCH_APPROVER = "bench_reviewer", "bench_approver"
ARREARS_EVERY = 200  # 0.5 % of entitlements are marked as possibly owing: last month's payment failed
NURSING_APPLIED = 17  # of every 20 persons the nursing rule accepts, 17 receive it (the others never applied)
BANKS = ("内蒙古农村信用社", "中国农业银行", "中国邮政储蓄银行", "中国建设银行")
HOHHOT = "150100000000"  # 呼和浩特市: its own, higher living allowance
# The first month an entitlement can start: the month after the card was issued, not before 2021.
_STARTS_ON = {
    "postgresql": "GREATEST(DATE '2021-01-01', (date_trunc('month', c.issued_on) + interval '1 month')::date)",
    "sqlite": "MAX('2021-01-01', date(c.issued_on, 'start of month', '+1 month'))",
}


def _months():
    """The month before this one (already paid) and this month (the payroll measured)."""
    from django.utils import timezone

    from canlian.benefits.payroll import add_months

    month = timezone.localdate().replace(day=1)
    return add_months(month, -1), month


def _vacuum(connection, *tables: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def part_benefits_setup(args) -> dict:
    """Benefit data on the loaded registry, set-based (INSERT … SELECT, nothing row by row in Python):
    the statuses of the first civil-affairs list (through the import pipeline), standards, nursing
    entitlements for most persons the rule accepts, living entitlements for the 低保 holders, accounts,
    0.5 % of entitlements marked as owing a month. Every entitlement is one the rules accept this month."""
    _setup()
    import datetime as dt
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from canlian.accounts.models import Role, User
    from canlian.areas.models import Area
    from canlian.benefits.choices import Scheme
    from canlian.benefits.models import Entitlement, Standard
    from canlian.benefits.payroll import add_months

    officer = User.objects.get(username="synth_officer")
    area = officer.areas.get()
    vendor = connection.vendor
    previous, month = _months()
    today = timezone.localdate()
    with connection.cursor() as cursor:  # a rerun on a kept database starts again from nothing
        cursor.execute("UPDATE benefits_entitlement SET arrears_run_id = NULL")
        for table in ("benefits_recovery", "benefits_payrollline", "benefits_payrollrun", "benefits_entitlement",
                      "benefits_historicalentitlement", "benefits_paymentaccount", "benefits_standard",
                      *_IMPORT_TABLES):
            cursor.execute(f"DELETE FROM {table}")
    # The statuses as the first list leaves them (as part_import's first import), before any entitlement exists.
    first_list = _import_list(officer, area, Path(args.workdir) / "list.xlsx", today - dt.timedelta(days=30))

    started = time.perf_counter()
    hohhot = Area.objects.get(code=HOHHOT)
    Standard.objects.bulk_create([
        Standard(scheme=scheme, effective_from=since, amount=Decimal(amount), grade=grade, area=place,
                 source="bench", created_by=officer)
        for scheme, since, amount, grade, place in (
            (Scheme.LIVING_ALLOWANCE, dt.date(2020, 1, 1), "110.00", None, None),
            (Scheme.LIVING_ALLOWANCE, dt.date(2023, 1, 1), "130.00", None, hohhot),
            (Scheme.NURSING_ALLOWANCE, dt.date(2020, 1, 1), "110.00", None, None),
            (Scheme.NURSING_ALLOWANCE, dt.date(2024, 1, 1), "120.00", None, None),
            (Scheme.NURSING_ALLOWANCE, dt.date(2024, 1, 1), "150.00", 1, None))])
    # A card valid from before last month until after the review dates, of a person on the register.
    card = ("FROM registry_certificate c JOIN registry_person p ON p.id = c.person_id "
            "WHERE c.status = 'valid' AND c.issued_on < %s AND c.valid_until >= %s AND p.life_status = 'active' ")
    card_params = [add_months(previous, -1), today + dt.timedelta(days=62)]

    def status(kind: str) -> str:
        return (f"EXISTS (SELECT 1 FROM registry_assistancestatus s WHERE s.person_id = c.person_id "
                f"AND s.kind = '{kind}' AND s.ended_on IS NULL AND s.started_on <= %s)")

    insert = ("INSERT INTO benefits_entitlement (person_id, scheme, starts_on, state, state_reason) "
              f"SELECT c.person_id, %s, {_STARTS_ON[vendor]}, 'active', '' ")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert + card + f"AND (c.grade IN (1, 2) OR c.category IN (5, 6, 7)) "
                       f"AND c.person_id %% 20 < {NURSING_APPLIED} AND NOT {status('extreme_poverty')}",
                       [Scheme.NURSING_ALLOWANCE, *card_params, previous])
        cursor.execute(insert + card + f"AND {status('dibao')} AND NOT {status('extreme_poverty')}",
                       [Scheme.LIVING_ALLOWANCE, *card_params, previous, previous])
        cursor.execute(f"UPDATE benefits_entitlement SET arrears_from = %s WHERE id %% {ARREARS_EVERY} = 7",
                       [previous])
        arrears = cursor.rowcount
        # An account for the persons paid, except 1 % (not given yet: the bank file leaves it empty); a
        # guardian holds a minor's.
        cursor.execute(
            "INSERT INTO benefits_paymentaccount (person_id, bank, number, holder) "
            "SELECT p.id, CASE p.id %% 4 WHEN 0 THEN %s WHEN 1 THEN %s WHEN 2 THEN %s ELSE %s END, "
            "'6228' || CAST(p.id + 100000000000000 AS TEXT), "
            "CASE WHEN p.guardian_name <> '' THEN p.guardian_name ELSE p.name END FROM registry_person p "
            "WHERE p.id %% 100 <> 99 AND p.id IN (SELECT person_id FROM benefits_entitlement)", list(BANKS))
        accounts = cursor.rowcount
    seconds = time.perf_counter() - started
    for username, role in ((BENCH_REVIEWER, Role.FEDERATION_OFFICER), (BENCH_APPROVER, Role.FEDERATION_LEADER)):
        user = User.objects.filter(username=username).first() or User(username=username, role=role,
                                                                      display_name=username)
        user.set_unusable_password()
        user.save()
        user.areas.set([area])
    started = time.perf_counter()
    _vacuum(connection, "benefits_entitlement", "benefits_paymentaccount", "benefits_standard",
            "registry_assistancestatus")
    analyze_seconds = time.perf_counter() - started
    counts = {scheme: Entitlement.objects.filter(scheme=scheme).count() for scheme in
              (Scheme.NURSING_ALLOWANCE, Scheme.LIVING_ALLOWANCE)}
    return {"first_list": first_list, "entitlements": sum(counts.values()), "by_scheme": counts,
            "arrears_marked": arrears, "accounts": accounts, "seconds": round(seconds, 2),
            "analyze_seconds": round(analyze_seconds, 2), "month": month.isoformat(),
            "previous_month": previous.isoformat()}


_LINE_COLUMNS = ("run_id", "scheme", "person_id", "entitlement_id", "for_month", "amount", "standard_id", "bank",
                 "account_number", "account_holder", "failed", "failure_reason")


def _floor_insert(cursor, *, run_id: int, scheme: str, month, area_path: str, arrears: bool, prefix: str = "",
                  table: str = "benefits_payrollline") -> int:
    """The floor: the bare INSERT … SELECT of the same lines — entitlements covering the month joined to the person,
    the area and the account, priced by the simplest CASE; no eligibility subquery (every bench entitlement is one
    the rules accept). Nursing joins the valid card for its grade (one per synthetic person)."""
    from canlian.benefits.choices import Scheme
    from canlian.benefits.models import Standard

    everyone = Standard.objects.filter(scheme=scheme, grade=None, area=None).latest("effective_from")
    if scheme == Scheme.NURSING_ALLOWANCE:
        special = Standard.objects.get(scheme=scheme, grade=1)
        join, test, test_params = ("JOIN registry_certificate c ON c.person_id = e.person_id AND c.status = 'valid'",
                                   "c.grade = 1", [])
    else:
        special = Standard.objects.select_related("area").get(scheme=scheme, area__isnull=False)
        join, test, test_params = "", "r.path LIKE %s", [special.area.path + "%"]
    cursor.execute(
        f"{prefix}INSERT INTO {table} ({', '.join(_LINE_COLUMNS)}) "
        f"SELECT %s, e.scheme, e.person_id, e.id, %s, CASE WHEN {test} THEN %s ELSE %s END, "
        f"CASE WHEN {test} THEN %s ELSE %s END, COALESCE(a.bank, ''), COALESCE(a.number, ''), "
        "COALESCE(a.holder, ''), FALSE, '' FROM benefits_entitlement e "
        "JOIN registry_person p ON p.id = e.person_id JOIN areas_area r ON r.id = p.residence_area_id "
        f"{join} LEFT JOIN benefits_paymentaccount a ON a.person_id = e.person_id "
        "WHERE e.scheme = %s AND e.starts_on <= %s AND (e.ends_on IS NULL OR e.ends_on >= %s) AND r.path LIKE %s"
        + (" AND e.arrears_from <= %s" if arrears else ""),
        [run_id, month, *test_params, special.amount, everyone.amount, *test_params, special.pk, everyone.pk,
         scheme, month, month, area_path + "%", *([month] if arrears else [])])
    return cursor.rowcount


def _payroll_reset(connection, scheme: str, previous) -> None:
    """No run of the scheme, and the 0.5 % marks as they were before any run looked at them."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE benefits_entitlement SET arrears_run_id = NULL, arrears_from = CASE WHEN "
                       f"id %% {ARREARS_EVERY} = 7 THEN %s END WHERE scheme = %s", [previous, scheme])
        cursor.execute("DELETE FROM benefits_recovery WHERE line_id IN "
                       "(SELECT id FROM benefits_payrollline WHERE scheme = %s)", [scheme])
        cursor.execute("DELETE FROM benefits_payrollline WHERE scheme = %s", [scheme])
        cursor.execute("DELETE FROM benefits_payrollrun WHERE scheme = %s", [scheme])
    _vacuum(connection, "benefits_payrollline")


def _drop_run(connection, run_id: int, scheme: str, previous) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE benefits_entitlement SET arrears_run_id = NULL, arrears_from = CASE WHEN "
                       f"id %% {ARREARS_EVERY} = 7 THEN %s END WHERE scheme = %s", [previous, scheme])
        cursor.execute("DELETE FROM benefits_payrollline WHERE run_id = %s", [run_id])
        cursor.execute("DELETE FROM benefits_payrollrun WHERE id = %s", [run_id])
    _vacuum(connection, "benefits_payrollline")


def _best(samples: list[float]) -> dict:
    return {"best": round(min(samples), 3), "median": round(statistics.median(samples), 3),
            "all": [round(s, 3) for s in samples]}


class _SqlClock:
    """connection.execute_wrapper timing each statement: the payroll lines' INSERTs (the first is the month's, the
    rest months owed) apart from everything else."""

    def __init__(self):
        self.seconds = {"insert_month": 0.0, "insert_arrears": 0.0, "other_sql": 0.0}
        self.inserts = 0
        self.month_insert = None  # (sql, params) of the month's INSERT … SELECT, for EXPLAIN

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if sql.startswith("INSERT INTO benefits_payrollline "):
                kind = "insert_month" if self.inserts == 0 else "insert_arrears"
                self.month_insert = self.month_insert or (sql, params)
                self.inserts += 1
            else:
                kind = "other_sql"
            self.seconds[kind] += time.perf_counter() - started


def _export_floor(connection, run, target: Path) -> tuple[float, int]:
    """The bank file's floor: the run's paid lines with the person's name and ID number, read in person order
    (server-side cursor on PostgreSQL), one row per person written with xlsxwriter in constant memory — the same
    cells, without the checksum pass, the model layer or cell escaping."""
    import itertools
    from decimal import Decimal

    import xlsxwriter

    label, month = str(run.get_scheme_display()), f"{run.month:%Y-%m}"
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False,
                                             "strings_to_urls": False})
    sheet = book.add_worksheet("发放明细")
    sheet.write_row(0, 0, ["序号", "姓名", "身份证号", "开户银行", "银行账号", "户名", "金额（元）", "补贴项目", "发放月份",
                           "所含月份"])
    payments = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute("SELECT l.person_id, p.name, p.id_number, l.bank, l.account_number, l.account_holder, "
                       "l.for_month, l.amount FROM benefits_payrollline l JOIN registry_person p ON p.id = l.person_id "
                       "WHERE l.run_id = %s AND NOT l.failed ORDER BY l.person_id, l.for_month", [run.pk])
        rows = itertools.chain.from_iterable(iter(lambda: cursor.fetchmany(5000), []))
        for _person, group in itertools.groupby(rows, key=lambda row: row[0]):
            group = list(group)
            first = group[0]
            payments += 1
            amount = sum((Decimal(str(row[7])) for row in group), Decimal(0))
            sheet.write_row(payments, 0, [payments, *first[1:6], f"{amount:.2f}", label, month,
                                          "；".join(str(row[6])[:7] for row in group)])
    totals = book.add_worksheet("汇总")
    for n, (key, value) in enumerate((("发放表", str(run)), ("发放人数", str(run.person_count)),
                                      ("发放总额（元）", f"{run.total_amount:.2f}"), ("校验码", run.checksum))):
        totals.write_row(n, 0, [key, value])
    book.close()
    return time.perf_counter() - started, payments


def _bare_bound(connection, *, run_id: int, scheme: str, month, previous, area) -> float:
    """A lower bound, once: the floor's statements into a bare copy of the lines table (no index, no key), committed."""
    from django.db import transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_line")
        cursor.execute("CREATE TABLE bench_bare_line (LIKE benefits_payrollline INCLUDING DEFAULTS INCLUDING IDENTITY)"
                       if connection.vendor == "postgresql" else
                       "CREATE TABLE bench_bare_line AS SELECT * FROM benefits_payrollline WHERE 0")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for day, arrears in ((month, False), (previous, True)):
            _floor_insert(cursor, run_id=run_id, scheme=scheme, month=day, area_path=area.path, arrears=arrears,
                          table="bench_bare_line")
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_line")
    return seconds


def part_payroll(args) -> dict:
    """One scheme's payroll of this month for an area. `--repeat` times: the floor (bare INSERT … SELECT of the same
    lines, statement and commit timed apart), then payroll_run_build (lines, months owed, totals; its SQL and its
    commit timed apart). Once, on the last build: review, approve (checksum over the lines), the XLSX bank file and
    its floor. Last month's run exists (reconciled, 0.5 % of its payments failed), so the arrears path runs."""
    _setup()
    from django.db import connection, transaction
    from django.db.models import Count, Sum
    from django.utils import timezone

    from canlian.accounts.models import User
    from canlian.areas.models import Area
    from canlian.benefits import services
    from canlian.benefits.models import PayrollLine, PayrollRun

    officer = User.objects.get(username="synth_officer")
    reviewer, approver = User.objects.get(username=BENCH_REVIEWER), User.objects.get(username=BENCH_APPROVER)
    area = Area.objects.get(code=args.area_code) if args.area_code else officer.areas.get()
    scheme, workdir = args.scheme, Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    previous, month = _months()
    baseline = _rss_mb()

    _payroll_reset(connection, scheme, previous)
    last = PayrollRun.objects.create(scheme=scheme, month=previous, area=area, built_by=officer,
                                     built_at=timezone.now(), state=PayrollRun.State.RECONCILED)
    with transaction.atomic(), connection.cursor() as cursor:
        _floor_insert(cursor, run_id=last.pk, scheme=scheme, month=previous, area_path=area.path, arrears=False)
        cursor.execute("UPDATE benefits_payrollline SET failed = TRUE, failure_reason = '银行退回：账户冻结' "
                       "WHERE run_id = %s AND entitlement_id IN "
                       "(SELECT id FROM benefits_entitlement WHERE arrears_from IS NOT NULL)", [last.pk])
    _vacuum(connection, "benefits_payrollline", "benefits_entitlement")

    def totals(run_id: int) -> tuple:
        found = PayrollLine.objects.filter(run_id=run_id).aggregate(n=Count("pk"), total=Sum("amount"))
        return found["n"], found["total"]

    floors, builds, rss_build = [], [], None
    for repetition in range(args.repeat):
        run = PayrollRun.objects.create(scheme=scheme, month=month, area=area, built_by=officer,
                                        built_at=timezone.now())
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            inserted = _floor_insert(cursor, run_id=run.pk, scheme=scheme, month=month, area_path=area.path,
                                     arrears=False)
            inserted += _floor_insert(cursor, run_id=run.pk, scheme=scheme, month=previous, area_path=area.path,
                                      arrears=True)
            statements = time.perf_counter() - started
        floor_seconds = time.perf_counter() - started
        floors.append({"seconds": floor_seconds, "statements": statements, "commit": floor_seconds - statements})
        floor_seen = (inserted, *totals(run.pk))
        _drop_run(connection, run.pk, scheme, previous)

        # The service as officers call it; the outer block only lets its commit be timed apart from its work.
        clock = _SqlClock()
        started = time.perf_counter()
        with transaction.atomic(), connection.execute_wrapper(clock):
            run = services.payroll_run_build(scheme=scheme, month=month, area=area, by=officer)
            body = time.perf_counter() - started
        build_seconds = time.perf_counter() - started
        builds.append({"seconds": build_seconds, **clock.seconds, "python": body - sum(clock.seconds.values()),
                       "commit": build_seconds - body})
        rss_build = rss_build or _rss_mb()
        build_seen = (run.line_count, *totals(run.pk))
        if build_seen != floor_seen:
            raise SystemExit(f"payroll and floor disagree ({scheme}, {area.code}): {build_seen} != {floor_seen}")
        arrears_lines = PayrollLine.objects.filter(run=run, for_month__lt=month).count()
        if repetition < args.repeat - 1:
            _drop_run(connection, run.pk, scheme, previous)
    run = services.payroll_run_review(run=run, by=reviewer)
    started = time.perf_counter()
    run = services.payroll_run_approve(run=run, by=approver)
    approve_seconds = time.perf_counter() - started
    rss_approve = _rss_mb()
    target = workdir / f"bank-{scheme}-{area.code}.xlsx"
    started = time.perf_counter()
    services.payroll_run_export(run=run, by=officer, kind="xlsx", target=target)
    export_seconds = time.perf_counter() - started
    rss_export = _rss_mb()
    export_floor, payments = _export_floor(connection, run, workdir / f"floor-{scheme}-{area.code}.xlsx")
    _drop_run(connection, run.pk, scheme, previous)
    bare = _bare_bound(connection, run_id=run.pk, scheme=scheme, month=month, previous=previous, area=area)
    plans = {"plan_build": _payroll_plan(connection, clock.month_insert, run_id=run.pk, scheme=scheme, month=month,
                                         area=area, officer=officer)} if args.explain else {}
    best_build = min(builds, key=lambda b: b["seconds"])
    best_floor = min(floors, key=lambda f: f["seconds"])
    return {
        "scheme": scheme, "area": area.name, "area_code": area.code, "month": month.isoformat(),
        "lines": run.line_count, "persons": run.person_count, "arrears_lines": arrears_lines,
        "total_amount": str(run.total_amount), "arrears_amount": str(run.arrears_amount), "repeat": args.repeat,
        "build_seconds": _best([b["seconds"] for b in builds]), "floor_seconds": _best([f["seconds"] for f in floors]),
        "build_parts": {k: round(v, 3) for k, v in best_build.items()},
        "floor_parts": {k: round(v, 3) for k, v in best_floor.items()},
        "ratio": round(best_build["seconds"] / best_floor["seconds"], 2),
        "ratio_median": round(statistics.median(b["seconds"] for b in builds)
                              / statistics.median(f["seconds"] for f in floors), 2),
        "lines_per_s": round(run.line_count / best_build["seconds"]),
        "persons_per_s": round(run.person_count / best_build["seconds"]),
        "approve_seconds": round(approve_seconds, 3), "export_seconds": round(export_seconds, 3),
        "export_floor_seconds": round(export_floor, 3), "payments": payments, "bare_seconds": round(bare, 3),
        "export_ratio": round(export_seconds / export_floor, 2),
        "bank_file_mb": round(target.stat().st_size / 1024 / 1024, 1),
        "rss_baseline_mb": baseline, "rss_build_mb": rss_build, "rss_approve_mb": rss_approve,
        "rss_export_mb": rss_export, "rss_peak_mb": _rss_mb(), **plans,
    }


def _payroll_plan(connection, statement: tuple, *, run_id: int, scheme: str, month, area, officer) -> list[str]:
    """Where the time goes: the plan of the build's month INSERT … SELECT as the service sent it, run again for the same
    (re-created) run and rolled back. PostgreSQL: EXPLAIN ANALYZE, which leaves out the foreign-key checks deferred to
    the commit; SQLite: EXPLAIN QUERY PLAN, indented as the sqlite3 shell shows it."""
    from django.db import transaction
    from django.utils import timezone

    from canlian.benefits.models import PayrollRun

    sql, params = statement
    with transaction.atomic(), connection.cursor() as cursor:
        PayrollRun.objects.create(pk=run_id, scheme=scheme, month=month, area=area, built_by=officer,
                                  built_at=timezone.now())
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            depth, plan = {0: -1}, []
            for node, parent, _unused, detail in cursor.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                plan.append("  " * depth[node] + detail)
        transaction.set_rollback(True)
    return plan


def _selector_probe(connection, select, *, limit: int, **kwargs) -> dict:
    """persons_to_review once at the server's own settings; on PostgreSQL cancelled after `limit` seconds, with
    the plan the server chose (EXPLAIN without ANALYZE)."""
    from django.db import OperationalError

    plan = []
    if connection.vendor == "postgresql":
        sql, params = select(**kwargs).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
    started = time.perf_counter()
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = '{limit}s'")
        found = len(list(select(**kwargs)))
    except OperationalError as error:
        if "statement timeout" not in str(error):
            raise
        return {"seconds": None, "limit_seconds": limit, "selected": None, "plan": plan}
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
    return {"seconds": round(time.perf_counter() - started, 3), "limit_seconds": limit, "selected": found,
            "plan": plan}


def part_review(args) -> dict:
    """The re-sent list (1 % dropped, added, changed) imported with the entitlements present: the commit publishes
    AssistanceStatusesChanged and the benefits handler reviews whoever persons_to_review picks. Timed: the handler,
    the selector within it, and each entitlement_review (counted); then the selector alone again."""
    _setup()
    from django.db import connection
    from django.utils import timezone

    from canlian.accounts.models import User
    from canlian.benefits import handlers
    from canlian.benefits.models import Entitlement
    from canlian.registry import events

    officer = User.objects.get(username="synth_officer")
    area = officer.areas.get()
    today = timezone.localdate()
    stats = {"handler_seconds": 0.0, "selector_seconds": 0.0, "review_seconds": 0.0, "selected": 0, "reviewed": 0,
             "entitlements_changed": 0, "errors": []}
    select, review, handler = handlers.persons_to_review, handlers.entitlement_review, \
        handlers.on_assistance_statuses_changed

    def timed_select(**kwargs):
        started = time.perf_counter()
        ids = list(select(**kwargs))
        stats["selector_seconds"] += time.perf_counter() - started
        stats["selected"] += len(ids)
        return ids

    def counted_review(**kwargs):
        started = time.perf_counter()
        changed = review(**kwargs)
        stats["review_seconds"] += time.perf_counter() - started
        stats["reviewed"] += 1
        stats["entitlements_changed"] += len(changed)
        return changed

    def timed_handler(event):
        started = time.perf_counter()
        try:
            handler(event)
        except Exception as error:  # on_commit(robust=True) would only log it
            stats["errors"].append(repr(error))
            raise
        finally:
            stats["handler_seconds"] += time.perf_counter() - started

    # The selector at the server's settings first, under a time limit: on PostgreSQL with the default work_mem
    # (4MB) the planner cannot hash NOT IN (eligible persons) and scans them again for every entitlement.
    probe = _selector_probe(connection, select, on=today, area_path=area.path, schemes=handlers.ASSISTANCE_SCHEMES,
                            limit=args.selector_limit)
    work_mem = None
    if probe["seconds"] is None:  # did not finish: the rest is measured with a session work_mem that lets it hash
        work_mem = args.work_mem
        with connection.cursor() as cursor:
            cursor.execute(f"SET work_mem = '{work_mem}'")
    subscribers = events._handlers[events.AssistanceStatusesChanged]
    if handler not in subscribers:
        raise SystemExit("the benefits handler is not subscribed to AssistanceStatusesChanged")
    subscribers[subscribers.index(handler)] = timed_handler
    handlers.persons_to_review, handlers.entitlement_review = timed_select, counted_review
    live = Entitlement.objects.exclude(state=Entitlement.State.ENDED)
    live_before = live.count()
    baseline = _rss_mb()
    resent = _import_list(officer, area, Path(args.workdir) / "resent.xlsx", today)
    if stats["errors"]:
        raise SystemExit(f"the review failed: {stats['errors']}")
    alone = []
    for _ in range(3):  # the same selector, same day and area, on its own (now nothing is left to change)
        started = time.perf_counter()
        left = len(select(on=today, area_path=area.path, schemes=handlers.ASSISTANCE_SCHEMES))
        alone.append(time.perf_counter() - started)
    stats.pop("errors")
    return {"resent": resent, **{k: round(v, 3) if isinstance(v, float) else v for k, v in stats.items()},
            "selector_default_settings": probe, "work_mem_for_review": work_mem,
            "selector_alone_seconds": _best(alone), "selected_after": left, "live_entitlements_before": live_before,
            "live_entitlements_after": live.count(), "rss_baseline_mb": baseline, "rss_peak_mb": _rss_mb(),
            "ratio_to_selector": round(stats["handler_seconds"] / max(min(alone), 1e-3), 1)}


# --- the annual quota review (按比例就业年审) ------------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(n: int) -> str:
    from stdnum.cn import uscc

    body = "91" + "150100" + "MA"  # 9 = enterprise, 1 = company, then the area code; MA… as issued since 2016
    serial = ""
    for _position in range(7):
        n, digit = divmod(n, len(_USCC_ALPHABET))
        serial += _USCC_ALPHABET[digit]
    body += serial
    return body + uscc.calc_check_digit(body)


def _review_floor(cursor, *, year: int, params) -> float:
    """The floor: the same checks as one hand-written UPDATE, the weights, and each declaration's count."""
    import datetime as dt

    year_end, data_year = params.year_end, params.year_end.year
    started = time.perf_counter()
    cursor.execute(
        "UPDATE employment_declaredemployee e SET rejection = CASE "
        "WHEN e.person_id IS NULL THEN 'not_registered' "
        "WHEN NOT EXISTS (SELECT 1 FROM registry_certificate c WHERE c.person_id = e.person_id AND c.issued_on <= %(d)s "
        "  AND c.valid_until >= %(d)s AND (c.status = 'valid' OR c.status_since > %(d)s)) THEN 'no_valid_certificate' "
        "WHEN NOT EXISTS (SELECT 1 FROM registry_person p WHERE p.id = e.person_id AND p.birth_date <= %(young)s "
        "  AND p.birth_date > %(old)s) THEN 'not_working_age' "
        "WHEN e.monthly_wage < %(wage)s THEN 'below_minimum_wage' "
        "WHEN NOT e.social_insurance THEN 'no_social_insurance' "
        "WHEN NOT e.contract_one_year THEN 'short_contract' "
        "WHEN EXISTS (SELECT 1 FROM employment_declaredemployee o WHERE o.person_id = e.person_id AND o.year = e.year "
        "  AND o.monthly_wage >= %(wage)s AND o.social_insurance AND o.contract_one_year AND (o.declared_on < e.declared_on "
        "  OR (o.declared_on = e.declared_on AND o.declaration_id < e.declaration_id))) THEN 'declared_elsewhere' "
        "ELSE '' END WHERE e.year = %(year)s",
        {"d": year_end, "young": dt.date(data_year - params.working_age_min, 12, 31),
         "old": dt.date(data_year - params.working_age_max - 1, 1, 1), "wage": params.minimum_wage_monthly,
         "year": year})
    cursor.execute(
        "UPDATE employment_declaredemployee e SET counted = CASE WHEN e.rejection <> '' THEN 0 "
        "WHEN EXISTS (SELECT 1 FROM registry_certificate c WHERE c.person_id = e.person_id AND c.grade <= 2 "
        "  AND c.issued_on <= %(d)s AND c.valid_until >= %(d)s AND (c.status = 'valid' OR c.status_since > %(d)s)) "
        "THEN 2 ELSE 1 END WHERE e.year = %(year)s", {"d": year_end, "year": year})
    cursor.execute("SELECT declaration_id, SUM(counted) FROM employment_declaredemployee WHERE year = %s "
                   "GROUP BY declaration_id", [year])
    cursor.fetchall()
    return time.perf_counter() - started


def part_levy(args) -> dict:
    """The annual review of `--employers` employers declaring `--employees` disabled employees against the loaded
    registry: the whole year reviewed as the service does it (one UPDATE of verdicts, one of weights, the levy of
    each declaration, written back), against the floor of the same checks in bare SQL; then one declaration at a
    time as an officer clicks 审核 (p95). Data: 1 % of the listed persons also declared by a second employer,
    0.5 % unregistered, wages, insurance and contracts failing in a few percent."""
    _setup()
    import datetime as dt
    from decimal import Decimal

    from django.db import connection, transaction
    from django.db.models import Count, Sum
    from django.utils import timezone

    from canlian.accounts.models import User
    from canlian.areas.models import Area
    from canlian.employment import review, services
    from canlian.employment.models import Declaration, DeclaredEmployee, Employer

    officer = User.objects.get(username="synth_officer")
    rng = random.Random(args.seed)
    today = timezone.localdate()
    year = today.year
    with connection.cursor() as cursor:
        for table in ("employment_declaredemployee", "employment_historicaldeclaration", "employment_declaration",
                      "employment_historicalemployer", "employment_employer"):
            cursor.execute(f"DELETE FROM {table}")
    counties = list(Area.objects.filter(level=Area.Level.COUNTY).values_list("pk", flat=True))
    started = time.perf_counter()
    Employer.objects.bulk_create([
        Employer(uscc=_uscc(n), name=f"基准单位{n:06d}", kind="enterprise" if n % 10 else "institution",
                 area_id=counties[n % len(counties)]) for n in range(args.employers)], batch_size=5000)
    employer_ids = list(Employer.objects.order_by("pk").values_list("pk", flat=True))
    Declaration.objects.bulk_create([
        Declaration(employer_id=pk, year=year, declared_on=dt.date(year, 3, 1) + dt.timedelta(days=rng.randrange(150)),
                    staff_count=Decimal(rng.choice([rng.randint(5, 30), rng.randint(31, 300), rng.randint(300, 5000)])),
                    average_wage=Decimal(rng.randint(40_000, 300_000)), entered_by=officer)
        for pk in employer_ids], batch_size=5000)
    declarations = args.employers
    listed = args.employees - args.employees // 100  # the rest: a second employer's claim on a person
    with transaction.atomic(), connection.cursor() as cursor:
        select = ("INSERT INTO employment_declaredemployee (declaration_id, year, declared_on, certificate_number, "
                  "id_number, name, person_id, monthly_wage, social_insurance, contract_one_year) "
                  "SELECT d.id, d.year, d.declared_on, p.id_number, p.id_number, p.name, "
                  "CASE WHEN p.n %% 200 = 3 THEN NULL ELSE p.id END, 1900 + (p.id * 7 %% 4000), p.id %% 50 <> 0, "
                  "p.id %% 40 <> 1 FROM (SELECT id, id_number, name, row_number() OVER (ORDER BY id) AS n "
                  "FROM registry_person WHERE id %% 4 = 1 ORDER BY id LIMIT %s) p "
                  "JOIN (SELECT id, year, declared_on, row_number() OVER (ORDER BY id) - 1 AS k "
                  "FROM employment_declaration) d ON d.k = (p.n + %s) %% %s")
        cursor.execute(select, [listed, 0, declarations])
        cursor.execute(select, [args.employees - listed, 7, declarations])  # the same persons, other employers
        employees = DeclaredEmployee.objects.count()
    setup_seconds = time.perf_counter() - started
    _vacuum(connection, "employment_declaredemployee", "employment_declaration", "employment_employer")
    params = review.employee_check_parameters(year)

    floor, service = [], []
    for _attempt in range(args.repeat):
        with transaction.atomic(), connection.cursor() as cursor:
            floor.append(_review_floor(cursor, year=year, params=params))
            transaction.set_rollback(True)
        with transaction.atomic():
            started = time.perf_counter()
            reviewed = services.declarations_review(year=year, by=officer)
            service.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    # Then for real, so the single reviews below re-judge a reviewed year as officers would.
    services.declarations_review(year=year, by=officer)
    verdicts = dict(DeclaredEmployee.objects.values_list("rejection").annotate(n=Count("pk")))
    levy_total = Declaration.objects.aggregate(total=Sum("levy"))["total"]

    sample = rng.sample(list(Declaration.objects.values_list("pk", flat=True)), args.singles)
    singles = []
    for pk in sample:
        declaration = Declaration.objects.get(pk=pk)
        started = time.perf_counter()
        services.declaration_review(declaration=declaration, by=officer)
        singles.append((time.perf_counter() - started) * 1000)
    return {"employers": declarations, "employees": employees, "setup_seconds": round(setup_seconds, 1),
            "reviewed": reviewed, "floor_seconds": _best(floor), "review_seconds": _best(service),
            "ratio": round(min(service) / min(floor), 2), "verdicts": {k or "counted": v for k, v in verdicts.items()},
            "levy_total": str(levy_total), "single": _percentiles(singles)}


# --- needs and services (精准服务) -----------------------------------------------------------------------------


def _services_floor(cursor, *, year: int) -> float:
    """The floor of rehabilitation coverage: per area, persons with a rehabilitation need during the year and how
    many of them had a rehabilitation service that year, in one hand-written query."""
    import datetime as dt

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    started = time.perf_counter()
    cursor.execute(
        "SELECT p.residence_area_id, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM care_services_servicerecord s "
        "  WHERE s.person_id = p.id AND s.kind IN ('rehabilitation', 'child_rehabilitation') AND s.started_on <= %(end)s "
        "  AND (s.ended_on IS NULL OR s.ended_on >= %(start)s)) THEN 1 ELSE 0 END) "
        "FROM registry_person p WHERE EXISTS (SELECT 1 FROM care_services_need n WHERE n.person_id = p.id "
        "  AND n.kind IN ('rehabilitation', 'child_rehabilitation') AND n.opened_on <= %(end)s "
        "  AND (n.closed_on IS NULL OR n.closed_on >= %(start)s)) GROUP BY p.residence_area_id",
        {"start": start, "end": end})
    cursor.fetchall()
    return time.perf_counter() - started


SERVICE_KINDS = ["rehabilitation", "assistive_device", "child_rehabilitation", "care", "home_modification",
                 "education", "culture_sports"]


def _services_data(connection, *, officer, per_person: float) -> tuple[int, int]:
    """Needs and service records, set-based, in place of any there were: a need for one person in three (every
    kind, open, overdue, referred, met), up to two service records per person (`per_person`). Returns the counts."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    today = timezone.localdate()
    year = today.year
    kinds = SERVICE_KINDS
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("care_services_servicerecord", "care_services_historicalservicerecord", "care_services_need",
                      "care_services_historicalneed"):
            cursor.execute(f"DELETE FROM {table}")
        kind_case = "CASE p.id %% 7 " + " ".join(f"WHEN {i} THEN '{k}'" for i, k in enumerate(kinds)) + " END"
        cursor.execute(
            "INSERT INTO care_services_need (person_id, kind, state, source, detail, opened_on, due_on, closed_on, "
            "close_note, opened_by_id) "
            f"SELECT p.id, {kind_case}, CASE WHEN p.id %% 5 < 3 THEN 'open' WHEN p.id %% 5 = 3 THEN 'referred' "
            "ELSE 'met' END, 'survey', '', %(opened)s, %(opened)s, CASE WHEN p.id %% 5 = 4 THEN %(today)s END, '', "
            "%(by)s FROM registry_person p WHERE p.id %% 3 = 0",
            {"opened": dt.date(year, 1, 1) + dt.timedelta(days=200), "today": today, "by": officer.pk})
        needs = cursor.rowcount
        # Due dates from the opening day on, so a share are overdue today.
        cursor.execute("UPDATE care_services_need SET due_on = opened_on + (person_id % 120)::int"
                       if connection.vendor == "postgresql" else
                       "UPDATE care_services_need SET due_on = date(opened_on, '+' || (person_id % 120) || ' days')")
        service_kind = "CASE (p.id + s.n) %% 7 " + " ".join(f"WHEN {i} THEN '{k}'" for i, k in enumerate(kinds)) + " END"
        cursor.execute(
            "INSERT INTO care_services_servicerecord (person_id, kind, subtype, started_on, ended_on, outcome, note, "
            "recorded_by_id, recorded_at) "
            f"SELECT p.id, {service_kind}, 'training', %(day)s, NULL, '', '', %(by)s, %(now)s "
            "FROM registry_person p CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) s "
            f"WHERE (p.id + s.n) %% 10 < %(per)s",
            {"day": dt.date(year, 3, 1), "by": officer.pk, "now": timezone.now(), "per": int(per_person * 5)})
        records = cursor.rowcount
    return needs, records


def part_services(args) -> dict:
    """Needs and service records on the loaded registry, set-based: a need for one person in three (every kind,
    open, overdue, referred, met), two service records per person (`--per-person`); then the officers'
    worklists and "needs without service" as the pages read them (p95), and rehabilitation coverage for every
    area against a hand-written floor."""
    _setup()
    from django.core.paginator import Paginator
    from django.db import connection
    from django.utils import timezone

    from canlian.accounts.models import User
    from canlian.services import selectors

    officer = User.objects.get(username="synth_officer")
    community = User.objects.get(username="synth_community")
    year = timezone.localdate().year
    started = time.perf_counter()
    needs, records = _services_data(connection, officer=officer, per_person=args.per_person)
    setup_seconds = time.perf_counter() - started
    _vacuum(connection, "care_services_need", "care_services_servicerecord")

    def page_of(queryset) -> None:
        page = Paginator(queryset, 25).get_page(1)
        list(page.object_list)

    timings = {}
    for label, user in (("federation_officer", officer), ("community_officer", community)):
        for what, read in (("needs_worklist", lambda u: page_of(selectors.needs_live(user=u))),
                           ("needs_without_service", lambda u: page_of(selectors.needs_without_service(user=u)))):
            samples = []
            for _repeat in range(args.queries):
                started = time.perf_counter()
                read(user)
                samples.append((time.perf_counter() - started) * 1000)
            timings[f"{what}/{label}"] = _percentiles(samples)
    coverage, floor = [], []
    for _repeat in range(3):
        started = time.perf_counter()
        rows = selectors.coverage_by_area(user=officer, what="rehabilitation", year=year)
        coverage.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            floor.append(_services_floor(cursor, year=year))
    return {"needs": needs, "service_records": records, "setup_seconds": round(setup_seconds, 1), "pages": timings,
            "coverage_seconds": _best(coverage), "coverage_floor_seconds": _best(floor),
            "coverage_ratio": round(min(coverage) / min(floor), 2), "coverage_areas": len(rows),
            "coverage_needing": sum(r.needing for r in rows), "coverage_served": sum(r.served for r in rows)}


# --- plan indicators (规划指标) ----------------------------------------------------------------------------------

EMPLOYMENT_FORMS = ("quota", "concentrated", "self_employed", "flexible", "assisted", "public_welfare", "agriculture")
SCHOOL_SUBTYPES = (  # the measure counts the first four as at school
    "mainstream", "special_school", "welfare_class", "home_teaching", "vocational")
BENCH_SOURCE = "bench_indicators"  # the import batch the department records hang on
TRAINING_COURSES = 200


def _indicators_data(connection, *, officer, today) -> dict:
    """What the measures read besides persons, cards, needs and services, set-based and in place of what an earlier
    run put there: employment spells (seven persons in ten have a current one, three in ten an earlier one, so
    new jobs and new businesses since 2021 are told apart), pension and medical insurance from the departments,
    this year's training courses and their trainees, school and home-modification service records; social
    assistance statuses and allowance entitlements only when the benefits part has not written them."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from canlian.areas.models import Area
    from canlian.benefits.models import Entitlement
    from canlian.employment.models import TrainingCourse
    from canlian.exchange.models import ImportBatch
    from canlian.registry.models import AssistanceStatus
    from canlian.registry.rules import add_years

    year = today.year
    jan1 = dt.date(year, 1, 1)
    forms = "CASE (p.id / 10) %% 7 " + " ".join(f"WHEN {i} THEN '{f}'" for i, f in enumerate(EMPLOYMENT_FORMS)) + " END"
    subtypes = "CASE p.id %% 5 " + " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(SCHOOL_SUBTYPES)) + " END"
    params = {"by": officer.pk, "now": timezone.now(), "today": today, "jan1": jan1,
              "six": add_years(today, -6), "sixteen": add_years(today, -16)}
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("employment_trainingenrolment", "employment_trainingcourse",
                      "employment_historicalemploymentrecord", "employment_employmentrecord"):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM exchange_departmentrecord WHERE batch_id IN "
                       "(SELECT id FROM exchange_importbatch WHERE source = %s)", [BENCH_SOURCE])
        cursor.execute("DELETE FROM exchange_importbatch WHERE source = %s", [BENCH_SOURCE])
        spell = ("INSERT INTO employment_employmentrecord (person_id, employed, form, not_working_reason, employer_id, "
                 "employer_name, monthly_income, started_on, ended_on, note, recorded_by_id, recorded_at) ")
        # Earlier spells, ended 2021: looking for work (m = 0), in flexible work (1), self-employed (2).
        cursor.execute(
            spell + "SELECT p.id, p.id %% 10 <> 0, CASE p.id %% 10 WHEN 0 THEN '' WHEN 1 THEN 'flexible' "
            "ELSE 'self_employed' END, CASE WHEN p.id %% 10 = 0 THEN 'seeking' ELSE '' END, NULL, '', NULL, "
            "DATE '2018-01-01' + (p.id %% 365)::int, DATE '2021-12-31', '', %(by)s, %(now)s "
            "FROM registry_person p WHERE p.id %% 10 < 3", params)
        counts["employment_earlier"] = cursor.rowcount
        # Current spells: in work in one of the forms (m = 0–4), unable to work (5), in work until 2024 (6).
        cursor.execute(
            spell + f"SELECT p.id, p.id %% 10 <> 5, CASE WHEN p.id %% 10 = 5 THEN '' ELSE {forms} END, "
            "CASE WHEN p.id %% 10 = 5 THEN 'unable' ELSE '' END, NULL, '', NULL, "
            "CASE WHEN p.id %% 10 < 3 THEN DATE '2022-01-01' + (p.id %% 700)::int "
            "ELSE DATE '2019-01-01' + (p.id %% 2000)::int END, CASE WHEN p.id %% 10 = 6 THEN DATE '2024-12-31' END, "
            "'', %(by)s, %(now)s FROM registry_person p WHERE p.id %% 10 < 7", params)
        counts["employment_current"] = cursor.rowcount
        province = officer.areas.get()
        batch = ImportBatch.objects.create(source=BENCH_SOURCE, area=province, list_date=today, file_sha256="0" * 64,
                                           created_by=officer, state=ImportBatch.State.COMMITTED)
        cursor.execute(
            "INSERT INTO exchange_departmentrecord (person_id, kind, started_on, ended_on, organisation, detail, "
            "batch_id) SELECT p.id, 'pension_insurance', DATE '2020-01-01' + (p.id %% 1000)::int, "
            "CASE WHEN p.id %% 10 = 6 THEN DATE '2025-12-31' END, '', '', %(batch)s FROM registry_person p "
            "WHERE p.id %% 10 < 7 UNION ALL SELECT p.id, 'medical_insurance', DATE '2019-01-01' + (p.id %% 1500)::int, "
            "NULL, '', '', %(batch)s FROM registry_person p WHERE p.id %% 20 < 19", {**params, "batch": batch.pk})
        counts["department_records"] = cursor.rowcount
        service = ("INSERT INTO care_services_servicerecord (person_id, kind, subtype, started_on, ended_on, outcome, "
                   "note, recorded_by_id, recorded_at) ")
        cursor.execute(  # three in four children of school age at school (one in five of them in a kind not counted)
            service + f"SELECT p.id, 'education', {subtypes}, DATE '2024-09-01', NULL, '', '', %(by)s, %(now)s "
            "FROM registry_person p WHERE p.birth_date <= %(six)s AND p.birth_date > %(sixteen)s AND p.id %% 4 < 3",
            params)
        counts["school_records"] = cursor.rowcount
        cursor.execute(  # one person in 40: a home modification this year, two in three accepted
            service + "SELECT p.id, 'home_modification', 'ramp', %(jan1)s, GREATEST(%(jan1)s, %(today)s - "
            "(p.id %% 120)::int), CASE p.id %% 3 WHEN 0 THEN 'completed' WHEN 1 THEN 'improved' ELSE 'stopped' END, "
            "'', %(by)s, %(now)s FROM registry_person p WHERE p.id %% 40 = 0", params)
        counts["home_modifications"] = cursor.rowcount
        cursor.execute(  # eight in ten persons needing a device fitted this year
            service + "SELECT n.person_id, 'assistive_device', 'fitting', %(jan1)s, NULL, '', '', %(by)s, %(now)s "
            "FROM care_services_need n WHERE n.kind = 'assistive_device' AND n.person_id %% 10 < 8", params)
        counts["device_fittings"] = cursor.rowcount
        counties = list(Area.objects.filter(level=Area.Level.COUNTY).values_list("pk", flat=True))
        days = (today - jan1).days + 1
        TrainingCourse.objects.bulk_create([TrainingCourse(
            name=f"基准培训班{n:03d}", kind=("vocational", "entrepreneurship", "agriculture", "other")[n % 4],
            provider="基准培训机构", area_id=counties[n % len(counties)], starts_on=jan1 + dt.timedelta(days=n * days // TRAINING_COURSES),
            ends_on=jan1 + dt.timedelta(days=n * days // TRAINING_COURSES + 30), hours=40) for n in range(TRAINING_COURSES)])
        cursor.execute(  # one person in 25 on a course
            "INSERT INTO employment_trainingenrolment (course_id, person_id, completed_on, certificate) "
            "SELECT c.id, p.id, NULL, '' FROM registry_person p JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 "
            "AS k FROM employment_trainingcourse) c ON c.k = (p.id / 25) %% %(courses)s WHERE p.id %% 25 = 0",
            {"courses": TRAINING_COURSES})
        counts["trainees"] = cursor.rowcount
        if not Entitlement.objects.exists():
            if not AssistanceStatus.objects.exists():
                cursor.execute(  # 低保 one person in 8, 特困 one in 97, 低保边缘 one in 31
                    "INSERT INTO registry_assistancestatus (person_id, kind, started_on, ended_on, started_by, ended_by) "
                    "SELECT p.id, CASE WHEN p.id %% 97 = 0 THEN 'extreme_poverty' WHEN p.id %% 8 = 0 THEN 'dibao' "
                    "ELSE 'near_dibao' END, DATE '2022-01-01', NULL, 'bench', '' FROM registry_person p "
                    "WHERE p.id %% 8 = 0 OR p.id %% 97 = 0 OR p.id %% 31 = 0", params)
                counts["assistance_statuses"] = cursor.rowcount
            entitlement = "INSERT INTO benefits_entitlement (person_id, scheme, starts_on, state, state_reason) "
            cursor.execute(  # nine in ten 低保 holders receive the living allowance
                entitlement + "SELECT DISTINCT s.person_id, 'living_allowance', DATE '2023-01-01', 'active', '' "
                "FROM registry_assistancestatus s WHERE s.kind = 'dibao' AND s.ended_on IS NULL "
                "AND (s.person_id / 8) %% 10 < 9", params)
            counts["living_entitlements"] = cursor.rowcount
            cursor.execute(  # 17 in 20 holders of a grade 1–2 card receive the nursing allowance
                entitlement + "SELECT DISTINCT c.person_id, 'nursing_allowance', DATE '2022-01-01', 'active', '' "
                "FROM registry_certificate c WHERE c.status = 'valid' AND c.grade <= 2 AND c.person_id %% 20 < 17", params)
            counts["nursing_entitlements"] = cursor.rowcount
        # The federation's organisation: nine communities in ten have an officer in post (one in five of those
        # since this year, after a vacancy); a dozen cadres per township, one in six a cardholder.
        cursor.execute("DELETE FROM organisation_officerpost")
        cursor.execute("DELETE FROM organisation_staffmember")
        cursor.execute(
            "INSERT INTO organisation_officerpost (area_id, holder_name, holder_phone, holder_disabled, started_on, "
            "end_reason) SELECT a.id, '专职委员', '', a.id %% 4 = 0, CASE WHEN a.id %% 5 = 0 THEN %(jan1)s "
            "ELSE DATE '2021-03-01' END, '' FROM areas_area a WHERE a.level = 'village' AND a.id %% 10 <> 0", params)
        counts["officer_posts"] = cursor.rowcount
        cursor.execute(
            "INSERT INTO organisation_staffmember (name, unit_area_id, position, person_id, started_on) "
            "SELECT '干部', a.id, '干事', CASE WHEN n %% 6 = 0 THEN (SELECT c.person_id FROM registry_certificate c "
            "WHERE c.id = a.id * 12 + n) END, DATE '2020-01-01' FROM areas_area a, generate_series(1, 12) n "
            "WHERE a.level = 'township'", params)
        counts["cadres"] = cursor.rowcount
    return counts


def _floor_measures(*, on, year) -> dict[str, tuple[str, dict]]:
    """Each measure as one hand-written grouped query giving (area, counted, of) per area where persons live: the
    same conditions the measures state through the ORM, written out in SQL."""
    import datetime as dt

    from canlian.benefits import rules
    from canlian.benefits.choices import CircumstanceKind, Scheme
    from canlian.benefits.selectors import benefit_options
    from canlian.employment.selectors import PLAN_END, PLAN_START
    from canlian.parameters.selectors import parameter_int
    from canlian.registry.rules import add_years

    low, high = parameter_int("person.working_age_min", on=on), parameter_int("person.working_age_max", on=on)
    options = benefit_options(on=on)
    params = {"on": on, "month": on.replace(day=1), "start": dt.date(year, 1, 1), "end": min(dt.date(year, 12, 31), on),
              "year_end": dt.date(year, 12, 31), "adult": add_years(on, -low), "old": add_years(on, -(high + 1)),
              "six": add_years(on, -6), "sixteen": add_years(on, -16), "plan_start": PLAN_START,
              "plan_end": min(on, PLAN_END)}

    def listed(values) -> str:
        return ", ".join(f"'{v}'" if isinstance(v, str) else str(int(v)) for v in values)

    def registered(day: str = "on") -> str:
        return f"(p.life_status = 'active' OR p.life_status_since > %({day})s)"

    def card(extra: str = "") -> str:
        return ("EXISTS (SELECT 1 FROM registry_certificate c WHERE c.person_id = p.id AND c.issued_on <= %(on)s "
                f"AND c.valid_until >= %(on)s AND (c.status = 'valid' OR c.status_since > %(on)s){extra})")

    def live(table: str, alias: str, condition: str, start: str = "started_on", end: str = "ended_on",
             first: str = "on", last: str = "on", after: str = ">=") -> str:
        return (f"EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.person_id = p.id AND {condition} "
                f"AND {alias}.{start} <= %({last})s AND ({alias}.{end} IS NULL OR {alias}.{end} {after} %({first})s))")

    def assistance(kinds) -> str:
        return live("registry_assistancestatus", "s", f"s.kind IN ({listed(kinds)})", after=">")

    def circumstance(kind: str, scheme: str = "") -> str:
        return live("benefits_circumstance", "x", f"x.kind = '{kind}'" + (f" AND x.scheme = '{scheme}'" if scheme else ""))

    def entitled(scheme: str) -> str:
        return live("benefits_entitlement", "t", f"t.scheme = '{scheme}'", start="starts_on", end="ends_on",
                    first="month", last="month")

    def department(kind: str) -> str:
        return live("exchange_departmentrecord", "d", f"d.kind = '{kind}'")

    def persons(where: str, counted: str | None = None) -> str:
        figures = f"count(*) FILTER (WHERE {counted}), count(*)" if counted else "count(*), NULL"
        return f"SELECT p.residence_area_id, {figures} FROM registry_person p WHERE {where} GROUP BY p.residence_area_id"

    working_age = f"{registered()} AND p.birth_date <= %(adult)s AND p.birth_date > %(old)s"
    employed = live("employment_employmentrecord", "e", "e.employed")
    extreme = assistance(["extreme_poverty"])
    qualifying = ["dibao"] + (["near_dibao"] if options.living_includes_near_dibao else []) + (
        ["low_income"] if options.living_includes_low_income else []) + (
        ["extreme_poverty"] if options.extreme_poverty_keeps_living else [])
    living = (f"{registered()} AND {card()} AND {assistance(qualifying)} "
              f"AND NOT {circumstance(CircumstanceKind.ORPHAN_SUPPORT)} "
              f"AND NOT {circumstance(CircumstanceKind.CHOSE_OTHER_ALLOWANCE, Scheme.LIVING_ALLOWANCE)}"
              + ("" if options.extreme_poverty_keeps_living else f" AND NOT {extreme}"))
    grades = f"c.grade IN ({listed(rules.SEVERE_GRADES)})" + (
        f" OR c.category IN ({listed(rules.EXTENDED_NURSING_CATEGORIES)})" if options.nursing_includes_grade34 else "")
    nursing = (f"{registered()} AND {card(f' AND ({grades})')} "
               f"AND NOT {circumstance(CircumstanceKind.WORK_INJURY_NURSING)} "
               f"AND NOT {circumstance(CircumstanceKind.CHOSE_OTHER_ALLOWANCE, Scheme.NURSING_ALLOWANCE)}"
               + ("" if options.extreme_poverty_keeps_nursing else f" AND NOT {extreme}"))

    def needing(kinds) -> str:
        return live("care_services_need", "n", f"n.kind IN ({listed(kinds)})", start="opened_on", end="closed_on",
                    first="start", last="end")

    def served(kinds) -> str:
        return live("care_services_servicerecord", "r", f"r.kind IN ({listed(kinds)})", first="start", last="end")

    rehabilitation = ["rehabilitation", "child_rehabilitation"]
    # Each spell with the one before it (the person's previous spell by start): entering work, or starting a business.
    spells = ("(SELECT person_id, employed, form, started_on, lag(employed) OVER w AS was_employed, "
              "lag(form) OVER w AS was_form FROM employment_employmentrecord "
              "WINDOW w AS (PARTITION BY person_id ORDER BY started_on)) e")

    def entered(condition: str) -> str:
        return (f"SELECT p.residence_area_id, count(DISTINCT p.id), NULL FROM registry_person p JOIN {spells} "
                f"ON e.person_id = p.id WHERE {registered()} AND e.employed AND e.started_on >= %(plan_start)s "
                f"AND e.started_on <= %(plan_end)s AND {condition} GROUP BY p.residence_area_id")

    queries = {
        "registered": persons(registered()),
        "certified": persons(f"{registered()} AND {card()}"),
        "severe": persons(f"{registered()} AND {card(' AND c.grade <= 2')}"),
        "non_severe": persons(f"{registered()} AND {card(' AND c.grade >= 3')}"),
        "working_age": persons(working_age),
        "employed": persons(f"{working_age} AND {employed}"),
        "employment_rate": persons(working_age, employed),
        "living_allowance": persons(living, entitled(Scheme.LIVING_ALLOWANCE)),
        "nursing_allowance": persons(nursing, entitled(Scheme.NURSING_ALLOWANCE)),
        "pension_insurance": persons(working_age, department("pension_insurance")),
        "medical_insurance": persons(registered(), department("medical_insurance")),
        "rehabilitation": persons(f"{registered('end')} AND {needing(rehabilitation)}", served(rehabilitation)),
        "assistive_device": persons(f"{registered('end')} AND {needing(['assistive_device'])}",
                                    served(["assistive_device"])),
        "compulsory_education": persons(
            f"{registered()} AND p.birth_date <= %(six)s AND p.birth_date > %(sixteen)s "
            f"AND {card(' AND c.category IN (1, 2, 5)')}",
            live("care_services_servicerecord", "r", f"r.kind = 'education' AND r.subtype IN "
                 f"({listed(SCHOOL_SUBTYPES[:4])})")),
        "training": ("SELECT p.residence_area_id, count(*), NULL FROM employment_trainingenrolment t "
                     "JOIN employment_trainingcourse k ON k.id = t.course_id JOIN registry_person p ON p.id = t.person_id "
                     "WHERE k.starts_on >= %(start)s AND k.starts_on <= %(year_end)s AND k.starts_on <= %(on)s "
                     "GROUP BY p.residence_area_id"),
        "home_modifications": ("SELECT p.residence_area_id, count(*), NULL FROM care_services_servicerecord r "
                               "JOIN registry_person p ON p.id = r.person_id WHERE r.kind = 'home_modification' "
                               "AND r.outcome IN ('completed', 'improved') AND r.ended_on >= %(start)s "
                               "AND r.ended_on <= %(year_end)s AND r.ended_on <= %(on)s GROUP BY p.residence_area_id"),
        # As the measures' SQL has it: `exclude(was_employed=True)` compiles to NOT (the earlier spell's value), which
        # is NULL, so not counted, for a person with no earlier spell; likewise the earlier spell's form.
        "new_jobs": entered("e.form <> 'self_employed' AND e.was_employed IS NOT TRUE"),
        "new_businesses": entered("e.form = 'self_employed' AND e.was_form IS DISTINCT FROM 'self_employed'"),
        "community_officers": (
            "SELECT a.id, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM organisation_officerpost o WHERE o.area_id = a.id "
            "AND o.started_on <= %(on)s AND (o.ended_on IS NULL OR o.ended_on >= %(on)s))), count(*) "
            "FROM areas_area a WHERE a.level = 'village' GROUP BY a.id"),
        "disabled_cadres": (
            "SELECT s.unit_area_id, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM registry_certificate c "
            "WHERE c.person_id = s.person_id AND c.issued_on <= %(on)s AND c.valid_until >= %(on)s "
            "AND (c.status = 'valid' OR c.status_since > %(on)s))), count(*) FROM organisation_staffmember s "
            "WHERE s.started_on <= %(on)s AND (s.ended_on IS NULL OR s.ended_on >= %(on)s) GROUP BY s.unit_area_id"),
    }
    return {key: (sql, params) for key, sql in queries.items()}


def _floor_roll_up(parents: dict, leaves: dict) -> dict:
    """Every area's figure from the leaves' up its parents."""
    totals: dict[int, list] = {}
    for area_id, (num, den) in leaves.items():
        node = area_id
        while node is not None:
            total = totals.setdefault(node, [0, None])
            total[0] += num
            if den is not None:
                total[1] = (total[1] or 0) + den
            node = parents[node]
    return totals


def _indicators_floor(connection, *, indicators: list, on, year: int, by) -> dict:
    """The floor, in a transaction rolled back: each covered measure's grouped query, the roll-up up the area tree
    in Python, and the snapshots written with COPY; timed apart."""
    from django.db import transaction
    from django.utils import timezone

    queries = _floor_measures(on=on, year=year)
    seconds = {"measures": {}, "roll_up": 0.0, "write": 0.0}
    figures = {}
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("SELECT id, parent_id FROM areas_area")
        parents = dict(cursor.fetchall())
        seconds["roll_up"] += time.perf_counter() - started
        for indicator_id, key in indicators:
            if key not in queries:
                continue
            sql, params = queries[key]
            started = time.perf_counter()
            cursor.execute(sql, params)
            leaves = {area: (num, den) for area, num, den in cursor.fetchall()}
            seconds["measures"][key] = time.perf_counter() - started
            started = time.perf_counter()
            figures[indicator_id] = _floor_roll_up(parents, leaves)
            seconds["roll_up"] += time.perf_counter() - started
        started = time.perf_counter()
        now = timezone.now()
        cursor.execute("DELETE FROM indicators_snapshot WHERE year = %s", [year])
        with cursor.cursor.copy("COPY indicators_snapshot (indicator_id, area_id, year, as_of, numerator, denominator, "
                                "computed_at, computed_by_id) FROM STDIN") as copy:
            for indicator_id, totals in figures.items():
                for area_id, (num, den) in totals.items():
                    copy.write_row((indicator_id, area_id, year, on, num, den, now, by.pk))
        seconds["write"] = time.perf_counter() - started
        transaction.set_rollback(True)
    seconds["total"] = sum(seconds["measures"].values()) + seconds["roll_up"] + seconds["write"]
    return {"seconds": seconds, "figures": figures, "snapshots": sum(len(t) for t in figures.values())}


class _ComputeClock:
    """Where indicators_compute spends its time, measured from outside it: connection.execute_wrapper times each
    measure's grouped query (in the order the service runs them) and the snapshots' INSERTs; the service's own
    steps (`measure_by_area`, `rolled_up`, `Snapshot.objects.bulk_create`) are wrapped with a stopwatch while it
    runs. Nothing in the service changes."""

    def __init__(self):
        self.measures: list[tuple[str, object, float]] = []
        self.seconds = {"measure_by_area": 0.0, "rolled_up": 0.0, "bulk_create": 0.0, "insert_sql": 0.0}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            if "GROUP BY" in sql:
                self.measures.append((sql, params, spent))
            elif sql.startswith('INSERT INTO "indicators_snapshot"'):
                self.seconds["insert_sql"] += spent

    def timed(self, function, step: str):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[step] += time.perf_counter() - started
        return wrapper

    @contextlib.contextmanager
    def watching(self, connection, services, snapshots):
        from unittest import mock

        with connection.execute_wrapper(self), \
                mock.patch.object(services, "measure_by_area", self.timed(services.measure_by_area, "measure_by_area")), \
                mock.patch.object(services, "rolled_up", self.timed(services.rolled_up, "rolled_up")), \
                mock.patch.object(snapshots, "bulk_create", self.timed(snapshots.bulk_create, "bulk_create")):
            yield self


def _explain(connection, sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def part_indicators(args) -> dict:
    """Plan indicators on the loaded registry: the data the measures read, set-based; then, `--repeat` times,
    the floor (each measure as one hand-written grouped query, the roll-up, the snapshots written with COPY; rolled
    back) and `indicators_compute` for this year (rolled back), each measure's query timed; then the service once for
    real, its snapshots checked against the floor's area by area; the annual report as PDF and XLSX."""
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from canlian.accounts.models import User
    from canlian.indicators import reports, services
    from canlian.indicators.measures import as_of
    from canlian.indicators.models import Indicator, Snapshot

    officer = User.objects.get(username="synth_officer")
    province = officer.areas.get()
    today = timezone.localdate()
    year = today.year
    on = as_of(year, today)
    started = time.perf_counter()
    needs, records = _services_data(connection, officer=officer, per_person=2.0)
    data = {"needs": needs, "service_records": records, **_indicators_data(connection, officer=officer, today=today)}
    setup_seconds = time.perf_counter() - started
    _vacuum(connection, "care_services_need", "care_services_servicerecord", "employment_employmentrecord",
            "employment_trainingcourse", "employment_trainingenrolment", "exchange_departmentrecord",
            "registry_assistancestatus", "benefits_entitlement", "indicators_snapshot")
    indicators = list(Indicator.objects.exclude(measure="").values_list("pk", "measure"))
    keys = [key for _pk, key in indicators]

    floors, computes, floor_measures, compute_measures, statements = [], [], {}, {}, {}
    for _attempt in range(args.repeat):
        floor = _indicators_floor(connection, indicators=indicators, on=on, year=year, by=officer)
        floors.append(floor["seconds"])
        for key, spent in floor["seconds"]["measures"].items():
            floor_measures.setdefault(key, []).append(spent)
        clock = _ComputeClock()
        with transaction.atomic():
            with clock.watching(connection, services, Snapshot.objects):
                started = time.perf_counter()
                written = services.indicators_compute(year=year, by=officer, replace=True)
                seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        grouped = len(clock.measures) == len(keys)  # one grouped query per measure, in the catalogue's order
        steps = clock.seconds
        computes.append({"seconds": seconds, "measure_queries": sum(spent for _sql, _params, spent in clock.measures),
                         **steps, "other": seconds - steps["measure_by_area"] - steps["rolled_up"]
                         - steps["bulk_create"]})
        if grouped:
            for key, (sql, params, spent) in zip(keys, clock.measures, strict=True):
                compute_measures.setdefault(key, []).append(spent)
                statements[key] = (sql, params)
    # For real: the snapshots the dashboard and the report read, checked against the floor's figures.
    started = time.perf_counter()
    written = services.indicators_compute(year=year, by=officer, replace=True)
    committed_seconds = time.perf_counter() - started
    _vacuum(connection, "indicators_snapshot")  # as autovacuum leaves it: the rolled-back runs' rows gone
    stored = {}
    for indicator_id, area_id, num, den in Snapshot.objects.filter(year=year).values_list(
            "indicator_id", "area_id", "numerator", "denominator"):
        stored.setdefault(indicator_id, {})[area_id] = [num, den]
    checked = []
    for indicator_id, key in indicators:
        if indicator_id not in floor["figures"]:
            continue
        if floor["figures"][indicator_id] != stored.get(indicator_id, {}):
            mine, theirs = floor["figures"][indicator_id], stored.get(indicator_id, {})
            differ = [(a, mine.get(a), theirs.get(a)) for a in sorted(set(mine) | set(theirs)) if mine.get(a) != theirs.get(a)]
            raise SystemExit(f"floor and indicators_compute disagree on {key} in {len(differ)} areas: {differ[:5]}")
        checked.append(key)
    if floor["snapshots"] != written and len(checked) == len(keys):
        raise SystemExit(f"floor wrote {floor['snapshots']} snapshots, the service {written}")

    per_measure = {}
    for key in keys:
        service_s, floor_s = compute_measures.get(key), floor_measures.get(key)
        indicator_id = next(pk for pk, k in indicators if k == key)
        province_figure = stored.get(indicator_id, {}).get(province.pk, [0, None])
        per_measure[key] = {
            "service_s": round(min(service_s), 3) if service_s else None,
            "floor_s": round(min(floor_s), 3) if floor_s else None,
            "ratio": round(min(service_s) / max(min(floor_s), 1e-4), 2) if service_s and floor_s else None,
            "province": province_figure, "areas": len(stored.get(indicator_id, {}))}
    # Where the service loses most against the floor: both plans (EXPLAIN ANALYZE).
    plan = {}
    compared = [k for k in keys if per_measure[k]["ratio"] is not None]
    if compared:
        worst = max(compared, key=lambda k: per_measure[k]["service_s"] - per_measure[k]["floor_s"])
        floor_sql, floor_params = _floor_measures(on=on, year=year)[worst]
        plan = {"measure": worst, "service": _explain(connection, *statements[worst]),
                 "floor": _explain(connection, floor_sql, floor_params)}

    alone = _pages_alone(officer, {"dashboard": "/indicators/", "detail": f"/indicators/{args.code}/"})
    pdf, xlsx = [], []
    started = time.perf_counter()
    content = reports.annual_pdf(area=province, year=year)
    first_pdf = time.perf_counter() - started
    for _attempt in range(args.repeat):
        started = time.perf_counter()
        content = reports.annual_pdf(area=province, year=year)
        pdf.append(time.perf_counter() - started)
    pdf_bytes = len(content)
    for _attempt in range(args.repeat):
        started = time.perf_counter()
        content = reports.annual_xlsx(area=province, year=year)
        xlsx.append(time.perf_counter() - started)
    best_compute = min(computes, key=lambda c: c["seconds"])
    best_floor = min(floors, key=lambda f: f["total"])
    return {
        "year": year, "as_of": on.isoformat(), "persons": _count(connection, "registry_person"),
        "data": data, "setup_seconds": round(setup_seconds, 1),
        "indicators": len(keys), "covered": checked, "not_covered": [k for k in keys if k not in checked],
        "snapshots": written, "areas": len({a for figures in stored.values() for a in figures}),
        "compute_seconds": _best([c["seconds"] for c in computes]),
        "floor_seconds": _best([f["total"] for f in floors]),
        "ratio": round(best_compute["seconds"] / best_floor["total"], 2),
        "compute_parts": {k: round(v, 3) for k, v in best_compute.items()},
        "floor_parts": {"measures": round(sum(best_floor["measures"].values()), 3),
                        "roll_up": round(best_floor["roll_up"], 3), "write": round(best_floor["write"], 3),
                        "total": round(best_floor["total"], 3)},
        "committed_seconds": round(committed_seconds, 3), "per_measure": per_measure, "plan": plan,
        "pages_alone": alone,
        "report_area": province.name, "pdf_first_seconds": round(first_pdf, 3), "pdf_seconds": _best(pdf),
        "pdf_bytes": pdf_bytes, "xlsx_seconds": _best(xlsx), "xlsx_bytes": len(content),
    }


def _pages_alone(officer, paths: dict[str, str], *, repeat: int = 20) -> dict:
    """Each page requested on its own, in this process (Django's test client, no server, no concurrency), as
    `officer` (a user; None for a visitor not signed in): the median time, and the queries of one request (how
    many, their time, the slowest)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if officer is not None:
        client.force_login(officer)
    plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # no collected manifest here
             "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    result = {}
    with override_settings(STORAGES=plain):
        for label, path in paths.items():
            client.get(path)
            samples = []
            for _attempt in range(repeat):
                started = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            queries = captured.captured_queries
            slowest = max(queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
            result[label] = {"path": path, "median_ms": round(statistics.median(samples), 1), "queries": len(queries),
                             "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
                             "slowest_ms": round(float(slowest["time"]) * 1000, 1), "slowest_sql": slowest["sql"][:200]}
    return result


def _count(connection, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def part_dashboard(args) -> dict:
    """The indicators dashboard and one indicator's page, each hammered by `--clients` logged-in officers; the floor
    `/healthz` under the same load."""
    dashboard = _hammer(args.base, lambda _rng: "/indicators/", args.clients, args.seconds, args.warmup)
    detail = _hammer(args.base, lambda _rng: f"/indicators/{args.code}/", args.clients, args.seconds, args.warmup)
    floor = _hammer(args.base, lambda _rng: "/healthz", args.clients, args.seconds / 2, args.warmup / 2)
    return {"clients": args.clients, "seconds": args.seconds, "code": args.code, "dashboard": dashboard,
            "detail": detail, "floor_healthz": floor}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="part", required=True)
    load = sub.add_parser("load")
    load.add_argument("--persons", type=int, required=True)
    load.add_argument("--seed", type=int, default=150000)
    load.add_argument("--communities", type=int, default=COMMUNITIES)
    load.add_argument("--workdir", required=True)
    load.add_argument("--floor-url")
    load.add_argument("--floor-sqlite")
    search = sub.add_parser("search")
    search.add_argument("--queries", type=int, default=500)
    search.add_argument("--seed", type=int, default=1)
    page = sub.add_parser("page")
    page.add_argument("--base", required=True)
    page.add_argument("--max-id", type=int, required=True)
    page.add_argument("--clients", type=int, default=20)
    page.add_argument("--seconds", type=float, default=30)
    page.add_argument("--warmup", type=float, default=5)
    portal_setup = sub.add_parser("portal-setup")
    portal_setup.add_argument("--residents", type=int, default=50)
    portal = sub.add_parser("portal")
    portal.add_argument("--base", required=True)
    portal.add_argument("--clients", type=int, default=50)
    portal.add_argument("--seconds", type=float, default=30)
    portal.add_argument("--warmup", type=float, default=5)
    for name in ("import-files", "import-floor", "import"):
        part = sub.add_parser(name)
        part.add_argument("--workdir", required=True)
        part.add_argument("--rows", type=int, default=100_000)
        part.add_argument("--seed", type=int, default=7)
    setup = sub.add_parser("benefits-setup")
    setup.add_argument("--workdir", required=True)  # the import's, with list.xlsx and resent.xlsx
    review = sub.add_parser("review")
    review.add_argument("--workdir", required=True)
    review.add_argument("--selector-limit", type=int, default=30, help="seconds before the first selector is cancelled")
    review.add_argument("--work-mem", default="64MB", help="session work_mem if it did not finish (PostgreSQL)")
    payroll = sub.add_parser("payroll")
    payroll.add_argument("--scheme", required=True, choices=["nursing_allowance", "living_allowance"])
    payroll.add_argument("--area-code", help="the run's area (default: the officer's, the whole province)")
    payroll.add_argument("--repeat", type=int, default=3)
    payroll.add_argument("--explain", action="store_true")
    payroll.add_argument("--workdir", required=True)
    levy = sub.add_parser("levy")
    levy.add_argument("--employers", type=int, default=50_000)
    levy.add_argument("--employees", type=int, default=200_000)
    levy.add_argument("--repeat", type=int, default=3)
    levy.add_argument("--singles", type=int, default=200)
    levy.add_argument("--seed", type=int, default=11)
    care = sub.add_parser("services")
    care.add_argument("--per-person", type=float, default=2.0, help="service records per person (0–2)")
    care.add_argument("--queries", type=int, default=50)
    indicators = sub.add_parser("indicators")
    indicators.add_argument("--repeat", type=int, default=3)
    indicators.add_argument("--code", default="certified", help="the indicator whose own page is timed too")
    dashboard = sub.add_parser("dashboard")
    dashboard.add_argument("--base", required=True)
    dashboard.add_argument("--code", default="certified", help="the indicator whose own page is hammered too")
    dashboard.add_argument("--clients", type=int, default=20)
    dashboard.add_argument("--seconds", type=float, default=30)
    dashboard.add_argument("--warmup", type=float, default=5)
    args = parser.parse_args()
    if args.part in ("page", "dashboard", "portal") and not args.base.startswith("http://127.0.0.1:"):
        raise SystemExit("loopback targets only (http://127.0.0.1:PORT)")
    result = {"load": part_load, "search": part_search, "page": part_page, "import-files": part_import_files,
              "import-floor": part_import_floor, "import": part_import, "benefits-setup": part_benefits_setup,
              "payroll": part_payroll, "review": part_review, "levy": part_levy,
              "services": part_services, "indicators": part_indicators, "dashboard": part_dashboard,
              "portal-setup": part_portal_setup, "portal": part_portal}[args.part](args)
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
