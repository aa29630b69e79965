"""The staff pages of the data exchange: upload → dry run → commit, worklists, error report, area scope."""

import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from canlian.audit.models import AccessLog
from canlian.common.masking import mask_id_number
from canlian.common.spreadsheets import read_table
from canlian.exchange import services
from canlian.exchange.models import ChildScreening, ImportBatch, MatchOutcome, MatchReview, StatusProposal
from canlian.exchange.sources import SOURCES
from canlian.registry.choices import LifeStatus
from canlian.registry.models import AssistanceStatus
from canlian.registry.tests.factories import make_certificate, make_id, make_person

State = ImportBatch.State
LIST_DATE = date(2025, 6, 30)
HEADER = ["身份证号", "姓名", "救助类型", "起始日期"]


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"
    return settings.IMPORT_DIR


@pytest.fixture
def zhang(officer, areas):
    """张三丰 of 北疆社区 with a valid certificate."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=11, phone="13800001234")
    make_certificate(person=person, by=officer, category=4, grade=2)
    return person


@pytest.fixture
def wang(officer, areas):
    """王大明 of 东城社区: outside the 北疆 officer's scope."""
    person = make_person(by=officer, area=areas["dongcheng"], name="王大明", birth=date(1975, 2, 3), sequence=33)
    make_certificate(person=person, by=officer, category=1, grade=1, on=date(2019, 9, 9))
    return person


def _csv(rows: list[list], *, encoding: str = "gbk") -> bytes:
    return "\r\n".join(",".join(str(cell) for cell in row) for row in rows).encode(encoding) + b"\r\n"


def _html(response) -> str:
    return response.content.decode()


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", _html(response), re.S).group(1).strip()


def _assert_error_at(response, field_id: str, message: str):
    """The GOV.UK error state: 200, 错误： in the title, a summary linking to the field, the message at the field."""
    assert response.status_code == 200
    assert _title(response).startswith("错误：")
    html = _html(response)
    assert 'class="error-summary"' in html
    assert f'href="#{field_id}"' in html
    assert f'id="{field_id}"' in html
    error = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1), html


def _upload(client, *, content: bytes, area, name: str = "低保名单.csv", source: str = "assistance",
            list_date: date = LIST_DATE):
    return client.post("/exchange/new/", {
        "source": source, "area": area.pk, "list_date": list_date.isoformat(),
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
    })


def _batch(area, *, by, source: str = "life_events", state: str = State.COMMITTED) -> ImportBatch:
    return ImportBatch.objects.create(source=source, area=area, list_date=LIST_DATE, file_name="名单.xlsx",
                                      file_sha256=uuid.uuid4().hex * 2, created_by=by, state=state)


def _assistance_list(zhang) -> bytes:
    """张三丰 on 低保; a row with a broken ID number; a valid ID of nobody in the registry."""
    return _csv([HEADER,
                 [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                 ["=cmd|' /C calc'!A0", "李四", "低保", "2024-01-01"],
                 [make_id(date(1990, 5, 5), 77), "赵六", "特困", "2024-02-01"]])


# --- upload → validate → commit ------------------------------------------------------------------


def test_upload_validates_then_commit_applies_the_assistance_list(client, officer, areas, zhang,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, content=_assistance_list(zhang), area=areas["beijiang"])
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/batches/{batch.pk}/"
    assert batch.state == State.VALIDATED, batch.message
    assert not AssistanceStatus.objects.exists()  # the dry run changes nothing

    html = _html(client.get(response["Location"]))
    assert "将新增 1、变更 0、终止 0、无变化 0，有错误 1 行（不会导入）。" in html
    assert "确认导入" in html and "放弃此批次" in html
    assert "与名册比对（3 行）" in html
    assert re.search(r"名册中没有此人</th><td class=\"num\">1<", html)
    assert re.search(r"身份证号无效</th><td class=\"num\">1<", html)
    assert "=cmd|&#x27; /C calc&#x27;!A0" in html  # an invalid number is shown as written
    assert zhang.id_number not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exchange/batches/{batch.pk}/commit/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == State.COMMITTED
    assert batch.committed_by == officer
    spell = AssistanceStatus.objects.get()
    assert (spell.person, spell.kind, spell.started_on) == (zhang, "dibao", date(2024, 1, 1))

    page = client.get(f"/exchange/batches/{batch.pk}/")
    html = _html(page)
    # (Here the task ran after the view answered, as with a worker: the message says it is under way.)
    assert "已提交导入，正在后台处理。" in html
    assert "已新增 1、变更 0、终止 0、无变化 0；有错误的 1 行未导入。" in html
    assert "确认导入</button>" not in html
    assert f'href="/exchange/reviews/?batch={batch.pk}"' in html
    assert "本批次 2 条待处理" in html  # not in registry + ID invalid
    assert MatchReview.objects.filter(batch=batch).count() == 2


def test_assistance_list_explains_who_drops_off(client, officer, areas, zhang, django_capture_on_commit_callbacks):
    AssistanceStatus.objects.create(person=zhang, kind="dibao", started_on=date(2020, 1, 1), started_by="旧名单")
    li = make_person(by=officer, area=areas["beijiang"], name="李小红", sequence=22)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=_csv([HEADER, [li.id_number, "李小红", "低保", "2025-01-01"]]),
                area=areas["beijiang"])
    html = _html(client.get(f"/exchange/batches/{ImportBatch.objects.get().pk}/"))
    assert "将新增 1、变更 0、终止 1、无变化 0，有错误 0 行（不会导入）。" in html
    assert "北疆社区原有该救助身份、但这份名单上已没有的 1 人，自名单日期 2025-06-30 起失去该身份。" in html


