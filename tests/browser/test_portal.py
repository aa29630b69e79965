"""The public portal (网上办事) in a real browser — issue 8's acceptance.

A mother registers, asks to act for her son, an officer confirms the relationship, she applies for 重度残疾人护理补贴
for him with a document, and once the community has reviewed it and a federation officer approved it she sees the
approval, the first month and a message: every step on her side by keyboard alone, axe on every state. Then the same
pages in elder mode; every form's error state; small screens and 200% zoom; the pages without JavaScript; 朗读本页 and
the session notice; and another resident's data answering 404. Then the later pages: a service asked for, a lost
card reported and closed by the officer, an assessment and first card, a contact correction, an answer to a request
for more information, and a validity proof checked on the public page — each by keyboard, and in elder mode.
"""

import re
from datetime import date
from io import BytesIO
from urllib.parse import urlencode, urlparse

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from canlian.accounts.models import Proxy
from canlian.benefits import services as benefit_services
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Application, Entitlement
from canlian.portal import services as portal_services
from canlian.portal.models import ResidentAccount
from canlian.portal.tests.factories import code_sent_to, make_resident
from canlian.registry import services as registry_services
from canlian.registry.models import CertificateRequest
from canlian.registry.proofs import proof_token
from canlian.registry.tests.factories import make_certificate, make_id, make_person
from canlian.services.models import Need
from tests.browser.conftest import (
    TIMEOUT_MS,
    assert_accessible,
    assert_error_page_state,
    elder_toggle,
    login,
    screenshot,
    switch_user,
    ten_years_ago_plus,
)
from tests.browser.test_elder_mode import too_small

MOTHER = {"name": "刘桂芳", "id_number": make_id(date(1976, 4, 5), 22), "phone": "13912340001"}
MOTHER_PASSWORD = "Spring-rain-2024"
SON_NAME = "王小明"


def _png() -> bytes:
    """A small real picture (a phone photo of a page, as far as the checks go): decoded and saved again on submit."""
    out = BytesIO()
    Image.new("RGB", (40, 30), (230, 230, 220)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS"
REFERENCE = re.compile(r"SQ\d{8}\d{6,}")


# --- data -----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """The SMS outbox, the staged uploads and the stored documents in a folder of this test's own (the live server
    runs in this process, so it writes there too): no test reads another's codes."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def son(areas, officer):
    """王小明 of 北疆社区, intellectual disability grade 2; his file names no guardian phone, so an authorisation
    for him waits for an officer."""
    person = make_person(by=officer, area=areas["beijiang"], name=SON_NAME, birth=date(2004, 6, 1), sequence=31)
    make_certificate(person=person, by=officer, category=5, grade=2, on=date(2024, 3, 1))
    return person


@pytest.fixture
def mother(son, beijiang_officer):
    """刘桂芳's account, opened through the real registration services, acting for her son (confirmed)."""
    user = make_resident(id_number=MOTHER["id_number"], name=MOTHER["name"], phone=MOTHER["phone"],
                         password=MOTHER_PASSWORD)
    proxy = portal_services.proxy_declare(resident=user, id_number=son.id_number, name=son.name,
                                          relation=Proxy.Relation.PARENT)
    portal_services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=True)
    return user


@pytest.fixture
def neighbour(areas, officer):
    """Another resident, 赵建国, acting for himself: his own file, card and an application of his."""
    person = make_person(by=officer, area=areas["beijiang"], name="赵建国", birth=date(1965, 9, 9), sequence=51,
                         phone="13912340051")
    make_certificate(person=person, by=officer, category=4, grade=1, on=date(2023, 1, 10))
    user = make_resident(id_number=person.id_number, name=person.name, phone="13912340051")
    application = benefit_services.application_submit(person=person, scheme=Scheme.NURSING_ALLOWANCE, by=user,
                                                      note="网上申请")
    return {"person": person, "user": user, "application": application}


# --- keyboard helpers -----------------------------------------------------------------------------


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, *, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab (or another key) until the element the locator names has the focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        if is_focused(locator):
            return
    active = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{locator} not reached with {key} after {limit} presses; focus is on {active}")


def type_into(page, locator, text: str) -> None:
    """Tab to a text field and type, replacing what it held."""
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_and_wait(page, key: str = "Enter") -> None:
    """A key that submits a form or follows a link: wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def activate(page, locator, key: str = "Enter") -> None:
    tab_to(page, locator)
    press_and_wait(page, key)


def button(page, name: str):
    return page.locator("main").get_by_role("button", name=name, exact=True)


def follow(page, locator) -> None:
    """Click a link and wait for its page."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state()


def submit(page, name: str) -> None:
    """Press a form's button (the mouse is fine outside the keyboard journey) and wait for the page it leads to."""
    with page.expect_navigation():
        button(page, name).click()
    page.wait_for_load_state()


def link(page, name: str):
    return page.locator("main").get_by_role("link", name=name, exact=True)


def nav_link(page, name: str):
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=True)


def status(page):
    return page.locator("main .notice[role=status]")


def portal_login_by_keyboard(page, username: str, password: str) -> None:
    page.goto("/portal/")
    activate(page, nav_link(page, "登录"))
    expect(page).to_have_title(re.compile("^登录网上办事"))
    assert_accessible(page, state="portal login")
    type_into(page, page.locator("#id_username"), username)
    type_into(page, page.locator("#id_password"), password)
    press_and_wait(page)  # Enter in the password field submits the form
    assert page.url.endswith("/portal/me/"), page.url


def choose_file_by_keyboard(page, name: str, content: bytes, mime: str = "image/png") -> None:
    """The file input is reached with Tab and opened with Space; the chooser dialog is the operating system's, so
    the file is handed to it."""
    # Listening from before the focus gets there: Playwright turns on catching the chooser when the first listener
    # is added, and that must be in place before the key is pressed.
    page.on("filechooser", lambda chooser: None)
    chooser_input = page.locator("input[type=file]")
    tab_to(page, chooser_input)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files({"name": name, "mimeType": mime, "buffer": content})


def reference_on(page) -> str:
    return REFERENCE.search(page.locator(".panel-receipt").inner_text()).group(0)


# --- 1. issue 8's "done when", keyboard only -------------------------------------------------------


