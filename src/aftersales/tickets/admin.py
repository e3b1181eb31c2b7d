from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.tickets.models import SlaPolicy, Ticket


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """Response and resolution promises per kind × channel × priority (blank = any)."""

    list_display = (
        "__str__",
        "kind",
        "channel",
        "priority",
        "respond_amount",
        "respond_unit",
        "resolve_amount",
        "resolve_unit",
        "pause_when_waiting",
    )
    list_filter = ("kind", "channel", "priority")


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Requests change only through their actions (the console and the API): read-only here."""

    list_display = (
        "number",
        "kind",
        "channel",
        "status",
        "customer",
        "owner",
        "center",
        "created_at",
    )
    list_filter = ("status", "kind", "channel", "center")
    search_fields = ("=number",)
    show_full_result_count = False
    list_select_related = ("customer", "owner", "center")
