"""The complaint handlers' list: open complaints by their promised answer, with tabs."""

from django.core.exceptions import PermissionDenied
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aftersales.complaints import rules, selectors
from aftersales.core import exports
from aftersales.core.roles import role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.tickets.forms import COMPLAINT_CATEGORIES
from aftersales.tickets.views import staff_user

TABS = {
    "open": gettext_lazy("All open"),
    "to_screen": gettext_lazy("To screen"),
    "approval": gettext_lazy("Awaiting approval"),
    "escalated": gettext_lazy("Escalated"),
}


@staff_required
@require_GET
def complaint_list(request: HtmxHttpRequest) -> HttpResponseBase:
    user = staff_user(request)
    if not rules.may_work(role_of(user)):
        raise PermissionDenied(_("The complaint list is for the people who work complaints."))
    view = request.GET.get("view") if request.GET.get("view") in selectors.VIEWS else "open"
    if request.GET.get("format") == "xlsx":  # the export button: every complaint of the tab
        return exports.list_answer(request, name="complaints", params={"view": view})
    categories = dict(COMPLAINT_CATEGORIES)
    rows = [
        {"row": row, "category": categories.get(row.complaint.ticket.problem_class, "")}
        for row in selectors.complaint_list(user, view=str(view), now=timezone.now())
    ]
    context = {
        "rows": rows,
        "view": view,
        "tabs": [{"name": n, "label": label, "current": n == view} for n, label in TABS.items()],
    }
    return render(request, "complaints/list.html", context)
