"""Opening a job: `work_order_create` (on a request, in a mode, at a center, perhaps with its
technician; the first job starts the request) and `work_order_assign_at_creation`, field
service's automatic assignment of a job just opened with nobody on it.
"""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.models import Event
from aftersales.core.roles import role_of
from aftersales.core.services import next_number, record_event
from aftersales.dispatch.selectors import center_of
from aftersales.tickets import services as ticket_services
from aftersales.tickets.models import Ticket
from aftersales.workorders import rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services.decision import _decide, _mark_repeat
from aftersales.workorders.services.outcomes import _guard_message
from aftersales.workorders.services.people import _beyond_own_center, _center, _technician


@transaction.atomic
def work_order_create(
    *,
    ticket: Ticket,
    by: User,
    mode: str,
    center: str | None = None,
    technician: str | None = None,
    revisit_of: WorkOrder | None = None,
) -> WorkOrder:
    """Open a repair job on a request. The first job of a `new` request starts the request.

    A revisit (`revisit_of`: the customer was not satisfied at the follow-up) is opened by the
    system on the agent's behalf, waits for dispatch (no automatic assignment) and leaves the
    request `reopened` (CONTRACT.md "Follow-ups"). A job opened with no technician may be given
    one by a reaction to its `created` event (field service's automatic assignment,
    `work_order_assign_at_creation`), on this very instance, before it is returned."""
    from aftersales.tickets.services import ticket_act_on_behalf

    if revisit_of is None and role_of(by) not in rules.CREATING_ROLES:
        raise Forbidden(_("Your role may not create work orders."))
    if mode not in rules.MODES:
        raise InvalidInput.field(
            "mode", _("Must be one of: %(values)s.") % {"values": ", ".join(rules.MODES)}
        )
    if not ticket.is_open:
        raise DomainError(
            _("This request is %(status)s: reopen it before opening a work order.")
            % {"status": ticket.get_status_display()},
            code="invalid_transition",
            details={"allowed": [], "status": ticket.status},
        )
    where = _center(center, ticket.center or center_of(by))
    if revisit_of is None and _beyond_own_center(by, where):
        raise Forbidden(_("A front desk or branch opens work orders for its own center only."))
    tech = _technician(technician, where) if technician else None
    if tech is not None and where is None:
        where = center_of(tech)
    now = timezone.now()
    wo = WorkOrder(
        number=next_number("WO", at=now),
        ticket=ticket,
        unit=ticket.unit,
        mode=mode,
        status="assigned" if tech else "created",
        center=where,
        technician=tech,
        created_by=by,
        created_at=now,
    )
    wo.decision = _decide(wo)
    _mark_repeat(wo)
    data: dict[str, Any] = {"work_order": wo.number, "mode": mode}
    if revisit_of is not None:
        data["revisit_of"] = revisit_of.number
    wo.save()
    # The request's record of its job, before the `created` event: a reaction to that event
    # may assign the job (`work_order_assign_at_creation`).
    ticket_services.ticket_job_record(ticket=ticket, job=wo, technician=tech)
    if tech:
        data["technician"] = tech.username
    if wo.repeat_of:
        data["repeat_of"] = wo.repeat_of.number
    record_event(subject=wo, action="created", actor=by, customer_visible=True, data=data, at=now)
    if ticket.status in ("new", "reopened") and revisit_of is None:
        ticket_act_on_behalf(
            ticket=ticket, by=by, action="start", note=wo.number, data={"work_order": wo.number}
        )
    return wo


@transaction.atomic
def work_order_assign_at_creation(
    *, work_order: WorkOrder, created: Event, technician: User, reasons: list[str]
) -> WorkOrder:
    """A job just opened with nobody on it goes to `technician` (field service's automatic
    assignment, reacting to the job's `created` event in the same transaction): `assigned`, at the
    technician's home center. It writes no event of its own: the `created` event records it, as
    for a job opened with its technician named (`technician`), with the codes of the reasons it
    was picked for (`auto_assigned`)."""
    wo = work_order
    if wo.technician_id is not None or wo.status != "created":
        raise DomainError(
            _guard_message("technician_not_available"), code="technician_not_available"
        )
    wo.technician, wo.center, wo.status = technician, center_of(technician), "assigned"
    wo.save(update_fields=["technician", "center", "status"])
    ticket_services.ticket_job_record(ticket=wo.ticket, job=wo, technician=technician)
    created.data = {**created.data, "auto_assigned": reasons, "technician": technician.username}
    created.save(update_fields=["data"])
    return wo
