"""The request page's timeline in words: the request's own events, its complaint's steps and
its jobs' events, each worded by the app that owns them (tickets, complaints and workorders
presenters). The API's event lists keep their codes: only the pages word them. The requests
list as a sheet of its XLSX export."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from aftersales.complaints import rules as complaint_rules
from aftersales.complaints.presenters import event_label as complaint_event_label
from aftersales.complaints.selectors import complaint_of
from aftersales.core import xlsx
from aftersales.core.models import Event
from aftersales.core.presenters import UNWORDED_EVENT, display_name
from aftersales.tickets.forms import COMPLAINT_CATEGORIES, RESOLUTION_LABELS
from aftersales.tickets.models import Ticket
from aftersales.tickets.presenters import event_label as ticket_event_label
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.presenters import event_label as work_order_event_label


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    label: str
    work_order: str = ""  # a job's event: the job's number, shown beside the words


def timeline(events: Iterable[Event]) -> list[TimelineEntry]:
    """Each event of the request's timeline with its words, by whose event it is: a job's
    `created` is "Work order opened" (with its number), the request's is "Request taken"."""
    ticket_type = ContentType.objects.get_for_model(Ticket).pk
    job_type = ContentType.objects.get_for_model(WorkOrder).pk
    entries = []
    for event in events:
        if event.content_type_id == ticket_type:
            label = complaint_event_label(event.action, event.data) or ticket_event_label(
                event.action
            )
            entries.append(TimelineEntry(event, label))
        elif event.content_type_id == job_type:
            number = str(event.data.get("work_order") or "")
            entries.append(TimelineEntry(event, work_order_event_label(event.action), number))
        else:
            entries.append(TimelineEntry(event, str(UNWORDED_EVENT)))
    return entries


def request_sheet(tickets: Iterable[Ticket], *, complaints: bool = False) -> xlsx.Sheet:
    """The requests list as a sheet (its XLSX export): a header in the reader's language and one
    row per request, codes in words; `complaints` (the list of kind `complaint`) adds the
    complaint's category, stage, responsibility and promised answer."""
    header = [
        _("Number"),
        _("Kind"),
        _("Channel"),
        _("Status"),
        _("Priority"),
        _("Customer"),
        _("Phone"),
        _("Serial number"),
        _("Summary"),
        _("Service center"),
        _("Owner"),
        _("Created"),
        _("Respond by"),
        _("Resolve by"),
        _("Resolved"),
        _("Escalated"),
        _("Resolution"),
    ]
    if complaints:
        header += [_("Category"), _("Stage"), _("Responsibility"), _("Promised by")]
    return xlsx.Sheet(
        title=str(_("Complaints") if complaints else _("Requests")),
        header=[str(name) for name in header],
        rows=(_request_row(t, complaints=complaints) for t in tickets),
    )


def _request_row(ticket: Ticket, *, complaints: bool) -> list[Any]:
    row = [
        ticket.number,
        ticket.get_kind_display(),
        ticket.get_channel_display(),
        ticket.get_status_display(),
        ticket.get_priority_display(),
        ticket.customer.name,
        ticket.customer.phone,
        ticket.unit.serial if ticket.unit else None,
        ticket.summary,
        ticket.center.name if ticket.center else None,
        display_name(ticket.owner) if ticket.owner else None,
        ticket.created_at,
        ticket.respond_by,
        ticket.resolve_by,
        ticket.resolved_at,
        xlsx.yes_no(ticket.escalated),
        RESOLUTION_LABELS.get(ticket.resolution, ticket.resolution) or None,
    ]
    if complaints:
        complaint = complaint_of(ticket)
        category = ticket.problem_class or complaint_rules.DEFAULT_CATEGORY
        row += [
            dict(COMPLAINT_CATEGORIES).get(category, category),
            complaint.get_stage_display() if complaint else None,
            (complaint.get_responsibility_display() or None) if complaint else None,
            complaint.promised_by if complaint else None,
        ]
    return row
