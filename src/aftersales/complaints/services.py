"""The only code that changes complaints. Each step: one transaction, one event on the request."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.services import unit_add_goodwill_days
from aftersales.complaints import payloads, rules, selectors
from aftersales.complaints.models import Compensation, Complaint
from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.models import Event
from aftersales.core.payloads import read_payload
from aftersales.core.redaction import Redactor, rewrite_person
from aftersales.core.roles import role_of
from aftersales.dispatch.selectors import calendar_of
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket


def complaint_category(category: str | None, problem_class: str = "") -> str:
    """The category a complaint is taken with (kept as the request's `problem_class`): the one
    given, else a problem class that is a category, else `other`."""
    if category is None:
        return problem_class if problem_class in rules.CATEGORIES else rules.DEFAULT_CATEGORY
    if category not in rules.CATEGORIES:
        raise InvalidInput.field(
            "category", _("Must be one of: %(values)s.") % {"values": ", ".join(rules.CATEGORIES)}
        )
    return category


def complaint_open(
    *, ticket: Ticket, wish: str = "", about: str | None = None, staff: list[str] | None = None
) -> Complaint:
    """A complaint request is taken: its complaint starts `received`, with the customer's wish
    and the request and staff it concerns (the request's `created` event stands for it)."""
    complaint, created = Complaint.objects.get_or_create(ticket=ticket)
    if not created:
        return complaint
    complaint.wish = (wish or "").strip()
    if about:
        complaint.about = _about(ticket, about)
    complaint.save()
    if staff:
        complaint.staff.set(_staff(staff))
    return complaint


def _about(ticket: Ticket, number: str) -> Ticket:
    """The customer's earlier request a complaint is about (another customer's: refused)."""
    found = Ticket.objects.filter(number=number.strip().upper()).first()
    if found is None or found.pk == ticket.pk:
        raise InvalidInput.field("about", _("No request with this number."))
    if found.customer_id != ticket.customer_id:
        raise InvalidInput.field("about", _("This request belongs to another customer."))
    return found


def _staff(usernames: Any) -> list[User]:
    """The staff a complaint concerns, by username; unknown names are refused by name."""
    if not isinstance(usernames, list) or not all(isinstance(u, str) for u in usernames):
        raise InvalidInput.field("staff", _("Give a list of usernames."))
    wanted = {u.strip() for u in usernames if u.strip()}
    people = list(User.objects.filter(username__in=wanted))
    unknown = sorted(wanted - {p.username for p in people})
    if unknown:
        raise InvalidInput.field(
            "staff", _("No staff member called %(names)s.") % {"names": ", ".join(unknown)}
        )
    return people


def complaint_reopened(*, ticket: Ticket, reopened: Event) -> Complaint:
    """A complaint request reopened (the customer is still not satisfied: "until satisfied") goes
    back to `acknowledged`, to be investigated and proposed again (complaints.reactions, in the
    transaction of the reopen). It writes no event of its own: the request's `reopen` event
    stands for it and records the stage (`complaint_stage`)."""
    complaint = complaint_open(ticket=ticket)
    if complaint.stage == Complaint.Stage.RESOLVED:
        complaint.stage = Complaint.Stage.ACKNOWLEDGED
        complaint.save(update_fields=["stage"])
    reopened.data = {"complaint_stage": complaint.stage, **reopened.data}
    reopened.save(update_fields=["data"])
    return complaint


def approval_threshold() -> Decimal:
    return Decimal(str(settings.COMPLAINT_APPROVAL_ABOVE))


@dataclass
class Step:
    """What one complaint step does to the request: its event and any move of the request."""

    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    status: str | None = None
    resolution: str = ""
    escalated: bool = False
    stage: str | None = None  # None: the table's next stage


def complaint_act(*, ticket: Ticket, by: User, action: str, payload: dict[str, Any]) -> Ticket:
    """One complaint step (`rules.TRANSITIONS`), with its guards, and its one event on the
    request. Called by the request's action dispatch (desk.services.request_act) inside its
    transaction, the request locked; a refusal raises before anything changed. The checks, in
    order: the role (403), the stage (409 `invalid_transition`), the payload as given, read into
    the step's schema (complaints.payloads: 422 naming the fields), the step's own guards."""
    from aftersales.tickets.services import ticket_step

    role = role_of(by)
    if not rules.may_work(role) and action != "complete_capa":
        raise Forbidden(_("Your role may not work complaints."))
    if action == "approve_compensation" and not rules.may_approve(role):
        raise Forbidden(_("Only a branch manager or an administrator approves compensation."))
    complaint = Complaint.objects.select_for_update().filter(ticket=ticket).first()
    if complaint is None:  # a complaint taken before complaints had their own record
        complaint = complaint_open(ticket=ticket)
    if action == "complete_capa" and not rules.may_complete_capa(
        role, complaint.capa_owner_id is not None and complaint.capa_owner_id == by.pk
    ):
        raise Forbidden(_("Only its owner or a manager completes a corrective action."))
    allowed = selectors.complaint_steps(ticket, complaint)
    target = rules.next_stage(complaint.stage, action) if action in allowed else None
    if target is None:
        raise DomainError(
            _("This complaint cannot do “%(action)s” while it is %(stage)s.")
            % {"action": action, "stage": complaint.get_stage_display()},
            code="invalid_transition",
            details={
                "allowed": allowed,
                "stage": complaint.stage,
                "status": ticket.status,
            },
        )
    given = read_payload(
        payloads.PAYLOADS[action], {**payload, "action": action}, context={"kind": ticket.kind}
    )
    now = timezone.now()
    step = _STEPS[action](complaint, ticket, by, given, now)
    complaint.stage = step.stage or target
    complaint.save()
    return ticket_step(
        ticket=ticket,
        by=by,
        action=action,
        status=step.status,
        note=step.note,
        customer_visible=action in rules.CUSTOMER_VISIBLE or step.status == "resolved",
        data={"stage": complaint.stage, **step.data},
        resolution=step.resolution,
        escalated=step.escalated,
        at=now,
    )


def _screen(
    complaint: Complaint,
    ticket: Ticket,
    by: User,
    payload: payloads.ComplaintScreenIn,
    now: datetime,
) -> Step:
    """Ours: on to the handler (acknowledge next). Not ours: the customer gets the explanation
    and the request is resolved `declined`."""
    ours, note = payload.ours, payload.note
    complaint.screening = Complaint.Screening.OURS if ours else Complaint.Screening.NOT_OURS
    complaint.screening_note = note
    if ours:
        return Step(note=note, data={"screening": "ours"})
    return Step(
        note=note,
        data={"screening": "not_ours"},
        status="resolved",
        resolution="declined",
        stage="resolved",
    )


def _acknowledge(
    complaint: Complaint,
    ticket: Ticket,
    by: User,
    payload: payloads.ComplaintAcknowledgeIn,
    now: datetime,
) -> Step:
    note, promised = payload.note, payload.promised_by
    problem = rules.promise_problem(promised, now) if promised is not None else None
    if problem:
        raise InvalidInput.field("promised_by", problem)
    if rules.needs_screening(ticket.channel, complaint.screening, complaint.stage):
        # acknowledging a web complaint takes it as ours
        complaint.screening = Complaint.Screening.OURS
    if promised is None:
        promised = rules.default_promise(
            now, calendar_of(ticket.center), settings.COMPLAINT_PROMISE_WORKING_DAYS
        )
    complaint.note = note
    complaint.promised_by = promised
    return Step(
        note=note,
        data={"promised_by": promised.isoformat()},
        status="in_progress" if ticket.status == "new" else None,
    )


def _investigate(
    complaint: Complaint,
    ticket: Ticket,
    by: User,
    payload: payloads.ComplaintInvestigateIn,
    now: datetime,
) -> Step:
    findings, responsibility = payload.findings, payload.responsibility
    staff = _staff(payload.staff) if payload.staff is not None else None
    complaint.findings = findings
    complaint.responsibility = responsibility
    data: dict[str, Any] = {"responsibility": responsibility}
    if staff is not None:
        complaint.staff.set(staff)
        data["staff"] = sorted(person.username for person in staff)
    return Step(note=findings, data=data)


def _offers(ticket: Ticket, given: list[payloads.ComplaintCompensationIn]) -> list[rules.Offer]:
    """The offers proposed; a warranty extension on a complaint that names no unit → 422."""
    offers, errors = [], {}
    for i, item in enumerate(given):
        offer = item.offer()
        if offer.kind == "warranty_extension" and ticket.unit_id is None:
            errors[f"compensation.{i}"] = [_("This complaint names no unit to extend.")]
        else:
            offers.append(offer)
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], details=errors)
    return offers


