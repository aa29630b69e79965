from datetime import date

from canlian.registry.tests.factories import make_certificate, make_person


def test_officer_registers_person_and_issues_certificate(officer, areas, client):
    person = make_person(by=officer, area=areas["beijiang"])
    certificate = make_certificate(person=person, by=officer)
    assert certificate.number == person.id_number + "42"
    assert certificate.valid_until == date(2030, 5, 1)
    client.force_login(officer)
    page = client.get(f"/persons/{person.pk}/")
    assert page.status_code == 200
    assert "张三丰" in page.content.decode()