def test_batch_list_shows_the_users_batches(client, officer, areas, zhang, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=_assistance_list(zhang), area=areas["beijiang"], name="2025年6月低保.csv")
    response = client.get("/exchange/")
    html = _html(response)
    assert response.status_code == 200
    assert "导入新名单" in html and 'href="/exchange/new/"' in html
    assert "2025年6月低保.csv" in html and "低保/特困/低保边缘名单" in html and "2025-06-30" in html
    assert "已校验，待确认导入" in html


def test_discard_drops_the_batch_and_changes_nothing(client, officer, areas, zhang,
                                                     django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=_assistance_list(zhang), area=areas["beijiang"])
    batch = ImportBatch.objects.get()
    response = client.post(f"/exchange/batches/{batch.pk}/discard/", follow=True)
    batch.refresh_from_db()
    assert batch.state == State.DISCARDED
    assert "已放弃此批次，没有修改任何数据。" in _html(response)
    assert not AssistanceStatus.objects.exists()
    # A discarded batch can no longer be committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exchange/batches/{batch.pk}/commit/", follow=True)
    assert "不能导入" in _html(response)
    batch.refresh_from_db()
    assert batch.state == State.DISCARDED


def test_same_file_again_lands_on_a_batch_page_that_says_so(client, officer, areas, zhang,
                                                            django_capture_on_commit_callbacks):
    client.force_login(officer)
    content = _assistance_list(zhang)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=content, area=areas["beijiang"])
    first = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/exchange/batches/{first.pk}/commit/")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, content=content, area=areas["beijiang"], name="又一次.csv")
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    assert second.state == State.DUPLICATE
    assert response["Location"] == f"/exchange/batches/{second.pk}/"
    html = _html(client.get(response["Location"]))
    assert "这个文件已经导入过" in html
    assert f"（批次 #{first.pk}），本次未做任何修改。" in html
    assert "确认导入</button>" not in html


def test_file_missing_a_required_column_is_rejected_with_the_reason(client, officer, areas, zhang,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=_csv([["身份证号", "姓名"], [zhang.id_number, "张三丰"]]), area=areas["beijiang"])
    batch = ImportBatch.objects.get()
    assert batch.state == State.REJECTED
    html = _html(client.get(f"/exchange/batches/{batch.pk}/"))
    notice = re.search(r'<div class="notice notice--error">(.*?)</div>', html, re.S).group(1)
    assert "文件无法导入" in notice
    assert "缺少必填列：救助类型、起始日期" in notice
    assert "确认导入</button>" not in html


