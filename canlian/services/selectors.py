"""Reads of needs and services, area-scoped: worklists, survey progress, coverage per area, coordinators."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from canlian.accounts.scope import residence_in_scope, scoped_areas
from canlian.common.numbers import percent
from canlian.exchange.models import ChildScreening
from canlian.parameters.selectors import parameter_int
from canlian.registry.models import Certificate, Person, registered_on, valid_certificate_on
from canlian.registry.rules import add_years
from canlian.services import rules
from canlian.services.choices import PLACEMENTS, SUBTYPES, NeedKind, NeedState, ServiceKind
from canlian.services.models import (
    ModificationPhoto,
    ModificationProject,
    Need,
    RehabCoordinator,
    ServiceRecord,
    SurveyVisit,
)
from canlian.services.survey import SECTIONS, Section


def person_facts(person: Person, *, on: date) -> rules.PersonFacts:
    card = (Certificate.objects.filter(valid_certificate_on(on), person=person).values("category", "grade").first()
            or {"category": None, "grade": None})
    screened = ChildScreening.objects.filter(person=person).exists()
    return rules.PersonFacts(age=person.age_on(on), registered=person.life_status_on(on) == "active",
                             certificate_category=card["category"], certificate_grade=card["grade"], screened=screened)


def sections_for(person: Person, *, on: date) -> list[Section]:
    """The survey's sections that apply to a person on the day of the visit: education from pre-school to university
    age (3–22), employment in working age (16–59 by default)."""
    age = person.age_on(on)
    working = parameter_int("person.working_age_min", on=on) <= age <= parameter_int("person.working_age_max", on=on)
    applies = {"all": True, "working_age": working, "school_age": 3 <= age <= 22}
    return [section for section in SECTIONS if applies[section.applies_to]]


# ---- Worklists ---------------------------------------------------------------------------------------------

def needs(*, user) -> QuerySet[Need]:
    return Need.objects.filter(residence_in_scope(user, prefix="person__")).select_related("person",
                                                                                          "person__residence_area")


def needs_live(*, user, kind: str = "") -> QuerySet[Need]:
    """Open and referred needs in the user's areas, the longest overdue referral first."""
    live = needs(user=user).filter(state__in=[NeedState.OPEN, NeedState.REFERRED])
    return (live.filter(kind=kind) if kind in NeedKind.values else live).order_by("state", "due_on", "pk")


def need_get(*, user, pk) -> Need:
    try:
        return needs(user=user).get(pk=pk)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def needs_without_service(*, user) -> QuerySet[Need]:
    """"Needs without service": open needs no service answers yet (the worklist's core)."""
    return needs(user=user).filter(state=NeedState.OPEN).filter(~Exists(ServiceRecord.objects.filter(
        need=OuterRef("pk"))))


def services_of(*, user) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(residence_in_scope(user, prefix="person__")).select_related(
        "person", "provider", "product", "need")


