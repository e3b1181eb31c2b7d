"""The front desk's 三包 check: what the clerk types, parsed into the decision's facts.

The form only parses. Which unit a serial names and which parts and faults a category's policy
lists are reads (catalog and warranty selectors); the decision itself is the selectors' too.

The page updates as the clerk types (htmx), and the answer must never overwrite a field the clerk
is typing in. So the form knows which serial, category and part its dependent fields were last
drawn for (the hidden `rendered_for`, "serial|category|part"); only when that changes are those
fields drawn again — the unit's facts when another unit is named, the part's faults and price
when the part or category changes.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Unit
from aftersales.catalog.selectors import unit_get
from aftersales.core.payloads import Within
from aftersales.warranty import selectors
from aftersales.warranty.rules import is_human_damage

HOST = "host"
NOT_LISTED = "not_listed"  # the fault is none of the policy's listed performance faults
NO_DAMAGE = "none"

VOUCHER_CHOICES = [
    ("valid", _("Warranty voucher and invoice")),
    ("copy", _("Only a copy of the invoice")),
    ("missing", _("No voucher")),
    ("mismatch", _("Voucher does not match the product")),
    ("altered", _("Voucher has been altered")),
]
DAMAGE_CHOICES = [
    (NO_DAMAGE, _("None found")),
    ("liquid", _("Liquid")),
    ("impact", _("Drop, impact or crush")),
    ("unauthorized_repair", _("Opened or repaired by an unauthorised repairer")),
    ("misuse", _("Use against the manual")),
    ("force_majeure", _("Force majeure")),
]
REMEDY_LABELS = {
    "refund": _("Refund"),
    "exchange": _("Exchange"),
    "free_repair": _("Free repair"),
    "paid_repair": _("Paid repair"),
}

# The unit's own facts: named by a serial, the unit supplies them (the clerk may then correct them).
UNIT_FIELDS = (
    "purchase_date",
    "invoice_date",
    "activation_date",
    "manufacture_date",
    "repair_days",
    "failed_repairs",
)
# Drawn again with the unit: the category (fixed by the unit's model) and the unit's facts.
UNIT_GROUP = ("category", *UNIT_FIELDS)
# Drawn again with the part: its listed faults and its price.
PART_GROUP = ("part", "fault", "price")


def unit_label(name: str) -> Any:
    """The unit model's own (translated) name for a field, so the page and the admin agree."""
    field = Unit._meta.get_field(name)
    assert isinstance(field, models.Field)
    return capfirst(field.verbose_name)


@dataclass(frozen=True)
class CategoryTerms:
    """One category as the desk picks it: its policy, its parts (host first), its listed faults."""

    code: str
    name: str
    policy_code: str
    policy_name: str
    parts: list[tuple[str, str]]
    faults: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def category_terms() -> dict[str, CategoryTerms]:
    """Every covered category, from the policies (one read), in a stable order."""
    found: dict[str, CategoryTerms] = {}
    for policy in selectors.policies():
        faults: dict[str, list[tuple[str, str]]] = {}
        for fault in policy.faults.all():
            faults.setdefault(fault.part or HOST, []).append((fault.code, fault.name))
        for covered in sorted(policy.categories.all(), key=lambda c: c.pk):
            parts = [(p.code, p.name) for p in covered.parts.all()]
            parts.sort(key=lambda p: p[0] != HOST)  # host / whole unit first, then as listed
            found[covered.category.code] = CategoryTerms(
                code=covered.category.code,
                name=covered.category.name,
                policy_code=policy.code,
                policy_name=policy.name,
                parts=parts,
                faults=faults,
            )
    return found


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _number(min_value: int = 0) -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": min_value, "inputmode": "numeric"})


DAY = [Within("Day")]