def test_problem_rows_are_paginated_fifty_to_a_page_with_ids_masked(client, officer, areas, zhang,
                                                                    django_capture_on_commit_callbacks):
    rows = [HEADER] + [[make_id(date(1970, 1, 1) + timedelta(days=n), 11), "张三丰", "救济粮", "2024-01-01"]
                       for n in range(60)]
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=_csv(rows), area=areas["beijiang"])
    batch = ImportBatch.objects.get()
    assert batch.error_rows == 60
    first = _html(client.get(f"/exchange/batches/{batch.pk}/"))
    assert "有问题的行：60 行（不会导入）" in first
    assert first.count('<tr><td class="num">') == 50
    assert "第 1 页，共 2 页" in first
    second = _html(client.get(f"/exchange/batches/{batch.pk}/", {"page": 2}))
    assert second.count('<tr><td class="num">') == 10
    # A duplicate row's problem carries the (valid) ID number: shown masked, the message kept.
    dup = _csv([HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"], [zhang.id_number, "张三丰", "低保",
                                                                       "2024-01-01"]])
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=dup, area=areas["beijiang"], name="重复.csv")
    batch = ImportBatch.objects.get(file_name="重复.csv")
    html = _html(client.get(f"/exchange/batches/{batch.pk}/"))
    assert "与第 2 行重复" in html
    assert mask_id_number(zhang.id_number) in html
    assert zhang.id_number not in html


# --- bad input at the field ------------------------------------------------------------------------


def test_upload_without_a_file(client, officer, areas):
    client.force_login(officer)
    response = client.post("/exchange/new/", {"source": "assistance", "area": areas["beijiang"].pk,
                                              "list_date": LIST_DATE.isoformat()})
    _assert_error_at(response, "id_file", "请选择要上传的文件。")
    assert not ImportBatch.objects.exists()


def test_upload_of_an_empty_file(client, officer, areas):
    client.force_login(officer)
    response = _upload(client, content=b"", area=areas["beijiang"])
    _assert_error_at(response, "id_file", "文件是空的")
    assert not ImportBatch.objects.exists()


def test_upload_of_a_file_too_large(client, officer, areas, zhang, settings, import_dir):
    settings.IMPORT_MAX_BYTES = 50
    client.force_login(officer)
    response = _upload(client, content=_assistance_list(zhang), area=areas["beijiang"])
    _assert_error_at(response, "id_file", "请把名单拆分成几个文件分别导入")
    assert not ImportBatch.objects.exists()
    assert not list(import_dir.iterdir())  # the partial file is removed


def test_upload_without_a_source(client, officer, areas, zhang):
    client.force_login(officer)
    response = _upload(client, content=_assistance_list(zhang), area=areas["beijiang"], source="")
    _assert_error_at(response, "id_source", "请选择数据来源。")
    # The summary's link lands on the first radio.
    assert re.search(r'<input class="radios__input" type="radio" name="source" id="id_source" value="assistance"',
                     _html(response))


def test_upload_for_an_area_outside_the_officers_scope(client, beijiang_officer, areas, zhang):
    client.force_login(beijiang_officer)
    response = _upload(client, content=_assistance_list(zhang), area=areas["dongcheng"])
    _assert_error_at(response, "id_area", "不在您负责的范围内")
    assert not ImportBatch.objects.exists()


def test_upload_with_a_future_list_date(client, officer, areas, zhang):
    client.force_login(officer)
    response = _upload(client, content=_assistance_list(zhang), area=areas["beijiang"],
                       list_date=timezone.localdate() + timedelta(days=1))
    _assert_error_at(response, "id_list_date", "名单日期不能晚于今天。")
    assert not ImportBatch.objects.exists()


def test_upload_form_defaults_and_guide(client, beijiang_officer, areas):
    client.force_login(beijiang_officer)
    html = _html(client.get("/exchange/new/"))
    assert f'<option value="{areas["beijiang"].pk}" selected>' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert f'<option value="{areas["dongcheng"].pk}"' not in html
    for source in SOURCES.values():
        assert str(source.label) in html
        assert f'href="/exchange/templates/{source.key}.xlsx"' in html
    assert "公民身份号码" in html  # synonyms are listed


def test_template_download_is_the_header_row_of_each_source(client, officer, areas, tmp_path):
    client.force_login(officer)
    for key, source in SOURCES.items():
        response = client.get(f"/exchange/templates/{key}.xlsx")
        assert response.status_code == 200, key
        assert "attachment" in response["Content-Disposition"]
        path = tmp_path / f"{key}.xlsx"
        path.write_bytes(b"".join(response.streaming_content))
        assert list(read_table(path).rows) == [[str(column.label) for column in source.columns]], key
    assert client.get("/exchange/templates/nothing.xlsx").status_code == 404


