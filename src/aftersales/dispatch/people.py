"""Staff as people pick them on a page: by name, with their role and center (value: username).

Pages name people by their full name; forms and the API keep usernames (CONTRACT.md).
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import QuerySet

from aftersales.core.presenters import display_name
from aftersales.core.roles import ROLE_LABELS, ROLES, group_names, with_groups
from aftersales.dispatch.models import StaffProfile


def _role_label(user: User) -> str:
    names = group_names(user)  # prefetched by the callers below
    role = next((r for r in ROLES if r in names), None)
    return str(ROLE_LABELS[role]) if role else ""


def _center_name(user: User) -> str:
    try:
        center = user.staff_profile.center
    except StaffProfile.DoesNotExist:
        return ""
    return center.name if center else ""


def person_label(user: User) -> str:
    """“王丽 · 前台 · 广州维修中心”: the name, then the role and the center where known."""
    parts = [display_name(user), _role_label(user), _center_name(user)]
    return " · ".join(p for p in parts if p)


def person_choices(users: Iterable[User]) -> list[tuple[str, str]]:
    """(username, label) for a select: the value a form keeps, the words a person reads."""
    return [(u.username, person_label(u)) for u in users]


def staff(role: str = "") -> QuerySet[User]:
    """Active staff (anyone with a role; of `role` if given), ready for `person_label` without
    more queries."""
    found = User.objects.filter(is_active=True, groups__name__in=[role] if role else ROLES)
    return (
        found.select_related("staff_profile__center")
        .prefetch_related(with_groups())
        .distinct()
        .order_by("username")
    )


def people_matching(text: str, limit: int = 20, role: str = "") -> list[tuple[str, str]]:
    """(username, label) of active staff whose name, username, role or center contains every
    word of `text` (a staff list is small: read whole, matched here)."""
    words = (text or "").lower().split()
    found = []
    for user in staff(role):
        label = person_label(user)
        seen = f"{user.username} {label}".lower()
        if all(w in seen for w in words):
            found.append((user.username, label))
            if len(found) >= limit:
                break
    return found