def _propose(
    complaint: Complaint,
    ticket: Ticket,
    by: User,
    payload: payloads.ComplaintProposeIn,
    now: datetime,
) -> Step:
    plan = payload.plan
    offers = _offers(ticket, payload.compensation)
    approver = by if rules.may_approve(role_of(by)) else None
    threshold = approval_threshold()
    complaint.plan = plan
    complaint.compensations.filter(applied_at=None).delete()  # a new proposal replaces the last
    rows = Compensation.objects.bulk_create(
        Compensation(
            complaint=complaint,
            kind=offer.kind,
            text=offer.text,
            amount=offer.amount,
            days=offer.days,
            needs_approval=rules.needs_approval(offer, threshold),
            approved_by=approver if rules.needs_approval(offer, threshold) else None,
            approved_at=now if approver and rules.needs_approval(offer, threshold) else None,
            created_at=now,
        )
        for offer in offers
    )
    return Step(
        note=plan,
        data={
            "compensation": [compensation_json(c) for c in rows],
            "awaiting_approval": sum(1 for c in rows if c.awaiting_approval),
        },
    )


def _approve(
    complaint: Complaint,
    ticket: Ticket,
    by: User,
    payload: payloads.ComplaintApproveIn,
    now: datetime,
) -> Step:
    waiting = complaint.compensations.filter(needs_approval=True, approved_at=None, applied_at=None)
    wanted = payload.compensation_id
    if wanted is not None:
        waiting = waiting.filter(pk=wanted)
    ids = sorted(waiting.values_list("pk", flat=True))
    if not ids:
        raise DomainError(
            _("No compensation of this complaint awaits approval."), code="nothing_to_approve"
        )
    Compensation.objects.filter(pk__in=ids).update(approved_by=by, approved_at=now)
    return Step(note=payload.note, data={"approved": ids})


