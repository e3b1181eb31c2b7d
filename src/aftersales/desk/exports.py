"""The request console's and the complaint list's exports (core.exports, decision 83): each
page's own selection, in the API's columns (`presenters.request_sheet`). Registered here, in the
app that owns the request's sheet, by the names the pages (tickets, complaints) pass."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.core import exports, xlsx
from aftersales.core.pagination import every
from aftersales.desk import presenters, selectors
from aftersales.tickets.models import Ticket


def requests(user: User, params: dict[str, Any]) -> tuple[QuerySet[Ticket], xlsx.Sheet]:
    """The console's queue and filters (`queue`, `q`, `status`, `kind`, `channel`); the
    complaints' own columns too when it lists complaints, as the API's export does."""
    found = selectors.console_export(user, **params)
    complaints = params.get("kind") == "complaint"
    return found, presenters.request_sheet(every(found), complaints=complaints)


def complaints(user: User, params: dict[str, Any]) -> tuple[QuerySet[Ticket], xlsx.Sheet]:
    """The complaint list's tab (`view`), with the complaints' own columns."""
    found = selectors.complaint_list_export(user, view=str(params.get("view") or "open"))
    return found, presenters.request_sheet(every(found), complaints=True)


exports.register("requests", _("Service requests"), requests)
exports.register("complaints", _("Complaints"), complaints)
