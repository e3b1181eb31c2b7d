"""What the desk's work-order pages (views.py) and the technician's phone pages (field.views)
share: the job the signed-in person may see, the steps it offers now (`offers`: possible, or
disabled with why), a refusal worded as the pages name actions, and storing uploaded photos."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from aftersales.core.errors import DomainError
from aftersales.tickets.views import not_found_or_forbidden, staff_user
from aftersales.workorders import rules, selectors, services
from aftersales.workorders.forms import ACTION_LABELS, PhotoForm
from aftersales.workorders.models import WorkOrder

# Why a step cannot be taken yet, as a page says it beside the disabled button (a refusal not
# listed here reads as its guard's message).
WAITING_FOR = {
    "remedy_choice_required": gettext_noop("Waiting for the customer's choice of remedy"),
    "quote_not_approved": gettext_noop("Waiting for the customer to approve the quote"),
    "not_departed": gettext_noop("Waiting for “On my way”"),
}


@dataclass(frozen=True)
class Offer:
    """One step a page shows: its action, why it cannot be taken now ("" when it can), and
    whether it is the job's likely next step (highlighted)."""

    action: str
    blocked: str = ""
    primary: bool = False


def why_not(code: str) -> str:
    return _(WAITING_FOR.get(code) or services.GUARD_MESSAGES.get(code) or code)


def offers(wo: WorkOrder, role: str | None) -> list[Offer]:
    """The steps this person may take on the job now (`rules.available_actions` for their
    role): the desk's action bar and the technician's phone read the same list."""
    job = selectors.job_facts(wo)
    found = [(a, code) for a, code in rules.available_actions(job) if rules.may_act(role, a)]
    primary = rules.primary_action(job, found)
    return [Offer(a, why_not(code) if code else "", a == primary) for a, code in found]


# Why a visit ended without finishing the job, as the pages say it.
INCOMPLETE_LABELS = {
    "parts_missing": gettext_lazy("Parts missing (a new visit is needed)"),
    "customer_absent": gettext_lazy("Customer not at home (service card left)"),
    "needs_depot": gettext_lazy("Needs the depot"),
    "other": gettext_lazy("Other reason"),
}


def visit_rows(wo: WorkOrder) -> list[dict[str, Any]]:
    """An on-site job's visits as the pages list them (the last is the current one)."""
    visits = selectors.visits_of(wo)
    return [
        {
            "visit": v,
            "number": v.number,
            "current": v is visits[-1],
            "reason": INCOMPLETE_LABELS.get(v.visit_incomplete, v.visit_incomplete),
        }
        for v in visits
    ]


def collects_payment(wo: WorkOrder, action: str) -> bool:
    """A hand-over with an amount still due takes the payment (it is not blocked by it)."""
    return action == "hand_over" and wo.amount_due > 0


def job_or_404(request: HttpRequest, number: str) -> WorkOrder:
    """The work order, if the signed-in person may see it (else 404)."""
    try:
        return selectors.work_order_get_for(staff_user(request), number)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc


def worded(exc: DomainError, wo: WorkOrder, action: str) -> DomainError:
    """The table's refusal with the action and the status as the page names them."""
    if exc.code != "invalid_transition":
        return exc
    message = _("“%(action)s” is not possible while the work order is %(status)s.") % {
        "action": ACTION_LABELS.get(action, action),
        "status": wo.get_status_display(),
    }
    return DomainError(message, code=exc.code, status=exc.status, details=exc.details)


def add_photos(form: PhotoForm, wo: WorkOrder, user: Any) -> bool:
    """Store each uploaded photo (`photo_add`); a refusal goes onto the form."""
    try:
        for upload in form.cleaned_data["photos"]:
            caption = form.cleaned_data.get("caption") or ""
            services.photo_add(work_order=wo, by=user, content=upload.read(), caption=caption)
    except DomainError as exc:
        form.add_refusal(exc)
        return False
    return True
