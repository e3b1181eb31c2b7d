"""The reports as workbooks (CONTRACT.md "Reports", last bullet; `core.xlsx` writes them): the
KPIs one row per figure (its name in the reader's language, its value: rates as percentages,
money as amounts), the technicians and the faults one row per item as their JSON lists; and the
report pages' own (their export buttons): the center comparison one row per center, a figure's
list one row per request, work order or score."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from aftersales.complaints.models import Complaint
from aftersales.core import xlsx
from aftersales.dispatch.models import ServiceCenter
from aftersales.reports.presenters import CARDS, NONE, Cell, figure_columns
from aftersales.reports.selectors import FigureList, report_period
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


def centers_sheet(compared: dict[str, Any]) -> xlsx.Sheet:
    """The center comparison (`selectors.centers_compared`): one row per center as the page
    lists them (the requests of no center last, when there are any), then every center's; a
    column per KPI in the dashboard's order and words, its cells as `kpi_sheet`'s."""
    columns = [(key, kind) for key, _label, kind, _better in CARDS]

    def row(name: str, figures: dict[str, Any]) -> list[Any]:
        return [name, *(_cell(kind, figures[key]) for key, kind in columns)]

    rows = [row(item["name"] or _("No service center"), item) for item in compared["centers"]]
    rows.append(row(_("Every center"), compared["all"]))
    header = [_("Service center"), *(str(label) for _key, label, _kind, _better in CARDS)]
    return xlsx.Sheet(title=_("Centers compared"), header=header, rows=rows)


# The sheet's title for each subject of a figure's list (its page's title is too long for one).
FIGURE_SHEETS = {
    "requests": gettext_lazy("Requests"),
    "jobs": gettext_lazy("Work orders"),
    "scores": gettext_lazy("Low scores"),
}


def _figure_value(cell: Cell) -> Any:
    """A cell of a figure's list as a workbook holds it: its time or number (money with its
    format, to be summed), else its words — an empty cell for none."""
    if isinstance(cell.value, Decimal):
        return xlsx.Formatted(cell.value, xlsx.MONEY)
    if cell.value is not None:
        return cell.value
    return None if cell.text == NONE else cell.text


def figure_sheet(found: FigureList) -> xlsx.Sheet:
    """Every row of a figure's list (`FigureList.every_row`, not only the page's first ones),
    under the page's header."""
    header, cells = figure_columns(found.subject)
    rows = ([_figure_value(cell) for cell in cells(item)] for item in found.every_row())
    return xlsx.Sheet(title=str(FIGURE_SHEETS[found.subject]), header=header, rows=rows)


def response(name: str, first: date | None, last: date | None, sheet: xlsx.Sheet) -> FileResponse:
    """The report's workbook, named by the report and its period (`kpis-2026-12-01-2026-12-15.xlsx`)."""
    period = report_period(first, last)
    return xlsx.response(f"{name}-{period.first}-{period.last}.xlsx", [sheet])


def complaint_cause_sheet(items: list[dict[str, Any]]) -> xlsx.Sheet:
    """The lessons from complaints (`selectors.complaint_causes`): one row per root cause ×
    responsibility, in words ("Not recorded" where the complaint has no lesson yet)."""
    causes, sides = dict(Complaint.RootCause.choices), dict(Complaint.Responsibility.choices)
    header = [
        _("Root cause"),
        _("Responsibility"),
        _("Complaints resolved"),
        _("Corrective actions open"),
        _("Of which overdue"),
        _("Corrective actions done"),
    ]
    unknown = _("Not recorded")
    rows = (
        [
            str(causes.get(row["root_cause"], unknown)),
            str(sides.get(row["responsibility"], unknown)),
            row["count"],
            row["capa_open"],
            row["capa_overdue"],
            row["capa_done"],
        ]
        for row in items
    )
    return xlsx.Sheet(title=_("Complaint causes"), header=header, rows=rows)
