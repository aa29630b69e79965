"""The portal's pages with a browser's requests: register, sign in, apply in four steps, follow the application
through the officers' review and approval, withdraw; who may see what; the public certificate check; and the
officers' page that confirms authorisations."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from canlian.accounts.models import Proxy
from canlian.audit.models import AccessLog
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Application, Entitlement
from canlian.portal import services
from canlian.portal.models import ResidentAccount
from canlian.portal.sms import outbox_last
from canlian.portal.tests.factories import code_sent_to, make_resident, portal_login, resident_client_login
from canlian.registry.tests.factories import PASSWORD, make_certificate, make_id, make_person

NURSING = f"benefit:{Scheme.NURSING_ALLOWANCE}"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the certificate check counts requests per address in the cache


@pytest.fixture
def zhang(officer, areas):
    """张三丰 of 北疆社区, his own phone on file, a grade-1 card: he may apply for the nursing allowance."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", phone="13900000001")
    make_certificate(person=person, by=officer, category=4, grade=1)
    return person


@pytest.fixture
def wang(officer, areas):
    person = make_person(by=officer, area=areas["dongcheng"], name="王芳", birth=date(1975, 6, 7), sequence=24,
                         phone="13900000024")
    make_certificate(person=person, by=officer, category=4, grade=1)
    return person


@pytest.fixture
def resident(zhang):
    """张三丰's own account: his file is linked and confirmed (the phone is the one on file)."""
    return make_resident(id_number=zhang.id_number, name="张三丰", phone="13900000001")


@pytest.fixture
def other_resident(wang):
    return make_resident(id_number=wang.id_number, name="王芳", phone="13900000024")