def test_a_mother_registers_acts_for_her_son_applies_and_sees_the_approval_by_keyboard_alone(
        page, son, beijiang_officer, officer):
    # The portal's home page; 注册账户 by keyboard.
    page.goto("/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾人网上办事")
    assert_accessible(page, state="portal home, signed out")
    activate(page, link(page, "注册账户"))

    # 注册 step 1: ID number, name, phone; the code goes to the phone.
    expect(page).to_have_title(re.compile("^注册账户"))
    assert_accessible(page, state="register, step 1")
    type_into(page, page.locator("#id_id_number"), MOTHER["id_number"])
    type_into(page, page.locator("#id_name"), MOTHER["name"])
    type_into(page, page.locator("#id_phone"), MOTHER["phone"])
    activate(page, button(page, "获取短信验证码"))

    # 注册 step 2: the code from the text message, the password twice.
    assert page.url.endswith("/portal/register/code/")
    expect(page.locator("main")).to_contain_text(f"验证码已发到 {MOTHER['phone']}")
    assert_accessible(page, state="register, step 2")
    type_into(page, page.locator("#id_code"), code_sent_to(MOTHER["phone"]))
    type_into(page, page.locator("#id_password"), MOTHER_PASSWORD)
    type_into(page, page.locator("#id_password_again"), MOTHER_PASSWORD)
    activate(page, button(page, "完成注册"))

    # Signed in on 我的办事, nobody to act for yet.
    assert page.url.endswith("/portal/me/")
    expect(status(page)).to_contain_text("注册成功")
    expect(page.locator("main")).to_contain_text("还没有可以办事的人")
    assert ResidentAccount.objects.get().phone == MOTHER["phone"]
    assert_accessible(page, state="me, new account")

    # 添加本人或家人: 父母 by arrow key, the son's ID number and name.
    activate(page, link(page, "添加本人或家人"))
    assert_accessible(page, state="proxy form")
    tab_to(page, page.locator("#id_relation"))  # into the radio group: its first option
    page.keyboard.press("ArrowDown")  # 本人 → 父母, chosen as it moves
    expect(page.get_by_label("父母", exact=True)).to_be_checked()
    type_into(page, page.locator("#id_id_number"), son.id_number)
    type_into(page, page.locator("#id_name"), son.name)
    activate(page, button(page, "提交"))
    assert page.url.endswith("/portal/me/")
    expect(status(page)).to_contain_text("社区工作人员核实关系后即可办理")
    card = page.locator(".card", has=page.get_by_role("heading", name=f"{SON_NAME}（父母）"))
    expect(card).to_contain_text("待工作人员确认")
    expect(card.get_by_role("link", name=f"为{SON_NAME}办事")).to_have_count(0)
    assert_accessible(page, state="me, authorisation pending")
    # Not confirmed yet: his file is not hers to see.
    response = page.goto(f"/portal/me/persons/{son.pk}/")
    assert response.status == 404
    assert_accessible(page, state="404: a person not yet confirmed")

    # The community officer of his area checks the relationship and confirms it.
    switch_user(page, beijiang_officer)
    page.goto("/portal/staff/proxies/")
    expect(page.get_by_role("heading", name=f"{MOTHER['name']}申请为{SON_NAME}办事（父母）")).to_be_visible()
    assert_accessible(page, state="staff: authorisations to confirm")
    page.get_by_role("button", name="确认关系").click()
    expect(page.get_by_role("status")).to_contain_text("已处理")
    assert Proxy.objects.get().state == Proxy.State.CONFIRMED

    # The mother signs in again (with her phone) and applies for him.
    page.context.clear_cookies()
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    card = page.locator(".card", has=page.get_by_role("heading", name=f"{SON_NAME}（父母）"))
    expect(card).to_contain_text("已确认")
    assert_accessible(page, state="me, authorisation confirmed")
    activate(page, card.get_by_role("link", name=f"为{SON_NAME}办事"))

    # Step 1: what — Space chooses the first option; the arrow keys move the choice down and back.
    expect(page).to_have_title(re.compile("^办理什么事？"))
    assert_accessible(page, state="apply: what")
    tab_to(page, page.locator("#id_what"))
    page.keyboard.press("Space")
    expect(page.get_by_label("重度残疾人护理补贴", exact=True)).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("困难残疾人生活补贴", exact=True)).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("重度残疾人护理补贴", exact=True)).to_be_checked()
    activate(page, button(page, "继续"))

    # Step 2: a document, chosen from the file input reached by Tab, uploaded, then 继续.
    expect(page).to_have_title(re.compile("^上传证明材料"))
    assert_accessible(page, state="apply: documents, none yet")
    choose_file_by_keyboard(page, "户口簿.png", PNG)
    activate(page, button(page, "上传所选文件"))
    staged = page.get_by_role("list", name="已上传")
    expect(staged).to_contain_text("户口簿.png")
    assert_accessible(page, state="apply: documents, one uploaded")
    activate(page, button(page, "继续"))

    # Step 3: a note.
    expect(page).to_have_title(re.compile("^补充说明"))
    assert_accessible(page, state="apply: note")
    type_into(page, page.locator("#id_note"), "孩子白天需要专人照护")
    activate(page, button(page, "继续"))

    # Step 4: check the answers, then submit.
    expect(page).to_have_title(re.compile("^核对您的申请"))
    answers = page.locator("dl.summary")
    expect(answers).to_contain_text(SON_NAME)
    expect(answers).to_contain_text("重度残疾人护理补贴")
    expect(answers).to_contain_text("户口簿.png")
    expect(answers).to_contain_text("孩子白天需要专人照护")
    assert_accessible(page, state="apply: check your answers")
    activate(page, button(page, "提交申请"))

    # The receipt: the reference SQ…, submitted and waiting for the community.
    application = Application.objects.get()
    assert page.url.endswith(f"/portal/me/applications/{application.pk}/")
    receipt = page.locator(".panel-receipt")
    expect(receipt.get_by_role("heading", level=1)).to_have_text("重度残疾人护理补贴")
    expect(receipt).to_contain_text("已提交，待社区审核")
    assert reference_on(page) == f"SQ{application.submitted_on:%Y%m%d}{application.pk:06d}"
    assert (application.person, application.scheme, application.documents.count()) == (
        son, Scheme.NURSING_ALLOWANCE, 1)
    assert_accessible(page, state="receipt")

    # The community officer reviews, a federation officer (another person) approves, on the benefits pages.
    switch_user(page, beijiang_officer)
    page.goto("/benefits/applications/")
    row = page.locator("tbody tr", has_text=SON_NAME)
    row.get_by_label(f"意见（{SON_NAME}）").fill("材料齐全")
    row.get_by_role("button", name="社区审核通过").click()
    expect(page.get_by_role("status")).to_contain_text("社区审核通过")
    switch_user(page, officer)
    page.goto("/benefits/applications/")
    row = page.locator("tbody tr", has_text=SON_NAME)
    row.get_by_label(f"意见（{SON_NAME}）").fill("同意")
    row.get_by_role("button", name="批准").click()
    expect(page.get_by_role("status")).to_contain_text("已批准")
    starts = Entitlement.objects.get(person=son).starts_on

    # The mother sees it: a new message on 我的办事, 已批准 and the first month on the application's page.
    page.context.clear_cookies()
    portal_login_by_keyboard(page, MOTHER["id_number"], MOTHER_PASSWORD)
    expect(page.locator("main .lead")).to_contain_text("条新消息")
    expect(page.locator("table")).to_contain_text("已批准")
    assert_accessible(page, state="me, application approved, unread messages")
    activate(page, page.locator("table").get_by_role("link", name=re.compile("^重度残疾人护理补贴")))
    expect(page.locator(".panel-receipt")).to_contain_text("已批准")
    expect(page.locator("main .notice")).to_contain_text(f"从 {starts.year}年{starts.month}月 起按月发放")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("社区审核通过：材料齐全")
    expect(timeline).to_contain_text("残联工作人员")
    expect(page.get_by_role("button", name="撤回申请")).to_have_count(0)  # no longer open
    assert_accessible(page, state="application approved")

    activate(page, nav_link(page, "消息"))
    expect(page).to_have_title(re.compile("^消息"))
    found = page.locator("main .timeline")
    expect(found).to_contain_text("已批准")
    expect(found).to_contain_text(f"重度残疾人护理补贴（{SON_NAME}）")
    expect(found.locator(".tag", has_text="新").first).to_be_visible()
    assert_accessible(page, state="messages")
    # Read now: 我的办事 no longer counts them as new.
    activate(page, nav_link(page, "我的办事"))
    expect(page.locator("main .lead")).not_to_contain_text("新消息")
    assert_accessible(page, state="me, messages read")


# --- 2. elder mode --------------------------------------------------------------------------------


def check_elder_page(page, state: str) -> None:
    """Elder mode still on, text of 18 px or more, every control 44 px or more, axe clean."""
    page.wait_for_load_state()
    assert "elder" in (page.locator("html").get_attribute("class") or "").split(), f"elder mode lost on {page.url}"
    body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_px >= 18, f"{state}: body text {body_px}px"
    assert too_small(page, 44) == [], f"{state}: controls under 44 px: {too_small(page, 44)}"
    assert_accessible(page, state=f"elder mode, {state}")


