from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST


@require_GET
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def year_asked(request, *, ahead: int = 0) -> int:
    """The year of ?year=, from 2015 to this year (+ `ahead`); this year when absent or out of range."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2015 <= year <= this_year + ahead else this_year


def area_asked(request):
    """The area of ?area= among the user's: None when none is asked (all of them), 404 for one they do not cover."""
    from canlian.accounts.scope import area_in_scope

    pk = request.GET.get("area", "")
    return area_in_scope(user=request.user, pk=pk) if pk else None


def safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


@require_POST
def elder_mode_toggle(request):
    """Switch elder mode (长者模式) on or off for this browser; works without JavaScript."""
    response = HttpResponseRedirect(safe_next(request))
    turn_on = request.COOKIES.get("elder") != "1"
    response.set_cookie("elder", "1" if turn_on else "0", max_age=365 * 24 * 3600, samesite="Lax",
                        httponly=True)
    return response
