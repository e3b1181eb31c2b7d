from django import forms
from django.contrib import admin

from aftersales.core.errors import DomainError
from aftersales.core.models import BusinessCalendar, CalendarOverride, Event


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the admin form, on the field it names when the form has it."""
    named: list[str | None] = [name for name in exc.details if name in form.fields]
    for name in named or [None]:
        form.add_error(name, exc.message)


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
class EventAdmin(admin.ModelAdmin):
    """The timeline is an audit trail: readable, never edited by hand."""

    list_display = ("at", "action", "content_type", "object_id", "actor", "customer_visible")
    list_filter = ("action", "content_type", "customer_visible")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
