"""A community officer applies for the nursing allowance; the federation reviews, and a second officer approves."""

from playwright.sync_api import expect

from canlian.benefits.models import Application, Entitlement
from canlian.registry.tests.factories import make_user
from tests.browser.conftest import assert_accessible, assert_error_page_state, login


def test_apply_review_and_approve_by_two_people(page, community_officer, officer, areas, persons):
    zhang = persons["zhang"]
    login(page, community_officer)
    page.goto(f"/persons/{zhang.pk}/")
    expect(page.get_by_role("heading", name="补贴待遇资格")).to_be_visible()
    assert_accessible(page, state="person file with the benefits section")
    page.get_by_role("link", name="代为申请补贴").click()
    assert_accessible(page, state="application form")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    assert_error_page_state(page)
    assert_accessible(page, state="application form: no scheme")
    page.get_by_label("补贴项目").select_option(label="重度残疾人护理补贴")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("status")).to_contain_text("已提交重度残疾人护理补贴申请")

    page.context.clear_cookies()  # the next person at the same desk
    login(page, officer)
    page.goto("/benefits/applications/")
    assert_accessible(page, state="applications worklist")
    row = page.locator("tbody tr").first
    row.get_by_label("意见（张三丰）").fill("同意")
    row.get_by_role("button", name="社区审核通过").click()
    expect(page.get_by_role("status")).to_contain_text("社区审核通过")
    page.locator("tbody tr").first.get_by_role("button", name="驳回").click()
    page.wait_for_load_state()
    assert_error_page_state(page)
    assert_accessible(page, state="applications worklist: reason missing")

    approver = make_user("approver", "federation_officer", [areas["city"]])
    page.context.clear_cookies()
    login(page, approver)
    page.goto("/benefits/applications/")
    row = page.locator("tbody tr").first
    row.get_by_label("意见（张三丰）").fill("同意，次月起发放")
    row.get_by_role("button", name="批准").click()
    expect(page.get_by_role("status")).to_contain_text("已批准")
    assert Application.objects.get().state == Application.State.APPROVED
    assert Entitlement.objects.get().person == zhang


def test_coverage_worklist_leads_to_an_application(page, community_officer, persons):
    login(page, community_officer)
    page.goto("/benefits/coverage/?scheme=nursing_allowance")
    expect(page.get_by_role("link", name="张三丰", exact=True)).to_be_visible()  # grade 2, no nursing allowance yet
    assert_accessible(page, state="coverage worklist")
    page.get_by_role("link", name="代为申请").click()
    expect(page.get_by_role("heading", name="申请补贴")).to_be_visible()
