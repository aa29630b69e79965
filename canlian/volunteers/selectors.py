"""Reads of volunteers and the emergency register, area-scoped. A volunteer is seen by the officers of the area
they serve and of the areas below it (a city-wide volunteer serves every community); a request, a profile and a
pairing by the officers of the person's area."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from canlian.accounts.scope import residence_in_scope, scope_paths
from canlian.areas.selectors import ancestor_paths, under_paths
from canlian.parameters.selectors import parameter_int, parameter_value
from canlian.registry.models import Certificate, Person, registered_on, valid_certificate_on
from canlian.volunteers import rules
from canlian.volunteers.models import EmergencyProfile, Pairing, Request, Volunteer


def volunteers(*, user) -> QuerySet[Volunteer]:
    paths = scope_paths(user)
    above = {path for own in paths for path in ancestor_paths(own)}
    return Volunteer.objects.filter(under_paths(paths, path_field="area__path") | Q(area__path__in=above))


def volunteer_kept_by(volunteer: Volunteer, user) -> bool:
    """Whether the user may change the volunteer's record: an officer of the area they registered in, or above it
    (a city-wide volunteer is seen by every community's officers, and kept by the city's)."""
    return any(volunteer.area.path.startswith(path) for path in scope_paths(user))


def with_hours(rows: QuerySet[Volunteer], *, year: int | None = None) -> QuerySet[Volunteer]:
    """Total service hours (and a year's, when asked) on each volunteer."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=8, decimal_places=1))
    rows = rows.annotate(total_hours=Coalesce(Sum("services__hours"), zero))
    if year is not None:
        rows = rows.annotate(year_hours=Coalesce(Sum("services__hours", filter=Q(services__served_on__year=year)),
                                                 zero))
    return rows


def star_thresholds(*, on: date) -> list[Decimal]:
    return [parameter_value(f"volunteers.star{n}_hours", on=on) for n in range(1, 6)]


def volunteer_get(*, user, pk) -> Volunteer:
    volunteer = volunteers(user=user).select_related("area", "organisation").filter(pk=pk).first() \
        if str(pk).isdecimal() else None
    if volunteer is None:
        raise Http404
    return volunteer


def requests(*, user) -> QuerySet[Request]:
    return Request.objects.filter(residence_in_scope(user, prefix="person__"))


def requests_live(*, user, state: str = "") -> QuerySet[Request]:
    """Open and matched requests; open ones past their deadline first (超期未响应)."""
    rows = requests(user=user).filter(state__in=[Request.State.OPEN, Request.State.MATCHED])
    if state in (Request.State.OPEN, Request.State.MATCHED):
        rows = rows.filter(state=state)
    open_first = Case(When(state=Request.State.OPEN, then=Value(0)), default=Value(1))
    return rows.select_related("person__residence_area", "volunteer").order_by(open_first, "due_on", "pk")


def requests_unanswered(*, user, on: date) -> QuerySet[Request]:
    return requests(user=user).filter(state=Request.State.OPEN, due_on__lt=on)


def request_get(*, user, pk) -> Request:
    request = requests(user=user).select_related("person__residence_area", "volunteer").filter(pk=pk).first() \
        if str(pk).isdecimal() else None
    if request is None:
        raise Http404
    return request


def candidates(*, user, request: Request) -> list[tuple[Volunteer, rules.Candidate]]:
    """The active volunteers the user sees who suit the request, best first, each with the reason (not the one it
    is matched to already: these are the choices for handing it on)."""
    rows = (volunteers(user=user).filter(active=True).exclude(pk=request.volunteer_id or 0).select_related("area")
            .annotate(in_hand=Count("requests", filter=Q(requests__state=Request.State.MATCHED))))
    found = []
    for volunteer in rows:
        candidate = rules.match(volunteer_id=volunteer.pk, skills=volunteer.skills, request_kind=request.kind,
                                volunteer_area_path=volunteer.area.path,
                                person_area_path=request.person.residence_area.path, open_requests=volunteer.in_hand)
        if candidate is not None:
            found.append((volunteer, candidate))
    return sorted(found, key=lambda pair: (pair[1].rank, pair[0].name, pair[0].pk))


# ---- The emergency register (应急登记与结对帮扶) ----------------------------------------------------------------

@dataclass(frozen=True)
class EmergencyRow:
    person: Person
    profile: EmergencyProfile | None
    pairing: Pairing | None
    urgency: rules.Urgency
    confirm_overdue: bool


def _current_pairings() -> Prefetch:
    return Prefetch("pairings", queryset=Pairing.objects.filter(ended_on__isnull=True), to_attr="current_pairings")


def emergency_list(*, user, on: date, under=None) -> list[EmergencyRow]:
    """The persons of the user's areas (or under `under`) with emergency needs recorded, most urgent first, each
    with their helper and whether the pairing is due to be confirmed again (the emergency office's list)."""
    confirm_days = parameter_int("emergency.confirm_days", on=on)
    persons = (Person.objects.filter(residence_in_scope(user), registered_on(on), emergency_profile__isnull=False)
               .select_related("residence_area", "emergency_profile").prefetch_related(_current_pairings()))
    if under is not None:
        persons = persons.filter(residence_area__path__startswith=under.path)
    rows = []
    for person in persons:
        pairing = person.current_pairings[0] if person.current_pairings else None
        rows.append(EmergencyRow(
            person=person, profile=person.emergency_profile, pairing=pairing,
            urgency=rules.urgency(person.emergency_profile.needs),
            confirm_overdue=pairing is None or pairing.confirmed_on < on - timedelta(days=confirm_days)))
    return sorted(rows, key=lambda row: (row.urgency.rank, row.person.residence_area.path, row.person.name))


def emergency_unconfirmed(*, user, on: date) -> QuerySet[Person]:
    """Persons with emergency needs whose helper is missing or was last confirmed too long ago (待结对或待确认)."""
    cutoff = on - timedelta(days=parameter_int("emergency.confirm_days", on=on))
    confirmed = Pairing.objects.filter(person=OuterRef("pk"), ended_on__isnull=True, confirmed_on__gte=cutoff)
    return Person.objects.filter(residence_in_scope(user), registered_on(on), emergency_profile__isnull=False) \
        .exclude(Exists(confirmed))


def emergency_suggested(*, user, on: date) -> QuerySet[Person]:
    """Persons with a severe (grade 1–2) card and no emergency needs recorded yet (建议登记)."""
    return (Person.objects.filter(residence_in_scope(user), registered_on(on), emergency_profile__isnull=True)
            .filter(Exists(Certificate.objects.filter(valid_certificate_on(on), person=OuterRef("pk"), grade__lte=2)))
            .select_related("residence_area").order_by("residence_area__path", "name", "pk"))


def emergency_person_get(*, user, pk) -> Person:
    person = Person.objects.filter(residence_in_scope(user)).select_related("residence_area").filter(pk=pk).first() \
        if str(pk).isdecimal() else None
    if person is None:
        raise Http404
    return person


def emergency_facts(person: Person, *, on: date) -> dict:
    """What the register says that bears on emergency needs: the categories and severity of the person's valid
    cards, and whether their household has no one else in it (独居)."""
    cards = list(Certificate.objects.filter(valid_certificate_on(on), person=person).values_list("category", "grade"))
    membership = getattr(person, "membership", None)
    living_alone = membership is not None and membership.household.members.count() == 1
    return {"categories": [category for category, _grade in cards], "severe": any(grade <= 2 for _c, grade in cards),
            "living_alone": living_alone}


def pairings_of(person: Person) -> QuerySet[Pairing]:
    return person.pairings.select_related("confirmed_by").order_by("-started_on", "-pk")
