"""Builders for tests: real rows made through the real services."""

import functools
from datetime import date

from django.contrib.auth.hashers import make_password

from canlian.accounts.models import Role, User
from canlian.areas.models import Area
from canlian.areas.services import area_create
from canlian.common.ids import id_number_for
from canlian.registry import rules, services
from canlian.registry.models import Person


def make_id(birth: date = date(1980, 1, 1), sequence: int = 11, area: str = "152501") -> str:
    """A valid 18-character ID number (odd sequence = male)."""
    return id_number_for(area, birth, sequence)


def make_areas() -> dict[str, Area]:
    """Erenhot with two communities and the sumu with one gacha."""
    city = area_create(code="152501000000", name="二连浩特市", level=Area.Level.COUNTY)
    sumu = area_create(code="152501200000", name="格日勒敖都苏木", level=Area.Level.TOWNSHIP, parent=city)
    return {
        "city": city,
        "beijiang": area_create(code="152501001001", name="北疆社区", level=Area.Level.VILLAGE, parent=city),
        "dongcheng": area_create(code="152501001002", name="东城社区", level=Area.Level.VILLAGE, parent=city),
        "sumu": sumu,
        "gacha": area_create(code="152501200200", name="第一嘎查", level=Area.Level.VILLAGE, parent=sumu),
    }


PASSWORD = "Correct-horse-9"


@functools.cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; hash the shared test password once per run, not once per user.
    return make_password(PASSWORD)


def make_user(username: str, role: str = Role.COMMUNITY_OFFICER, areas: list[Area] = ()) -> User:
    user = User.objects.create_user(username=username, password=None, role=role, display_name=username)
    user.password = _password_hash()
    user.save(update_fields=["password"])
    user.areas.set(areas)
    return user


def make_person(*, by: User, area: Area, name: str = "张三丰", birth: date = date(1980, 1, 1), sequence: int = 11,
                **values) -> Person:
    return services.person_create(
        by=by, id_number=make_id(birth, sequence), name=name, ethnicity=values.pop("ethnicity", "01"),
        hukou_type=values.pop("hukou_type", "urban"), hukou_area=area, residence_area=area, **values,
    )


def make_certificate(*, person: Person, by: User, category: int = 4, grade: int = 2,
                     on: date = date(2020, 5, 1), findings: list[rules.Finding] | None = None):
    assessment = services.assessment_record(
        person=person, by=by, assessed_on=on, institution="二连浩特市残疾评定机构",
        findings=findings or [rules.Finding(category, grade)],
    )
    return services.certificate_issue(person=person, assessment=assessment, by=by, on=on)


def make_assessment(*, person: Person, by: User, on: date = date(2020, 5, 1),
                    findings: list[rules.Finding] | None = None, **wg_answers):
    """An assessment (残疾评定) with its findings, physical grade 2 unless told."""
    return services.assessment_record(
        person=person, by=by, assessed_on=on, institution="二连浩特市残疾评定机构",
        findings=findings or [rules.Finding(4, 2)], wg_answers=wg_answers or None,
    )
