"""The console's forms: they parse what staff type into the services' arguments, nothing more.

Refusals come back from the services as DomainError; `add_refusal` puts each on the field it
names (InvalidInput.details), so the clerk sees it where they typed and nothing typed is lost.
"""

from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aftersales.core.forms import RefusalMixin
from aftersales.dispatch.forms import RegionField, RegionInput
from aftersales.tickets import rules
from aftersales.tickets.models import Channel, Kind, Priority, Status
from aftersales.warranty.forms import DAMAGE_CHOICES

# Problem classes (DOMAIN.md §2), kept on the request as these codes.
PROBLEM_CLASSES = [
    ("", _("Not classified yet")),
    ("customer", _("Customer's own (misuse, misunderstanding)")),
    ("environment", _("Environment or facilities")),
    ("product", _("Product (quality, transport damage, safety)")),
    ("staff_service", _("Staff service (attitude, promises, slowness)")),
    ("other", _("Other")),
]

# A complaint's categories (CONTRACT.md "Complaints") are the problem classes, the customer's
# own called `customer_own`.
COMPLAINT_CATEGORIES = [
    ("customer_own" if code == "customer" else code, label)
    for code, label in PROBLEM_CLASSES
    if code
]

RESOLUTION_LABELS = {
    "remote_guidance": _("Guided by phone"),
    "answered": _("Answered"),
    "repaired": _("Repaired"),
    "exchanged": _("Exchanged"),
    "refunded": _("Refunded"),
    "no_fault_found": _("No fault found"),
    "declined": _("Declined"),
    "duplicate": _("Duplicate"),
    "other": _("Other"),
}

# A 三包 decision's window, in a few words.
WINDOW_LABELS = {
    "return": _("In the return window"),
    "exchange": _("In the exchange window"),
    "repair": _("In the warranty period"),
    "expired": _("Warranty ended"),
    "excluded": _("Excluded from 三包"),
}

# What each action's button says on the request page.
ACTION_BUTTONS = {
    "note": _("Add note"),
    "assign_owner": _("Change owner"),
    "start": _("Start work"),
    "resolve": _("Resolve"),
    "reopen": _("Reopen"),
    "close": _("Close"),
    "cancel": _("Cancel request"),
    "escalate": _("Escalate"),
}

QUEUE_LABELS = {
    "mine": _("Mine"),
    "center": _("My center"),
    "unassigned": _("Unassigned"),
    "breaching": _("Due soon"),
    "escalated": _("Escalated"),
    "all": _("All requests"),
}

NOT_LISTED = "not_listed"  # the fault is none of the policy's listed performance faults
NO_DAMAGE = "none"


