"""Reads of the registry, always within the requesting user's area scope."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from canlian.accounts.scope import residence_in_scope, scope_paths, scoped_areas
from canlian.areas.selectors import under_paths
from canlian.common.ids import IdNumberError, clean_number, normalize_id_number, upgrade_legacy_id
from canlian.common.masking import mask_certificate_number, mask_id_number
from canlian.parameters.selectors import parameter_int
from canlian.registry import rules
from canlian.registry.choices import Category, CertificateStatus, LifeStatus
from canlian.registry.models import (
    Assessment,
    AssistanceStatus,
    Certificate,
    CertificateRequest,
    Household,
    HouseholdMember,
    Person,
    valid_certificate_on,
)


def person_queryset(*, user) -> QuerySet[Person]:
    """All persons the user may see: those living in the user's areas. Nothing for other roles."""
    if not getattr(user, "works_with_persons", False):
        return Person.objects.none()
    # A join on the area's materialised path, not `area IN (subtree)`: a lookup by number checks one row's
    # area instead of listing a province's thousands of areas first.
    return Person.objects.filter(residence_in_scope(user))


def person_get(*, user, pk: int) -> Person:
    """One person in the user's scope, or 404 — the same answer as for a person that does not exist."""
    try:
        return person_queryset(user=user).select_related("residence_area", "hukou_area").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _prefix(field_name: str, prefix: str) -> Q:
    # PostgreSQL answers LIKE 'x%' from a varchar_pattern_ops index; SQLite's LIKE … ESCAPE cannot use an
    # index, but a range over the binary-collated index can.
    if connection.vendor == "postgresql":
        return Q(**{f"{field_name}__startswith": prefix})
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": prefix + "\U0010ffff"})


@dataclass(frozen=True)
class PersonFilters:
    query: str = ""
    area_id: int | None = None
    category: int | None = None
    grade: int | None = None
    life_status: str = ""


def _query_condition(query: str) -> tuple[Q | None, bool]:
    """Read what the officer typed: an ID number, a certificate number, a phone, pinyin initials or a name.

    Returns the condition and whether it is a lookup by number (a handful of rows at most).
    """
    text = clean_number(query)
    if not text:
        return None, False
    if len(text) == 15 and text.isdigit():
        text = upgrade_legacy_id(text)
    if len(text) == 18 and text[:17].isdigit():
        try:
            return Q(id_number=normalize_id_number(text)), True
        except IdNumberError:
            return Q(id_number=text), True
    if 20 <= len(text) <= 24 and text[:17].isdigit():
        return Q(pk__in=Certificate.objects.filter(number=text).values("person_id")), True
    if text.isdigit():
        if len(text) >= 7:
            return Q(phone=text) | Q(guardian_phone=text), True
        return _prefix("phone", text), False
    if text.isascii() and text.isalpha():
        return _prefix("name_initials", text.lower()), False
    return _prefix("name", " ".join(str(query).split())), False


def _person_matches(*, user, filters: PersonFilters) -> tuple[QuerySet[Person], bool]:
    persons = person_queryset(user=user)
    condition, by_number = _query_condition(filters.query)
    if condition is not None:
        persons = persons.filter(condition)
    if filters.area_id:
        area = scoped_areas(user).filter(pk=filters.area_id).first()
        persons = persons.filter(residence_area__path__startswith=area.path) if area else persons.none()
    if filters.life_status:
        persons = persons.filter(life_status=filters.life_status)
    if filters.category or filters.grade:
        certificates = Certificate.objects.filter(valid_certificate_on(timezone.localdate()))
        if filters.category:
            certificates = certificates.filter(category=filters.category)
        if filters.grade:
            certificates = certificates.filter(grade=filters.grade)
        persons = persons.filter(pk__in=certificates.values("person_id"))
    return persons.order_by("name", "pk"), by_number


def _with_search_display(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.select_related("residence_area").prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.filter(valid_certificate_on(timezone.localdate())),
                 to_attr="valid_certificates")
    )


def person_search(*, user, filters: PersonFilters) -> QuerySet[Person]:
    """Search persons in scope by number, name, initials or phone, filtered by area, category, grade, status."""
    return _with_search_display(_person_matches(user=user, filters=filters)[0])


def person_search_page(*, user, filters: PersonFilters, page_number, per_page: int = 25) -> Page:
    """One page of search results, as the search page shows it.

    The page's ids come first from the prefix index alone (name and id ride in it), then only those rows
    are read: "ty" matches ten thousand persons in a province, and sorting their full rows is the slow part.
    """
    matches, by_number = _person_matches(user=user, filters=filters)
    paginator = Paginator(matches.values_list("pk", flat=True), per_page)
    if by_number:
        # A lookup by number finds a handful of rows: read them directly, and their number is the count.
        rows = list(_with_search_display(matches)[: per_page + 1])
        if len(rows) <= per_page:
            paginator.count = len(rows)
            return Page(rows, 1, paginator)
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    rows = _with_search_display(Person.objects.filter(pk__in=ids)).in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]
    return page