def _html(response) -> str:
    return response.content.decode()


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", _html(response), re.S).group(1).strip()


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"
    exif[0x0110] = "P60 Pro"
    out = BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def _file(name: str, content: bytes, kind: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


def _staged(data_dir) -> list:
    folder = data_dir / "portal-staging"
    return sorted(folder.iterdir()) if folder.exists() else []


def _journey(client, person) -> dict:
    return client.session.get(f"portal_apply_{person.pk}", {})


def _apply_until_documents(client, person):
    response = client.post(f"/portal/me/persons/{person.pk}/apply/", {"what": NURSING})
    assert response.status_code == 302 and response.url == f"/portal/me/persons/{person.pk}/apply/documents/"


def _submit_online(client, person, documents=()) -> Application:
    """The four steps with the given documents; returns the application made."""
    _apply_until_documents(client, person)
    if documents:
        client.post(f"/portal/me/persons/{person.pk}/apply/documents/", {"documents": list(documents),
                                                                          "action": "add"})
    client.post(f"/portal/me/persons/{person.pk}/apply/documents/", {"action": "next"})
    client.post(f"/portal/me/persons/{person.pk}/apply/note/", {"note": ""})
    response = client.post(f"/portal/me/persons/{person.pk}/apply/check/")
    assert response.status_code == 302, _html(response)
    return Application.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


# --- registering and signing in (注册、登录) ----------------------------------------------------------------------


def test_registration_in_two_steps_links_the_file_and_signs_the_resident_in(client, zhang):
    assert client.get("/portal/register/").status_code == 200
    typed = "".join(chr(ord(c) + 0xFEE0) for c in zhang.id_number)  # typed on a phone's full-width keyboard
    response = client.post("/portal/register/", {"id_number": typed, "name": "张三丰", "phone": "139-0000-0001"})
    assert response.status_code == 302 and response.url == "/portal/register/code/"
    page = client.get("/portal/register/code/")
    assert "验证码已发到 13900000001" in _html(page)
    response = client.post("/portal/register/code/", {"code": code_sent_to("13900000001"), "password": PASSWORD,
                                                      "password_again": PASSWORD})
    assert response.status_code == 302 and response.url == "/portal/me/"
    me = client.get("/portal/me/")
    assert me.status_code == 200
    html = _html(me)
    assert "张三丰，您好" in html and "注册成功" in html and "已确认" in html
    account = ResidentAccount.objects.get()
    assert (account.id_number, account.phone) == (zhang.id_number, "13900000001")
    assert Proxy.objects.get(resident=account.user).state == Proxy.State.CONFIRMED
    assert "portal_signup" not in client.session


def test_registration_errors_are_shown_at_their_fields_in_chinese(client, db):
    good = make_id()
    response = client.post("/portal/register/", {"id_number": good[:17] + ("1" if good[17] == "0" else "0"),
                                                 "name": "<script>alert(1)</script>", "phone": "12345"})
    assert response.status_code == 400 and _title(response).startswith("错误：")
    html = _html(response)
    assert "身份证号校验位错误" in html and 'href="#id_id_number"' in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "portal_signup" not in client.session


def test_a_hostile_name_is_refused_and_shown_back_escaped(client, db):
    response = client.post("/portal/register/", {"id_number": make_id(), "name": "<script>alert(1)</script>",
                                                 "phone": "13900000009"})
    assert response.status_code == 400
    html = _html(response)
    assert "姓名只能包含汉字、蒙古文、字母、空格和间隔号" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert outbox_last("13900000009") is None


def test_registration_refuses_a_taken_id_number_or_phone(client, resident, zhang):
    response = client.post("/portal/register/", {"id_number": zhang.id_number, "name": "张三丰",
                                                 "phone": "13900000009"})
    assert response.status_code == 400 and "这个身份证号已注册" in _html(response)
    response = client.post("/portal/register/", {"id_number": make_id(sequence=13), "name": "李四",
                                                 "phone": "13900000001"})
    assert response.status_code == 400 and "这个手机号已注册" in _html(response)
    assert ResidentAccount.objects.count() == 1


def test_step_two_refuses_mismatched_passwords_a_weak_one_and_a_wrong_code(client, db):
    client.post("/portal/register/", {"id_number": make_id(), "name": "张三丰", "phone": "13900000009"})
    code = code_sent_to("13900000009")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/portal/register/code/", {"code": code, "password": PASSWORD, "password_again": "x"})
    assert response.status_code == 400 and "两次输入的密码不一致" in _html(response)
    response = client.post("/portal/register/code/", {"code": code, "password": "abc12345",
                                                      "password_again": "abc12345"})
    assert response.status_code == 400 and 'id="id_password-error"' in _html(response)
    response = client.post("/portal/register/code/", {"code": wrong, "password": PASSWORD,
                                                      "password_again": PASSWORD})
    assert response.status_code == 400 and "验证码不正确，还可以再试 4 次" in _html(response)
    assert not ResidentAccount.objects.exists()
    response = client.post("/portal/register/code/", {"code": code, "password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302 and ResidentAccount.objects.exists()


def test_step_two_without_step_one_goes_back_to_it(client, db):
    assert client.get("/portal/register/code/").url == "/portal/register/"


def test_asking_for_the_code_again_within_a_minute_says_how_long_to_wait(client, db):
    client.post("/portal/register/", {"id_number": make_id(), "name": "张三丰", "phone": "13900000009"})
    response = client.post("/portal/register/code/", {"action": "resend"})
    assert response.status_code == 200
    assert re.search(r"验证码已发送，请 \d+ 秒后再重新获取", _html(response))


def test_sign_in_with_the_phone_or_the_id_number_typed_full_width(client, resident):
    response = portal_login(client, "139 0000 0001")
    assert response.status_code == 302 and response.url == "/portal/me/"
    client.post("/portal/logout/")
    assert client.get("/portal/me/").status_code == 302
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in resident.username)
    response = portal_login(client, full_width)
    assert response.status_code == 302 and response.url == "/portal/me/"
    assert client.get("/portal/me/").status_code == 200


def test_a_wrong_password_is_refused_with_the_chinese_message(client, resident):
    response = portal_login(client, "13900000001", "not-the-password")
    assert response.status_code == 400
    assert "身份证号（或手机号）或密码不正确" in _html(response)
    assert client.get("/portal/me/").status_code == 302


def test_a_staff_account_is_sent_to_the_staff_login(client, officer):
    response = portal_login(client, "officer")
    assert response.status_code == 400
    assert "这是工作人员账号，请从工作人员入口登录" in _html(response)
    assert "_auth_user_id" not in client.session


def test_a_resident_is_sent_to_the_portal_login_from_the_staff_login(client, resident):
    response = client.post("/accounts/login/", {"username": resident.username, "password": PASSWORD})
    assert response.status_code in (200, 400)
    assert "这是居民账户：请从“网上办事”登录" in _html(response)
    assert "_auth_user_id" not in client.session


def test_a_resident_on_the_staff_workbench_is_sent_to_the_portal(client, resident):
    resident_client_login(client, resident)
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/portal/"


def test_a_forgotten_password_is_reset_with_a_code_to_the_registered_phone(client, resident):
    response = client.post("/portal/password/", {"phone": "13900000001"})
    assert response.status_code == 302 and response.url == "/portal/password/code/"
    response = client.post("/portal/password/code/", {"code": code_sent_to("13900000001"),
                                                      "password": "New-password-42", "password_again": "New-password-42"})
    assert response.status_code == 302 and response.url == "/portal/login/"
    assert portal_login(client, "13900000001", "New-password-42").status_code == 302


def test_a_reset_for_an_unregistered_phone_looks_the_same_and_sends_nothing(client, db):
    response = client.post("/portal/password/", {"phone": "13900000007"})
    assert response.status_code == 302 and response.url == "/portal/password/code/"
    assert outbox_last("13900000007") is None


def test_continue_using_only_returns_to_a_portal_page(client, resident):
    resident_client_login(client, resident)
    assert client.post("/portal/session/extend/", {"next": "/portal/me/messages/"}).url == "/portal/me/messages/"
    assert client.post("/portal/session/extend/", {"next": "https://evil.example/"}).url == "/portal/"
    assert client.post("/portal/session/extend/", {"next": "//evil.example/portal/"}).url == "/portal/"


def test_logout_needs_a_post(client, resident):
    resident_client_login(client, resident)
    assert client.get("/portal/logout/").status_code == 405
    assert client.get("/portal/me/").status_code == 200


# --- applying online (网上申请) -------------------------------------------------------------------------------------


def test_the_whole_application_from_the_portal_to_the_officers_worklist_and_back(
        client, resident, zhang, beijiang_officer, officer, data_dir):
    resident_client_login(client, resident)
    assert client.get(f"/portal/me/persons/{zhang.pk}/apply/").status_code == 200
    # 1 what
    _apply_until_documents(client, zhang)
    # 2 documents: a photo with EXIF and a PNG, uploaded, then continue
    photo = _jpeg_with_exif()
    assert b"HUAWEI" in photo
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {
        "documents": [_file("身份证.jpg", photo, "image/jpeg"), _file("户口簿.png", _png())], "action": "add"})
    assert response.status_code == 302 and response.url == f"/portal/me/persons/{zhang.pk}/apply/documents/"
    assert [d["name"] for d in _journey(client, zhang)["documents"]] == ["身份证.jpg", "户口簿.png"]
    assert len(_staged(data_dir)) == 2
    page = _html(client.get(f"/portal/me/persons/{zhang.pk}/apply/documents/"))
    assert "身份证.jpg" in page and "户口簿.png" in page
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {"action": "next"})
    assert response.url == f"/portal/me/persons/{zhang.pk}/apply/note/"
    # 3 note
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/note/", {"note": "白天请打电话"})
    assert response.url == f"/portal/me/persons/{zhang.pk}/apply/check/"
    # 4 check, then submit
    check = _html(client.get(f"/portal/me/persons/{zhang.pk}/apply/check/"))
    assert "重度残疾人护理补贴" in check and "身份证.jpg" in check and "白天请打电话" in check
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/check/")
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == f"/portal/me/applications/{application.pk}/"
    assert (application.person, application.submitted_by, application.state) == (
        zhang, resident, Application.State.SUBMITTED)
    assert application.note == "网上申请：白天请打电话"
    assert _staged(data_dir) == [] and f"portal_apply_{zhang.pk}" not in client.session
    assert AccessLog.objects.filter(user=resident, person=zhang, action=AccessLog.Action.EDIT).exists()
    # The receipt
    receipt = _html(client.get(response.url))
    reference = re.search(r"SQ\d{14,}", receipt).group(0)
    assert reference == f"SQ{timezone.localdate():%Y%m%d}{application.pk:06d}"
    assert "已提交，待社区审核" in receipt
    # The stored photo has lost its EXIF; the PNG is still a PNG
    documents = list(application.documents.order_by("pk"))
    assert [(d.name, d.content_type) for d in documents] == [("身份证.jpg", "image/jpeg"), ("户口簿.png", "image/png")]
    with documents[0].file.open("rb") as stored:
        content = stored.read()
    assert b"HUAWEI" not in content
    assert not Image.open(BytesIO(content)).getexif()
    # The same application on the officers' worklist
    client.force_login(officer)
    worklist = _html(client.get("/benefits/applications/"))
    assert "张三丰" in worklist and "身份证.jpg" in worklist and f'value="{application.pk}"' in worklist
    # Reviewed by the community, approved by a federation officer
    client.force_login(beijiang_officer)
    client.post("/benefits/applications/", {"item": application.pk, "action": "review",
                                            f"item{application.pk}-note": "材料齐全"})
    client.force_login(officer)
    client.post("/benefits/applications/", {"item": application.pk, "action": "approve",
                                            f"item{application.pk}-note": "同意"})
    entitlement = Entitlement.objects.get(application=application)
    # Back to the resident: approved, paid monthly from the month
    resident_client_login(client, resident)
    page = _html(client.get(f"/portal/me/applications/{application.pk}/"))
    assert "已批准" in page
    assert f"从 {entitlement.starts_on.year}年{entitlement.starts_on.month}月 起按月发放" in page
    assert "社区审核通过：材料齐全" in page and "beijiang" not in page and "撤回申请" not in page


