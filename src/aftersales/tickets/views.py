"""Service request pages: the console and the intake screen's fragments (the customer, the unit,
the 三包 decision as they are typed), and the wording the request's pages share. The intake
screen itself and the request page, which combine the request with its complaint and
escalations, are desk.views.

Each view parses (a form), calls one selector or service, and renders: the whole page, or for
htmx the fragment beside it in templates/tickets/partials/. Refusals (DomainError) go back onto
the form they came from, with what was typed.
"""

from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.core import exports
from aftersales.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.tickets import selectors
from aftersales.tickets.forms import (
    ACTION_BUTTONS,
    COMPLAINT_CATEGORIES,
    PROBLEM_CLASSES,
    QUEUE_LABELS,
    RESOLUTION_LABELS,
    ActionForm,
    ConsoleFilterForm,
    IntakeForm,
    IntakeWarrantyForm,
    UnitRegisterForm,
)
from aftersales.warranty.forms import DAMAGE_CHOICES, REMEDY_LABELS, VOUCHER_CHOICES
from aftersales.warranty.rules import REASON_MESSAGES, Reason


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member (`staff_required` has let only them through)."""
    return cast(User, request.user)


def not_found_or_forbidden(exc: DomainError) -> Exception:
    """A selector's refusal as the page's 404 or 403."""
    if isinstance(exc, NotFound):
        return Http404(exc.message)
    if isinstance(exc, Forbidden):
        return PermissionDenied(exc.message)
    return exc


# Wording -------------------------------------------------------------------------------------


def _day(value: Any) -> date | None:
    """A decision's date, whether fresh (a date) or kept on the request (ISO text)."""
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _reason_text(reason: dict[str, Any]) -> str:
    """A decision's reason in the reader's language, its coded values in words."""
    params = dict(reason.get("params") or {})
    if "kind" in params:
        params["kind"] = str(dict(DAMAGE_CHOICES).get(params["kind"], _("unspecified")))
    if "voucher" in params:
        params["voucher"] = str(dict(VOUCHER_CHOICES).get(params["voucher"], params["voucher"]))
    if reason.get("code") not in REASON_MESSAGES:
        return str(reason.get("message") or reason.get("code") or "")
    try:
        return Reason(reason["code"], params).message(_)
    except (KeyError, TypeError, ValueError):
        return str(reason.get("message") or reason["code"])


def warranty_view(decision: dict[str, Any] | None) -> dict[str, Any] | None:
    """A 三包 decision (as `decision_as_json` gives it, or as the request keeps it), worded."""
    if not decision:
        return None
    refund = decision.get("refund_amount")
    rate = decision.get("refund_deduction_rate")
    return {
        "covered": decision.get("covered"),
        "window": decision.get("window"),
        "remedies": [
            {"code": code, "label": REMEDY_LABELS.get(code, code)}
            for code in decision.get("remedies") or []
        ],
        "reasons": [_reason_text(r) for r in decision.get("reasons") or []],
        "warnings": [_reason_text(r) for r in decision.get("warnings") or []],
        "return_ends": _day(decision.get("return_ends")),
        "exchange_ends": _day(decision.get("exchange_ends")),
        "warranty_ends": _day(decision.get("warranty_ends")),
        "purchase_date": _day(decision.get("purchase_date")),
        "days_since_purchase": decision.get("days_since_purchase"),
        "refund_amount": f"¥{float(refund):,.2f}" if refund else "",
        "deduction": f"{float(rate) * 100:g}" if rate else "",
        "policy": decision.get("policy") or {},
    }


def _unit_url(serial: str) -> str | None:
    """The unit's page, where the warranty pages are installed."""
    try:
        return reverse("unit_detail", args=[serial])
    except NoReverseMatch:
        return None


# The console -----------------------------------------------------------------------------------


def _queues(current: str, counts: dict[str, int]) -> list[dict[str, Any]]:
    """The queues this person has (the center's only for people in a center), with counts
    (counted up to `COUNT_CAP`: "capped" shows as "99+")."""
    return [
        {
            "name": name,
            "label": label,
            "count": counts.get(name),
            "capped": counts.get(name, 0) >= selectors.COUNT_CAP,
            "current": name == current,
        }
        for name, label in QUEUE_LABELS.items()
        if name in counts or name == "all"
    ]


