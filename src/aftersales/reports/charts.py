"""Trend charts drawn on the server as SVG (no script, no library, no CDN: they print and work on
a phone): the geometry of a line chart — one mark per data point, axes with tick labels, a line
per series broken where a value is missing. Pure: values in, coordinates and words out; the
template (reports/partials/_chart.html) only writes them down."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import ceil

from django.utils.translation import gettext as _

from aftersales.reports.rules import Bucket

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28  # the plot's margins, for the axes' labels
MOST_X_LABELS = 8

Value = float | int | None


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    value: str  # the point's value as data (data-value)
    title: str  # what a pointer over it reads


@dataclass
class Line:
    label: str
    css: str  # series-0, series-1…: its colour (static/reports/dashboard.css)
    paths: list[str] = field(default_factory=list)  # polyline points, one per unbroken run
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Chart:
    key: str
    title: str
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def points(self) -> int:
        """How many marks the chart draws (one per data point with a value)."""
        return sum(len(line.marks) for line in self.lines)


def point_label(point: Bucket) -> str:
    """A point on the time axis: its day (MM-DD), or the first day of its week."""
    return point.first.strftime("%m-%d")


def point_title(point: Bucket) -> str:
    if point.first == point.last:
        return point.first.isoformat()
    return f"{point.first.isoformat()} – {point.last.isoformat()}"


def nice_top(largest: float) -> tuple[float, float]:
    """A round top for a count axis and its tick step (0–4: 4 by 1; 37: 40 by 10)."""
    if largest <= 4:
        return 4, 1
    step = 1.0
    while largest / step > 5:
        for factor in (2, 2.5, 2):  # 1, 2, 5, 10, 20, 50…
            step *= factor
            if largest / step <= 5:
                break
    return ceil(largest / step) * step, step


def line_chart(
    *,
    key: str,
    title: str,
    points: Sequence[Bucket],
    series: Sequence[tuple[str, Sequence[Value]]],
    low: float,
    high: float | None,
    step: float | None = None,
    tick: Callable[[float], str] = lambda v: f"{v:g}",
    says: Callable[[float], str] = lambda v: f"{v:g}",
) -> Chart:
    """A line chart of `series` (label, one value or None per point) over `points`, the value
    axis from `low` to `high` (None: a round top above the largest value, counting from 0)."""
    if high is None:
        largest = max((v for _, values in series for v in values if v is not None), default=0)
        high, step = nice_top(float(largest))
    step = step or (high - low) / 4
    plot_w, plot_h = WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(points), 1)

    def x_of(n: int) -> float:
        return round(LEFT + (n + 0.5) * slot, 1)

    def y_of(value: float) -> float:
        share = (value - low) / (high - low) if high > low else 0
        return round(TOP + plot_h * (1 - share), 1)

    lines = []
    for number, (label, values) in enumerate(series):
        line = Line(label=label, css=f"series-{number % 6}")
        run: list[str] = []
        for n, value in enumerate(values):
            if value is None:
                if run:
                    line.paths.append(" ".join(run))
                run = []
                continue
            x, y = x_of(n), y_of(float(value))
            run.append(f"{x},{y}")
            words = _("%(when)s · %(series)s: %(value)s") % {
                "when": point_title(points[n]),
                "series": label,
                "value": says(float(value)),
            }
            line.marks.append(Mark(x=x, y=y, value=f"{value:g}", title=words))
        if run:
            line.paths.append(" ".join(run))
        lines.append(line)

    every = max(1, ceil(len(points) / MOST_X_LABELS))
    x_ticks = [(x_of(n), point_label(p)) for n, p in enumerate(points) if n % every == 0]
    y_ticks = []
    value = low
    while value <= high + 1e-9:
        y_ticks.append((y_of(value), tick(value)))
        value += step
    return Chart(key=key, title=title, lines=lines, x_ticks=x_ticks, y_ticks=y_ticks)
