"""Reads of the exchange: batches and worklists, always within the requesting user's areas."""

from django.db.models import Q, QuerySet
from django.http import Http404

from canlian.accounts.scope import residence_in_scope, scope_paths
from canlian.exchange.models import ChildScreening, ImportBatch, MatchReview, StatusProposal


def _area_in_scope(user, *, prefix: str = "") -> Q:
    """The condition "this area is one of the user's areas or below it" on `prefix`area."""
    condition = Q(pk__in=[])
    for path in scope_paths(user):
        condition |= Q(**{f"{prefix}area__path__startswith": path})
    return condition


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
