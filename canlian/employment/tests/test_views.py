"""The employment pages: an employer's declaration entered (form or list file), reviewed by one officer, decided by
another, its levy explained; the public calculator and API agree with the review to the fen; scope and bad input."""

import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone
from stdnum.cn import uscc

from canlian.audit.models import AccessLog
from canlian.common.spreadsheets import XlsxWriter
from canlian.common.tests.concurrency import race
from canlian.employment import services
from canlian.employment.choices import DeclarationStatus, EmployerKind, EmploymentForm, NotWorkingReason, Rejection
from canlian.employment.models import Declaration, DeclaredEmployee, Employer, EmploymentRecord
from canlian.registry.choices import Relation
from canlian.registry.services import household_add_member, household_create
from canlian.registry.tests.factories import make_certificate, make_person, make_user

TODAY = timezone.localdate()
YEAR = TODAY.year


def _code(serial: str) -> str:
    body = "91152501MA0" + serial
    return body + uscc.calc_check_digit(body)


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.fixture
def finance(areas):
    return make_user("finance", "federation_officer", [areas["city"]])


@pytest.fixture
def employer(officer, areas):
    return services.employer_save(by=officer, uscc_code=_code("0AB123"), name="二连浩特市口岸贸易有限公司",
                                  kind=EmployerKind.ENTERPRISE, area=areas["city"])


@pytest.fixture
def staff_persons(officer, areas):
    """Two card holders of working age: one grade 1 (counts as 2), one grade 3."""
    severe = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1985, 3, 1), sequence=11)
    other = make_person(by=officer, area=areas["dongcheng"], name="李四", birth=date(1990, 7, 9), sequence=13)
    return (make_certificate(person=severe, by=officer, grade=1, on=date(2020, 5, 1)),
            make_certificate(person=other, by=officer, grade=3, on=date(2020, 5, 1)))


def _login(client, user):
    client.force_login(user)
    return client


def _xlsx(rows: list[list]) -> io.BytesIO:
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer)
    sheet = writer.sheet("名单", ["残疾人证号", "姓名", "月工资", "是否缴纳社会保险", "劳动合同一年以上"])
    for row in rows:
        sheet.append(row)
    writer.close()
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    return buffer


def _declare(client, employer, **overrides):
    data = {"year": YEAR, "declared_on": TODAY.isoformat(), "staff_count": "100", "average_wage": "90000"} | overrides
    return client.post(f"/employment/employers/{employer.pk}/", data)


def test_an_officer_enters_a_declaration_with_its_list_and_the_review_counts_grade_one_as_two(
        client, officer, employer, staff_persons):
    severe, other = staff_persons
    upload = _xlsx([[severe.number, "张三丰", "3000", "是", "是"], [other.number, "李四", "2800.5", "是", "否"]])
    response = _declare(_login(client, officer), employer, employees_file=upload)
    declaration = Declaration.objects.get(employer=employer, year=YEAR)
    assert response.status_code == 302 and response["Location"] == f"/employment/declarations/{declaration.pk}/"
    assert declaration.employees.count() == 2

    client.post(f"/employment/declarations/{declaration.pk}/", {"action": "review"})
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.REVIEWED
    assert declaration.counted == 2  # 张三丰 grade 1 counts as 2; 李四 refused: contract under one year
    assert DeclaredEmployee.objects.get(name="李四").rejection == Rejection.SHORT_CONTRACT
    page = client.get(f"/employment/declarations/{declaration.pk}/").content.decode()
    assert "劳动合同（服务协议）不足一年" in page
    assert "100 人 × 1.5% = 1.5 人" in page and "这份申报由您审核" in page


def test_the_reviewer_cannot_decide_and_another_officer_issues_the_letter(client, officer, finance, employer,
                                                                          staff_persons):
    declaration = services.declaration_submit(employer=employer, by=officer, year=YEAR, declared_on=TODAY,
                                              staff_count=Decimal(200), average_wage=Decimal(80000))
    services.declaration_review(declaration=declaration, by=officer)
    _login(client, officer).post(f"/employment/declarations/{declaration.pk}/", {"action": "decide"})
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.REVIEWED

    client.force_login(finance)
    client.post(f"/employment/declarations/{declaration.pk}/", {"action": "decide"})
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DECIDED and declaration.decided_by == finance
    # 200 × 1.5% = 3 persons short; 3 × 80,000 = 240,000; under 1% pays 90% while the tiers last (to 2027).
    assert declaration.levy == (Decimal("216000.00") if YEAR <= 2027 else Decimal("240000.00"))

    response = client.get(f"/employment/declarations/{declaration.pk}/letter.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "残疾人就业保障金审核决定书" in text and "216,000.00" in text and employer.name in text
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, user=finance).exists()