def test_the_journeys_pages_in_elder_mode(page, son, mother, officer, beijiang_officer):
    page.goto("/portal/")
    elder_toggle(page, on=True)  # once: the cookie keeps it on every page after
    check_elder_page(page, "portal home")

    # Registration's pages (another resident, as far as the code page).
    follow(page, page.get_by_role("link", name="注册账户"))
    check_elder_page(page, "register, step 1")
    page.locator("#id_id_number").fill(make_id(date(1990, 2, 2), 62))
    page.locator("#id_name").fill("陈晓")
    page.locator("#id_phone").fill("13912340062")
    submit(page, "获取短信验证码")
    expect(page).to_have_title(re.compile("^输入验证码并设置密码"))
    check_elder_page(page, "register, step 2")

    page.context.clear_cookies(name="sessionid")  # signed out; elder mode is the browser's, and stays
    page.goto("/portal/login/")
    check_elder_page(page, "login")
    page.locator("#id_username").fill(MOTHER["phone"])
    page.locator("#id_password").fill(MOTHER_PASSWORD)
    submit_login(page)
    expect(page).to_have_title(re.compile("^我的办事"))
    check_elder_page(page, "me")
    follow(page, page.get_by_role("link", name="添加本人或家人"))
    check_elder_page(page, "proxy form")
    submit(page, "提交")
    assert_error_page_state(page)
    check_elder_page(page, "proxy form, errors")
    follow(page, nav_link(page, "我的办事"))

    follow(page, page.get_by_role("link", name=f"查看{SON_NAME}的档案"))
    check_elder_page(page, "person file")
    follow(page, page.get_by_role("link", name="网上办事", exact=True))
    check_elder_page(page, "apply: what")
    page.get_by_label("重度残疾人护理补贴", exact=True).check()
    submit(page, "继续")
    check_elder_page(page, "apply: documents")
    page.locator("input[type=file]").set_input_files({"name": "户口簿.png", "mimeType": "image/png", "buffer": PNG})
    submit(page, "上传所选文件")
    expect(page.get_by_role("list", name="已上传")).to_contain_text("户口簿.png")
    check_elder_page(page, "apply: documents, one uploaded")
    submit(page, "继续")
    check_elder_page(page, "apply: note")
    submit(page, "继续")
    expect(page).to_have_title(re.compile("^核对您的申请"))
    check_elder_page(page, "apply: check")
    submit(page, "提交申请")
    expect(page.locator(".panel-receipt")).to_contain_text("已提交，待社区审核")
    check_elder_page(page, "receipt")

    application = Application.objects.get()
    benefit_services.application_review(application=application, by=beijiang_officer, note="材料齐全")
    benefit_services.application_approve(application=application, by=officer)
    page.reload()
    expect(page.locator("main .notice")).to_contain_text("起按月发放")
    check_elder_page(page, "application approved")
    follow(page, nav_link(page, "消息"))
    expect(page.locator("main .timeline")).to_contain_text("已批准")
    check_elder_page(page, "messages")
    page.goto("/portal/verify/")
    check_elder_page(page, "certificate check")


# --- 3. error states ------------------------------------------------------------------------------


def check_error_state(page, field_id: str | None, message: str, state: str) -> None:
    """The summary has the focus and says what to fix, the title starts 错误：, the summary's link (by keyboard)
    takes the focus to the field, and axe passes."""
    assert_error_page_state(page)
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(message)
    assert_accessible(page, state=f"error: {state}")
    if field_id is None:
        return
    error_link = summary.locator(f"a[href='#{field_id}']")
    expect(error_link).to_have_count(1)
    tab_to(page, error_link)
    page.keyboard.press("Enter")
    expect(page.locator(f"#{field_id}")).to_be_focused()
    field = page.locator(f"#{field_id}")
    if field.get_attribute("type") not in ("radio", "checkbox", "file"):
        assert field.get_attribute("aria-invalid") == "true"


def test_every_form_submitted_wrong_says_what_to_fix_and_takes_the_focus_there(page, son, mother):
    # 注册: an ID number whose check character is wrong.
    page.goto("/portal/register/")
    good = MOTHER["id_number"]
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    page.locator("#id_id_number").fill(wrong)
    page.locator("#id_name").fill("陈晓")
    page.locator("#id_phone").fill("13912340062")
    submit(page, "获取短信验证码")
    check_error_state(page, "id_id_number", "身份证号校验位错误", "register, ID check character")
    # Empty: every field named.
    for field in ("#id_id_number", "#id_name", "#id_phone"):
        page.locator(field).fill("")
    submit(page, "获取短信验证码")
    check_error_state(page, "id_name", "请填写姓名", "register, empty")

    # 注册 step 2: a wrong code, then passwords that differ.
    page.locator("#id_id_number").fill(make_id(date(1990, 2, 2), 62))
    page.locator("#id_name").fill("陈晓")
    page.locator("#id_phone").fill("13912340062")
    submit(page, "获取短信验证码")
    expect(page).to_have_title(re.compile("^输入验证码并设置密码"))
    right = code_sent_to("13912340062")
    page.locator("#id_code").fill("000000" if right != "000000" else "111111")
    page.locator("#id_password").fill("Autumn-leaf-77")
    page.locator("#id_password_again").fill("Autumn-leaf-77")
    submit(page, "完成注册")
    check_error_state(page, "id_code", "验证码不正确，还可以再试 4 次", "register, wrong code")
    page.locator("#id_code").fill(right)
    page.locator("#id_password").fill("Autumn-leaf-77")
    page.locator("#id_password_again").fill("Autumn-leaf-78")
    submit(page, "完成注册")
    check_error_state(page, "id_password_again", "两次输入的密码不一致", "register, passwords differ")

    # 登录 with a wrong password: the message is the form's (it does not say which of the two is wrong).
    page.context.clear_cookies()
    page.goto("/portal/login/")
    page.locator("#id_username").fill(MOTHER["phone"])
    page.locator("#id_password").fill("Wrong-password-1")
    submit_login(page)
    check_error_state(page, None, "身份证号（或手机号）或密码不正确", "login, wrong password")

    login_portal(page, MOTHER["phone"], MOTHER_PASSWORD)

    # 添加本人或家人 for a person who is not on the register.
    page.goto("/portal/me/proxies/new/")
    submit(page, "提交")
    check_error_state(page, "id_relation", "请选择您与残疾人的关系", "proxy, empty")
    page.get_by_label("子女", exact=True).check()
    page.locator("#id_id_number").fill(make_id(date(1950, 1, 1), 73))
    page.locator("#id_name").fill("不存在")
    submit(page, "提交")
    check_error_state(page, "id_id_number", "没有找到与这个身份证号和姓名相符的残疾人档案", "proxy, unknown person")

    # 办理什么事？ with nothing chosen.
    page.goto(f"/portal/me/persons/{son.pk}/apply/")
    submit(page, "继续")
    check_error_state(page, "id_what", "请选择要办理的事项", "apply, what not chosen")

    # A program renamed .png.
    page.get_by_label("重度残疾人护理补贴", exact=True).check()
    submit(page, "继续")
    page.locator("input[type=file]").set_input_files(
        {"name": "身份证.png", "mimeType": "image/png", "buffer": EXE})
    submit(page, "上传所选文件")
    check_error_state(page, "id_documents", "不是 PDF、JPEG 或 PNG 文件", "apply, not an image")

    # 撤回 without a reason: an application of her own, made here with no document.
    submit(page, "继续")
    submit(page, "继续")
    submit(page, "提交申请")
    expect(page.locator(".panel-receipt")).to_contain_text("已提交，待社区审核")
    submit(page, "撤回申请")
    check_error_state(page, "id_reason", "请填写撤回原因", "application, withdraw without a reason")
    page.locator("#id_reason").fill("孩子已入住托养机构")
    submit(page, "撤回申请")
    expect(status(page)).to_contain_text("申请已撤回")
    expect(page.locator(".panel-receipt")).to_contain_text("已撤回")

    # 查验残疾人证 with a malformed number.
    page.goto("/portal/verify/")
    page.locator("#id_number").fill("12345")
    page.locator("#id_name").fill(SON_NAME)
    submit(page, "查验")
    check_error_state(page, "id_number", "残疾人证号应为20位", "verify, malformed number")


