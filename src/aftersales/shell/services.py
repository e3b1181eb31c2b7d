"""State changes of the shell: the ones that span the case apps (a leaving person's requests
and work orders, handed over in one step)."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import Forbidden, InvalidInput
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, role_of
from aftersales.core.services import revoke_tokens
from aftersales.dispatch.selectors import center_of
from aftersales.tickets.services import tickets_hand_over
from aftersales.workorders.services import work_orders_hand_over


@transaction.atomic
def staff_hand_over(*, user: User, to: User, by: User) -> dict[str, int]:
    """A person leaves: every open item of theirs moves to a named colleague in one step, each
    with its own event, and their account and tokens stop working (DOMAIN.md §1)."""
    role = role_of(by)
    if role not in (ADMIN, BRANCH_MANAGER):
        raise Forbidden(_("Only an administrator or a branch manager hands over a person's work."))
    if role == BRANCH_MANAGER and center_of(user) != center_of(by):
        raise Forbidden(_("A branch manager hands over the work of their own center's staff."))
    if to.pk == user.pk:
        raise InvalidInput.field("to", _("Hand the work over to someone else."))
    if not to.is_active or role_of(to) is None:
        raise InvalidInput.field(
            "to", _("%(username)s is not an active staff member.") % {"username": to.username}
        )
    requests = tickets_hand_over(user=user, to=to, by=by)
    work_orders = work_orders_hand_over(user=user, to=to, by=by)
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoke_tokens(user)
    return {"requests": requests, "work_orders": work_orders}
