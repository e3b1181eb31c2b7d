"""How the reports read to people on the dashboard: each KPI as a card (its value, the previous
period's beside it and the change, in the UI language: percentages, hours, ¥, "—" for none)
and the trends as charts (reports.charts)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from aftersales.core.presenters import display_name
from aftersales.reports import charts, rules
from aftersales.reports.rules import Bucket
from aftersales.reports.selectors import FigureList, Trends
from aftersales.tickets.models import Channel, Kind

NONE = "—"


def percent(rate: float | None) -> str:
    return NONE if rate is None else f"{rate * 100:.1f}%"


def hours(value: float | None) -> str:
    return NONE if value is None else _("%(hours)s h") % {"hours": f"{value:.1f}"}


def yuan(amount: str | Decimal | None) -> str:
    return NONE if amount is None else f"¥{Decimal(amount):,.2f}"


def score(value: float | None) -> str:
    return NONE if value is None else f"{value:.2f}"


def count(value: int | None) -> str:
    return NONE if value is None else str(value)


def _signed(number: str, difference: float | Decimal) -> str:
    return number if difference < 0 else f"+{number}"


def change(kind: str, now: Any, before: Any) -> str:
    """The change from the previous period as people read it ("—" when either is none)."""
    if now is None or before is None:
        return NONE
    if kind == "rate":
        points = (now - before) * 100
        return _("%(points)s pts") % {"points": _signed(f"{points:.1f}", points)}
    if kind == "money":
        diff = Decimal(now) - Decimal(before)
        return _signed(f"¥{diff:,.2f}", diff).replace("¥-", "-¥")
    if kind == "hours":
        diff = now - before
        return _("%(hours)s h") % {"hours": _signed(f"{diff:.1f}", diff)}
    if kind == "score":
        diff = now - before
        return _signed(f"{diff:.2f}", diff)
    diff = now - before
    return _signed(str(diff), diff)


FORMAT: dict[str, Callable[[Any], str]] = {
    "count": count,
    "rate": percent,
    "hours": hours,
    "money": yuan,
    "score": score,
}

# (KPI, label, kind, which way is better: 1 up, -1 down, 0 neither), in the cards' order.
CARDS = [
    ("tickets_created", pgettext_lazy("kpi", "Requests created"), "count", 0),
    ("response_sla_met_rate", pgettext_lazy("kpi", "Response SLA met"), "rate", 1),
    ("resolution_sla_met_rate", pgettext_lazy("kpi", "Resolution SLA met"), "rate", 1),
    ("work_orders_completed", pgettext_lazy("kpi", "Work orders completed"), "count", 0),
    ("first_time_fix_rate", pgettext_lazy("kpi", "First-time fix rate"), "rate", 1),
    ("repeat_repair_rate_90d", pgettext_lazy("kpi", "Repeat repairs within 90 days"), "rate", -1),
    ("avg_turnaround_hours", pgettext_lazy("kpi", "Average turnaround"), "hours", -1),
    ("csat_avg", pgettext_lazy("kpi", "Customer satisfaction"), "score", 1),
    ("complaint_rate", pgettext_lazy("kpi", "Complaint rate"), "rate", -1),
    ("fees_collected", pgettext_lazy("kpi", "Fees collected"), "money", 0),
    ("fees_waived", pgettext_lazy("kpi", "Fees waived"), "money", 0),
]


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    previous: str
    change: str
    trend: str  # better, worse or "" (no change, none, or neither way is better)
    note: str = ""


def _trend(better: int, now: Any, before: Any) -> str:
    if not better or now is None or before is None:
        return ""
    diff = Decimal(str(now)) - Decimal(str(before))
    if not diff:
        return ""
    return "better" if (diff > 0) == (better > 0) else "worse"


def _note(key: str, figures: dict[str, Any]) -> str:
    """The detail under a card: the requests by kind, the number of scores."""
    if key == "tickets_created" and figures["by_kind"]:
        kinds = dict(Kind.choices)
        return " · ".join(f"{kinds.get(k, k)} {n}" for k, n in figures["by_kind"].items())
    if key == "csat_avg":
        scored = figures["csat_count"]
        return ngettext("%(count)d score", "%(count)d scores", scored) % {"count": scored}
    return ""


# The cards on the home of a role that reads reports but keeps no queue of requests: those of its
# trade (a manager's and an administrator's home shows them all).
HOME_CARDS = {
    "finance": ("fees_collected", "fees_waived", "work_orders_completed", "tickets_created"),
    "archive": ("work_orders_completed", "csat_avg", "fees_collected", "fees_waived"),
    "tech_center": (
        "first_time_fix_rate",
        "repeat_repair_rate_90d",
        "avg_turnaround_hours",
        "work_orders_completed",
    ),
}


def cards(
    current: dict[str, Any], previous: dict[str, Any], keys: Sequence[str] | None = None
) -> list[Card]:
    """The KPI cards of `current` beside `previous`, in the cards' order (only `keys`: those)."""
    found = []
    for key, label, kind, better in CARDS:
        if keys is not None and key not in keys:
            continue
        now, before = current[key], previous[key]
        found.append(
            Card(
                key=key,
                label=str(label),
                value=FORMAT[kind](now),
                previous=FORMAT[kind](before),
                change=change(kind, now, before),
                trend=_trend(better, now, before),
                note=_note(key, current),
            )
        )
    return found