def submit_login(page) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def login_portal(page, username: str, password: str) -> None:
    page.goto("/portal/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    submit_login(page)
    expect(page).to_have_title(re.compile("^我的办事"))


# --- 4. small screens -----------------------------------------------------------------------------

SCREENS = {
    # A phone: 320 CSS px (WCAG 1.4.10's width).
    "320px": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 1},
    # A 640 px wide window zoomed to 200%: Chromium's page zoom halves the CSS viewport and doubles
    # devicePixelRatio, media queries included; emulated exactly so, not with CSS zoom (which leaves the viewport,
    # the media queries and window.innerWidth as they were).
    "640px-window-at-200%": {"viewport": {"width": 320, "height": 400}, "device_scale_factor": 2},
    # A 1280 px desktop window at 200%: a 640 CSS px viewport at twice the pixel ratio.
    "1280px-window-at-200%": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}


def no_sideways_scrolling(page, where: str) -> None:
    page.wait_for_load_state()
    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    screenshot(page, "portal " + where.replace("%", "pc"), full_page=True)
    assert widths["scroll"] <= widths["inner"], f"{where}: scrolls sideways ({widths})"


@pytest.fixture
def new_page(browser, live_server):
    """Pages in browser contexts of other sizes or settings (the `page` fixture's is 1280 px with JavaScript), each
    allowed to talk only to the live server, as there."""
    contexts, outside = [], []
    allowed = urlparse(live_server.url).netloc

    def only_live_server(route):
        url = urlparse(route.request.url)
        if url.scheme in {"http", "https"} and url.netloc != allowed:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", only_live_server)
        contexts.append(context)
        found = context.new_page()
        found.errors = []
        found.on("pageerror", lambda error: found.errors.append(str(error)))
        return found

    yield make
    for context in contexts:
        context.close()
    assert not outside, f"the page asked for resources outside the live server: {outside}"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_sideways_scrolling_on_small_screens_and_at_200_percent(new_page, screen, son, mother):
    page = new_page(**SCREENS[screen])
    assert page.evaluate("window.devicePixelRatio") == SCREENS[screen]["device_scale_factor"]
    page.goto("/portal/")
    no_sideways_scrolling(page, f"{screen} home")
    page.goto("/portal/login/")
    no_sideways_scrolling(page, f"{screen} login")
    page.locator("#id_username").fill(MOTHER["phone"])
    page.locator("#id_password").fill(MOTHER_PASSWORD)
    submit_login(page)
    expect(page).to_have_title(re.compile("^我的办事"))
    no_sideways_scrolling(page, f"{screen} me")

    page.goto(f"/portal/me/persons/{son.pk}/apply/")
    page.get_by_label("重度残疾人护理补贴", exact=True).check()
    submit(page, "继续")
    page.locator("input[type=file]").set_input_files(
        {"name": "居民户口簿首页及本人页扫描件.png", "mimeType": "image/png", "buffer": PNG})
    submit(page, "继续")
    page.locator("#id_note").fill("孩子白天需要专人照护")
    submit(page, "继续")
    expect(page).to_have_title(re.compile("^核对您的申请"))
    no_sideways_scrolling(page, f"{screen} check your answers")
    submit(page, "提交申请")
    expect(page.locator(".panel-receipt")).to_contain_text("已提交，待社区审核")
    no_sideways_scrolling(page, f"{screen} receipt")
    page.goto("/portal/me/")
    expect(page.locator("table")).to_contain_text("重度残疾人护理补贴")
    no_sideways_scrolling(page, f"{screen} me with an application")
    assert page.errors == []


# --- 5. without JavaScript ------------------------------------------------------------------------


def assert_enhancements_hidden(page, where: str) -> None:
    expect(page.locator("[data-read-aloud]")).to_be_hidden()
    if page.locator("[data-session-warning]").count():
        expect(page.locator("[data-session-warning]")).to_be_hidden()
    assert page.locator("[data-read-aloud]").get_attribute("hidden") is not None, where


def test_register_and_apply_work_without_javascript(new_page, son, beijiang_officer):
    page = new_page(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page.goto("/portal/")
    assert_enhancements_hidden(page, "home")
    follow(page, page.get_by_role("link", name="注册账户"))
    page.locator("#id_id_number").fill(MOTHER["id_number"])
    page.locator("#id_name").fill(MOTHER["name"])
    page.locator("#id_phone").fill(MOTHER["phone"])
    submit(page, "获取短信验证码")
    expect(page).to_have_title(re.compile("^输入验证码并设置密码"))
    page.locator("#id_code").fill(code_sent_to(MOTHER["phone"]))
    page.locator("#id_password").fill(MOTHER_PASSWORD)
    page.locator("#id_password_again").fill(MOTHER_PASSWORD)
    submit(page, "完成注册")
    expect(page).to_have_title(re.compile("^我的办事"))
    assert_enhancements_hidden(page, "me")

    follow(page, page.get_by_role("link", name="添加本人或家人"))
    page.get_by_label("父母", exact=True).check()
    page.locator("#id_id_number").fill(son.id_number)
    page.locator("#id_name").fill(son.name)
    submit(page, "提交")
    expect(status(page)).to_contain_text("社区工作人员核实关系后即可办理")
    proxy = Proxy.objects.get()
    portal_services.proxy_decide(proxy=proxy, by=beijiang_officer, confirm=True)

    page.reload()
    follow(page, page.get_by_role("link", name=f"为{SON_NAME}办事"))
    # Without JavaScript an error leaves the focus where it was, but the summary is there and names the field.
    submit(page, "继续")
    expect(page).to_have_title(re.compile("^错误："))
    expect(page.locator(".error-summary")).to_contain_text("请选择要办理的事项")
    page.get_by_label("重度残疾人护理补贴", exact=True).check()
    submit(page, "继续")
    page.locator("input[type=file]").set_input_files({"name": "户口簿.png", "mimeType": "image/png", "buffer": PNG})
    submit(page, "上传所选文件")
    expect(page.get_by_role("list", name="已上传")).to_contain_text("户口簿.png")
    submit(page, "继续")
    page.locator("#id_note").fill("无")
    submit(page, "继续")
    expect(page).to_have_title(re.compile("^核对您的申请"))
    assert_enhancements_hidden(page, "check your answers")
    submit(page, "提交申请")
    application = Application.objects.get()
    assert page.url.endswith(f"/portal/me/applications/{application.pk}/")
    assert reference_on(page) == f"SQ{application.submitted_on:%Y%m%d}{application.pk:06d}"
    assert application.documents.count() == 1
    assert_enhancements_hidden(page, "receipt")


# --- 6. 朗读本页 -----------------------------------------------------------------------------------


def test_read_aloud_button_is_offered_and_pressed_by_keyboard(page, son, mother):
    page.goto("/portal/")
    read = page.get_by_role("button", name="朗读本页")
    expect(read).to_be_visible()
    expect(read).to_have_attribute("aria-pressed", "false")
    # Speaking: the button says 停止朗读 and is pressed, until the speech ends, fails or is stopped.
    page.evaluate("""() => { window.__pressed = [];
        const b = document.querySelector('[data-read-aloud]');
        new MutationObserver(() => window.__pressed.push(b.getAttribute('aria-pressed')))
          .observe(b, {attributes: true, attributeFilter: ['aria-pressed']}); }""")
    tab_to(page, page.locator("[data-read-aloud]"))
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert "true" in page.evaluate("window.__pressed"), "the button never showed it was reading"
    # A second press stops (or the headless browser's speech has ended already): back to 朗读本页, not pressed.
    if page.locator("[data-read-aloud]").get_attribute("aria-pressed") == "true":
        page.keyboard.press("Enter")
    expect(page.locator("[data-read-aloud]")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-read-aloud]")).to_have_text("朗读本页")
    assert_accessible(page, state="home, after reading aloud")

    # It is on the pages of a signed-in resident too, and works there.
    login_portal(page, MOTHER["phone"], MOTHER_PASSWORD)
    expect(page.get_by_role("button", name="朗读本页")).to_be_visible()
    page.get_by_role("button", name="朗读本页").click()
    expect(page.locator("[data-session-warning]")).to_be_hidden()


def test_the_session_notice_comes_two_minutes_before_the_end_and_keeps_what_was_typed(page, son, mother):
    """The notice is hidden until the session is about to end; 继续使用 (by keyboard) restarts the clock in the
    background, so the note being typed stays where it is. The page's clock is Playwright's, moved on 28 minutes."""
    login_portal(page, MOTHER["phone"], MOTHER_PASSWORD)
    page.clock.install()
    page.goto(f"/portal/me/persons/{son.pk}/apply/")
    page.get_by_label("重度残疾人护理补贴", exact=True).check()
    submit(page, "继续")
    submit(page, "继续")
    expect(page).to_have_title(re.compile("^补充说明"))
    notice = page.locator("[data-session-warning]")
    expect(notice).to_be_hidden()
    page.locator("#id_note").fill("白天需要专人照护")
    page.clock.run_for("27:00")
    expect(notice).to_be_hidden()
    page.clock.run_for("01:01")  # 30 minutes less 2
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("再过 2 分钟就要退出了")
    assert_accessible(page, state="note, session about to end")
    tab_to(page, notice.get_by_role("button", name="继续使用"))
    # In the background (a redirect answered by fetch is opaque: the request is what can be seen).
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/portal/session/extend/")):
        page.keyboard.press("Enter")
    expect(notice).to_be_hidden()
    assert page.url.endswith(f"/portal/me/persons/{son.pk}/apply/note/")
    expect(page.locator("#id_note")).to_have_value("白天需要专人照护")


# --- 7. another person's data ---------------------------------------------------------------------


def test_another_residents_application_and_file_answer_404(page, son, mother, neighbour):
    login_portal(page, MOTHER["phone"], MOTHER_PASSWORD)
    others = neighbour["person"].pk
    for path in (f"/portal/me/applications/{neighbour['application'].pk}/", f"/portal/me/persons/{others}/",
                 f"/portal/me/persons/{others}/proof.pdf", f"/portal/me/persons/{others}/apply/",
                 "/portal/me/applications/999999/", "/portal/me/persons/999999/"):
        response = page.goto(path)
        assert response.status == 404, f"{path} answered {response.status}"
        expect(page.locator("main")).not_to_contain_text("赵建国")
    assert_accessible(page, state="404 for another resident's file")
    # Her own son's pages answer as usual.
    assert page.goto(f"/portal/me/persons/{son.pk}/").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{SON_NAME}的档案")
    # Nor can she withdraw his application by posting to its address (with a good CSRF token).
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"/portal/me/applications/{neighbour['application'].pk}/",
                                 form={"csrfmiddlewaretoken": token, "reason": "不需要了"},
                                 headers={"Referer": page.url}, fail_on_status_code=False)
    assert response.status == 404
    neighbour["application"].refresh_from_db()
    assert neighbour["application"].state == Application.State.SUBMITTED


