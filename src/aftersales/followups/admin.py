from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aftersales.followups.models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("kind", "ticket", "due_at", "owner", "status", "attempts")
    list_filter = ("kind", "status")
    list_select_related = ("ticket", "owner")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
