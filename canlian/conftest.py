import pytest

from canlian.accounts.models import Role
from canlian.registry.tests.factories import make_areas, make_user


@pytest.fixture
def areas(db):
    return make_areas()


@pytest.fixture
def officer(areas):
    """A federation officer covering the whole city."""
    return make_user("officer", Role.FEDERATION_OFFICER, [areas["city"]])


@pytest.fixture
def beijiang_officer(areas):
    """A community officer (专职委员) of 北疆社区 only."""
    return make_user("beijiang", Role.COMMUNITY_OFFICER, [areas["beijiang"]])


@pytest.fixture
def dongcheng_officer(areas):
    return make_user("dongcheng", Role.COMMUNITY_OFFICER, [areas["dongcheng"]])


@pytest.fixture
def leader(areas):
    return make_user("leader", Role.FEDERATION_LEADER, [areas["city"]])


@pytest.fixture
def admin_user(areas):
    user = make_user("admin", Role.ADMIN, [areas["city"]])
    user.is_staff = user.is_superuser = True
    user.save()
    return user