def test_staff_get_403_on_the_residents_pages(page, officer, son):
    login(page, officer)
    response = page.goto("/portal/me/")
    assert response.status == 403


# --- 8. services, card requests, assessment, contact, answers, proofs ------------------------------
# The pages added after the first journey: each driven by keyboard on the resident's side, with axe on its
# normal and error states (elder mode in the test after these).

NEED_LABEL = "辅助器具适配（轮椅、助听器、助行器等）"
NEED_REFERENCE = re.compile(r"FW\d{8}\d{6,}")
CARD_REFERENCE = re.compile(r"ZJ\d{8}\d{6,}")


def act_for_son(page, mother_login: str = MOTHER["phone"]) -> None:
    """Signed in by keyboard, on to 办理什么事？ for the son from his card on 我的办事."""
    portal_login_by_keyboard(page, mother_login, MOTHER_PASSWORD)
    card = page.locator(".card", has=page.get_by_role("heading", name=f"{SON_NAME}（父母）"))
    activate(page, card.get_by_role("link", name=f"为{SON_NAME}办事"))
    expect(page).to_have_title(re.compile("^办理什么事？"))


def choose_by_arrows(page, name: str, label: str, *, key: str = "ArrowDown", limit: int = 15) -> None:
    """Into a radio group with Tab (it lands on the chosen option, or the first when none is), Space to choose
    it, then an arrow key until `label` is chosen."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("(n) => document.activeElement && document.activeElement.name === n", name):
            break
    else:
        raise AssertionError(f"the radio group {name} not reached with Tab")
    page.keyboard.press("Space")
    wanted = page.get_by_label(label, exact=True)
    for _ in range(limit):
        if wanted.is_checked():
            return
        page.keyboard.press(key)
    raise AssertionError(f"{label} not reached with {key}")


def test_a_service_is_asked_for_by_keyboard_without_documents_listed_for_the_officer_and_withdrawn(
        page, son, mother, beijiang_officer):
    act_for_son(page)
    choose_by_arrows(page, "what", NEED_LABEL)
    activate(page, button(page, "继续"))

    # No documents for a service: straight to the note, step 2 of 3.
    assert page.url.endswith(f"/portal/me/persons/{son.pk}/apply/note/"), page.url
    expect(page.locator("main .hint").first).to_contain_text("第 2 步，共 3 步")
    expect(link(page, "返回上一步")).to_have_attribute("href", f"/portal/me/persons/{son.pk}/apply/")
    assert_accessible(page, state="service: note")
    type_into(page, page.locator("#id_note"), "需要一台轮椅，出门不方便")
    activate(page, button(page, "继续"))

    expect(page).to_have_title(re.compile("^核对您的申请"))
    expect(page.locator("main .hint").first).to_contain_text("第 3 步，共 3 步")
    answers = page.locator("dl.summary")
    expect(answers).to_contain_text(NEED_LABEL)
    expect(answers).to_contain_text("需要一台轮椅，出门不方便")
    expect(answers).not_to_contain_text("证明材料")
    expect(page.locator("main")).to_contain_text("上门了解情况并转介服务机构")
    assert_accessible(page, state="service: check your answers")
    activate(page, button(page, "提交申请"))

    # The receipt: FW…, waiting to be referred.
    need = Need.objects.get()
    assert page.url.endswith(f"/portal/me/needs/{need.pk}/"), page.url
    assert (need.person, need.kind, need.source) == (son, "assistive_device", Need.Source.PORTAL)
    receipt = page.locator(".panel-receipt")
    expect(receipt.get_by_role("heading", level=1)).to_have_text("辅助器具")
    expect(receipt).to_contain_text("待转介")
    assert NEED_REFERENCE.search(receipt.inner_text()).group(0) == f"FW{need.opened_on:%Y%m%d}{need.pk:06d}"
    expect(page.locator("ol.timeline")).to_contain_text("待转介")
    assert_accessible(page, state="service: receipt")

    # On the community officer's needs worklist.
    switch_user(page, beijiang_officer)
    page.goto("/services/")
    row = page.locator("tbody tr", has_text=SON_NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("辅助器具")
    expect(row).to_contain_text("待转介")
    assert_accessible(page, state="staff: needs worklist with the online request")

    # Back to the mother: from 我的办事 to the request; 撤回 without a reason, then with one.
    page.context.clear_cookies()
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    activate(page, page.locator("table").get_by_role("link", name=re.compile("^辅助器具")))
    assert page.url.endswith(f"/portal/me/needs/{need.pk}/")
    activate(page, button(page, "撤回申请"))
    check_error_state(page, "id_reason", "请填写撤回原因", "service: withdraw without a reason")
    type_into(page, page.locator("#id_reason"), "已从亲戚处借到轮椅")
    activate(page, button(page, "撤回申请"))
    expect(status(page)).to_contain_text("申请已撤回")
    expect(page.locator(".panel-receipt")).to_contain_text("已关闭（未服务）")
    expect(page.locator("ol.timeline")).to_contain_text("关闭需求")
    expect(button(page, "撤回申请")).to_have_count(0)
    need.refresh_from_db()
    assert need.state == "closed"
    assert_accessible(page, state="service: withdrawn")


def test_a_lost_card_is_reported_by_keyboard_and_closed_by_the_officer_with_an_outcome(
        page, son, mother, beijiang_officer, officer):
    act_for_son(page)
    # From the first option ArrowUp wraps round to the last: 残疾人证遗失补办.
    choose_by_arrows(page, "what", "残疾人证遗失补办", key="ArrowUp")
    activate(page, button(page, "继续"))
    assert page.url.endswith(f"/portal/me/persons/{son.pk}/apply/note/"), page.url
    expect(page.locator("main .hint").first).to_contain_text("第 2 步，共 3 步")
    type_into(page, page.locator("#id_note"), "搬家时遗失")
    activate(page, button(page, "继续"))
    expect(page).to_have_title(re.compile("^核对您的申请"))
    expect(page.locator("dl.summary")).to_contain_text("残疾人证遗失补办")
    expect(page.locator("dl.summary")).not_to_contain_text("证明材料")
    expect(page.locator("main")).to_contain_text("个工作日内联系您")
    assert_accessible(page, state="card: check your answers")
    activate(page, button(page, "提交申请"))

    card_request = CertificateRequest.objects.get(person=son)
    assert page.url.endswith(f"/portal/me/certificate-requests/{card_request.pk}/"), page.url
    assert (card_request.person, card_request.kind, card_request.phone) == (son, "reissue", MOTHER["phone"])
    receipt = page.locator(".panel-receipt")
    expect(receipt.get_by_role("heading", level=1)).to_have_text("遗失补办")
    expect(receipt).to_contain_text("已提交，待受理")
    assert CARD_REFERENCE.search(receipt.inner_text()).group(0) == (
        f"ZJ{card_request.submitted_on:%Y%m%d}{card_request.pk:06d}")
    assert_accessible(page, state="card: receipt")
    # Its error state: 撤回 without a reason (and then left open for the officer).
    activate(page, button(page, "撤回申请"))
    check_error_state(page, "id_reason", "请填写撤回原因", "card: withdraw without a reason")
    assert CertificateRequest.objects.get(person=son).state == "submitted"

    # The officer's worklist lists it, with another made at the counter; 已办结 with no outcome is refused with the
    # message on its own card.
    other = make_person(by=officer, area=son.residence_area, name="李桂兰", birth=date(1950, 5, 5), sequence=41)
    make_certificate(person=other, by=officer, category=4, grade=3, on=ten_years_ago_plus(20))
    registry_services.certificate_request_submit(by=beijiang_officer, kind="renewal", person=other,
                                                 area=other.residence_area)
    switch_user(page, beijiang_officer)
    page.goto("/certificates/requests/")
    item = page.locator("section.card", has=page.get_by_role("heading", name=f"遗失补办：{SON_NAME}"))
    expect(item).to_have_count(1)
    expect(item).to_contain_text("网上申请")
    expect(item).to_contain_text("搬家时遗失")
    expect(item.get_by_role("link", name=SON_NAME)).to_be_visible()
    assert_accessible(page, state="staff: certificate requests")
    # Each card's buttons name whose request they close.
    expect(item.get_by_role("button", name=closing("不予办理"))).to_be_visible()
    with page.expect_navigation() as refused:
        item.get_by_role("button", name=closing("已办结")).click()
    assert refused.value.status == 400
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_have_count(1)
    expect(item.locator(".error-summary")).to_contain_text("请填写办理结果，居民会看到它")
    expect(page.locator("#" + item_outcome_id(card_request))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, state="staff: certificate requests, done without an outcome")
    page.locator("#" + item_outcome_id(card_request)).fill("已补发新证，请到北疆社区领取")
    with page.expect_navigation():
        page.get_by_role("button", name=closing("已办结")).click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    expect(item).to_have_count(0)
    expect(page.locator("section.card", has_text="到期换证：李桂兰")).to_have_count(1)
    card_request.refresh_from_db()
    assert (card_request.state, card_request.outcome) == ("done", "已补发新证，请到北疆社区领取")

    # The mother sees 已办结 and the outcome.
    page.context.clear_cookies()
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    table = page.locator("table", has=page.get_by_role("columnheader", name="事项"))
    expect(table).to_contain_text("已办结")
    activate(page, table.get_by_role("link", name=re.compile("^遗失补办")))
    expect(page.locator(".panel-receipt")).to_contain_text("已办结")
    expect(page.locator("main .notice")).to_contain_text("已补发新证，请到北疆社区领取")
    expect(button(page, "撤回申请")).to_have_count(0)
    assert_accessible(page, state="card: done, the outcome shown")


def closing(action: str) -> re.Pattern:
    """A certificate request's button, named with whose request it is (the name is visually hidden)."""
    return re.compile(rf"^{action}\s*（{SON_NAME}）$")


