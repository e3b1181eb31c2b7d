"""Field service endpoints: the technicians with their load, their calendar feed, who can take a
job, and the daily hand-in."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from aftersales.core.api import PageQuery, require_staff
from aftersales.core.errors import InvalidInput
from aftersales.core.models import AccessKind
from aftersales.core.pagination import keyset_page
from aftersales.core.payloads import Day, read_value
from aftersales.core.presenters import display_name
from aftersales.core.services import record_access
from aftersales.dispatch import selectors
from aftersales.dispatch.rules import previous_working_day
from aftersales.field import presenters, services
from aftersales.field.hand_in import hand_in_day, hand_in_report, hand_in_report_centers
from aftersales.field.selectors import feed_jobs, loads_on, reschedule_counts
from aftersales.field.suggestions import suggestions_for
from aftersales.workorders.selectors import work_order_get_for

router = Router(tags=["dispatch"])


# --- technicians, suggestions, calendar feed ----------------------------------------------------


@router.get("/technicians", tags=["dispatch"])
def list_technicians(
    request: HttpRequest,
    page: Query[PageQuery],
    center: str | None = None,
    skill: str | None = None,
    active: bool | None = None,
) -> Any:
    """Technicians with skills, area and the visits booked for them today, by username, in
    pages like every list."""
    require_staff(request)
    found = selectors.technicians(center=center, skill=skill, active=active)
    body = keyset_page(found, limit=page.limit, cursor=page.cursor, order="username")
    loads = loads_on(body["items"], timezone.localdate())
    body["items"] = [
        presenters.technician_json(u, load_today=loads.get(u.pk, 0)) for u in body["items"]
    ]
    return body


@router.get("/technicians/{username}", tags=["dispatch"])
def get_technician(request: HttpRequest, username: str) -> Any:
    """One technician; `calendar_url` only for themself, their branch manager and admins."""
    by = require_staff(request)
    user = selectors.technician_get(username)
    loads = loads_on([user], timezone.localdate())
    url = None
    if selectors.may_see_calendar_key(by, user):
        url = request.build_absolute_uri(
            reverse("api:technician_calendar", kwargs={"username": user.username})
            + f"?key={selectors.profile_key(user)}"
        )
    body = presenters.technician_json(
        user, load_today=loads.get(user.pk, 0), calendar_url=url, detail=True
    )
    body["reschedules_30d"] = reschedule_counts(user, days=30)
    return body


@router.get(
    "/technicians/{username}/calendar.ics",
    auth=None,
    url_name="technician_calendar",
    tags=["dispatch"],
    response={200: None},
)
def technician_calendar(request: HttpRequest, username: str, key: str = "") -> HttpResponse:
    """The technician's appointments as an iCalendar feed; the secret key is the only credential
    (a wrong or missing key answers like an unknown technician)."""
    user = selectors.technician_by_key(username, key)
    jobs = feed_jobs(user, since=timezone.now() - timedelta(days=30))
    record_access(request, kind=AccessKind.LIST_EXPORT, subject="calendar.ics", by=user)
    return HttpResponse(
        presenters.calendar_ics(user, jobs), content_type="text/calendar; charset=utf-8"
    )


@router.get(
    "/work-orders/{number}/suggestions",
    tags=["dispatch"],
)
def work_order_suggestions(request: HttpRequest, number: str) -> Any:
    """The technicians who can take this job, best first, with the reasons for each rank."""
    work_order = work_order_get_for(require_staff(request), number)
    names = presenters.category_names()
    return {"items": [presenters.suggestion_json(s, names) for s in suggestions_for(work_order)]}


# --- daily hand-in (交单) -------------------------------------------------------------------------


def _hand_in_item(row: Any) -> dict[str, Any]:
    """One technician's hand-in for the day: what they handed in (`sheets`, `fees`: null until
    they do) beside what the system counted (`expected_sheets`, `expected_fees`)."""
    hand_in, center = row.hand_in, row.center
    return {
        "technician": row.technician.username,
        "name": display_name(row.technician),
        "center": center.code if center else None,
        "status": row.status,
        "deadline": row.deadline,
        "handed_in_at": hand_in.handed_in_at if hand_in else None,
        "sheets": hand_in.sheets if hand_in else None,
        "fees": f"{hand_in.fees:.2f}" if hand_in else None,
        "note": hand_in.note if hand_in else "",
        "expected_sheets": row.sheets,
        "expected_fees": f"{row.fees:.2f}",
        "unfinished": [
            {"work_order": wo.number, "reason": reason or None, "status": wo.status}
            for wo, reason in row.unfinished_reasons
        ],
    }


def _hand_in_date(value: str | None, default: Any) -> Any:
    return read_value(Day, "day", value) if value else default


@router.get("/hand-ins", tags=["dispatch"])
def list_hand_ins(request: HttpRequest, day: str | None = None, center: str | None = None) -> Any:
    """Who has handed in the day's sheets and fees, and who has not (missing first). `day`
    defaults to the previous working day; a branch manager sees their own center."""
    by = require_staff(request)
    hand_in_report_centers(by, center)  # 403 / 404 / 422 before parsing the day
    default = _previous_working_day(by)
    report = hand_in_report(_hand_in_date(day, default), center, by=by)
    return {
        "day": report.day.isoformat(),
        "deadline": report.deadline,
        "items": [_hand_in_item(r) for r in report.rows],
    }


def _previous_working_day(user: User) -> Any:
    """The previous working day of the caller's center calendar."""
    return previous_working_day(
        timezone.localdate(), selectors.calendar_of(selectors.center_of(user))
    )


class HandInIn(Schema):
    day: str
    sheets: int | None = None
    fees: str | float | None = None
    note: str | None = None
    technician: str | None = None  # an admin or branch manager handing in for a technician


@router.post(
    "/hand-ins",
    tags=["dispatch"],
    response={201: dict},
)
def submit_hand_in(request: HttpRequest, payload: HandInIn) -> Any:
    """The caller's hand-in for a day (sheets and fees default to what the system counted); a
    correction before the deadline replaces it, after it 409 `duplicate`."""
    from ninja import Status

    by = require_staff(request)
    technician = by
    if payload.technician and payload.technician != by.username:
        named = User.objects.filter(username=payload.technician).first()
        if named is None:
            raise InvalidInput.field(
                "technician", _("No user %(username)s.") % {"username": payload.technician}
            )
        technician = named
    day = read_value(Day, "day", payload.day)
    services.hand_in_submit(
        technician=technician,
        day=day,
        by=by,
        sheets=payload.sheets,
        fees=payload.fees,
        note=payload.note or "",
    )
    row = hand_in_day(technician, day)
    return Status(201, {"day": day.isoformat(), **_hand_in_item(row)})
