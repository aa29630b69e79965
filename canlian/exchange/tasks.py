"""Background work of imports: each task calls one service (validation and commit of large lists)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks import task

from canlian.exchange import services
from canlian.exchange.models import ImportBatch


@task()
def import_validate_task(batch_id: int) -> None:
    services.import_validate(batch=ImportBatch.objects.select_related("area").get(pk=batch_id))


@task()
def import_commit_task(batch_id: int, user_id: int) -> None:
    batch = ImportBatch.objects.select_related("area").get(pk=batch_id)
    try:
        services.import_commit(batch=batch, by=get_user_model().objects.get(pk=user_id))
    except ValidationError as error:
        ImportBatch.objects.filter(pk=batch_id).update(message=" ".join(error.messages))


def enqueue_validation(batch: ImportBatch) -> None:
    """Queue validation once the batch row is committed (a worker must be able to see it)."""
    if batch.state == ImportBatch.State.QUEUED:
        transaction.on_commit(lambda: import_validate_task.enqueue(batch.pk))


def enqueue_commit(batch: ImportBatch, *, by) -> None:
    """Mark the batch as waiting for commit (or raise why it cannot be) and queue the commit."""
    services.import_commit_request(batch=batch, by=by)
    transaction.on_commit(lambda: import_commit_task.enqueue(batch.pk, by.pk))
