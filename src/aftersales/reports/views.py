"""The managers' dashboard (报表): the KPIs of a period and a center beside the previous period's,
and their trends as server-drawn charts — for the roles that read reports (reports.selectors
decides who and which center: another role → 403, another center → 404). Each page's export
button is the page's own address with `format=xlsx`: its workbook, read and refused as the page."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.forms import add_refusal
from aftersales.core.roles import role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.dispatch.selectors import centers
from aftersales.reports import comparisons, exports, presenters, rules, selectors
from aftersales.reports.forms import DashboardForm, PeriodForm
from aftersales.tickets.views import not_found_or_forbidden, staff_user


def _workbook(request: HttpRequest) -> bool:
    """The page's export button asks for its workbook (`?format=xlsx`, the list pages' way)."""
    return request.GET.get("format") == "xlsx"


def _export_query(first: date, last: date, center: str | None) -> str:
    """The export button's query: the period as the page read it (its defaults written out, so
    the file holds what the page shows), the center, `format=xlsx`."""
    query = {"from": first.isoformat(), "to": last.isoformat()}
    return urlencode({**query, **({"center": center} if center else {}), "format": "xlsx"})


def _file(name: str, center: str | None) -> str:
    """A report's file's first words: its name, and its center's code when it has one."""
    return f"{name}-{center}" if center else name


def _center_asked(request: HtmxHttpRequest, user: Any) -> tuple[str | None, Any]:
    """The center a report page is asked about (`?center=`: its code, None for none) and the
    center it reads (None: every center); refused as the reports refuse (403, 404)."""
    code = request.GET.get("center", "").strip() or None
    try:
        return code, selectors.report_center(user, code)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc


def _center_form(user: Any, where: Any, data: Any) -> DashboardForm:
    """The dashboard's filter on another page: every center's readers choose, a branch manager's
    center is fixed."""
    every = rules.sees_every_center(role_of(user))
    shown = list(centers()) if every else [where]
    initial = {"center": where.code if where else ""}
    return DashboardForm(data, centers=shown, every=every, initial=initial)


@staff_required
@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponseBase:
    user = staff_user(request)
    code, where = _center_asked(request, user)
    form = _center_form(user, where, request.GET)
    context: dict[str, Any] = {"form": form, "center": where}
    if not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=422)
    first, last = form.period()
    try:
        if _workbook(request):  # the export button: the KPIs of the period, one row each
            kpis = selectors.kpis(user, first=first, last=last, center=code)
            sheet = exports.kpi_sheet(kpis)
            return exports.response(_file("kpis", kpis["center"]), first, last, sheet)
        figures = selectors.dashboard(user, first=first, last=last, center=code)
    except InvalidInput as exc:
        add_refusal(form, exc)
        return render(request, "reports/dashboard.html", context, status=422)
    current, previous = figures["current"], figures["previous"]
    asked = {"from": current["from"], "to": current["to"], "center": current["center"] or ""}
    context |= {
        "form": _center_form(user, where, asked),  # the period as it was read (the defaults too)
        "export_query": _export_query(current["from"], current["to"], current["center"]),
        "current": current,
        "previous": previous,
        "cards": presenters.cards(current, previous),
        "charts": presenters.trend_charts(figures["trends"]),
        "weekly": len(figures["trends"].points) != (current["to"] - current["from"]).days + 1,
    }
    return render(request, "reports/dashboard.html", context)


@staff_required
@require_GET
def figure(request: HtmxHttpRequest, key: str) -> HttpResponseBase:
    """The list behind one figure of the dashboard (decision 85), for the same period and center."""
    user = staff_user(request)
    title = presenters.figure_title(key)
    if title is None:
        raise Http404(_("No such figure."))
    code, where = _center_asked(request, user)
    form = _center_form(user, where, request.GET)
    context: dict[str, Any] = {"title": title, "form": form, "key": key}
    if not form.is_valid():
        return render(request, "reports/figure.html", context, status=422)
    first, last = form.period()
    try:
        found = selectors.figure_list(user, key, first=first, last=last, center=code)
    except InvalidInput as exc:
        add_refusal(form, exc)
        return render(request, "reports/figure.html", context, status=422)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    shown = found.center.code if found.center else None
    if _workbook(request):  # the export button: every row of the figure, not only those shown
        sheet = exports.figure_sheet(found)
        return exports.response(_file(key.replace("_", "-"), shown), first, last, sheet)
    asked = {"from": found.period.first, "to": found.period.last, "center": shown or ""}
    context |= {
        "form": _center_form(user, where, asked),  # the period as it was read
        "found": found,
        "table": presenters.figure_table(found),
        "back": request.GET.urlencode(),
        "export_query": _export_query(found.period.first, found.period.last, shown),
    }
    return render(request, "reports/figure.html", context)


# The technicians' scorecards and the center comparison (issue 19, item 3) -----------------------


@staff_required
@require_GET
def technicians(request: HtmxHttpRequest) -> HttpResponseBase:
    """Each technician of a center (of every center) with their figures for a period, ranked."""
    user = staff_user(request)
    code, where = _center_asked(request, user)
    form = _center_form(user, where, request.GET)
    context: dict[str, Any] = {"form": form, "center": where}
    if not form.is_valid():
        return render(request, "reports/technicians.html", context, status=422)
    first, last = form.period()
    try:
        found = selectors.scorecards(user, first=first, last=last, center=code)
    except InvalidInput as exc:
        add_refusal(form, exc)
        return render(request, "reports/technicians.html", context, status=422)
    if _workbook(request):  # the export button: one row per technician, in their ranking
        sheet = exports.technician_sheet(comparisons.ranked(found["items"]))
        return exports.response(_file("technicians", found["center"]), first, last, sheet)
    asked = {"from": found["from"], "to": found["to"], "center": found["center"] or ""}
    context |= {
        "form": _center_form(user, where, asked),  # the period as it was read
        "export_query": _export_query(found["from"], found["to"], found["center"]),
        "found": found,
        "scorecards": comparisons.scorecards(found["items"]),
        "charts": comparisons.technician_charts(found["items"]),
    }
    return render(request, "reports/technicians.html", context)


@staff_required
@require_GET
def centers_compared(request: HtmxHttpRequest) -> HttpResponseBase:
    """Every center's KPIs side by side for a period: for the roles that read every center."""
    user = staff_user(request)
    try:
        selectors.comparing_centers(user)
    except Forbidden as exc:
        context = {"message": exc.message, "reads": rules.may_read(role_of(user))}
        return render(request, "reports/refused.html", context, status=403)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/centers.html", {"form": form}, status=422)
    first, last = form.period()
    try:
        found = selectors.centers_compared(user, first=first, last=last)
    except InvalidInput as exc:
        add_refusal(form, exc)
        return render(request, "reports/centers.html", {"form": form}, status=422)
    if _workbook(request):  # the export button: one row per center, then every center's
        return exports.response("centers", first, last, exports.centers_sheet(found))
    rows, every = comparisons.center_table(found)
    context = {
        "form": PeriodForm({"from": found["from"], "to": found["to"]}),
        "export_query": _export_query(found["from"], found["to"], None),
        "found": found,
        "rows": rows,
        "every": every,
        "charts": comparisons.center_charts(found),
    }
    return render(request, "reports/centers.html", context)
