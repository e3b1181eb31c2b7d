"""The only code that changes service requests. Each action: one transaction, one event."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Unit
from aftersales.catalog.selectors import unit_get
from aftersales.catalog.services import unit_update
from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.payloads import read_payload
from aftersales.core.redaction import Redactor, rewrite_person
from aftersales.core.roles import role_of
from aftersales.core.services import next_number, record_event
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customers_by_phone
from aftersales.customers.services import customer_create
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import calendar_of, center_of, center_serving
from aftersales.tickets import payloads, rules, selectors
from aftersales.tickets.models import Ticket, TicketJob
from aftersales.warranty.rules import is_human_damage

DEFAULT_CLOCKS = (
    rules.Clock(Decimal(4), "business_hours"),
    rules.Clock(Decimal(5), "business_days"),
)


def _customer_for(
    *, by: User, customer_id: int | None, customer: dict[str, Any] | None, unit: Unit | None
) -> Customer:
    if customer_id is not None:
        if unit is not None and unit.customer is not None and unit.customer_id == customer_id:
            return unit.customer  # read with the unit
        found = Customer.objects.filter(pk=customer_id).first()
        if found is None:
            raise InvalidInput.field("customer_id", _("No customer with this id."))
        return found
    if not customer:
        raise InvalidInput.field(
            "customer", _("Give the customer: customer_id, or name and phone.")
        )
    on_file = customers_by_phone(customer.get("phone") or "").first()
    if on_file is not None:
        return on_file  # the phone is on file: attach to that customer, overwrite nothing
    try:
        return customer_create(by=by, **customer)
    except InvalidInput as exc:
        raise InvalidInput(
            exc.message, details={f"customer.{k}": v for k, v in exc.details.items()}
        ) from exc


def _center_for(*, by: User, code: str | None, customer: Customer) -> ServiceCenter | None:
    if code:
        center = ServiceCenter.objects.filter(code=code, active=True).first()
        if center is None:
            raise InvalidInput.field(
                "center", _("No service center with code %(code)s.") % {"code": code}
            )
        return center
    return center_of(by) or center_serving(customer.region)


def _warranty_at_intake(
    unit: Any, created: datetime, facts: dict[str, Any]
) -> dict[str, Any] | None:
    """The decision as the desk saw it: the fault and damage it noted (else a listed
    performance fault, no damage), on the day the request was made."""
    from aftersales.warranty.presenters import decision_as_json
    from aftersales.warranty.selectors import decide_for_unit

    if unit is None or unit.purchase_date is None:
        return None
    try:
        decision = decide_for_unit(unit, report_date=timezone.localdate(created), **facts)
    except DomainError:  # no policy for the category: nothing to decide yet
        return None
    return decision_as_json(decision)


def _decision_facts(given: dict[str, Any] | None) -> dict[str, Any]:
    facts = {k: v for k, v in (given or {}).items() if k in ("performance_fault", "damage_kind")}
    if facts.get("damage_kind"):
        facts["human_damage"] = is_human_damage(facts["damage_kind"])
    return facts


def _sla(
    kind: str, channel: str, priority: str, start: datetime, center: ServiceCenter | None
) -> tuple[datetime, datetime]:
    policy = selectors.sla_policy_for(kind, channel, priority)
    respond, resolve = DEFAULT_CLOCKS
    if policy is not None:
        respond = rules.Clock(policy.respond_amount, policy.respond_unit)
        resolve = rules.Clock(policy.resolve_amount, policy.resolve_unit)
    calendar = calendar_of(center)
    return rules.due_at(start, respond, calendar), rules.due_at(start, resolve, calendar)


def _check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidInput.field(
            field, _("Must be one of: %(values)s.") % {"values": ", ".join(allowed)}
        )


def ticket_check(
    *, by: User, kind: str, channel: str, summary: str, serial: str | None, priority: str
) -> Unit | None:
    """The request's first checks, in their order: the role, the choices, the summary, and the
    unit named (returned); nothing is written. `ticket_create` starts with them; a composition
    that checks more before the customer (a complaint's category: desk.services) runs them
    first, so that its refusals come in the same order as the request's own."""
    if not rules.may_act(role_of(by), kind):
        raise Forbidden(_("Your role may not take requests of this kind."))
    _check_choice("kind", kind, rules.KINDS)
    _check_choice("channel", channel, rules.CHANNELS)
    _check_choice("priority", priority, rules.PRIORITIES)
    if not summary.strip():
        raise InvalidInput.field("summary", _("Say in a few words what the customer needs."))
    if not serial:
        return None
    unit = unit_get(serial)
    if unit is None:
        raise InvalidInput.field(
            "serial", _("No unit is registered with this serial number: register it first.")
        )
    return unit


@transaction.atomic(savepoint=False)  # inside a caller's transaction a refusal undoes it all
def ticket_create(
    *,
    by: User,
    kind: str,
    channel: str,
    summary: str,
    customer_id: int | None = None,
    customer: dict[str, Any] | None = None,
    serial: str | None = None,
    description: str = "",
    priority: str = "normal",
    problem_class: str = "",
    preferred_time: str = "",
    center: str | None = None,
    warranty_facts: dict[str, Any] | None = None,
) -> Ticket:
    """Take a request. Whoever takes it owns it (首问负责制) until it is handed over explicitly.

    A complaint's own record (its category, wish, the request and staff it concerns) is opened
    with it by desk.services.request_create, in the same transaction. Called inside a caller's
    transaction it sets no savepoint (one statement less each way: decision 61): a refusal
    undoes the caller's transaction up to its own savepoint, if it has one."""
    unit = ticket_check(
        by=by, kind=kind, channel=channel, summary=summary, serial=serial, priority=priority
    )
    who = _customer_for(by=by, customer_id=customer_id, customer=customer, unit=unit)
    if unit is not None and unit.customer_id not in (None, who.pk):
        raise InvalidInput.field("serial", _("This unit is registered to another customer."))
    if unit is not None and unit.customer_id is None:  # registered at the desk before its owner
        unit = unit_update(unit=unit, by=by, customer=who)
    now = timezone.now()
    owning_center = _center_for(by=by, code=center, customer=who)
    respond_by, resolve_by = _sla(kind, channel, priority, now, owning_center)
    ticket = Ticket(
        kind=kind,
        channel=channel,
        priority=priority,
        customer=who,
        unit=unit,
        summary=summary.strip(),
        description=description or "",
        problem_class=problem_class or "",
        preferred_time=preferred_time or "",
        center=owning_center,
        owner=by,
        created_by=by,
        created_at=now,
        respond_by=respond_by,
        resolve_by=resolve_by,
        warranty=_warranty_at_intake(unit, now, _decision_facts(warranty_facts))
        if kind in ("repair", "booking")
        else None,
    )
    ticket.pending_due = rules.pending_due(ticket)
    # The day's number comes last, once everything is read and decided: its counter stays
    # locked from here to the commit, so concurrent intakes wait for it only that long
    # (decision 61).
    ticket.number = next_number("SR", at=now)
    ticket.save(force_insert=True)
    created = record_event(
        subject=ticket, action="created", actor=by, customer_visible=True, at=now
    )
    ticket.intake_events = [created]
    return ticket


def _require(ticket: Ticket, action: str) -> str:
    target = rules.next_status(ticket.status, action)
    if target is None:
        raise DomainError(
            _("This request cannot do “%(action)s” while it is %(status)s.")
            % {"action": action, "status": ticket.get_status_display()},
            code="invalid_transition",
            details={"allowed": rules.allowed_actions(ticket.status), "status": ticket.status},
        )
    return target


@transaction.atomic
def ticket_act(
    *,
    ticket: Ticket,
    by: User,
    action: str,
    fields: dict[str, Any] | None = None,
    **given: Any,
) -> Ticket:
    """Apply one action of the transition table, with its guards, and write its event. Its
    payload is given as keywords (a page, the demo), or as a dict (`fields`: the API's body), and
    read into the action's schema (tickets.payloads) once the table and the role allowed it: 409,
    403, then 422 (CONTRACT.md "API conventions"), then the guards.

    A refused action changes nothing and writes no event. A complaint's own steps (its `resolve`
    too: CONTRACT.md "Complaints") are not the table's: desk.services.request_act routes them."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if action not in rules.ACTIONS:
        raise DomainError(
            _("Unknown action %(action)s.") % {"action": action},
            code="invalid_transition",
            details={"allowed": rules.allowed_actions(ticket.status), "status": ticket.status},
        )
    if not rules.may_act(role_of(by), ticket.kind):
        raise Forbidden(_("Your role may not act on this request."))
    return _apply(ticket, by, action, {**(fields or {}), **given})


@transaction.atomic
def ticket_act_on_behalf(
    *, ticket: Ticket, by: User, action: str, data: dict[str, Any] | None = None, **given: Any
) -> Ticket:
    """What the system does on a person's behalf (a work order starts or resolves its request):
    the event of the action it stands for, with that person as actor, whatever their role."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    return _apply(ticket, by, action, given, extra=data)


@transaction.atomic
def ticket_reopen_unsatisfied(
    *, ticket: Ticket, by: User, note: str, data: dict[str, Any]
) -> Ticket:
    """A customer not satisfied at the follow-up reopens the request whatever its status
    (CONTRACT.md "Follow-ups"): the `reopen` event, outside the table's own rows."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    return _apply(ticket, by, "reopen", {"note": note}, extra=data, target="reopened")


def _apply(
    ticket: Ticket,
    by: User,
    action: str,
    fields: dict[str, Any],
    extra: dict[str, Any] | None = None,
    target: str | None = None,
) -> Ticket:
    """The action, allowed by the table (else 409) or moving to `target`: its payload read into
    its schema (else 422 naming the fields), its handler's guards and changes, its one event."""
    target = target or _require(ticket, action)
    payload = read_payload(
        payloads.PAYLOADS[action], {**fields, "action": action}, context={"kind": ticket.kind}
    )
    note, visible, data, changed = _HANDLERS[action](ticket, by, payload)
    data = {**data, **(extra or {})}
    now = timezone.now()
    ticket.status = target
    changed = {"status", *changed}
    if ticket.responded_at is None and rules.response_stopped_by(action, visible):
        ticket.responded_at = now
        changed.add("responded_at")
    return _save_with_event(ticket, changed, by, action, note, visible, data, now)


def ticket_step(
    *,
    ticket: Ticket,
    by: User | None,
    action: str,
    status: str | None = None,
    note: str = "",
    customer_visible: bool = False,
    data: dict[str, Any] | None = None,
    resolution: str = "",
    escalated: bool = False,
    at: datetime | None = None,
) -> Ticket:
    """A step of another process on a request (a complaint's stages): it may move the request
    (to `in_progress`, or `resolved` with its resolution) and raise its escalation flag, keeps
    the clocks as `_apply` does, and writes the step's one event. The caller holds the lock and
    has checked its own table."""
    now = at or timezone.now()
    changed: set[str] = set()
    if status and status != ticket.status:
        ticket.status = status
        changed.add("status")
        if status == "resolved":
            ticket.resolution = resolution or "other"
            ticket.resolved_at = now
            changed |= {"resolution", "resolved_at"}
    if escalated and not ticket.escalated:
        ticket.escalated = True
        changed.add("escalated")
    if ticket.responded_at is None and customer_visible:
        ticket.responded_at = now
        changed.add("responded_at")
    return _save_with_event(ticket, changed, by, action, note, customer_visible, data or {}, now)


def _save_with_event(
    ticket: Ticket,
    changed: set[str],
    by: User | None,
    action: str,
    note: str,
    visible: bool,
    data: dict[str, Any],
    at: datetime,
) -> Ticket:
    """Save what moved (with the pending clock, which the status or a clock may have moved) and
    write the step's one event."""
    ticket.pending_due = rules.pending_due(ticket)
    ticket.save(update_fields=sorted({*changed, "pending_due"}))
    record_event(
        subject=ticket,
        action=action,
        actor=by,
        note=note,
        customer_visible=visible,
        data=data,
        at=at,
    )
    return ticket


Outcome = tuple[str, bool, dict[str, Any], set[str]]


def _start(ticket: Ticket, by: User, payload: payloads.RequestStartIn) -> Outcome:
    return payload.note, True, {}, set()


def _note(ticket: Ticket, by: User, payload: payloads.RequestNoteIn) -> Outcome:
    return payload.note, payload.customer_visible, {}, set()


def _assign_owner(ticket: Ticket, by: User, payload: payloads.RequestAssignOwnerIn) -> Outcome:
    username = payload.owner
    new_owner = User.objects.filter(username=username, is_active=True).first()
    if new_owner is None or role_of(new_owner) is None:
        raise InvalidInput.field(
            "owner", _("No active staff member %(username)s.") % {"username": username}
        )
    previous = ticket.owner.username if ticket.owner else None
    ticket.owner = new_owner
    return payload.note, False, {"from": previous, "to": username}, {"owner"}


def _resolve(ticket: Ticket, by: User, payload: payloads.ResolveIn) -> Outcome:
    ticket.resolution = payload.resolution
    ticket.resolved_at = timezone.now()  # its callback, when one is due: followups.reactions
    return (
        payload.note,
        True,
        {"resolution": payload.resolution},
        {"resolution", "resolved_at"},
    )


def _reopen(ticket: Ticket, by: User, payload: payloads.RequestReopenIn) -> Outcome:
    ticket.resolved_at = None
    ticket.closed_at = None
    ticket.resolution = ""  # a complaint's stage goes back with it: complaints.reactions
    return payload.note, True, {}, {"resolved_at", "closed_at", "resolution"}


def _close(ticket: Ticket, by: User, payload: payloads.RequestCloseIn) -> Outcome:
    ticket.closed_at = timezone.now()
    return payload.note, True, {}, {"closed_at"}


def _cancel(ticket: Ticket, by: User, payload: payloads.RequestCancelIn) -> Outcome:
    return payload.reason, True, {"reason": payload.reason}, set()


def _escalate(ticket: Ticket, by: User, payload: payloads.RequestEscalateIn) -> Outcome:
    """The technical center's case opens as a reaction to the event (knowledge.reactions)."""
    ticket.escalated = True
    return payload.note, False, {}, {"escalated"}


# action → its handler, which takes the action's schema (tickets.payloads.PAYLOADS).
_HANDLERS: dict[str, Callable[[Ticket, User, Any], Outcome]] = {
    "note": _note,
    "assign_owner": _assign_owner,
    "start": _start,
    "resolve": _resolve,
    "reopen": _reopen,
    "close": _close,
    "cancel": _cancel,
    "escalate": _escalate,
}


@transaction.atomic
def tickets_hand_over(*, user: User, to: User, by: User) -> int:
    """Move every open request owned by `user` to `to`, each with its own `assign_owner` event
    (the actor is whoever ordered the handover)."""
    moved = 0
    for ticket in (
        Ticket.objects.select_for_update()
        .filter(owner=user, status__in=rules.OPEN_STATUSES)
        .order_by("id")
    ):
        ticket.owner = to
        ticket.save(update_fields=["owner"])
        record_event(
            subject=ticket,
            action="assign_owner",
            actor=by,
            note=_("Handed over from %(from)s") % {"from": user.username},
            data={"from": user.username, "to": to.username, "handover": True},
        )
        moved += 1
    return moved


def ticket_job_record(*, ticket: Ticket, job: models.Model, technician: User | None) -> None:
    """Record (or bring up to date) a job done for `ticket` and who holds it now: a work order,
    whose app calls this wherever a job is opened or its technician set, changed or cleared. The
    request's timeline shows the job's events, and its technician sees the request
    (tickets.selectors).

    It writes no event: it is bookkeeping of the job's own change, which the job's app records on
    the job's timeline in the same transaction."""
    TicketJob.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(job),
        object_id=job.pk,
        defaults={"ticket": ticket, "technician": technician},
    )


# The free text of requests a privacy erase rewrites (decision 70; the privacy registry lists it).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    Ticket: ("summary", "description", "preferred_time"),
}


@transaction.atomic
def tickets_privacy_erase(*, customer: Customer, own: Redactor, everywhere: Redactor) -> int:
    """A privacy erase's part in requests (decision 70): the person's own requests lose their
    name, phone and address wherever written in them; every request loses their phone number.
    Numbers, kinds, statuses, dates and figures stay. A pure data rewrite, no event: the erase
    writes its one event on the customer's timeline."""
    theirs: dict[type[models.Model], models.QuerySet[Any]] = {
        Ticket: Ticket.objects.filter(customer=customer)
    }
    return rewrite_person(PRIVATE_TEXT, theirs, own=own, everywhere=everywhere)
