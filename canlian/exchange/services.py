"""Imports of department lists: receive → validate (a dry run) → commit, each batch kept for audit.

Validation reads the file row by row, matches each chunk of rows to the registry by ID number and stages it
in ImportRow (COPY on PostgreSQL), then labels the rows with set-based SQL. Commit applies, in one
transaction, the same querysets the dry run counted.
"""

import hashlib
import json
import logging
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.scope import scoped_areas
from canlian.areas.models import Area
from canlian.common.ids import birth_date_of, certificate_number_for
from canlian.common.spreadsheets import SpreadsheetError, read_table
from canlian.exchange.models import (
    ChildScreening,
    DepartmentRecord,
    ImportBatch,
    ImportRow,
    MatchOutcome,
    MatchReview,
    RowAction,
    StatusProposal,
)
from canlian.exchange.sources import SOURCES, Context, Source, header_key, row_problems
from canlian.exchange.values import CellError
from canlian.registry import services as registry_services
from canlian.registry.models import Person
from canlian.registry.selectors import assistance_list_changes, open_assistance_spell

logger = logging.getLogger(__name__)

CHUNK = 2000
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in government files
State = ImportBatch.State


# --- receiving a file -------------------------------------------------------------------------------


def _store(chunks, *, name: str) -> tuple[Path, str, int]:
    """Write the upload to the import directory, hashing as it goes; refuse it past the size limit."""
    settings.IMPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = settings.IMPORT_DIR / f"{uuid.uuid4().hex}{Path(name).suffix.lower()[:8]}"
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as handle:
        for chunk in chunks:
            size += len(chunk)
            if size > settings.IMPORT_MAX_BYTES:
                handle.close()
                path.unlink()
                raise ValidationError({"file": _("文件超过 %(mb)d MB：请把名单拆分成几个文件分别导入。")
                                       % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}})
            digest.update(chunk)
            handle.write(chunk)
    if size == 0:
        path.unlink()
        raise ValidationError({"file": _("文件是空的：请检查是否选错了文件。")})
    return path, digest.hexdigest(), size


def _committed_twin(source: str, sha256: str) -> ImportBatch | None:
    return (ImportBatch.objects.filter(source=source, file_sha256=sha256, state=State.COMMITTED)
            .select_related("committed_by").first())