def item_outcome_id(card_request) -> str:
    return f"id_r{card_request.pk}-outcome"


ASSESSED = {"name": "王小红", "id_number": make_id(date(2012, 8, 8), 84), "phone": "13912340084"}


def test_an_assessment_and_first_card_are_asked_for_by_keyboard_and_reach_the_officer(
        page, son, mother, beijiang_officer, areas):
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    activate(page, link(page, "还没有残疾人证？申请残疾评定和办证"))
    assert page.url.endswith("/portal/me/assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申请残疾评定和办理残疾人证")
    assert_accessible(page, state="assessment: empty")

    # Sent empty: every required field named, the focus on the summary.
    activate(page, button(page, "继续"))
    check_error_state(page, "id_applicant_name", "请填写申请人姓名", "assessment: empty")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("请填写申请人身份证号")
    expect(summary).to_contain_text("请选择所在的社区（嘎查）")
    expect(summary).to_contain_text("请填写联系电话")

    # Filled in by keyboard, with an ID number whose check character is wrong.
    good = ASSESSED["id_number"]
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    type_into(page, page.locator("#id_applicant_name"), ASSESSED["name"])
    type_into(page, page.locator("#id_applicant_id_number"), wrong)
    area = page.locator("#id_area")
    tab_to(page, area)
    for _ in range(10):  # a closed select changes its choice with the arrow keys
        if area.evaluate("el => el.selectedOptions[0].text") == "北疆社区":
            break
        page.keyboard.press("ArrowDown")
    expect(area).to_have_value(str(areas["beijiang"].pk))
    choose_by_arrows(page, "category", "智力残疾")
    type_into(page, page.locator("#id_phone"), ASSESSED["phone"])
    type_into(page, page.locator("#id_note"), "孩子上学跟不上")
    activate(page, button(page, "继续"))
    wrong_id_error_state(page, wrong)

    # Corrected (the other answers kept), the check page again, then 提交.
    expect(page.locator("#id_applicant_name")).to_have_value(ASSESSED["name"])
    expect(page.get_by_label("智力残疾", exact=True)).to_be_checked()
    type_into(page, page.locator("#id_applicant_id_number"), good)
    activate(page, button(page, "继续"))
    assert page.url.endswith("/portal/me/assessment/check/"), page.url
    expect(page).to_have_title(re.compile("^核对您的申请"))
    answers = page.locator("dl.summary")
    for text in (ASSESSED["name"], "北疆社区", "智力残疾", ASSESSED["phone"], "孩子上学跟不上"):
        expect(answers).to_contain_text(text)
    expect(answers).not_to_contain_text(good)  # masked
    assert_accessible(page, state="assessment: check")
    activate(page, button(page, "提交申请"))

    card_request = CertificateRequest.objects.get()
    assert page.url.endswith(f"/portal/me/certificate-requests/{card_request.pk}/"), page.url
    assert (card_request.kind, card_request.person, card_request.applicant_id_number, card_request.category,
            card_request.area) == ("new", None, good, 5, areas["beijiang"])
    receipt = page.locator(".panel-receipt")
    expect(receipt.get_by_role("heading", level=1)).to_have_text("残疾评定和办证")
    expect(receipt).to_contain_text(ASSESSED["name"])
    assert CARD_REFERENCE.search(receipt.inner_text())
    expect(page.locator("main")).to_contain_text("北疆社区的专职委员会")
    assert_accessible(page, state="assessment: receipt")

    switch_user(page, beijiang_officer)
    page.goto("/certificates/requests/")
    item = page.locator("section.card", has=page.get_by_role("heading", name=f"残疾评定和办证：{ASSESSED['name']}"))
    expect(item).to_contain_text("智力残疾")
    expect(item).to_contain_text(ASSESSED["phone"])
    expect(item.get_by_role("link", name="登记残疾人")).to_have_attribute("href", "/persons/new/")
    assert_accessible(page, state="staff: certificate requests, a first card")


