"""The technician's phone forms. They parse what is tapped into `work_order_act`'s payload (the
desk's `ActionForm` does most of it) or into `work_order_finish_on_site`'s arguments; the rules
stay in the services, whose refusals come back onto these forms (`add_refusal`)."""

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import ChecklistItem
from aftersales.core.forms import RefusalMixin
from aftersales.workorders import rules
from aftersales.workorders.forms import (
    DECLINED,
    GENERIC_QC_CHECKS,
    RESULTS,
    ActionForm,
    PhotoForm,
    add_part_rows,
    checklist_choices,
    chosen_parts,
    part_field,
    part_rows,
)
from aftersales.workorders.models import PartStock
from aftersales.workorders.pages import INCOMPLETE_LABELS
from aftersales.workorders.selectors import PartChoice

# The steps of a visit, in the order a technician meets them; the transition table (and the
# role) decide which of them a job shows now. "finish" is complete_repair + qc_pass together.
FIELD_STEPS = (
    "schedule",
    "depart",
    "arrive",
    "start_diagnosis",
    "choose_remedy",
    "diagnose",
    "no_fault_found",
    "quote",
    "approve_quote",
    "decline_quote",
    "start_repair",
    "finish",
    "qc_pass",
    "qc_fail",
    "hand_over",
)
# When a visit cannot finish the job: why (the service card is left when nobody is home), take
# the unit to the depot (pull-back), or report an incident.
TROUBLE_STEPS = ("visit_incomplete", "change_mode", "incident")
FINISH_ACTIONS = ("complete_repair", "qc_pass")

STEP_LABELS = {
    "schedule": _("Agree the visit time"),
    "depart": _("On my way"),
    "arrive": _("Arrived"),
    "start_diagnosis": _("Start diagnosis"),
    "choose_remedy": _("Record the customer's choice"),
    "diagnose": _("Record findings"),
    "no_fault_found": _("No fault found"),
    "quote": _("Quote"),
    "approve_quote": _("Customer approves the quote"),
    "decline_quote": _("Customer declines the quote"),
    "start_repair": _("Start repair"),
    "finish": _("Finished"),
    "qc_pass": _("Quality check passed"),
    "qc_fail": _("Quality check failed"),
    "hand_over": _("Customer signs and rates"),
    "visit_incomplete": _("Cannot finish this visit"),
    "change_mode": _("Take the unit to the depot"),
    "incident": _("Report an incident"),
}


class FieldActionForm(ActionForm):
    """One step on the phone: the desk's action form, with the visit's own fields (why a visit
    did not finish; the pull-back reason) and the rating as five big buttons."""

    incomplete_reason = forms.ChoiceField(
        label=_("Why the job cannot be finished"),
        choices=[(code, INCOMPLETE_LABELS[code]) for code in rules.INCOMPLETE_REASONS],
        required=False,
        widget=forms.RadioSelect,
    )

    FIELDS = {
        **ActionForm.FIELDS,
        "hand_over": (
            "rating",
            "quality_score",
            "attitude_score",
            "comment",
            "payment_amount",
            "payment_method",
            "receipt_no",
            "signature",
            "no_signature_reason",
        ),
        "visit_incomplete": ("incomplete_reason", "note"),
        "change_mode": ("reason",),
    }

    def __init__(self, *args: Any, amount_due: Decimal = Decimal("0.00"), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating = cast(forms.ChoiceField, self.fields["rating"])
        rating.choices = [
            *((str(n), str(n)) for n in range(1, 6)),
            (DECLINED, _("Customer prefers not to rate")),
        ]
        self.amount_due = amount_due
        self.fields["payment_amount"].initial = amount_due if amount_due > 0 else None

    def field_for(self, name: str) -> str:
        if name == "reason" and self.data.get("action") == "visit_incomplete":
            return "incomplete_reason"
        return super().field_for(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "hand_over":
            # The signature, or why there is none: the hand-over's guard (signature_required).
            if data.get("payment_amount") and not data.get("receipt_no"):
                self.add_error("receipt_no", _("Write the receipt number you gave the customer."))
        return data

    def arguments(self) -> dict[str, Any]:
        arguments = super().arguments()
        if arguments["action"] == "visit_incomplete":
            arguments["reason"] = arguments.pop("incomplete_reason", "")
        if arguments["action"] == "change_mode":
            arguments["mode"] = "pull_back"
        return arguments


class FinishForm(RefusalMixin, forms.Form):
    """ "Finished": what was done, the parts used (from the van, or chosen from the catalogue of
    the unit's model, with the stock), the result and the functions checked (the category's QC
    checklist) — `complete_repair` and `qc_pass` in one go."""

    actions_taken = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=RESULTS, initial="ok", widget=forms.RadioSelect
    )
    checks = forms.MultipleChoiceField(
        label=_("Functions checked"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_checks = forms.CharField(label=_("Other checks"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        van: list[PartStock] | None = None,
        qc_checks: Sequence[ChecklistItem] = (),
        catalogue: list[PartChoice] | None = None,
        **kwargs: Any,
    ) -> None:
        """`qc_checks`: the unit's category's QC checklist; `catalogue`: the parts of its
        model with their stock (the other parts are chosen from it)."""
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["checks"]).choices = checklist_choices(
            qc_checks, GENERIC_QC_CHECKS
        )
        self.catalogue = catalogue or []
        self.catalogue_id = "finish-catalogue"
        self.van_sent: list[str] = []  # the van's parts sent, in order (then the rows)
        self.rows_sent: list[int] = []
        add_part_rows(self, "parts_used", self.catalogue_id)
        self.van = van or []
        for stock in self.van:
            self.fields[f"van_{stock.part.code}"] = forms.IntegerField(
                label=f"{stock.part.code} {stock.part.name}",
                required=False,
                min_value=0,
                max_value=stock.on_hand,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "0"}),
                help_text=_("%(count)s in the van") % {"count": stock.on_hand},
            )

    def van_fields(self) -> list[forms.BoundField]:
        return [self[f"van_{stock.part.code}"] for stock in self.van]

    def part_rows(self) -> list[dict[str, Any]]:
        return part_rows(self, "parts_used")

    def field_for(self, name: str) -> str:
        """`parts_used.<i>…`: the van's field of the i-th part sent, or a row after them."""
        if match := re.fullmatch(r"parts_used\.(\d+)(\..+)?", name):
            sent, rest = int(match.group(1)), match.group(2) or ""
            if sent < len(self.van_sent):
                return f"van_{self.van_sent[sent]}"
            name = f"parts_used.{sent - len(self.van_sent)}{rest}"
        return part_field(name, self.rows_sent) or name

    def arguments(self) -> dict[str, Any]:
        """`work_order_finish_on_site`'s keyword arguments."""
        data = self.cleaned_data
        parts = [
            {"code": stock.part.code, "qty": data[f"van_{stock.part.code}"]}
            for stock in self.van
            if data.get(f"van_{stock.part.code}")
        ]
        self.van_sent = [part["code"] for part in parts]
        chosen, self.rows_sent = chosen_parts(data, "parts_used")
        others = re.split(r"[,，、;]+", data.get("other_checks") or "")
        return {
            "actions_taken": data["actions_taken"],
            "parts_used": [*parts, *chosen],
            "result": data["result"],
            "checks": [
                *data.get("checks", []),
                *(o.strip() for o in others if o.strip()),
            ],
        }


class FieldPhotoForm(PhotoForm):
    """Photos taken on the spot (the phone's camera opens straight away)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].label = _("Take or choose photos")
        self.fields["photos"].widget.attrs.update(accept="image/*", capture="environment")
