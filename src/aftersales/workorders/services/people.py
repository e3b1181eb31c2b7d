"""Who and where: a service center by its code, an active technician of a center, whether a
desk or branch would put a job beyond its own center (used by creation and `assign`), and
`work_orders_hand_over`, which moves a leaver's open jobs to a colleague (人员交接).
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.roles import role_of
from aftersales.core.services import record_event
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_of
from aftersales.tickets import services as ticket_services
from aftersales.workorders import rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services.outcomes import _guard_message


def _center(code: str | None, default: ServiceCenter | None) -> ServiceCenter | None:
    if not code:
        return default
    center = ServiceCenter.objects.filter(code=code, active=True).first()
    if center is None:
        raise InvalidInput.field(
            "center", _("No service center with code %(code)s.") % {"code": code}
        )
    return center


def _beyond_own_center(by: User, where: ServiceCenter | None) -> bool:
    """A desk or branch that put a job in another center would lose sight of it: other centers'
    jobs are dispatch's."""
    return role_of(by) in rules.CENTER_ROLES and where is not None and where != center_of(by)


def _technician(username: str, center: ServiceCenter | None) -> User:
    """An active technician of `center` (409 `technician_not_available` otherwise)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise InvalidInput.field(
            "technician", _("No staff member %(username)s.") % {"username": username}
        )
    works_there = center is None or center_of(user) == center
    if not user.is_active or role_of(user) != "technician" or not works_there:
        raise DomainError(
            _guard_message("technician_not_available"), code="technician_not_available"
        )
    return user


@transaction.atomic
def work_orders_hand_over(*, user: User, to: User, by: User) -> int:
    """Move every open job assigned to `user` to `to`, each with an `assign` event by `by`."""
    moved = 0
    for wo in (
        WorkOrder.objects.select_for_update()
        .filter(technician=user)
        .exclude(status__in=rules.CLOSED_STATUSES)
        .order_by("id")
    ):
        wo.technician = to
        wo.save(update_fields=["technician"])
        ticket_services.ticket_job_record(ticket=wo.ticket, job=wo, technician=to)
        record_event(
            subject=wo,
            action="assign",
            actor=by,
            note=_("Handed over from %(from)s") % {"from": user.username},
            data={
                "work_order": wo.number,
                "from_technician": user.username,
                "technician": to.username,
                "handover": True,
            },
        )
        moved += 1
    return moved
