from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from aftersales.core.models import AccessRecord, BusinessCalendar, CalendarOverride, Event
from aftersales.core.roles import ADMIN, role_of
from aftersales.core.services import revoke_tokens


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


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    """Who saw or exported whose personal data: for the administrator only, whatever permissions
    a role is given by hand, and never edited or deleted here."""

    list_display = ("at", "user", "kind", "subject", "client", "detail")
    list_filter = ("kind", "at")
    search_fields = ("user__username", "subject")
    list_select_related = ("user",)
    date_hierarchy = "at"
    show_full_result_count = False  # one row per page view: the table grows fast

    def has_module_permission(self, request: HttpRequest) -> bool:
        return role_of(request.user) == ADMIN

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_of(request.user) == ADMIN


class StaffUserAdmin(UserAdmin):
    """Django's user admin (its password forms run the validators), and a user deactivated here
    loses their API tokens for good (decision 55): reactivating them brings none back."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            revoke_tokens(obj)


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
