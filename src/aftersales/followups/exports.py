"""The callback console's export (core.exports, decision 83): the follow-ups it lists — open and
due before the moment the page named —, every one of them, in the API's columns
(`presenters.followup_sheet`)."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.core import exports, xlsx
from aftersales.core.pagination import every
from aftersales.followups import presenters, selectors
from aftersales.followups.models import FollowUp


def follow_ups(user: User, params: dict[str, Any]) -> tuple[QuerySet[FollowUp], xlsx.Sheet]:
    """`status`, `kind` and `due_before` (an ISO moment) as the API's list takes them."""
    due_before = params.get("due_before")
    found = selectors.filtered(
        user,
        status=params.get("status") or "",
        kind=params.get("kind") or "",
        due_before=datetime.fromisoformat(due_before) if due_before else None,
    )
    return found, presenters.followup_sheet(every(found))


exports.register("follow-ups", _("Callbacks"), follow_ups)
