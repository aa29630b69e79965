"""Builders for volunteers tests: volunteers registered on their consent, requests opened and matched, services
logged, emergency needs and pairings, all made through the real services."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from canlian.accounts.models import Proxy, Role
from canlian.registry.tests.factories import make_user
from canlian.volunteers import services
from canlian.volunteers.models import Pairing
from canlian.volunteers.rules import EmergencyNeed, RequestKind

TODAY = timezone.localdate()
ASKED = TODAY - timedelta(days=20)  # the day most test requests were made


def make_volunteer(*, by, area, name: str = "刘洋", phone: str = "13947900001",
                   skills: tuple[str, ...] = (RequestKind.ESCORT,), consent_on: date | None = None, **values):
    """A volunteer registered with their consent (本人同意), offering escorts (陪诊) unless told."""
    return services.volunteer_register(by=by, name=name, phone=phone, area=area, skills=list(skills), consent=True,
                                       consent_on=consent_on or TODAY - timedelta(days=60), **values)


def make_request(*, person, by, kind: str = RequestKind.ESCORT, requested_on: date = ASKED,
                 detail: str = "需陪同到市医院复查，挂号取药。", **values):
    return services.request_open(person=person, by=by, kind=kind, detail=detail, requested_on=requested_on,
                                 **values)


def make_matched(*, person, by, volunteer, kind: str = RequestKind.ESCORT, requested_on: date = ASKED):
    """A request already handed to a volunteer (已对接志愿者)."""
    request = make_request(person=person, by=by, kind=kind, requested_on=requested_on)
    return services.request_match(request=request, by=by, volunteer=volunteer, on=requested_on)


def log_service(request, *, by, hours: str = "2", served_on: date | None = None, **values):
    return services.service_log(request=request, by=by, served_on=served_on or request.requested_on,
                                hours=Decimal(hours), **values)


def make_profile(*, person, by, needs: tuple[str, ...] = (EmergencyNeed.MOBILITY,), note: str = ""):
    return services.emergency_profile_save(person=person, by=by, needs=list(needs), note=note)


def make_pairing(*, person, by, started_on: date, name: str = "王秀兰", phone: str = "15947900001",
                 kind: str = Pairing.HelperKind.NEIGHBOUR, volunteer=None):
    return services.pairing_set(person=person, by=by, helper_kind=kind, helper_name=name, helper_phone=phone,
                                started_on=started_on, volunteer=volunteer)


def make_resident(person=None, *, username: str = "resident"):
    """A resident of the portal (居民), with a confirmed authorisation for `person` when given: enough to apply,
    never to decide."""
    resident = make_user(username, Role.RESIDENT, [])
    if person is not None:
        Proxy.objects.create(resident=resident, person=person, relation=Proxy.Relation.SELF,
                             state=Proxy.State.CONFIRMED)
    return resident
