"""Reads of the exchange: batches and worklists, always within the requesting user's areas."""

import math
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from canlian.accounts.scope import residence_in_scope, scope_paths
from canlian.areas.models import Area
from canlian.areas.selectors import under_paths
from canlian.exchange.models import (
    ApiCall,
    ChildScreening,
    ImportBatch,
    MatchOutcome,
    MatchReview,
    StatusProposal,
)
from canlian.registry.choices import LifeStatus
from canlian.registry.models import Certificate, Person, valid_certificate_on
from canlian.registry.rules import add_years


def _area_in_scope(user, *, prefix: str = "") -> Q:
    """The condition "this area is one of the user's areas or below it" on `prefix`area."""
    return under_paths(scope_paths(user), path_field=f"{prefix}area__path")


def batch_queryset(*, user) -> QuerySet[ImportBatch]:
    """The batches whose list covers an area the user looks after."""
    return ImportBatch.objects.filter(_area_in_scope(user)).select_related("area", "created_by", "committed_by")


def batch_get(*, user, pk: int) -> ImportBatch:
    try:
        return batch_queryset(user=user).get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def match_reviews_open(*, user) -> QuerySet[MatchReview]:
    """Unresolved match results of the user's batches (比对核查清单), oldest batch first."""
    return (MatchReview.objects.filter(resolved_at__isnull=True).filter(_area_in_scope(user, prefix="batch__"))
            .select_related("batch", "person").order_by("batch_id", "row_number"))


def status_proposals_pending(*, user) -> QuerySet[StatusProposal]:
    """Reported deaths and moves of persons living in the user's areas, waiting to be checked."""
    return (StatusProposal.objects.filter(state=StatusProposal.State.PENDING)
            .filter(residence_in_scope(user, prefix="person__")).select_related("person", "batch"))


def child_screenings_open(*, user) -> QuerySet[ChildScreening]:
    """Screened children in the user's areas not yet in the registry and not yet followed up (早期干预)."""
    return (ChildScreening.objects.filter(follow_up=ChildScreening.FollowUp.OPEN)
            .filter(_area_in_scope(user)).select_related("area"))


def batch_problem_rows(batch: ImportBatch) -> QuerySet:
    """The rows of a batch that will not be imported, with what is wrong (in file order)."""
    return batch.rows.filter(valid=False).order_by("row_number").only("row_number", "problems", "raw", "id_number")


def batch_match_counts(batch: ImportBatch) -> dict[str, int]:
    """How many of a batch's rows matched the registry, by outcome (比对结果)."""
    counts = dict(batch.rows.exclude(match="").values_list("match").annotate(n=Count("pk")).order_by())
    return {outcome: counts.get(outcome, 0) for outcome in MatchOutcome.values}


def batch_worklist_counts(batch: ImportBatch) -> dict[str, int]:
    """What a committed batch left for officers to work through."""
    return {
        "reviews": batch.match_reviews.filter(resolved_at__isnull=True).count(),
        "proposals": batch.proposals.filter(state=StatusProposal.State.PENDING).count(),
        "screenings": ChildScreening.objects.filter(batch=batch, follow_up=ChildScreening.FollowUp.OPEN).count(),
    }


def match_review_get(*, user, pk: int) -> MatchReview:
    """One match result of a batch in the user's areas, open or not (the service refuses a resolved one)."""
    try:
        return MatchReview.objects.filter(_area_in_scope(user, prefix="batch__")).get(pk=pk)
    except (MatchReview.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def status_proposal_get(*, user, pk: int) -> StatusProposal:
    try:
        return StatusProposal.objects.filter(residence_in_scope(user, prefix="person__")).get(pk=pk)
    except (StatusProposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def child_screening_get(*, user, pk: int) -> ChildScreening:
    try:
        return ChildScreening.objects.filter(_area_in_scope(user)).get(pk=pk)
    except (ChildScreening.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def worklist_counts(*, user) -> dict[str, int]:
    """The exchange's open worklists for the workbench (工作台) cards."""
    return {
        "reviews": match_reviews_open(user=user).count(),
        "proposals": status_proposals_pending(user=user).count(),
        "screenings": child_screenings_open(user=user).count(),
    }


# --- department API reads: scoped to the calling token's areas -----------------------------------------


def _token_paths(token) -> list[str]:
    return list(token.areas.values_list("path", flat=True))


def token_area_get(*, token, code: str):
    """The area with this code if it lies within the token's areas (its own or below), else None."""
    return Area.objects.filter(under_paths(_token_paths(token)), code=code).first()


def token_batch_get(*, token, pk: int) -> ImportBatch:
    """A batch this token pushed; any other is 404, whoever made it."""
    try:
        return ImportBatch.objects.get(pk=pk, department=token)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def certificate_for_verification(*, number: str, on):
    """The certificate a number stands for, nationally: the one valid on the day if any, else the latest issued.

    Numbers are unique only among live cards, so a cancelled or replaced card can share its number with another.
    """
    cards = Certificate.objects.filter(number=number)
    return (cards.filter(valid_certificate_on(on)).first()
            or cards.order_by("-issued_on", "-status_since", "-pk").first())


def school_age_children(*, token, on, min_age: int, max_age: int, after: int = 0):
    """Children aged min–max on the day, living in the token's areas, holding a valid certificate (学龄残疾儿童).

    Ordered by id for keyset paging; each row carries its certificate's category and grade and its area code.
    """
    condition = under_paths(_token_paths(token), path_field="residence_area__path")
    card = Certificate.objects.filter(valid_certificate_on(on), person=OuterRef("pk"))
    # Aged at least min: born on or before the day min years ago; at most max: born after the day max+1 years ago.
    return (Person.objects.filter(condition, life_status=LifeStatus.ACTIVE, pk__gt=after,
                                  birth_date__lte=add_years(on, -min_age), birth_date__gt=add_years(on, -(max_age + 1)))
            .filter(Exists(card))
            .annotate(category=Subquery(card.values("category")[:1]), grade=Subquery(card.values("grade")[:1]),
                      area_code=F("residence_area__code"))
            .order_by("pk"))


def api_call_retry_after(*, token, limit: int, now) -> int | None:
    """Seconds until the token may call again if it made `limit` calls in the last minute, else None.

    Counted in the database, so the limit holds across every web process; refused calls do not count.
    """
    window = now - timedelta(seconds=60)
    recent = (ApiCall.objects.filter(token=token, at__gt=window).exclude(status=429)
              .order_by("-at").values_list("at", flat=True)[:limit])
    recent = list(recent)
    if len(recent) < limit:
        return None
    # The call that must age out of the window before one more fits.
    return max(1, math.ceil((recent[-1] - window).total_seconds()))
