from django.core.paginator import Paginator
from django.shortcuts import render

from canlian.accounts.decorators import platform_admin_required
from canlian.audit.forms import AccessLogFilterForm
from canlian.audit.selectors import access_log_list


@platform_admin_required
def access_log(request):
    """The administrators' page of the access log (访问日志), filterable."""
    form = AccessLogFilterForm(request.GET or None)
    logs = access_log_list()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        logs = access_log_list(user_query=data["user"], person_id=data["person"], action=data["action"],
                               since=data["since"], until=data["until"])
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"form": form, "page": page})
