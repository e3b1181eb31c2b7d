"""The service desk's pages: the intake screen (a request, and a complaint's own fields) and the
request page with its complaint's steps and its escalation cases, and their actions.

Each view parses (a form), calls one selector or service, and renders: the whole page, or for
htmx the fragment beside it in templates/tickets/partials/. Refusals (DomainError) go back onto
the form they came from, with what was typed. The intake's fragments (the customer, the unit, the
三包 decision as they are typed) and the request page's wording are tickets.views.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.catalog.selectors import product_models
from aftersales.catalog.services import unit_register
from aftersales.complaints import rules as complaint_rules
from aftersales.complaints.forms import STEP_BUTTONS, ComplaintStepForm
from aftersales.complaints.models import Complaint
from aftersales.core.errors import DomainError
from aftersales.core.roles import FRONT_DESK, role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.desk import presenters, selectors, services
from aftersales.desk.forms import IntakeForm
from aftersales.tickets import selectors as ticket_selectors
from aftersales.tickets import views as ticket_views
from aftersales.tickets.forms import (
    ACTION_BUTTONS,
    ActionForm,
    IntakeWarrantyForm,
    UnitRegisterForm,
)
from aftersales.tickets.models import Channel
from aftersales.tickets.views import not_found_or_forbidden, staff_user, warranty_view
from aftersales.workorders import services as work_order_services
from aftersales.workorders.forms import OpenWorkOrderForm

# Intake ---------------------------------------------------------------------------------------


def _intake_page(request: HttpRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    """The intake screen, drawn with what was typed: the customer, the unit and the decision
    come with it (after a refusal, or when Enter was pressed without JS)."""
    user = staff_user(request)
    data = form.data if form.is_bound else {}
    decision_form = IntakeWarrantyForm(data)
    answer = ticket_selectors.intake_warranty(**decision_form.arguments())
    context = {
        "form": form,
        "found": ticket_selectors.intake_customer(user, data["phone"])
        if data.get("phone")
        else None,
        "picked": data.get("unit", ""),
        "looked_up": ticket_selectors.intake_unit(data.get("serial", "")),
        "register_form": UnitRegisterForm(initial={"serial": data.get("serial", "")}),
        "decides": decision_form.decides,
        "answer": answer,
        "view": warranty_view(answer.decision),
        "fault": data.get("fault", ""),
        "models": product_models()[:1000],
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
        ticket = services.request_create(by=user, warranty_facts=noted, **form.request_arguments())
    except DomainError as exc:
        form.add_refusal(exc)
        return _intake_page(request, form, status=exc.status)
    return redirect("request_detail", number=ticket.number)


@staff_required
@require_POST
def intake_unit_register(request: HtmxHttpRequest) -> HttpResponse:
    """Register the customer's unit inline (`unit_register`); it is then the request's unit.
    Without JS the whole intake form came along, and the intake screen is drawn again."""
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
        "looked_up": ticket_selectors.IntakeUnit(
            serial=serial,
            unit=unit,
            missing=ticket_selectors.unit_missing_facts(unit) if unit else [],
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


# The request page -----------------------------------------------------------------------------


def _step_form(action: str, data: Any = None) -> ComplaintStepForm:
    prefix = action if action in STEP_BUTTONS else "step"
    return ComplaintStepForm(data, initial={"action": action}, auto_id=f"c-{prefix}-%s")


def _form_for(ticket: Any, action: str, data: Any = None) -> ActionForm | ComplaintStepForm:
    """A complaint's own steps (its `resolve` too) have their form; the request's actions theirs."""
    if ticket.kind == "complaint" and action in complaint_rules.ACTIONS:
        return _step_form(action, data)
    return ticket_views.action_form(action, data)


def request_context(
    page: selectors.TicketPage,
    *,
    refused: ActionForm | ComplaintStepForm | None = None,
    just_done: bool = False,
) -> dict[str, Any]:
    """The request page, worded (the request's own part: tickets.views.request_context) with its
    complaint's steps; a refused action's or step's form comes back open, with its message and
    what was typed."""
    refused_step = refused if isinstance(refused, ComplaintStepForm) else None
    refused_action_form = refused if isinstance(refused, ActionForm) else None
    context = ticket_views.request_context(page, refused=refused_action_form, just_done=just_done)
    refused_action = refused.data.get("action", "") if refused is not None else ""
    context["steps"] = ticket_views.action_forms(
        page.complaint_steps, STEP_BUTTONS, _step_form, refused_step, refused_action
    )
    context["events"] = presenters.timeline(page.events)
    # A refusal of an action that has no button now (the page was stale) shows above them.
    context["refused_elsewhere"] = (
        refused.non_field_errors()
        if refused is not None and refused_action not in [*page.actions, *page.complaint_steps]
        else []
    )
    return context


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
    stage = (exc.details or {}).get("stage")
    if action in STEP_BUTTONS and stage in Complaint.Stage.values:  # the complaint's table
        message = _("This complaint cannot do “%(action)s” while it is %(stage)s.") % {
            "action": STEP_BUTTONS[action],
            "stage": Complaint.Stage(stage).label,
        }
    else:
        message = _("“%(action)s” is not possible while the request is %(status)s.") % {
            "action": ACTION_BUTTONS.get(action) or STEP_BUTTONS.get(action) or action,
            "status": ticket.get_status_display(),
        }
    return DomainError(message, code=exc.code, status=exc.status, details=exc.details)


@staff_required
@require_POST
def request_act(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """One action from the request page → `request_act` → the page again (htmx: its body)."""
    user = staff_user(request)
    try:
        ticket = ticket_selectors.ticket_get_for(user, number)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    form = _form_for(ticket, request.POST.get("action", ""), request.POST)
    status = 200
    if form.is_valid():
        try:
            services.request_act(ticket=ticket, by=user, **form.arguments())
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


@staff_required
@require_POST
def work_order_open(request: HtmxHttpRequest, ticket_number: str) -> HttpResponse:
    """Open a work order from the request page (`work_order_create`); a refusal draws the
    request page again with the form as typed."""
    user = staff_user(request)
    try:
        ticket = ticket_selectors.ticket_get_for(user, ticket_number)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    form = OpenWorkOrderForm(request.POST)
    if form.is_valid():
        try:
            wo = work_order_services.work_order_create(ticket=ticket, by=user, **form.arguments())
            return redirect("workorders:detail", number=wo.number)
        except DomainError as exc:
            form.add_refusal(exc)
    context = {**request_context(selectors.ticket_page(user, ticket_number)), "wo_form": form}
    return render(request, "tickets/detail.html", context, status=422)
