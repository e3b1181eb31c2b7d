"""The work order pages' forms: they parse what the desk types into `work_order_act`'s payload
(exactly as the API takes it), nothing more. Refusals come back as DomainError; `add_refusal`
puts each on the field it names, so what was typed stays on the form."""

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import ChecklistItem, FaultCode
from aftersales.core.errors import DomainError
from aftersales.core.forms import RefusalMixin
from aftersales.core.presenters import display_name
from aftersales.dispatch.people import person_choices
from aftersales.warranty.forms import DAMAGE_CHOICES, REMEDY_LABELS
from aftersales.workorders import rules
from aftersales.workorders.models import FeeItem, Mode, Part, Status

# What each action's button says on the work order page.
ACTION_LABELS = {
    "assign": _("Assign technician"),
    "schedule": _("Schedule visit"),
    "depart": _("On my way"),
    "arrive": _("Arrived"),
    "receive": _("Receive the unit"),
    "choose_remedy": _("Record the customer's choice"),
    "start_diagnosis": _("Start diagnosis"),
    "diagnose": _("Record findings"),
    "quote": _("Quote"),
    "waive": _("Waive fees"),
    "no_fault_found": _("No fault found"),
    "exchange": _("Exchange the unit"),
    "refund": _("Refund"),
    "approve_quote": _("Customer approves the quote"),
    "decline_quote": _("Customer declines the quote"),
    "wait_parts": _("Wait for parts"),
    "parts_arrived": _("Parts arrived"),
    "start_repair": _("Start repair"),
    "complete_repair": _("Repair done"),
    "qc_pass": _("Quality check passed"),
    "qc_fail": _("Quality check failed"),
    "notify_pickup": _("Pickup call"),
    "hand_over": _("Hand over"),
    "loan_unit": _("Lend a loaner"),
    "return_loan": _("Loaner returned"),
    "incident": _("Report an incident"),
    "change_mode": _("Change service mode"),
    "escalate": _("Ask the technical center"),
    "cancel": _("Cancel work order"),
    "close": _("Close"),
}

PRIMARY_ACTIONS = frozenset(
    {
        "receive",
        "start_diagnosis",
        "start_repair",
        "complete_repair",
        "qc_pass",
        "hand_over",
        "approve_quote",
        "close",
    }
)
DANGER_ACTIONS = frozenset({"cancel", "qc_fail", "incident"})

