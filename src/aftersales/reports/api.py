"""The reports (CONTRACT.md "Reports"): the KPIs of a period, the technicians' figures and the
fault statistics — read by admin, finance, archive and the technical center for every center, by
a branch manager for its own (reports.selectors)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from aftersales.core import xlsx
from aftersales.core.api import Answer, require_staff
from aftersales.core.payloads import Day
from aftersales.reports import exports, presenters, selectors

router = Router(tags=["reports"])


class PeriodQuery(Schema):
    """`from` and `to`: local dates, both included (default: this month so far), each within the
    API's bounds of a date (docs/api.md "Bounds")."""

    from_: Day | None = Field(None, alias="from")
    to: Day | None = None


class CenterQuery(PeriodQuery):
    center: str | None = None


class FaultQuery(PeriodQuery):
    model: str | None = None
    category: str | None = None


class KpisOut(Answer):
    from_: date = Field(alias="from")
    to: date
    center: str | None
    tickets_created: int
    by_channel: dict[str, int]
    by_kind: dict[str, int]
    response_sla_met_rate: float | None
    resolution_sla_met_rate: float | None
    work_orders_completed: int
    first_time_fix_rate: float | None
    repeat_repair_rate_90d: float | None
    avg_turnaround_hours: float | None
    csat_avg: float | None
    csat_count: int
    complaint_rate: float | None
    fees_collected: str
    fees_waived: str


class TechnicianRow(Answer):
    technician: str
    name: str
    work_orders_completed: int
    first_time_fix_rate: float | None
    repeat_repairs: int
    csat_avg: float | None
    on_time_arrival_rate: float | None
    reschedules: int


class TechniciansOut(Answer):
    items: list[TechnicianRow]


class FaultRow(Answer):
    model: str | None
    part: str | None
    fault_code: str | None
    count: int
    units_registered: int
    rate: float | None


class FaultsOut(Answer):
    items: list[FaultRow]


class TrendPoint(Answer):
    from_: date = Field(alias="from")
    to: date


class TrendsOut(Answer):
    """The dashboard's trends (docs/api.md "Reports"): one value per point in each series."""

    from_: date = Field(alias="from")
    to: date
    center: str | None
    step: str  # day, or week (Monday to Sunday, cut to the period) beyond 62 days
    points: list[TrendPoint]
    series: dict[str, Any]


@router.get("/reports/kpis", response=KpisOut, by_alias=True)
def report_kpis(request: HttpRequest, query: Query[CenterQuery], format: xlsx.Format = None) -> Any:
    """The KPIs of a period, of one center or of every center; `?format=xlsx` (or `Accept` the
    XLSX type): a workbook, one row per figure."""
    user = require_staff(request)
    figures = selectors.kpis(user, first=query.from_, last=query.to, center=query.center)
    if xlsx.wanted(request, format):
        return exports.response("kpis", query.from_, query.to, exports.kpi_sheet(figures))
    return figures


@router.get("/reports/technicians", response=TechniciansOut)
def report_technicians(
    request: HttpRequest, query: Query[CenterQuery], format: xlsx.Format = None
) -> Any:
    """Each technician of a center (of every center) with their figures for a period;
    `?format=xlsx` (or `Accept` the XLSX type): a workbook, one row per technician."""
    user = require_staff(request)
    items = selectors.technicians(user, first=query.from_, last=query.to, center=query.center)
    if xlsx.wanted(request, format):
        sheet = exports.technician_sheet(items)
        return exports.response("technicians", query.from_, query.to, sheet)
    return {"items": items}


@router.get("/reports/faults", response=FaultsOut)
def report_faults(
    request: HttpRequest, query: Query[FaultQuery], format: xlsx.Format = None
) -> Any:
    """Fault statistics: the work orders diagnosed in a period by model, fault code and part;
    `?format=xlsx` (or `Accept` the XLSX type): a workbook, one row per item."""
    user = require_staff(request)
    items = selectors.faults(
        user, first=query.from_, last=query.to, model=query.model, category=query.category
    )
    if xlsx.wanted(request, format):
        return exports.response("faults", query.from_, query.to, exports.fault_sheet(items))
    return {"items": items}


@router.get("/reports/trends", response=TrendsOut, by_alias=True)
def report_trends(request: HttpRequest, query: Query[CenterQuery]) -> Any:
    """The KPIs of a period point by point, by day (by week beyond 62 days): what the
    dashboard's charts draw, one mark per value that is not null."""
    user = require_staff(request)
    found = selectors.trends(user, first=query.from_, last=query.to, center=query.center)
    return presenters.trends_json(found)


class ComplaintCauseRow(Answer):
    root_cause: str | None
    responsibility: str | None
    count: int
    capa_open: int
    capa_overdue: int
    capa_done: int


class ComplaintCausesOut(Answer):
    from_: date = Field(alias="from")
    to: date
    center: str | None
    resolved: int
    without_capa: int
    capa_open: int
    capa_overdue: int
    capa_done: int
    items: list[ComplaintCauseRow]


@router.get("/reports/complaints", response=ComplaintCausesOut, by_alias=True)
def report_complaints(
    request: HttpRequest, query: Query[CenterQuery], format: xlsx.Format = None
) -> Any:
    """Lessons from complaints: those resolved in a period by root cause × responsibility, with
    their corrective actions open, overdue and done; `?format=xlsx` (or `Accept` the XLSX type):
    a workbook, one row per item."""
    user = require_staff(request)
    found = selectors.complaint_causes(user, first=query.from_, last=query.to, center=query.center)
    if xlsx.wanted(request, format):
        sheet = exports.complaint_cause_sheet(found["items"])
        return exports.response("complaints", query.from_, query.to, sheet)
    return found