def wrong_id_error_state(page, wrong: str) -> None:
    """A wrong check character in the applicant's ID number is refused at the field, the other answers kept."""
    assert page.url.endswith("/portal/me/assessment/"), page.url
    check_error_state(page, "id_applicant_id_number", "身份证号校验位错误", "assessment: ID check character")
    assert not CertificateRequest.objects.exists()
    expect(page.locator("#id_applicant_id_number")).to_have_value(wrong)


def test_the_contact_details_are_corrected_by_keyboard(page, son, mother):
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    activate(page, page.get_by_role("link", name=f"查看{SON_NAME}的档案"))
    assert_accessible(page, state="person file")
    activate(page, link(page, "更正联系方式"))
    assert page.url.endswith(f"/portal/me/persons/{son.pk}/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"更正{SON_NAME}的联系方式")
    assert_accessible(page, state="contact")

    type_into(page, page.locator("#id_phone"), "12345")
    type_into(page, page.locator("#id_address"), "北疆路 8 号 2 单元")
    activate(page, button(page, "保存"))
    check_error_state(page, "id_phone", "请输入11位手机号或带区号的固定电话", "contact: bad phone")
    expect(page.locator("#id_address")).to_have_value("北疆路 8 号 2 单元")

    type_into(page, page.locator("#id_phone"), "13912340099")
    activate(page, button(page, "保存"))
    assert page.url.endswith(f"/portal/me/persons/{son.pk}/"), page.url
    expect(status(page)).to_contain_text("联系方式已更新")
    contact = page.locator("section", has=page.get_by_role("heading", name="联系方式"))
    expect(contact).to_contain_text("13912340099")
    expect(contact).to_contain_text("北疆路 8 号 2 单元")
    son.refresh_from_db()
    assert (son.phone, son.address) == ("13912340099", "北疆路 8 号 2 单元")
    assert_accessible(page, state="person file, contact corrected")


def test_a_request_for_more_information_is_answered_by_keyboard(page, son, mother, beijiang_officer):
    application = benefit_services.application_submit(person=son, scheme=Scheme.NURSING_ALLOWANCE, by=mother,
                                                      note="网上申请")
    # The officer asks for a document (and is told to say what, when the note is empty).
    login(page, beijiang_officer)
    page.goto("/benefits/applications/")
    row = page.locator("tbody tr", has_text=SON_NAME)
    row.get_by_role("button", name="请补充材料").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("请填写意见")
    assert_accessible(page, state="staff: more information asked without saying what")
    row = page.locator("tbody tr", has_text=SON_NAME)
    row.get_by_label(f"意见（{SON_NAME}）").fill("请上传户口簿本人页")
    with page.expect_navigation():
        row.get_by_role("button", name="请补充材料").click()
    expect(page.get_by_role("status")).to_contain_text("已请申请人补充材料")
    row = page.locator("tbody tr", has_text=SON_NAME)
    expect(row).to_contain_text("待申请人补充：请上传户口簿本人页")
    assert_accessible(page, state="staff: waiting for the applicant")

    # The mother sees what is asked and answers it.
    page.context.clear_cookies()
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    activate(page, page.locator("table").get_by_role("link", name=re.compile("^重度残疾人护理补贴")))
    assert page.url.endswith(f"/portal/me/applications/{application.pk}/")
    asked = page.locator("section", has=page.get_by_role("heading", name="工作人员请您补充"))
    expect(asked).to_contain_text("请上传户口簿本人页")
    expect(asked.get_by_label("补充说明")).to_be_visible()
    expect(asked.locator("input[type=file]")).to_be_visible()
    assert_accessible(page, state="application: more information asked")
    activate(page, button(page, "提交补充内容"))
    check_error_state(page, "id_answer-note", "请填写补充说明或上传材料", "application: answered empty")
    expect(page.locator("section", has=page.get_by_role("heading", name="工作人员请您补充"))).to_be_visible()

    type_into(page, page.locator("#id_answer-note"), "已上传户口簿本人页")
    choose_file_by_keyboard(page, "户口簿本人页.png", PNG)
    activate(page, button(page, "提交补充内容"))
    expect(status(page)).to_contain_text("已提交补充的内容")
    expect(page.get_by_role("heading", name="工作人员请您补充")).to_have_count(0)
    expect(page.locator("ol.timeline")).to_contain_text("已补充：已上传户口簿本人页")
    application.refresh_from_db()
    assert application.info_request == ""
    assert [d.name for d in application.documents.all()] == ["户口簿本人页.png"]
    assert_accessible(page, state="application: answered")

    # Back on the officer's worklist: no longer waiting, the document there.
    switch_user(page, beijiang_officer)
    page.goto("/benefits/applications/")
    row = page.locator("tbody tr", has_text=SON_NAME)
    expect(row).not_to_contain_text("待申请人补充")
    expect(row.get_by_role("link", name="户口簿本人页.png")).to_be_visible()
    assert_accessible(page, state="staff: answered")


def test_the_validity_proof_is_downloaded_and_its_reference_checked(page, son, mother):
    card = son.certificates.get()
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    activate(page, page.get_by_role("link", name=f"查看{SON_NAME}的档案"))
    proof_link = page.get_by_role("link", name="下载残疾人证有效证明（PDF）")
    tab_to(page, proof_link)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The public check: the number, the holder's name and the proof's reference, typed in.
    token = proof_token(card.number, on=timezone.localdate())
    page.context.clear_cookies()
    page.goto("/portal/verify/")
    type_into(page, page.locator("#id_proof"), token)
    activate(page, button(page, "查验"))
    check_error_state(page, "id_number", "请填写残疾人证号", "verify: a reference without the number")
    expect(page.locator(".error-summary")).to_contain_text("请填写持证人姓名")
    type_into(page, page.locator("#id_number"), card.number)
    type_into(page, page.locator("#id_name"), SON_NAME)
    activate(page, button(page, "查验"))
    result = page.locator("main section[role=status]")
    expect(result).to_contain_text("证明编号核对无误")
    expect(result).to_contain_text("有效")
    expect(result).not_to_contain_text(SON_NAME)  # the name masked
    assert_accessible(page, state="verify: a genuine proof")

    tampered = token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb")
    page.goto(f"/portal/verify/?{urlencode({'number': card.number, 'name': SON_NAME, 'proof': tampered})}")
    result = page.locator("main section[role=status]")
    expect(result).to_contain_text("证明编号与证号不符，或证明已被改动")
    expect(result).not_to_contain_text("证明编号核对无误")
    assert_accessible(page, state="verify: a tampered proof")

    # A genuine reference with another name confirms nothing: the card is not found.
    page.goto(f"/portal/verify/?{urlencode({'number': card.number, 'name': '王小红', 'proof': token})}")
    result = page.locator("main section[role=status]")
    expect(result).to_contain_text("没有查到")
    expect(result).not_to_contain_text("证明编号核对无误")
    assert_accessible(page, state="verify: a genuine reference, the wrong name")


def test_the_later_pages_in_elder_mode(page, son, mother, beijiang_officer):
    """Every page above in elder mode, normal and error states: 18 px text, 44 px controls, axe clean."""
    application = benefit_services.application_submit(person=son, scheme=Scheme.NURSING_ALLOWANCE, by=mother,
                                                      note="网上申请")
    benefit_services.application_info_request(application=application, by=beijiang_officer,
                                              message="请上传户口簿本人页")
    page.goto("/portal/")
    elder_toggle(page, on=True)
    login_portal(page, MOTHER["phone"], MOTHER_PASSWORD)

    # A service: what, note (no documents), check, receipt, 撤回 without and with a reason.
    page.goto(f"/portal/me/persons/{son.pk}/apply/")
    page.get_by_label(NEED_LABEL, exact=True).check()
    submit(page, "继续")
    expect(page).to_have_title(re.compile("^补充说明"))
    check_elder_page(page, "service: note")
    submit(page, "继续")
    check_elder_page(page, "service: check")
    submit(page, "提交申请")
    expect(page.locator(".panel-receipt")).to_contain_text("待转介")
    check_elder_page(page, "service: receipt")
    submit(page, "撤回申请")
    assert_error_page_state(page)
    check_elder_page(page, "service: withdraw without a reason")
    page.locator("#id_reason").fill("不再需要")
    submit(page, "撤回申请")
    expect(page.locator(".panel-receipt")).to_contain_text("已关闭")
    check_elder_page(page, "service: withdrawn")

    # A lost card: receipt, its error state, and once the officer has closed it.
    page.goto(f"/portal/me/persons/{son.pk}/apply/")
    page.get_by_label("残疾人证遗失补办", exact=True).check()
    submit(page, "继续")
    submit(page, "继续")
    check_elder_page(page, "card: check")
    submit(page, "提交申请")
    expect(page.locator(".panel-receipt")).to_contain_text("已提交，待受理")
    check_elder_page(page, "card: receipt")
    submit(page, "撤回申请")
    assert_error_page_state(page)
    check_elder_page(page, "card: withdraw without a reason")
    registry_services.certificate_request_decide(request=CertificateRequest.objects.get(), by=beijiang_officer,
                                                 done=True, outcome="已补发新证，请到北疆社区领取")
    page.reload()
    expect(page.locator("main .notice")).to_contain_text("已补发新证")
    check_elder_page(page, "card: done")

    # Assessment and first card: the form, empty, the check page, its refusal of a wrong ID number, the receipt.
    page.goto("/portal/me/assessment/")
    check_elder_page(page, "assessment")
    submit(page, "继续")
    assert_error_page_state(page)
    check_elder_page(page, "assessment: empty")
    good = ASSESSED["id_number"]
    page.locator("#id_applicant_name").fill(ASSESSED["name"])
    page.locator("#id_applicant_id_number").fill(good[:-1] + ("0" if good[-1] != "0" else "1"))
    page.locator("#id_area").select_option(label="北疆社区")
    page.get_by_label("智力残疾", exact=True).check()
    page.locator("#id_phone").fill(ASSESSED["phone"])
    submit(page, "继续")
    assert_error_page_state(page)
    check_elder_page(page, "assessment: wrong ID number")
    page.locator("#id_applicant_id_number").fill(good)
    submit(page, "继续")
    check_elder_page(page, "assessment: check")
    submit(page, "提交申请")
    expect(page.locator(".panel-receipt")).to_contain_text("残疾评定和办证")
    check_elder_page(page, "assessment: receipt")

    # Contact correction: the form, a bad phone, the file after.
    page.goto(f"/portal/me/persons/{son.pk}/contact/")
    check_elder_page(page, "contact")
    page.locator("#id_phone").fill("12345")
    submit(page, "保存")
    assert_error_page_state(page)
    check_elder_page(page, "contact: bad phone")
    page.locator("#id_phone").fill("13912340099")
    submit(page, "保存")
    expect(status(page)).to_contain_text("联系方式已更新")
    check_elder_page(page, "person file, contact corrected")

    # More information asked: the request with its form, answered empty, answered.
    page.goto(f"/portal/me/applications/{application.pk}/")
    expect(page.locator("main")).to_contain_text("请上传户口簿本人页")
    check_elder_page(page, "application: more information asked")
    submit(page, "提交补充内容")
    assert_error_page_state(page)
    check_elder_page(page, "application: answered empty")
    page.locator("#id_answer-note").fill("已上传")
    page.locator("input[type=file]").set_input_files({"name": "户口簿本人页.png", "mimeType": "image/png",
                                                      "buffer": PNG})
    submit(page, "提交补充内容")
    expect(status(page)).to_contain_text("已提交补充的内容")
    check_elder_page(page, "application: answered")

    # The check of a proof: genuine, tampered, and a reference without the number.
    card = son.certificates.get()
    token = proof_token(card.number, on=timezone.localdate())
    page.goto(f"/portal/verify/?{urlencode({'number': card.number, 'name': SON_NAME, 'proof': token})}")
    expect(page.locator("main")).to_contain_text("证明编号核对无误")
    check_elder_page(page, "verify: a genuine proof")
    page.goto(f"/portal/verify/?{urlencode({'number': card.number, 'name': SON_NAME, 'proof': token[:-3] + 'zzz'})}")
    expect(page.locator("main")).to_contain_text("证明已被改动")
    check_elder_page(page, "verify: a tampered proof")
    page.goto(f"/portal/verify/?{urlencode({'number': '', 'proof': token})}")
    assert_error_page_state(page)
    check_elder_page(page, "verify: a reference without the number")


# --- issue 9: a matter raised online (反映问题) -------------------------------------------------------------------


def test_a_complaint_is_raised_online_by_keyboard_answered_by_the_officer_and_read_by_the_resident(
        page, son, mother, beijiang_officer):
    from canlian.rights import services as rights_services
    from canlian.rights.models import Case

    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    activate(page, link(page, "反映问题"))
    assert page.url.endswith("/portal/me/cases/new/"), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("反映问题")
    assert_accessible(page, state="case: new")
    tab_to(page, page.locator("#id_phone"))
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    activate(page, button(page, "提交"))
    check_error_state(page, "id_kind", "请选择事项类型", "case: nothing chosen")
    expect(page.locator(".error-summary")).to_contain_text("请填写反映的内容")
    expect(page.locator(".error-summary")).to_contain_text("请填写联系电话")
    assert not Case.objects.exists()

    choose_by_arrows(page, "kind", "投诉")
    type_into(page, page.locator("#id_summary"), "<b>小区</b>单元门口新修台阶没有坡道，轮椅进不去。")
    type_into(page, page.locator("#id_phone"), "１３９１２３４０００１")  # full-width digits, as a phone's keyboard may give
    activate(page, button(page, "提交"))

    case = Case.objects.get()
    assert (case.person, case.kind, case.source, case.resident, case.caller_phone) == (
        son, "complaint", "portal", mother, "13912340001")
    assert page.url.endswith(f"/portal/me/cases/{case.pk}/"), page.url
    expect(status(page)).to_contain_text(case.reference)
    receipt = page.locator(".panel-receipt")
    expect(receipt).to_contain_text("待分派")
    expect(page.locator("main")).to_contain_text("<b>小区</b>单元门口")  # shown as typed, not as markup
    assert_accessible(page, state="case: receipt")

    # The community officer answers it; the mother reads the answer, not who gave it by name.
    rights_services.case_assign(case=case, by=beijiang_officer, officer=beijiang_officer)
    rights_services.case_reply(case=case, by=beijiang_officer, replied_on=timezone.localdate(),
                               reply="已联系物业，两周内加装坡道。")
    page.goto("/portal/me/")
    activate(page, page.locator("section", has=page.get_by_role("heading", name="我反映的问题"))
             .get_by_role("link", name=re.compile("^投诉")))
    expect(page.locator(".panel-receipt")).to_contain_text("已答复，待回访")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("已联系物业，两周内加装坡道。")
    expect(timeline).to_contain_text("社区专职委员")
    expect(timeline).not_to_contain_text(str(beijiang_officer))
    assert_accessible(page, state="case: answered")

    elder_toggle(page, on=True)
    check_elder_page(page, "case: answered")
    page.goto("/portal/me/cases/new/")
    check_elder_page(page, "case: new")


def test_another_residents_case_answers_404(page, son, mother, neighbour):
    from canlian.rights import services as rights_services

    case = rights_services.case_open(by=neighbour["user"], kind="consultation", source="portal",
                                     received_on=timezone.localdate(), person=neighbour["person"],
                                     summary="咨询护理补贴")
    portal_login_by_keyboard(page, MOTHER["phone"], MOTHER_PASSWORD)
    response = page.goto(f"/portal/me/cases/{case.pk}/")
    assert response.status == 404
    assert_accessible(page, state="case: another resident's")
