"""The request as the desk takes and works it: a request with, for a complaint, its complaint.

`tickets` takes and moves the request, `complaints` the complaint's own record and steps; these
two call them in turn, in one transaction, so that an API call, a page and the demo take a
complaint, or act on one, the same way."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from aftersales.complaints import rules as complaint_rules
from aftersales.complaints.services import complaint_act, complaint_category, complaint_open
from aftersales.tickets.models import Ticket
from aftersales.tickets.services import ticket_act, ticket_check, ticket_create


@transaction.atomic
def request_create(
    *,
    by: User,
    kind: str,
    channel: str,
    summary: str,
    serial: str | None = None,
    priority: str = "normal",
    problem_class: str | None = "",
    category: str | None = None,
    wish: str | None = None,
    about: str | None = None,
    staff: list[str] | None = None,
    **request: Any,
) -> Ticket:
    """Take a request (`ticket_create`'s arguments; the others in `request`). A complaint also
    takes its `category` (kept as the request's problem class), the customer's `wish`, and the
    request (`about`) and `staff` it concerns, which the other kinds ignore.

    The refusals come in the order of the request's own checks, then the category's, then the
    customer's and the rest of the request's, then `about` and `staff`; any of them takes
    nothing."""
    if kind == "complaint":
        ticket_check(
            by=by, kind=kind, channel=channel, summary=summary, serial=serial, priority=priority
        )
        problem_class = complaint_category(category, problem_class or "")
    ticket = ticket_create(
        by=by,
        kind=kind,
        channel=channel,
        summary=summary,
        serial=serial,
        priority=priority,
        problem_class=problem_class or "",
        **request,
    )
    if kind == "complaint":
        complaint_open(ticket=ticket, wish=wish or "", about=about, staff=staff or [])
    return ticket


@transaction.atomic
def request_act(
    *,
    ticket: Ticket,
    by: User,
    action: str,
    fields: dict[str, Any] | None = None,
    **given: Any,
) -> Ticket:
    """One action on a request: a complaint's own steps (its `resolve` too: CONTRACT.md
    "Complaints") are the complaint's, with the request locked; every other action is the
    request's transition table (`ticket_act`). The payload comes as keywords (a page, the demo)
    or as a dict (`fields`: the API's body, as given); either reads it into the action's schema
    after its transition and role checks. A refused action changes nothing and writes no
    event."""
    payload = {**(fields or {}), **given}
    if ticket.kind == "complaint" and action in complaint_rules.ACTIONS:
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        return complaint_act(ticket=locked, by=by, action=action, payload=payload)
    return ticket_act(ticket=ticket, by=by, action=action, fields=payload)
