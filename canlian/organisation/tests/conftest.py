"""Builders for the organisation tests: posts made through the real services, cadres as the admin registers them."""

from datetime import date

import pytest

from canlian.areas.models import Area
from canlian.organisation import services
from canlian.organisation.models import OfficerPost, StaffMember
from canlian.registry.models import Person
from canlian.registry.tests.factories import make_certificate, make_person


def assign(area: Area, by, name: str = "乌日娜", on: date = date(2024, 1, 1), *, phone: str = "13847900001",
           disabled: bool = False) -> OfficerPost:
    """A term in the community's post from `on` (任职), the running one ending the day before."""
    return services.officer_post_assign(area=area, by=by, holder_name=name, holder_phone=phone,
                                        holder_disabled=disabled, started_on=on)


def end(post: OfficerPost, by, on: date, reason: str = "调离") -> OfficerPost:
    """The holder leaves on `on`; the post is vacant from the next day (离任)."""
    return services.officer_post_end(post=post, by=by, ended_on=on, reason=reason)


def cadre(name: str, unit: Area, *, person: Person | None = None, started_on: date = date(2020, 1, 1),
          ended_on: date | None = None, position: str = "干事") -> StaffMember:
    """A cadre of the federation at `unit` (the admin registers them; no service writes them)."""
    return StaffMember.objects.create(name=name, unit_area=unit, position=position, person=person,
                                      started_on=started_on, ended_on=ended_on)


@pytest.fixture
def carded(officer, areas) -> Person:
    """A person on the register with a card valid since 2020 (until 2030)."""
    person = make_person(by=officer, area=areas["beijiang"], name="孟根", birth=date(1980, 1, 1), sequence=11)
    make_certificate(person=person, by=officer, on=date(2020, 5, 1))
    return person


@pytest.fixture
def expired(officer, areas) -> Person:
    """A person whose only card ran out on 1 March 2020 (issued 2010, ten years)."""
    person = make_person(by=officer, area=areas["beijiang"], name="高娃", birth=date(1982, 3, 4), sequence=13)
    make_certificate(person=person, by=officer, on=date(2010, 3, 1))
    return person


@pytest.fixture
def cancelled(officer, areas) -> Person:
    """A person whose card, issued in 2020, was cancelled (注销) on 1 June 2024."""
    from canlian.registry.services import certificate_cancel

    person = make_person(by=officer, area=areas["dongcheng"], name="斯琴", birth=date(1985, 6, 7), sequence=15)
    card = make_certificate(person=person, by=officer, on=date(2020, 5, 1))
    certificate_cancel(certificate=card, by=officer, on=date(2024, 6, 1), reason="经复核不符合条件")
    return person