def test_a_payment_must_cover_the_levy_and_the_surcharge_for_paying_late(client, officer, finance, employer):
    decided_on = TODAY - timedelta(days=40)
    declaration = services.declaration_submit(employer=employer, by=officer, year=decided_on.year,
                                              declared_on=decided_on, staff_count=Decimal(100),
                                              average_wage=Decimal(60000))
    services.declaration_review(declaration=declaration, by=officer)
    services.declaration_decide(declaration=declaration, by=finance, on=decided_on)
    declaration.refresh_from_db()
    # Due 30 days after the decision: paid today, 10 days late, at 5‰ a day.
    late_days = (TODAY - declaration.due_on).days
    surcharge = (declaration.levy * Decimal("0.005") * late_days).quantize(Decimal("0.01"))
    response = _login(client, finance).post(f"/employment/declarations/{declaration.pk}/", {
        "action": "pay", "payment-paid_on": TODAY.isoformat(), "payment-amount": str(declaration.levy)})
    assert response.status_code == 400 and _title(response).startswith("错误：")
    assert f"滞纳金 {surcharge:,.2f} 元" in response.content.decode()
    client.post(f"/employment/declarations/{declaration.pk}/", {
        "action": "pay", "payment-paid_on": TODAY.isoformat(), "payment-amount": str(declaration.levy + surcharge)})
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.PAID and declaration.surcharge == surcharge


def test_the_public_calculator_and_api_agree_with_the_review_to_the_fen(client, officer, employer, staff_persons):
    severe, other = staff_persons
    declaration = services.declaration_submit(
        employer=employer, by=officer, year=YEAR, declared_on=TODAY, staff_count=Decimal("237.5"),
        average_wage=Decimal("123456.78"),
        employees=[services.employee_row_clean(certificate_number=severe.number, name="张三丰", monthly_wage="3000",
                                               social_insurance="是", contract_one_year="是"),
                   services.employee_row_clean(certificate_number=other.number, name="李四", monthly_wage="3000",
                                               social_insurance="是", contract_one_year="是")])
    declaration = services.declaration_review(declaration=declaration, by=officer)
    inputs = {"declared_on": TODAY.isoformat(), "employer_kind": "enterprise", "staff_count": "237.5",
              "average_wage": "123456.78", "severe_employees": 1, "other_employees": 1}
    answer = client.post("/api/v1/levy/calculation", json.dumps(inputs), content_type="application/json")
    assert answer.status_code == 200
    assert Decimal(answer.json()["levy"]) == declaration.levy
    assert [step["working"] for step in answer.json()["steps"]] == [
        step.working for step in services.declaration_levy(declaration).steps]

    page = client.get("/levy/", inputs)  # anonymous: the page is public
    assert page.status_code == 200 and f"应缴 {declaration.levy} 元" in page.content.decode()


def test_the_api_and_the_calculator_refuse_bad_input_in_chinese(client, db):
    answer = client.post("/api/v1/levy/calculation", json.dumps({"employer_kind": "enterprise", "staff_count": "-1",
                                                                  "average_wage": "abc"}),
                         content_type="application/json")
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_request"
    assert {tuple(e["location"]) for e in answer.json()["errors"]} >= {("body", "staff_count"), ("body", "average_wage")}
    page = client.get("/levy/", {"declared_on": "2026-13-01", "employer_kind": "enterprise", "staff_count": "４５",
                                 "average_wage": "", "severe_employees": "0", "other_employees": "0"})
    assert page.status_code == 400 and _title(page).startswith("错误：")
    assert "请按 2026-03-15 的格式填写日期" in page.content.decode()


def test_a_bad_list_file_is_refused_row_by_row_and_nothing_is_saved(client, officer, employer, staff_persons):
    severe, _other = staff_persons
    bad_checksum = severe.number[:17] + ("0" if severe.number[17] != "0" else "1") + severe.number[18:]
    upload = _xlsx([[severe.number, "张三丰", "3000", "是", "是"], [bad_checksum, "王五", "3000", "是", "是"],
                    [severe.number, "张三丰", "多少", "也许", "是"]])
    response = _declare(_login(client, officer), employer, employees_file=upload)
    body = response.content.decode()
    assert response.status_code == 400 and "第 3 行" in body and "校验位错误" in body and "第 4 行" in body
    assert not Declaration.objects.exists()

    gbk = io.BytesIO("残疾人证号,姓名,月工资,是否缴纳社会保险,劳动合同一年以上\n".encode("gbk")
                     + f"{severe.number},张三丰,3000,是,是\n".encode("gbk"))
    gbk.name = "名单.csv"
    assert _declare(client, employer, employees_file=gbk).status_code == 302
    assert DeclaredEmployee.objects.get().name == "张三丰"

    empty = io.BytesIO(b"")
    empty.name = "empty.csv"
    other = services.employer_save(by=officer, uscc_code=_code("0AB124"), name="另一家公司",
                                   kind=EmployerKind.ENTERPRISE, area=employer.area)
    response = _declare(client, other, employees_file=empty)
    assert response.status_code == 400 and "上传的文件是空的" in response.content.decode()


