"""Behind a trusted reverse proxy the access log records the client, not the proxy; nobody else can forge it."""

import pytest
from django.test import Client

from canlian.audit.models import AccessLog
from canlian.registry.tests.factories import make_person


@pytest.fixture
def zhang(officer, areas):
    return make_person(by=officer, area=areas["beijiang"])


def _viewed_from(officer, person, forwarded: str) -> str:
    client = Client()
    client.force_login(officer)
    client.get(f"/persons/{person.pk}/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    return AccessLog.objects.filter(action=AccessLog.Action.VIEW).latest("pk").ip_address


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(officer, zhang):
    assert _viewed_from(officer, zhang, "203.0.113.9") == "10.0.0.2"


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(officer, zhang, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.1.1.1" itself; nginx appended the address it really saw.
    assert _viewed_from(officer, zhang, "1.1.1.1, 203.0.113.9") == "203.0.113.9"


def test_a_malformed_forwarded_address_keeps_the_proxy_address(officer, zhang, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _viewed_from(officer, zhang, "not-an-address") == "10.0.0.2"
