from datetime import date, timedelta

from django.db.models import QuerySet

from canlian.audit.models import AccessLog


def access_log_list(
    *, user_query: str = "", person_id: int | None = None, action: str = "",
    since: date | None = None, until: date | None = None,
) -> QuerySet[AccessLog]:
    """Filter the access log for the administrators' page."""
    logs = AccessLog.objects.select_related("user", "person")
    if user_query:
        logs = logs.filter(user__username__icontains=user_query) | logs.filter(
            user__display_name__icontains=user_query
        )
    if person_id:
        logs = logs.filter(person_id=person_id)
    if action:
        logs = logs.filter(action=action)
    if since:
        logs = logs.filter(at__date__gte=since)
    if until:
        logs = logs.filter(at__date__lt=until + timedelta(days=1))
    return logs.order_by("-at", "-pk")
