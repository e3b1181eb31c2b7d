"""The intake screen's form: the request's fields (tickets.forms.IntakeForm) and a complaint's
own. It parses what the clerk types into `request_create`'s arguments, nothing more."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.complaints.forms import parse_usernames, staff_field
from aftersales.tickets import forms as ticket_forms
from aftersales.tickets.models import Kind


class IntakeForm(ticket_forms.IntakeForm):
    """The intake screen: the request's fields, and a complaint's own (shown for a complaint)."""

    # A complaint (shown only when the kind is complaint): what it is about and what is wanted.
    category = forms.ChoiceField(
        label=_("Complaint category"),
        choices=ticket_forms.COMPLAINT_CATEGORIES,
        initial="other",
        required=False,
    )
    wish = forms.CharField(
        label=_("The customer's wish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("What does the customer want?")}),
    )
    about = forms.CharField(
        label=_("About request"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "SR-20261120-0001", "class": "mono"}),
    )
    staff = staff_field()

    def request_arguments(self) -> dict[str, Any]:
        """`request_create`'s arguments: the request's, and a complaint's own."""
        arguments = self.ticket_arguments()
        if arguments["kind"] == Kind.COMPLAINT:
            arguments.update(self.complaint_arguments())
        return arguments

    def complaint_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data.get("category") or None,
            "wish": data.get("wish") or "",
            "about": data.get("about") or None,
            "staff": parse_usernames(data.get("staff") or ""),
        }
