from django.conf import settings


def page(request):
    """What every page layout needs: elder mode, the federation's name, the lockout and session policies to explain."""
    return {
        "elder_mode": request.COOKIES.get("elder") == "1",
        "federation_name": settings.CANLIAN_FEDERATION_NAME,
        "lockout_attempts": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
