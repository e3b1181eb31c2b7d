"""The staff shell: the workbench, the global search and the pages it leads to (a customer with
their units, a unit with its entitlement and service history), handing a leaving person's open
work over to a colleague in one step (DOMAIN.md §1), and error pages."""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.catalog.selectors import unit_get
from aftersales.core.errors import DomainError
from aftersales.core.models import AccessKind
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, TECHNICIAN, role_of
from aftersales.core.services import record_access
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.customers.selectors import customer_get
from aftersales.reports.presenters import HOME_CARDS, cards
from aftersales.shell.selectors import (
    customer_history,
    exact_number_hit,
    global_search,
    manager_home,
    reader_home,
    units_with_jobs,
    workbench,
)
from aftersales.shell.services import staff_hand_over
from aftersales.tickets.forms import HandoverForm
from aftersales.tickets.selectors import handover_candidates
from aftersales.tickets.views import staff_user
from aftersales.warranty.views import unit_context
from aftersales.workorders.selectors import field_incidents, unit_history


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's workbench; a branch manager's and an administrator's also their figures of
    the month and what waits for them (`manager_home`); finance's, the archive's and the
    technical center's, the figures of their trade and what their work waits on (`reader_home`)."""
    if role_of(request.user) == TECHNICIAN:
        return redirect("field:day")  # a technician's workbench is their day on the phone
    user = staff_user(request)
    now = timezone.now()
    context: dict[str, Any] = {
        "incidents": field_incidents(user),
        "work": workbench(user, now),
        "now": now,
    }
    role = role_of(user)
    if role in (ADMIN, BRANCH_MANAGER):
        desk = manager_home(user, now)
        figures = desk.figures
        context |= {
            "manager": desk,
            "complaints": desk.complaints,
            "mismatches": desk.mismatches,
            "figures": figures,
            "cards": cards(figures["current"], figures["previous"]) if figures else [],
        }
    elif role in HOME_CARDS:
        reader = reader_home(user, now)
        figures = reader.figures
        shown = HOME_CARDS[role]
        context |= {"reader": reader, "figures": figures, "cards": cards(**figures, keys=shown)}
    return render(request, "shell/home.html", context)


@staff_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    """The search box answers as you type (a fragment for htmx, a page otherwise); a whole
    request or work order number sent as a page opens that request or job."""
    query = request.GET.get("q", "").strip()
    results = global_search(staff_user(request), query)
    if not request.htmx and (page := exact_number_hit(results, query)):
        return redirect(page)
    template = "shell/partials/_search_results.html" if request.htmx else "shell/search.html"
    return render(request, template, {"q": query, "results": results})


@staff_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A customer's details, units and the requests the caller may see, newest first."""
    customer = customer_get(customer_id)
    if customer is None:
        raise Http404
    record_access(request, kind=AccessKind.CUSTOMER, subject=customer.pk)
    context = {
        "customer": customer,
        "units": units_with_jobs(customer),
        "history": customer_history(staff_user(request), customer),
    }
    return render(request, "customers/detail.html", context)


@staff_required
def unit_detail(request: HttpRequest, serial: str) -> HttpResponse:
    """A unit's facts and what it is entitled to today, and its jobs. Every staff role reads it."""
    unit = unit_get(serial)
    if unit is None:
        raise Http404
    record_access(request, kind=AccessKind.UNIT, subject=unit.serial)
    context = {**unit_context(unit), "history": list(unit_history(unit))}
    return render(request, "warranty/unit_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_handover(request: HtmxHttpRequest) -> HttpResponse:
    """Administrators and branch managers (theirs only); everyone else: 403."""
    by = staff_user(request)
    try:
        candidates = handover_candidates(by)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    form = HandoverForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            arguments = form.arguments()
            try:
                moved = staff_hand_over(by=by, **arguments)
            except DomainError as exc:
                form.add_refusal(exc)
                status = exc.status
            else:
                leaving, to = arguments["user"], arguments["to"]
                messages.success(request, _handover_message(moved, leaving.username, to.username))
                return redirect("staff_handover")
    return render(request, "dispatch/handover.html", {"form": form}, status=status)


def _handover_message(moved: dict[str, int], leaving: str, to: str) -> str:
    requests = ngettext(
        "%(count)d request moved from %(from)s to %(to)s.",
        "%(count)d requests moved from %(from)s to %(to)s.",
        moved["requests"],
    ) % {"count": moved["requests"], "from": leaving, "to": to}
    return f"{requests} " + _("%(name)s can no longer sign in.") % {"name": leaving}


FAVICON = Path(__file__).resolve().parent.parent / "static" / "aftersales" / "favicon.ico"


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own (the pages link the SVG as well)."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# Error pages. Under /api/ the ApiErrorFormatMiddleware turns these into the API's error format.


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: its processors read the session and the user, i.e. the database,
    # which may be what just failed.
    return HttpResponseServerError(render_to_string("500.html"))
