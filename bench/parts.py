"""The benchmark parts; each runs in its own process against the database its environment names
(DATABASE_URL for PostgreSQL, CANLIAN_DATA_DIR for SQLite) and prints one JSON object on its last line.

    python bench/parts.py load   --persons N [--floor-url URL | --floor-sqlite PATH] [--workdir DIR]
    python bench/parts.py search --queries 500
    python bench/parts.py page   --base http://127.0.0.1:PORT --max-id N --clients 20 --seconds 30

bench/run.py runs them in order and writes BENCHMARKS.md.
"""

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
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
    body = urllib.parse.urlencode({"username": "synth_officer", "password": STAFF_PASSWORD,
                                   "csrfmiddlewaretoken": token, "next": "/"}).encode()
    request = urllib.request.Request(  # noqa: S310 — loopback http only (checked in main)
        f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/accounts/login/"})
    opener.open(request, timeout=30).read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit("login failed")
    return opener


def _hammer(base: str, path_for, clients: int, seconds: float, warmup: float) -> dict:
    openers = [_login(base) for _ in range(clients)]
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
                with openers[index].open(base + path_for(rng), timeout=60) as response:
                    response.read()
                    ok = response.status == 200
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


def part_import(args) -> dict:
    """The pipeline as officers use it: receive, validate (dry run), commit; then the same file again; then the
    re-sent list with 1% changes. Peak memory of this process is reported."""
    _setup()
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from canlian.accounts.models import User
    from canlian.exchange import services

    officer = User.objects.get(username="synth_officer")
    area = officer.areas.get()
    with connection.cursor() as cursor:  # a rerun on a kept database starts from no statuses and no batches
        for table in ("exchange_matchreview", "exchange_importrow", "exchange_importbatch",
                      "registry_assistancestatus"):
            cursor.execute(f"DELETE FROM {table}")
    today = timezone.localdate()
    baseline = _rss_mb()

    def run(name: str, list_date: dt.date) -> dict:
        path = Path(args.workdir) / name
        started = time.perf_counter()
        with path.open("rb") as handle:
            batch = services.import_batch_create(by=officer, source="assistance", area=area, list_date=list_date,
                                                 chunks=iter(lambda: handle.read(1 << 20), b""), file_name=name)
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

    first = run("list.xlsx", today - dt.timedelta(days=30))
    peak_first = _rss_mb()
    again = run("list.xlsx", today - dt.timedelta(days=30))
    resent = run("resent.xlsx", today)
    return {"first": first, "same_file_again": again, "resent": resent, "rss_baseline_mb": baseline,
            "rss_peak_first_mb": peak_first, "rss_peak_mb": _rss_mb()}


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
    for name in ("import-files", "import-floor", "import"):
        part = sub.add_parser(name)
        part.add_argument("--workdir", required=True)
        part.add_argument("--rows", type=int, default=100_000)
        part.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.part == "page" and not args.base.startswith("http://127.0.0.1:"):
        raise SystemExit("loopback targets only (http://127.0.0.1:PORT)")
    result = {"load": part_load, "search": part_search, "page": part_page, "import-files": part_import_files,
              "import-floor": part_import_floor, "import": part_import}[args.part](args)
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