def test_messages_list_the_officers_steps_and_are_marked_read(client, resident, zhang, beijiang_officer, officer):
    resident_client_login(client, resident)
    application = _submit_online(client, zhang)
    assert "条新消息" not in _html(client.get("/portal/me/"))  # one's own submission is not news
    client.force_login(beijiang_officer)
    client.post("/benefits/applications/", {"item": application.pk, "action": "review",
                                            f"item{application.pk}-note": "请补充户口簿"})
    resident_client_login(client, resident)
    assert "您有 1 条新消息" in _html(client.get("/portal/me/"))
    page = _html(client.get("/portal/me/messages/"))
    assert "社区已审核，待残联审批" in page and "社区审核通过：请补充户口簿" in page and "社区专职委员" in page
    assert "已提交，待社区审核" not in page
    assert '<span class="tag">新</span>' in page
    assert "条新消息" not in _html(client.get("/portal/me/"))
    assert '<span class="tag">新</span>' not in _html(client.get("/portal/me/messages/"))


def test_an_open_application_is_withdrawn_with_a_reason(client, resident, zhang):
    resident_client_login(client, resident)
    application = _submit_online(client, zhang)
    response = client.post(f"/portal/me/applications/{application.pk}/", {"action": "withdraw", "reason": ""})
    assert response.status_code == 400 and "请填写撤回原因" in _html(response)
    response = client.post(f"/portal/me/applications/{application.pk}/", {"action": "withdraw", "reason": "不需要了"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.reason) == (Application.State.WITHDRAWN, "不需要了")
    page = _html(client.get(f"/portal/me/applications/{application.pk}/"))
    assert "已撤回" in page and "撤回：不需要了" in page
    assert 'value="withdraw"' not in page


def test_a_second_open_application_for_the_same_scheme_is_refused_on_the_check_page(client, resident, zhang):
    resident_client_login(client, resident)
    _submit_online(client, zhang)
    _apply_until_documents(client, zhang)
    client.post(f"/portal/me/persons/{zhang.pk}/apply/note/", {"note": ""})
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/check/")
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert "正在办理" in _html(response)
    assert Application.objects.count() == 1


@pytest.mark.parametrize(("files", "message"), [
    ([("setup.png", b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode")],
     "“setup.png”不是 PDF、JPEG 或 PNG 文件（按文件内容判断）"),
    ([("户口簿.png", None), ("setup.png", b"MZ\x90\x00\x03\x00\x00\x00 program")], "不是 PDF、JPEG 或 PNG 文件"),
    ([("空.pdf", b"")], "是空文件"),
])
def test_a_document_that_is_not_a_scan_is_refused_and_nothing_is_staged(client, resident, zhang, data_dir, files,
                                                                        message):
    resident_client_login(client, resident)
    _apply_until_documents(client, zhang)
    uploads = [_file(name, content if content is not None else _png()) for name, content in files]
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {"documents": uploads,
                                                                                "action": "add"})
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert message in _html(response)
    assert _journey(client, zhang)["documents"] == []
    assert _staged(data_dir) == []


def test_more_than_ten_documents_are_refused(client, resident, zhang, data_dir):
    resident_client_login(client, resident)
    _apply_until_documents(client, zhang)
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {
        "documents": [_file(f"第{n}页.pdf", PDF, "application/pdf") for n in range(11)], "action": "add"})
    assert response.status_code == 400 and "一份申请最多上传 10 个材料" in _html(response)
    assert _staged(data_dir) == []
    for batch in (range(6), range(6, 10)):
        client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {
            "documents": [_file(f"第{n}页.pdf", PDF, "application/pdf") for n in batch], "action": "add"})
    assert len(_journey(client, zhang)["documents"]) == 10
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {
        "documents": [_file("第11页.pdf", PDF, "application/pdf")], "action": "add"})
    assert response.status_code == 400 and "一份申请最多上传 10 个材料" in _html(response)
    assert len(_staged(data_dir)) == 10


