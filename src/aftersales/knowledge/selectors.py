"""Reads of escalations: the technical center's queue, and each request's cases."""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from aftersales.core.errors import NotFound
from aftersales.knowledge.models import EscalationCase
from aftersales.tickets.selectors import on_visible_requests


def escalations_for(user: User) -> QuerySet[EscalationCase]:
    """Cases on the requests this user may see (the technical center sees every center's)."""
    return on_visible_requests(
        EscalationCase.objects.select_related("ticket", "raised_by", "answered_by"), user
    )


def escalation_get_for(user: User, case_id: int) -> EscalationCase:
    case = escalations_for(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No escalation with this id."))
    return case


def cases_of(ticket_id: int) -> QuerySet[EscalationCase]:
    return (
        EscalationCase.objects.filter(ticket_id=ticket_id)
        .select_related("raised_by", "answered_by")
        .order_by("raised_at")
    )
