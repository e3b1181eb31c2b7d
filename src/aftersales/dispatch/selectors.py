"""Reads of the service network."""

import secrets

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from aftersales.core import rules as calendar_rules
from aftersales.core.errors import NotFound
from aftersales.core.reference import cached
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, TECHNICIAN, role_of
from aftersales.core.selectors import working_calendar
from aftersales.dispatch import rules
from aftersales.dispatch.models import ServiceCenter, StaffProfile, TechnicianProfile


def centers() -> QuerySet[ServiceCenter]:
    return ServiceCenter.objects.filter(active=True).order_by("code")


def center_of(user: User | AnonymousUser) -> ServiceCenter | None:
    """The center a staff member works in, if any."""
    if not user.is_authenticated:
        return None
    return _center_of(user.pk)


@cached("center_of")
def _center_of(user_id: int) -> ServiceCenter | None:
    """A staff member's center with its calendar (kept per process: core.reference)."""
    profile = (
        StaffProfile.objects.select_related("center__calendar").filter(user_id=user_id).first()
    )
    return profile.center if profile else None


@cached("center_id")
def center_id(code: str) -> int | None:
    """The id of the center with this code (None: no such center), kept per process: a list
    filtered by a center then names it by a literal id, which PostgreSQL plans by that center's
    own statistics (and answers at once for a code that names none)."""
    return ServiceCenter.objects.filter(code=code).values_list("pk", flat=True).first()


def center_serving(region: str) -> ServiceCenter | None:
    """The active center whose regions match `region` most specifically."""
    best, best_len = None, 0
    for center in centers():
        length = rules.most_specific_match(center.regions, region)
        if length > best_len:
            best, best_len = center, length
    return best


def calendar_of(center: ServiceCenter | None) -> calendar_rules.WorkingCalendar:
    """The working calendar of a center (the default office week where it has none)."""
    return working_calendar(center.calendar if center else None)


# --- technicians -----------------------------------------------------------------------------


def technicians(
    *, center: str | None = None, skill: str | None = None, active: bool | None = None
) -> QuerySet[User]:
    """Staff with the technician role, with their profiles (skills, area, capacity)."""
    found = (
        User.objects.filter(groups__name=TECHNICIAN)
        .select_related("staff_profile__center", "technician_profile__calendar")
        .order_by("username")
        .distinct()
    )
    if center:
        found = found.filter(staff_profile__center__code=center)
    if active is not None:
        dispatchable = Q(is_active=True) & (
            Q(technician_profile__isnull=True) | Q(technician_profile__dispatchable=True)
        )
        found = found.filter(dispatchable if active else ~dispatchable)
    if skill:  # skills are a JSON list: matched here, not by each database's own JSON lookups
        found = found.filter(pk__in=[u.pk for u in found if skill in profile_of(u).skills])
    return found


def technician_get(username: str) -> User:
    user = next(iter(technicians_named([username])), None)
    if user is None:
        raise NotFound(_("No technician %(username)s.") % {"username": username})
    return user


def technicians_named(usernames: list[str]) -> list[User]:
    return [
        u
        for u in User.objects.filter(username__in=usernames, groups__name=TECHNICIAN)
        .select_related("staff_profile__center", "technician_profile__calendar")
        .distinct()
    ]


def profile_of(user: User) -> TechnicianProfile:
    """The technician's dispatch profile (defaults where none was set up yet)."""
    try:
        return user.technician_profile
    except TechnicianProfile.DoesNotExist:
        return TechnicianProfile(user=user, calendar_key="")


def home_center(user: User) -> ServiceCenter | None:
    try:
        return user.staff_profile.center
    except StaffProfile.DoesNotExist:
        return None


def is_dispatchable(user: User) -> bool:
    return user.is_active and profile_of(user).dispatchable


def may_see_calendar_key(viewer: User, technician: User) -> bool:
    """The feed's secret is shown to the technician, their branch manager and admins."""
    role = role_of(viewer)
    if viewer.pk == technician.pk or role == ADMIN:
        return True
    return role == BRANCH_MANAGER and center_of(viewer) == home_center(technician) is not None


def profile_key(technician: User) -> str:
    return profile_of(technician).calendar_key


def technician_by_key(username: str, key: str) -> User:
    """The technician whose feed this is; 404 for a wrong or missing key, as for a stranger."""
    found = TechnicianProfile.objects.select_related("user").filter(user__username=username).first()
    # Compared as bytes: compare_digest refuses str that is not ASCII (a key of "é" was a 500).
    given = key.encode("utf-8", "surrogatepass")
    if found is None or not key or not secrets.compare_digest(found.calendar_key.encode(), given):
        raise NotFound(_("No such calendar."))
    return found.user
