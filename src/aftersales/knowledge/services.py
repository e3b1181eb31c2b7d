"""The only code that changes escalations to the technical center."""

from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.redaction import Redactor, rewrite_person
from aftersales.core.roles import role_of
from aftersales.core.services import record_event
from aftersales.knowledge.models import EscalationCase
from aftersales.tickets.models import Ticket

ANSWERING_ROLES = frozenset({"tech_center", "admin"})


def _facts(ticket: Ticket) -> dict[str, Any]:
    """What the technical center needs to answer without calling back: frozen at escalation."""
    unit = ticket.unit
    return {
        "number": ticket.number,
        "kind": ticket.kind,
        "summary": ticket.summary,
        "description": ticket.description,
        "customer": {"name": ticket.customer.name, "region": ticket.customer.region},
        "unit": {
            "serial": unit.serial,
            "model": unit.model.code,
            "category": unit.model.category.code,
            "purchase_date": unit.purchase_date.isoformat() if unit.purchase_date else None,
        }
        if unit
        else None,
        "warranty": ticket.warranty,
    }


def escalation_open(
    *, ticket: Ticket, question: str, by: User, work_order: Any = None
) -> EscalationCase:
    """Open a technical-center case for a hard problem (疑难问题), with the facts gathered so far
    (a work order's own decision and findings when it is raised from one)."""
    facts = _facts(ticket)
    if work_order is not None:
        facts["work_order"] = {
            "number": work_order.number,
            "mode": work_order.mode,
            "status": work_order.status,
            "inspection": work_order.inspection,
            "findings": work_order.findings,
            "fault_code": work_order.fault_code,
            "decision": work_order.decision,
        }
    case = EscalationCase.objects.create(
        ticket=ticket, question=question, facts=facts, raised_by=by, work_order=work_order
    )
    record_event(subject=case, action="opened", actor=by, note=question)
    return case


@transaction.atomic
def escalation_answer(*, case: EscalationCase, by: User, answer: str) -> EscalationCase:
    """The technical center answers; the answer lands on the request's timeline for its owner."""
    if role_of(by) not in ANSWERING_ROLES:
        raise Forbidden(_("Only the technical center answers escalations."))
    case = EscalationCase.objects.select_for_update().get(pk=case.pk)
    if case.status != EscalationCase.Status.OPEN:
        raise DomainError(
            _("This escalation is already answered."),
            code="invalid_transition",
            details={"allowed": [], "status": case.status},
        )
    if not answer.strip():
        raise InvalidInput.field("answer", _("Write the answer."))
    case.status = EscalationCase.Status.ANSWERED
    case.answer = answer.strip()
    case.answered_by = by
    case.answered_at = timezone.now()
    case.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    record_event(subject=case, action="answered", actor=by, note=case.answer)
    record_event(
        subject=case.ticket,
        action="escalation_answered",
        actor=by,
        note=case.answer,
        data={"escalation": case.pk},
    )
    return case


# The free text of escalations a privacy erase rewrites (decision 70; the privacy registry lists it).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    EscalationCase: ("question", "facts", "answer"),
}


@transaction.atomic
def escalations_privacy_erase(*, customer_id: int, own: Redactor, everywhere: Redactor) -> int:
    """A privacy erase's part in escalations (decision 70): the cases about the person's requests
    lose their name, phone and address in the question, the facts frozen at escalation and the
    answer; every case loses their phone number. A pure data rewrite, no event: the erase writes
    its one event on the customer's timeline."""
    theirs: dict[type[models.Model], QuerySet[Any]] = {
        EscalationCase: EscalationCase.objects.filter(ticket__customer_id=customer_id)
    }
    return rewrite_person(PRIVATE_TEXT, theirs, own=own, everywhere=everywhere)
