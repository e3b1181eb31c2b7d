from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aftersales.dispatch.models import HandIn, Leave, ServiceCenter, StaffProfile, TechnicianProfile


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "regions", "calendar", "auto_assign", "active")
    list_filter = ("kind", "active", "auto_assign")
    search_fields = ("code", "name")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "center", "phone")
    list_filter = ("center",)
    search_fields = ("user__username", "user__first_name")


@admin.register(TechnicianProfile)
class TechnicianProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "skills", "regions", "daily_capacity", "calendar", "dispatchable")
    list_filter = ("dispatchable", "user__staff_profile__center")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    # The feed's secret is never shown here; the action below issues a new one.
    exclude = ("calendar_key",)
    actions = ["new_calendar_key"]

    @admin.action(description=_("Issue a new calendar link (the old one stops working)"))
    def new_calendar_key(self, request, queryset):  # type: ignore[no-untyped-def]
        from aftersales.dispatch.models import new_calendar_key

        for profile in queryset:
            profile.calendar_key = new_calendar_key()
            profile.save(update_fields=["calendar_key"])


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ("technician", "first_day", "last_day", "reason")
    list_filter = ("technician__staff_profile__center",)
    date_hierarchy = "first_day"


@admin.register(HandIn)
class HandInAdmin(admin.ModelAdmin):
    list_display = ("technician", "day", "handed_in_at", "sheets", "fees")
    list_filter = ("day",)
    readonly_fields = ("technician", "day", "handed_in_at", "sheets", "fees", "note")