def test_two_employers_declaring_one_person_the_later_filing_is_refused(officer, employer, staff_persons):
    severe, _other = staff_persons
    row = services.employee_row_clean(certificate_number=severe.number, name="张三丰", monthly_wage="3000",
                                      social_insurance="是", contract_one_year="是")
    second = services.employer_save(by=officer, uscc_code=_code("0AB125"), name="二连浩特市边城宾馆",
                                    kind=EmployerKind.ENTERPRISE, area=employer.area)
    first = services.declaration_submit(employer=employer, by=officer, year=YEAR, declared_on=TODAY - timedelta(1),
                                        staff_count=Decimal(100), average_wage=Decimal(60000), employees=[row])
    later = services.declaration_submit(employer=second, by=officer, year=YEAR, declared_on=TODAY,
                                        staff_count=Decimal(100), average_wage=Decimal(60000), employees=[row])
    services.declaration_review(declaration=later, by=officer)  # reviewing the later re-judges the earlier too
    assert DeclaredEmployee.objects.get(declaration=first).rejection == ""
    assert DeclaredEmployee.objects.get(declaration=later).rejection == Rejection.DECLARED_ELSEWHERE


def test_an_invalid_credit_code_is_refused_at_the_field(client, officer, areas):
    code = _code("0AB126")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = _login(client, officer).post("/employment/employers/new/", {
        "uscc_code": wrong, "name": "<script>alert(1)</script>", "kind": "enterprise", "area": areas["city"].pk})
    body = response.content.decode()
    assert response.status_code == 200 and "统一社会信用代码校验位错误" in body and "<script>alert" not in body
    assert not Employer.objects.exists()
    response = client.post("/employment/employers/new/", {
        "uscc_code": code.lower().replace("9", "９", 1), "name": "二连浩特市物流有限公司", "kind": "enterprise",
        "area": areas["city"].pk})
    assert response.status_code == 302 and Employer.objects.get().uscc == code


def test_another_area_and_other_roles_cannot_reach_employers(client, officer, employer, areas, beijiang_officer,
                                                             leader):
    declaration = services.declaration_submit(employer=employer, by=officer, year=YEAR, declared_on=TODAY,
                                              staff_count=Decimal(10), average_wage=Decimal(60000))
    _login(client, beijiang_officer)
    assert client.get("/employment/employers/").status_code == 403
    client.force_login(leader)
    assert client.get(f"/employment/declarations/{declaration.pk}/").status_code == 403
    other_city = make_user("other", "federation_officer", [areas["dongcheng"]])
    client.force_login(other_city)
    assert client.get(f"/employment/declarations/{declaration.pk}/").status_code == 404
    assert client.get(f"/employment/employers/{employer.pk}/").status_code == 404


def test_employment_status_is_recorded_with_history_and_public_welfare_posts_are_limited(client, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], birth=date(1990, 1, 1))
    _login(client, officer)
    for day in ("2021-01-01", "2022-01-01"):
        client.post(f"/employment/persons/{person.pk}/record/", {
            "employed": "yes", "form": "public_welfare", "employer_name": "社区公益岗", "started_on": day})
    response = client.post(f"/employment/persons/{person.pk}/record/", {
        "employed": "yes", "form": "public_welfare", "started_on": "2023-01-01"})
    assert "每人最多 2 次" in response.content.decode()
    client.post(f"/employment/persons/{person.pk}/record/", {
        "employed": "no", "not_working_reason": NotWorkingReason.SEEKING, "started_on": "2024-01-01"})
    spells = list(EmploymentRecord.objects.filter(person=person).order_by("started_on"))
    assert [s.ended_on for s in spells] == [date(2021, 12, 31), date(2023, 12, 31), None]
    assert person.name in client.get("/employment/job-seekers/").content.decode()
    assert "有就业意愿，尚未就业" in client.get(f"/persons/{person.pk}/").content.decode()


def test_a_household_with_no_one_in_work_is_a_zero_employment_household(client, officer, areas):
    head = make_person(by=officer, area=areas["beijiang"], name="王五", birth=date(1990, 1, 1), sequence=15)
    son = make_person(by=officer, area=areas["beijiang"], name="王小五", birth=date(2000, 1, 1), sequence=17)
    household = household_create(by=officer, head=head)
    household_add_member(household=household, by=officer, relation=Relation.CHILD, person=son)
    services.employment_record_add(person=head, by=officer, employed=False, started_on=date(2024, 1, 1),
                                   not_working_reason=NotWorkingReason.SEEKING)
    services.employment_record_add(person=son, by=officer, employed=False, started_on=date(2024, 1, 1),
                                   not_working_reason=NotWorkingReason.UNABLE)
    _login(client, officer)
    assert "王小五" in client.get("/employment/zero-employment-households/").content.decode()
    services.employment_record_add(person=son, by=officer, employed=True, started_on=date(2025, 1, 1),
                                   form=EmploymentForm.FLEXIBLE)
    assert "王小五" not in client.get("/employment/zero-employment-households/").content.decode()


