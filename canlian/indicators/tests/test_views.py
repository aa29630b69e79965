"""The indicator pages: figures from snapshots against targets, the people behind a figure (scoped, masked,
logged), computing a year, and a finished year kept as it was unless replaced."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from canlian.areas.models import Area
from canlian.areas.services import area_create
from canlian.audit.models import AccessLog
from canlian.employment import services as employment
from canlian.employment.choices import NotWorkingReason
from canlian.indicators import services
from canlian.indicators.models import Indicator, Snapshot, Target
from canlian.registry.tests.factories import make_certificate, make_person

TODAY = timezone.localdate()


@pytest.fixture
def persons(officer, areas):
    """Two working-age card holders in 北疆 (one employed), one in 东城 (not)."""
    zhang = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1980, 1, 1), sequence=11)
    li = make_person(by=officer, area=areas["beijiang"], name="李四", birth=date(1985, 1, 1), sequence=13)
    wang = make_person(by=officer, area=areas["dongcheng"], name="王五", birth=date(1990, 1, 1), sequence=15)
    for person in (zhang, li, wang):
        make_certificate(person=person, by=officer, grade=3)
    employment.employment_record_add(person=zhang, by=officer, employed=True, form="flexible",
                                     started_on=date(2024, 1, 1))
    for person in (li, wang):
        employment.employment_record_add(person=person, by=officer, employed=False,
                                         not_working_reason=NotWorkingReason.SEEKING, started_on=date(2024, 1, 1))
    return zhang, li, wang


def _figure(body: str, name: str) -> str:
    row = re.search(rf"{name}</a></th>(.*?)</tr>", body, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_the_dashboard_shows_each_figure_against_its_target_from_the_years_snapshots(client, officer, areas, persons):
    services.indicators_compute(year=TODAY.year, by=officer)
    client.force_login(officer)
    body = client.get("/indicators/").content.decode()
    assert "33.33%" in _figure(body, "就业年龄段残疾人就业率")  # 1 of 3 working-age persons employed
    assert "无数据" in _figure(body, "残疾人家庭人均收入年均增长（%）")
    beijiang = client.get(f"/indicators/?area={areas['beijiang'].pk}").content.decode()
    assert "50.00%" in _figure(beijiang, "就业年龄段残疾人就业率")


def test_the_people_behind_a_rate_are_listed_scoped_masked_and_logged(client, officer, beijiang_officer, areas,
                                                                      persons):
    zhang = persons[0]
    client.force_login(beijiang_officer)
    year = TODAY.year
    counted = client.get(f"/indicators/employment_rate/people/?area={areas['beijiang'].pk}&year={year}")
    body = counted.content.decode()
    assert "张三丰" in body and "李四" not in body and zhang.id_number not in body
    missing = client.get(f"/indicators/employment_rate/people/?area={areas['beijiang'].pk}&year={year}&covered=0")
    assert "李四" in missing.content.decode() and "王五" not in missing.content.decode()
    assert client.get(f"/indicators/employment_rate/people/?area={areas['dongcheng'].pk}").status_code == 404
    assert AccessLog.objects.filter(user=beijiang_officer, action=AccessLog.Action.SEARCH).count() == 2


def test_a_leader_sees_the_figures_but_not_the_people(client, leader, areas, persons):
    client.force_login(leader)
    assert client.get("/indicators/").status_code == 200
    assert client.get(f"/indicators/employment_rate/people/?area={areas['city'].pk}").status_code == 403


def test_a_finished_years_snapshots_are_kept_unless_replaced(client, officer, leader, areas, persons):
    last_year = TODAY.year - 1
    services.indicators_compute(year=last_year, by=officer)
    kept = Snapshot.objects.get(area=areas["city"], year=last_year, indicator__code="registered")
    client.force_login(leader)
    response = client.post(f"/indicators/compute/?year={last_year}")
    assert response.status_code == 302
    assert Snapshot.objects.get(area=areas["city"], year=last_year, indicator__code="registered").pk == kept.pk
    client.post(f"/indicators/compute/?year={last_year}", {"replace": "1"})
    assert Snapshot.objects.get(area=areas["city"], year=last_year, indicator__code="registered").pk != kept.pk


def test_the_indicator_page_compares_areas_and_shows_the_years(client, officer, areas, persons):
    services.indicators_compute(year=TODAY.year, by=officer)
    client.force_login(officer)
    body = client.get(f"/indicators/employment_rate/?area={areas['city'].pk}").content.decode()
    assert "北疆社区" in body and "东城社区" in body and str(TODAY.year) in body


def test_only_someone_covering_every_area_recomputes_the_snapshots(client, beijiang_officer, officer, persons):
    client.force_login(beijiang_officer)
    assert client.post(f"/indicators/compute/?year={TODAY.year}").status_code == 403
    client.force_login(officer)
    client.post(f"/indicators/compute/?year={TODAY.year}")
    assert AccessLog.objects.filter(user=officer, action=AccessLog.Action.EDIT).exists()


def test_nobody_recomputes_once_the_tree_has_a_top_area_they_do_not_cover(client, officer, areas, persons):
    area_create(code="152502000000", name="锡林浩特市", level=Area.Level.COUNTY)
    client.force_login(officer)
    assert "按现有记录计算" not in client.get("/indicators/").content.decode()
    assert client.post(f"/indicators/compute/?year={TODAY.year}").status_code == 403
    assert not Snapshot.objects.exists()


def test_the_dashboard_table_is_drawn_once_and_never_shows_an_old_figure(client, officer, areas, persons):
    """The table is kept by what it shows: a second look draws nothing again, and a new computation, a new target or
    a renamed indicator is on the very next look."""
    services.indicators_compute(year=TODAY.year, by=officer)
    client.force_login(officer)
    drawn = [t.name for t in client.get("/indicators/").templates]
    assert "indicators/_value.html" in drawn
    assert "indicators/_value.html" not in [t.name for t in client.get("/indicators/").templates]

    employment.employment_record_add(person=persons[1], by=officer, employed=True, form="flexible",
                                     started_on=TODAY)
    services.indicators_compute(year=TODAY.year, by=officer)
    assert "66.67%" in _figure(client.get("/indicators/").content.decode(), "就业年龄段残疾人就业率")

    Target.objects.update_or_create(indicator=Indicator.objects.get(code="employment_rate"), year=TODAY.year,
                                    defaults={"value": Decimal("60")})
    assert "● 已达标" in _figure(client.get("/indicators/").content.decode(), "就业年龄段残疾人就业率")

    Indicator.objects.filter(code="employment_rate").update(name="就业年龄段持证残疾人就业率")
    assert "66.67%" in _figure(client.get("/indicators/").content.decode(), "就业年龄段持证残疾人就业率")


def test_each_role_sees_its_own_navigation_whoever_looked_first(client, officer, leader, persons):
    client.force_login(officer)
    assert "查询残疾人" in client.get("/indicators/").content.decode()
    client.force_login(leader)
    body = client.get("/indicators/").content.decode()
    assert "查询残疾人" not in body and "月度发放" in body
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/indicators/").content.decode()
    assert "Search persons" in english and "查询残疾人" not in english


def test_the_annual_report_downloads_as_pdf_and_xlsx_with_the_years_figures(client, leader, officer, areas, persons):
    import io

    import pypdf
    from python_calamine import CalamineWorkbook

    services.indicators_compute(year=TODAY.year, by=officer)
    client.force_login(leader)  # aggregates only: a leader may take the report
    pdf = client.get(f"/indicators/report.pdf?area={areas['city'].pk}&year={TODAY.year}")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "年度监测报告" in text and "33.33%" in text and "北疆社区" in text
    xlsx = client.get(f"/indicators/report.xlsx?area={areas['city'].pk}&year={TODAY.year}")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    employment = next(row for row in rows if row[0] == "就业年龄段残疾人就业率")
    assert employment[2] == "33.33%" and int(employment[3]) == 1 and int(employment[4]) == 3


def test_the_report_command_writes_the_file(officer, persons, tmp_path):
    from django.core.management import call_command

    services.indicators_compute(year=TODAY.year, by=officer)
    target = tmp_path / "report.xlsx"
    call_command("report", "annual", str(TODAY.year), "--format", "xlsx", "--output", str(target))
    assert target.read_bytes().startswith(b"PK")


def test_the_evaluation_compares_the_year_with_the_2020_baseline(client, officer, areas, persons):
    services.indicators_compute(year=2020, by=officer)
    services.indicators_compute(year=TODAY.year, by=officer)
    client.force_login(officer)
    body = client.get(f"/indicators/evaluation/?area={areas['city'].pk}&year={TODAY.year}").content.decode()
    row = re.search(r"在册残疾人数</th>(.*?)</tr>", body, re.S).group(1)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:3] == ["3", "3", "0"]  # registered in 2020 already (born 1980–1990) and still
    assert "终期评估" in body if TODAY.year >= 2025 else "中期评估" in body
