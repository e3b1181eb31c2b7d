"""How the technicians' scorecards and the center comparison read to people (the presenters of
/reports/technicians/ and /reports/centers/): each figure in the dashboard's words (percentages,
hours, ¥, "—" for none: reports.presenters' formatters) and the comparisons that read better
drawn as bars (reports.charts.bar_chart)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.reports import charts
from aftersales.reports.presenters import CARDS, FORMAT, count, percent, score

# A technician's columns: (figure, label, how it reads), as the technicians' workbook names them.
TECHNICIAN_COLUMNS: list[tuple[str, Any, Callable[[Any], str]]] = [
    ("work_orders_completed", gettext_lazy("Work orders completed"), count),
    ("first_time_fix_rate", gettext_lazy("First-time fix rate"), percent),
    ("repeat_repairs", gettext_lazy("Repeat repairs"), count),
    ("csat_avg", gettext_lazy("Average satisfaction"), score),
    ("on_time_arrival_rate", gettext_lazy("On-time arrival rate"), percent),
    ("reschedules", gettext_lazy("Reschedules"), count),
]


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Scorecard:
    rank: int
    technician: str  # the username
    name: str
    cells: list[Cell]


def _standing(item: dict[str, Any]) -> tuple[int, float]:
    """What a technician is ranked by: work orders completed, then first-time fix (none last)."""
    fixed = item["first_time_fix_rate"]
    return item["work_orders_completed"], -1.0 if fixed is None else fixed


def ranked(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The technicians most work orders completed first, then the better first-time fix rate,
    then by username (`items` comes by username); the same standing, the same rank."""
    order = sorted(items, key=_standing, reverse=True)  # stable: by username within a standing
    found: list[dict[str, Any]] = []
    for n, item in enumerate(order):
        same = n and _standing(order[n - 1]) == _standing(item)
        found.append({**item, "rank": found[-1]["rank"] if same else n + 1})
    return found


def scorecards(items: Sequence[dict[str, Any]]) -> list[Scorecard]:
    return [
        Scorecard(
            rank=item["rank"],
            technician=item["technician"],
            name=item["name"],
            cells=[
                Cell(key, str(label), says(item[key])) for key, label, says in TECHNICIAN_COLUMNS
            ],
        )
        for item in ranked(items)
    ]


def _percent_tick(value: float) -> str:
    return f"{value * 100:.0f}%"


def _rate_bars(
    key: str, title: str, bars: list[tuple[str, Any]], reference: tuple[str, Any] | None = None
) -> charts.BarChart:
    return charts.bar_chart(
        key=key,
        title=title,
        label=title,
        bars=bars,
        low=0,
        high=1,
        tick=_percent_tick,
        says=percent,
        reference=reference,
    )


def technician_charts(items: Sequence[dict[str, Any]]) -> list[charts.BarChart]:
    """The technicians side by side, in their ranking: work orders completed and first-time fix
    rate (a technician with nothing completed has no rate: no bar)."""
    order = ranked(items)
    return [
        charts.bar_chart(
            key="work_orders_completed",
            title=_("Work orders completed"),
            label=_("Work orders completed"),
            bars=[(item["name"], item["work_orders_completed"]) for item in order],
            low=0,
            high=None,
        ),
        _rate_bars(
            "first_time_fix_rate",
            _("First-time fix rate"),
            [(item["name"], item["first_time_fix_rate"]) for item in order],
        ),
    ]


@dataclass(frozen=True)
class CenterRow:
    code: str | None  # None: the requests of no center, or every center together
    name: str
    cells: list[Cell]


def _center_name(row: dict[str, Any]) -> str:
    return row["name"] or _("No service center")


def _center_cells(figures: dict[str, Any]) -> list[Cell]:
    return [Cell(key, str(label), FORMAT[kind](figures[key])) for key, label, kind, _ in CARDS]


def center_table(compared: dict[str, Any]) -> tuple[list[CenterRow], CenterRow]:
    """One row per center (the KPIs in the dashboard's order and words), and every center's."""
    rows = [
        CenterRow(code=row["center"], name=_center_name(row), cells=_center_cells(row))
        for row in compared["centers"]
    ]
    every = CenterRow(code=None, name=_("Every center"), cells=_center_cells(compared["all"]))
    return rows, every


def center_charts(compared: dict[str, Any]) -> list[charts.BarChart]:
    """The main rates side by side, one bar per center, every center's as a line across: the
    response SLA met, first-time fix, repeat repairs within 90 days, satisfaction."""
    rows, every = compared["centers"], compared["all"]

    def bars(key: str) -> list[tuple[str, Any]]:
        return [(_center_name(row), row[key]) for row in rows]

    def across(key: str) -> tuple[str, Any]:
        return (_("Every center"), every[key])

    found = [
        _rate_bars(key, title, bars(key), across(key))
        for key, title in (
            ("response_sla_met_rate", _("Response SLA met")),
            ("first_time_fix_rate", _("First-time fix rate")),
            ("repeat_repair_rate_90d", _("Repeat repairs within 90 days")),
        )
    ]
    found.append(
        charts.bar_chart(
            key="csat_avg",
            title=_("Customer satisfaction (1–5)"),
            label=_("Customer satisfaction"),
            bars=bars("csat_avg"),
            low=0,
            high=5,
            step=1,
            says=score,
            reference=across("csat_avg"),
        )
    )
    return found
