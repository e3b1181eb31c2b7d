"""The technical center's queue of escalated hard problems (疑难问题), answered in place."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.core.errors import DomainError
from aftersales.core.roles import role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.knowledge import selectors, services
from aftersales.knowledge.models import EscalationCase
from aftersales.tickets.forms import WINDOW_LABELS, AnswerForm
from aftersales.tickets.views import staff_user
from aftersales.warranty.forms import REMEDY_LABELS

ANSWERED_SHOWN = 50


def _facts_view(case: EscalationCase) -> dict[str, str]:
    """The facts frozen at escalation, in one line each (customer, unit, 三包 window)."""
    facts = case.facts or {}
    customer = facts.get("customer") or {}
    unit = facts.get("unit") or {}
    warranty = facts.get("warranty") or {}
    remedies = " · ".join(str(REMEDY_LABELS.get(r, r)) for r in warranty.get("remedies") or [])
    window = str(WINDOW_LABELS.get(warranty.get("window", ""), "")) if warranty else ""
    return {
        "customer": " · ".join(v for v in (customer.get("name"), customer.get("region")) if v),
        "unit": " · ".join(
            v for v in (unit.get("serial"), unit.get("model"), unit.get("category")) if v
        ),
        "purchase_date": unit.get("purchase_date") or "",
        "warranty": f"{window}: {remedies}" if window and remedies else window,
    }


@staff_required
@require_GET
def escalation_queue(request: HtmxHttpRequest) -> HttpResponse:
    """Open cases first, oldest first (they have waited longest); the latest answers below."""
    user = staff_user(request)
    cases = selectors.escalations_for(user).select_related("ticket__customer", "ticket__owner")
    context = {
        "open_cases": [
            {"case": case, "facts": _facts_view(case)}
            for case in cases.filter(status=EscalationCase.Status.OPEN).order_by("raised_at", "pk")
        ],
        "answered": cases.filter(status=EscalationCase.Status.ANSWERED).order_by(
            "-answered_at", "-pk"
        )[:ANSWERED_SHOWN],
        "may_answer": role_of(user) in services.ANSWERING_ROLES,
        "form": AnswerForm(),
    }
    return render(request, "knowledge/queue.html", context)


@staff_required
@require_POST
def escalation_answer(request: HtmxHttpRequest, case_id: int) -> HttpResponse:
    """The answer → `escalation_answer` → the case again (htmx), or the queue."""
    user = staff_user(request)
    try:
        case = selectors.escalation_get_for(user, case_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    form = AnswerForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            case = services.escalation_answer(
                case=case, by=user, answer=form.cleaned_data["answer"]
            )
        except DomainError as exc:
            form.add_refusal(exc)
            status = exc.status
        else:
            if not request.htmx:
                messages.success(
                    request, _("Answer sent to %(number)s.") % {"number": case.ticket.number}
                )
                return redirect("escalation_queue")
    context = {
        "case": case,
        "facts": _facts_view(case),
        "form": form,
        "may_answer": role_of(user) in services.ANSWERING_ROLES,
        "just_answered": status == 200,
    }
    if request.htmx:
        return render(request, "knowledge/partials/_case.html", context, status=status)
    return render(request, "knowledge/answer.html", context, status=status)