@staff_required
@require_GET
def console(request: HtmxHttpRequest) -> HttpResponseBase:
    """Queues on the left, the list on the right; htmx swaps the list (or, polling, the counts)."""
    user = staff_user(request)
    form = ConsoleFilterForm(request.GET)
    if request.GET.get("format") == "xlsx":  # the export button: this queue, these filters
        return exports.list_answer(request, name="requests", params=form.filters())
    if request.htmx and request.GET.get("part") == "counts":
        counts = selectors.queue_counts(user)
        return render(request, "tickets/partials/_counts.html", {"queues": _queues("", counts)})
    cursor = request.GET.get("cursor") or None
    filters: dict[str, Any] = form.filters()
    try:
        page = selectors.console(user, cursor=cursor, **filters)
    except InvalidInput as exc:  # a cursor that is not ours
        return HttpResponseBadRequest(exc.message)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "queues": _queues(page.queue, page.counts),
        "more_query": form.query(cursor=page.next_cursor) if page.next_cursor else "",
        "export_query": form.query(format="xlsx"),
    }
    if request.htmx and cursor:
        template = "tickets/partials/_rows.html"
    elif request.htmx and request.htmx.target == "ticket-list":
        template = "tickets/partials/_list.html"
    else:
        template = "tickets/console.html"
    return render(request, template, context)


# Intake ---------------------------------------------------------------------------------------


@staff_required
@require_GET
def intake_customer(request: HtmxHttpRequest) -> HttpResponse:
    """As the phone number is typed: the customer on file (their units and open requests), or
    the fields for a new one, keeping what was typed into them."""
    form = IntakeForm(request.GET)
    found = selectors.intake_customer(staff_user(request), request.GET.get("phone", ""))
    context = {"form": form, "found": found, "picked": request.GET.get("unit", ""), "oob": True}
    response = render(request, "tickets/partials/_customer.html", context)
    response["HX-Trigger"] = "unit-changed"  # another customer, other units: decide again
    return response


@staff_required
@require_GET
def intake_unit(request: HtmxHttpRequest) -> HttpResponse:
    """As a serial is typed or scanned: the unit, or the fields to register it."""
    serial = request.GET.get("serial", "")
    context = {
        "looked_up": selectors.intake_unit(serial),
        "register_form": UnitRegisterForm(initial={"serial": serial}),
        "customer_id": request.GET.get("customer_id", ""),
    }
    response = render(request, "tickets/partials/_unit_found.html", context)
    response["HX-Trigger"] = "unit-changed"
    return response


@staff_required
@require_GET
def intake_warranty(request: HtmxHttpRequest) -> HttpResponse:
    """The 三包 decision next to the intake form, as soon as the unit (and the fault) are known."""
    form = IntakeWarrantyForm(request.GET)
    answer = selectors.intake_warranty(**form.arguments())
    context = {
        "decides": form.decides,
        "answer": answer,
        "view": warranty_view(answer.decision),
        # The fault list is drawn again only for another category: never while being chosen.
        "redraw_faults": answer.category != request.GET.get("fault_category", ""),
        "fault": request.GET.get("fault", ""),
    }
    return render(request, "tickets/partials/_intake_warranty.html", context)


# The request page -----------------------------------------------------------------------------


def action_form(action: str, data: Any = None) -> ActionForm:
    prefix = action if action in ACTION_BUTTONS else "action"
    return ActionForm(data, initial={"action": action}, auto_id=f"{prefix}-%s")


def action_forms(
    names: list[str], labels: dict[str, Any], make: Any, refused: Any, refused_action: str
) -> list[dict[str, Any]]:
    """One button and form per allowed action; a refused one comes back open, as typed."""
    return [
        {
            "name": name,
            "label": labels.get(name, name),
            "form": refused if name == refused_action and refused is not None else make(name),
            "open": name == refused_action and refused is not None,
        }
        for name in names
    ]


def request_context(
    page: selectors.TicketPage,
    *,
    refused: ActionForm | None = None,
    just_done: bool = False,
) -> dict[str, Any]:
    """The request's own part of its page, worded: labels for actions and facts; a refused
    action's form comes back open, with its message and what was typed. The request page (with
    its complaint, escalations and timeline) is desk.views.request_context."""
    ticket = page.ticket
    refused_action = refused.data.get("action", "") if refused is not None else ""
    return {
        "p": page,
        "ticket": ticket,
        "unit_url": _unit_url(ticket.unit.serial) if ticket.unit else None,
        "warranty": warranty_view(ticket.warranty),
        "actions": action_forms(page.actions, ACTION_BUTTONS, action_form, refused, refused_action),
        "problem_class": dict(PROBLEM_CLASSES + COMPLAINT_CATEGORIES).get(
            ticket.problem_class, ticket.problem_class
        ),
        "resolution": RESOLUTION_LABELS.get(ticket.resolution, ticket.resolution),
        # A refusal of an action that has no button now (the page was stale) shows above them.
        "refused_elsewhere": (
            refused.non_field_errors()
            if refused is not None and refused_action not in page.actions
            else []
        ),
        "just_done": just_done,
    }
