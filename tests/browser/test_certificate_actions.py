"""Assessments and the certificate's life: issue, renew, regrade, reissue, freeze/unfreeze, cancel."""

from django.utils import timezone
from playwright.sync_api import expect

from canlian.registry.models import Assessment, Certificate
from canlian.registry.rules import add_years
from tests.browser.conftest import assert_accessible, assert_error_page_state, login


def summary_hrefs(page) -> list[str]:
    return page.locator(".error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_assessment_form_then_issue_certificate(page, officer, persons):
    zhao = persons["zhao"]
    login(page, officer)
    page.goto(f"/persons/{zhao.pk}/")
    assert "尚未持有残疾人证" in page.get_by_role("region", name="残疾人证").inner_text()
    page.get_by_role("link", name="录入残疾评定").click()
    expect(page).to_have_title("录入残疾评定 - 赵小梅 - 残联综合服务平台")
    assert page.get_by_role("group", name="评定结论：每个残疾类别的等级").is_visible()
    assert_accessible(page, state="assessment form")

    page.get_by_role("button", name="保存评定").click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_assessed_on", "#id_institution"]
    assert_accessible(page, state="assessment form empty")

    page.get_by_label("评定日期").fill("2025-01-15")
    page.get_by_label("评定机构").fill("锡林郭勒盟残疾评定中心")
    page.get_by_role("button", name="保存评定").click()
    assert_error_page_state(page)  # no category chosen: the service says so, at the first grade field
    assert summary_hrefs(page) == ["#id_grade_1"]
    assert "请至少选择一个残疾类别及其等级" in page.locator(".error-summary").inner_text()
    assert_accessible(page, state="assessment without findings")

    page.get_by_label("智力残疾等级").select_option(label="三级")
    page.get_by_label("言语残疾等级").select_option(label="四级")
    page.get_by_label("走路或爬台阶").select_option(label="很困难")
    page.get_by_role("button", name="保存评定").click()
    page.wait_for_url(f"**/persons/{zhao.pk}/")
    assert page.get_by_role("status").inner_text() == "评定已录入。"
    assessments = page.get_by_role("region", name="残疾评定").locator("tbody tr")
    assert assessments.count() == 2
    assert "言语残疾四级、智力残疾三级" in assessments.first.inner_text()
    assert assessments.first.get_by_role("cell").last.inner_text() == "是"  # Washington Group: identified

    # Issue the certificate.
    page.get_by_role("link", name="发放残疾人证").click()
    assert page.get_by_role("heading", level=1).inner_text() == "发放残疾人证"
    assert page.get_by_label("发证日期").input_value() == timezone.localdate().isoformat()
    assert_accessible(page, state="issue form")
    page.get_by_role("button", name="发证").click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_assessment"]
    assert not Certificate.objects.filter(person=zhao).exists()
    assert_accessible(page, state="issue without assessment")

    newest = Assessment.objects.filter(person=zhao).latest("pk")
    page.get_by_label("依据的评定").select_option(str(newest.pk))
    page.get_by_role("button", name="发证").click()
    page.wait_for_url(f"**/persons/{zhao.pk}/")
    assert page.get_by_role("status").inner_text().startswith("已发证：")
    card = page.get_by_role("region", name="残疾人证").inner_text()
    assert "多重残疾" in card and "三级" in card
    certificate = Certificate.objects.get(person=zhao)
    assert (certificate.category, certificate.grade, certificate.status) == (7, 3, "valid")
    assert_accessible(page, state="person file with new certificate")

    # A second issue is refused with the reason; the summary item has no field to link to.
    page.goto(f"/persons/{zhao.pk}/certificates/issue/")
    page.get_by_label("依据的评定").select_option(str(newest.pk))
    page.get_by_role("button", name="发证").click()
    assert_error_page_state(page)
    assert "一人只能持有一个有效证件" in page.locator(".error-summary").inner_text()
    assert_accessible(page, state="issue refused")


def test_renew_expiring_certificate(page, officer, persons):
    li, card = persons["li"], persons["li_card"]
    login(page, officer)
    page.goto(f"/persons/{li.pk}/")
    page.get_by_role("region", name="残疾人证").get_by_role("link", name="换证").click()
    assert page.get_by_role("heading", level=1).inner_text() == "换证残疾人证"
    assert_accessible(page, state="renew form")

    page.get_by_label("办理日期").fill("2099-01-01")
    page.get_by_role("button", name="换证", exact=True).click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_on"]
    assert "办理日期不能晚于今天" in page.locator(".error-summary").inner_text()
    assert_accessible(page, state="renew in the future")

    today = timezone.localdate()
    page.get_by_label("办理日期").fill(today.isoformat())
    page.get_by_role("button", name="换证", exact=True).click()
    page.wait_for_url(f"**/persons/{li.pk}/")
    assert page.get_by_role("status").inner_text() == "已办理换证。"
    card.refresh_from_db()
    assert card.valid_until == add_years(today, 10)


def test_regrade_same_grade_is_refused(page, officer, persons):
    zhang, card = persons["zhang"], persons["zhang_card"]
    login(page, officer)
    page.goto(f"/persons/{zhang.pk}/")
    page.get_by_role("link", name="等级变更").click()
    assert page.get_by_role("heading", level=1).inner_text() == "残疾类别/等级变更"
    assert_accessible(page, state="regrade form")
    page.get_by_label("依据的评定").select_option(str(card.assessment_id))
    page.get_by_role("button", name="变更并换发新证").click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_assessment"]
    assert "无需变更" in page.locator(".error-summary").inner_text()
    assert_accessible(page, state="regrade with the same grade")


def test_reissue_needs_reason_then_freeze_unfreeze_cancel(page, officer, persons):
    zhang = persons["zhang"]
    login(page, officer)
    page.goto(f"/persons/{zhang.pk}/")

    # 补发: reason required.
    page.get_by_role("link", name="补发").click()
    assert page.get_by_role("heading", level=1).inner_text() == "补发残疾人证"
    assert_accessible(page, state="reissue form")
    page.get_by_role("button", name="补发", exact=True).click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_reason"]
    assert page.get_by_label("原因").get_attribute("aria-invalid") == "true"
    assert Certificate.objects.filter(person=zhang).count() == 1
    assert_accessible(page, state="reissue without reason")
    page.get_by_label("原因").fill("证件遗失")
    page.get_by_role("button", name="补发", exact=True).click()
    page.wait_for_url(f"**/persons/{zhang.pk}/")
    assert page.get_by_role("status").inner_text() == "已办理补发。"
    new = Certificate.objects.get(person=zhang, status="valid")
    assert new.number.endswith("B1")
    all_cards = page.get_by_role("table", name="全部证件")
    assert all_cards.locator("tbody tr").count() == 2

    # 冻结 and 解冻.
    page.get_by_role("link", name="冻结").click()
    assert_accessible(page, state="freeze form")
    page.get_by_role("button", name="冻结", exact=True).click()
    assert_error_page_state(page)
    assert_accessible(page, state="freeze without reason")
    page.get_by_label("原因").fill("户籍迁出未办理转移")
    page.get_by_role("button", name="冻结", exact=True).click()
    page.wait_for_url(f"**/persons/{zhang.pk}/")
    assert "冻结" in page.get_by_role("region", name="残疾人证").inner_text()
    page.get_by_role("link", name="解冻").click()
    assert_accessible(page, state="unfreeze form")
    page.get_by_role("button", name="解冻", exact=True).click()
    assert_error_page_state(page)
    assert_accessible(page, state="unfreeze without reason")
    page.get_by_label("原因").fill("已办理转移")
    page.get_by_role("button", name="解冻", exact=True).click()
    page.wait_for_url(f"**/persons/{zhang.pk}/")

    # 注销.
    page.get_by_role("link", name="注销").click()
    assert page.get_by_role("heading", level=1).inner_text() == "注销残疾人证"
    assert_accessible(page, state="cancel form")
    page.get_by_role("button", name="注销", exact=True).click()
    assert_error_page_state(page)
    assert_accessible(page, state="cancel without reason")
    page.get_by_label("原因").fill("本人申请注销")
    page.get_by_role("button", name="注销", exact=True).click()
    page.wait_for_url(f"**/persons/{zhang.pk}/")
    assert page.get_by_role("status").inner_text() == "已办理注销。"
    new.refresh_from_db()
    assert new.status == "cancelled" and new.status_reason == "本人申请注销"
    # Cancelled: the only action left is a new issue (which the 2-year rule will refuse).
    actions = page.get_by_role("region", name="残疾人证").locator(".actions").get_by_role("link").all_inner_texts()
    assert actions == ["发放残疾人证"]
    assert_accessible(page, state="person file with cancelled certificate")


def test_unknown_action_is_404(page, officer, persons):
    login(page, officer)
    response = page.goto(f"/certificates/{persons['zhang_card'].pk}/destroy/")
    assert response.status == 404


def test_register_existing_certificate(page, officer, persons):
    """Entering a card issued before the platform (存量证件): its number must agree with the holder."""
    zhao = persons["zhao"]
    login(page, officer)
    page.goto(f"/persons/{zhao.pk}/")
    page.get_by_role("link", name="录入已有残疾人证").click()
    assert page.get_by_role("heading", level=1).inner_text() == "录入已有残疾人证"
    assert_accessible(page, state="register certificate form")

    page.get_by_role("button", name="录入", exact=True).click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_number", "#id_category", "#id_grade", "#id_issued_on"]
    assert_accessible(page, state="register certificate empty")

    page.get_by_label("残疾人证号").fill(zhao.id_number + "53")
    page.get_by_label("残疾类别").select_option(label="智力残疾")
    page.get_by_label("残疾等级").select_option(label="四级")
    page.get_by_label("发证日期").fill("2018-03-01")
    page.get_by_role("button", name="录入", exact=True).click()
    assert_error_page_state(page)
    assert summary_hrefs(page) == ["#id_number"]
    assert "第20位是等级 3" in page.locator(".error-summary").inner_text()
    assert not Certificate.objects.filter(person=zhao).exists()
    assert_accessible(page, state="certificate number disagrees")

    page.get_by_label("残疾人证号").fill(zhao.id_number + "54")
    page.get_by_role("button", name="录入", exact=True).click()
    page.wait_for_url(f"**/persons/{zhao.pk}/")
    assert page.get_by_role("status").inner_text() == "已录入残疾人证。"
    certificate = Certificate.objects.get(person=zhao)
    assert (certificate.category, certificate.grade, certificate.valid_until) == (5, 4, add_years(
        certificate.issued_on, 10))

