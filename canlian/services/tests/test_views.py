"""The needs-and-services pages: a survey visit section by section, its needs on the worklist, a referral met by a
completed service, coverage read off the records; bad input refused at the field; other areas refused."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from canlian.audit.models import AccessLog
from canlian.employment.models import EmploymentRecord
from canlian.registry.tests.factories import make_certificate, make_person
from canlian.services.choices import NeedKind, NeedState
from canlian.services.models import DeviceProduct, Institution, Need, ServiceRecord, SurveyVisit

TODAY = timezone.localdate()

ANSWERS = {
    "assistance": {"living_allowance": "no", "nursing_allowance": "yes", "hardship": "no"},
    "insurance": {"pension": "yes", "medical": "yes"},
    "rehabilitation": {"need": "yes", "receives": "no", "family_doctor": "no"},
    "devices": {"need": "yes", "receives": "no"},
    "employment": {"employed": "no", "form": "", "reason": "seeking"},
    "care": {"need": "no", "receives": "no"},
    "accessibility": {"need": "no", "receives": "no"},
    "culture": {"participates": "yes", "need": "no"},
}


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.fixture
def zhang(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1980, 1, 1))
    make_certificate(person=person, by=officer, grade=2)
    return person


@pytest.fixture
def wheelchair(db):
    return DeviceProduct.objects.create(name="普通轮椅", category="轮椅", subsidy_limit=Decimal("800.00"))


@pytest.fixture
def centre(areas):
    return Institution.objects.create(name="二连浩特市残疾人康复中心", kind="rehabilitation", area=areas["city"],
                                      qualified_from=date(2020, 1, 1), designated_for_children=True)


def _survey(client, person, answers=ANSWERS):
    client.post(f"/services/persons/{person.pk}/survey/", {"action": "start", "visited_on": TODAY.isoformat()})
    for section, values in answers.items():
        client.post(f"/services/persons/{person.pk}/survey/{section}/",
                    {f"{section}-{key}": value for key, value in values.items()})
    return client.post(f"/services/persons/{person.pk}/survey/", {"action": "complete"})


def test_a_survey_visit_opens_a_need_for_each_need_not_met_and_they_reach_the_worklist(client, beijiang_officer,
                                                                                       zhang):
    client.force_login(beijiang_officer)
    assert _survey(client, zhang).status_code == 302
    visit = SurveyVisit.objects.get(person=zhang)
    assert visit.completed_at is not None
    assert set(Need.objects.filter(person=zhang).values_list("kind", flat=True)) == {
        NeedKind.REHABILITATION, NeedKind.ASSISTIVE_DEVICE, NeedKind.EMPLOYMENT}
    assert EmploymentRecord.objects.get(person=zhang).not_working_reason == "seeking"
    worklist = client.get("/services/").content.decode()
    assert "康复服务" in worklist and "辅助器具" in worklist and "张三丰" in worklist
    assert "已完成" in client.get(f"/persons/{zhang.pk}/").content.decode()


def test_a_section_left_unanswered_is_refused_at_the_question_and_nothing_is_saved(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    client.post(f"/services/persons/{zhang.pk}/survey/", {"action": "start", "visited_on": TODAY.isoformat()})
    response = client.post(f"/services/persons/{zhang.pk}/survey/rehabilitation/", {"rehabilitation-need": "yes"})
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert "请回答：过去一年是否获得康复服务" in response.content.decode()
    assert SurveyVisit.objects.get(person=zhang).answers == {}
    response = client.post(f"/services/persons/{zhang.pk}/survey/", {"action": "complete"})
    assert response.status_code == 400 and "还有未填写的部分" in response.content.decode()


def test_a_referral_is_met_when_its_service_ends_completed(client, beijiang_officer, zhang, wheelchair, centre):
    client.force_login(beijiang_officer)
    _survey(client, zhang)
    need = Need.objects.get(person=zhang, kind=NeedKind.ASSISTIVE_DEVICE)
    response = client.post(f"/services/needs/{need.pk}/", {
        "action": "refer", "refer-service": "assistive_device:fitting", "refer-product": wheelchair.pk,
        "refer-referred_on": TODAY.isoformat(), "refer-subsidy": "900"})
    assert response.status_code == 400 and "补贴限额为 800.00 元" in response.content.decode()
    client.post(f"/services/needs/{need.pk}/", {
        "action": "refer", "refer-service": "assistive_device:fitting", "refer-product": wheelchair.pk,
        "refer-provider": centre.pk, "refer-referred_on": TODAY.isoformat()})
    need.refresh_from_db()
    assert need.state == NeedState.REFERRED
    service = ServiceRecord.objects.get(need=need)
    client.post(f"/services/records/{service.pk}/", {
        "started_on": TODAY.isoformat(), "ended_on": TODAY.isoformat(), "outcome": "completed", "cost": "800",
        "subsidy": "800"})
    need.refresh_from_db()
    assert need.state == NeedState.MET and need.closed_on == TODAY
    coverage = client.get("/services/coverage/").content.decode()
    assert "100.0%" in coverage  # the device need was met this year
    assert AccessLog.objects.filter(person=zhang, action=AccessLog.Action.EDIT).exists()


def test_a_need_is_closed_only_with_a_reason(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    _survey(client, zhang)
    need = Need.objects.get(person=zhang, kind=NeedKind.REHABILITATION)
    response = client.post(f"/services/needs/{need.pk}/", {"action": "close", "close-note": "  "})
    assert response.status_code == 400 and "请填写关闭原因" in response.content.decode()
    client.post(f"/services/needs/{need.pk}/", {"action": "close", "close-note": "本人拒绝康复训练"})
    need.refresh_from_db()
    assert need.state == NeedState.CLOSED and need.close_note == "本人拒绝康复训练"


def test_a_screened_child_becomes_a_rehabilitation_case(client, beijiang_officer, officer, areas, centre):
    child = make_person(by=officer, area=areas["beijiang"], name="小明", birth=TODAY - timedelta(days=365 * 5),
                        sequence=13)
    make_certificate(person=child, by=officer, category=5, grade=2, on=TODAY - timedelta(days=30))
    client.force_login(beijiang_officer)
    assert "小明" in client.get("/services/children/").content.decode()
    response = client.post("/services/children/", {"person": child.pk})
    need = Need.objects.get(person=child)
    assert need.kind == NeedKind.CHILD_REHABILITATION and response["Location"] == f"/services/needs/{need.pk}/"
    assert "没有待立案的残疾儿童" in client.get("/services/children/").content.decode()
    client.post(f"/services/needs/{need.pk}/", {
        "action": "refer", "refer-service": "child_rehabilitation:training", "refer-provider": centre.pk,
        "refer-started_on": TODAY.isoformat(), "refer-cost": "30000", "refer-subsidy": "25000"})
    assert not ServiceRecord.objects.exists()  # over the 24,000 yearly cap for training
    client.post(f"/services/needs/{need.pk}/", {
        "action": "refer", "refer-service": "child_rehabilitation:training", "refer-provider": centre.pk,
        "refer-started_on": TODAY.isoformat(), "refer-cost": "30000", "refer-subsidy": "24000"})
    assert ServiceRecord.objects.get().subsidy == Decimal("24000.00")


def test_another_community_sees_neither_the_needs_nor_the_survey(client, beijiang_officer, dongcheng_officer, zhang):
    client.force_login(beijiang_officer)
    _survey(client, zhang)
    need = Need.objects.filter(person=zhang).first()
    client.force_login(dongcheng_officer)
    assert client.get(f"/services/needs/{need.pk}/").status_code == 404
    assert client.get(f"/services/persons/{zhang.pk}/survey/").status_code == 404
    assert "张三丰" not in client.get("/services/").content.decode()


def test_the_progress_page_lists_who_is_still_to_visit_and_the_export_masks_id_numbers(client, beijiang_officer,
                                                                                        zhang, centre):
    client.force_login(beijiang_officer)
    assert "张三丰" in client.get("/services/survey/").content.decode()
    _survey(client, zhang)
    assert "张三丰" not in client.get("/services/survey/").content.decode()
    ServiceRecord.objects.create(person=zhang, kind="rehabilitation", subtype="training", provider=centre,
                                 started_on=TODAY, recorded_by=beijiang_officer)
    response = client.post(f"/services/records/export.xlsx?year={TODAY.year}")
    rows = CalamineWorkbook.from_filelike(_stream(response)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "张三丰" and "*" in rows[1][1] and rows[1][4] == "康复训练"


def _stream(response):
    import io

    return io.BytesIO(b"".join(response.streaming_content))


def test_coordinators_page_flags_an_area_without_one(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    assert "未指派协调员" in client.get("/services/coordinators/").content.decode()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00"
       b"\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_a_home_modification_is_surveyed_built_and_accepted_with_photos_and_meets_the_need(
        client, beijiang_officer, zhang, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(beijiang_officer)
    _survey(client, zhang, {**ANSWERS, "accessibility": {"need": "yes", "receives": "no"}})
    need = Need.objects.get(person=zhang, kind=NeedKind.HOME_MODIFICATION)
    client.post(f"/services/persons/{zhang.pk}/modification/", {"applied_on": TODAY.isoformat()})
    project = zhang.modification_projects.get()
    url = f"/services/modifications/{project.pk}/"
    response = client.post(url, {"action": "advance", "step-on": TODAY.isoformat(), "step-plan": ""})
    assert response.status_code == 400 and "请填写评估确定的改造内容" in response.content.decode()
    client.post(url, {"action": "advance", "step-on": TODAY.isoformat(), "step-plan": "卫生间扶手、门口坡道"})
    client.post(url, {"action": "advance", "step-on": TODAY.isoformat(), "step-contractor": "二连浩特市某建筑公司"})
    pdf = SimpleUploadedFile("验收.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url, {"action": "advance", "step-on": TODAY.isoformat(), "step-cost": "3200",
                                 "step-subsidy": "3000", "step-photos": [pdf]})
    assert response.status_code == 400 and "不是照片" in response.content.decode()
    photo = SimpleUploadedFile("门口.png", PNG, content_type="image/png")
    client.post(url, {"action": "advance", "step-on": TODAY.isoformat(), "step-cost": "3200", "step-subsidy": "3000",
                      "step-photos": [photo]})
    project.refresh_from_db()
    need.refresh_from_db()
    assert project.step == "accepted" and project.photos.count() == 1 and need.state == NeedState.MET
    assert project.service.subsidy == Decimal("3000.00")
    assert client.get(f"/services/modifications/photos/{project.photos.get().pk}/").status_code == 200
    assert "1 户" in client.get("/services/modifications/").content.decode()


def test_a_school_age_child_without_placement_is_listed_until_placed_or_a_reason_is_given(
        client, beijiang_officer, officer, areas):
    child = make_person(by=officer, area=areas["beijiang"], name="小红", birth=TODAY - timedelta(days=365 * 10),
                        sequence=22)
    make_certificate(person=child, by=officer, category=2, grade=3, on=TODAY - timedelta(days=60))
    client.force_login(beijiang_officer)
    assert "小红" in client.get("/services/education/").content.decode()
    response = client.post(f"/services/persons/{child.pk}/new/", {
        "service": "education:deferred", "started_on": TODAY.isoformat()})
    assert response.status_code == 400 and "写明原因" in response.content.decode()
    client.post(f"/services/persons/{child.pk}/new/", {"service": "education:mainstream",
                                                       "started_on": TODAY.isoformat()})
    assert "适龄残疾儿童少年都已安置" in client.get("/services/education/").content.decode()


def test_a_child_screened_by_health_without_a_card_becomes_a_rehabilitation_case(client, beijiang_officer, officer,
                                                                                  areas, centre):
    from canlian.services.tests.factories import make_screening

    child = make_person(by=officer, area=areas["beijiang"], name="小军", birth=TODAY - timedelta(days=365 * 3),
                        sequence=17)
    make_screening(child, by=officer, area=areas["beijiang"], screened_on=TODAY - timedelta(days=20))
    client.force_login(beijiang_officer)
    page = client.get("/services/children/").content.decode()
    assert "小军" in page and "卫健筛查" in page
    client.post("/services/children/", {"person": child.pk})
    need = Need.objects.get(person=child)
    assert need.source == Need.Source.SCREENING
    client.post(f"/services/needs/{need.pk}/", {
        "action": "refer", "refer-service": "child_rehabilitation:training", "refer-provider": centre.pk,
        "refer-referred_on": TODAY.isoformat()})
    need.refresh_from_db()
    assert need.state == NeedState.REFERRED and ServiceRecord.objects.get(need=need).provider == centre


def test_hostile_ids_in_posts_answer_404_not_an_error(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    assert client.post("/services/children/", {"person": "1 OR 1=1"}).status_code == 404
    assert client.post("/services/children/", {}).status_code == 404


def test_a_case_is_not_opened_for_an_adult_and_looking_at_a_need_is_logged(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    response = client.post("/services/children/", {"person": zhang.pk}, follow=True)
    assert "不符合残疾儿童康复救助条件" in response.content.decode() and not Need.objects.exists()
    _survey(client, zhang)
    need = Need.objects.filter(person=zhang).first()
    client.get(f"/services/needs/{need.pk}/")
    assert AccessLog.objects.filter(person=zhang, action=AccessLog.Action.VIEW).exists()
