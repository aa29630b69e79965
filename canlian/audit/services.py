from canlian.audit.models import AccessLog


def access_log_record(*, request, action: str, person=None, person_id: int | None = None, detail: str = "",
                      reason: str = "") -> AccessLog:
    """Record one access to personal data with who, whom, when, what and from where."""
    return AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        person_id=person.pk if person is not None else person_id,
        action=action,
        detail=detail[:300],
        reason=reason[:300],
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