def _resolve(
    complaint: Complaint, ticket: Ticket, by: User, payload: payloads.ResolveIn, now: datetime
) -> Step:
    """The customer's answer: `customer_accepted` is required of a complaint's resolve, and
    `resolution` defaults to `other` (the schema reads the request's kind)."""
    accepted, note, resolution = payload.customer_accepted, payload.note, payload.resolution
    if not accepted:
        managers = selectors.branch_managers_of(ticket)
        complaint.escalated = True
        return Step(
            note=note,
            data={"customer_accepted": False, "alerted": managers},
            escalated=True,
            stage="proposed",
        )
    offered = list(complaint.compensations.filter(applied_at=None).order_by("pk"))
    if any(c.awaiting_approval for c in offered):
        raise DomainError(
            _("A compensation above %(amount)s awaits a branch manager's approval.")
            % {"amount": f"{approval_threshold():.2f}"},
            code="approval_required",
            details={"compensations": [c.pk for c in offered if c.awaiting_approval]},
        )
    for compensation in offered:
        if compensation.kind == "warranty_extension" and ticket.unit is not None:
            unit_add_goodwill_days(
                unit=ticket.unit,
                days=compensation.days or 0,
                by=by,
                note=_("Complaint %(number)s") % {"number": ticket.number},
            )
    Compensation.objects.filter(pk__in=[c.pk for c in offered]).update(applied_at=now)
    return Step(
        note=note,
        data={"customer_accepted": True, "resolution": resolution, "applied": len(offered)},
        status="resolved",
        resolution=resolution,
    )


def _capa_owner(ticket: Ticket, username: str) -> User:
    """Who owns a corrective action: active staff who can open this complaint (to complete it)."""
    from aftersales.tickets.selectors import tickets_for

    owner = User.objects.filter(username=username.strip(), is_active=True).first()
    if owner is None or role_of(owner) is None:
        raise InvalidInput.field(
            "owner", _("No staff member called %(names)s.") % {"names": username.strip()}
        )
    if not tickets_for(owner).filter(pk=ticket.pk).exists():
        raise InvalidInput.field(
            "owner",
            _("%(name)s cannot open this complaint: choose someone who can.")
            % {"name": owner.get_full_name() or owner.username},
        )
    return owner


def _record_capa(
    complaint: Complaint,
    ticket: Ticket,
    by: User,
    payload: payloads.ComplaintRecordCapaIn,
    now: datetime,
) -> Step:
    """The lesson of a resolved complaint: the root cause, the corrective action, its owner and
    due date; the action is `open` until its owner (or a manager) completes it. Recording it
    again while open revises it."""
    owner = _capa_owner(ticket, payload.owner)
    problem = rules.capa_due_problem(payload.due, timezone.localdate(now))
    if problem:
        raise InvalidInput.field("due", problem)
    revised = complaint.capa_state == Complaint.CapaState.OPEN
    complaint.root_cause = payload.root_cause
    complaint.root_cause_note = payload.root_cause_note
    complaint.corrective_action = payload.corrective_action
    complaint.capa_owner = owner
    complaint.capa_due = payload.due
    complaint.capa_state = Complaint.CapaState.OPEN
    return Step(
        note=payload.corrective_action,
        data={
            "root_cause": payload.root_cause,
            "owner": owner.username,
            "due": payload.due.isoformat(),
            "capa": "open",
            "revised": revised,
        },
    )


