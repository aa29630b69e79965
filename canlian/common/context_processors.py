from django.conf import settings


def page(request):
    """What every page layout needs: elder mode and the federation's name."""
    return {
        "elder_mode": request.COOKIES.get("elder") == "1",
        "federation_name": settings.CANLIAN_FEDERATION_NAME,
    }