@transaction.atomic
def import_batch_create(*, by, source: str, area: Area | None, list_date: date | None, chunks, file_name: str,
                        via: str = ImportBatch.Via.FILE, department=None) -> ImportBatch:
    """Receive a department list (file or API rows) and queue its validation; the same file twice is a no-op."""
    errors = {}
    if source not in SOURCES:
        errors["source"] = [_("请选择数据来源。")]
    if area is None:
        errors["area"] = [_("请选择名单覆盖的区域。")]
    elif not scoped_areas(by).filter(pk=area.pk).exists():
        errors["area"] = [_("“%(area)s”不在您负责的区域内。") % {"area": area.name}]
    if list_date is None:
        errors["list_date"] = [_("请输入名单日期（名单统计截至的日期）。")]
    elif list_date > timezone.localdate():
        errors["list_date"] = [_("名单日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    path, sha256, size = _store(chunks, name=file_name)
    batch = ImportBatch(source=source, area=area, list_date=list_date, via=via, file_name=file_name[:200],
                        file_sha256=sha256, file_size=size, stored_path=str(path), created_by=by,
                        department=department)
    twin = _committed_twin(source, sha256)
    if twin is not None:
        batch.state = State.DUPLICATE
        batch.message = _("此文件已于 %(at)s 由 %(who)s 导入（批次 #%(id)d），本次未做任何修改。") % {
            "at": timezone.localtime(twin.committed_at).strftime("%Y-%m-%d %H:%M"), "who": twin.committed_by,
            "id": twin.pk}
    batch.save()
    return batch


# --- validation (the dry run) ----------------------------------------------------------------------


def _map_headers(source: Source, rows) -> tuple[dict, int]:
    """Find the header row and map each declared column to its position; name any required column missing."""
    best: tuple[int, dict] = (0, {})
    index = 0  # stays 0 for a file without a single row
    for index, row in enumerate(rows, start=1):
        keys = [header_key(cell) for cell in row]
        found = {}
        for column in source.columns:
            # The column's own label first, then its synonyms in order: "姓名" wins over an earlier "户主姓名".
            names = [header_key(name) for name in (column.label, *column.synonyms)]
            position = next((keys.index(name) for name in names if name in keys), None)
            if position is not None:
                found[column] = position
        if len(found) > len(best[1]):
            best = (index, found)
        if any(c.target == "id_number" for c in found) or index >= HEADER_SEARCH_ROWS:
            break
    header_row, found = best
    missing = [str(column.label) for column in source.required if column not in found]
    if index == 0:
        raise SpreadsheetError(_("文件中没有任何内容。"))
    if missing:
        raise SpreadsheetError(
            _("缺少必填列：%(missing)s。请在第一行填写列名（可用的列名见“导入说明”），或下载模板对照。")
            % {"missing": "、".join(missing)})
    return {column: found[column] for column in source.columns if column in found}, header_row


_COLUMNS = ("batch_id", "row_number", "id_number", "name", "on", "until", "code", "detail", "data", "valid",
            "problems", "raw", "person_id", "match", "action")


def _stage(source: Source, ctx: Context, mapping: dict, row_number: int, cells: list) -> dict:
    """One row read into the staging columns, with every problem found in it (nothing raised)."""
    staged: dict = {"row_number": row_number, "id_number": "", "name": "", "on": None, "until": None, "code": "",
                    "detail": "", "data": None, "valid": True, "problems": None, "raw": None, "person_id": None,
                    "match": "", "action": ""}
    data = {} if source.has_data else None
    problems = []
    for column, position in mapping.items():
        raw = cells[position] if position < len(cells) else ""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if column.required:
                problems.append({"column": str(column.label), "value": "",
                                 "message": _("%(label)s不能为空。") % {"label": column.label}})
            continue
        try:
            value = column.parse(raw, ctx)
        except CellError as error:
            problems.append({"column": str(column.label), "value": _json_cell(str(raw))[:100], "message": str(error)})
            continue
        if data is not None and column.target.startswith("data."):
            data[column.target[5:]] = value
        else:
            staged[column.target] = value
    if not problems:
        problems = [{"column": str(column), "value": "", "message": message}
                    for column, message in row_problems(source, {**staged, "data": data}, ctx)]
    if data is not None:
        staged["data"] = {key: (value.isoformat() if isinstance(value, date) else value) for key, value in data.items()}
    if problems:
        staged.update(valid=False, problems=problems, raw=[_json_cell(cell) for cell in cells],
                      action=RowAction.SKIPPED)
        if not staged["id_number"]:
            staged["match"] = MatchOutcome.ID_INVALID
    return staged


def _json_cell(cell):
    """A cell as kept for the error report; NUL is dropped (PostgreSQL's JSON cannot hold it)."""
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, int | float) or cell is None:
        return cell
    return str(cell).replace("\x00", "")


def _match_chunk(chunk: list[dict], area_ids: set[int]) -> None:
    """Match a chunk's rows to persons living in the list's area by ID, then compare names (比对).

    Rows with other problems are matched too: a 低保 row with a mistyped date still names its person, who has
    therefore not dropped off the list. A person living outside the area reads as not in the registry.
    """
    numbers = sorted({row["id_number"] for row in chunk if row["id_number"]})
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of placeholders: half the time for a big list.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id_number, id, name, residence_area_id FROM {Person._meta.db_table} "  # noqa: S608
                           "WHERE id_number = ANY(%s)", [numbers])
            persons = cursor.fetchall()
    else:
        persons = Person.objects.filter(id_number__in=numbers).values_list("id_number", "pk", "name",
                                                                           "residence_area_id")
    found = {number: (pk, name) for number, pk, name, area_id in persons if area_id in area_ids}
    for row in chunk:
        if not row["id_number"]:
            continue
        if row["id_number"] in found:
            row["person_id"], name = found[row["id_number"]]
            row["match"] = MatchOutcome.MATCHED if name == row["name"] else MatchOutcome.NAME_DIFFERS
        else:
            row["match"] = MatchOutcome.NOT_IN_REGISTRY


