"""Master data of the workshop (fee standards, parts, stock, loaners) and read-only jobs."""

from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.workorders.models import (
    FeeItem,
    FeeStandard,
    Loan,
    Loaner,
    Part,
    PartStock,
    WorkOrder,
)


class FeeItemInline(admin.TabularInline):
    model = FeeItem
    extra = 1


@admin.register(FeeStandard)
class FeeStandardAdmin(admin.ModelAdmin):
    """A new version of a standard is a new row: open it, raise the version, "Save as new".
    The newest valid version of each code applies; where two standards disagree, the lower
    price wins."""

    list_display = ("code", "version", "name", "center", "category", "valid_from", "active")
    list_filter = ("active", "center", "category")
    save_as = True
    inlines = [FeeItemInline]


class PartStockInline(admin.TabularInline):
    model = PartStock
    extra = 0


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "model", "price")
    list_filter = ("model__category",)
    search_fields = ("code", "name", "model__code")
    inlines = [PartStockInline]


@admin.register(PartStock)
class PartStockAdmin(admin.ModelAdmin):
    list_display = ("part", "center", "holder", "on_hand", "reserved")
    list_filter = ("center", "holder")
    list_select_related = ("part", "center", "holder")


@admin.register(Loaner)
class LoanerAdmin(admin.ModelAdmin):
    list_display = ("serial", "description", "center", "active")
    list_filter = ("center", "active")


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ("loaner", "work_order", "lent_at", "returned_at")
    list_select_related = ("loaner", "work_order")


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    """Jobs change only through their actions (the pages and the API): read-only here."""

    list_display = ("number", "mode", "status", "center", "technician", "outcome", "created_at")
    list_filter = ("status", "mode", "center")
    search_fields = ("=number",)
    show_full_result_count = False
    list_select_related = ("center", "technician")
