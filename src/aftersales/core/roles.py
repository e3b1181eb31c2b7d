"""Roles are groups; each role holds the Django permissions its people need.

What a role may do beyond model permissions (scope by center, approvals) is checked in the
selectors and services that own the objects, using `role_of` and `center_of`.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.utils.translation import gettext_lazy as _

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

# Every staff role reads the master data.
_READ_MASTER_DATA = [
    "customers.view_customer",
    "catalog.view_category",
    "catalog.view_productmodel",
    "catalog.view_unit",
    "dispatch.view_servicecenter",
    "warranty.view_policy",
    "warranty.view_policycategory",
    "warranty.view_policypart",
    "warranty.view_performancefault",
    "warranty.view_policyversion",
]
_WRITE_CUSTOMERS_AND_UNITS = [
    "customers.add_customer",
    "customers.change_customer",
    "catalog.add_unit",
    "catalog.change_unit",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMIN: [],  # admins are superusers: every permission
    HOTLINE: _READ_MASTER_DATA + _WRITE_CUSTOMERS_AND_UNITS,
    FRONT_DESK: _READ_MASTER_DATA + _WRITE_CUSTOMERS_AND_UNITS,
    DISPATCHER: _READ_MASTER_DATA,
    TECHNICIAN: _READ_MASTER_DATA,
    TECH_CENTER: _READ_MASTER_DATA,
    COMPLAINTS: _READ_MASTER_DATA,
    BRANCH_MANAGER: _READ_MASTER_DATA,
    FINANCE: _READ_MASTER_DATA,
    ARCHIVE: _READ_MASTER_DATA,
}


def sync_roles() -> None:
    """Create one group per role and give it exactly its permissions (idempotent)."""
    # Runs on core's post_migrate, before Django has made the later apps' permissions: make them now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, perms in ROLE_PERMISSIONS.items():
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
    names = {g.name for g in user.groups.all()}
    return next((r for r in ROLES if r in names), None)
