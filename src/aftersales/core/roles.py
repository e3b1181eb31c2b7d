"""Roles are groups; each role holds the Django permissions its people need.

What a role may do beyond model permissions (scope by center, approvals) is checked in the
selectors and services that own the objects, using `role_of` and `center_of`.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from aftersales.core.reference import cached

ADMIN = "admin"
HOTLINE = "hotline"
DISPATCHER = "dispatcher"
TECHNICIAN = "technician"
FRONT_DESK = "front_desk"
TECH_CENTER = "tech_center"
COMPLAINTS = "complaints"
BRANCH_MANAGER = "branch_manager"
FINANCE = "finance"
ARCHIVE = "archive"

ROLE_LABELS = {
    ADMIN: _("Administrator"),
    HOTLINE: _("Hotline agent"),
    DISPATCHER: _("Dispatcher"),
    TECHNICIAN: _("Technician"),
    FRONT_DESK: _("Front desk"),
    TECH_CENTER: _("Technical center engineer"),
    COMPLAINTS: _("Complaint handler"),
    BRANCH_MANAGER: _("Branch manager"),
    FINANCE: _("Finance"),
    ARCHIVE: _("Archive clerk"),
}
ROLES = tuple(ROLE_LABELS)

# Every staff role reads the master data; the hotline and the front desk also write customers
# and units. Each app names the permissions of its own master data (its AppConfig's
# `master_data_read` and `master_data_write`): core names no app above it.
WRITE_MASTER_DATA = (HOTLINE, FRONT_DESK)


def role_permissions() -> dict[str, list[str]]:
    """Each role's permissions ("app_label.codename"), from what the apps declare (admins are
    superusers: every permission)."""
    read: list[str] = []
    write: list[str] = []
    for app_config in apps.get_app_configs():
        read += [f"{app_config.label}.{c}" for c in getattr(app_config, "master_data_read", ())]
        write += [f"{app_config.label}.{c}" for c in getattr(app_config, "master_data_write", ())]
    return {
        role: [] if role == ADMIN else read + (write if role in WRITE_MASTER_DATA else [])
        for role in ROLES
    }


def sync_roles() -> None:
    """Create one group per role and give it exactly its permissions (idempotent)."""
    # Runs on core's post_migrate, before Django has made the later apps' permissions: make them now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, perms in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted: list[Permission] = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def role_of(user: User | AnonymousUser | None) -> str | None:
    """The user's one role, or None for someone who is not active staff."""
    if not isinstance(user, User) or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    names = group_names(user)
    return next((r for r in ROLES if r in names), None)


def with_groups() -> Prefetch:
    """What a list of staff prefetches so that `group_names` (their roles, their labels) costs no
    query per person: their groups, in a plain list (`to_attr`: Django's own prefetch cache
    would build a queryset per person)."""
    return Prefetch("groups", queryset=Group.objects.only("name"), to_attr="group_list")


def group_names(user: User) -> frozenset[str]:
    """The names of a user's groups: prefetched by a list (`with_groups`), else kept per process."""
    loaded: list[Group] | None = getattr(user, "group_list", None)
    if loaded is not None:
        return frozenset(g.name for g in loaded)
    return _group_names(user.pk)


@cached("group_names")
def _group_names(user_id: int) -> frozenset[str]:
    """The names of a user's groups (kept per process: core.reference)."""
    return frozenset(Group.objects.filter(user__id=user_id).values_list("name", flat=True))
