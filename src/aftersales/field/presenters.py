"""Technicians and assignment suggestions as the API and the board show them."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aftersales.catalog.selectors import categories
from aftersales.core.presenters import display_name
from aftersales.dispatch import rules, selectors
from aftersales.dispatch.regions import region_name

BAND_LABELS = {
    "district": gettext_noop("same district"),
    "city": gettext_noop("same city"),
    "province": gettext_noop("same province"),
}


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "m-d H:i")


def category_names() -> dict[str, str]:
    """Product categories by code, as people name them (空气压缩机, not air_compressor)."""
    return dict(categories().values_list("code", "name"))


def _points(points: float) -> str:
    """A part of the score as the panel shows it: "+30", "−6", "−9.5"."""
    if not points:
        return ""
    text = f"{abs(points):.1f}".removesuffix(".0")
    return f"+{text}" if points > 0 else f"−{text}"


def reason_message(reason: rules.Reason, names: dict[str, str] | None = None) -> str:
    """One reason for a rank, in words a dispatcher reads at a glance (places and categories by
    their names; `names`: the categories', when the caller read them already)."""
    code, value = reason.code, reason.value
    if code == "serves_region":
        return _("Covers the customer's region %(region)s") % {"region": region_name(value)}
    if code == "distance_band":
        return _("Distance: %(band)s") % {"band": _(BAND_LABELS.get(value, value))}
    if code == "at_center":
        return _("Works at %(center)s, where the unit is") % {"center": value}
    if code == "has_skill":
        named = (names if names is not None else category_names()).get(value, value)
        return _("Trained for %(category)s") % {"category": named}
    if code == "load_today":
        booked, capacity = value
        return _("%(booked)d of %(capacity)d visits booked today") % {
            "booked": booked,
            "capacity": capacity,
        }
    if code == "load_that_day":
        day, booked, capacity = value
        return _("%(booked)d of %(capacity)d visits booked on %(day)s") % {
            "booked": booked,
            "capacity": capacity,
            "day": date_format(day, "m-d"),
        }
    if code == "earliest_slot":
        return _("Free from %(when)s") % {"when": _when(value)}
    if code == "repeat_history" and value == "repeats_own_repair":
        return _("This job repeats their own repair: a colleague takes a second look")
    if code == "repeat_history":
        return _("Worked on this unit before")
    if code == "preferred_time":
        wish, inside = value
        words = {"wish": wish.text, "window": wish_label(wish)}
        if inside:
            return _("In the customer's wished time: %(wish)s (%(window)s)") % words
        return _("Outside the customer's wished time: %(wish)s (%(window)s)") % words
    return code


def reason_parts(reason: rules.Reason, names: dict[str, str] | None = None) -> dict[str, str]:
    """A reason with what it adds to the score: the panel's explained score."""
    return {"text": reason_message(reason, names), "points": _points(reason.points)}


def wish_label(wish: Any) -> str:
    """A wished window as the desk reads it: "11-19 08:00–12:00"."""
    start, end = timezone.localtime(wish.start), timezone.localtime(wish.end)
    return f"{date_format(start, 'm-d H:i')}–{date_format(end, 'H:i')}"


def suggestion_json(
    suggestion: rules.Suggestion, names: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "technician": suggestion.technician,
        "score": suggestion.score,
        "earliest_slot": suggestion.earliest_slot,
        "reasons": [
            {"code": r.code, "message": reason_message(r, names)} for r in suggestion.reasons
        ],
    }


def technician_json(
    user: User, *, load_today: int = 0, calendar_url: str | None = None, detail: bool = False
) -> dict[str, Any]:
    profile, center = selectors.profile_of(user), selectors.home_center(user)
    body: dict[str, Any] = {
        "username": user.username,
        "name": display_name(user),
        "center": center.code if center else None,
        "skills": list(profile.skills),
        "regions": list(profile.regions) or list(center.regions if center else []),
        "active": selectors.is_dispatchable(user),
        "load_today": load_today,
    }
    if detail:
        body.update(daily_capacity=profile.daily_capacity, calendar_url=calendar_url)
    return body


def call_ahead_script(work_order: Any) -> str:
    """What the technician says when calling ahead (DOMAIN.md §3): greeting, name, company,
    the proposed time; the customer agrees or asks for another window."""
    customer = work_order.ticket.customer
    technician = work_order.technician
    start, end = work_order.appointment_start, work_order.appointment_end
    when = (
        _("%(start)s to %(end)s")
        % {"start": _when(start), "end": date_format(timezone.localtime(end), "H:i")}
        if start and end
        else _("a time that suits you")
    )
    return _(
        "Hello %(customer)s, this is %(technician)s, service engineer of %(company)s. About your "
        "service request %(ticket)s: may I come %(when)s? If that does not suit you, which time "
        "would?"
    ) % {
        "customer": customer.name,
        "technician": display_name(technician) if technician else _("your engineer"),
        "company": settings.COMPANY_NAME,
        "ticket": work_order.ticket.number,
        "when": when,
    }


def calendar_ics(user: User, jobs: list[Any]) -> bytes:
    """An RFC 5545 calendar of a technician's appointments, times with their time zone (a
    VTIMEZONE is included), one VEVENT per job, cancelled jobs marked CANCELLED so that
    calendar apps remove them."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Aftersales//Technician appointments//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Visits of %(name)s") % {"name": display_name(user)})
    for job in jobs:
        customer = job.ticket.customer
        event = Event()
        event.add("uid", f"{job.number}@aftersales")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(job.appointment_start))
        event.add("dtend", timezone.localtime(job.appointment_end))
        model = job.unit.model.name if job.unit else ""
        event.add("summary", f"{job.number} {customer.name} {model}".strip())
        if customer.address:
            event.add("location", customer.address)
        event.add("description", f"{customer.phone}\n{job.ticket.description}".strip())
        event.add("status", "CANCELLED" if job.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
