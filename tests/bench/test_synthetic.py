"""Smoke test of the synthetic registry generator (benchmarks use it at 1,000,000 persons). No timing here."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.cn import ric

from canlian.areas.models import Area
from canlian.common.ids import birth_date_of, id_number_for, parse_certificate_number, sex_of
from canlian.common.text import pinyin_initials
from canlian.registry import synthetic
from canlian.registry.models import Certificate, Person

pytestmark = pytest.mark.django_db


def test_columns_match_the_models():
    for model, columns in ((Area, synthetic.AREA_COLUMNS), (Person, synthetic.PERSON_COLUMNS),
                           (Certificate, synthetic.CERTIFICATE_COLUMNS)):
        assert set(columns) == {f.column for f in model._meta.concrete_fields}


def test_county_codes_are_accepted_for_every_birth_year():
    for code, _name in synthetic.COUNTIES:
        for year in (synthetic.FIRST_BIRTH.year, 1960, 2000, synthetic.LAST_BIRTH.year):
            assert ric.is_valid(id_number_for(code, date(year, 6, 1), 1)), code


def test_generator_writes_valid_rows_and_refuses_a_second_run():
    result = synthetic.synth_load(persons=200, seed=7, communities=30)
    assert result["persons"] == Person.objects.count() == 200
    assert result["certificates"] == Certificate.objects.count() > 150
    assert Area.objects.filter(level=Area.Level.VILLAGE).count() == 30
    for person in Person.objects.select_related("residence_area"):
        assert ric.is_valid(person.id_number)
        assert person.birth_date == birth_date_of(person.id_number)
        assert person.sex == sex_of(person.id_number)
        assert person.name_initials == pinyin_initials(person.name)
        assert person.residence_area.level == Area.Level.VILLAGE
        assert person.residence_area.code[:6] == person.id_number[:6]
        assert person.residence_area.path.startswith(f"/{synthetic.PROVINCE[0]}/")
    for certificate in Certificate.objects.select_related("person"):
        parsed = parse_certificate_number(certificate.number)
        assert parsed.id_number == certificate.person.id_number
        assert (parsed.category, parsed.grade) == (certificate.category, certificate.grade)
        assert certificate.is_valid_on(certificate.issued_on)
    # Sequences continue after the explicit ids: the ORM can add rows.
    area = Area.objects.create(code="150121999999", name="新区", level=Area.Level.VILLAGE, path="/x/")
    assert area.pk > max(a.pk for a in Area.objects.exclude(pk=area.pk))
    with pytest.raises(synthetic.SyntheticDataError):
        synthetic.synth_load(persons=10, seed=8, communities=30)
    with pytest.raises(CommandError):
        call_command("synth_persons", "--persons", "10", "--areas", "30")
    assert Person.objects.count() == 200


def test_same_seed_same_rows():
    plan = synthetic.SyntheticPlan(persons=120, seed=3, communities=40)
    areas = synthetic.area_rows(plan)
    first = [c.persons for c in synthetic.person_chunks(plan, areas=areas, chunk=50)]
    second = [c.persons for c in synthetic.person_chunks(plan, areas=areas, chunk=50)]
    assert first == second
    ids = [row[1] for chunk in first for row in chunk]
    assert len(set(ids)) == len(ids) == 120
