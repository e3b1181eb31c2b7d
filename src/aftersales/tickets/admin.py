from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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
class TicketAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
