"""State changes of the service network."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import models, transaction
from django.utils.translation import gettext as _

from aftersales.core.accounts import password_check
from aftersales.core.errors import InvalidInput
from aftersales.core.redaction import Redactor, rewrite
from aftersales.core.roles import ADMIN, ROLES, TECHNICIAN, sync_roles
from aftersales.dispatch.models import HandIn, ServiceCenter, StaffProfile, TechnicianProfile


@transaction.atomic
def staff_upsert(
    *,
    username: str,
    role: str,
    password: str | None = None,
    center_code: str | None = None,
    name: str = "",
) -> User:
    """Create or update a staff user with exactly one role (and a center, where given). A
    password must pass Django's validators (InvalidInput naming `password`, nothing saved); the
    same password again is left as it is, so the user's sessions and API tokens go on (the demo
    sets its passwords on every run)."""
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
    user, created = user_model.objects.get_or_create(username=username)
    if name:
        user.first_name = name
    if password:
        password_check(password, user)  # refused: the transaction undoes a user just created
    user.is_active = True
    user.is_staff = True  # the Django admin shows each role only what its permissions allow
    user.is_superuser = role == ADMIN
    if password and (created or not user.check_password(password)):
        user.set_password(password)
    user.save()
    if not Group.objects.filter(name=role).exists():
        sync_roles()
    user.groups.set([Group.objects.get(name=role)])
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    if center_code is not None:
        profile.center = center
        profile.save(update_fields=["center"])
    if role == TECHNICIAN:
        TechnicianProfile.objects.get_or_create(user=user)
    return user


# What a privacy erase rewrites here (the privacy registry lists it; decision 72).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {HandIn: ("note",)}


@transaction.atomic
def hand_ins_privacy_erase(*, everywhere: Redactor) -> int:
    """A privacy erase's part (decision 70): a technician's hand-in notes lose the person's phone
    number. A pure data rewrite, no event."""
    return rewrite(HandIn.objects.all(), PRIVATE_TEXT[HandIn], everywhere)
