from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog import services, views
from aftersales.catalog.importing import read_fault_codes
from aftersales.catalog.models import (
    Category,
    ChecklistItem,
    FaultCode,
    ImportJob,
    ProductModel,
    Unit,
)
from aftersales.catalog.rules import FAULT_COLUMNS, FAULT_REQUIRED_COLUMNS, normalize_fault_code
from aftersales.core.errors import DomainError
from aftersales.core.forms import add_refusal


class ChecklistItemInline(admin.TabularInline):
    """The category's checklists: intake inspection, accessories and quality check, each in
    its order (the work order pages and the technician's phone offer them)."""

    model = ChecklistItem
    extra = 1
    fields = ("kind", "position", "name", "name_en", "active")
    ordering = ("kind", "position", "id")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [ChecklistItemInline]

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.fault_other_ensure(category=obj)  # every category has its "other" symptom


class FaultCodeForm(forms.ModelForm):
    class Meta:
        model = FaultCode
        fields = ("category", "code", "name", "parent", "position", "active")

    def clean_code(self) -> str:
        return normalize_fault_code(self.cleaned_data.get("code") or "")


class SymptomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.category.name} · {obj.name} ({obj.code})"


class FaultImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


@admin.register(FaultCode)
class FaultCodeAdmin(admin.ModelAdmin):
    """A category's fault-code tree: symptoms and, under each, its causes (the diagnosis offers
    them; docs/import.md imports a sheet of them)."""

    form = FaultCodeForm
    list_display = ("code", "name", "category", "parent", "position", "active")
    list_filter = ("category", "active")
    search_fields = ("code", "name")
    list_select_related = ("category", "parent")
    ordering = ("category", "position", "code")
    change_list_template = "admin/catalog/faultcode/change_list.html"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name != "parent":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A cause's parent is a symptom (the top level), named with its category.
        kwargs["queryset"] = FaultCode.objects.filter(parent=None).select_related("category")
        kwargs["form_class"] = SymptomChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: FaultCode, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.fault_other_ensure(category=obj.category)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="catalog_faultcode_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a sheet of fault codes: all rows go in, or none and the errors are listed."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = FaultImportForm(request.POST or None, request.FILES or None)
        errors: list[dict[str, Any]] = []
        if request.method == "POST" and form.is_valid():
            by = request.user if isinstance(request.user, User) else None
            try:
                rows = read_fault_codes(form.cleaned_data["file"])
                done = services.fault_codes_import(by=by, rows=rows)
            except DomainError as exc:
                form.add_error("file", exc.message)
                errors = exc.details.get("rows", [])
            else:
                message = _("%(created)d fault codes added, %(updated)d changed.") % {
                    "created": done.created,
                    "updated": done.updated,
                }
                messages.success(request, message)
                return redirect("admin:catalog_faultcode_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": FaultCode._meta,
            "title": _("Import fault codes"),
            "form": form,
            "errors": errors,
            "columns": [
                (c, c in FAULT_REQUIRED_COLUMNS, aliases) for c, aliases in FAULT_COLUMNS.items()
            ],
        }
        return render(request, "catalog/fault_code_import.html", context)


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    list_display = ("code", "brand", "name", "category", "policy_code")
    list_filter = ("category", "brand")
    search_fields = ("code", "name", "brand")


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = (
            "serial",
            "model",
            "customer",
            "purchase_date",
            "invoice_date",
            "invoice_no",
            "seller",
            "price",
            "activation_date",
            "manufacture_date",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.check_unit_facts(data.get("purchase_date"), data)
        except DomainError as exc:
            add_refusal(self, exc)
        return data


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ("serial", "model", "customer", "purchase_date", "status")
    list_filter = ("status", "model__category")
    search_fields = ("=serial",)
    raw_id_fields = ("customer",)
    show_full_result_count = False
    # Fed by work orders and complaints through their services, never typed in.
    readonly_fields = ("status", "repair_days", "goodwill_days", "failed_repairs", "created_at")

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        """Through the services, like every other change: they check and write the timeline."""
        by = request.user if request.user.is_authenticated else None
        data = dict(form.cleaned_data)
        if change:
            changes = {name: data[name] for name in form.changed_data}
            services.unit_update(unit=obj, by=by, **changes)  # type: ignore[arg-type]
            return
        created = services.unit_register(
            by=by,  # type: ignore[arg-type]
            serial=data.pop("serial"),
            model=data.pop("model").code,
            customer_id=data["customer"].pk if data.get("customer") else None,
            purchase_date=data.pop("purchase_date"),
            **data,
        )
        obj.pk = created.pk


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The import page: "add" uploads a file, "change" is the job's progress and result page.

    Whoever may create customers and units may import them (catalog.views.IMPORT_PERMISSIONS);
    each sees their own imports, an administrator everyone's.
    """

    list_display = (
        "created_at",
        "filename",
        "created_by",
        "status",
        "total_rows",
        "error_rows",
        "rows_imported",
    )
    list_filter = ("status",)
    list_select_related = ("created_by",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return views.may_import(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return views.may_import(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return views.may_import(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a job changes only through its page's buttons

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        jobs = super().get_queryset(request)
        return (
            jobs
            if getattr(request.user, "is_superuser", False)
            else jobs.filter(created_by=request.user.pk)
        )

    def get_urls(self) -> list[URLPattern]:
        def route(suffix: str, view: Any) -> URLPattern:
            def handler(request: HttpRequest, object_id: str) -> HttpResponse:
                return view(request, self, object_id)

            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(handler),
                name=f"catalog_importjob_{suffix}",
            )

        return [
            route("validate", views.validate),
            route("import", views.run),
            route("cancel", views.cancel),
            *super().get_urls(),
        ]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return views.upload(request, self)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return views.job_page(request, self, object_id)
