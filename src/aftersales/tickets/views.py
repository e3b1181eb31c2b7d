"""Service request pages: the console, the intake screen, the request page and its actions.

Each view parses (a form), calls one selector or service, and renders: the whole page, or for
htmx the fragment beside it in templates/tickets/partials/. Refusals (DomainError) go back onto
the form they came from, with what was typed.
"""

from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.catalog.services import unit_register
from aftersales.complaints import rules as complaint_rules
from aftersales.complaints.forms import STEP_BUTTONS, STEP_EVENTS, ComplaintStepForm
from aftersales.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from aftersales.core.roles import FRONT_DESK, role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.tickets import selectors, services
from aftersales.tickets.forms import (
    ACTION_BUTTONS,
    COMPLAINT_CATEGORIES,
    EVENT_LABELS,
    PROBLEM_CLASSES,
    QUEUE_LABELS,
    RESOLUTION_LABELS,
    ActionForm,
    ConsoleFilterForm,
    IntakeForm,
    IntakeWarrantyForm,
    UnitRegisterForm,
)
from aftersales.tickets.models import Channel
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
def console(request: HtmxHttpRequest) -> HttpResponse:
    """Queues on the left, the list on the right; htmx swaps the list (or, polling, the counts)."""
    user = staff_user(request)
    form = ConsoleFilterForm(request.GET)
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
    }
    if request.htmx and cursor:
        template = "tickets/partials/_rows.html"
    elif request.htmx and request.htmx.target == "ticket-list":
        template = "tickets/partials/_list.html"
    else:
        template = "tickets/console.html"
    return render(request, template, context)


# Intake ---------------------------------------------------------------------------------------