# --- progress ---------------------------------------------------------------------------------------


def test_progress_json_follows_the_batch(client, officer, areas, zhang):
    batch = services.import_batch_create(by=officer, source="assistance", area=areas["beijiang"],
                                         list_date=LIST_DATE, chunks=[_assistance_list(zhang)], file_name="a.csv")
    client.force_login(officer)
    page = _html(client.get(f"/exchange/batches/{batch.pk}/"))
    assert f'data-progress-url="/exchange/batches/{batch.pk}/progress"' in page
    assert 'aria-live="polite"' in page and '<label class="label" for="batch-progress">' in page
    assert f'href="/exchange/batches/{batch.pk}/"' in page  # 刷新
    assert 'http-equiv="refresh"' not in page
    assert client.get(f"/exchange/batches/{batch.pk}/progress").json() == {
        "state": "queued", "state_label": "排队中", "processed_rows": 0, "total_rows": 0, "percent": 0,
        "done": False}
    services.import_validate(batch=batch)
    assert client.get(f"/exchange/batches/{batch.pk}/progress").json() == {
        "state": "validated", "state_label": "已校验，待确认导入", "processed_rows": 3, "total_rows": 3,
        "percent": 100, "done": True}
    assert "data-progress-url" not in _html(client.get(f"/exchange/batches/{batch.pk}/"))


# --- error report -----------------------------------------------------------------------------------


