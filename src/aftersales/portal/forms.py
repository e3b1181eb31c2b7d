"""The rating form of the portal page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import RefusalMixin
from aftersales.followups.rules import COMMENT_MAX, SCORES

SCORE_LABELS = {
    1: _("1 · very dissatisfied"),
    2: _("2 · dissatisfied"),
    3: _("3 · all right"),
    4: _("4 · satisfied"),
    5: _("5 · very satisfied"),
}


class RatingForm(RefusalMixin, forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("The number you gave us for this request."),
    )
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with our service?"),
        choices=[(n, SCORE_LABELS[n]) for n in SCORES],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
