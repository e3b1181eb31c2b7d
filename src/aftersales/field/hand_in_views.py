"""The daily hand-in pages (交单, DOMAIN.md §4 "On-site specifics"): the report of who has (not)
handed in a day's sheets and fees, for branch managers, dispatchers, archive and admins; and the
technician's own form, prefilled from the day's jobs and fees."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.forms import add_refusal
from aftersales.core.payloads import Day, read_value
from aftersales.core.roles import TECHNICIAN, role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.dispatch import rules, selectors
from aftersales.field import services
from aftersales.field.hand_in import (
    hand_in_day,
    hand_in_report,
    hand_in_report_centers,
    technician_calendar,
)
from aftersales.tickets.views import not_found_or_forbidden, staff_user


class ReportFilterForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Work day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    center = forms.ChoiceField(label=gettext_lazy("Service center"), required=False)


class HandInForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Work day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sheets = forms.IntegerField(label=gettext_lazy("Task sheets"), min_value=0, max_value=999)
    fees = forms.DecimalField(
        label=gettext_lazy("Fees handed in"), min_value=0, max_digits=10, decimal_places=2
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _day_from(value: str, default: date) -> date:
    day: date = read_value(Day, "day", value) if value.strip() else default
    return day


@staff_required
@require_GET
def report(request: HtmxHttpRequest) -> HttpResponse:
    """The day's hand-ins of the centers in the caller's scope; missing ones first."""
    by = staff_user(request)
    code = request.GET.get("center", "").strip() or None
    try:
        scope = hand_in_report_centers(by, code)
    except InvalidInput:
        code, scope = None, hand_in_report_centers(by, None)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    calendar = selectors.calendar_of(scope[0] if scope else selectors.center_of(by))
    default = rules.previous_working_day(timezone.localdate(), calendar)
    status, error = 200, ""
    try:
        day = _day_from(request.GET.get("day", ""), default)
    except InvalidInput as exc:
        day, status, error = default, 422, exc.message
    found = hand_in_report(day, code, by=by)
    choices = [("", _("Every center"))] if scope is None else []
    choices += [(c.code, c.name) for c in (selectors.centers() if scope is None else scope)]
    form = ReportFilterForm(initial={"day": day, "center": code or ""})
    center_field: Any = form.fields["center"]
    center_field.choices = choices
    context = {
        "form": form,
        "report": found,
        "error": error,
        "previous": rules.previous_working_day(day, calendar),
        "next": day + timedelta(days=1) if day < timezone.localdate() else None,
        "today": timezone.localdate(),
        "center": code or "",
    }
    return render(request, "dispatch/handin_report.html", context, status=status)


def _default_day(user: Any) -> date:
    """The day a technician most likely hands in: the previous working day while its deadline
    has not passed and it is not handed in yet; otherwise today."""
    calendar = technician_calendar(user)
    today = timezone.localdate()
    previous = rules.previous_working_day(today, calendar)
    row = hand_in_day(user, previous)
    if row.hand_in is None and timezone.now() <= row.deadline:
        return previous
    return today


@staff_required
@require_http_methods(["GET", "POST"])
def hand_in(request: HtmxHttpRequest) -> HttpResponse:
    """A technician's hand-in for a day: the day's jobs, the unfinished ones with their reasons,
    the sheets and fees prefilled from what the system counted."""
    user = staff_user(request)
    if role_of(user) != TECHNICIAN:
        raise PermissionDenied(_("The hand-in form is for technicians."))
    status = 200
    source = request.POST if request.method == "POST" else request.GET
    try:
        day = _day_from(source.get("day", ""), _default_day(user))
    except InvalidInput as exc:
        day, status = _default_day(user), 422
        messages.error(request, exc.message)
    if day > timezone.localdate():
        day, status = timezone.localdate(), 422
        messages.error(request, _("A day that has not come yet cannot be handed in."))
    row = hand_in_day(user, day)
    initial = {
        "day": day,
        "sheets": row.hand_in.sheets if row.hand_in else row.sheets,
        "fees": row.hand_in.fees if row.hand_in else row.fees,
        "note": row.hand_in.note if row.hand_in else "",
    }
    form = HandInForm(request.POST if request.method == "POST" and status == 200 else None)
    if request.method == "POST" and status == 200:
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.hand_in_submit(
                    technician=user,
                    day=data["day"],
                    by=user,
                    sheets=data["sheets"],
                    fees=data["fees"],
                    note=data["note"],
                )
            except DomainError as exc:
                add_refusal(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Handed in the sheets and fees of %(day)s.") % {"day": data["day"]},
                )
                return redirect(f"{reverse('hand_ins:form')}?day={data['day'].isoformat()}")
    if not form.is_bound:
        form = HandInForm(initial=initial)
    closed = row.hand_in is not None and timezone.now() > row.deadline
    context = {"form": form, "row": row, "closed": closed, "today": timezone.localdate()}
    return render(request, "dispatch/handin_form.html", context, status=status)
