"""The dispatcher board's forms: they parse what the dispatcher picked into the keyword arguments
of `work_order_act` (as the API takes them) or `work_order_assign_and_book`, nothing more. Each action form carries `back`, the board's query
(day, center, region) to return to."""

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import RefusalMixin
from aftersales.dispatch.forms import RegionField, RegionInput
from aftersales.dispatch.models import ServiceCenter
from aftersales.workorders.forms import WINDOW_REASONS


def _moment() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BoardFilterForm(forms.Form):
    """Which day (today and the next six), which center, which region (a GB/T 2260 code)."""

    day = forms.TypedChoiceField(label=_("Day"), required=False, coerce=date.fromisoformat)
    center = forms.ChoiceField(label=_("Service center"), required=False)
    region = RegionField(  # typed by name (广州) and picked; cleans to the code
        label=_("Region"),
        required=False,
        widget=RegionInput(attrs={"placeholder": _("District, city or province, e.g. 天河")}),
    )

    def __init__(self, data: Any = None, *, days: list[date], centers: list[ServiceCenter]) -> None:
        super().__init__(data)
        self.days = days
        day_field: Any = self.fields["day"]
        day_field.choices = [(d.isoformat(), formats.date_format(d, "n/j D")) for d in days]
        center_field: Any = self.fields["center"]
        everywhere = [("", _("All centers"))] if len(centers) != 1 else []
        center_field.choices = everywhere + [(c.code, c.name) for c in centers]

    def arguments(self) -> dict[str, Any]:
        """The board selector's filters; what did not parse falls back to today / everywhere."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "day": data.get("day") or self.days[0],
            "center": data.get("center") or "",
            "region": data.get("region") or "",
        }

    def query(self, **extra: str) -> str:
        """The board's address for these filters (plus `extra`, e.g. the job a panel shows)."""
        arguments = self.arguments()
        query = QueryDict(mutable=True)
        query["day"] = arguments["day"].isoformat()
        for name in ("center", "region"):
            if arguments[name]:
                query[name] = arguments[name]
        query.update(extra)
        return query.urlencode()


class _BoardAction(RefusalMixin, forms.Form):
    back = forms.CharField(required=False, widget=forms.HiddenInput)

    def back_query(self) -> QueryDict:
        """The board filters the dispatcher came from (unparsed: the filter form checks them)."""
        return QueryDict(self.data.get("back", ""))


class AssignForm(_BoardAction):
    """A suggestion picked: `assign` to the technician (moving the job to their home center),
    stating who the dispatcher saw on the job; with `book`, also `schedule` the slot shown."""

    technician = forms.CharField(widget=forms.HiddenInput)
    center = forms.CharField(required=False, widget=forms.HiddenInput)
    expected_technician = forms.CharField(required=False, widget=forms.HiddenInput)
    start = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    end = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    book = forms.BooleanField(required=False)  # the "assign and book the slot" button

    def arguments(self) -> dict[str, Any]:
        """`work_order_assign_and_book`'s arguments: the window only with `book`."""
        data = self.cleaned_data
        arguments = _assignment(data)
        if data.get("book") and data.get("start") and data.get("end"):
            arguments.update(start=data["start"], end=data["end"])
        return arguments


class ScheduleForm(_BoardAction):
    """A window for an on-site visit; changing an existing one needs its reason (the service
    says so with a 422 naming `reason`, shown on the select)."""

    start = forms.DateTimeField(label=_("From"), widget=_moment())
    end = forms.DateTimeField(label=_("To"), widget=_moment())
    reason = forms.ChoiceField(
        label=_("Why the window changes"), choices=WINDOW_REASONS, required=False
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        payload = {"action": "schedule", "start": data["start"], "end": data["end"]}
        if data.get("reason"):
            payload["reason"] = data["reason"]
        return payload


class ProposalForm(_BoardAction):
    """One way out for a job an urgent one pushed aside: another technician at the same time, or
    the same technician later; both record the reason `preempted`."""

    kind = forms.ChoiceField(choices=[("reassign", "reassign"), ("reschedule", "reschedule")])
    technician = forms.CharField(widget=forms.HiddenInput)
    center = forms.CharField(required=False, widget=forms.HiddenInput)
    expected_technician = forms.CharField(required=False, widget=forms.HiddenInput)
    start = forms.DateTimeField(widget=forms.HiddenInput)
    end = forms.DateTimeField(widget=forms.HiddenInput)
    urgent = forms.CharField(required=False, widget=forms.HiddenInput)  # the job that pre-empted

    def reassigns(self) -> bool:
        return bool(self.cleaned_data["kind"] == "reassign")

    def arguments(self) -> dict[str, Any]:
        """Reassign: `work_order_assign_and_book`'s arguments; reschedule: `work_order_act`'s."""
        data = self.cleaned_data
        window = {"start": data["start"], "end": data["end"], "reason": "preempted"}
        if self.reassigns():
            return {**_assignment(data), **window}
        return {"action": "schedule", **window}


def _assignment(data: dict[str, Any]) -> dict[str, Any]:
    """Who the job goes to, where, and who the dispatcher saw on it (a conflict otherwise)."""
    assignment: dict[str, Any] = {
        "technician": data["technician"],
        "expected_technician": data.get("expected_technician") or None,
    }
    if data.get("center"):
        assignment["center"] = data["center"]
    return assignment
