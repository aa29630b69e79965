"""Registry exports for the regional/national systems: area-scoped, full IDs only with a reason, always logged."""

import json
from datetime import date

import pytest

from canlian.audit.models import AccessLog
from canlian.common.spreadsheets import read_table
from canlian.exchange import exports
from canlian.registry import services
from canlian.registry.tests.factories import make_certificate, make_person


@pytest.fixture
def zhang(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=11, phone="13800001234",
                         address="北疆路 1 号", ethnicity="02")
    make_certificate(person=person, by=officer, category=4, grade=2, on=date(2020, 5, 1))
    return person


@pytest.fixture
def zhao(officer, areas):
    """赵小梅 of 北疆社区: registered, no certificate yet."""
    return make_person(by=officer, area=areas["beijiang"], name="赵小梅", birth=date(2001, 12, 1), sequence=44)


@pytest.fixture
def wang(officer, areas):
    person = make_person(by=officer, area=areas["dongcheng"], name="王大明", birth=date(1975, 2, 3), sequence=33)
    make_certificate(person=person, by=officer, category=1, grade=1, on=date(2019, 9, 9))
    return person


def _export(client, area, *, kind: str = "xlsx", reason: str = "上报全国残疾人人口基础库"):
    return client.post("/exchange/exports/", {"area": area.pk, "format": kind, "reason": reason})


def _xlsx_rows(response, tmp_path) -> list[list]:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    return list(read_table(path).rows)


def test_xlsx_export_has_the_columns_officials_upload(client, officer, areas, zhang, zhao, wang, tmp_path):
    client.force_login(officer)
    response = _export(client, areas["beijiang"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    rows = _xlsx_rows(response, tmp_path)
    assert rows[0] == ["身份证号", "姓名", "性别", "民族", "出生日期", "户籍类型", "居住社区", "居住社区代码",
                       "居住地址", "联系电话", "人员状态", "残疾人证号", "残疾类别", "残疾等级", "发证日期",
                       "有效期至", "证件状态"]
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {zhang.id_number, zhao.id_number}  # 东城's 王大明 is outside the chosen area
    card = zhang.certificates.get()
    row = by_id[zhang.id_number]
    assert row[1:4] == ["张三丰", "男", "蒙古族"]
    assert row[6:12] == ["北疆社区", "152501001001", "北疆路 1 号", "13800001234", "在册", card.number]
    assert row[12:14] == ["肢体残疾", "二级"]
    assert row[16] == "有效"
    assert by_id[zhao.id_number][11:] == [""] * 6  # no certificate yet


def test_json_export_streams_codes(client, officer, areas, zhang, zhao):
    client.force_login(officer)
    response = _export(client, areas["beijiang"], kind="json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.streaming
    records = json.loads(b"".join(response.streaming_content))
    by_id = {record["id_number"]: record for record in records}
    record = by_id[zhang.id_number]
    assert record["name"] == "张三丰" and record["sex"] == "M" and record["ethnicity"] == "02"
    assert record["residence_area_code"] == "152501001001"
    assert (record["category"], record["grade"], record["certificate_status"]) == (4, 2, "valid")
    assert record["issued_on"] == "2020-05-01"
    assert by_id[zhao.id_number]["certificate_number"] is None


def test_export_is_logged_with_reason_and_count(client, officer, areas, zhang, zhao):
    client.force_login(officer)
    b"".join(_export(client, areas["beijiang"], reason="季度上报").streaming_content)
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.user == officer and log.reason == "季度上报"
    assert "北疆社区" in log.detail and "2 人" in log.detail and "XLSX" in log.detail


def test_export_needs_a_reason(client, officer, areas, zhang):
    client.force_login(officer)
    response = _export(client, areas["beijiang"], reason="  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>错误：" in html and 'href="#id_reason"' in html and "请填写导出用途" in html
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_export_page_says_survey_data_is_not_there_yet(client, officer, areas):
    client.force_login(officer)
    html = client.get("/exchange/exports/").content.decode()
    assert "年度动态更新数据尚未建立，本页只导出名册" in html
    assert f'<option value="{areas["city"].pk}" selected>' in html


def test_community_officer_exports_only_their_community(client, beijiang_officer, areas, zhang, wang, tmp_path):
    client.force_login(beijiang_officer)
    response = _export(client, areas["dongcheng"])
    assert response.status_code == 200
    assert "不在您负责的范围内" in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()
    rows = _xlsx_rows(_export(client, areas["beijiang"]), tmp_path)
    ids = [row[0] for row in rows[1:]]
    assert ids == [zhang.id_number]
    assert wang.id_number not in ids


def test_city_officer_export_covers_every_community(client, officer, areas, zhang, wang):
    client.force_login(officer)
    records = json.loads(b"".join(_export(client, areas["city"], kind="json").streaming_content))
    assert {r["id_number"] for r in records} == {zhang.id_number, wang.id_number}


def test_names_that_look_like_formulas_stay_text(officer, areas, tmp_path):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", sequence=11)
    services.person_update(person=person, by=officer, reason="测试", address="=HYPERLINK(\"http://x\")")
    handle, count = exports.registry_xlsx(exports.registry_persons(user=officer, area=areas["beijiang"]))
    path = tmp_path / "x.xlsx"
    path.write_bytes(handle.read())
    handle.close()
    assert count == 1
    rows = list(read_table(path).rows)
    assert rows[1][8] == "'=HYPERLINK(\"http://x\")"


def test_expired_card_reads_as_expired(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="李小红", sequence=22)
    make_certificate(person=person, by=officer, category=2, grade=3, on=date(2010, 1, 1))
    records = json.loads("".join(exports.registry_json(exports.registry_persons(user=officer,
                                                                                area=areas["beijiang"]))))
    assert records[0]["certificate_status"] == "expired"
