"""State changes of the service network."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import Forbidden, InvalidInput
from aftersales.core.roles import ADMIN, ROLES, sync_roles
from aftersales.dispatch.models import ServiceCenter, StaffProfile


@transaction.atomic
def staff_upsert(
    *,
    username: str,
    role: str,
    password: str | None = None,
    center_code: str | None = None,
    name: str = "",
) -> User:
    """Create or update a staff user with exactly one role (and a center, where given)."""
    if role not in ROLES:
        raise InvalidInput.field(
            "role",
            _("Unknown role %(role)s; one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(ROLES)},
        )
    center = None
    if center_code:
        center = ServiceCenter.objects.filter(code=center_code).first()
        if center is None:
            raise InvalidInput.field(
                "center", _("No service center with code %(code)s.") % {"code": center_code}
            )
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    if name:
        user.first_name = name
    user.is_active = True
    user.is_staff = True  # the Django admin shows each role only what its permissions allow
    user.is_superuser = role == ADMIN
    if password:
        user.set_password(password)
    user.save()
    if not Group.objects.filter(name=role).exists():
        sync_roles()
    user.groups.set([Group.objects.get(name=role)])
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    if center_code is not None:
        profile.center = center
        profile.save(update_fields=["center"])
    return user


@transaction.atomic
def staff_hand_over(*, user: User, to: User, by: User) -> dict[str, int]:
    """A person leaves: every open item of theirs moves to a named colleague in one step, each
    with its own event, and their account and tokens stop working (DOMAIN.md §1)."""
    from aftersales.core.roles import BRANCH_MANAGER, role_of
    from aftersales.core.services import revoke_tokens
    from aftersales.dispatch.selectors import center_of
    from aftersales.tickets.services import tickets_hand_over
    from aftersales.workorders.services import work_orders_hand_over

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