def service_get(*, user, pk) -> ServiceRecord:
    try:
        return services_of(user=user).get(pk=pk)
    except (ServiceRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---- The survey's progress (入户调查进度) -------------------------------------------------------------------------

def survey_due(*, user, on: date) -> QuerySet[Person]:
    """Who is to be visited this year: persons on the register with a valid certificate, in the user's areas."""
    return Person.objects.filter(residence_in_scope(user), registered_on(on)).filter(
        Exists(Certificate.objects.filter(valid_certificate_on(on), person=OuterRef("pk"))))


def _visited(year: int) -> Exists:
    return Exists(SurveyVisit.objects.filter(person=OuterRef("pk"), year=year, completed_at__isnull=False))


def survey_progress(*, user, on: date) -> list[dict]:
    """Visited / due this year, per area where the persons live."""
    rows = (survey_due(user=user, on=on).values("residence_area__code", "residence_area__name")
            .annotate(due=Count("pk"), visited=Count("pk", filter=Q(_visited(on.year))))
            .order_by("residence_area__code"))
    return [{"area": row["residence_area__name"], "due": row["due"], "visited": row["visited"],
             "percent": _percent(row["visited"], row["due"])} for row in rows]


def survey_not_visited(*, user, on: date) -> QuerySet[Person]:
    return (survey_due(user=user, on=on).exclude(_visited(on.year))
            .annotate(started=Exists(SurveyVisit.objects.filter(person=OuterRef("pk"), year=on.year)))
            .select_related("residence_area").order_by("residence_area__code", "name"))


def _percent(part: int, whole: int) -> Decimal | None:
    return percent(part, whole, places=Decimal("0.1"))


# ---- Coverage (康复服务率、辅助器具适配率) ------------------------------------------------------------------------

COVERAGE = {
    "rehabilitation": ((NeedKind.REHABILITATION, NeedKind.CHILD_REHABILITATION),
                       (ServiceKind.REHABILITATION, ServiceKind.CHILD_REHABILITATION)),
    "assistive_device": ((NeedKind.ASSISTIVE_DEVICE,), (ServiceKind.ASSISTIVE_DEVICE,)),
}


@dataclass(frozen=True)
class Coverage:
    area: str
    needing: int
    served: int

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.served, self.needing)


def needing_during(kinds, start: date, end: date) -> Exists:
    """A person with a need of these kinds open at some time between two days."""
    return Exists(Need.objects.filter(person=OuterRef("pk"), kind__in=kinds, opened_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)))


def served_during(kinds, start: date, end: date) -> Exists:
    """A person with a service of these kinds running at some time between two days."""
    return Exists(ServiceRecord.objects.filter(person=OuterRef("pk"), kind__in=kinds, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)))


def coverage_by_area(*, user, what: str, year: int) -> list[Coverage]:
    """Of the persons with a need of the kind during the year, how many received such a service that year
    (基本康复服务率 / 辅助器具适配率), per area where they live."""
    need_kinds, service_kinds = COVERAGE[what]
    start, end = date(year, 1, 1), date(year, 12, 31)
    served = served_during(service_kinds, start, end)
    rows = (Person.objects.filter(residence_in_scope(user), needing_during(need_kinds, start, end))
            .values("residence_area__code", "residence_area__name")
            .annotate(needing=Count("pk"), served=Count("pk", filter=Q(served)))
            .order_by("residence_area__code"))
    return [Coverage(row["residence_area__name"], row["needing"], row["served"]) for row in rows]


# ---- Coordinators (康复协调员) -------------------------------------------------------------------------------

def coordinators_by_area(*, user, on: date) -> list[dict]:
    """Each of the user's areas that has persons: persons on the register, coordinators serving, per coordinator,
    and whether that is within the 80–150 band."""
    low = parameter_int("services.coordinator_min_persons", on=on)
    high = parameter_int("services.coordinator_max_persons", on=on)
    persons = dict(Person.objects.filter(residence_in_scope(user), registered_on(on))
                   .values_list("residence_area").annotate(n=Count("pk")).values_list("residence_area", "n"))
    serving = dict(RehabCoordinator.objects.filter(area__in=scoped_areas(user), assigned_on__lte=on)
                   .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
                   .values_list("area").annotate(n=Count("pk")).values_list("area", "n"))
    rows = []
    for area in scoped_areas(user).filter(pk__in=set(persons) | set(serving)).order_by("code"):
        count, coordinators = persons.get(area.pk, 0), serving.get(area.pk, 0)
        rows.append({"area": area, "persons": count, "coordinators": coordinators,
                     "per": round(count / coordinators) if coordinators else None,
                     "status": rules.coordinator_load(persons=count, coordinators=coordinators, low=low, high=high)})
    return rows


# ---- Children's rehabilitation (残疾儿童康复救助) ------------------------------------------------------------------

