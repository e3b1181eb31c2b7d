"""Reads of complaints."""

from django.contrib.auth.models import User

from aftersales.complaints.models import Complaint
from aftersales.core.roles import BRANCH_MANAGER
from aftersales.tickets.models import Ticket


def complaint_of(ticket: Ticket) -> Complaint | None:
    """The complaint a request of kind `complaint` carries (None for other kinds)."""
    if ticket.kind != "complaint":
        return None
    return (
        Complaint.objects.filter(ticket=ticket)
        .select_related("about", "ticket")
        .prefetch_related("compensations__approved_by", "staff")
        .first()
    )


def branch_managers_of(ticket: Ticket) -> list[str]:
    """Usernames of the active branch managers of the request's center (who a rejection alerts)."""
    if ticket.center_id is None:
        return []
    return sorted(
        User.objects.filter(
            is_active=True, groups__name=BRANCH_MANAGER, staff_profile__center=ticket.center_id
        ).values_list("username", flat=True)
    )
