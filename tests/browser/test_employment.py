"""Employment in the browser: an employer registered, its declaration entered with a list file, reviewed by one
officer and decided by another, the letter downloaded and the levy paid; the public levy calculator by keyboard
alone; a community officer recording a person's employment and reading the worklists. axe on every page, in its
normal and its error state, and in elder mode on the declaration and the calculator."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from stdnum.cn import uscc

from canlian.common.spreadsheets import XlsxWriter
from canlian.employment import review, services
from canlian.employment.choices import DeclarationStatus, EmployerKind, NotWorkingReason
from canlian.employment.models import Declaration, Employer, EmploymentRecord
from canlian.registry.choices import Relation
from canlian.registry.services import household_add_member, household_create
from canlian.registry.tests.factories import make_certificate, make_person, make_user
from tests.browser.conftest import (
    assert_accessible,
    assert_error_page_state,
    elder_toggle,
    focused,
    login,
    switch_user,
    tab_until,
)
from tests.browser.test_elder_mode import too_small

LIST_HEADER = ["残疾人证号", "姓名", "月工资", "是否缴纳社会保险", "劳动合同一年以上"]


def _code(serial: str) -> str:
    body = "91152501MA0" + serial
    return body + uscc.calc_check_digit(body)


def _status(page):
    return page.get_by_role("status")


@pytest.fixture
def finance(areas):
    """The second federation officer: the checker of what `officer` reviews."""
    return make_user("finance", "federation_officer", [areas["city"]])


@pytest.fixture
def card_holders(areas, officer):
    """Two card holders of working age: 张三丰 grade 1 (counts as 2), 李四 grade 3."""
    severe = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1985, 3, 1), sequence=11)
    other = make_person(by=officer, area=areas["dongcheng"], name="李四", birth=date(1990, 7, 9), sequence=13)
    return (make_certificate(person=severe, by=officer, grade=1, on=date(2020, 5, 1)),
            make_certificate(person=other, by=officer, grade=3, on=date(2020, 5, 1)))


def test_an_employer_declares_one_officer_reviews_another_decides_and_the_levy_is_paid(
        page, officer, finance, card_holders, tmp_path):
    severe, other = card_holders
    today = timezone.localdate()
    code = _code("0AB123")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")

    # The employers' list, empty; the officer registers an employer, the check character wrong first.
    login(page, officer)
    page.goto("/employment/employers/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{today.year} 年度按比例就业年审")
    expect(page.get_by_role("main")).to_contain_text("还没有登记用人单位。")
    assert_accessible(page, state="employers, none yet")
    page.get_by_role("link", name="登记用人单位").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记用人单位")
    assert_accessible(page, state="employer form, empty")
    page.get_by_label("统一社会信用代码").fill(wrong)
    page.get_by_label("单位名称").fill("二连浩特市口岸贸易有限公司")
    page.get_by_label("单位类型").select_option(label="企业")
    page.get_by_label("所在区域").select_option(label="二连浩特市")
    page.get_by_role("button", name="保存").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("统一社会信用代码校验位错误")
    field = page.get_by_label("统一社会信用代码")
    assert field.get_attribute("aria-invalid") == "true"
    expect(page.locator("#id_uscc_code-error")).to_contain_text(f"最后一位应为 {code[17]}")
    assert not Employer.objects.exists()
    assert_accessible(page, state="employer form: wrong check character")
    field.fill(code)
    page.get_by_role("button", name="保存").click()
    expect(_status(page)).to_contain_text("已保存用人单位：二连浩特市口岸贸易有限公司。")
    employer = Employer.objects.get(uscc=code)
    assert page.url.endswith(f"/employment/employers/{employer.pk}/")
    assert_accessible(page, state="employer page, no declaration")

    # Correcting the employer: a name left empty is refused at the field.
    page.get_by_role("link", name="修改单位信息").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("修改用人单位")
    assert page.get_by_label("统一社会信用代码").input_value() == code
    assert_accessible(page, state="employer edit form")
    page.get_by_label("单位名称").fill("")
    page.get_by_role("button", name="保存").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("请输入单位名称。")
    assert_accessible(page, state="employer edit: name empty")
    page.get_by_label("单位名称").fill("二连浩特市口岸贸易有限公司")
    page.get_by_label("联系人").fill("王经理")
    page.get_by_role("button", name="保存").click()
    expect(_status(page)).to_contain_text("已保存用人单位")
    assert page.url.endswith(f"/employment/employers/{employer.pk}/")

    # The declaration, entered from the employer's paper form: the staff count left empty, then the figures with
    # the list as XLSX.
    page.get_by_label("申报日期").fill(today.isoformat())
    page.get_by_label("上年在职职工年平均工资（元）").fill("60000")
    page.get_by_role("button", name="提交申报").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("请填写在职职工年平均人数。")
    assert page.get_by_label("上年在职职工年平均人数").get_attribute("aria-invalid") == "true"
    assert not Declaration.objects.exists()
    assert_accessible(page, state="declaration form: staff count empty")
    listed = tmp_path / "残疾职工名单.xlsx"
    writer = XlsxWriter(listed)
    sheet = writer.sheet("名单", LIST_HEADER)
    sheet.append([severe.number, "张三丰", "3000", "是", "是"])
    sheet.append([other.number, "李四", "2800.50", "是", "是"])
    writer.close()
    page.get_by_label("上年在职职工年平均人数").fill("400")
    page.get_by_label("上年在职职工年平均工资（元）").fill("60000")
    page.locator("#id_employees_file").set_input_files(str(listed))
    page.get_by_role("button", name="提交申报").click()
    expect(_status(page)).to_contain_text(f"已录入 {today.year} 年度年审申报，残疾职工 2 人。")
    declaration = Declaration.objects.get(employer=employer, year=today.year)
    assert page.url.endswith(f"/employment/declarations/{declaration.pk}/")
    expect(page.locator("h1 .tag")).to_contain_text("待审核")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="张三丰")).to_contain_text("待审核")
    assert_accessible(page, state="declaration submitted, two employees awaiting review")

    # One more employee through the form: a certificate number that cannot be read is refused at its field.
    page.get_by_label("残疾人证号").fill("1525011234")
    page.get_by_label("姓名", exact=True).fill("王五")
    page.get_by_label("月工资（元）").fill("3000")
    page.get_by_role("group", name="是否缴纳社会保险").get_by_label("是", exact=True).check()
    page.get_by_role("group", name="劳动合同一年以上").get_by_label("是", exact=True).check()
    page.get_by_role("button", name="添加", exact=True).click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary a")).to_have_attribute("href", "#id_employee-certificate_number")
    number_field = page.get_by_label("残疾人证号")
    assert number_field.get_attribute("aria-invalid") == "true"
    expect(page.locator("#id_employee-certificate_number-error")).to_be_visible()
    assert declaration.employees.count() == 2
    assert_accessible(page, state="add employee: unreadable certificate number")
    # A list upload without a file is refused too.
    page.get_by_role("button", name="上传并添加").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("请选择名单文件（XLSX 或 CSV）。")
    assert_accessible(page, state="upload list: no file chosen")

    # The review: each employee's verdict, the levy worked out step by step.
    page.get_by_role("button", name="审核", exact=True).click()
    expect(_status(page)).to_contain_text("审核完成：计入残疾职工 3")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.REVIEWED and declaration.reviewed_by == officer
    assert declaration.counted == 3 and declaration.levy > 0
    expect(rows.filter(has_text="张三丰")).to_contain_text("✔ 计入 2 人")
    expect(rows.filter(has_text="李四")).to_contain_text("✔ 计入 1 人")
    levy_section = page.get_by_role("region", name=re.compile("应缴残疾人就业保障金"))
    expect(levy_section.get_by_role("heading")).to_have_text(
        f"应缴残疾人就业保障金：{declaration.levy:.2f} 元")
    expect(levy_section).to_contain_text("400 人 × 1.5% = 6 人")
    expect(levy_section).to_contain_text("6 − 3 = 3 人")
    # The reviewer may not decide it.
    expect(page.get_by_role("main")).to_contain_text("这份申报由您审核，请由另一位工作人员复核。")
    expect(page.get_by_role("button", name="复核通过，出具决定书")).to_have_count(0)
    assert_accessible(page, state="declaration reviewed, the reviewer's view")

    # The second officer decides, downloads the letter and records the payment.
    switch_user(page, finance)
    page.goto(f"/employment/declarations/{declaration.pk}/")
    page.get_by_role("button", name="复核通过，出具决定书").click()
    expect(_status(page)).to_contain_text("已复核并出具决定书")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DECIDED and declaration.decided_by == finance
    letter = page.get_by_role("link", name="下载决定书（PDF）")
    response = page.request.get(urljoin(page.url, letter.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert ".pdf" in response.headers["content-disposition"]
    assert response.body().startswith(b"%PDF")
    levy, surcharge = services.amount_owed(declaration, paid_on=today)
    owed = f"{levy + surcharge:.2f}"
    expect(page.get_by_role("main")).to_contain_text(re.compile(f"如今天（[^）]+）缴款，应缴 {owed} 元"))
    assert_accessible(page, state="declaration decided, payment form")

    page.get_by_label("缴款日期").fill(today.isoformat())
    page.get_by_label("实缴金额（元）").fill(f"{levy - Decimal(100):.2f}")
    page.get_by_role("button", name="登记缴款").click()
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text(f"应缴 {levy + surcharge:,.2f} 元")
    assert page.get_by_label("实缴金额（元）").get_attribute("aria-invalid") == "true"
    assert_accessible(page, state="payment: wrong amount")

    # Elder mode on the declaration: its page and its error state.
    elder_toggle(page, on=True)
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, declaration decided")
    page.get_by_label("缴款日期").fill(today.isoformat())
    page.get_by_label("实缴金额（元）").fill("-1")
    page.get_by_role("button", name="登记缴款").click()
    assert_error_page_state(page)
    assert "elder" in page.locator("html").get_attribute("class").split()
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, payment: amount negative")
    elder_toggle(page, on=False)

    page.get_by_label("缴款日期").fill(today.isoformat())
    page.get_by_label("实缴金额（元）").fill(owed)
    page.get_by_role("button", name="登记缴款").click()
    expect(_status(page)).to_contain_text("已登记缴款。")
    expect(page.locator("h1 .tag")).to_have_text("已缴款")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.PAID and declaration.paid_amount == Decimal(owed)
    assert_accessible(page, state="declaration paid")

    # The year's lists: all employers, those not declared, those not paid.
    page.goto("/employment/employers/")
    expect(page.locator("tbody tr", has_text="二连浩特市口岸贸易有限公司")).to_contain_text("已缴款")
    assert_accessible(page, state="employers, one paid")
    page.get_by_role("link", name="未申报").click()
    expect(page.get_by_role("main")).to_contain_text("所有单位都已申报。")
    assert_accessible(page, state="employers not declared")
    page.get_by_role("link", name="未缴款").click()
    expect(page.get_by_role("main")).to_contain_text("没有未缴款的单位。")
    assert_accessible(page, state="employers unpaid")


def test_a_new_declaration_offers_this_year_and_today_and_names_the_optional_list_once(page, areas, officer):
    today = timezone.localdate()
    employer = services.employer_save(by=officer, uscc_code=_code("0AB125"), name="二连浩特市物流有限公司",
                                      kind=EmployerKind.ENTERPRISE, area=areas["city"])
    login(page, officer)
    page.goto(f"/employment/employers/{employer.pk}/")
    expect(page.get_by_label("年审年度")).to_have_value(str(today.year))
    # A date input takes yyyy-mm-dd only: any other format shows (and submits) an empty field.
    expect(page.get_by_label("申报日期")).to_have_value(today.isoformat())
    expect(page.locator("label[for=id_employees_file]")).to_have_text("残疾职工名单（选填）")


def test_the_public_levy_calculator_by_keyboard_alone(page, transactional_db):
    today = timezone.localdate()
    page.goto("/levy/")  # no login: the page is public
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾人就业保障金测算")
    assert_accessible(page, state="levy calculator, empty")

    # From the top of the page with Tab; the date stays the offered today; the kind chosen with the arrow keys.
    tab_until(page, "#id_declared_on")
    expect(page.locator("#id_declared_on")).to_have_value(today.isoformat())  # yyyy-mm-dd, or the browser shows none
    tab_until(page, "#id_employer_kind")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_employer_kind").input_value() == EmployerKind.INSTITUTION
    page.keyboard.press("Tab")
    assert focused(page, "#id_staff_count")
    page.keyboard.type("237.5")
    page.keyboard.press("Tab")
    assert focused(page, "#id_average_wage")
    page.keyboard.type("123456.78")
    page.keyboard.press("Tab")
    assert focused(page, "#id_severe_employees")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    assert focused(page, "#id_other_employees")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    result = review.levy_estimate(declared_on=today, employer_kind=EmployerKind.INSTITUTION,
                                  staff_count=Decimal("237.5"), average_wage=Decimal("123456.78"),
                                  severe_employees=1, other_employees=1)
    assert result.levy > 0
    section = page.locator("section.result")
    expect(section.get_by_role("heading", level=2)).to_have_text(f"测算结果：应缴 {result.levy:.2f} 元")
    expect(section).to_be_focused()  # the result is read out first
    steps = section.locator("ol.steps li")
    expect(steps).to_have_count(len(result.steps))
    expect(steps.first).to_contain_text("237.5 人 × 1.5% = 3.5625 人")
    expect(section).to_contain_text("3.5625 − 3 = 0.5625 人")
    assert page.get_by_label("上年在职职工年平均人数").input_value() == "237.5"
    assert_accessible(page, state="levy calculator, result")

    # A negative staff count: the GOV.UK error state, the field marked.
    staff = page.get_by_label("上年在职职工年平均人数")
    staff.fill("-5")
    with page.expect_navigation():
        staff.press("Enter")
    assert_error_page_state(page)
    expect(page.locator(".error-summary")).to_contain_text("上年在职职工年平均人数：不能小于 0。")
    assert staff.get_attribute("aria-invalid") == "true"
    expect(page.locator("section.result")).to_have_count(0)
    assert_accessible(page, state="levy calculator: staff count negative")

    # Elder mode keeps the answers (the form is a GET): the error state, then the result, still AA.
    elder_toggle(page, on=True)
    assert_error_page_state(page)
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, levy calculator: staff count negative")
    staff.fill("237.5")
    with page.expect_navigation():
        staff.press("Enter")
    expect(page.locator("section.result h2")).to_have_text(f"测算结果：应缴 {result.levy:.2f} 元")
    assert too_small(page, 60) == []
    assert_accessible(page, state="elder mode, levy calculator, result")


@pytest.fixture
def job_seeker(areas, officer):
    """王五 (北疆, of working age, no employment record yet) heads a household with his son, also registered."""
    head = make_person(by=officer, area=areas["beijiang"], name="王五", birth=date(1990, 1, 1), sequence=15)
    son = make_person(by=officer, area=areas["beijiang"], name="王小五", birth=date(2010, 1, 1), sequence=17)
    household = household_create(by=officer, head=head)
    household_add_member(household=household, by=officer, relation=Relation.CHILD, person=son)
    return head


def test_a_community_officer_records_a_job_seeker_and_sees_the_worklists(
        page, areas, officer, beijiang_officer, leader, job_seeker):
    employer = services.employer_save(by=officer, uscc_code=_code("0AB124"), name="二连浩特市边城宾馆",
                                      kind=EmployerKind.ENTERPRISE, area=areas["city"])
    declaration = services.declaration_submit(employer=employer, by=officer, year=timezone.localdate().year,
                                              declared_on=timezone.localdate(), staff_count=Decimal(50),
                                              average_wage=Decimal(60000))

    login(page, beijiang_officer)
    # The review of employers is the federation's: the community officer is neither shown it nor let in.
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="就业")).to_be_visible()
    expect(page.get_by_role("link", name="用人单位年审")).to_have_count(0)
    for url in ("/employment/employers/", "/employment/employers/new/", f"/employment/employers/{employer.pk}/",
                f"/employment/employers/{employer.pk}/edit/", f"/employment/declarations/{declaration.pk}/",
                f"/employment/declarations/{declaration.pk}/letter.pdf"):
        assert page.goto(url).status == 403, url
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, state="403 for a community officer")

    page.goto("/")
    seekers_card = page.get_by_role("region", name="有就业意愿的未就业人员")
    expect(seekers_card.locator(".card__number")).to_have_text("0")
    assert_accessible(page, state="workbench with the employment cards")

    page.goto(f"/persons/{job_seeker.pk}/")
    section = page.get_by_role("region", name="就业和培训")
    expect(section).to_contain_text("此人在就业年龄段，尚无实名制就业记录，请登记。")
    assert_accessible(page, state="person file, no employment record")
    section.get_by_role("link", name="登记就业状态").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记就业状态")
    assert_accessible(page, state="employment status form, empty")

    # Nothing chosen: the summary's link to the radio group moves the focus to its first radio.
    page.get_by_role("button", name="保存").click()
    assert_error_page_state(page)
    summary_link = page.locator(".error-summary a", has_text="请选择是否就业。")
    expect(page.locator(".error-summary")).to_contain_text("请填写起始日期。")
    assert_accessible(page, state="employment status form: nothing chosen")
    group = page.get_by_role("group", name="就业状态")
    first_radio = group.get_by_role("radio").first
    expect(first_radio).to_have_accessible_name("已就业")
    summary_link.click()
    expect(first_radio).to_be_focused()
    assert group.get_attribute("aria-describedby") == "id_employed-error"
    expect(page.locator("#id_employed-error")).to_contain_text("请选择是否就业。")

    group.get_by_label("未就业", exact=True).check()
    page.get_by_label("未就业原因").select_option(label="有就业意愿，尚未就业")
    page.get_by_label("起始日期").fill("2025-03-01")
    page.get_by_role("button", name="保存").click()
    expect(_status(page)).to_contain_text("已登记就业状态：未就业：有就业意愿，尚未就业（2025-03-01 起）。")
    assert page.url.endswith(f"/persons/{job_seeker.pk}/")
    record = EmploymentRecord.objects.get(person=job_seeker)
    assert (record.employed, record.not_working_reason) == (False, NotWorkingReason.SEEKING)
    expect(page.get_by_role("region", name="就业和培训").locator("tbody tr")).to_contain_text(
        "未就业：有就业意愿，尚未就业")
    assert_accessible(page, state="person file with an employment record")

    page.goto("/employment/job-seekers/")
    expect(page.locator("tbody tr", has_text="王五")).to_contain_text("有就业意愿")
    assert_accessible(page, state="job seekers")
    page.goto("/employment/zero-employment-households/")
    expect(page.get_by_role("heading", level=2)).to_have_text("共 1 户")
    expect(page.locator("tbody tr")).to_contain_text("王小五")
    assert_accessible(page, state="zero-employment households")
    page.goto("/employment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("就业概况")
    assert_accessible(page, state="employment overview, community officer")

    # The leader reads the figures but not the employers.
    switch_user(page, leader)
    page.goto("/employment/")
    expect(page.get_by_role("main")).to_contain_text("就业率")
    assert_accessible(page, state="employment overview, leader")
    assert page.goto("/employment/employers/").status == 403