def _complete_capa(
    complaint: Complaint,
    ticket: Ticket,
    by: User,
    payload: payloads.ComplaintCompleteCapaIn,
    now: datetime,
) -> Step:
    """The corrective action is done: who and when (and whether after its due date)."""
    late = rules.capa_overdue(complaint.capa_state, complaint.capa_due, timezone.localdate(now))
    complaint.capa_state = Complaint.CapaState.DONE
    complaint.capa_done_by = by
    complaint.capa_done_at = now
    complaint.capa_done_note = payload.note
    return Step(
        note=payload.note,
        data={
            "capa": "done",
            "owner": complaint.capa_owner.username if complaint.capa_owner else None,
            "due": complaint.capa_due.isoformat() if complaint.capa_due else None,
            "late": late,
        },
    )


# step → what it does, taking the step's schema (complaints.payloads.PAYLOADS).
_STEPS: dict[str, Callable[[Complaint, Ticket, User, Any, datetime], Step]] = {
    "screen": _screen,
    "acknowledge": _acknowledge,
    "investigate": _investigate,
    "propose": _propose,
    "approve_compensation": _approve,
    "resolve": _resolve,
    "record_capa": _record_capa,
    "complete_capa": _complete_capa,
}


def compensation_json(c: Compensation) -> dict[str, Any]:
    """A compensation as the API shows it: `value` as it was proposed (days, amount or text)."""
    value: Any = c.text
    if c.days is not None:
        value = c.days
    elif c.amount is not None:
        value = f"{c.amount:.2f}"
    return {
        "id": c.pk,
        "kind": c.kind,
        "value": value,
        "needs_approval": c.needs_approval,
        "approved": not c.awaiting_approval,
        "approved_by": c.approved_by.username if c.approved_by else None,
        "applied_at": c.applied_at.isoformat() if c.applied_at else None,
    }


def complaints_escalate_due(*, now: datetime, limit: int = 200) -> list[str]:
    """The sweep: an unresolved complaint whose promised answer is near (within
    COMPLAINT_ESCALATE_BEFORE_HOURS) goes to the branch managers once — claimed by a conditional
    UPDATE, so two sweeps never escalate it twice. One `complaint_escalated` event each."""
    soon = now + timedelta(hours=settings.COMPLAINT_ESCALATE_BEFORE_HOURS)
    due = list(
        Complaint.objects.filter(
            escalated=False,
            promised_by__lte=soon,
            ticket__status__in=ticket_rules.OPEN_STATUSES,
        )
        .exclude(stage=Complaint.Stage.RESOLVED)
        .values_list("pk", flat=True)[:limit]
    )
    from aftersales.tickets.services import ticket_step

    escalated = []
    for pk in due:
        with transaction.atomic():
            if not Complaint.objects.filter(pk=pk, escalated=False).update(escalated=True):
                continue  # another sweep took it
            complaint = Complaint.objects.get(pk=pk)
            ticket = Ticket.objects.select_for_update().get(pk=complaint.ticket_id)
            ticket_step(
                ticket=ticket,
                by=None,  # the system, on the clock
                action="complaint_escalated",
                escalated=True,
                note=_("The promised answer is near and the complaint is not resolved."),
                data={
                    "promised_by": complaint.promised_by.isoformat()
                    if complaint.promised_by
                    else None,
                    "alerted": selectors.branch_managers_of(ticket),
                },
                at=now,
            )
            escalated.append(ticket.number)
    return escalated


# The free text of complaints a privacy erase rewrites (decision 70; the privacy registry lists it).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    Complaint: (
        "wish",
        "screening_note",
        "note",
        "findings",
        "plan",
        "root_cause_note",
        "corrective_action",
        "capa_done_note",
    ),
    Compensation: ("text",),
}


@transaction.atomic
def complaints_privacy_erase(*, customer_id: int, own: Redactor, everywhere: Redactor) -> int:
    """A privacy erase's part in complaints (decision 70): the person's own complaints lose their
    name, phone and address in the wish, notes, findings, plan and offers; every complaint loses
    their phone number. Stages, responsibility and compensation amounts and days stay. A pure
    data rewrite, no event: the erase writes its one event on the customer's timeline."""
    theirs: dict[type[models.Model], Any] = {
        Complaint: Complaint.objects.filter(ticket__customer_id=customer_id),
        Compensation: Compensation.objects.filter(complaint__ticket__customer_id=customer_id),
    }
    return rewrite_person(PRIVATE_TEXT, theirs, own=own, everywhere=everywhere)
