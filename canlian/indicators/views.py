"""Pages of plan indicators: the dashboard from snapshots, an indicator's trend and areas, the people behind it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canlian.accounts.decorators import aggregate_staff_required, payroll_staff_required, person_staff_required
from canlian.accounts.scope import area_in_scope, covers_every_area, home_area, scoped_areas
from canlian.audit.models import AccessLog
from canlian.audit.services import access_log_record
from canlian.common.forms import attach_errors
from canlian.common.views import year_asked
from canlian.common.worklists import WORKLIST_PER_PAGE
from canlian.indicators import reports, selectors, services
from canlian.indicators.forms import FollowUpForm, HouseholdEventForm, RiskCloseForm
from canlian.indicators.measures import MEASURES, as_of
from canlian.indicators.rules import RiskReason


def _area(request):
    area_id = request.GET.get("area")
    return area_in_scope(user=request.user, pk=area_id) if area_id else home_area(request.user)


def _year(request, computed: list[int] | None = None) -> int:
    """The year asked for, else the newest year computed (`computed`: the years, when the caller has read them)."""
    computed = selectors.years_computed() if computed is None else computed
    asked = year_asked(request)
    return asked if "year" in request.GET or not computed else computed[0]


@aggregate_staff_required
@require_GET
def dashboard(request):
    """规划指标: each indicator for an area and a year against its target, with its status in words and colour."""
    area, years = _area(request), selectors.years_computed()
    year = _year(request, years)
    if area is None:
        return render(request, "indicators/dashboard.html", {"area": None})
    figures = selectors.figures(area=area, year=year)
    return render(request, "indicators/dashboard.html", {
        "area": area, "year": year, "figures": figures, "years": years, "today_year": timezone.localdate().year,
        # The table is the same for everyone who sees this area and year until the figures change: its cache key is
        # what it shows, so a recomputed year, a new target or a renamed indicator can never show an old table.
        "table_key": [(f.indicator.pk, f.indicator.code, f.indicator.name, f.indicator.kind, f.indicator.measure,
                       f.numerator, f.denominator, f.target, f.as_of) for f in figures],
        "can_compute": request.user.handles_payroll and covers_every_area(request.user),
        "as_of": next((f.as_of for f in figures if f.as_of), None),
        "children": area.children.filter(pk__in=scoped_areas(request.user)).order_by("code")})


@aggregate_staff_required
@require_GET
def indicator_detail(request, code: str):
    """One indicator: year by year for the area, and area by area for the year (each table is the chart's data)."""
    indicator = selectors.indicator_get(code)
    area, year = _area(request), _year(request)
    if area is None:
        return redirect("indicators:dashboard")
    trend = selectors.trend(indicator=indicator, area=area)
    comparison = selectors.comparison(user=request.user, indicator=indicator, area=area, year=year)
    unit = "%" if indicator.measure and MEASURES[indicator.measure].is_rate else ""
    return render(request, "indicators/indicator_detail.html", {
        "indicator": indicator, "area": area, "year": year, "measure": MEASURES.get(indicator.measure),
        "trend": trend, "comparison": comparison,
        "trend_chart": _chart(indicator, unit, [(str(y), f) for y, f in trend], kind="line", description=_(
            "%(name)s 历年情况，%(area)s，数据见下表。") % {"name": indicator.name, "area": area.name}),
        "areas_chart": _chart(indicator, unit, [(child.name, f) for child, f in comparison], kind="bar",
                              description=_("%(name)s %(year)d 年各区域，数据见下表。") % {
                                  "name": indicator.name, "year": year})})


def _chart(indicator, unit: str, points: list, *, kind: str, description: str) -> dict | None:
    """The numbers of a chart (and of the table beside it); None when there is nothing to draw."""
    points = [(label, figure) for label, figure in points if figure.value is not None]
    if len(points) < 2:
        return None
    target = points[-1][1].target
    return {"kind": kind, "name": indicator.name, "unit": unit, "description": description,
            "labels": [label for label, _figure in points], "values": [float(f.value) for _label, f in points],
            "target": float(target) if target is not None else None, "target_name": _("目标")}


@person_staff_required
@require_GET
def people(request, code: str):
    """The persons behind a figure (counted, or not yet covered), masked; every look is logged."""
    indicator = selectors.indicator_get(code)
    area, year = _area(request), year_asked(request)
    if area is None:
        raise Http404
    covered = request.GET.get("covered", "1") != "0"
    on = as_of(year, timezone.localdate())
    persons = selectors.people(user=request.user, indicator=indicator, area=area, on=on, year=year, covered=covered)
    access_log_record(request=request, action=AccessLog.Action.SEARCH, detail=_(
        "指标名单：%(i)s，%(a)s，%(y)d 年，%(c)s") % {"i": indicator.name, "a": area.name, "y": year,
                                                 "c": _("已计入") if covered else _("未覆盖")})
    return render(request, "indicators/people.html", {
        "indicator": indicator, "area": area, "year": year, "on": on, "covered": covered,
        "is_rate": MEASURES[indicator.measure].is_rate,
        "page": Paginator(persons, WORKLIST_PER_PAGE).get_page(request.GET.get("page"))})


@payroll_staff_required
@require_POST
def compute(request):
    """Compute the year's snapshots from the records (重新计算): the year under way at any time, a past year only
    when asked to replace it."""
    year = year_asked(request)
    if not covers_every_area(request.user):
        raise PermissionDenied  # the snapshots are every area's: only those who cover the whole tree recompute them
    try:
        count = services.indicators_compute(year=year, by=request.user, replace=request.POST.get("replace") == "1")
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        message = _("已按现有记录计算 %(y)d 年指标（%(n)d 条）。") % {"y": year, "n": count}
        access_log_record(request=request, action=AccessLog.Action.EDIT, detail=message)
        messages.success(request, message)
    response = redirect("indicators:dashboard")
    response["Location"] += f"?year={year}"
    return response


@aggregate_staff_required
@require_GET
def annual_report(request, kind: str):
    """The year's monitoring report for an area, as PDF or XLSX (aggregates only: leaders may download it)."""
    area, year = _area(request), _year(request)
    if area is None or kind not in ("pdf", "xlsx"):
        raise Http404
    content = reports.annual_pdf(area=area, year=year) if kind == "pdf" else reports.annual_xlsx(area=area, year=year)
    types = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    return HttpResponse(content, content_type=types[kind], headers={
        "Content-Disposition": content_disposition_header(kind == "xlsx", _("年度监测报告_%(a)s_%(y)d.%(k)s") % {
            "a": area.name, "y": year, "k": kind})})


BASELINE_YEAR, PLAN_YEAR = 2020, 2025  # the plan's baseline (domain.md §6) and the year its targets are for


@aggregate_staff_required
@require_GET
def evaluation(request):
    """Mid-term and final evaluation (中期、终期评估): each indicator in 2020, in the year chosen, the change, and
    the 2025 target."""
    area, years = _area(request), selectors.years_computed()
    year = _year(request, years)
    if area is None:
        return redirect("indicators:dashboard")
    baseline = {f.indicator.pk: f for f in selectors.figures(area=area, year=BASELINE_YEAR)}
    final = {f.indicator.pk: f for f in selectors.figures(area=area, year=PLAN_YEAR)}
    rows = []
    for figure in selectors.figures(area=area, year=year):
        before = baseline[figure.indicator.pk].value
        change = figure.value - before if figure.value is not None and before is not None else None
        rows.append({"figure": figure, "baseline": before, "change": change,
                     "target": final[figure.indicator.pk].target})
    return render(request, "indicators/evaluation.html", {
        "area": area, "year": year, "rows": rows, "baseline_year": BASELINE_YEAR, "plan_year": PLAN_YEAR,
        "years": years,
        "stage": _("终期评估") if year >= PLAN_YEAR else _("中期评估") if year >= 2023 else _("年度评估")})


# --- the poverty-relapse watchlist (防止返贫监测) ------------------------------------------------------------


@person_staff_required
@require_http_methods(["GET", "POST"])
def watchlist(request):
    """返贫监测: the open risks in the user's areas, overdue follow-ups first; a sweep of the areas on request."""
    if request.method == "POST":
        result = services.watchlist_sweep(households=selectors.households_in_scope(request.user))
        message = _("已核查 %(h)d 户：新识别风险 %(o)d 项，条件已不满足 %(c)d 项。") % {
            "h": result.households, "o": result.opened, "c": result.cleared}
        access_log_record(request=request, action=AccessLog.Action.EDIT, detail=message)
        messages.success(request, message)
        return redirect("indicators:watchlist")
    today = timezone.localdate()
    reason = request.GET.get("reason", "")
    reason = reason if reason in RiskReason.values else ""
    overdue = request.GET.get("overdue") == "1"
    flags = selectors.risk_flags_open(user=request.user)
    counts = dict(flags.order_by().values_list("reason").annotate(n=Count("pk")))
    page = Paginator(selectors.risk_flags_open(user=request.user, reason=reason, overdue_on=today if overdue else None),
                     WORKLIST_PER_PAGE).get_page(request.GET.get("page"))
    heads = selectors.household_heads([f.household for f in page.object_list], user=request.user)
    for flag in page.object_list:
        flag.head = heads.get(flag.household_id)
    return render(request, "indicators/watchlist.html", {
        "page": page, "today": today, "reason": reason, "overdue": overdue, "total": sum(counts.values()),
        "overdue_count": flags.filter(follow_up_due__lt=today).count(),
        "households": flags.values("household").distinct().count(),
        "tabs": [{"reason": value, "label": label, "count": counts.get(value, 0)}
                 for value, label in RiskReason.choices]})


@person_staff_required
@require_http_methods(["GET", "POST"])
def watch_household(request, pk: int):
    """One household under watch: its risks and why, the follow-ups and assistance, and the forms to add them."""
    household = selectors.household_watched(user=request.user, pk=pk)
    head = selectors.household_heads([household], user=request.user).get(household.pk)  # logs name the family
    open_flags = list(household.risk_flags.filter(closed_on__isnull=True).order_by("follow_up_due", "pk"))
    action = request.POST.get("action") if request.method == "POST" else None

    def posted(key: str):
        return request.POST if action == key else None

    event_form = HouseholdEventForm(posted("event"), prefix="event")
    follow_up_form = FollowUpForm(posted("visit"), prefix="visit", initial={"visited_on": timezone.localdate()})
    close_form = RiskCloseForm(posted("close"), prefix="close", flags=open_flags)
    form = {"event": event_form, "visit": follow_up_form, "close": close_form}.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "event":
                services.household_event_record(household=household, by=request.user, **data)
            elif action == "visit":
                services.follow_up_record(household=household, by=request.user, **data)
            else:
                services.risk_flag_close(flag=next(f for f in open_flags if f.pk == data["flag"]), by=request.user,
                                         note=data["note"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            message = {"event": _("已登记家庭变故，并已按规则重新核查这户家庭。"), "visit": _("已登记跟踪帮扶。"),
                       "close": _("已关闭返贫风险。")}[action]
            access_log_record(request=request, action=AccessLog.Action.EDIT, person=head,
                              detail=_("%(m)s（%(h)s）") % {"m": message, "h": household})
            messages.success(request, message)
            return redirect("indicators:watch_household", pk=household.pk)
    members = selectors.household_members_visible(user=request.user, household=household)
    if request.method == "GET":
        access_log_record(request=request, action=AccessLog.Action.VIEW, person=head,
                          detail=_("查看返贫监测家庭：%(h)s") % {"h": household})
    has_errors = form is not None and bool(form.errors)
    return render(request, "indicators/watch_household.html", {
        "household": household, "head": head, "members": members, "open_flags": open_flags, "today": timezone.localdate(),
        "closed_flags": household.risk_flags.filter(closed_on__isnull=False).order_by("-closed_on"),
        "follow_ups": household.follow_ups.select_related("recorded_by"),
        "events": household.events.select_related("recorded_by"),
        "event_form": event_form, "follow_up_form": follow_up_form, "close_form": close_form,
        "has_errors": has_errors}, status=400 if has_errors else 200)
