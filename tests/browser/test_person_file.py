"""The person file (一人一档): reading it, revealing the full ID number, editing, changing life status."""

from playwright.sync_api import expect

from canlian.audit.models import AccessLog
from canlian.registry.models import Person
from tests.browser.conftest import assert_accessible, assert_error_page_state, login, screenshot


def test_person_file_page(page, officer, persons):
    zhang = persons["zhang"]
    login(page, officer)
    page.goto(f"/persons/{zhang.pk}/")
    expect(page).to_have_title("张三丰 - 残疾人档案 - 残联综合服务平台")
    main = page.get_by_role("main")
    for name in ["基本信息", "残疾人证", "残疾评定", "家庭", "档案时间线"]:
        assert main.get_by_role("region", name=name).is_visible(), name
    text = main.inner_text()
    assert zhang.id_number not in text  # masked until a reason is given
    assert zhang.id_number[:6] in text
    assert "肢体残疾" in text and "二级" in text
    assert "王秀英" in text  # the household member
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW, person=zhang, user=officer).exists()
    screenshot(page, "person_file", full_page=True)
    assert_accessible(page, state="person file")


def test_reveal_id_needs_a_reason_and_is_logged(page, officer, persons):
    zhang = persons["zhang"]
    login(page, officer)
    page.goto(f"/persons/{zhang.pk}/")
    page.get_by_role("link", name="查看完整号码").click()
    assert page.get_by_role("heading", level=1).inner_text() == "查看完整身份证号"
    assert_accessible(page, state="reveal form")

    page.get_by_role("button", name="查看", exact=True).click()
    assert_error_page_state(page)
    assert page.locator(".error-summary a").get_attribute("href") == "#id_reason"
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL_ID).exists()
    assert_accessible(page, state="reveal without reason")

    page.get_by_label("查看完整身份证号的事由").fill("办理补贴需核对身份")
    page.get_by_role("button", name="查看", exact=True).click()
    main = page.get_by_role("main")
    assert zhang.id_number in main.inner_text()
    assert main.get_by_role("link", name="查看完整号码").count() == 0
    log = AccessLog.objects.get(action=AccessLog.Action.REVEAL_ID)
    assert (log.person_id, log.user_id, log.reason) == (zhang.pk, officer.pk, "办理补贴需核对身份")
    assert_accessible(page, state="full ID shown")


def test_edit_person_error_and_success(page, officer, persons):
    zhang = persons["zhang"]
    login(page, officer)
    page.goto(f"/persons/{zhang.pk}/")
    page.get_by_role("link", name="修改信息").click()
    assert page.get_by_role("heading", level=1).inner_text() == "修改 张三丰 的信息"
    # The full ID number is never pre-filled: the hint shows it masked, the field is only for a correction.
    id_field = page.get_by_label("更正身份证号（选填）")
    assert id_field.input_value() == ""
    assert zhang.id_number not in page.content()
    assert zhang.id_number[:6] in page.locator("#id_id_number-hint").inner_text()
    assert page.get_by_label("姓名", exact=True).input_value() == "张三丰"
    assert_accessible(page, state="edit form")

    page.get_by_label("联系电话（选填）").fill("12345")
    id_field.fill(zhang.id_number[:17] + ("1" if zhang.id_number[17] != "1" else "2"))
    page.get_by_role("button", name="保存修改").click()
    assert_error_page_state(page)
    hrefs = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["#id_id_number", "#id_phone"]
    assert_accessible(page, state="bad ID correction and bad phone")
    assert Person.objects.get(pk=zhang.pk).phone == "13800001111"

    page.get_by_label("更正身份证号（选填）").fill("")

    page.get_by_label("联系电话（选填）").fill("13900003333")
    page.get_by_label("修改原因（选填）").fill("电话变更")
    page.get_by_role("button", name="保存修改").click()
    page.wait_for_url(f"**/persons/{zhang.pk}/")
    assert page.get_by_role("status").inner_text() == "已保存。"
    assert "13900003333" in page.get_by_role("region", name="基本信息").inner_text()
    assert "电话变更" in page.get_by_role("region", name="档案时间线").inner_text()


def test_life_status_form_error_then_success(page, officer, persons):
    li = persons["li"]
    login(page, officer)
    page.goto(f"/persons/{li.pk}/")
    page.get_by_role("link", name="变更人员状态").click()
    expect(page).to_have_title("变更人员状态 - 李小红 - 残联综合服务平台")
    assert_accessible(page, state="life status form")

    page.get_by_label("新的人员状态").select_option(label="迁出")
    page.get_by_role("button", name="保存状态").click()
    assert_error_page_state(page)
    hrefs = page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["#id_since", "#id_reason"]
    assert page.get_by_label("新的人员状态").input_value() == "moved_out"
    assert_accessible(page, state="life status missing date and reason")

    page.get_by_label("生效日期").fill("2099-01-01")
    page.get_by_label("原因").fill("迁往锡林浩特市")
    page.get_by_role("button", name="保存状态").click()
    assert_error_page_state(page)
    assert "生效日期不能晚于今天" in page.locator(".error-summary").inner_text()
    assert Person.objects.get(pk=li.pk).life_status == "active"

    page.get_by_label("生效日期").fill("2024-06-01")
    page.get_by_role("button", name="保存状态").click()
    page.wait_for_url(f"**/persons/{li.pk}/")
    assert page.get_by_role("status").inner_text() == "人员状态已更新。"
    assert "迁出" in page.get_by_role("heading", level=1).inner_text()
    assert Person.objects.get(pk=li.pk).life_status == "moved_out"
