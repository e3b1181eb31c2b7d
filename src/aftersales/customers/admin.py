from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from aftersales.customers import rules, services
from aftersales.customers.models import Customer
from aftersales.dispatch.forms import RegionField
from aftersales.dispatch.regions import region_name


class CustomerForm(forms.ModelForm):
    """Phones typed in any spelling are stored in E.164, so the uniqueness check sees the real number."""

    class Meta:
        model = Customer
        fields = (
            "kind",
            "name",
            "phone",
            "contact_person",
            "email",
            "address",
            "postcode",
            "region",
            "note",
        )

    region = RegionField(label=_lazy("region"), required=False)

    def clean_phone(self) -> str:
        if self.instance.pk and self.cleaned_data["phone"] == self.instance.phone:
            return self.instance.phone  # unchanged (an erased customer's placeholder included)
        try:
            return rules.normalize_phone(self.cleaned_data["phone"])
        except ValueError as exc:
            raise forms.ValidationError(_("This is not a phone number we can dial.")) from exc


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    form = CustomerForm
    list_display = ("name", "phone", "kind", "region_name", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "phone")
    show_full_result_count = False  # stays fast with a million customers

    @admin.display(description=_lazy("region"), ordering="region")
    def region_name(self, obj: Customer) -> str:
        return region_name(obj.region)

    def save_model(self, request: HttpRequest, obj: Customer, form: Any, change: bool) -> None:
        """Through the services, like every other change: they write the timeline event."""
        by = request.user if request.user.is_authenticated else None
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            services.customer_update(customer=obj, by=by, **changes)  # type: ignore[arg-type]
        else:
            data = dict(form.cleaned_data)
            created = services.customer_create(
                by=by, name=data.pop("name"), phone=data.pop("phone"), **data
            )  # type: ignore[arg-type]
            obj.pk = created.pk