def _percent_tick(value: float) -> str:
    return f"{value * 100:.0f}%"


def _rate_chart(
    key: str, title: str, points: Sequence[Bucket], values: Sequence[charts.Value]
) -> charts.Chart:
    """A rate's chart: one series from 0 to 100 %, named as its chart."""
    return charts.line_chart(
        key=key,
        title=title,
        points=points,
        series=[(title, values)],
        low=0,
        high=1,
        tick=_percent_tick,
        says=lambda v: percent(v),
    )


def _count_chart(
    key: str,
    title: str,
    points: Sequence[Bucket],
    counts: dict[str, list[int]],
    labels: dict[str, Any],
) -> charts.Chart:
    """Requests counted per point, one series per code (channel, kind) in people's words; an
    empty period still draws its axis, as one series of zeros."""
    series: list[tuple[str, Sequence[charts.Value]]] = [
        (str(labels.get(code, code)), values) for code, values in counts.items()
    ]
    return charts.line_chart(
        key=key,
        title=title,
        points=points,
        series=series or [(_("Requests created"), [0] * len(points))],
        low=0,
        high=None,
    )


def trend_charts(trends: Trends) -> list[charts.Chart]:
    """The dashboard's charts: requests by channel and by kind, response and resolution SLA
    met, first-time fix, turnaround, repeat repairs, CSAT, complaints and fees."""
    points = trends.points
    return [
        _count_chart(
            "created_by_channel",
            _("Requests created by channel"),
            points,
            trends.by("by_channel"),
            dict(Channel.choices),
        ),
        _count_chart(
            "created_by_kind",
            _("Requests created by kind"),
            points,
            trends.by("by_kind"),
            dict(Kind.choices),
        ),
        _rate_chart(
            "response_sla_met",
            _("Response SLA met"),
            points,
            trends.series("response_sla_met_rate"),
        ),
        _rate_chart(
            "resolution_sla_met",
            _("Resolution SLA met"),
            points,
            trends.series("resolution_sla_met_rate"),
        ),
        _rate_chart(
            "first_time_fix", _("First-time fix rate"), points, trends.series("first_time_fix_rate")
        ),
        charts.line_chart(
            key="turnaround",
            title=_("Average turnaround (hours)"),
            points=points,
            series=[(_("Average turnaround"), trends.series("avg_turnaround_hours"))],
            low=0,
            high=None,
            says=hours,
        ),
        _rate_chart(
            "repeat_repairs",
            _("Repeat repairs within 90 days"),
            points,
            trends.series("repeat_repair_rate_90d"),
        ),
        charts.line_chart(
            key="csat",
            title=_("Customer satisfaction (1–5)"),
            points=points,
            series=[(_("Customer satisfaction"), trends.series("csat_avg"))],
            low=1,
            high=5,
            step=1,
            says=lambda v: f"{v:.2f}",
        ),
        charts.line_chart(
            key="complaints",
            title=_("Complaints received"),
            points=points,
            series=[(_("Complaints received"), trends.counted("complaints"))],
            low=0,
            high=None,
        ),
        charts.line_chart(
            key="fees_collected",
            title=_("Fees collected"),
            points=points,
            series=[(_("Fees collected"), [float(fee) for fee in trends.series("fees_collected")])],
            low=0,
            high=None,
            tick=lambda v: f"¥{v:,.0f}",
            says=lambda v: f"¥{v:,.2f}",
        ),
    ]


# The KPIs the API's trends give point by point, as `kpis` rounds them.
SERIES = (
    "response_sla_met_rate",
    "resolution_sla_met_rate",
    "first_time_fix_rate",
    "repeat_repair_rate_90d",
    "avg_turnaround_hours",
    "csat_avg",
    "fees_collected",
)


def trends_json(trends: Trends) -> dict[str, Any]:
    """The trends as the API answers them: the points, and each series with one value per
    point, rounded as `kpis` rounds (a share or a mean of nothing is null; money as text)."""
    points = trends.points
    weekly = any(point.first != point.last for point in points)
    return {
        "from": points[0].first,
        "to": points[-1].last,
        "center": trends.center,
        "step": "week" if weekly else "day",
        "points": [{"from": point.first, "to": point.last} for point in points],
        "series": {
            "created_by_channel": trends.by("by_channel"),
            "created_by_kind": trends.by("by_kind"),
            **{kpi: trends.series(kpi) for kpi in SERIES},
            "complaints": trends.counted("complaints"),
        },
    }


