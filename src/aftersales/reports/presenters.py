"""How the reports read to people on the dashboard: each KPI as a card (its value, the previous
period's beside it and the change, in the UI language: percentages, hours, ¥, "—" for none)
and the trends as charts (reports.charts)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from aftersales.reports import charts
from aftersales.reports.rules import Bucket
from aftersales.reports.selectors import Trends
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


def cards(current: dict[str, Any], previous: dict[str, Any]) -> list[Card]:
    found = []
    for key, label, kind, better in CARDS:
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
    """The dashboard's charts: requests by channel and by kind, response SLA met, first-time
    fix, repeat repairs, CSAT, complaints and fees."""
    points = trends.points
    return [
        _count_chart(
            "created_by_channel",
            _("Requests created by channel"),
            points,
            trends.created_by_channel,
            dict(Channel.choices),
        ),
        _count_chart(
            "created_by_kind",
            _("Requests created by kind"),
            points,
            trends.created_by_kind,
            dict(Kind.choices),
        ),
        _rate_chart(
            "response_sla_met", _("Response SLA met"), points, trends.rates(trends.response_sla_met)
        ),
        _rate_chart(
            "first_time_fix", _("First-time fix rate"), points, trends.rates(trends.first_time_fix)
        ),
        _rate_chart(
            "repeat_repairs",
            _("Repeat repairs within 90 days"),
            points,
            trends.rates(trends.repeat_repairs),
        ),
        charts.line_chart(
            key="csat",
            title=_("Customer satisfaction (1–5)"),
            points=points,
            series=[(_("Customer satisfaction"), trends.means(trends.csat))],
            low=1,
            high=5,
            step=1,
            says=lambda v: f"{v:.2f}",
        ),
        charts.line_chart(
            key="complaints",
            title=_("Complaints received"),
            points=points,
            series=[(_("Complaints received"), trends.complaints)],
            low=0,
            high=None,
        ),
        charts.line_chart(
            key="fees_collected",
            title=_("Fees collected"),
            points=points,
            series=[(_("Fees collected"), [float(fee) for fee in trends.fees_collected])],
            low=0,
            high=None,
            tick=lambda v: f"¥{v:,.0f}",
            says=lambda v: f"¥{v:,.2f}",
        ),
    ]
