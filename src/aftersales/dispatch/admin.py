from django.contrib import admin

from aftersales.dispatch.models import ServiceCenter, StaffProfile


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "regions", "calendar", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "center", "phone")
    list_filter = ("center",)
    search_fields = ("user__username", "user__first_name")
