"""The outcome of a follow-up call as the agent records it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import RefusalMixin

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class OutcomeForm(RefusalMixin, forms.Form):
    reached = forms.ChoiceField(
        label=_("Customer reached?"), choices=YES_NO, widget=forms.RadioSelect
    )
    satisfied = forms.ChoiceField(
        label=_("Satisfied?"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        reached = data["reached"] == "yes"
        satisfied = {"yes": True, "no": False}.get(data.get("satisfied") or "")
        return {
            "reached": reached,
            # An unreached customer gives no answers, whatever the radio buttons still hold.
            "satisfied": satisfied if reached else None,
            "score": data.get("score") if reached else None,
            "note": data.get("note", ""),
        }