def test_a_staged_document_can_be_removed(client, resident, zhang, data_dir):
    resident_client_login(client, resident)
    _apply_until_documents(client, zhang)
    client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {
        "documents": [_file("a.pdf", PDF, "application/pdf"), _file("b.pdf", PDF, "application/pdf")],
        "action": "add"})
    first = _journey(client, zhang)["documents"][0]
    client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {"remove": first["token"]})
    assert [d["name"] for d in _journey(client, zhang)["documents"]] == ["b.pdf"]
    assert len(_staged(data_dir)) == 1
    client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {"remove": "../../secret_key"})
    assert len(_journey(client, zhang)["documents"]) == 1


def test_a_corrupt_image_is_refused_when_it_is_uploaded(client, resident, zhang, data_dir):
    resident_client_login(client, resident)
    _apply_until_documents(client, zhang)
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {
        "documents": [_file("坏.jpg", b"\xff\xd8\xff\xe0" + b"broken" * 20, "image/jpeg")], "action": "next"})
    assert response.status_code == 400 and "“坏.jpg”无法作为图片打开" in _html(response)
    assert _journey(client, zhang)["documents"] == [] and not _staged(data_dir)


def test_the_later_steps_without_the_first_go_back_to_it(client, resident, zhang):
    resident_client_login(client, resident)
    for step in ("documents/", "note/", "check/"):
        response = client.get(f"/portal/me/persons/{zhang.pk}/apply/{step}")
        assert response.status_code == 302 and response.url == f"/portal/me/persons/{zhang.pk}/apply/"


