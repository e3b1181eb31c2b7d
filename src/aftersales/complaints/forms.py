"""The complaint's steps on the request page: the form parses what the handler types into the
step's payload, nothing more (complaint intake's fields are on the intake form:
desk.forms.IntakeForm)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.complaints import rules
from aftersales.complaints.models import Complaint
from aftersales.core.forms import RefusalMixin
from aftersales.dispatch.forms import PeopleInput, chosen_value, split_values
from aftersales.tickets.forms import RESOLUTION_LABELS

# What each step's button says (the order is the table's).
STEP_BUTTONS = {
    "screen": _("Screen"),
    "acknowledge": _("Acknowledge and promise"),
    "investigate": pgettext_lazy("complaint step", "Record findings"),
    "propose": _("Propose a solution"),
    "approve_compensation": _("Approve compensation"),
    "resolve": _("Customer's answer"),
    "record_capa": _("Record the lesson: root cause and corrective action"),
    "complete_capa": _("Corrective action done"),
}

COMPENSATION_LABELS = {
    "apology": _("Apology"),
    "gift": _("Gift"),
    "discount": _("Discount (¥)"),
    "warranty_extension": _("Warranty extension (days)"),
    "refund": _("Refund (¥)"),
}
OFFER_ROWS = 3  # compensation lines on the propose form
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def staff_field() -> forms.CharField:
    """The staff a complaint concerns: typed by name and picked (“王丽 (wangl)”), read as
    usernames (`parse_usernames`)."""
    return forms.CharField(
        label=_("Staff concerned"),
        required=False,
        max_length=600,
        widget=PeopleInput(multiple=True),
        help_text=_("Type a name and choose the person; several, one after another."),
    )


def parse_usernames(text: str) -> list[str]:
    """“王丽 (wangl)，李军 (lij)” as picked, or “lij, zhangw” typed (commas, 、 or spaces) →
    ["wangl", "lij"]."""
    names: list[str] = []
    for part in split_values(text):
        names.extend(name for name in part.split() if name not in names)
    return names


class ComplaintStepForm(RefusalMixin, forms.Form):
    """One complaint step (`rules.TRANSITIONS`) with its payload; only its fields are shown."""

    refusal_fields = {"compensation": "value_1"}

    action = forms.ChoiceField(choices=[(a, a) for a in rules.ACTIONS], widget=forms.HiddenInput)
    ours = forms.ChoiceField(
        label=_("Is it ours?"),
        choices=[("yes", _("Ours: on to the handler")), ("no", _("Not ours: explain"))],
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    promised_by = forms.DateTimeField(
        label=_("Answer promised by"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: three working days from now."),
    )
    findings = forms.CharField(
        label=pgettext_lazy("complaint", "Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsibility = forms.ChoiceField(
        label=_("Responsibility"),
        choices=[
            ("ours", _("Ours")),
            ("customer", _("The customer's")),
            ("unclear", _("Unclear (borne by the company)")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    staff = staff_field()
    plan = forms.CharField(
        label=_("Plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    customer_accepted = forms.ChoiceField(
        label=_("Did the customer accept?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=[("", _("Other")), *RESOLUTION_LABELS.items()],
        required=False,
    )

    root_cause = forms.ChoiceField(
        label=_("Root cause"),
        choices=[("", "—"), *Complaint.RootCause.choices],
        required=False,
    )
    root_cause_note = forms.CharField(
        label=_("The cause in your words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What will change so that it does not happen again."),
    )
    owner = forms.CharField(
        label=_("Owner"),
        required=False,
        max_length=200,
        widget=PeopleInput(),
        help_text=_("Type a name and choose the person who sees it done."),
    )
    due = forms.DateField(
        label=pgettext_lazy("corrective action", "Due by"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    PAYLOAD = {
        "screen": ("ours", "note"),
        "acknowledge": ("note", "promised_by"),
        "investigate": ("findings", "responsibility", "staff"),
        "propose": ("plan",),
        "approve_compensation": ("note",),
        "resolve": ("customer_accepted", "resolution", "note"),
        "record_capa": ("root_cause", "root_cause_note", "corrective_action", "owner", "due"),
        "complete_capa": ("note",),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [("", _("None")), *COMPENSATION_LABELS.items()]
        for i in range(1, OFFER_ROWS + 1):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Compensation"), choices=kinds, required=False
            )
            self.fields[f"value_{i}"] = forms.CharField(
                label=_("Value"), required=False, max_length=200
            )

    def field_for(self, name: str) -> str:
        """`compensation.<i>.kind` / `.value` (or `compensation.<i>`: the offer as a whole) →
        the kind or value field of the i-th row filled in (the rows left empty are not sent)."""
        parts = name.split(".")
        if parts[0] != "compensation" or len(parts) < 2 or not parts[1].isdigit():
            return super().field_for(name)
        filled = [i for i in range(1, OFFER_ROWS + 1) if self.cleaned_data.get(f"kind_{i}")]
        index = int(parts[1])
        row = filled[index] if index < len(filled) else 1
        return f"kind_{row}" if parts[2:] == ["kind"] else f"value_{row}"

    def offer_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"kind_{i}"], self[f"value_{i}"]) for i in range(1, OFFER_ROWS + 1)]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        action = data["action"]
        payload: dict[str, Any] = {}
        for name in self.PAYLOAD.get(action, ()):
            value = data.get(name)
            if name in ("ours", "customer_accepted"):
                value = {"yes": True, "no": False}.get(value or "")
            elif name == "staff":
                value = parse_usernames(value) if value else None
            elif name == "owner":
                value = chosen_value(value or "")
            if value not in (None, ""):
                payload[name] = value
        if action == "propose":
            payload["compensation"] = [
                {"kind": data[f"kind_{i}"], "value": data.get(f"value_{i}") or ""}
                for i in range(1, OFFER_ROWS + 1)
                if data.get(f"kind_{i}")
            ]
        return {"action": action, **payload}