# What the list behind each figure holds (reports.rules.FIGURE_SUBJECTS), as its page's title.
FIGURE_TITLES = {
    "tickets_created": pgettext_lazy("figure list", "Requests created"),
    "response_sla_met_rate": pgettext_lazy(
        "figure list", "Requests answered after their deadline, or not at all"
    ),
    "resolution_sla_met_rate": pgettext_lazy(
        "figure list", "Requests resolved after their deadline, or not yet and past it"
    ),
    "complaint_rate": pgettext_lazy("figure list", "Complaints received"),
    "work_orders_completed": pgettext_lazy("figure list", "Work orders completed"),
    "first_time_fix_rate": pgettext_lazy("figure list", "Repairs not fixed at the first try"),
    "repeat_repair_rate_90d": pgettext_lazy("figure list", "Repeat repairs within 90 days"),
    "avg_turnaround_hours": pgettext_lazy("figure list", "Work orders completed, slowest first"),
    "fees_collected": pgettext_lazy("figure list", "Work orders with fees collected"),
    "fees_waived": pgettext_lazy("figure list", "Work orders with fees waived"),
    "csat_avg": pgettext_lazy("figure list", "Low scores (3 or below)"),
}


def figure_title(key: str) -> str | None:
    title = FIGURE_TITLES.get(key)
    return None if title is None else str(title)


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    label: str = ""  # its column's name (a phone shows it beside the value)
    value: Any = None  # what a workbook holds (a time, a number); None: the text


def _when(moment: Any) -> str:
    return NONE if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _moment(moment: Any) -> Cell:
    return Cell(_when(moment), value=moment)


def _request(ticket: Any) -> Cell:
    if ticket is None:
        return Cell(NONE)
    return Cell(ticket.number, reverse("request_detail", args=[ticket.number]))


def _job(job: Any) -> Cell:
    if job is None:
        return Cell(NONE)
    return Cell(job.number, reverse("workorders:detail", args=[job.number]))


def _request_row(ticket: Any) -> list[Cell]:
    return [
        _request(ticket),
        _moment(ticket.created_at),
        Cell(ticket.get_kind_display()),
        Cell(ticket.get_channel_display()),
        Cell(ticket.get_status_display()),
        Cell(ticket.center.name if ticket.center else NONE),
        _moment(ticket.respond_by),
        _moment(ticket.responded_at),
    ]


def _job_row(job: Any) -> list[Cell]:
    turnaround = getattr(job, "turnaround", None)
    turnaround_hours = rules.hours(turnaround) if turnaround is not None else None
    return [
        _job(job),
        _request(job.ticket),
        Cell(display_name(job.technician) if job.technician else NONE),
        Cell(job.get_mode_display()),
        Cell(job.get_status_display()),
        _moment(job.handed_over_at),
        Cell(hours(turnaround_hours), value=turnaround_hours),
        Cell(yuan(job.paid), value=job.paid),
        Cell(yuan(job.waived), value=job.waived),
        Cell(count(job.rating), value=job.rating),
    ]


def _score_row(row: dict[str, Any]) -> list[Cell]:
    source = _("Rating at hand-over") if row["source"] == "hand_over" else _("Satisfaction survey")
    return [
        _moment(row["at"]),
        Cell(str(row["score"]), value=row["score"]),
        Cell(source),
        _request(row["ticket"]),
        _job(row["job"]),
    ]


def figure_table(found: FigureList) -> tuple[list[str], list[list[Cell]]]:
    """The list behind a figure as a table: its header and its rows, in people's words, each
    request and work order a link to its page."""
    header, row = figure_columns(found.subject)
    return header, [
        [replace(c, label=name) for name, c in zip(header, row(item), strict=True)]
        for item in found.rows
    ]


def figure_columns(subject: str) -> tuple[list[str], Callable[[Any], list[Cell]]]:
    """The columns of a figure's list of `subject` (requests, jobs, scores): their names, and
    what turns one of its rows into their cells."""
    if subject == "requests":
        header = [
            _("Request"),
            _("Created"),
            _("Kind"),
            _("Channel"),
            _("Status"),
            _("Service center"),
            _("Respond by"),
            _("Responded"),
        ]
        return header, _request_row
    if subject == "jobs":
        header = [
            _("Work order"),
            _("Request"),
            _("Technician"),
            _("Service mode"),
            _("Status"),
            _("Handed over"),
            _("Turnaround"),
            _("Paid"),
            _("Waived"),
            _("Rating"),
        ]
        return header, _job_row
    return [_("When"), _("Score"), _("Given as"), _("Request"), _("Work order")], _score_row