def certificate_current(person: Person) -> Certificate | None:
    """The card that speaks for the person now: the valid one, else the latest of any status."""
    certificates = person.certificates.prefetch_related("components").order_by("-status_since", "-pk")
    return certificates.filter(status=CertificateStatus.VALID).first() or certificates.first()


def certificates_expiring(*, user, on: date) -> QuerySet[Certificate]:
    """Worklist (到期换证): valid cards due for renewal — overdue first, then those ending within the notice period.

    The SQL twin of rules.certificate_renewable.
    """
    days = parameter_int("certificate.expiry_notice_days", on=on)
    return (
        Certificate.objects.filter(
            person__in=person_queryset(user=user), person__life_status=LifeStatus.ACTIVE,
            status=CertificateStatus.VALID, valid_until__lte=on + timedelta(days=days),
        )
        .select_related("person", "person__residence_area")
        .order_by("valid_until", "pk")
    )


def certificate_summary_by_category(*, user) -> list[dict]:
    """Aggregates only (for leaders): valid cards of active persons in the user's areas, by category."""
    certificates = Certificate.objects.filter(
        valid_certificate_on(timezone.localdate()), residence_in_scope(user, prefix="person__"),
        person__life_status=LifeStatus.ACTIVE,
    )
    rows = {row["category"]: row for row in certificates.values("category").annotate(
        total=Count("pk"), severe=Count("pk", filter=Q(grade__lte=2)))}
    return [
        {"label": category.label, "total": rows.get(category.value, {}).get("total", 0),
         "severe": rows.get(category.value, {}).get("severe", 0)}
        for category in Category
    ]


def household_facts(*, user, person: Person, on: date):
    """The person's household, its members and the flags derived from them (一户多残, 依老养残).

    A registered member living outside the user's areas is marked `hidden`: the page shows the relation only.
    """
    membership = HouseholdMember.objects.select_related("household").filter(person=person).first()
    if membership is None:
        return None, [], None
    members = list(membership.household.members.select_related("person").order_by("pk"))
    visible = set(person_queryset(user=user).filter(pk__in=[m.person_id for m in members if m.person_id])
                  .values_list("pk", flat=True))
    for member in members:
        member.hidden = member.person_id is not None and member.person_id not in visible
    facts = [
        rules.MemberFacts(relation=m.relation, birth_date=m.person.birth_date if m.person_id else m.birth_date,
                          disabled=m.person_id is not None and m.person.life_status == LifeStatus.ACTIVE)
        for m in members if not (m.person_id and m.person.life_status == LifeStatus.DECEASED)  # cares for no one
    ]
    flags = rules.household_flags(facts, on=on,
                                  elder_parent_age=parameter_int("household.elder_parent_age", on=on))
    return membership.household, members, flags


def assessments_of(person: Person) -> QuerySet[Assessment]:
    return person.assessments.prefetch_related("findings").select_related("recorded_by")


# --- the person's timeline (一人一档时间线) ---------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    title: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


_SKIP = {"history_id", "history_date", "history_change_reason", "history_type", "history_user",
         "history_user_id", "created_at", "updated_at", "name_initials", "id", "path"}


def _value_label(record, field_obj) -> str:
    value = getattr(record, field_obj.attname)
    if value is None or value == "":
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if field_obj.is_relation:
        related = getattr(record, field_obj.name, None)
        return str(related) if related is not None else str(value)
    if field_obj.name == "id_number":
        return mask_id_number(str(value))
    if field_obj.name == "number":
        return mask_certificate_number(str(value))
    return str(value)


def history_entries(records, title_for) -> list[TimelineEntry]:
    """Timeline entries from history rows (django-simple-history): what changed, by whom, and why."""
    entries = []
    previous_by_object = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        object_id = record.id
        previous = previous_by_object.get(object_id)
        changes = []
        if previous is not None:
            for field_obj in record.instance_type._meta.concrete_fields:
                if field_obj.name in _SKIP:
                    continue
                if getattr(previous, field_obj.attname) == getattr(record, field_obj.attname):
                    continue  # compare raw values first: labels of related rows cost a query each
                changes.append((str(field_obj.verbose_name), _value_label(previous, field_obj),
                                _value_label(record, field_obj)))
        previous_by_object[object_id] = record
        if previous is not None and not changes and record.history_type == "~":
            continue
        user = record.history_user
        entries.append(TimelineEntry(
            at=record.history_date, who=str(user) if user else _("系统"),
            title=title_for(record), reason=record.history_change_reason or "", changes=changes,
        ))
    return entries


