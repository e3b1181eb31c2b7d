"""The reports as workbooks (CONTRACT.md "Reports", last bullet; `core.xlsx` writes them): the
KPIs one row per figure (its name in the reader's language, its value: rates as percentages,
money as amounts), the technicians and the faults one row per item as their JSON lists."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.core import xlsx
from aftersales.dispatch.models import ServiceCenter
from aftersales.reports.presenters import CARDS
from aftersales.reports.selectors import report_period
from aftersales.tickets.models import Channel, Kind

# How each kind of figure is shown in a cell (the dashboard's cards' kinds).
CELL: dict[str, Callable[[Any], Any]] = {
    "rate": lambda value: xlsx.Formatted(value, xlsx.PERCENT),
    "money": lambda value: xlsx.Formatted(Decimal(value), xlsx.MONEY),  # "840.00": a number
}


def _cell(kind: str, value: Any) -> Any:
    return CELL.get(kind, lambda v: v)(value)


def _rate(value: float | None) -> Any:
    return _cell("rate", value)


def kpi_sheet(figures: dict[str, Any]) -> xlsx.Sheet:
    """The KPIs' answer as rows of (figure, value): the period and the center first, the
    requests by channel and by kind under the requests created, the number of scores under the
    satisfaction, in the dashboard's order."""
    center = figures["center"]
    name = ServiceCenter.objects.filter(code=center).values_list("name", flat=True).first()
    rows: list[list[Any]] = [
        [_("Period from"), figures["from"]],
        [_("Period to"), figures["to"]],
        [_("Service center"), name or center or _("All centers")],
    ]
    channels, kinds = dict(Channel.choices), dict(Kind.choices)
    for key, label, kind, _better in CARDS:
        rows.append([str(label), _cell(kind, figures[key])])
        if key == "tickets_created":
            rows += [
                [f"{label} · {channels.get(code, code)}", n]
                for code, n in figures["by_channel"].items()
            ]
            rows += [
                [f"{label} · {kinds.get(code, code)}", n] for code, n in figures["by_kind"].items()
            ]
        if key == "csat_avg":
            rows.append([_("Satisfaction scores"), figures["csat_count"]])
    return xlsx.Sheet(title=_("KPIs"), header=[_("Figure"), pgettext("kpi", "Value")], rows=rows)


def technician_sheet(items: list[dict[str, Any]]) -> xlsx.Sheet:
    header = [
        _("Technician"),
        _("Name"),
        _("Work orders completed"),
        _("First-time fix rate"),
        _("Repeat repairs"),
        _("Average satisfaction"),
        _("On-time arrival rate"),
        _("Reschedules"),
    ]
    rows = (
        [
            row["technician"],
            row["name"],
            row["work_orders_completed"],
            _rate(row["first_time_fix_rate"]),
            row["repeat_repairs"],
            row["csat_avg"],
            _rate(row["on_time_arrival_rate"]),
            row["reschedules"],
        ]
        for row in items
    )
    return xlsx.Sheet(title=_("Technicians"), header=header, rows=rows)


def fault_sheet(items: list[dict[str, Any]]) -> xlsx.Sheet:
    header = [
        _("Model"),
        _("Part"),
        _("Fault code"),
        _("Work orders"),
        _("Units registered"),
        _("Rate"),
    ]
    rows = (
        [
            row["model"],
            row["part"],
            row["fault_code"],
            row["count"],
            row["units_registered"],
            _rate(row["rate"]),
        ]
        for row in items
    )
    return xlsx.Sheet(title=_("Faults"), header=header, rows=rows)


def response(name: str, first: date | None, last: date | None, sheet: xlsx.Sheet) -> FileResponse:
    """The report's workbook, named by the report and its period (`kpis-2026-12-01-2026-12-15.xlsx`)."""
    period = report_period(first, last)
    return xlsx.response(f"{name}-{period.first}-{period.last}.xlsx", [sheet])
