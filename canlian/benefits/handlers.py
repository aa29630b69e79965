"""What benefits do when the registry publishes a change (design.md: subscribers call their own services)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from canlian.areas.models import Area
from canlian.benefits.choices import Scheme
from canlian.benefits.models import Entitlement
from canlian.benefits.selectors import persons_to_review
from canlian.benefits.services import entitlement_review
from canlian.registry import events
from canlian.registry.choices import LifeStatus
from canlian.registry.models import Person

# The schemes a 低保/特困 status decides (domain.md §2).
ASSISTANCE_SCHEMES = [Scheme.LIVING_ALLOWANCE, Scheme.NURSING_ALLOWANCE, Scheme.INSURANCE_PREMIUM]


def _review(person_id: int, on, cause: str) -> None:
    person = Person.objects.filter(pk=person_id).first()
    if person is not None and person.entitlements.exclude(state=Entitlement.State.ENDED).exists():
        entitlement_review(person=person, on=on, cause=cause)


def on_life_status_changed(event: events.PersonLifeStatusChanged) -> None:
    _review(event.person_id, event.since, _("人员状态变更为“%(s)s”") % {"s": LifeStatus(event.new_status).label})


_CERTIFICATE_ACTIONS = {action: pgettext_lazy("证件事件", label) for action, label in (
    ("issue", "发证"), ("register", "存量证件录入"), ("renew", "换证"), ("regrade", "调整等级"), ("reissue", "补发"),
    ("freeze", "冻结"), ("unfreeze", "解冻"), ("cancel", "注销"))}


def on_certificate_changed(event: events.CertificateChanged) -> None:
    if Person.objects.filter(pk=event.person_id).exclude(life_status=LifeStatus.ACTIVE).exists():
        return  # a card cancelled because of a death or a move: the life-status change says why
    action = _CERTIFICATE_ACTIONS.get(event.action, event.action)
    _review(event.person_id, event.on, _("残疾人证%(action)s") % {"action": action})


def on_assistance_statuses_changed(event: events.AssistanceStatusesChanged) -> None:
    """A civil-affairs list was applied: review those in its area whose benefits the new statuses change."""
    for person_id in list(persons_to_review(on=event.on, area_path=_area_path(event.area_code),
                                            schemes=ASSISTANCE_SCHEMES)):
        _review(person_id, event.on, _("民政救助名单更新"))


def _area_path(code: str) -> str:
    area = Area.objects.filter(code=code).first()
    return area.path if area else "\0"  # an unknown area matches nobody


def subscribe() -> None:
    events.subscribe(events.PersonLifeStatusChanged, on_life_status_changed)
    events.subscribe(events.CertificateChanged, on_certificate_changed)
    events.subscribe(events.AssistanceStatusesChanged, on_assistance_statuses_changed)
