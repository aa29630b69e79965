"""Registering a person (残疾人登记) through the form, including the GOV.UK error-summary journey."""

from datetime import date

from playwright.sync_api import expect

from canlian.registry.models import Person
from canlian.registry.tests.factories import make_id
from tests.browser.conftest import assert_accessible, assert_error_page_state, focused, login


def fill_person_form(page, areas, *, id_number: str) -> None:
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("姓名", exact=True).fill("孙 悟空")
    page.get_by_label("民族").select_option(label="蒙古族")
    page.get_by_label("户籍类型").select_option(label="城镇")
    page.get_by_label("户籍所在地").select_option(str(areas["beijiang"].pk))
    page.get_by_label("居住地（社区/嘎查）").select_option(str(areas["beijiang"].pk))
    page.get_by_label("居住地址（选填）").fill("北疆路 8 号")
    page.get_by_label("联系电话（选填）").fill("138 0000 2222")


def test_register_wrong_checksum_then_correct_it(page, officer, areas):
    login(page, officer)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="登记残疾人").click()
    expect(page).to_have_title("登记残疾人 - 残联综合服务平台")
    assert_accessible(page, state="empty registration form")

    good = make_id(date(1985, 10, 20), 57)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    fill_person_form(page, areas, id_number=bad)
    page.get_by_role("button", name="登记", exact=True).click()

    assert_error_page_state(page)
    assert Person.objects.count() == 0  # bad input changes nothing
    link = page.locator(".error-summary").get_by_role("link")
    assert link.count() == 1
    assert "校验位错误" in link.inner_text()
    assert link.get_attribute("href") == "#id_id_number"
    field = page.get_by_label("身份证号")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = field.get_attribute("aria-describedby").split()
    assert "id_id_number-error" in described_by and "id_id_number-hint" in described_by
    assert "校验位错误" in page.locator("#id_id_number-error").inner_text()
    # What was typed is kept, so only the wrong field needs fixing.
    assert page.get_by_label("姓名", exact=True).input_value() == "孙 悟空"
    assert page.get_by_label("居住地（社区/嘎查）").input_value() == str(areas["beijiang"].pk)
    assert_accessible(page, state="wrong ID checksum")

    # Pressing the link (keyboard: Enter on the focused link) moves focus to the input it names …
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_id_number")).to_be_focused()
    # … and the field's label stays in view above it.
    label_box = page.locator("label[for=id_id_number]").bounding_box()
    assert label_box is not None and label_box["y"] >= 0, label_box
    assert focused(page, "#id_id_number")

    page.keyboard.press("Control+A")
    page.keyboard.type(good)
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/persons/*/")
    assert page.get_by_role("status").inner_text() == "已登记 孙 悟空。"
    assert page.get_by_role("heading", level=1).inner_text().startswith("孙 悟空")
    person = Person.objects.get()
    assert person.id_number == good
    assert person.birth_date == date(1985, 10, 20)
    assert person.phone == "13800002222"
    assert_accessible(page, state="person file after registration")


def test_register_empty_form_lists_every_required_field(page, officer, areas):
    login(page, officer)
    page.goto("/persons/new/")
    page.get_by_role("button", name="登记", exact=True).click()
    assert_error_page_state(page)
    hrefs = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["#id_id_number", "#id_name", "#id_hukou_type", "#id_hukou_area", "#id_residence_area"]
    for href in hrefs:  # every summary link points at a control that exists
        assert page.locator(href).count() == 1
    assert_accessible(page, state="empty form submitted")


def test_register_outside_scope_and_duplicate(page, community_officer, officer, areas, persons):
    """A community officer cannot register into another community; a known ID number is refused."""
    login(page, community_officer)
    page.goto("/persons/new/")
    # Only the officer's own community is offered as residence.
    options = page.get_by_label("居住地（社区/嘎查）").locator("option").all_inner_texts()
    assert [o.strip("\u3000 ") for o in options] == ["——", "北疆社区"]
    fill_person_form(page, areas, id_number=persons["zhang"].id_number)
    page.get_by_role("button", name="登记", exact=True).click()
    assert_error_page_state(page)
    assert "已登记，不能重复登记" in page.locator(".error-summary").inner_text()
    assert persons["zhang"].id_number not in page.locator(".error-summary").inner_text()  # masked
    assert_accessible(page, state="duplicate ID number")
