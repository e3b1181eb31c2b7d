"""The walk: every row held about one person, by section, and the cases of theirs still open."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from aftersales.catalog.models import ImportedCustomer, ImportJob, Unit
from aftersales.complaints.models import Compensation, Complaint
from aftersales.core.models import AccessKind, AccessRecord, Event
from aftersales.core.redaction import Redactor
from aftersales.customers.models import Customer
from aftersales.followups.models import FollowUp
from aftersales.knowledge.models import EscalationCase
from aftersales.notifications.models import Message, OptOut
from aftersales.tickets.models import Ticket
from aftersales.tickets.rules import OPEN_STATUSES as OPEN_REQUEST_STATUSES
from aftersales.workorders.models import (
    Loan,
    PartRequest,
    Photo,
    QuoteLine,
    StockDiscrepancy,
    StockMovement,
    Visit,
    WorkOrder,
)
from aftersales.workorders.rules import CLOSED_STATUSES as CLOSED_JOB_STATUSES


@dataclass(frozen=True)
class Section:
    """One part of the export: a name, its model, the person's rows of it, whether each row
    carries its timeline (`events`)."""

    name: str
    model: type[models.Model]
    rows: Callable[[Customer], QuerySet[Any]]
    timeline: bool = False


def _jobs(c: Customer) -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(ticket__customer=c)


# Everything held about one person, in the order the export shows it (CONTRACT.md "Commands").
SECTIONS: tuple[Section, ...] = (
    Section("customer", Customer, lambda c: Customer.objects.filter(pk=c.pk), timeline=True),
    Section("units", Unit, lambda c: Unit.objects.filter(customer=c), timeline=True),
    Section("requests", Ticket, lambda c: Ticket.objects.filter(customer=c), timeline=True),
    Section("complaints", Complaint, lambda c: Complaint.objects.filter(ticket__customer=c)),
    Section(
        "compensations",
        Compensation,
        lambda c: Compensation.objects.filter(complaint__ticket__customer=c),
    ),
    Section("work_orders", WorkOrder, _jobs, timeline=True),
    Section("quote_lines", QuoteLine, lambda c: QuoteLine.objects.filter(work_order__in=_jobs(c))),
    Section("parts", PartRequest, lambda c: PartRequest.objects.filter(work_order__in=_jobs(c))),
    Section("visits", Visit, lambda c: Visit.objects.filter(work_order__in=_jobs(c))),
    Section("photos", Photo, lambda c: Photo.objects.filter(work_order__in=_jobs(c))),
    Section("loans", Loan, lambda c: Loan.objects.filter(work_order__in=_jobs(c))),
    Section(
        "stock_movements",
        StockMovement,
        lambda c: StockMovement.objects.filter(work_order__in=_jobs(c)),
    ),
    Section(
        "stock_discrepancies",
        StockDiscrepancy,
        lambda c: StockDiscrepancy.objects.filter(work_order__in=_jobs(c)),
    ),
    Section(
        "follow_ups", FollowUp, lambda c: FollowUp.objects.filter(ticket__customer=c), timeline=True
    ),
    Section(
        "escalations",
        EscalationCase,
        lambda c: EscalationCase.objects.filter(ticket__customer=c),
        timeline=True,
    ),
    Section("messages", Message, lambda c: Message.objects.filter(customer=c)),
    Section("opt_out", OptOut, lambda c: OptOut.objects.filter(customer=c)),
    Section(
        "imports",
        ImportJob,
        lambda c: ImportJob.objects.filter(
            pk__in=ImportedCustomer.objects.filter(customer=c).values("job_id")
        ),
    ),
)

# The models whose rows carry a timeline: the person's subjects of events and admin log entries.
TIMELINE_SECTIONS = tuple(s for s in SECTIONS if s.timeline)


def customer_get(customer_id: int) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first()


def subjects(customer: Customer) -> dict[type[models.Model], list[int]]:
    """The ids of the person's own records of each kind that has a timeline."""
    return {
        s.model: list(s.rows(customer).order_by().values_list("pk", flat=True))
        for s in TIMELINE_SECTIONS
    }


def events_of(model: type[models.Model], ids: list[int]) -> QuerySet[Event]:
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    ).select_related("actor")


def admin_log_of(model: type[models.Model], ids: list[int]) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).select_related("user")


def access_records_of(customer: Customer, serials: list[str]) -> QuerySet[AccessRecord]:
    """Who saw or exported the person's data: their customer page and their units' histories."""
    return AccessRecord.objects.filter(
        kind__in=[AccessKind.CUSTOMER, AccessKind.PRIVACY_EXPORT, AccessKind.PRIVACY_ERASE],
        subject=str(customer.pk),
    ) | AccessRecord.objects.filter(kind=AccessKind.UNIT, subject__in=serials)


def mentions(
    everywhere: Redactor, private_text: dict[type[models.Model], tuple[str, ...]]
) -> list[tuple[type[models.Model], int, str, Any]]:
    """Other records whose text holds the person's phone number or e-mail (a note on someone
    else's request, a hand-in note): (model, id, field, value). Read by the export, rewritten by
    the erase (`everywhere`)."""
    found = []
    for model, fields in private_text.items():
        condition = everywhere.prefilter(fields)
        if condition is None:
            continue
        for pk, *values in (
            model._default_manager.filter(condition).order_by("pk").values_list("pk", *fields)
        ):
            found += [
                (model, pk, name, value)
                for name, value in zip(fields, values, strict=True)
                if everywhere.found_in(value)
            ]
    return found


def open_cases(customer: Customer) -> list[dict[str, Any]]:
    """The person's cases still open — requests, work orders, follow-ups (calls still to make to
    them) and technical-center cases — each as {"kind", "ref"} (a number, or an id)."""
    cases: list[dict[str, Any]] = []
    cases += [
        {"kind": "request", "ref": n}
        for n in Ticket.objects.filter(customer=customer, status__in=OPEN_REQUEST_STATUSES)
        .order_by("pk")
        .values_list("number", flat=True)
    ]
    cases += [
        {"kind": "work_order", "ref": n}
        for n in _jobs(customer)
        .exclude(status__in=CLOSED_JOB_STATUSES)
        .order_by("pk")
        .values_list("number", flat=True)
    ]
    cases += [
        {"kind": "follow_up", "ref": pk}
        for pk in FollowUp.objects.filter(ticket__customer=customer, status=FollowUp.Status.OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    cases += [
        {"kind": "escalation", "ref": pk}
        for pk in EscalationCase.objects.filter(
            ticket__customer=customer, status=EscalationCase.Status.OPEN
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    return cases
