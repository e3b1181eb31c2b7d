"""The work-order list's export (core.exports, decision 83): the list page's filters, the API's
columns (`presenters.work_order_sheet`)."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.core import exports, xlsx
from aftersales.core.pagination import every
from aftersales.workorders import presenters, selectors
from aftersales.workorders.models import WorkOrder


def work_orders(user: User, params: dict[str, Any]) -> tuple[QuerySet[WorkOrder], xlsx.Sheet]:
    """The list page's `status`, `open` (only the open jobs) and `technician` (a username), in
    the user's scope."""
    found = selectors.answer_list(
        user,
        status=params.get("status") or "",
        open=bool(params.get("open")),
        technician=params.get("technician") or "",
    )
    return found, presenters.work_order_sheet(every(found))


exports.register("work-orders", _("Work orders"), work_orders)
