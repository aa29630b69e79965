"""The benefits pages: apply on a person's behalf, then review and approval by different people."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from canlian.audit.models import AccessLog
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Application, Entitlement, Standard
from canlian.registry.tests.factories import make_certificate, make_person, make_user


@pytest.fixture
def zhang(officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰")
    make_certificate(person=person, by=officer, category=4, grade=1)
    return person


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def _apply(client, person, scheme=Scheme.NURSING_ALLOWANCE):
    return client.post(f"/benefits/persons/{person.pk}/apply/", {"scheme": scheme, "note": "家属代为申请"})


def test_officer_applies_on_the_persons_behalf_and_the_file_shows_it(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    response = _apply(client, zhang)
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.person, application.submitted_by) == (zhang, beijiang_officer)
    html = client.get(f"/persons/{zhang.pk}/").content.decode()
    assert "申请：已提交，待社区审核" in html
    assert AccessLog.objects.filter(action=AccessLog.Action.EDIT, person=zhang).exists()


def test_application_without_a_scheme_shows_the_error_at_the_field(client, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    response = client.post(f"/benefits/persons/{zhang.pk}/apply/", {"scheme": ""})
    assert response.status_code == 200
    assert _title(response).startswith("错误：")
    assert 'href="#id_scheme"' in response.content.decode()
    assert not Application.objects.exists()


def test_other_community_officer_gets_404(client, dongcheng_officer, zhang):
    client.force_login(dongcheng_officer)
    assert client.get(f"/benefits/persons/{zhang.pk}/apply/").status_code == 404
    assert AccessLog.objects.filter(action=AccessLog.Action.DENIED, person=zhang).exists()


def test_review_then_approval_by_another_officer_through_the_worklist(client, beijiang_officer, officer, areas,
                                                                       zhang):
    client.force_login(beijiang_officer)
    _apply(client, zhang)
    application = Application.objects.get()
    client.force_login(officer)
    page = client.get("/benefits/applications/").content.decode()
    assert "张三丰" in page and "社区审核通过" in page
    client.post("/benefits/applications/", {"item": application.pk, "action": "review",
                                            f"item{application.pk}-note": "同意"})
    application.refresh_from_db()
    assert application.state == Application.State.REVIEWED
    refused = client.post("/benefits/applications/", {"item": application.pk, "action": "approve",
                                                      f"item{application.pk}-note": "同意"})
    assert refused.status_code == 200
    assert "不能审批同一份申请" in refused.content.decode()
    approver = make_user("approver", "federation_officer", [areas["city"]])
    client.force_login(approver)
    client.post("/benefits/applications/", {"item": application.pk, "action": "approve",
                                            f"item{application.pk}-note": "同意"})
    assert Entitlement.objects.get().person == zhang


def test_rejection_without_a_reason_shows_the_error_at_its_row(client, officer, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    _apply(client, zhang)
    application = Application.objects.get()
    client.force_login(officer)
    response = client.post("/benefits/applications/", {"item": application.pk, "action": "reject",
                                                       f"item{application.pk}-note": ""})
    assert response.status_code == 200
    assert _title(response).startswith("错误：")
    assert f'href="#id_item{application.pk}-note"' in response.content.decode()
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_worklist_shows_only_the_users_areas(client, dongcheng_officer, beijiang_officer, zhang):
    client.force_login(beijiang_officer)
    _apply(client, zhang)
    client.force_login(dongcheng_officer)
    assert "张三丰" not in client.get("/benefits/applications/").content.decode()
    application = Application.objects.get()
    response = client.post("/benefits/applications/", {"item": application.pk, "action": "review",
                                                       f"item{application.pk}-note": "同意"})
    assert response.status_code == 404


def test_coverage_lists_eligible_persons_without_benefit_or_application(client, beijiang_officer, dongcheng_officer,
                                                                       officer, areas, zhang):
    from datetime import date

    from canlian.registry.models import AssistanceStatus

    AssistanceStatus.objects.create(person=zhang, kind="dibao", started_on=date(2024, 1, 1), started_by="test")
    client.force_login(beijiang_officer)
    page = client.get("/benefits/coverage/?scheme=living_allowance").content.decode()
    assert "困难残疾人生活补贴（1）" in page and "张三丰" in page
    assert "重度残疾人护理补贴（1）" in page, "grade 1: nursing allowance too"
    _apply(client, zhang, Scheme.LIVING_ALLOWANCE)
    page = client.get("/benefits/coverage/?scheme=living_allowance").content.decode()
    assert "困难残疾人生活补贴（0）" in page, "an application in progress closes the gap"
    client.force_login(dongcheng_officer)
    assert "张三丰" not in client.get("/benefits/coverage/?scheme=nursing_allowance").content.decode()


# --- supporting documents (申请材料) --------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(name, content, kind="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=kind)


def test_documents_are_kept_with_the_application_and_opened_only_in_scope_with_a_log(
        client, beijiang_officer, dongcheng_officer, zhang, media):
    client.force_login(beijiang_officer)
    response = client.post(f"/benefits/persons/{zhang.pk}/apply/", {
        "scheme": Scheme.NURSING_ALLOWANCE, "documents": [_upload("残疾人证.pdf", PDF), _upload("户口簿.png", PNG)]})
    assert response.status_code == 302
    documents = list(Application.objects.get().documents.order_by("pk"))
    # A PDF is kept as sent; an image is saved again without its metadata, so its size is the new file's.
    assert [(d.name, d.content_type) for d in documents] == [("残疾人证.pdf", "application/pdf"), ("户口簿.png", "image/png")]
    assert documents[0].size == len(PDF) and documents[1].size == documents[1].file.size
    assert not documents[0].file.name.endswith("残疾人证.pdf")  # stored under a random name
    assert "残疾人证.pdf" in client.get("/benefits/applications/").content.decode()
    response = client.get(f"/benefits/documents/{documents[0].pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW, person=zhang, detail__contains="残疾人证.pdf").exists()
    client.force_login(dongcheng_officer)
    assert client.get(f"/benefits/documents/{documents[0].pk}/").status_code == 404


@pytest.mark.parametrize(("name", "content", "message"), [
    ("证明.pdf", b"MZ\x90\x00 this is a program", "不是 PDF、JPEG 或 PNG 文件"),
    ("证明.html", b"<script>alert(1)</script>", "不是 PDF、JPEG 或 PNG 文件"),
    ("空.pdf", b"", "是空文件"),
])
def test_a_document_that_is_not_a_scan_refuses_the_application_at_the_field(client, beijiang_officer, zhang, media,
                                                                           name, content, message):
    client.force_login(beijiang_officer)
    response = client.post(f"/benefits/persons/{zhang.pk}/apply/", {
        "scheme": Scheme.NURSING_ALLOWANCE, "documents": [_upload("残疾人证.pdf", PDF), _upload(name, content)]})
    html = response.content.decode()
    assert response.status_code == 200 and _title(response).startswith("错误：")
    assert message in html
    assert not Application.objects.exists()
    assert not any(media.rglob("*.pdf")) if media.exists() else True


def test_a_document_over_the_size_limit_is_refused(client, beijiang_officer, zhang, media, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    client.force_login(beijiang_officer)
    response = client.post(f"/benefits/persons/{zhang.pk}/apply/", {
        "scheme": Scheme.NURSING_ALLOWANCE, "documents": [_upload("大.pdf", PDF + b"0" * 2048)]})
    assert "的上限：请压缩后再上传" in response.content.decode()
    assert not Application.objects.exists()


# --- the lists with amounts (享受名单) ----------------------------------------------------------------------


def test_the_yearly_schemes_have_a_list_with_amounts_and_its_export_is_logged(client, officer, zhang):
    client.force_login(officer)
    html = client.get("/benefits/lists/?scheme=accident_insurance").content.decode()
    assert "残疾人意外伤害保险：1 人" in html and "未设定标准" in html and zhang.id_number not in html
    Standard.objects.create(scheme=Scheme.ACCIDENT_INSURANCE, effective_from=date(2020, 1, 1),
                            amount=Decimal("50.00"), period="year", source="保险合同")
    assert "合计 50.00 元" in client.get("/benefits/lists/?scheme=accident_insurance").content.decode()
    response = client.post("/benefits/lists/?scheme=accident_insurance")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert rows.to_python()[1][1:5] == ["张三丰", zhang.id_number, "北疆社区", "50.00"]
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, detail__contains="残疾人意外伤害保险").exists()
