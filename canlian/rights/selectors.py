"""Reads of rights cases, area-scoped: the worklist (late and escalated first), one case, who may handle it, and
the statistics the annual report quotes (by kind, source and area; on-time rate; satisfaction)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from canlian.accounts.models import Role, User
from canlian.accounts.scope import residence_in_scope, scope_paths
from canlian.areas.models import Area
from canlian.areas.selectors import ancestor_paths, under_paths
from canlian.common.ids import clean_number
from canlian.common.numbers import percent
from canlian.rights.models import Case, Partner
from canlian.rights.rules import CaseKind, CaseSource, CaseState, Satisfaction


def cases(*, user) -> QuerySet[Case]:
    """The cases of the user's areas; a resident's own online cases (网上反映) for a resident."""
    if getattr(user, "is_resident", False):
        # Raised by them, about a person they still act for: a revoked authorisation ends what they see.
        return Case.objects.filter(resident=user).filter(residence_in_scope(user, prefix="person__")) \
            if user.is_authenticated else Case.objects.none()
    return Case.objects.filter(under_paths(scope_paths(user), path_field="area__path"))


def cases_open(*, user, state: str = "", query: str = "") -> QuerySet[Case]:
    """Open cases, escalated and late ones first, then by deadline."""
    rows = cases(user=user).exclude(state=CaseState.CLOSED)
    if state in CaseState.values:
        rows = rows.filter(state=state)
    if query.strip():  # a case number (受理编号) finds that case, closed or not; anything else finds nothing
        reference = _reference(query)
        rows = (cases(user=user).filter(pk=reference[0], received_on=reference[1]) if reference
                else Case.objects.none())
    return (rows.select_related("area", "assigned_to", "partner")
            .order_by(F("escalated_on").asc(nulls_last=True), "due_on", "pk"))


def _reference(text: str) -> tuple[int, date] | None:
    """The case number and the day received that a reference WQyyyymmddnnnnnn names, typed as it may be."""
    text = clean_number(text)
    if not (len(text) == 16 and text.startswith("WQ") and text[2:].isascii() and text[2:].isdecimal()):
        return None
    try:
        return int(text[10:]), datetime.strptime(text[2:10], "%Y%m%d").date()
    except ValueError:
        return None


def case_get(*, user, pk) -> Case:
    if not str(pk).isdecimal():
        raise Http404
    case = cases(user=user).select_related("area", "person", "assigned_to", "partner").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_handlers(case: Case) -> QuerySet[User]:
    """The officers who may handle a case: active officers one of whose areas is the case's area or above it."""
    return (User.objects.filter(is_active=True, role__in=[Role.FEDERATION_OFFICER, Role.COMMUNITY_OFFICER],
                                areas__path__in=ancestor_paths(case.area.path))
            .distinct().order_by("display_name", "username"))


def partners_active() -> QuerySet[Partner]:
    return Partner.objects.filter(active=True)


@dataclass
class CaseStatistics:
    """Cases received in a period (受理) and how they ended: the annual report's figures."""

    start: date
    end: date
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    open_late: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_source: list[tuple[str, int]] = field(default_factory=list)
    by_area: list[tuple[Area, int]] = field(default_factory=list)
    by_satisfaction: list[tuple[str, int]] = field(default_factory=list)

    @property
    def on_time_rate(self) -> Decimal | None:
        """按期办结率: closed by their deadline, of those closed."""
        return percent(self.closed_on_time, self.closed)

    @property
    def satisfaction_labels(self) -> list[tuple[str, int]]:
        return [(Satisfaction(value).label, n) for value, n in self.by_satisfaction]

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意率: satisfied or fairly satisfied, of those reached on the return call."""
        counts = dict(self.by_satisfaction)
        reached = sum(n for key, n in counts.items() if key != Satisfaction.UNREACHED)
        return percent(counts.get(Satisfaction.SATISFIED, 0) + counts.get(Satisfaction.FAIRLY, 0), reached)


def case_statistics(*, cases: QuerySet[Case], start: date, end: date, today: date,
                    under: Area | None = None) -> CaseStatistics:
    """The cases (the user's, or all for the annual report) received from `start` to `end`, under `under` when
    given, counted by kind, source and the areas one level below, with the on-time and satisfaction rates among
    those closed. Counted from the records as they are now, not from snapshots."""
    rows = cases.filter(received_on__gte=start, received_on__lte=end)
    if under is not None:
        rows = rows.filter(area__path__startswith=under.path)
    totals = rows.aggregate(
        received=Count("pk"), closed=Count("pk", filter=Q(state=CaseState.CLOSED)),
        closed_on_time=Count("pk", filter=Q(state=CaseState.CLOSED, closed_on__lte=F("due_on"))),
        open_late=Count("pk", filter=~Q(state=CaseState.CLOSED) & Q(due_on__lt=today)))
    stats = CaseStatistics(start=start, end=end, **totals)
    kinds = dict(rows.order_by().values_list("kind").annotate(n=Count("pk")))
    stats.by_kind = [(label, kinds[value]) for value, label in CaseKind.choices if kinds.get(value)]
    sources = dict(rows.order_by().values_list("source").annotate(n=Count("pk")))
    stats.by_source = [(label, sources[value]) for value, label in CaseSource.choices if sources.get(value)]
    answers = dict(rows.filter(state=CaseState.CLOSED).order_by().values_list("satisfaction").annotate(n=Count("pk")))
    stats.by_satisfaction = [(value, answers[value]) for value in Satisfaction.values if answers.get(value)]
    stats.by_area = _by_child_area(rows, under)
    return stats


def _by_child_area(rows: QuerySet[Case], under: Area | None) -> list[tuple[Area, int]]:
    per_area = dict(rows.order_by().values_list("area__path").annotate(n=Count("pk")))
    if not per_area:
        return []
    if under is None:  # the highest area the cases share
        paths = list(per_area)
        under_path = next((path for path in reversed(ancestor_paths(paths[0]))
                           if all(p.startswith(path) for p in paths)), None)
    else:
        under_path = under.path
    if under_path is None:  # cases in more than one province: a row for each
        children = list(Area.objects.filter(parent__isnull=True).order_by("code"))
    else:
        children = list(Area.objects.filter(parent__path=under_path).order_by("code"))
    if not children:
        return [(Area.objects.get(path=under_path), sum(per_area.values()))]
    counted = [(child, sum(n for path, n in per_area.items() if path.startswith(child.path))) for child in children]
    if per_area.get(under_path):  # cases of the area itself (a complaint about the city's buses), first
        counted.insert(0, (Area.objects.get(path=under_path), per_area[under_path]))
    return [(child, n) for child, n in counted if n]