WINDOW_REASONS = [
    ("", _("First appointment")),
    ("customer_request", _("The customer asked")),
    ("technician_late", _("Technician running late")),
    ("parts_missing", _("Parts missing")),
    ("preempted", _("Pre-empted by an urgent job")),
]
RESULTS = [
    ("ok", _("Repaired and tested")),
    ("uncertain", _("Repaired, not sure it lasts (call back in 3 working hours)")),
    ("untested", _("Could not test (call back in 2 working hours)")),
]
# The quality check of a category without a list of its own (the lists are the categories'
# master data, catalog.ChecklistItem): what any product needs, whatever it is.
GENERIC_QC_CHECKS = [
    _("Powers on / starts"),
    _("The reported fault is gone"),
    _("Appearance"),
]
PAYMENT_METHODS = [
    ("cash", _("Cash")),
    ("card", _("Bank card")),
    ("wechat", _("WeChat Pay")),
    ("alipay", _("Alipay")),
]
# The accessories counted in for a category without a list of its own.
GENERIC_ACCESSORIES = [
    _("Charger or power adapter"),
    _("Cable"),
    _("Remote control"),
    _("Box"),
    _("Manual"),
]
LIQUID = [("intact", _("Intact")), ("triggered", _("Triggered"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Reception asks whether the 三包凭证 and invoice were presented (no answer is assumed).
RECEIVE_VOUCHERS = [
    ("valid", _("Yes: 三包 voucher and invoice")),
    ("copy", _("Only a copy of the invoice")),
    ("missing", _("No: neither was presented")),
]
BROUGHT_BY = [("end_user", _("The end user")), ("dealer", _("A dealer"))]
# The customer's scores at the hand-over, best first; the rating may be declined (never forced).
SCORES = [
    ("5", _("5 · very satisfied")),
    ("4", _("4 · satisfied")),
    ("3", _("3 · neutral")),
    ("2", _("2 · dissatisfied")),
    ("1", _("1 · very dissatisfied")),
]
DECLINED = "declined"
QUOTE_ROWS = 3
PART_ROWS = 4  # parts per form: waited for, or used in the repair


def checklist_choices(items: Sequence[ChecklistItem], fallback: Sequence[Any] = ()) -> list[Any]:
    """A category's checklist as checkbox choices, each recorded as it reads (the fallback
    when the category has none)."""
    labels = [item.label for item in items] or [str(label) for label in fallback]
    return [(label, label) for label in labels]


def fault_choices(tree: Sequence[tuple[FaultCode, Sequence[FaultCode]]]) -> list[Any]:
    """The fault-code tree as a list to choose from: a group per symptom, the symptom itself
    first (its cause not yet known), then its causes (catalog.selectors.fault_tree)."""
    groups = [
        (symptom.name, [(code.code, code.name) for code in (symptom, *causes)])
        for symptom, causes in tree
    ]
    return [("", _("Choose…")), *groups]


def part_rows(form: forms.Form, prefix: str) -> list[dict[str, Any]]:
    """Rows of a parts list (`<prefix>_code_<i>`, `<prefix>_qty_<i>`), for the template."""
    return [
        {"code": form[f"{prefix}_code_{i}"], "qty": form[f"{prefix}_qty_{i}"]}
        for i in range(PART_ROWS)
    ]


def add_part_rows(form: forms.Form, prefix: str, catalogue: str) -> None:
    """The parts list's fields: each a part code chosen from the model's catalogue (`catalogue`
    names the page's list of it, with the stock) and a quantity."""
    for i in range(PART_ROWS):
        form.fields[f"{prefix}_code_{i}"] = forms.CharField(
            label=_("Spare part"),
            required=False,
            max_length=40,
            widget=forms.TextInput(
                attrs={
                    "list": catalogue,
                    "autocomplete": "off",
                    "placeholder": _("Type a code or a name…"),
                    "class": "part-code",
                }
            ),
        )
        form.fields[f"{prefix}_qty_{i}"] = forms.IntegerField(
            label=_("Qty"),
            required=False,
            min_value=1,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1"}),
        )


def chosen_parts(data: dict[str, Any], prefix: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows filled in, as the API's parts: [{"code", "qty"}] (quantity 1 unless said), and
    which rows they were. The code is the list's value, or what was typed: the service checks
    it against the catalogue."""
    parts, rows = [], []
    for i in range(PART_ROWS):
        code = (data.get(f"{prefix}_code_{i}") or "").strip()
        if code:
            parts.append({"code": code.split()[0], "qty": data.get(f"{prefix}_qty_{i}") or 1})
            rows.append(i)
    return parts, rows


def part_field(name: str, rows: list[int]) -> str | None:
    """The form field of an API field of a parts list (`parts_used.1.code` → the code of the
    second row filled in, `rows` as `chosen_parts` sent them); None for another field."""
    if match := re.fullmatch(r"(parts|parts_used)(?:\.(\d+)(?:\.(code|qty))?)?", name):
        prefix, sent, which = match.groups()
        row = rows[int(sent)] if sent is not None and int(sent) < len(rows) else 0
        return f"{prefix}_{'qty' if which == 'qty' else 'code'}_{row}"
    return None


def _date(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def _moment() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _score_or_declined(value: str) -> int | str:
    return value if value == DECLINED else int(value)


def _score(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class ActionForm(RefusalMixin, forms.Form):
    """One action of the transition table with its payload (the page shows the fields it uses)."""

    action = forms.ChoiceField(choices=[(a, a) for a in rules.ACTIONS], widget=forms.HiddenInput)
    technician = forms.ChoiceField(label=_("Technician"), required=False)
    start = forms.DateTimeField(label=_("From"), required=False, widget=_moment())
    end = forms.DateTimeField(label=_("To"), required=False, widget=_moment())
    window_reason = forms.ChoiceField(
        label=_("Why the window changes"), choices=WINDOW_REASONS, required=False
    )
    remedy = forms.ChoiceField(
        label=_("The customer chooses"), required=False, widget=forms.RadioSelect
    )
    findings = forms.CharField(label=_("Findings (facts only)"), required=False, widget=_text(3))
    # Chosen from the unit's category's fault-code tree only (`fault_codes`); the API also
    # takes any other text.
    fault_code = forms.ChoiceField(label=_("Fault"), required=False)
    human_damage = forms.BooleanField(label=_("Human damage found"), required=False)
    damage_kind = forms.ChoiceField(
        label=_("Kind of damage"),
        choices=[("", _("None")), *DAMAGE_CHOICES[1:]],
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Amount (empty: all of it)"), required=False, min_value=0, decimal_places=2
    )
    new_serial = forms.CharField(label=_("Serial of the new unit"), required=False, max_length=64)
    expected_date = forms.DateField(label=_("Expected on"), required=False, widget=_date())
    actions_taken = forms.CharField(label=_("What was done"), required=False, widget=_text(3))
    result = forms.ChoiceField(label=_("Result"), choices=RESULTS, required=False)
    checks = forms.MultipleChoiceField(
        label=_("Functions checked"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_checks = forms.CharField(label=_("Other checks"), required=False, max_length=200)
    channel = forms.ChoiceField(
        label=_("How"),
        choices=[("phone", _("Phone call")), ("sms", _("SMS"))],
        required=False,
        widget=forms.RadioSelect,
    )
    reached = forms.BooleanField(label=_("The customer was reached"), required=False)
    rating = forms.TypedChoiceField(
        label=_("Overall satisfaction"),
        choices=[*SCORES, (DECLINED, _("Customer prefers not to rate"))],
        coerce=_score_or_declined,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    quality_score = _score(_("Repair quality (optional)"))
    attitude_score = _score(_("Service attitude (optional)"))
    comment = forms.CharField(label=_("Customer's comment"), required=False, widget=_text(2))
    payment_amount = forms.DecimalField(
        label=_("Paid now"), required=False, min_value=0, decimal_places=2
    )
    payment_method = forms.ChoiceField(
        label=_("Payment method"), choices=PAYMENT_METHODS, required=False
    )
    receipt_no = forms.CharField(label=_("Receipt number"), required=False, max_length=60)
    tracking_no = forms.CharField(label=_("Return tracking number"), required=False, max_length=60)
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    no_signature_reason = forms.CharField(
        label=_("Not signed? Why"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. picked up by a relative")}),
    )
    serial = forms.CharField(label=_("Loaner serial"), required=False, max_length=64)
    mode = forms.ChoiceField(label=_("New service mode"), choices=Mode.choices, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=_text(2))
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))

    # The fields each action shows (its payload, CONTRACT.md "Work orders").
    FIELDS: dict[str, tuple[str, ...]] = {
        "assign": ("technician",),
        "schedule": ("start", "end", "window_reason"),
        "choose_remedy": ("remedy",),
        "diagnose": ("findings", "fault_code", "human_damage", "damage_kind"),
        "quote": (),  # the quote's lines (added in __init__)
        "waive": ("amount", "reason"),
        "no_fault_found": ("findings",),
        "exchange": ("new_serial",),
        "refund": ("amount",),
        "approve_quote": ("note",),
        "decline_quote": ("note",),
        "wait_parts": ("expected_date",),  # and the parts rows (parts_rows)
        "parts_arrived": ("note",),
        "complete_repair": ("actions_taken", "result"),  # and the parts rows (parts_used_rows)
        "qc_pass": ("checks", "other_checks"),
        "qc_fail": ("reason",),
        "notify_pickup": ("channel", "reached"),
        "hand_over": (
            "rating",
            "quality_score",
            "attitude_score",
            "comment",
            "payment_amount",
            "payment_method",
            "receipt_no",
            "tracking_no",
            "signature",
            "no_signature_reason",
        ),
        "loan_unit": ("serial",),
        "return_loan": ("serial",),
        "incident": ("note",),
        "change_mode": ("mode", "reason"),
        "escalate": ("note",),
        "cancel": ("reason",),
    }
    RENAMED = {
        "payment.amount": "payment_amount",
        "payment": "payment_amount",
        "checks": "checks",
    }

    def __init__(
        self,
        *args: Any,
        technicians: list[User] | None = None,
        remedies: tuple[str, ...] = (),
        fee_items: list[FeeItem] | None = None,
        parts: list[Part] | None = None,
        mode: str = "",
        qc_checks: Sequence[ChecklistItem] = (),
        fault_codes: Sequence[tuple[FaultCode, Sequence[FaultCode]]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["fault_code"]).choices = fault_choices(fault_codes)
        self.job_mode = mode  # the job's service mode (the form's `mode` is change_mode's)
        cast(forms.MultipleChoiceField, self.fields["checks"]).choices = checklist_choices(
            qc_checks, GENERIC_QC_CHECKS
        )
        self.catalogue_id = f"{self.data.get('action') or self.initial.get('action')}-catalogue"
        self.rows_sent: list[int] = []
        add_part_rows(self, "parts", self.catalogue_id)
        add_part_rows(self, "parts_used", self.catalogue_id)
        people = person_choices(technicians or [])  # by name, with role and center
        cast(forms.ChoiceField, self.fields["technician"]).choices = [("", _("Choose…")), *people]
        cast(forms.ChoiceField, self.fields["remedy"]).choices = [
            (code, REMEDY_LABELS.get(code, code)) for code in remedies
        ]
        items = quote_items(fee_items or [], parts or [])
        for i in range(QUOTE_ROWS):
            self.fields[f"line_item_{i}"] = forms.ChoiceField(
                label=_("Item"), choices=items, required=False
            )
            self.fields[f"line_description_{i}"] = forms.CharField(
                label=_("Description"), required=False, max_length=200
            )
            self.fields[f"line_qty_{i}"] = forms.IntegerField(
                label=_("Qty"), required=False, min_value=1, initial=1
            )
            self.fields[f"line_price_{i}"] = forms.DecimalField(
                label=_("Unit price (empty: fee standard)"),
                required=False,
                min_value=0,
                decimal_places=2,
            )

    def field_for(self, name: str) -> str:
        if match := re.fullmatch(r"lines\.(\d+)\.(\w+)", name):
            row, part = match.groups()
            suffix = {"unit_price": "price", "kind": "item", "code": "item"}.get(part, part)
            return f"line_{suffix}_{row}"
        if name == "lines":
            return "line_item_0"
        if row := part_field(name, self.rows_sent):
            return row
        return self.RENAMED.get(name, name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A customer at hand is asked: the page records their score, or that they declined.
        asked = self.job_mode and self.job_mode != "mail_in"
        if data.get("action") == "hand_over" and asked and data.get("rating") is None:
            self.add_error(
                "rating", _("Record the customer's rating, or that they prefer not to rate.")
            )
        return data

    def add_refusal(self, exc: DomainError) -> None:
        if exc.code == "signature_required":  # beside the pad and the reason
            self.add_error("signature", exc.message)
            return
        super().add_refusal(exc)

    def parts_rows(self) -> list[dict[str, Any]]:
        return part_rows(self, "parts")

    def parts_used_rows(self) -> list[dict[str, Any]]:
        return part_rows(self, "parts_used")

    def quote_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "item": self[f"line_item_{i}"],
                "description": self[f"line_description_{i}"],
                "qty": self[f"line_qty_{i}"],
                "price": self[f"line_price_{i}"],
            }
            for i in range(QUOTE_ROWS)
        ]

    def arguments(self) -> dict[str, Any]:
        """`work_order_act`'s keyword arguments: the action and its payload, as the API's."""
        data = self.cleaned_data
        action = data["action"]
        payload: dict[str, Any] = {
            name: data.get(name)
            for name in self.FIELDS.get(action, ())
            if data.get(name) not in (None, "", [])
        }
        if action == "schedule":
            payload.pop("window_reason", None)
            if data.get("window_reason"):
                payload["reason"] = data["window_reason"]
        if action in ("waive", "refund") and "amount" in payload:
            payload["amount"] = f"{payload['amount']:.2f}"
        if action == "diagnose":
            payload["human_damage"] = bool(data.get("human_damage"))
        if action == "notify_pickup":
            payload["reached"] = bool(data.get("reached"))
        if action in ("wait_parts", "complete_repair"):
            name = "parts" if action == "wait_parts" else "parts_used"
            payload[name], self.rows_sent = chosen_parts(data, name)
        if action == "qc_pass":
            others = re.split(r"[,，、;]+", data.get("other_checks") or "")
            checked = list(data.get("checks", []))
            payload = {"checks": [*checked, *(o.strip() for o in others if o.strip())]}
        if action == "hand_over":
            payload = self._hand_over(payload)
        if action == "quote":
            payload = {"lines": self._lines()}
        return {"action": action, **payload}

    def _hand_over(self, payload: dict[str, Any]) -> dict[str, Any]:
        if payload.get("rating") == DECLINED:
            payload.pop("rating")  # absent: declined
        amount = payload.pop("payment_amount", None)
        method = payload.pop("payment_method", None)
        receipt = payload.pop("receipt_no", None)
        if amount is not None:
            payload["payment"] = {
                "amount": f"{amount:.2f}",
                "method": method or "cash",
                "receipt_no": receipt or "",
            }
        return payload

    def _lines(self) -> list[dict[str, Any]]:
        data, lines = self.cleaned_data, []
        for i in range(QUOTE_ROWS):
            item = data.get(f"line_item_{i}") or ""
            if not item:
                continue
            kind, _sep, code = item.partition(":")
            line: dict[str, Any] = {
                "kind": kind,
                "code": code,
                "qty": data.get(f"line_qty_{i}") or 1,
            }
            if data.get(f"line_description_{i}"):
                line["description"] = data[f"line_description_{i}"]
            if data.get(f"line_price_{i}") is not None:
                line["unit_price"] = f"{data[f'line_price_{i}']:.2f}"
            lines.append(line)
        return lines


def quote_items(fee_items: list[FeeItem], parts: list[Part]) -> list[Any]:
    """The quote's item choices: the fee standard's items and the model's parts, by kind, and
    a free line of each kind (priced by hand)."""
    kinds = dict(FeeItem.Kind.choices)
    groups: dict[str, list[tuple[str, str]]] = {"labor": [], "part": [], "visit": []}
    for item in fee_items:
        if item.kind in groups:
            groups[item.kind].append(
                (f"{item.kind}:{item.code}", f"{item.code} {item.description} ¥{item.price}")
            )
    known = {value for value, _label in groups["part"]}
    for part in parts:
        if f"part:{part.code}" not in known:
            groups["part"].append((f"part:{part.code}", f"{part.code} {part.name} ¥{part.price}"))
    free = [(f"{kind}:", _("Other (%(kind)s)") % {"kind": kinds[kind]}) for kind in groups]
    return [
        ("", _("—")),
        *[(kinds[kind], choices) for kind, choices in groups.items() if choices],
        (_("Free line"), free),
    ]


class ReceiveForm(RefusalMixin, forms.Form):
    """Reception (接机): the intake inspection before anything is opened, the voucher, photos and
    the customer's signature under the repair agreement (DOMAIN.md §4.1–4.2)."""

    appearance = forms.CharField(
        label=_("Appearance: damage, scratches, cracks"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("e.g. scratch on the back, screen intact")}
        ),
    )
    checked = forms.MultipleChoiceField(
        label=_("Points inspected"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessories = forms.MultipleChoiceField(
        label=_("Accessories handed in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessories_other = forms.CharField(
        label=_("Other accessories"), required=False, max_length=200
    )
    liquid_indicator = forms.ChoiceField(
        label=_("Liquid indicator"), choices=LIQUID, initial="intact", widget=forms.RadioSelect
    )
    seal_intact = forms.ChoiceField(
        label=_("Anti-tamper seal intact"), choices=YES_NO, initial="yes", widget=forms.RadioSelect
    )
    serial_matches = forms.ChoiceField(
        label=_("Serial inside matches outside"),
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
    )
    non_original = forms.CharField(label=_("Non-original parts"), required=False, max_length=200)
    notes = forms.CharField(label=_("Other remarks"), required=False, widget=_text(2))
    voucher = forms.ChoiceField(
        label=_("Did the customer present the 三包 voucher and the invoice?"),
        choices=RECEIVE_VOUCHERS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Ask for the 三包 voucher and the invoice, and say.")},
    )
    brought_by = forms.ChoiceField(
        label=_("Who brings the unit"),
        choices=BROUGHT_BY,
        initial="end_user",
        widget=forms.RadioSelect,
    )
    dealer_name = forms.CharField(
        label=_("Dealer's name (when a dealer brings it)"), required=False, max_length=100
    )
    tracking_no = forms.CharField(label=_("Inbound tracking number"), required=False, max_length=60)
    agreement_signature = forms.CharField(required=False, widget=forms.HiddenInput)

    RENAMED = {"agreement_signed": "agreement_signature", "inspection": "appearance"}

    def __init__(
        self,
        *args: Any,
        intake_checks: Sequence[ChecklistItem] = (),
        accessories: Sequence[ChecklistItem] = (),
        **kwargs: Any,
    ) -> None:
        """`intake_checks` and `accessories`: the unit's category's lists (catalog)."""
        super().__init__(*args, **kwargs)
        checked = cast(forms.MultipleChoiceField, self.fields["checked"])
        checked.choices = checklist_choices(intake_checks)
        cast(forms.MultipleChoiceField, self.fields["accessories"]).choices = checklist_choices(
            accessories, GENERIC_ACCESSORIES
        )

    def field_for(self, name: str) -> str:
        if name.startswith("inspection."):
            name = name.split(".", 1)[1]
            return "accessories_other" if name == "accessories" else name
        return self.RENAMED.get(name, name)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        others = re.split(r"[,，、;]+", data.get("accessories_other") or "")
        notes = [data.get("notes") or ""]
        if data.get("non_original"):
            notes.insert(0, f"{_('Non-original parts')}: {data['non_original']}")
        signature = data.get("agreement_signature") or ""
        payload: dict[str, Any] = {
            "inspection": {
                "appearance": data.get("appearance") or "",
                "checked": list(data.get("checked", [])),
                "accessories": [
                    *data.get("accessories", []),
                    *(o.strip() for o in others if o.strip()),
                ],
                "liquid_indicator": data["liquid_indicator"],
                "seal_intact": data["seal_intact"] == "yes",
                "serial_matches": data["serial_matches"] == "yes",
                "notes": "\n".join(n for n in notes if n),
            },
            # Signed only when the pad has ink: an empty pad sends nothing.
            "agreement_signed": bool(signature),
            "voucher": data["voucher"],
            "brought_by": data["brought_by"],
        }
        if data["brought_by"] == "dealer":
            payload["dealer_name"] = data.get("dealer_name") or ""
        if signature:
            payload["agreement_signature"] = signature
        if data.get("tracking_no"):
            payload["tracking_no"] = data["tracking_no"]
        return payload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (Django's documented recipe): a list, each one checked."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class PhotoForm(RefusalMixin, forms.Form):
    photos = MultipleFileField(
        label=_("Photos of the unit as received"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)

    RENAMED = {"image": "photos"}

    def field_for(self, name: str) -> str:
        return self.RENAMED.get(name, name)


class OpenWorkOrderForm(RefusalMixin, forms.Form):
    """Open a work order on a request (`work_order_create`)."""

    mode = forms.ChoiceField(label=_("Service mode"), choices=Mode.choices, initial="carry_in")
    technician = forms.CharField(  # picked by name from the center's technicians
        label=_("Technician"), required=False, max_length=150
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"mode": data["mode"], "technician": data.get("technician") or None}


class ResolveDiscrepancyForm(RefusalMixin, forms.Form):
    """A stock discrepancy reconciled by the center's manager (`stock_discrepancy_resolve`)."""

    note = forms.CharField(
        label=_("What was found"),
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("e.g. taken from the shelf without a record")}
        ),
    )
    counted = forms.IntegerField(
        label=_("Counted on the center's shelf now (optional)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Corrects the center's stock of this part to the count."),
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {"note": data["note"]}
        if data.get("counted") is not None:
            fields["counted"] = data["counted"]
        return fields


class WorkOrderFilterForm(forms.Form):
    """The work-order list's filters (a GET form): status, open only, and the technician — by
    name, among `technicians` (`selectors.list_technicians`; none: no chooser), grouped by
    their center when they work at several."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    open = forms.BooleanField(label=_("Open only"), required=False)
    technician = forms.ChoiceField(
        label=_("Technician"),
        required=False,
        error_messages={"invalid_choice": _("No technician you may choose has this username.")},
    )

    def __init__(self, *args: Any, technicians: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = {user.username: display_name(user) for user in technicians}
        if not technicians:
            del self.fields["technician"]
            return
        field = cast(forms.ChoiceField, self.fields["technician"])
        field.choices = [("", _("Any technician")), *_by_center(technicians)]

    def filters(self) -> dict[str, Any]:
        """The list's filters as the page read them: `status`, `open_only` and `technician` (a
        username, as the address gives it: one not on offer still filters, as the API does —
        the list's scope shows what it may of theirs —, and the chooser says it is not one)."""
        self.is_valid()  # reads the form: its valid fields are in cleaned_data
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "open_only": bool(data.get("open")),
            "technician": str(self.data.get("technician", "")).strip(),
        }

    def export_params(self) -> dict[str, Any]:
        """The filters as the list's export keeps them (`exports.work_orders`; JSON values):
        `status`, `open`, and `technician` when one is chosen."""
        filters = self.filters()
        params: dict[str, Any] = {"status": filters["status"], "open": filters["open_only"]}
        if filters["technician"]:
            params["technician"] = filters["technician"]
        return params

    def technician_name(self) -> str:
        """The chosen technician in words (their name; "" for none, or one not on offer)."""
        self.is_valid()
        return self.names.get(self.cleaned_data.get("technician") or "", "")


def _by_center(technicians: Sequence[User]) -> list[Any]:
    """(username, name) of each technician; grouped under their center's name when they work
    at several centers (a role that sees every center's jobs), by center then username."""

    def center(user: User) -> str:
        profile = getattr(user, "staff_profile", None)
        return profile.center.name if profile is not None and profile.center else ""

    centers = {center(user) for user in technicians}
    if len(centers) == 1:
        return [(user.username, display_name(user)) for user in technicians]
    return [
        (
            name or _("No service center"),
            [(u.username, display_name(u)) for u in technicians if center(u) == name],
        )
        for name in sorted(centers, key=lambda name: (not name, name))
    ]
