"""The layout's navigation, chosen by the signed-in user's role."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftersales.core.roles import (
    ADMIN,
    ARCHIVE,
    BRANCH_MANAGER,
    COMPLAINTS,
    DISPATCHER,
    FINANCE,
    FRONT_DESK,
    HOTLINE,
    ROLE_LABELS,
    ROLES,
    TECH_CENTER,
    TECHNICIAN,
    role_of,
)

# (label, url name, roles that see it): the sidebar's entries, in this order.
NAVIGATION = [
    (_("Workbench"), "home", ROLES),
    (
        _("Service requests"),
        "console",
        (ADMIN, HOTLINE, FRONT_DESK, BRANCH_MANAGER, COMPLAINTS, DISPATCHER, ARCHIVE, FINANCE),
    ),
    (_("New request"), "request_new", (ADMIN, HOTLINE, FRONT_DESK, BRANCH_MANAGER)),
    (_("Technical support"), "escalation_queue", (TECH_CENTER, ADMIN)),
    (_("Complaints"), "complaint_list", (COMPLAINTS, BRANCH_MANAGER, ADMIN)),
    (_("Callbacks"), "callback_queue", (HOTLINE, COMPLAINTS, ARCHIVE, BRANCH_MANAGER, ADMIN)),
    (_("Daily reconciliation"), "reconcile", (ARCHIVE, BRANCH_MANAGER, ADMIN)),
    (
        _("Work orders"),
        "workorders:list",
        (FRONT_DESK, TECHNICIAN, BRANCH_MANAGER, DISPATCHER, ADMIN),
    ),
    (_("Dispatch board"), "dispatch:board", (DISPATCHER, BRANCH_MANAGER, ADMIN)),
    (_("Stock discrepancies"), "workorders:stock_discrepancies", (BRANCH_MANAGER, ADMIN)),
    (_("Daily hand-ins"), "hand_ins:report", (BRANCH_MANAGER, DISPATCHER, ARCHIVE, ADMIN)),
    (_("My jobs today"), "field:day", (TECHNICIAN,)),
    (_("Daily hand-in"), "hand_ins:form", (TECHNICIAN,)),
    # The desks that answer "what am I entitled to?"; every role may still open the page.
    (
        _("Warranty check"),
        "warranty_check",
        (HOTLINE, FRONT_DESK, TECH_CENTER, BRANCH_MANAGER, ADMIN),
    ),
    # Desks that register customers and units maintain them (and import them) in the admin site.
    (_("Master data"), "admin:index", (HOTLINE, FRONT_DESK)),
    (_("Reports"), "reports:dashboard", (ADMIN, FINANCE, ARCHIVE, TECH_CENTER, BRANCH_MANAGER)),
    (_("Staff handover"), "staff_handover", (ADMIN, BRANCH_MANAGER)),
    (_("Administration"), "admin:index", (ADMIN,)),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = role_of(getattr(request, "user", None))
    if role is None:
        return {}
    entries = [(label, reverse(name)) for label, name, roles in NAVIGATION if role in roles]
    # The entry a page is under: its own, or the longest one its address starts with (a
    # request's page under 服务请求, the reports' pages under 报表; the workbench only itself).
    path = request.path
    under = [url for _, url in entries if path == url or (url != "/" and path.startswith(url))]
    current = max(under, key=len, default=None)
    items = [{"label": label, "url": url, "active": url == current} for label, url in entries]
    return {"nav_items": items, "user_role": role, "user_role_label": ROLE_LABELS[role]}