# Other parts put their records on the timeline (needs, services …): each a function person -> [TimelineEntry],
# added from its AppConfig.ready(), so the registry imports nobody above it.
TIMELINE_SOURCES: list = []


def person_timeline(person: Person, *, assessments: list[Assessment] | None = None,
                    hidden_person_ids: frozenset[int] = frozenset()) -> list[TimelineEntry]:
    """Everything that happened to a person, newest first: details, certificates, household, assessments.

    Household members in `hidden_person_ids` (living outside the viewer's areas) are named by relation only.
    """
    entries = history_entries(
        Person.history.filter(id=person.pk).select_related("history_user", "residence_area", "hukou_area"),
        lambda r: _("登记信息") if r.history_type == "+" else _("信息变更"),
    )
    entries += history_entries(
        Certificate.history.filter(person_id=person.pk).select_related("history_user"),
        lambda r: _("残疾人证 %(n)s") % {"n": mask_certificate_number(r.number)},
    )
    membership_ids = list(HouseholdMember.history.filter(person_id=person.pk).values_list("household_id", flat=True))
    if membership_ids:
        entries += history_entries(
            HouseholdMember.history.filter(household_id__in=membership_ids).select_related("history_user",
                                                                                              "person"),
            lambda r: _("家庭成员：%(n)s") % {
                "n": r.get_relation_display() if r.person_id in hidden_person_ids
                else r.person.name if r.person_id else r.name},
        )
        entries += history_entries(
            Household.history.filter(id__in=membership_ids).select_related("history_user"),
            lambda r: _("家庭信息"),
        )
    for assessment in assessments if assessments is not None else assessments_of(person):
        findings = "、".join(str(f) for f in assessment.findings.all())
        entries.append(TimelineEntry(
            at=assessment.recorded_at, who=str(assessment.recorded_by or _("系统")),
            title=_("残疾评定（%(d)s，%(inst)s）") % {"d": assessment.assessed_on, "inst": assessment.institution},
            reason=findings,
        ))
    for source in TIMELINE_SOURCES:
        entries += source(person)
    return sorted(entries, key=lambda e: e.at, reverse=True)


# --- social-assistance statuses (救助身份) ---------------------------------------------------------


@dataclass(frozen=True)
class AssistanceListChanges:
    """What applying a civil-affairs list changes; the dry run counts these, the import applies the same."""

    started: QuerySet  # listed rows naming a person with no open spell of that kind: a spell starts
    corrected: QuerySet[AssistanceStatus]  # open spells whose start date the list gives differently
    ended: QuerySet[AssistanceStatus]  # open spells of the list's kinds in its area whose person it no longer names


def open_assistance_spell() -> QuerySet[AssistanceStatus]:
    """The open spell of the outer row's person and kind (OuterRef person_id, kind)."""
    return AssistanceStatus.objects.filter(ended_on__isnull=True, person_id=OuterRef("person_id"),
                                           kind=OuterRef("kind"))


def assistance_list_changes(*, listed: QuerySet, mentioned: QuerySet, area, kinds: list[str],
                            on: date) -> AssistanceListChanges:
    """Compare a list with the registry.

    `listed` holds the rows to apply and `mentioned` every row naming a registered person (a row whose name
    differs is not applied, but its person has not dropped off the list); both give person_id, kind and
    started_on. Spells end on the list date only for the kinds the list covers, in the area it covers.
    """
    open_spells = AssistanceStatus.objects.filter(ended_on__isnull=True)
    same_spell = {"person_id": OuterRef("person_id"), "kind": OuterRef("kind")}
    return AssistanceListChanges(
        started=listed.exclude(Exists(open_assistance_spell())),
        corrected=open_spells.filter(Exists(listed.filter(**same_spell).exclude(started_on=OuterRef("started_on")))),
        ended=open_spells.filter(kind__in=kinds, started_on__lt=on, person__residence_area__path__startswith=area.path)
        .exclude(Exists(mentioned.filter(**same_spell))),
    )


def assistance_statuses_on(person: Person, on: date) -> list[AssistanceStatus]:
    """The statuses a person holds on a day (e.g. 低保 and 低保边缘 never together, but 低保 and 特困 may be)."""
    return [spell for spell in person.assistance_statuses.all() if spell.is_active_on(on)]


def certificate_requests_open(*, user) -> QuerySet[CertificateRequest]:
    """证件申请 waiting in the user's areas, the nearest deadline first."""
    return (CertificateRequest.objects.filter(state=CertificateRequest.State.SUBMITTED)
            .filter(under_paths(scope_paths(user), path_field="area__path"))
            .select_related("person", "area", "submitted_by").order_by("due_on", "pk"))
