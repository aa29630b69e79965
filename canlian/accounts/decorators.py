from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache


def person_staff_required(view):
    """Only roles that work with persons' files (officers); leaders and admins get 403."""

    @never_cache  # personal data must not come back from the browser's cache on a shared computer
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.works_with_persons:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def payroll_staff_required(view):
    """Federation officers and leaders (月度发放、预算); community officers and admins get 403."""

    @never_cache
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.handles_payroll:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def platform_admin_required(view):
    @never_cache
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_platform_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
