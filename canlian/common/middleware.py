import ipaddress

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user chose another language (cookie); the browser's Accept-Language is ignored.

    Staff and residents share computers set to any language; the platform speaks Chinese by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class TrustedProxyMiddleware:
    """Behind N trusted reverse proxies, take the client's address from X-Forwarded-For.

    Each proxy appends the address it saw, so the client is the N-th entry from the right; entries further left
    were written by the client and are ignored. With no trusted proxy (the default) nothing changes, so the access
    log and the login lockout always see an address nobody could forge.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.count = settings.TRUSTED_PROXY_COUNT

    def __call__(self, request):
        if self.count:
            hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            if len(hops) >= self.count:
                try:
                    request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(hops[-self.count]))
                except ValueError:
                    pass  # a malformed header keeps the proxy's own address
        return self.get_response(request)


def client_address(request) -> str | None:
    """The client's address as the access log sees it (after TrustedProxyMiddleware); used by the lockout."""
    return request.META.get("REMOTE_ADDR")
