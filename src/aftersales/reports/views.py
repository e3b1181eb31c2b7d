"""The managers' dashboard (报表): the KPIs of a period and a center beside the previous period's,
and their trends as server-drawn charts — for the roles that read reports (reports.selectors
decides who and which center: another role → 403, another center → 404)."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.forms import add_refusal
from aftersales.core.roles import role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.dispatch.selectors import centers
from aftersales.reports import presenters, rules, selectors
from aftersales.reports.forms import DashboardForm
from aftersales.tickets.views import not_found_or_forbidden, staff_user


@staff_required
@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = staff_user(request)
    code = request.GET.get("center", "").strip() or None
    try:
        where = selectors.report_center(user, code)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    every = rules.sees_every_center(role_of(user))
    shown = list(centers()) if every else [where]
    initial = {"center": where.code if where else ""}
    options: dict[str, Any] = {"centers": shown, "every": every, "initial": initial}
    form = DashboardForm(request.GET, **options)
    context: dict[str, Any] = {"form": form, "center": where}
    if not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=422)
    first, last = form.period()
    try:
        figures = selectors.dashboard(user, first=first, last=last, center=code)
    except InvalidInput as exc:
        add_refusal(form, exc)
        return render(request, "reports/dashboard.html", context, status=422)
    current, previous = figures["current"], figures["previous"]
    asked = {"from": current["from"], "to": current["to"], "center": current["center"] or ""}
    context |= {
        "form": DashboardForm(asked, **options),  # the period as it was read (the defaults too)
        "current": current,
        "previous": previous,
        "cards": presenters.cards(current, previous),
        "charts": presenters.trend_charts(figures["trends"]),
        "weekly": len(figures["trends"].points) != (current["to"] - current["from"]).days + 1,
    }
    return render(request, "reports/dashboard.html", context)