class WarrantyCheckForm(forms.Form):
    serial = forms.CharField(
        label=_("Serial / IMEI"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autofocus": True}
        ),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    part = forms.CharField(label=_("Part"), required=False, widget=forms.Select)
    purchase_date = forms.DateField(
        label=unit_label("purchase_date"), required=False, widget=DateInput(), validators=DAY
    )
    invoice_date = forms.DateField(
        label=unit_label("invoice_date"), required=False, widget=DateInput(), validators=DAY
    )
    activation_date = forms.DateField(
        label=unit_label("activation_date"), required=False, widget=DateInput(), validators=DAY
    )
    manufacture_date = forms.DateField(
        label=unit_label("manufacture_date"), required=False, widget=DateInput(), validators=DAY
    )
    report_date = forms.DateField(
        label=_("Report date"), required=False, widget=DateInput(), validators=DAY
    )
    fault = forms.CharField(label=_("Fault"), required=False, widget=forms.Select)
    damage = forms.ChoiceField(
        label=_("Damage found on inspection"),
        choices=DAMAGE_CHOICES,
        required=False,
        initial=NO_DAMAGE,
        widget=forms.RadioSelect,
    )
    voucher = forms.ChoiceField(label=_("Voucher"), choices=VOUCHER_CHOICES, initial="valid")
    repair_days = forms.IntegerField(
        label=unit_label("repair_days"),
        required=False,
        initial=0,
        widget=_number(),
        validators=[Within("Days")],
    )
    failed_repairs = forms.IntegerField(
        label=unit_label("failed_repairs"),
        required=False,
        initial=0,
        widget=_number(),
        validators=[Within("Tally")],
    )
    same_model_available = forms.BooleanField(
        label=_("The same model is available for an exchange"), required=False, initial=True
    )
    price = forms.DecimalField(
        label=_("Invoice price (¥)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
        validators=[Within("Money")],
    )

    def __init__(
        self, data: QueryDict | dict[str, Any] | None = None, *, today: date | None = None
    ) -> None:
        self.categories = category_terms()
        raw = data.copy() if data is not None else {}
        serial = str(raw.get("serial") or "").strip()
        self.unit = unit_get(serial) if serial else None
        self.category_code = (
            self.unit.model.category.code if self.unit else str(raw.get("category") or "")
        )
        terms = self.categories.get(self.category_code)
        parts = terms.parts if terms else [(HOST, str(_("Host / whole unit")))]
        self.part_code = str(raw.get("part") or HOST)
        if self.part_code not in dict(parts):
            self.part_code = HOST
        # What the dependent fields were drawn for when this was posted (see the module doc).
        drawn = (str(raw.get("rendered_for") or "").split("|") + ["", "", ""])[:3]
        self.unit_changed = data is not None and drawn[0] != (self.unit.serial if self.unit else "")
        self.part_changed = self.unit_changed or drawn[1:] != [self.category_code, self.part_code]
        if data is not None:
            raw["category"] = self.category_code
            raw["part"] = self.part_code
            if not raw.get("report_date"):
                raw["report_date"] = (today or timezone.localdate()).isoformat()
            if self.unit is not None and self.unit_changed:
                for name, value in self._unit_values(self.unit).items():
                    raw[name] = value
            if self.part_changed:
                unit_price = self.unit.price if self.unit and self.part_code == HOST else None
                new_unit = self.unit is not None and self.unit_changed
                if new_unit or drawn[2] not in ("", self.part_code):
                    raw["price"] = "" if unit_price is None else str(unit_price)
        super().__init__(
            data=raw if data is not None else None,
            initial={"report_date": today or timezone.localdate()},
        )

        for name, fld in self.fields.items():
            fld.widget.attrs.setdefault("aria-describedby", f"error-{name}")
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", "—")] + [
            (t.code, t.name) for t in self.categories.values()
        ]
        self.fields["category"].disabled = self.unit is not None  # the unit's model decides it
        self.fields["part"].widget.choices = parts
        listed = terms.faults.get(self.part_code, []) if terms else []
        self.fields["fault"].widget.choices = [
            ("", _("Not yet known (taken as a listed performance fault)")),
            *listed,
            (NOT_LISTED, _("None of the listed performance faults")),
        ]
        self._listed_faults = {code for code, _name in listed}
        if self.unit is not None:
            self.fields["category"].initial = self.category_code
        self.fields["part"].initial = self.part_code
        if self.part_code != HOST:
            self.fields["price"].label = _("Invoice price of the part (¥)")

    @staticmethod
    def _unit_values(unit: Unit) -> dict[str, str]:
        values: dict[str, str] = {}
        for name in UNIT_FIELDS:
            value = getattr(unit, name)
            values[name] = "" if value is None else str(value)
        return values

    @classmethod
    def for_serial(cls, serial: str, *, today: date | None = None) -> "WarrantyCheckForm":
        """The form as if the clerk had typed (or scanned) `serial` and nothing else."""
        data = {
            "serial": serial,
            "voucher": "valid",
            "damage": NO_DAMAGE,
            "same_model_available": "on",
        }
        return cls(data, today=today)

    # Parsing ------------------------------------------------------------------------------------

    def clean_serial(self) -> str:
        serial: str = self.cleaned_data["serial"].strip()
        if serial and self.unit is None:
            raise forms.ValidationError(_("No unit is registered with this serial number."))
        return serial

    def clean_category(self) -> str:
        return self.category_code

    def clean_part(self) -> str:
        return self.part_code

    def clean_fault(self) -> str:
        fault: str = self.cleaned_data["fault"]
        return fault if fault == NOT_LISTED or fault in self._listed_faults else ""

    def clean_damage(self) -> str:
        return self.cleaned_data["damage"] or NO_DAMAGE

    @property
    def rendered_key(self) -> str:
        """What the dependent fields are drawn for now; posted back as `rendered_for`."""
        return "|".join([self.unit.serial if self.unit else "", self.category_code, self.part_code])

    @property
    def ready(self) -> bool:
        """Enough is known to decide: a registered unit, or a category and its purchase date."""
        if self.unit is not None:
            return True
        return bool(self.cleaned_data.get("category") and self.cleaned_data.get("purchase_date"))

    def facts(self) -> dict[str, Any]:
        """The decision's facts, in the selectors' terms; None leaves a fact to the unit / default."""
        data = self.cleaned_data
        damage_kind = None if data["damage"] == NO_DAMAGE else data["damage"]
        return {
            "part": data["part"],
            "purchase_date": data.get("purchase_date"),
            "invoice_date": data.get("invoice_date"),
            "activation_date": data.get("activation_date"),
            "manufacture_date": data.get("manufacture_date"),
            "report_date": data.get("report_date"),
            "performance_fault": data["fault"] != NOT_LISTED,
            "human_damage": is_human_damage(damage_kind),
            "damage_kind": damage_kind,
            "voucher": data["voucher"],
            "repair_days": data.get("repair_days"),
            "failed_repairs": data.get("failed_repairs"),
            "same_model_available": data["same_model_available"],
            "price": data.get("price"),
        }

    def fault_label(self) -> str:
        """The fault as chosen, for the printout."""
        chosen = self.cleaned_data.get("fault", "")
        return str(dict(self.fields["fault"].widget.choices).get(chosen, ""))
