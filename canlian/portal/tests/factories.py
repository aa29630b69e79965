"""Builders for the portal's tests: resident accounts opened through the real services (a code read from the SMS
outbox), and a test client signed in as a resident."""

import re

from canlian.accounts.models import User
from canlian.portal import services
from canlian.portal.sms import outbox_last
from canlian.registry.tests.factories import PASSWORD, make_id


def code_sent_to(phone: str) -> str:
    """The six-digit code in the last text message sent to a phone (the file backend's outbox)."""
    text = outbox_last(phone)
    assert text is not None, f"no text message was sent to {phone}"
    return re.search(r"验证码是 (\d{6})", text).group(1)


def make_resident(*, id_number: str | None = None, name: str = "张三丰", phone: str = "13900000001",
                  password: str = PASSWORD) -> User:
    """A resident's account opened as the registration pages open it: step 1, the code from the SMS, step 2."""
    details = services.sign_up_start(id_number=id_number or make_id(), name=name, phone=phone)
    return services.resident_register(**details, code=code_sent_to(details["phone"]), password=password)


def resident_client_login(client, user: User):
    """Sign the test client in as the resident (the portal's session, without typing the password)."""
    client.force_login(user)
    return client


def portal_login(client, username: str, password: str = PASSWORD):
    """Sign in through the portal's login page, as a resident types it; returns the response."""
    return client.post("/portal/login/", {"username": username, "password": password})
