"""A worklist page (工作清单): paginated rows, each with a one-field form whose refusal shows at its row."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from canlian.common.forms import attach_errors

WORKLIST_PER_PAGE = 25


def worklist_page(request, *, items, get, make_form, act, template: str, context: dict, decorate=None):
    """A paginated worklist whose rows each carry a one-field form; a refused note shows at its row's field."""
    posted = None
    if request.method == "POST":
        item = get(user=request.user, pk=request.POST.get("item"))
        form = make_form(item, request.POST)
        if form.is_valid():
            try:
                done = act(item, form.cleaned_data["note"])
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, done)
                return redirect(request.get_full_path())
        posted = (item.pk, form)
    page = Paginator(items, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    for item in page.object_list:
        if decorate:
            decorate(item)
    rows = [(item, posted[1] if posted and posted[0] == item.pk else make_form(item, None)) for item in page]
    if posted and not any(item.pk == posted[0] for item, _form in rows):
        # Done by someone else meanwhile: the row has left the list, so say it at the top instead.
        messages.warning(request, " ".join(str(e) for errors in posted[1].errors.values() for e in errors))
        return redirect(request.get_full_path())
    return render(request, template, {**context, "page": page, "rows": rows,
                                      "error_form": posted[1] if posted else None,
                                      "has_errors": bool(posted and posted[1].errors)})
