"""The technician's pages on the phone (/field/): the day's jobs in order, and one job with the
steps the transition table allows now — on my way, arrived, diagnosis, finished (repair + QC in
one go, parts from the van), photos, the customer's signature and rating, payment, and why a
visit could not finish the job.

Small pages for a slow mobile network: no htmx, no script but the signature pad. Each view
parses (a form), calls one service or read, and renders; refusals (DomainError) go back onto
the form they came from, with what was typed, under the refusal's 4xx status.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.catalog.selectors import checklist, fault_name, fault_tree
from aftersales.core.errors import DomainError
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, TECHNICIAN, role_of
from aftersales.core.views import staff_required
from aftersales.field.forms import (
    FIELD_STEPS,
    FINISH_ACTIONS,
    STEP_LABELS,
    TROUBLE_STEPS,
    FieldActionForm,
    FieldPhotoForm,
    FinishForm,
)
from aftersales.field.presenters import call_ahead_script
from aftersales.field.selectors import field_day, van_stock
from aftersales.tickets.views import staff_user
from aftersales.workorders import rules, selectors, services
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.pages import (
    INCOMPLETE_LABELS,
    Offer,
    add_photos,
    collects_payment,
    job_or_404,
    offers,
    visit_rows,
    worded,
)
from aftersales.workorders.presenters import event_label

FIELD_ROLES = frozenset({TECHNICIAN, ADMIN, BRANCH_MANAGER})
# Steps that are one tap: no fields, a big button.
BUTTON_STEPS = frozenset(
    {"depart", "arrive", "start_diagnosis", "start_repair", "approve_quote", "decline_quote"}
)
PAYMENT_FIELDS = ("payment_amount", "payment_method", "receipt_no")

View = Callable[..., HttpResponseBase]


def field_required(view: View) -> View:
    """Technicians, and admins and branch managers (their scope); other staff → 403."""

    @wraps(view)
    def check(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if role_of(request.user) not in FIELD_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(check)


# The job page ------------------------------------------------------------------------------------


def _form(step: str, wo: WorkOrder, data: Any = None) -> Any:
    """The form of one step, empty or with what was posted."""
    category = wo.unit.model.category_id if wo.unit is not None else None
    if step == "finish":
        return FinishForm(
            data,
            van=van_stock(wo),
            qc_checks=checklist(category, "qc"),
            catalogue=selectors.parts_with_stock(wo),
            auto_id="finish-%s",
        )
    return FieldActionForm(
        data,
        initial={"action": step, "fault_code": wo.fault_code},
        auto_id=f"{step}-%s",
        remedies=wo.remedies,
        fault_codes=fault_tree(category) if step == "diagnose" else (),
        fee_items=selectors.fee_items(wo) if step == "quote" else [],
        parts=selectors.parts_for(wo) if step == "quote" else [],
        amount_due=wo.amount_due,
        mode=wo.mode,
    )


# Before the technician is on site, the phone offers the next of these and nothing of the work.
VISIT_STEPS = ("depart", "arrive")
AWAY_STEPS = frozenset({*VISIT_STEPS, "schedule", *TROUBLE_STEPS})


def _shown(wo: WorkOrder, role: str | None) -> dict[str, Offer]:
    """The steps this person may take now (`pages.offers`, the desk's list: possible, or
    blocked with why), as the phone shows them: finish is repair done and QC passed together;
    a blocked "on my way" or "arrived" is not shown (the other one is the step), and until the
    technician is on site only the next of them is offered, not the work."""
    found = {o.action: o for o in offers(wo, role)}
    if "complete_repair" in found and all(rules.may_act(role, a) for a in FINISH_ACTIONS):
        repair = found["complete_repair"]
        found["finish"] = Offer("finish", repair.blocked, repair.primary)
    if wo.mode != "on_site":
        found.pop("change_mode", None)  # the phone's change of mode is on-site → pull-back
    for step in VISIT_STEPS:
        if step in found and found[step].blocked:
            del found[step]
    if any(step in found for step in VISIT_STEPS):
        found = {name: o for name, o in found.items() if name in AWAY_STEPS}
    return {s: found[s] for s in (*FIELD_STEPS, *TROUBLE_STEPS) if s in found}


def _steps(
    wo: WorkOrder, role: str | None, refused: tuple[str, Any] | None
) -> list[dict[str, Any]]:
    refused_step, refused_form = refused or ("", None)
    # A visit that took place: `schedule` books the next one (not a move of the window).
    next_visit = wo.arrived_at is not None or bool(wo.visit_incomplete)
    steps = []
    for step, offer in _shown(wo, role).items():
        form: Any = refused_form if step == refused_step else _form(step, wo)
        names = () if step in BUTTON_STEPS else FieldActionForm.FIELDS.get(step, ())
        if step == "hand_over" and wo.amount_due <= 0:
            names = tuple(n for n in names if n not in PAYMENT_FIELDS)  # nothing to collect
        label = STEP_LABELS[step]
        if step == "schedule" and next_visit:
            label = _("Agree the next visit")
        elif collects_payment(wo, step):
            label = _("Collect payment and hand over")
        steps.append(
            {
                "name": step,
                "label": label,
                "form": form,
                "fields": [form[n] for n in names if n in form.fields],
                "button": step in BUTTON_STEPS,
                "blocked": offer.blocked,
                "primary": offer.primary,
                "open": not offer.blocked
                and (
                    step == refused_step
                    or step in ("finish", "hand_over")
                    or (step == "diagnose" and not wo.findings)
                ),
                # A time already agreed changes, and on site a next visit is agreed, only when
                # the visit cannot finish the job; after one that did not, it is the next step.
                "trouble": step in TROUBLE_STEPS
                or (step == "schedule" and bool(wo.appointment_start) and not wo.visit_incomplete),
            }
        )
    return steps


def _times(wo: WorkOrder, events: list[Any]) -> list[tuple[str, Any, Any]]:
    """When the technician set off, arrived, started, finished, and handed the job over."""
    latest = {e.action: e.at for e in events}
    return [
        ("depart", _("On my way"), wo.departed_at),
        ("arrive", _("Arrived"), wo.arrived_at),
        ("start", _("Started"), latest.get("start_diagnosis")),
        ("finish", _("Finished"), wo.qc_passed_at),
        ("hand_over", _("Handed over"), wo.handed_over_at),
    ]


def _render_job(
    request: HttpRequest,
    wo: WorkOrder,
    *,
    refused: tuple[str, Any] | None = None,
    photo_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    events = list(selectors.timeline(wo))
    steps = _steps(wo, role_of(request.user), refused)
    shown = {s["name"] for s in steps if not s["blocked"]}
    visits = visit_rows(wo)
    context = {
        "wo": wo,
        "fault": fault_name(wo.unit.model.category_id if wo.unit else None, wo.fault_code),
        "steps": [s for s in steps if not s["trouble"]],
        "signing": "hand_over" in shown,
        "trouble": [s for s in steps if s["trouble"]],
        # A refused step the page does not offer (a stale page, a crafted post): say why on top.
        "refused_elsewhere": [e for errors in refused[1].errors.values() for e in errors]
        if refused and refused[0] not in shown
        else [],
        "times": _times(wo, events),
        "today": timezone.localdate(),
        "events": [(e, event_label(e.action)) for e in reversed(events)],
        "incomplete": INCOMPLETE_LABELS.get(wo.visit_incomplete, wo.visit_incomplete),
        # The current visit (the second, third…: its number) and the ones before it.
        "visit": visits[-1]["number"] if visits else 0,
        "visits": visits if len(visits) > 1 else [],
        "amount_due": wo.amount_due,
        # Before the visit the technician calls ahead (DOMAIN.md §3): the words to use.
        "call_ahead": call_ahead_script(wo) if selectors.job_facts(wo).visit_booked else "",
        "photos": list(wo.photos.order_by("id")),
        "photo_form": photo_form or FieldPhotoForm(),
    }
    return render(request, "workorders/field/job.html", context, status=status)


# Views -------------------------------------------------------------------------------------------


@field_required
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    jobs = field_day(staff_user(request), timezone.now())
    return render(request, "workorders/field/day.html", {"jobs": jobs})


@field_required
@require_GET
def job(request: HttpRequest, number: str) -> HttpResponse:
    return _render_job(request, job_or_404(request, number))


# A second tap on a slow network repeats a step that already happened.
DOUBLE_TAPS = frozenset({"already_departed", "already_arrived"})


@field_required
@require_POST
def act(request: HttpRequest, number: str) -> HttpResponse:
    """One step → `work_order_act` → the job again (after pull-back: the day, it left it)."""
    user, wo = staff_user(request), job_or_404(request, number)
    step = request.POST.get("action", "")
    form, status = _form(step, wo, request.POST), 422
    if form.is_valid():
        try:
            services.work_order_act(work_order=wo, by=user, **form.arguments())
            return redirect("field:day") if step == "change_mode" else redirect("field:job", number)
        except DomainError as exc:
            if exc.code in DOUBLE_TAPS:  # the first tap went through: show the job as it is
                return redirect("field:job", number)
            form.add_refusal(worded(exc, wo, step))
            status = exc.status
    return _render_job(request, wo, refused=(step, form), status=status)


@field_required
@require_POST
def finish(request: HttpRequest, number: str) -> HttpResponse:
    """ "Finished": repair done and checked, both or neither (`work_order_finish_on_site`)."""
    user, wo = staff_user(request), job_or_404(request, number)
    form, status = _form("finish", wo, request.POST), 422
    if form.is_valid():
        try:
            services.work_order_finish_on_site(work_order=wo, by=user, **form.arguments())
            return redirect("field:job", number)
        except DomainError as exc:
            form.add_refusal(worded(exc, wo, "complete_repair"))
            status = exc.status
    return _render_job(request, wo, refused=("finish", form), status=status)


@field_required
@require_POST
def photos(request: HttpRequest, number: str) -> HttpResponse:
    user, wo = staff_user(request), job_or_404(request, number)
    form = FieldPhotoForm(request.POST, request.FILES)
    if form.is_valid() and add_photos(form, wo, user):  # each photo through `photo_add`
        return redirect("field:job", number)
    return _render_job(request, wo, photo_form=form, status=422)
