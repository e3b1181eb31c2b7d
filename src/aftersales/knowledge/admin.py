from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.knowledge.models import EscalationCase


@admin.register(EscalationCase)
class EscalationCaseAdmin(ReadOnlyAdmin):
    """The record stays whole (decision 71): readable here, changed only through its services."""

    list_display = ("ticket", "status", "raised_by", "raised_at", "answered_by", "answered_at")
    list_filter = ("status",)
    list_select_related = ("ticket", "raised_by", "answered_by")