def children_without_case(*, user, on: date) -> QuerySet[Person]:
    """Children within the assistance age, certified or screened by health, with no live children's rehabilitation
    need and no such service this year: the worklist that turns a screening into a case."""
    max_age = parameter_int("children.screening_max_age", on=on)
    certified_or_screened = Q(Exists(Certificate.objects.filter(valid_certificate_on(on), person=OuterRef("pk")))) | Q(
        Exists(ChildScreening.objects.filter(person=OuterRef("pk"))))
    return (Person.objects.filter(residence_in_scope(user), registered_on(on), birth_date__gt=add_years(
        on, -(max_age + 1))).filter(certified_or_screened)
        .exclude(Exists(Need.objects.filter(person=OuterRef("pk"), kind=NeedKind.CHILD_REHABILITATION,
                                            state__in=[NeedState.OPEN, NeedState.REFERRED])))
        .exclude(Exists(ServiceRecord.objects.filter(person=OuterRef("pk"), kind=ServiceKind.CHILD_REHABILITATION,
                                                     started_on__year=on.year)))
        .annotate(screened=Exists(ChildScreening.objects.filter(person=OuterRef("pk"))))
        .select_related("residence_area").order_by("-screened", "birth_date", "pk"))


def children_without_placement(*, user, on: date) -> QuerySet[Person]:
    """School-age (6–15) certified children with no placement this year, nor a recorded reason (适龄未安置)."""
    placed = ServiceRecord.objects.filter(person=OuterRef("pk"), kind=ServiceKind.EDUCATION, subtype__in=PLACEMENTS,
                                          started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    return (survey_due(user=user, on=on).filter(birth_date__lte=add_years(on, -6), birth_date__gt=add_years(on, -16))
            .exclude(Exists(placed)).select_related("residence_area").order_by("residence_area__code", "birth_date"))


def modifications(*, user) -> QuerySet[ModificationProject]:
    return ModificationProject.objects.filter(residence_in_scope(user, prefix="person__")).select_related(
        "person", "person__residence_area")


def modification_get(*, user, pk) -> ModificationProject:
    try:
        return modifications(user=user).get(pk=pk)
    except (ModificationProject.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def modification_photo_get(*, user, pk) -> ModificationPhoto:
    try:
        return ModificationPhoto.objects.filter(residence_in_scope(user, prefix="project__person__")).select_related(
            "project").get(pk=pk)
    except (ModificationPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def modification_progress(*, user, year: int) -> dict:
    """This year's accepted projects against the yearly target, and those in progress."""
    projects = modifications(user=user)
    return {"accepted": projects.filter(step=ModificationProject.Step.ACCEPTED, accepted_on__year=year).count(),
            "target": parameter_int("home_modification.yearly_target", on=date(year, 12, 31)),
            "in_progress": projects.filter(step__in=["applied", "surveyed", "in_works"]).order_by("applied_on")}


def person_needs_and_services(person: Person) -> dict:
    return {"needs": person.needs.order_by("-opened_on", "-pk"),
            "services": person.service_records.select_related("provider", "product").order_by("-pk"),
            "visits": person.survey_visits.order_by("-year")}


def timeline_entries(person: Person) -> list:
    """The person's needs and services for the file's timeline (registered in AppConfig.ready)."""
    from canlian.registry.selectors import TimelineEntry, history_entries

    return (history_entries(Need.history.filter(person_id=person.pk).select_related("history_user"),
                            lambda r: _("需求：%(k)s（%(s)s）") % {"k": r.get_kind_display(), "s": r.get_state_display()})
            + history_entries(ServiceRecord.history.filter(person_id=person.pk).select_related("history_user"),
                              lambda r: _("服务：%(k)s · %(t)s") % {"k": r.get_kind_display(), "t": dict(
                                  SUBTYPES.get(r.kind, [])).get(r.subtype, r.subtype)})
            # A visit once, when finished: its section-by-section saves are not events of the person's life.
            + [TimelineEntry(at=visit.completed_at, who=str(visit.officer),
                             title=_("%(y)s 年入户调查完成") % {"y": visit.year})
               for visit in person.survey_visits.filter(completed_at__isnull=False).select_related("officer")])
