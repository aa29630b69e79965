"""Households (户): opening one, adding members, recording income — with their error states."""

from datetime import date

from canlian.registry.models import Household, HouseholdMember
from canlian.registry.tests.factories import make_id
from tests.browser.conftest import assert_accessible, assert_error_page_state, login


def summary_hrefs(page) -> list[str]:
    return page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_open_household_add_member_and_income(page, officer, persons):
    li = persons["li"]
    login(page, officer)
    page.goto(f"/persons/{li.pk}/")
    assert "尚未建立家庭信息" in page.get_by_role("region", name="家庭").inner_text()
    page.get_by_role("link", name="管理家庭信息").click()
    assert page.get_by_role("heading", level=1).inner_text() == "李小红 的家庭"
    assert_accessible(page, state="no household yet")

    page.get_by_role("button", name="以此人为户主建立家庭").click()
    page.wait_for_load_state()
    assert Household.objects.count() == 2
    assert page.get_by_role("table", name="家庭成员").locator("tbody tr").count() == 1
    assert_accessible(page, state="household with its head only")

    # Member form: nothing filled in.
    page.get_by_role("button", name="添加成员").click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_member-relation", "#id_member-name"]
    assert_accessible(page, state="member form empty")

    # A wrong ID number comes back from the service, at its field.
    page.get_by_label("与户主关系").select_option(label="父母")
    page.get_by_label("姓名", exact=True).fill("李建国")
    bad = make_id(birth=date(1962, 4, 5), sequence=31)
    page.get_by_label("身份证号（选填）").fill(bad[:17] + ("1" if bad[17] != "1" else "2"))
    page.get_by_role("button", name="添加成员").click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_member-id_number"]
    assert "校验位错误" in page.locator(".error-summary").inner_text()
    assert_accessible(page, state="member with wrong ID")

    page.get_by_label("身份证号（选填）").fill(bad)
    page.get_by_role("button", name="添加成员").click()
    assert page.get_by_role("status").inner_text() == "已添加家庭成员。"
    members = page.get_by_role("table", name="家庭成员")
    assert members.locator("tbody tr").count() == 2
    assert "1962年4月5日" in members.inner_text()

    # Income: a negative amount and a year out of range.
    page.get_by_label("家庭人均年收入（元）（选填）").fill("-5")
    page.get_by_label("收入年度").fill("1990")
    page.get_by_role("button", name="保存收入").click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_income-per_capita_income", "#id_income-income_year"]
    assert_accessible(page, state="income errors")

    page.get_by_label("家庭人均年收入（元）（选填）").fill("8600.50")
    page.get_by_label("收入年度").fill("2024")
    page.get_by_role("button", name="保存收入").click()
    assert page.get_by_role("status").inner_text() == "已更新家庭收入。"
    assert "2024 年人均收入 8600.50 元" in page.get_by_role("table", name="家庭成员").inner_text()
    assert HouseholdMember.objects.filter(household__members__person=li).count() == 2
    assert_accessible(page, state="household after updates")


def test_household_of_existing_family(page, community_officer, persons):
    zhang = persons["zhang"]
    login(page, community_officer)
    page.goto(f"/persons/{zhang.pk}/household/")
    members = page.get_by_role("table", name="家庭成员")
    assert members.get_by_role("columnheader").all_inner_texts() == ["姓名", "与户主关系", "出生日期", "是否残疾人"]
    assert "王秀英" in members.inner_text()
    assert_accessible(page, state="existing household")
