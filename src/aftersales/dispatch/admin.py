from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aftersales.dispatch.forms import RegionsField
from aftersales.dispatch.models import HandIn, Leave, ServiceCenter, StaffProfile, TechnicianProfile
from aftersales.dispatch.regions import region_name


class ServiceCenterForm(forms.ModelForm):
    regions = RegionsField(
        label=_("regions served"),
        help_text=_("Type a place and choose it from the list; several one after another."),
    )

    class Meta:
        model = ServiceCenter
        fields = ("regions",)  # the admin's `fields` names the rest


class TechnicianProfileForm(forms.ModelForm):
    regions = RegionsField(
        label=_("regions (empty: the center's)"),
        help_text=_("Type a place and choose it from the list; several one after another."),
    )

    class Meta:
        model = TechnicianProfile
        # Never the feed's secret (the admin's action issues a new one).
        fields = ("user", "skills", "regions", "daily_capacity", "calendar", "dispatchable")


@admin.display(description=_("regions"))
def region_names(obj: ServiceCenter | TechnicianProfile) -> str:
    return "、".join(region_name(code) for code in obj.regions or [])


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    form = ServiceCenterForm  # regions typed by name and picked
    list_display = ("code", "name", "kind", "phone", "address", "calendar", "auto_assign", "active")
    list_filter = ("kind", "active", "auto_assign")
    search_fields = ("code", "name", "phone", "address")
    # The phone and address are printed on the receipt slip and the 三包 repair record.
    fields = (
        "code",
        "name",
        "kind",
        "phone",
        "address",
        "regions",
        "calendar",
        "auto_assign",
        "active",
    )


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "center", "phone")
    list_filter = ("center",)
    search_fields = ("user__username", "user__first_name")


@admin.register(TechnicianProfile)
class TechnicianProfileAdmin(admin.ModelAdmin):
    form = TechnicianProfileForm
    list_display = ("user", "skills", region_names, "daily_capacity", "calendar", "dispatchable")
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