def _intake_page(request: HttpRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    """The intake screen, drawn with what was typed: the customer, the unit and the decision
    come with it (after a refusal, or when Enter was pressed without JS)."""
    from aftersales.catalog.selectors import product_models
    from aftersales.complaints.selectors import staff_names

    user = staff_user(request)
    data = form.data if form.is_bound else {}
    decision_form = IntakeWarrantyForm(data)
    answer = selectors.intake_warranty(**decision_form.arguments())
    context = {
        "form": form,
        "found": selectors.intake_customer(user, data["phone"]) if data.get("phone") else None,
        "picked": data.get("unit", ""),
        "looked_up": selectors.intake_unit(data.get("serial", "")),
        "register_form": UnitRegisterForm(initial={"serial": data.get("serial", "")}),
        "decides": decision_form.decides,
        "answer": answer,
        "view": warranty_view(answer.decision),
        "fault": data.get("fault", ""),
        "models": product_models()[:1000],
        "staff_names": staff_names(),
    }
    return render(request, "tickets/new.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def request_new(request: HtmxHttpRequest) -> HttpResponse:
    """Take a request on one screen; the first-ask owner is whoever takes it."""
    user = staff_user(request)
    if request.method != "POST":
        channel = Channel.WALK_IN if role_of(user) == FRONT_DESK else Channel.HOTLINE
        return _intake_page(request, IntakeForm(initial={"channel": channel}))
    form = IntakeForm(request.POST)
    # Enter in a field (without JS) presses the form's first button: "refresh", never "create".
    if request.POST.get("step") == "refresh" or not form.is_valid():
        return _intake_page(request, form, status=200 if form.is_valid() else 422)
    try:
        noted = IntakeWarrantyForm(request.POST).arguments()  # the fault and damage on screen
        ticket = services.ticket_create(by=user, warranty_facts=noted, **form.ticket_arguments())
    except DomainError as exc:
        form.add_refusal(exc)
        return _intake_page(request, form, status=exc.status)
    return redirect("request_detail", number=ticket.number)


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
@require_POST
def intake_unit_register(request: HtmxHttpRequest) -> HttpResponse:
    """Register the customer's unit inline (`unit_register`); it is then the request's unit."""
    form = UnitRegisterForm(request.POST)
    unit = None
    if form.is_valid():
        try:
            unit = unit_register(by=staff_user(request), **form.arguments())
        except DomainError as exc:
            form.add_refusal(exc)
    if not request.htmx:  # without JS: the whole intake form came along; draw it again
        data = request.POST.copy()
        if unit is not None:
            data["serial"], data["unit"] = unit.serial, ""
        return _intake_page(request, IntakeForm(data), status=200 if unit else 422)
    serial = unit.serial if unit else request.POST.get("serial", "")
    context = {
        "looked_up": selectors.IntakeUnit(
            serial=serial, unit=unit, missing=selectors.unit_missing_facts(unit) if unit else []
        ),
        "register_form": form,
        "customer_id": request.POST.get("customer_id", ""),
        "registered": unit is not None,
    }
    status = 200 if unit is not None else 422
    response = render(request, "tickets/partials/_unit_found.html", context, status=status)
    if unit is not None:
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


def _action_form(action: str, data: Any = None) -> ActionForm:
    prefix = action if action in ACTION_BUTTONS else "action"
    return ActionForm(data, initial={"action": action}, auto_id=f"{prefix}-%s")


def _step_form(action: str, data: Any = None) -> ComplaintStepForm:
    prefix = action if action in STEP_BUTTONS else "step"
    return ComplaintStepForm(data, initial={"action": action}, auto_id=f"c-{prefix}-%s")


def _form_for(ticket: Any, action: str, data: Any = None) -> ActionForm | ComplaintStepForm:
    """A complaint's own steps (its `resolve` too) have their form; the request's actions theirs."""
    if ticket.kind == "complaint" and action in complaint_rules.ACTIONS:
        return _step_form(action, data)
    return _action_form(action, data)


def _forms(
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
    refused: ActionForm | ComplaintStepForm | None = None,
    just_done: bool = False,
) -> dict[str, Any]:
    """The request page, worded: labels for events, actions and facts; a refused action's form
    comes back open, with its message and what was typed."""
    ticket = page.ticket
    refused_action = refused.data.get("action", "") if refused is not None else ""
    is_step = isinstance(refused, ComplaintStepForm)
    actions = _forms(
        page.actions,
        ACTION_BUTTONS,
        _action_form,
        None if is_step else refused,
        refused_action,
    )
    steps = _forms(
        page.complaint_steps, STEP_BUTTONS, _step_form, refused if is_step else None, refused_action
    )
    return {
        "p": page,
        "ticket": ticket,
        "unit_url": _unit_url(ticket.unit.serial) if ticket.unit else None,
        "warranty": warranty_view(ticket.warranty),
        "actions": actions,
        "steps": steps,
        "events": [
            (e, EVENT_LABELS.get(e.action) or STEP_EVENTS.get(e.action) or e.action)
            for e in page.events
        ],
        "problem_class": dict(PROBLEM_CLASSES + COMPLAINT_CATEGORIES).get(
            ticket.problem_class, ticket.problem_class
        ),
        "resolution": RESOLUTION_LABELS.get(ticket.resolution, ticket.resolution),
        # A refusal of an action that has no button now (the page was stale) shows above them.
        "refused_elsewhere": (
            refused.non_field_errors()
            if refused is not None and refused_action not in [*page.actions, *page.complaint_steps]
            else []
        ),
        "just_done": just_done,
    }


@staff_required
@require_GET
def request_detail(request: HtmxHttpRequest, number: str) -> HttpResponse:
    try:
        page = selectors.ticket_page(staff_user(request), number)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    context = request_context(page)
    if request.htmx and request.htmx.target == "activity":  # the timeline keeping itself fresh
        return render(request, "tickets/partials/_activity.html", context)
    return render(request, "tickets/detail.html", context)


def _worded(exc: DomainError, ticket: Any, action: str) -> DomainError:
    """The transition table's refusal, with the action and the status as the page names them."""
    if exc.code != "invalid_transition":
        return exc
    message = _("“%(action)s” is not possible while the request is %(status)s.") % {
        "action": ACTION_BUTTONS.get(action, action),
        "status": ticket.get_status_display(),
    }
    return DomainError(message, code=exc.code, status=exc.status, details=exc.details)


@staff_required
@require_POST
def request_act(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """One action from the request page → `ticket_act` → the page again (htmx: its body)."""
    user = staff_user(request)
    try:
        ticket = selectors.ticket_get_for(user, number)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    form = _form_for(ticket, request.POST.get("action", ""), request.POST)
    status = 200
    if form.is_valid():
        try:
            services.ticket_act(ticket=ticket, by=user, **form.arguments())
        except DomainError as exc:
            form.add_refusal(_worded(exc, ticket, form.cleaned_data["action"]))
            status = exc.status
        else:
            if not request.htmx:
                return redirect("request_detail", number=ticket.number)
    else:
        status = 422
    page = selectors.ticket_page(user, number)
    refused = form if status != 200 else None
    context = request_context(page, refused=refused, just_done=status == 200)
    template = "tickets/partials/_request.html" if request.htmx else "tickets/detail.html"
    return render(request, template, context, status=status)
