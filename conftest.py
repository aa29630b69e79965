"""Test-wide settings and the staff fixtures every suite shares (unit, integration and browser)."""

import pytest


def pytest_configure(config):
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tasks run where they are enqueued (after the transaction commits), so a test sees their outcome.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# Imports inside the fixtures: this file loads before Django is set up.


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate limits count in the cache: each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def areas(db):
    from canlian.registry.tests.factories import make_areas

    return make_areas()


def _user(username: str, role: str, area):
    from canlian.registry.tests.factories import make_user

    return make_user(username, role, [area])


@pytest.fixture
def officer(areas):
    """A federation officer (残联工作人员) covering the whole city."""
    return _user("officer", "federation_officer", areas["city"])


@pytest.fixture
def beijiang_officer(areas):
    """A community officer (专职委员) of 北疆社区 only."""
    return _user("beijiang", "community_officer", areas["beijiang"])


@pytest.fixture
def dongcheng_officer(areas):
    return _user("dongcheng", "community_officer", areas["dongcheng"])


@pytest.fixture
def leader(areas):
    return _user("leader", "federation_leader", areas["city"])


@pytest.fixture
def admin_user(areas):
    user = _user("admin", "admin", areas["city"])
    user.is_staff = user.is_superuser = True
    user.save()
    return user
