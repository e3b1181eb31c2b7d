"""The callback console (回访): the agent's due calls, a script per kind, the outcome buttons."""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core import exports
from aftersales.core.errors import DomainError
from aftersales.core.roles import role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.followups import presenters, rules, selectors, services
from aftersales.followups.forms import OutcomeForm
from aftersales.tickets.views import staff_user

AHEAD = timedelta(hours=2)  # calls due within two hours are shown too, after the overdue ones
CSAT_WINDOW = timedelta(days=30)  # the console's satisfaction figure: the last 30 days


@staff_required
def callback_queue(request: HtmxHttpRequest) -> HttpResponseBase:
    user = staff_user(request)
    if role_of(user) not in rules.VERIFICATION_ROLES:
        raise PermissionDenied(_("The callback console is for the roles that make the calls."))
    now = timezone.now()
    if request.GET.get("format") == "xlsx":  # the export button: every call listed, not 100
        params = {"status": "open", "due_before": (now + AHEAD).isoformat()}
        return exports.list_answer(request, name="follow-ups", params=params)
    calls = selectors.callback_queue(user, now=now, ahead=AHEAD)
    rows = [_row(c, user, OutcomeForm(prefix=f"c{c.pk}"), now) for c in calls]
    csat = selectors.csat(user, now - CSAT_WINDOW, now)
    return render(request, "followups/queue.html", {"rows": rows, "now": now, "csat": csat})


@staff_required
@require_POST
def callback_record(request: HtmxHttpRequest, followup_id: int) -> HttpResponse:
    """The outcome → `followup_complete` → back to the queue (a refusal: the call, input kept)."""
    user = staff_user(request)
    try:
        call = selectors.followup_get_for(user, followup_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    form, status = OutcomeForm(request.POST, prefix=f"c{call.pk}"), 422
    if form.is_valid():
        try:
            services.followup_complete(followup=call, by=user, **form.arguments())
            messages.success(
                request, _("Call recorded for %(number)s.") % {"number": call.ticket.number}
            )
            return redirect("callback_queue")
        except DomainError as exc:
            form.add_refusal(exc)
            status = exc.status
    row = _row(call, user, form, timezone.now())
    return render(request, "followups/queue.html", {"rows": [row]}, status=status)


def _row(call: Any, user: Any, form: OutcomeForm, now: datetime) -> dict[str, Any]:
    """One call as the console shows it: the words to say and the outcome form."""
    return {
        "call": call,
        "overdue": call.due_at <= now,
        "script": presenters.script(call, user),
        "reason": presenters.reason(call),
        "may_record": rules.may_complete(role_of(user), call.kind),
        "form": form,
    }


@staff_required
def reconcile(request: HtmxHttpRequest) -> HttpResponse:
    """The archive's daily check: jobs rated without the customer's signature, and one button
    that puts a verification call on the list for each (once)."""
    user = staff_user(request)
    if role_of(user) not in rules.RECONCILING_ROLES:
        raise PermissionDenied(_("The daily reconciliation is the archive's (or a manager's)."))
    day = _reconcile_day(request.GET.get("day") or request.POST.get("day") or "")
    if request.method == "POST":
        try:
            made = services.verification_calls_create(day=day, by=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("%(n)d verification calls put on the list.") % {"n": len(made)}
            )
        return redirect(f"{reverse('reconcile')}?day={day.isoformat()}")
    rows = [
        {**row, "outcome": presenters.outcome_label(row["call"].outcome if row["call"] else "")}
        for row in selectors.reconciliation(user, day)
    ]
    return render(request, "followups/reconcile.html", {"day": day, "rows": rows})


def _reconcile_day(text: str) -> date:
    """The day asked for, or yesterday when it is unreadable or outside the last twelve months."""
    today = timezone.localdate()
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None or not today - services.RECONCILE_DAYS_BACK <= day <= today:
        return today - timedelta(days=1)
    return day
