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

from aftersales.core.errors import DomainError
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, TECHNICIAN, role_of
from aftersales.core.views import staff_required
from aftersales.field.forms import (
    FIELD_STEPS,
    FINISH_ACTIONS,
    INCOMPLETE_LABELS,
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
from aftersales.workorders.forms import EVENT_LABELS
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.pages import add_photos, job_or_404, worded

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
    if step == "finish":
        return FinishForm(data, van=van_stock(wo), auto_id="finish-%s")
    return FieldActionForm(
        data,
        initial={"action": step},
        auto_id=f"{step}-%s",
        remedies=wo.remedies,
        fee_items=selectors.fee_items(wo) if step == "quote" else [],
        parts=selectors.parts_for(wo) if step == "quote" else [],
        amount_due=wo.amount_due,
    )


def _shown(wo: WorkOrder, role: str | None) -> list[str]:
    """The steps the table allows now and the role may take (finish: both of its actions)."""
    allowed = {a for a in rules.allowed_actions(wo.status, wo.mode) if rules.may_act(role, a)}
    if "complete_repair" in allowed and all(rules.may_act(role, a) for a in FINISH_ACTIONS):
        allowed.add("finish")
    if wo.mode != "on_site":
        allowed.discard("change_mode")  # the phone's change of mode is on-site → pull-back
    if len(wo.remedies) < 2:
        allowed.discard("choose_remedy")  # nothing to choose between
    return [s for s in (*FIELD_STEPS, *TROUBLE_STEPS) if s in allowed]


def _steps(
    wo: WorkOrder, role: str | None, refused: tuple[str, Any] | None
) -> list[dict[str, Any]]:
    refused_step, refused_form = refused or ("", None)
    steps = []
    for step in _shown(wo, role):
        form: Any = refused_form if step == refused_step else _form(step, wo)
        names = () if step in BUTTON_STEPS else FieldActionForm.FIELDS.get(step, ())
        if step == "hand_over" and wo.amount_due <= 0:
            names = tuple(n for n in names if n not in PAYMENT_FIELDS)  # nothing to collect
        steps.append(
            {
                "name": step,
                "label": STEP_LABELS[step],
                "form": form,
                "fields": [form[n] for n in names if n in form.fields],
                "button": step in BUTTON_STEPS,
                "open": step == refused_step
                or step in ("finish", "hand_over")
                or (step == "diagnose" and not wo.findings),
                # A time already agreed changes only when the visit cannot keep it.
                "trouble": step in TROUBLE_STEPS
                or (step == "schedule" and bool(wo.appointment_start)),
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
    shown = {s["name"] for s in steps}
    context = {
        "wo": wo,
        "steps": [s for s in steps if not s["trouble"]],
        "signing": "hand_over" in shown,
        "trouble": [s for s in steps if s["trouble"]],
        # A refused step the page does not offer (a stale page, a crafted post): say why on top.
        "refused_elsewhere": [e for errors in refused[1].errors.values() for e in errors]
        if refused and refused[0] not in shown
        else [],
        "times": _times(wo, events),
        "today": timezone.localdate(),
        "events": [(e, EVENT_LABELS.get(e.action, e.action)) for e in reversed(events)],
        "incomplete": INCOMPLETE_LABELS.get(wo.visit_incomplete, wo.visit_incomplete),
        "amount_due": wo.amount_due,
        # Before the visit the technician calls ahead (DOMAIN.md §3): the words to use.
        "call_ahead": call_ahead_script(wo) if wo.status in ("assigned", "scheduled") else "",
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
