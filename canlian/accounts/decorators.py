from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache


def _staff_required(allowed):
    """A view for logged-in staff whose role `allowed(user)` accepts; anyone else gets 403."""

    def decorator(view):
        @never_cache  # personal data must not come back from the browser's cache on a shared computer
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Roles that work with persons' files (officers); leaders and admins get 403.
person_staff_required = _staff_required(lambda user: user.works_with_persons)
# Federation officers and leaders (月度发放、预算); community officers and admins get 403.
payroll_staff_required = _staff_required(lambda user: user.handles_payroll)
# The annual quota review and the levy (按比例就业年审): federation officers.
levy_staff_required = _staff_required(lambda user: user.handles_levy)
# Aggregate figures (employment, indicators): officers and leaders.
aggregate_staff_required = _staff_required(lambda user: user.works_with_persons or user.handles_payroll)
platform_admin_required = _staff_required(lambda user: user.is_platform_admin)
# The federation's organisation records (专职委员任职): federation officers.
organisation_staff_required = _staff_required(lambda user: user.keeps_organisation)
