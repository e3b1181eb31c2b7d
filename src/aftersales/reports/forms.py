"""The dashboard's filter (a GET form): the period, from and to (local dates, default this month
so far), and the center — every center's readers choose one or all, a branch manager has its
own, fixed."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.payloads import Within
from aftersales.dispatch.models import ServiceCenter


def _day(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        validators=[Within("Day")],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DashboardForm(forms.Form):
    """`from`, `to` (the API's names: a Python keyword, so added here) and `center`."""

    center = forms.ChoiceField(label=_("Service center"), required=False)

    def __init__(self, *args: Any, centers: list[ServiceCenter], every: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields = {"from": _day(_("From")), "to": _day(_("To")), **self.fields}
        choices = [("", _("Every center"))] if every else []
        center: Any = self.fields["center"]
        center.choices = choices + [(c.code, c.name) for c in centers]
        if not every:
            center.disabled = True  # a branch manager's own center

    def period(self) -> tuple[date | None, date | None]:
        data = self.cleaned_data
        return data.get("from"), data.get("to")


class PeriodForm(forms.Form):
    """The center comparison's filter: the period only (`from`, `to`), every center side by
    side."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields = {"from": _day(_("From")), "to": _day(_("To"))}

    def period(self) -> tuple[date | None, date | None]:
        data = self.cleaned_data
        return data.get("from"), data.get("to")