def _any(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


# --- The console's filters ---------------------------------------------------------------------


class ConsoleFilterForm(forms.Form):
    queue = forms.ChoiceField(
        label=_("Queue"),
        choices=list(QUEUE_LABELS.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), choices=_any(_("Open"), Status.choices), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=_any(_("Any kind"), Kind.choices), required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=_any(_("Any channel"), Channel.choices), required=False
    )

    def filters(self) -> dict[str, str]:
        """The selector's arguments; what does not parse is left out (the default queue)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "queue": data.get("queue") or "mine",
            **{name: data.get(name) or "" for name in ("q", "status", "kind", "channel")},
        }

    def query(self, **changes: str) -> str:
        """The filters as a query string (for "load more" and links), with `changes`."""
        values = {**self.filters(), **changes}
        return urlencode({k: v for k, v in values.items() if v})


# --- Intake ------------------------------------------------------------------------------------


class IntakeForm(RefusalMixin, forms.Form):
    """One screen for taking a request: the caller by phone, the request, the unit, the problem
    (a complaint's own fields as well: desk.forms.IntakeForm)."""

    refusal_fields = {
        "customer": "phone",
        "customer_id": "phone",
        "customer.phone": "phone",
        "customer.name": "name",
        "customer.address": "address",
        "customer.region": "region",
    }

    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "inputmode": "tel",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )
    # A new customer (the phone is not on file); ignored when it is.
    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    # Typed by name (天河) and picked; cleans to the GB/T 2260 code.
    region = RegionField(
        label=_("Region"),
        required=False,
        widget=RegionInput(attrs={"placeholder": _("District, city or province, e.g. 天河")}),
    )

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Kind.choices, initial=Kind.REPAIR, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )

    # The unit: one of the customer's (radio), or a serial typed or scanned.
    unit = forms.CharField(required=False, max_length=64)
    serial = forms.CharField(
        label=_("Serial / IMEI"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    fault = forms.CharField(label=_("Fault reported"), required=False, max_length=60)
    damage = forms.ChoiceField(
        label=_("Damage seen"), choices=DAMAGE_CHOICES, initial=NO_DAMAGE, required=False
    )

    summary = forms.CharField(
        label=_("Summary"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("In a few words: what does the customer need?")}
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem_class = forms.ChoiceField(
        label=_("Problem class"), choices=PROBLEM_CLASSES, required=False
    )
    preferred_time = forms.CharField(
        label=_("Preferred time"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. tomorrow morning")}),
    )

    def chosen_serial(self) -> str:
        """The unit picked from the customer's, else the one typed."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return (data.get("unit") or data.get("serial") or "").strip()

    def ticket_arguments(self) -> dict[str, Any]:
        """`ticket_create`'s arguments. The customer goes inline: a phone on file attaches to
        that customer (the service's rule), an unknown one registers the name typed."""
        data = self.cleaned_data
        customer = {"phone": data["phone"], "name": data.get("name") or ""}
        customer.update({k: data[k] for k in ("address", "region") if data.get(k)})
        return {
            "kind": data["kind"],
            "channel": data["channel"],
            "priority": data["priority"],
            "customer": customer,
            "serial": self.chosen_serial() or None,
            "summary": data["summary"],
            "description": data.get("description") or "",
            "problem_class": data.get("problem_class") or "",
            "preferred_time": data.get("preferred_time") or "",
        }


class IntakeWarrantyForm(forms.Form):
    """What the decision panel next to the intake form is asked for."""

    kind = forms.CharField(required=False)
    unit = forms.CharField(required=False, max_length=64)
    serial = forms.CharField(required=False, max_length=64)
    fault = forms.CharField(required=False, max_length=60)
    damage = forms.ChoiceField(choices=DAMAGE_CHOICES, required=False)
    # The category the fault list on the screen was drawn for: redrawn only when it changes.
    fault_category = forms.CharField(required=False, max_length=40)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        damage = data.get("damage") or NO_DAMAGE
        return {
            "serial": (data.get("unit") or data.get("serial") or "").strip(),
            "performance_fault": data.get("fault") != NOT_LISTED,
            "damage_kind": None if damage == NO_DAMAGE else damage,
        }

    @property
    def decides(self) -> bool:
        """Repairs and bookings are decided at intake (as `ticket_create` does)."""
        return (self.data.get("kind") or Kind.REPAIR) in (Kind.REPAIR, Kind.BOOKING)


class UnitRegisterForm(RefusalMixin, forms.Form):
    """A unit the customer has that is not registered yet: registered inline, then picked."""

    refusal_fields = {"model": "model_code"}

    serial = forms.CharField(label=_("Serial / IMEI"), max_length=64)
    model_code = forms.CharField(
        label=_("Model code"),
        max_length=60,
        widget=forms.TextInput(attrs={"list": "model-codes", "autocomplete": "off"}),
    )
    purchase_date = forms.DateField(
        label=_("Purchase date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    invoice_no = forms.CharField(label=_("Invoice number"), required=False, max_length=60)
    customer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "serial": data["serial"],
            "model": data["model_code"].strip(),
            "customer_id": data.get("customer_id"),
            "purchase_date": data.get("purchase_date"),
            "invoice_no": data.get("invoice_no") or None,
        }


# --- The request page's actions ---------------------------------------------------------------


class ActionForm(RefusalMixin, forms.Form):
    """One action of the transition table with its payload (only the fields it uses are shown)."""

    action = forms.ChoiceField(choices=[(a, a) for a in rules.ACTIONS], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    customer_visible = forms.BooleanField(label=_("Visible to the customer"), required=False)
    owner = forms.CharField(label=_("New owner"), required=False, max_length=150)
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=_any(_("Choose…"), list(RESOLUTION_LABELS.items())),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    # Which payload each action takes (CONTRACT.md "Service requests").
    PAYLOAD = {
        "note": ("note", "customer_visible"),
        "assign_owner": ("owner", "note"),
        "start": ("note",),
        "resolve": ("resolution", "note"),
        "reopen": ("note",),
        "close": (),
        "cancel": ("reason",),
        "escalate": ("note",),
    }

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        action = data["action"]
        payload = {name: data.get(name) for name in self.PAYLOAD.get(action, ())}
        return {"action": action, **{k: v for k, v in payload.items() if v not in (None, "")}}


class AnswerForm(RefusalMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


# --- Handover ---------------------------------------------------------------------------------


class HandoverForm(RefusalMixin, forms.Form):
    """Who leaves, and which colleague takes their open work."""

    refusal_fields = {"user": "leaving"}

    leaving = forms.ChoiceField(label=_("Leaving"))
    to = forms.ChoiceField(label=_("Hand over to"))

    def __init__(self, *args: Any, candidates: list[tuple[User, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.username: person for person, _count in candidates}
        choose: list[tuple[str, str]] = [("", str(_("Choose…")))]
        leaving = [(person.username, _person_label(person, count)) for person, count in candidates]
        to = [(person.username, _person_label(person, None)) for person, _count in candidates]
        cast(forms.ChoiceField, self.fields["leaving"]).choices = choose + leaving
        cast(forms.ChoiceField, self.fields["to"]).choices = choose + to

    def arguments(self) -> dict[str, User]:
        data = self.cleaned_data
        return {"user": self.people[data["leaving"]], "to": self.people[data["to"]]}


def _person_label(person: User, open_requests: int | None) -> str:
    name = person.get_full_name()
    label = f"{name} ({person.username})" if name else person.username
    if open_requests is None:
        return label
    count = ngettext("%(count)d open request", "%(count)d open requests", open_requests) % {
        "count": open_requests
    }
    return f"{label} · {count}"