def test_a_scheme_not_offered_online_is_refused_at_the_first_step(client, resident, zhang):
    resident_client_login(client, resident)
    response = client.post(f"/portal/me/persons/{zhang.pk}/apply/", {"what": f"benefit:{Scheme.ACCIDENT_INSURANCE}"})
    assert response.status_code == 400 and "请选择要办理的事项" in _html(response)


# --- who may see what -------------------------------------------------------------------------------------------


def test_another_resident_gets_404_for_someone_elses_application_and_file(client, resident, other_resident, zhang,
                                                                          wang):
    resident_client_login(client, resident)
    mine = _submit_online(client, zhang)
    resident_client_login(client, other_resident)
    assert client.get(f"/portal/me/persons/{wang.pk}/").status_code == 200  # their own
    for url in (f"/portal/me/applications/{mine.pk}/", f"/portal/me/persons/{zhang.pk}/",
                f"/portal/me/persons/{zhang.pk}/apply/", f"/portal/me/persons/{zhang.pk}/apply/check/",
                "/portal/me/applications/999999/", "/portal/me/persons/999999/",
                "/portal/me/applications/99999999999999999999/", "/portal/me/persons/99999999999999999999/",
                "/portal/me/persons/9223372036854775808/apply/"):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/portal/me/applications/{mine.pk}/", {"action": "withdraw", "reason": "恶意撤回"})
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.state == Application.State.SUBMITTED
    assert not AccessLog.objects.filter(user=other_resident, person=zhang).exists()


def test_a_resident_cannot_revoke_anothers_authorisation(client, resident, other_resident):
    proxy = Proxy.objects.get(resident=resident)
    resident_client_login(client, other_resident)
    assert client.post(f"/portal/me/proxies/{proxy.pk}/revoke/").status_code == 404
    assert client.post("/portal/me/proxies/99999999999999999999/revoke/").status_code == 404
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.CONFIRMED


def test_a_resident_revokes_their_own_authorisation_and_loses_the_file(client, resident, zhang):
    resident_client_login(client, resident)
    proxy = Proxy.objects.get(resident=resident)
    assert client.post(f"/portal/me/proxies/{proxy.pk}/revoke/").status_code == 302
    assert "已解除" in _html(client.get("/portal/me/"))
    assert client.get(f"/portal/me/persons/{zhang.pk}/").status_code == 404


