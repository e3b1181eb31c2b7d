from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aftersales.core.models import BusinessCalendar, CalendarOverride, Event


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through their services (or are history): readable here, never
    added or edited by hand; deleted only where `allow_delete` says so."""

    allow_delete = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allow_delete and super().has_delete_permission(request, obj)


class CalendarOverrideInline(admin.TabularInline):
    model = CalendarOverride
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [CalendarOverrideInline]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_working_day", "calendar")
    list_filter = ("is_working_day", "calendar")
    date_hierarchy = "date"


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The timeline is an audit trail: readable, never edited by hand."""

    list_display = ("at", "action", "content_type", "object_id", "actor", "customer_visible")
    list_filter = ("action", "content_type", "customer_visible")
