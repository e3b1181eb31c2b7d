from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aftersales.knowledge.models import EscalationCase


@admin.register(EscalationCase)
class EscalationCaseAdmin(admin.ModelAdmin):
    list_display = ("ticket", "status", "raised_by", "raised_at", "answered_by", "answered_at")
    list_filter = ("status",)
    list_select_related = ("ticket", "raised_by", "answered_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