def test_the_calculator_is_public_and_everything_else_needs_a_login(client, db):
    assert client.get("/levy/").status_code == 200
    assert client.get("/employment/").status_code == 302


def test_an_employee_typed_with_full_width_digits_or_a_15_digit_id_is_read_as_the_registered_card(
        client, officer, employer, areas):
    born_1965 = make_person(by=officer, area=areas["beijiang"], name="赵六", birth=date(1965, 4, 5), sequence=19)
    card = make_certificate(person=born_1965, by=officer, grade=3, on=date(2020, 5, 1))
    declaration = services.declaration_submit(employer=employer, by=officer, year=YEAR, declared_on=TODAY,
                                              staff_count=Decimal(100), average_wage=Decimal(60000))
    legacy_id = born_1965.id_number[:6] + born_1965.id_number[8:17]  # the first-generation 15-digit number
    _login(client, officer).post(f"/employment/declarations/{declaration.pk}/", {
        "action": "add_employee", "employee-certificate_number": legacy_id, "employee-name": "赵六",
        "employee-monthly_wage": "２５００", "employee-social_insurance": "yes", "employee-contract_one_year": "yes"})
    employee = DeclaredEmployee.objects.get()
    assert employee.person == born_1965 and employee.id_number == born_1965.id_number
    wide = card.number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post(f"/employment/declarations/{declaration.pk}/", {
        "action": "add_employee", "employee-certificate_number": wide, "employee-name": "赵六",
        "employee-monthly_wage": "2500", "employee-social_insurance": "yes", "employee-contract_one_year": "yes"})
    assert response.status_code == 400 and "已在本单位的申报名单中" in response.content.decode()


def test_a_list_file_over_the_size_limit_is_refused_before_it_is_read(client, officer, employer, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    huge = io.BytesIO(b"\xef\xbb\xbf" + "残疾人证号,姓名\n".encode() + b"1" * 4096)
    huge.name = "名单.csv"
    response = _declare(_login(client, officer), employer, employees_file=huge)
    assert response.status_code == 400 and "名单文件太大" in response.content.decode()
    assert not Declaration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_officers_confirming_one_review_at_once_issue_one_decision(officer, finance, employer, areas):
    second = make_user("second", "federation_officer", [areas["city"]])
    declaration = services.declaration_submit(employer=employer, by=officer, year=YEAR, declared_on=TODAY,
                                              staff_count=Decimal(100), average_wage=Decimal(60000))
    services.declaration_review(declaration=declaration, by=officer)
    outcomes = race(lambda i: services.declaration_decide(declaration=declaration, by=(finance, second)[i]))
    assert sorted(type(o).__name__ for o in outcomes) == ["Declaration", "ValidationError"]
    assert Declaration.history.filter(status=DeclarationStatus.DECIDED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_declaration_filed_twice_at_once_is_kept_once(officer, employer):
    outcomes = race(lambda _i: services.declaration_submit(
        employer=employer, by=officer, year=YEAR, declared_on=TODAY, staff_count=Decimal(100),
        average_wage=Decimal(60000)))
    assert sorted(type(o).__name__ for o in outcomes) == ["Declaration", "ValidationError"]
    assert Declaration.objects.count() == 1


def test_removing_an_employee_named_by_a_hostile_id_changes_nothing(client, officer, employer):
    declaration = services.declaration_submit(employer=employer, by=officer, year=YEAR, declared_on=TODAY,
                                              staff_count=Decimal(10), average_wage=Decimal(60000))
    client.force_login(officer)
    response = client.post(f"/employment/declarations/{declaration.pk}/", {"action": "remove_employee",
                                                                           "employee": "1; DROP TABLE x"})
    assert response.status_code == 302 and Declaration.objects.filter(pk=declaration.pk).exists()


def test_an_income_too_large_for_the_record_is_refused_at_the_field(client, officer, areas):
    person = make_person(by=officer, area=areas["beijiang"], birth=date(1990, 1, 1))
    client.force_login(officer)
    response = client.post(f"/employment/persons/{person.pk}/record/", {
        "employed": "yes", "form": "flexible", "monthly_income": "999999999999.99", "started_on": "2024-01-01"})
    assert response.status_code == 200 and "数字太大" in response.content.decode()
    assert not EmploymentRecord.objects.exists()
