from django.contrib import admin

from aftersales.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "kind", "region", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "phone")
    show_full_result_count = False  # stays fast with a million customers