@pytest.mark.parametrize("staff", ["officer", "beijiang_officer", "leader", "admin_user"])
def test_staff_get_403_on_the_residents_pages(request, client, zhang, resident, staff):
    resident_client_login(client, resident)
    application = _submit_online(client, zhang)
    client.force_login(request.getfixturevalue(staff))
    for url in ("/portal/me/", "/portal/me/messages/", f"/portal/me/persons/{zhang.pk}/",
                f"/portal/me/persons/{zhang.pk}/apply/", f"/portal/me/applications/{application.pk}/",
                "/portal/me/proxies/new/"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("url", ["/portal/me/", "/portal/me/messages/", "/portal/me/persons/1/",
                                 "/portal/me/applications/1/", "/portal/me/proxies/new/"])
def test_anonymous_visitors_are_sent_to_the_portal_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"/portal/login/?next={url}"


def test_after_signing_in_the_resident_returns_to_the_page_asked_for(client, resident, zhang):
    response = client.post(f"/portal/login/?next=/portal/me/persons/{zhang.pk}/", {
        "username": "13900000001", "password": PASSWORD, "next": f"/portal/me/persons/{zhang.pk}/"})
    assert response.status_code == 302 and response.url == f"/portal/me/persons/{zhang.pk}/"
    response = client.post("/portal/logout/")
    response = client.post("/portal/login/", {"username": "13900000001", "password": PASSWORD,
                                              "next": "https://evil.example/"})
    assert response.url == "/portal/me/"


def test_viewing_a_file_is_in_the_access_log(client, resident, zhang):
    resident_client_login(client, resident)
    page = client.get(f"/portal/me/persons/{zhang.pk}/", REMOTE_ADDR="10.1.2.3")
    assert page.status_code == 200
    html = _html(page)
    assert "张三丰的档案" in html and zhang.id_number not in html and "有效" in html
    entry = AccessLog.objects.get(user=resident, person=zhang, action=AccessLog.Action.VIEW)
    assert entry.detail == "网上办事：查看档案"


def test_a_resident_adds_a_ward_whose_guardian_phone_is_theirs(client, officer, areas, db):
    ward = make_person(by=officer, area=areas["beijiang"], name="李小明", birth=date(2012, 3, 4), sequence=22,
                       guardian_name="李强", guardian_phone="13900000002")
    guardian = make_resident(id_number=make_id(birth=date(1982, 8, 8), sequence=31), name="李强", phone="13900000002")
    resident_client_login(client, guardian)
    response = client.post("/portal/me/proxies/new/", {"relation": "parent", "id_number": ward.id_number,
                                                       "name": "李小明"})
    assert response.status_code == 302
    assert "已确认，您现在可以为 李小明 办事" in _html(client.get("/portal/me/"))
    assert client.get(f"/portal/me/persons/{ward.pk}/").status_code == 200
    response = client.post("/portal/me/proxies/new/", {"relation": "parent", "id_number": make_id(sequence=97),
                                                       "name": "无此人"})
    assert response.status_code == 400 and "没有找到与这个身份证号和姓名相符的残疾人档案" in _html(response)


# --- the certificate check (残疾人证查验) ---------------------------------------------------------------------------


def test_the_check_shows_a_valid_card_given_its_holders_name(client, zhang):
    card = zhang.certificates.get()
    assert "没有查到" in _html(client.get("/portal/verify/", {"number": card.number, "name": "李四"}))
    response = client.get("/portal/verify/", {"number": card.number, "name": "张三丰"})
    assert response.status_code == 200
    html = _html(response)
    assert "张*丰" in html and "有效" in html and card.number in html


def test_the_check_shows_an_expired_card_as_expired(client, officer, areas):
    old = make_person(by=officer, area=areas["beijiang"], name="赵四", birth=date(1960, 1, 1), sequence=51)
    card = make_certificate(person=old, by=officer, on=date(2012, 5, 1))
    assert card.valid_until < timezone.localdate()
    html = _html(client.get("/portal/verify/", {"number": card.number, "name": "赵四"}))
    assert "赵*" in html and "过期" in html and "status--no" in html


def test_the_check_of_an_unknown_number_says_it_was_not_found(client, db):
    response = client.get("/portal/verify/", {"number": make_id(sequence=77) + "42", "name": "张三丰"})
    assert response.status_code == 200 and "没有查到与这个证号和姓名相符的残疾人证" in _html(response)


@pytest.mark.parametrize("number", ["12345", "<script>alert(1)</script>", "1525011980010101184" + "9"])
def test_the_check_of_a_malformed_number_says_why(client, db, number):
    response = client.get("/portal/verify/", {"number": number, "name": "张三丰"})
    assert response.status_code == 400
    html = _html(response)
    assert "残疾人证号应为20位" in html and "<script>alert(1)" not in html


def test_the_check_needs_no_sign_in_and_logs_no_one_in(client, zhang):
    client.get("/portal/verify/", {"number": zhang.certificates.get().number, "name": "张三丰"})
    assert "_auth_user_id" not in client.session


# --- officers confirm authorisations (授权代办确认) ----------------------------------------------------------------


@pytest.fixture
def pending(zhang, wang):
    """Two residents asking to act for 张三丰 (北疆) and 王芳 (东城) as relatives: both wait for an officer."""
    asker = make_resident(id_number=make_id(birth=date(1990, 2, 2), sequence=35), name="赵六", phone="13900000006")
    return {"beijiang": services.proxy_declare(resident=asker, id_number=zhang.id_number, name="张三丰",
                                               relation=Proxy.Relation.CHILD),
            "dongcheng": services.proxy_declare(resident=asker, id_number=wang.id_number, name="王芳",
                                                relation=Proxy.Relation.SPOUSE)}


def test_the_officer_lists_only_the_pending_authorisations_of_their_areas(client, beijiang_officer, officer, pending,
                                                                          resident):
    client.force_login(beijiang_officer)
    page = _html(client.get("/portal/staff/proxies/"))
    assert "赵六申请为张三丰办事（子女）" in page and "王芳" not in page
    assert "13900000006" in page
    assert f'value="{Proxy.objects.get(resident=resident).pk}"' not in page  # confirmed already: not listed
    client.force_login(officer)
    page = _html(client.get("/portal/staff/proxies/"))
    assert "张三丰" in page and "王芳" in page


def test_the_officer_confirms_an_authorisation(client, beijiang_officer, pending):
    proxy = pending["beijiang"]
    client.force_login(beijiang_officer)
    response = client.post("/portal/staff/proxies/", {"proxy": proxy.pk, "action": "confirm",
                                                      f"p{proxy.pk}-note": "户口簿已核"})
    assert response.status_code == 302
    proxy.refresh_from_db()
    assert (proxy.state, proxy.decided_by, proxy.note) == (Proxy.State.CONFIRMED, beijiang_officer, "户口簿已核")
    assert AccessLog.objects.filter(user=beijiang_officer, person=proxy.person, action=AccessLog.Action.EDIT).exists()
    assert "赵六申请为张三丰办事" not in _html(client.get("/portal/staff/proxies/"))


def test_a_refusal_without_a_note_is_shown_back_with_the_error(client, beijiang_officer, pending):
    proxy = pending["beijiang"]
    client.force_login(beijiang_officer)
    response = client.post("/portal/staff/proxies/", {"proxy": proxy.pk, "action": "refuse", f"p{proxy.pk}-note": ""})
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert "不予确认时请写明原因" in _html(response)
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.PENDING
    response = client.post("/portal/staff/proxies/", {"proxy": proxy.pk, "action": "refuse",
                                                      f"p{proxy.pk}-note": "请带户口簿到社区"})
    assert response.status_code == 302
    proxy.refresh_from_db()
    assert (proxy.state, proxy.note) == (Proxy.State.REFUSED, "请带户口簿到社区")


def test_an_authorisation_outside_the_officers_areas_cannot_be_decided(client, beijiang_officer, pending):
    proxy = pending["dongcheng"]
    client.force_login(beijiang_officer)
    for chosen in (proxy.pk, "abc", "99999999999999999999", ""):
        response = client.post("/portal/staff/proxies/", {"proxy": chosen, "action": "confirm"})
        assert response.status_code == 404
    proxy.refresh_from_db()
    assert proxy.state == Proxy.State.PENDING


@pytest.mark.parametrize("who", ["leader", "admin_user"])
def test_staff_who_do_not_open_files_get_403_on_the_officers_page(request, client, who, pending):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/portal/staff/proxies/").status_code == 403


def test_residents_and_visitors_do_not_reach_the_officers_page(client, resident):
    response = client.get("/portal/staff/proxies/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    resident_client_login(client, resident)
    assert client.get("/portal/staff/proxies/").status_code == 403


def test_hostile_notes_are_escaped_on_the_officers_page_and_the_residents(client, beijiang_officer, pending):
    proxy = pending["beijiang"]
    hostile = "<script>alert(1)</script>"
    client.force_login(beijiang_officer)
    response = client.post("/portal/staff/proxies/", {"proxy": proxy.pk, "action": "refuse",
                                                      f"p{proxy.pk}-note": hostile + "x" * 200})
    assert response.status_code == 400 and "最多 200 字" in _html(response)
    html = _html(response)
    assert hostile not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    client.post("/portal/staff/proxies/", {"proxy": proxy.pk, "action": "refuse", f"p{proxy.pk}-note": hostile})
    proxy.refresh_from_db()
    assert proxy.note == hostile
    resident_client_login(client, proxy.resident)
    html = _html(client.get("/portal/me/"))
    assert hostile not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_hostile_file_name_and_note_are_escaped_for_the_officers(client, resident, zhang, officer):
    hostile = '<img src=x onerror="alert(1)">'
    resident_client_login(client, resident)
    _apply_until_documents(client, zhang)
    client.post(f"/portal/me/persons/{zhang.pk}/apply/documents/", {
        "documents": [_file(hostile + ".pdf", PDF, "application/pdf")], "action": "next"})
    client.post(f"/portal/me/persons/{zhang.pk}/apply/note/", {"note": hostile})
    check = _html(client.get(f"/portal/me/persons/{zhang.pk}/apply/check/"))
    assert hostile not in check and "&lt;img src=x" in check
    client.post(f"/portal/me/persons/{zhang.pk}/apply/check/")
    assert Application.objects.get().note == "网上申请：" + hostile
    client.force_login(officer)
    worklist = _html(client.get("/benefits/applications/"))
    assert hostile not in worklist and "&lt;img src=x onerror=" in worklist


# --- issue 9: matters raised online (反映问题) -------------------------------------------------------------------


def test_a_matter_raised_online_reaches_the_officers_and_its_answer_comes_back_as_a_message(
        client, resident, zhang, beijiang_officer):
    from canlian.rights import services as rights_services
    from canlian.rights.models import Case

    resident_client_login(client, resident)
    response = client.post("/portal/me/cases/new/", {"person": zhang.pk, "kind": "help", "phone": "13900000001",
                                                     "summary": "家里轮椅坏了，请帮忙联系维修。"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/me/cases/{case.pk}/"
    assert (case.source, case.resident, case.person, case.area) == ("portal", resident, zhang, zhang.residence_area)
    rights_services.case_reply(case=case, by=beijiang_officer, replied_on=timezone.localdate(),
                               reply="已联系辅具中心上门维修。")
    html = _html(client.get("/portal/me/messages/"))
    assert "求助" in html and "已联系辅具中心上门维修。" in html


def test_a_matter_raised_for_someone_not_acted_for_is_refused_and_nothing_is_kept(client, resident, wang):
    from canlian.rights.models import Case

    resident_client_login(client, resident)
    response = client.post("/portal/me/cases/new/", {"person": wang.pk, "kind": "help", "phone": "13900000001",
                                                     "summary": "代别人反映"})
    assert response.status_code == 400 and "请选择为谁反映。" in _html(response)
    assert not Case.objects.exists()


def test_a_revoked_authorisation_ends_what_the_resident_sees_of_the_matters_raised(client, resident, zhang):
    from canlian.portal import services as portal_services
    from canlian.rights import services as rights_services

    case = rights_services.case_open(by=resident, kind="consultation", source="portal",
                                     received_on=timezone.localdate(), person=zhang, summary="咨询护理补贴")
    resident_client_login(client, resident)
    assert client.get(f"/portal/me/cases/{case.pk}/").status_code == 200
    portal_services.proxy_revoke(proxy=resident.proxies.get(), by=resident)
    assert client.get(f"/portal/me/cases/{case.pk}/").status_code == 404


def test_five_matters_a_day_then_the_hotline(client, resident, zhang):
    from canlian.rights.models import Case

    resident_client_login(client, resident)
    for n in range(6):
        response = client.post("/portal/me/cases/new/", {"person": zhang.pk, "kind": "consultation",
                                                         "phone": "13900000001", "summary": f"咨询第 {n + 1} 件事"})
    assert response.status_code == 400 and "12385" in _html(response)
    assert Case.objects.count() == 5
