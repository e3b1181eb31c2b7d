"""The dispatcher board (DOMAIN.md §3, §4 "On-site specifics")."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.core.errors import DomainError
from aftersales.core.presenters import display_name
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.field import board as board_selectors
from aftersales.field.board_forms import AssignForm, BoardFilterForm, ProposalForm, ScheduleForm
from aftersales.tickets.views import not_found_or_forbidden, staff_user
from aftersales.workorders import services
from aftersales.workorders.models import WorkOrder

# The dispatcher board ----------------------------------------------------------------------------
#
# /dispatch/ draws a day's grid by technician with the unassigned and at-risk jobs; a job's panel
# (suggestions, schedule, conflicts) opens beside it, as a fragment for htmx or in the page via
# `?job=&panel=` without JS. Actions post plain forms: without JS they redirect back to the board;
# with htmx they answer the board's body. Refusals come back on the panel they came from.

PANELS = {
    "suggest": board_selectors.board_suggestions,
    "schedule": board_selectors.board_schedule,
    "conflicts": board_selectors.board_conflicts,
}


def _read(read: Callable[..., Any], *args: Any) -> Any:
    """A board selector's answer; its refusals as the page's 404 or 403."""
    try:
        return read(*args)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc


def _filters(user: User, data: Any) -> BoardFilterForm:
    centers = _read(board_selectors.board_centers, user)
    return BoardFilterForm(data, days=board_selectors.board_days(), centers=centers)


def _board(
    request: HtmxHttpRequest,
    filters: BoardFilterForm,
    *,
    panel: str = "",
    number: str = "",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The board (htmx: its body) with one job's panel open, if any."""
    user = staff_user(request)
    context = {**board_selectors.board(user, **filters.arguments()), "filters": filters, **extra}
    if number and panel in PANELS:
        context.update(_panel(user, panel, number, **extra))
    template = "dispatch/partials/_board.html" if request.htmx else "dispatch/board.html"
    return render(request, template, context, status=status)


def _panel(user: User, panel: str, number: str, **extra: Any) -> dict[str, Any]:
    """One job's panel; the schedule form starts from the job's window or earliest slot."""
    context = {"panel": panel, **_read(PANELS[panel], user, number), **extra}
    if panel == "schedule" and "schedule_form" not in extra:
        initial = {"start": context["start"], "end": context["end"]}
        context["schedule_form"] = ScheduleForm(initial=initial)
    return context


def _done(
    request: HtmxHttpRequest, form: Any, notice: str, *, panel: str = "", number: str = ""
) -> HttpResponse:
    """After an action: back to the board (a redirect without JS, its body for htmx), with a
    job's panel open where the dispatcher has more to do there."""
    filters = _filters(staff_user(request), form.back_query())
    if request.htmx:
        return _board(request, filters, panel=panel, number=number, notice=notice)
    messages.success(request, notice)
    extra = {"job": number, "panel": panel} if panel else {}
    return redirect(f"{reverse('dispatch:board')}?{filters.query(**extra)}")


def _refusal(exc: DomainError) -> str:
    if exc.code == "conflict" and "technician" in exc.details:
        who = exc.details["technician"]
        return _("Someone else assigned this job meanwhile: it is now with %(who)s.") % {
            "who": who or _("nobody")
        }
    return exc.message


@staff_required
@require_GET
def board(request: HtmxHttpRequest) -> HttpResponse:
    filters = _filters(staff_user(request), request.GET)
    panel, number = request.GET.get("panel", ""), request.GET.get("job", "")
    return _board(request, filters, panel=panel, number=number)


@staff_required
@require_GET
def job_panel(request: HtmxHttpRequest, number: str, panel: str) -> HttpResponse:
    """One job's panel: a fragment for htmx; without JS, the board with the panel open."""
    user = staff_user(request)
    filters = _filters(user, request.GET)
    if not request.htmx:
        return redirect(f"{reverse('dispatch:board')}?{filters.query(job=number, panel=panel)}")
    context = {"filters": filters, **_panel(user, panel, number)}
    return render(request, "dispatch/partials/_panel.html", context)


@staff_required
@require_POST
def job_assign(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """A suggestion picked: `assign` (and, when asked, `schedule` at its earliest slot)."""
    user, form = staff_user(request), AssignForm(request.POST)
    wo = _read(board_selectors.board_job, user, number)
    refusal, status = _("Pick a technician from the list."), 422
    if form.is_valid():
        try:
            wo = services.work_order_assign_and_book(work_order=wo, by=user, **form.arguments())
            notice = _("%(number)s assigned to %(who)s.")
            return _done(request, form, notice % {"number": wo.number, "who": _name(wo)})
        except DomainError as exc:
            refusal, status = _refusal(exc), exc.status
    filters = _filters(user, form.back_query())
    return _board(request, filters, panel="suggest", number=number, status=status, refusal=refusal)


@staff_required
@require_POST
def job_schedule(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """A window for the visit (a changed one with its reason); an urgent job that takes booked
    time shows the jobs it pushes aside with the ways out."""
    user, form = staff_user(request), ScheduleForm(request.POST)
    wo = _read(board_selectors.board_job, user, number)
    status = 422
    if form.is_valid():
        try:
            wo = services.work_order_act(work_order=wo, by=user, **form.arguments())
            notice = _("%(number)s booked.") % {"number": wo.number}
            if board_selectors.board_conflicts(user, number)["conflicts"]:
                return _done(request, form, notice, panel="conflicts", number=wo.number)
            return _done(request, form, notice)
        except DomainError as exc:
            form.add_refusal(exc)
            status = exc.status
    filters = _filters(user, form.back_query())
    return _board(
        request, filters, panel="schedule", number=number, status=status, schedule_form=form
    )


@staff_required
@require_POST
def job_proposal(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """A pushed-aside job moved the way the dispatcher picked (reason `preempted`); the urgent
    job's remaining conflicts stay open."""
    user, form = staff_user(request), ProposalForm(request.POST)
    wo = _read(board_selectors.board_job, user, number)
    urgent = form.data.get("urgent") or number
    refusal, status = _("This proposal is no longer valid; pick another."), 422
    if form.is_valid():
        try:
            if form.reassigns():  # another technician at the same time
                wo = services.work_order_assign_and_book(work_order=wo, by=user, **form.arguments())
            else:  # the same technician later
                wo = services.work_order_act(work_order=wo, by=user, **form.arguments())
            notice = _("%(number)s moved.") % {"number": wo.number}
            return _done(request, form, notice, panel="conflicts", number=urgent)
        except DomainError as exc:
            refusal, status = _refusal(exc), exc.status
    filters = _filters(user, form.back_query())
    return _board(
        request, filters, panel="conflicts", number=urgent, status=status, refusal=refusal
    )


def _name(wo: WorkOrder) -> str:
    tech = wo.technician
    return display_name(tech) if tech else _("nobody")
