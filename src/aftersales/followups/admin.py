from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.followups.models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """The record stays whole (decision 71): a follow-up is cancelled or superseded through its
    services, never added, edited or deleted here."""

    list_display = ("kind", "ticket", "due_at", "owner", "status", "attempts")
    list_filter = ("kind", "status")
    list_select_related = ("ticket", "owner")