def _write_chunk(batch: ImportBatch, chunk: list[dict]) -> None:
    """Stage a chunk: COPY on PostgreSQL (the fastest way in), one executemany on SQLite."""
    def as_json(value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    records = [(batch.pk, row["row_number"], row["id_number"], row["name"], row["on"], row["until"], row["code"],
                row["detail"], as_json(row["data"]), row["valid"], as_json(row["problems"]), as_json(row["raw"]),
                row["person_id"], row["match"], row["action"]) for row in chunk]
    table = ImportRow._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
        else:
            marks = ", ".join(["%s"] * len(_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", records)  # noqa: S608


def _progress(batch: ImportBatch, **fields) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for name, value in fields.items():
        setattr(batch, name, value)


def _claim(batch: ImportBatch, *, before: str | tuple[str, ...], during: str) -> bool:
    """Move a batch on only if it is still where we found it (two workers, two clicks: one wins)."""
    before = (before,) if isinstance(before, str) else before
    claimed = ImportBatch.objects.filter(pk=batch.pk, state__in=before).update(state=during) == 1
    if claimed:
        batch.state = during
    return claimed


def import_validate(*, batch: ImportBatch, rows=None, first_row_number: int | None = None,
                    on_progress=None) -> ImportBatch:
    """Read, check and stage every row; match them to the registry and count what commit would change.

    Rows are numbered as the official sees them: in a file the header is row 1 and data starts at 2; rows
    pushed through the API pass `first_row_number=1`.
    """
    if not _claim(batch, before=State.QUEUED, during=State.VALIDATING):
        return batch
    source = SOURCES[batch.source]
    ctx = Context(today=timezone.localdate(), list_date=batch.list_date, area=batch.area)
    try:
        if rows is None:
            table = read_table(Path(batch.stored_path))
            total, rows = table.row_count, table.rows
        else:
            total, rows = len(rows) - 1, iter(rows)
        if total > settings.IMPORT_MAX_ROWS:
            raise SpreadsheetError(_("名单有 %(n)d 行，超过每次 %(max)d 行的上限：请拆分后分别导入。")
                                   % {"n": total, "max": settings.IMPORT_MAX_ROWS})
        mapping, header_row = _map_headers(source, rows)
        _progress(batch, total_rows=max(0, total - header_row + 1), processed_rows=0)
        area_ids = set(Area.objects.filter(path__startswith=batch.area.path).values_list("pk", flat=True))
        chunk: list[dict] = []
        processed = 0
        for row_number, cells in enumerate(rows, start=first_row_number or header_row + 1):
            if not any(str(cell).strip() for cell in cells if cell is not None):
                continue
            chunk.append(_stage(source, ctx, mapping, row_number, cells))
            processed += 1
            if len(chunk) == CHUNK:
                _match_chunk(chunk, area_ids)
                _write_chunk(batch, chunk)
                chunk = []
                _progress(batch, processed_rows=processed)
                if on_progress:
                    on_progress(batch)
        _match_chunk(chunk, area_ids)
        _write_chunk(batch, chunk)
        if processed == 0:
            raise SpreadsheetError(_("文件只有表头，没有数据行。"))
        _progress(batch, processed_rows=processed, total_rows=processed)
        _analyze_staging()
        with transaction.atomic():
            _mark_duplicates(batch, source)
            counts = _classify(batch, source)
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=State.VALIDATED, error_rows=batch.rows.filter(valid=False).count(), **counts)
    except SpreadsheetError as error:
        batch.rows.all().delete()
        _progress(batch, state=State.REJECTED, message=str(error))
    except Exception:
        logger.exception("import batch %s failed to validate", batch.pk)
        batch.rows.all().delete()
        _progress(batch, state=State.REJECTED,
                  message=_("校验时出现系统错误，名单未导入。请联系管理员（批次 #%(id)d）。") % {"id": batch.pk})
    batch.refresh_from_db()
    return batch


def _analyze_staging() -> None:
    """Refresh PostgreSQL's statistics of the staging table: planned as empty, a 100,000-row list's matching
    and classifying queries become nested loops that run for minutes instead of hash joins that take a second."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE exchange_importrow")


def _mark_duplicates(batch: ImportBatch, source: Source) -> None:
    """A later row repeating an earlier one (same ID and, per source, type or date) is reported, not applied."""
    rows = batch.rows.filter(valid=True)
    groups = rows.values(*source.duplicate_key).annotate(n=Count("pk"), first=Min("row_number")).filter(n__gt=1)
    for group in groups.iterator():
        key = {name: group[name] for name in source.duplicate_key}
        repeats = list(rows.filter(**key, row_number__gt=group["first"]))
        for row in repeats:
            row.valid = False
            row.action = RowAction.SKIPPED
            row.problems = [{"column": str(_("身份证号")), "value": row.id_number,
                             "message": _("与第 %(n)d 行重复：同一人员只保留第一行。") % {"n": group["first"]}}]
        ImportRow.objects.bulk_update(repeats, ["valid", "action", "problems"], batch_size=CHUNK)


def _classify(batch: ImportBatch, source: Source) -> dict[str, int]:
    """Label each valid row new / changed / unchanged / skipped in one pass, and count; nothing else changes."""
    rows = batch.rows.filter(valid=True)
    not_matched = When(~Q(match=MatchOutcome.MATCHED), then=Value(RowAction.SKIPPED))
    ended = 0
    if source.key == "legacy_registry":
        whens, default = [When(match=MatchOutcome.NOT_IN_REGISTRY, then=Value(RowAction.NEW))], RowAction.SKIPPED
    elif source.key == "child_screening":
        known = ChildScreening.objects.filter(id_number=OuterRef("id_number"), screened_on=OuterRef("on"))
        whens, default = [When(Exists(known), then=Value(RowAction.UNCHANGED))], RowAction.NEW
    elif source.key == "assistance":
        rows = rows.annotate(kind=F("code"), started_on=F("on"))
        spell = open_assistance_spell()
        whens = [not_matched, When(~Exists(spell), then=Value(RowAction.NEW)),
                 When(Exists(spell.exclude(started_on=OuterRef("started_on"))), then=Value(RowAction.CHANGED))]
        default = RowAction.UNCHANGED
        ended = _assistance_changes(batch).ended.count()
    elif source.key == "life_events":
        already = Exists(_known_proposals()) | Exists(
            Person.objects.filter(pk=OuterRef("person_id"), life_status=OuterRef("code")))
        whens, default = [not_matched, When(already, then=Value(RowAction.UNCHANGED))], RowAction.NEW
    else:
        records = _records_of(source)
        whens = [not_matched, When(Exists(_record_same(records)), then=Value(RowAction.UNCHANGED)),
                 When(Exists(records), then=Value(RowAction.CHANGED))]
        default = RowAction.NEW
    rows.update(action=Case(*whens, default=Value(default)))
    return _counts(batch, ended=ended)


def _counts(batch: ImportBatch, *, ended: int) -> dict[str, int]:
    by_action = dict(batch.rows.values_list("action").annotate(n=Count("pk")).order_by())
    return {"new_count": by_action.get(RowAction.NEW, 0), "changed_count": by_action.get(RowAction.CHANGED, 0),
            "unchanged_count": by_action.get(RowAction.UNCHANGED, 0), "ended_count": ended}


def _assistance_rows(batch: ImportBatch):
    """The rows to apply (valid, matched) and every row naming a registered person (who stays on the list)."""
    mentioned = batch.rows.filter(person_id__isnull=False).annotate(kind=F("code"), started_on=F("on"))
    return mentioned.filter(valid=True, match=MatchOutcome.MATCHED), mentioned


def _assistance_kinds(batch: ImportBatch) -> list[str]:
    return sorted(set(batch.rows.filter(valid=True).values_list("code", flat=True).distinct()))


def _assistance_changes(batch: ImportBatch):
    listed, mentioned = _assistance_rows(batch)
    return assistance_list_changes(listed=listed, mentioned=mentioned, area=batch.area,
                                   kinds=_assistance_kinds(batch), on=batch.list_date)


def _known_proposals():
    return StatusProposal.objects.filter(person_id=OuterRef("person_id"), status=OuterRef("code"),
                                         since=OuterRef("on"))


_NO_END = date(1900, 1, 1)  # stands for "no end date" so two open records compare equal


def _records_of(source: Source):
    return DepartmentRecord.objects.filter(kind=source.record_kind, person_id=OuterRef("person_id"),
                                           started_on=OuterRef("on"))


def _record_same(records: QuerySet) -> QuerySet:
    return records.annotate(end=Coalesce("ended_on", Value(_NO_END))).filter(
        organisation=OuterRef("detail"), detail=OuterRef("code"), end=Coalesce(OuterRef("until"), Value(_NO_END)))


# --- commit -----------------------------------------------------------------------------------------


def _require_batch_scope(batch: ImportBatch, by) -> None:
    if not scoped_areas(by).filter(pk=batch.area_id).exists():
        raise ValidationError(_("此批次的区域不在您负责的范围内。"))


def import_commit_request(*, batch: ImportBatch, by) -> ImportBatch:
    """Queue a validated batch for commit (确认导入): from now on the page shows it waiting, and a second
    click, a second officer or 放弃 cannot get in between."""
    _require_batch_scope(batch, by)
    if not _claim(batch, before=State.VALIDATED, during=State.COMMIT_QUEUED):
        raise ValidationError(_("此批次当前状态为“%(s)s”，不能导入（可能已被他人提交）。")
                              % {"s": ImportBatch.objects.get(pk=batch.pk).get_state_display()})
    return batch


def import_commit(*, batch: ImportBatch, by) -> ImportBatch:
    """Apply a validated batch's valid rows in one transaction; only what differs from the registry changes."""
    _require_batch_scope(batch, by)
    if not _claim(batch, before=(State.VALIDATED, State.COMMIT_QUEUED), during=State.COMMITTING):
        raise ValidationError(_("此批次当前状态为“%(s)s”，不能导入（可能已被他人导入）。")
                              % {"s": ImportBatch.objects.get(pk=batch.pk).get_state_display()})
    source = SOURCES[batch.source]
    try:
        with transaction.atomic():
            counts = _APPLY[source.key if source.key in _APPLY else "records"](batch, source, by)
            _record_reviews(batch, source)
            now = timezone.now()
            # message="": a failed attempt's "请重试" must not stay on the batch once it is in.
            ImportBatch.objects.filter(pk=batch.pk).update(state=State.COMMITTED, committed_by=by, committed_at=now,
                                                           message="", **counts)
    except IntegrityError:
        # Another batch of the very same file was committed meanwhile (batch_file_committed_once) — or another
        # list wrote the same record at the same moment: nothing was applied, so the batch may be committed again.
        twin = _committed_twin(batch.source, batch.file_sha256)
        if twin is None:
            _progress(batch, state=State.VALIDATED,
                      message=_("另一批次同时写入了相同的记录，本批次没有任何数据被修改：请重新确认导入。"))
        else:
            _progress(batch, state=State.DUPLICATE, message=_("同一文件已由批次 #%(id)d 导入，本批次未做任何修改。")
                      % {"id": twin.pk})
    except ValidationError:
        _progress(batch, state=State.VALIDATED)
        raise
    except Exception:
        logger.exception("import batch %s failed to commit", batch.pk)
        _progress(batch, state=State.VALIDATED,
                  message=_("导入时出现系统错误，没有任何数据被修改。请稍后重试或联系管理员（批次 #%(id)d）。") % {"id": batch.pk})
    batch.refresh_from_db()
    return batch


def _source_label(batch: ImportBatch) -> str:
    return _("%(source)s %(date)s（批次 #%(id)d）") % {
        "source": SOURCES[batch.source].label, "date": batch.list_date.isoformat(), "id": batch.pk}


def _apply_assistance(batch: ImportBatch, source: Source, by) -> dict[str, int]:
    listed, mentioned = _assistance_rows(batch)
    done = registry_services.assistance_statuses_apply(
        listed=listed, mentioned=mentioned, area=batch.area, kinds=_assistance_kinds(batch), on=batch.list_date,
        source=_source_label(batch))
    return {"new_count": done["started"], "changed_count": done["corrected"], "ended_count": done["ended"],
            "unchanged_count": batch.rows.filter(action=RowAction.UNCHANGED).count()}


def _apply_life_events(batch: ImportBatch, source: Source, by) -> dict[str, int]:
    """Deaths and moves become proposals an officer confirms; nobody is marked dead by a list."""
    rows = (batch.rows.filter(valid=True, match=MatchOutcome.MATCHED)
            .exclude(Exists(_known_proposals()))
            .exclude(Exists(Person.objects.filter(pk=OuterRef("person_id"), life_status=OuterRef("code")))))
    created = 0
    for chunk in _chunks(rows.values_list("person_id", "code", "on", "detail").order_by("row_number")):
        created += len(StatusProposal.objects.bulk_create(
            [StatusProposal(batch=batch, person_id=p, status=c, since=on, detail=d) for p, c, on, d in chunk]))
    return {"new_count": created, "changed_count": 0, "ended_count": 0,
            "unchanged_count": batch.rows.filter(valid=True, match=MatchOutcome.MATCHED).count() - created}


def _apply_records(batch: ImportBatch, source: Source, by) -> dict[str, int]:
    """Insurance, employment, school and family-doctor records: insert the new, update the changed."""
    matched = batch.rows.filter(valid=True, match=MatchOutcome.MATCHED)
    records = _records_of(source)
    changed_rows = matched.filter(Exists(records)).exclude(Exists(_record_same(records)))
    changed = 0
    for chunk in _chunks(changed_rows.values_list("person_id", "on", "until", "detail", "code").order_by()):
        existing = {(r.person_id, r.started_on): r for r in DepartmentRecord.objects.filter(
            kind=source.record_kind, person_id__in=[row[0] for row in chunk])}
        updates = []
        for person_id, on, until, organisation, note in chunk:
            record = existing[(person_id, on)]
            record.ended_on, record.organisation, record.detail, record.batch = until, organisation, note, batch
            updates.append(record)
        changed += DepartmentRecord.objects.bulk_update(updates, ["ended_on", "organisation", "detail", "batch"])
    created = 0
    for chunk in _chunks(matched.exclude(Exists(records)).values_list("person_id", "on", "until", "detail", "code")
                         .order_by()):
        created += len(DepartmentRecord.objects.bulk_create([
            DepartmentRecord(person_id=p, kind=source.record_kind, started_on=on, ended_on=until, organisation=org,
                             detail=note, batch=batch) for p, on, until, org, note in chunk]))
    return {"new_count": created, "changed_count": changed, "ended_count": 0,
            "unchanged_count": matched.count() - created - changed}


def _apply_screening(batch: ImportBatch, source: Source, by) -> dict[str, int]:
    """Screened children: those not in the registry open a follow-up for early intervention (早期干预)."""
    rows = (batch.rows.filter(valid=True)
            .exclude(Exists(ChildScreening.objects.filter(id_number=OuterRef("id_number"), screened_on=OuterRef("on")))))
    created = 0
    for chunk in _chunks(rows.values_list("id_number", "name", "on", "code", "detail", "data", "person_id").order_by()):
        created += len(ChildScreening.objects.bulk_create([
            ChildScreening(id_number=id_number, name=name, birth_date=birth_date_of(id_number), screened_on=on,
                           finding=finding, institution=institution, batch=batch, person_id=person_id,
                           area_id=(data or {}).get("area_id") or batch.area_id,
                           follow_up=ChildScreening.FollowUp.REGISTERED if person_id else ChildScreening.FollowUp.OPEN)
            for id_number, name, on, finding, institution, data, person_id in chunk]))
    return {"new_count": created, "changed_count": 0, "ended_count": 0,
            "unchanged_count": batch.rows.filter(valid=True).count() - created}


def _apply_legacy(batch: ImportBatch, source: Source, by) -> dict[str, int]:
    """First load of the national registry: register each new person with the certificate, through the services.

    Row by row on purpose: it runs once per federation and every person must pass the same checks as one
    registered by hand. A row the services refuse is reported on its row and the rest go on.
    """
    created = 0
    rows = batch.rows.filter(valid=True, match=MatchOutcome.NOT_IN_REGISTRY).order_by("row_number")
    for row in rows.iterator(chunk_size=CHUNK):
        data = row.data or {}
        try:
            with transaction.atomic():
                _register_legacy_person(row, data, by=by)
            created += 1
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            problems = [{"column": _field_label(field), "value": "", "message": message}
                        for field, messages in by_field.items() for message in messages]
            ImportRow.objects.filter(pk=row.pk).update(valid=False, action=RowAction.SKIPPED, problems=problems)
    skipped = batch.rows.filter(valid=True).exclude(match=MatchOutcome.NOT_IN_REGISTRY).count()
    return {"new_count": created, "changed_count": 0, "ended_count": 0, "unchanged_count": skipped,
            "error_rows": batch.rows.filter(valid=False).count()}


def _register_legacy_person(row: ImportRow, data: dict, *, by) -> None:
    area = Area.objects.get(pk=data["residence_area"])
    values = {"name": row.name, "residence_area": area, "hukou_area": area,
              "hukou_type": data.get("hukou_type") or "urban", "ethnicity": data.get("ethnicity") or "01",
              "address": data.get("address", ""), "phone": data.get("phone", "")}
    person = registry_services.person_create(by=by, id_number=row.id_number, **values)
    issued_on = date.fromisoformat(data["issued_on"])
    number = data.get("certificate_number") or certificate_number_for(row.id_number, data["category"], data["grade"])
    valid_until = date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None
    registry_services.certificate_register(person=person, by=by, number=number, category=data["category"],
                                           grade=data["grade"], issued_on=issued_on, valid_until=valid_until)


_FIELD_LABELS = {"id_number": "身份证号", "name": "姓名", "number": "残疾人证号", "phone": "联系电话",
                 "residence_area": "居住社区", "issued_on": "发证日期", "valid_until": "有效期至"}


def _field_label(field: str) -> str:
    return _(_FIELD_LABELS.get(field, "整行"))


_APPLY = {"assistance": _apply_assistance, "life_events": _apply_life_events, "records": _apply_records,
          "child_screening": _apply_screening, "legacy_registry": _apply_legacy}


def _chunks(rows):
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _record_reviews(batch: ImportBatch, source: Source) -> None:
    """Rows not matched cleanly become a worklist (not found, name differs, ID invalid) for officers to check."""
    outcomes = [MatchOutcome.NAME_DIFFERS, MatchOutcome.ID_INVALID]
    if source.key not in {"legacy_registry", "child_screening"}:
        outcomes.append(MatchOutcome.NOT_IN_REGISTRY)
    id_label = str(_("身份证号"))
    rows = batch.rows.filter(match__in=outcomes).values_list("row_number", "match", "id_number", "name", "problems",
                                                            "person_id")
    for chunk in _chunks(rows.order_by("row_number")):
        MatchReview.objects.bulk_create([
            MatchReview(batch=batch, row_number=row_number, outcome=outcome, person_id=person_id, name=name,
                        # An invalid number is shown as it was written, so the officer can tell the department.
                        id_number=id_number or next((p["value"] for p in problems or [] if p["column"] == id_label), "")[:40])
            for row_number, outcome, id_number, name, problems, person_id in chunk])


@transaction.atomic
def import_discard(*, batch: ImportBatch, by) -> ImportBatch:
    """Give up a validated batch: nothing was applied; its staged rows are dropped, the batch record stays."""
    _require_batch_scope(batch, by)
    if not _claim(batch, before=State.VALIDATED, during=State.DISCARDED):
        raise ValidationError(_("只有已校验、尚未导入的批次可以放弃。"))
    batch.rows.all().delete()
    return batch


def import_abandon(*, batch: ImportBatch, by) -> ImportBatch:
    """Close a batch left "in progress" by a worker that died (an administrator's action).

    Safe whatever happened: a commit is one transaction, so either it finished (and the batch says 已导入) or
    nothing of it is in the registry.
    """
    busy = (State.QUEUED, State.VALIDATING, State.COMMIT_QUEUED, State.COMMITTING)
    if not _claim(batch, before=busy, during=State.DISCARDED):
        raise ValidationError(_("只有处理中的批次可以放弃。"))
    batch.rows.all().delete()
    _progress(batch, message=_("处理中断，由 %(who)s 放弃；没有修改任何数据。请重新上传文件。") % {"who": by})
    return batch


# --- worklists --------------------------------------------------------------------------------------


@transaction.atomic
def match_review_resolve(*, review: MatchReview, by, note: str) -> MatchReview:
    """Close a match review with what the officer found (e.g. 已通知民政更正身份证号)."""
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": _("请填写处理说明，例如“已通知民政局更正身份证号”。")})
    if review.resolved_at:
        raise ValidationError({"note": _("这条比对结果已经处理过了。")})
    review.resolved_by, review.resolved_at, review.note = by, timezone.now(), note[:200]
    review.save(update_fields=["resolved_by", "resolved_at", "note"])
    return review


@transaction.atomic
def status_proposal_decide(*, proposal: StatusProposal, by, confirm: bool, note: str) -> StatusProposal:
    """Confirm a reported death or move (the registry records it) or reject it with the reason."""
    proposal = StatusProposal.objects.select_for_update().select_related("person").get(pk=proposal.pk)
    if proposal.state != StatusProposal.State.PENDING:
        raise ValidationError({"note": _("这条报告已经处理过了。")})
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": _("请填写核实情况，例如“已电话联系家属核实”。")})
    if confirm:
        reason = _("%(dept)s报告（批次 #%(id)d）：%(detail)s；核实：%(note)s") % {
            "dept": SOURCES["life_events"].department, "id": proposal.batch_id, "detail": proposal.detail or "—",
            "note": note}
        registry_services.person_change_life_status(person=proposal.person, by=by, status=proposal.status,
                                                    since=proposal.since, reason=reason[:200])
    proposal.state = StatusProposal.State.CONFIRMED if confirm else StatusProposal.State.REJECTED
    proposal.decided_by, proposal.decided_at, proposal.note = by, timezone.now(), note[:200]
    proposal.save(update_fields=["state", "decided_by", "decided_at", "note"])
    return proposal


@transaction.atomic
def child_screening_close(*, screening: ChildScreening, by, note: str) -> ChildScreening:
    """Close a screening follow-up with its outcome (e.g. 已转介康复机构 / 家长暂不申请)."""
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": _("请填写跟进结果，例如“已转介康复机构评估”。")})
    if screening.follow_up != ChildScreening.FollowUp.OPEN:
        raise ValidationError({"note": _("这条筛查记录已经结案。")})
    screening.follow_up, screening.note, screening.closed_by = ChildScreening.FollowUp.CLOSED, note[:200], by
    screening.save(update_fields=["follow_up", "note", "closed_by"])
    return screening
