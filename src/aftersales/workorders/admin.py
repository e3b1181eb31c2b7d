"""Master data of the workshop (fee standards, parts, stock, loaners) and read-only jobs."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.workorders import services
from aftersales.workorders.models import (
    FeeItem,
    FeeStandard,
    Loan,
    Loaner,
    Part,
    PartStock,
    StockDiscrepancy,
    StockMovement,
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
    """The part's stock, read here; a count is entered on the stock page (it writes a
    movement)."""

    model = PartStock
    extra = 0
    fields = ("center", "holder", "on_hand", "reserved")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "model", "price")
    list_filter = ("model__category",)
    search_fields = ("code", "name", "model__code")
    inlines = [PartStockInline]


class PartStockForm(forms.ModelForm):
    note = forms.CharField(label=_("Why the count changes"), required=False, max_length=200)

    class Meta:
        model = PartStock
        fields = ("center", "part", "holder", "on_hand")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and data.get("part") and data.get("center"):
            taken = PartStock.objects.filter(
                center=data["center"], part=data["part"], holder=data.get("holder")
            )
            if taken.exists():
                self.add_error("part", _("This stock row exists already: open it to count it."))
        on_hand, reserved = data.get("on_hand"), self.instance.reserved or 0
        if on_hand is not None and on_hand < reserved:
            self.add_error(
                "on_hand",
                _("The count cannot be below what is reserved for jobs (%(reserved)s).")
                % {"reserved": reserved},
            )
        return data


@admin.register(PartStock)
class PartStockAdmin(admin.ModelAdmin):
    """A count entered here goes through `stock_count`: the difference is a stock movement.
    What is reserved comes from the jobs and is read only."""

    form = PartStockForm
    list_display = ("part", "center", "holder", "on_hand", "reserved")
    list_filter = ("center", "holder")
    list_select_related = ("part", "center", "holder")
    search_fields = ("part__code", "part__name")
    readonly_fields = ("reserved",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A row is the stock of one part in one place: only its count changes afterwards.
        return ("center", "part", "holder", "reserved") if obj else ("reserved",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its movements point at the part and place; a zero count stays

    def save_model(self, request: HttpRequest, obj: PartStock, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.stock_count(
            center=obj.center,
            part=obj.part,
            holder=obj.holder,
            on_hand=data["on_hand"],
            by=request.user,  # type: ignore[arg-type]
            note=data.get("note") or "",
        )
        obj.pk, obj.on_hand, obj.reserved = saved.pk, saved.on_hand, saved.reserved


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    """Every change of a stock row, with its job and who made it (written by the services)."""

    list_display = ("at", "part", "center", "holder", "kind", "on_hand_change", "work_order", "by")
    list_filter = ("kind", "center")
    list_select_related = ("part", "center", "holder", "work_order", "by")
    search_fields = ("part__code", "work_order__number")
    date_hierarchy = "at"


@admin.register(StockDiscrepancy)
class StockDiscrepancyAdmin(ReadOnlyAdmin):
    """Reconciled on the branch manager's page (work orders → stock discrepancies)."""

    list_display = ("created_at", "part", "qty", "work_order", "center", "resolved_at")
    list_filter = ("center",)
    list_select_related = ("part", "work_order", "center")


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
