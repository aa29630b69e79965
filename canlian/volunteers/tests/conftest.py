"""The persons volunteers tests share: one in each community of the test city and one in the sumu's gacha."""

from datetime import date

import pytest

from canlian.registry.choices import Category
from canlian.registry.tests.factories import make_certificate, make_person


@pytest.fixture
def zhang(officer, areas):
    """张三丰 of 北疆社区, physical disability grade 2 (a severe card)."""
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰", birth=date(1980, 1, 1), sequence=11)
    make_certificate(person=person, by=officer, category=Category.PHYSICAL, grade=2)
    return person


@pytest.fixture
def li(officer, areas):
    """李四 of 东城社区, hearing disability grade 1."""
    person = make_person(by=officer, area=areas["dongcheng"], name="李四", birth=date(1975, 6, 1), sequence=13)
    make_certificate(person=person, by=officer, category=Category.HEARING, grade=1)
    return person


@pytest.fixture
def bater(officer, areas):
    """巴特尔 of 第一嘎查 (under the sumu), vision disability grade 3."""
    person = make_person(by=officer, area=areas["gacha"], name="巴特尔", birth=date(1968, 3, 1), sequence=15,
                         ethnicity="02")
    make_certificate(person=person, by=officer, category=Category.VISION, grade=3)
    return person
