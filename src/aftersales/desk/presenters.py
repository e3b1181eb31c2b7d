"""The request page's timeline in words: the request's own events, its complaint's steps and
its jobs' events, each worded by the app that owns them (tickets, complaints and workorders
presenters). The API's event lists keep their codes: only the pages word them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from aftersales.complaints.presenters import event_label as complaint_event_label
from aftersales.core.models import Event
from aftersales.core.presenters import UNWORDED_EVENT
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