def test_error_report_is_a_logged_xlsx_with_formulas_escaped(client, officer, areas, zhang, tmp_path,
                                                            django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=_csv([HEADER, [zhang.id_number, "张三丰", "低保", "2024-01-01"],
                                      ["=cmd", "李四", "低保", "2024-01-01"]]), area=areas["beijiang"])
    batch = ImportBatch.objects.get()
    response = client.get(f"/exchange/batches/{batch.pk}/errors.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    path = tmp_path / "errors.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(read_table(path).rows)
    assert rows[0] == ["行号", "列", "填写的值", "问题说明", "原始第1列", "原始第2列", "原始第3列", "原始第4列"]
    assert len(rows) == 2
    line = rows[1]
    assert line[0] == 3 and line[1] == "身份证号" and line[2] == "'=cmd" and line[4] == "'=cmd"
    assert line[5:] == ["李四", "低保", "2024-01-01"]
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.user == officer and f"#{batch.pk}" in log.detail


# --- area scope -------------------------------------------------------------------------------------


def test_other_community_officer_gets_404_on_every_batch_url(client, officer, beijiang_officer, areas, wang,
                                                            django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content=_csv([HEADER, [wang.id_number, "王大明", "低保", "2024-01-01"]]),
                area=areas["dongcheng"])
    batch = ImportBatch.objects.get()
    client.force_login(beijiang_officer)
    for url in (f"/exchange/batches/{batch.pk}/", f"/exchange/batches/{batch.pk}/progress",
                f"/exchange/batches/{batch.pk}/errors.xlsx"):
        assert client.get(url).status_code == 404, url
    for url in (f"/exchange/batches/{batch.pk}/commit/", f"/exchange/batches/{batch.pk}/discard/"):
        assert client.post(url).status_code == 404, url
    batch.refresh_from_db()
    assert batch.state == State.VALIDATED
    assert "王大明" not in _html(client.get("/exchange/"))
    assert client.get("/exchange/reviews/", {"batch": batch.pk}).status_code == 404


def test_community_officer_sees_only_their_own_batches(client, officer, beijiang_officer, areas):
    own = _batch(areas["beijiang"], by=officer, source="assistance")
    other = _batch(areas["dongcheng"], by=officer, source="assistance")
    city = _batch(areas["city"], by=officer, source="assistance")
    client.force_login(beijiang_officer)
    html = _html(client.get("/exchange/"))
    assert f'href="/exchange/batches/{own.pk}/"' in html
    assert f'href="/exchange/batches/{other.pk}/"' not in html
    assert f'href="/exchange/batches/{city.pk}/"' not in html


def test_leader_and_anonymous_cannot_open_the_exchange(client, leader):
    assert client.get("/exchange/")["Location"].startswith("/accounts/login/")
    client.force_login(leader)
    for url in ("/exchange/", "/exchange/new/", "/exchange/reviews/", "/exchange/proposals/",
                "/exchange/screenings/", "/exchange/exports/"):
        assert client.get(url).status_code == 403, url


# --- worklists --------------------------------------------------------------------------------------


def _review(batch, *, row: int = 5, person=None, outcome=MatchOutcome.NOT_IN_REGISTRY):
    return MatchReview.objects.create(batch=batch, row_number=row, outcome=outcome,
                                      id_number=make_id(date(1990, 1, 1), 55), name="赵六", person=person)


def test_match_review_resolved_with_a_note(client, officer, areas):
    review = _review(_batch(areas["beijiang"], by=officer, source="assistance"))
    client.force_login(officer)
    html = _html(client.get("/exchange/reviews/"))
    assert "1 条待处理" in html
    assert mask_id_number(review.id_number) in html and review.id_number not in html
    response = client.post("/exchange/reviews/", {"item": review.pk, f"item{review.pk}-note": "已通知民政局更正"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.resolved_by == officer and review.note == "已通知民政局更正"
    html = _html(client.get("/exchange/reviews/"))
    assert "0 条待处理" in html and "没有待处理的比对结果。" in html


def test_match_review_without_a_note_shows_the_error_at_its_field(client, officer, areas):
    review = _review(_batch(areas["beijiang"], by=officer, source="assistance"))
    client.force_login(officer)
    response = client.post("/exchange/reviews/", {"item": review.pk, f"item{review.pk}-note": "  "})
    _assert_error_at(response, f"id_item{review.pk}-note", "请填写处理说明")
    review.refresh_from_db()
    assert review.resolved_at is None


def test_match_reviews_filter_by_outcome(client, officer, areas):
    batch = _batch(areas["beijiang"], by=officer, source="assistance")
    _review(batch, row=5)
    _review(batch, row=6, outcome=MatchOutcome.NAME_DIFFERS)
    client.force_login(officer)
    html = _html(client.get("/exchange/reviews/", {"outcome": "name_differs"}))
    assert "1 条待处理" in html and "姓名与名册不一致" in html


def test_other_community_review_proposal_and_screening_are_404(client, officer, beijiang_officer, areas, wang):
    batch = _batch(areas["dongcheng"], by=officer)
    review = _review(batch)
    proposal = StatusProposal.objects.create(batch=batch, person=wang, status=LifeStatus.DECEASED,
                                             since=date(2025, 5, 1))
    screening = ChildScreening.objects.create(id_number=make_id(date(2021, 3, 3), 66), name="小明",
                                              birth_date=date(2021, 3, 3), screened_on=date(2025, 4, 1),
                                              finding="听力", area=areas["dongcheng"], batch=batch)
    client.force_login(beijiang_officer)
    assert client.post("/exchange/reviews/", {"item": review.pk, f"item{review.pk}-note": "x"}).status_code == 404
    assert client.post("/exchange/proposals/", {"item": proposal.pk, f"item{proposal.pk}-note": "x",
                                                "decision": "confirm"}).status_code == 404
    assert client.post("/exchange/screenings/", {"item": screening.pk,
                                                 f"item{screening.pk}-note": "x"}).status_code == 404
    for url in ("/exchange/reviews/", "/exchange/proposals/", "/exchange/screenings/"):
        html = _html(client.get(url))
        assert "王大明" not in html and "小明" not in html and "赵六" not in html, url
    wang.refresh_from_db()
    assert wang.life_status == LifeStatus.ACTIVE
    assert MatchReview.objects.get().resolved_at is None
    assert ChildScreening.objects.get().follow_up == ChildScreening.FollowUp.OPEN


def test_confirming_a_reported_death_updates_the_registry(client, officer, areas, zhang):
    proposal = StatusProposal.objects.create(batch=_batch(areas["beijiang"], by=officer), person=zhang,
                                             status=LifeStatus.DECEASED, since=date(2025, 5, 1), detail="死亡证明")
    client.force_login(officer)
    html = _html(client.get("/exchange/proposals/"))
    assert "1 条待核实" in html and f'href="/persons/{zhang.pk}/"' in html
    response = client.post("/exchange/proposals/", {"item": proposal.pk, f"item{proposal.pk}-note": "已电话核实",
                                                    "decision": "confirm"}, follow=True)
    assert "已确认：张三丰 死亡（2025-05-01）。" in _html(response)
    zhang.refresh_from_db()
    assert (zhang.life_status, zhang.life_status_since) == (LifeStatus.DECEASED, date(2025, 5, 1))
    proposal.refresh_from_db()
    assert proposal.state == StatusProposal.State.CONFIRMED and proposal.decided_by == officer
    assert AccessLog.objects.filter(action=AccessLog.Action.EDIT, person=zhang).exists()


def test_rejecting_a_report_needs_a_note_and_leaves_the_person(client, officer, areas, zhang):
    proposal = StatusProposal.objects.create(batch=_batch(areas["beijiang"], by=officer), person=zhang,
                                             status=LifeStatus.MOVED_OUT, since=date(2025, 5, 1))
    client.force_login(officer)
    response = client.post("/exchange/proposals/", {"item": proposal.pk, f"item{proposal.pk}-note": "",
                                                    "decision": "reject"})
    _assert_error_at(response, f"id_item{proposal.pk}-note", "请填写核实情况")
    client.post("/exchange/proposals/", {"item": proposal.pk, f"item{proposal.pk}-note": "本人仍在本社区居住",
                                         "decision": "reject"})
    proposal.refresh_from_db()
    zhang.refresh_from_db()
    assert proposal.state == StatusProposal.State.REJECTED
    assert zhang.life_status == LifeStatus.ACTIVE


def test_child_screening_closed_with_a_note(client, officer, areas):
    screening = ChildScreening.objects.create(
        id_number=make_id(date(2021, 3, 3), 66), name="小明", birth_date=date(2021, 3, 3),
        screened_on=date(2025, 4, 1), finding="听力", area=areas["beijiang"],
        batch=_batch(areas["beijiang"], by=officer, source="child_screening"))
    client.force_login(officer)
    html = _html(client.get("/exchange/screenings/"))
    assert "1 名儿童待跟进" in html and "小明" in html and screening.id_number not in html
    response = client.post("/exchange/screenings/", {"item": screening.pk, f"item{screening.pk}-note": ""})
    _assert_error_at(response, f"id_item{screening.pk}-note", "请填写跟进结果")
    client.post("/exchange/screenings/", {"item": screening.pk, f"item{screening.pk}-note": "已转介康复机构评估"})
    screening.refresh_from_db()
    assert screening.follow_up == ChildScreening.FollowUp.CLOSED and screening.closed_by == officer


def test_a_row_done_by_someone_else_meanwhile_is_said_at_the_top(client, officer, areas):
    review = _review(_batch(areas["beijiang"], by=officer, source="assistance"))
    services.match_review_resolve(review=review, by=officer, note="已处理")
    client.force_login(officer)
    response = client.post("/exchange/reviews/", {"item": review.pk, f"item{review.pk}-note": "再处理"},
                           follow=True)
    assert "这条比对结果已经处理过了。" in _html(response)


def test_worklists_paginate_25_to_a_page(client, officer, areas):
    batch = _batch(areas["beijiang"], by=officer, source="assistance")
    for row in range(30):
        _review(batch, row=row + 2)
    client.force_login(officer)
    html = _html(client.get("/exchange/reviews/"))
    assert "30 条待处理" in html and html.count('name="item"') == 25 and "第 1 页，共 2 页" in html
    assert _html(client.get("/exchange/reviews/", {"page": 2})).count('name="item"') == 5


def test_workbench_shows_the_exchange_worklists(client, officer, areas, zhang):
    batch = _batch(areas["beijiang"], by=officer)
    _review(batch)
    StatusProposal.objects.create(batch=batch, person=zhang, status=LifeStatus.DECEASED, since=date(2025, 5, 1))
    client.force_login(officer)
    html = _html(client.get("/"))
    for title, count in (("部门名单比对核查", 1), ("待核实的死亡和迁出报告", 1), ("待跟进的筛查儿童", 0)):
        assert re.search(rf">{title}</h2>\s*<p class=\"card__number\">{count}</p>", html), title
    assert 'href="/exchange/"' in html  # 数据导入 in the navigation
