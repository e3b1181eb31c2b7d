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


# Bar charts: one bar per thing compared (a technician, a center), side by side ----------------

BAR_ROW = 32  # the height of one thing's row
BAR_THICKNESS = 20
BAR_RIGHT = 84  # the value written after the longest bar ("100.0%")
BAR_TOP, BAR_BOTTOM = 8, 30  # the value axis's labels under the bars
NAME_EM = 22  # a wide character's width where the names are largest (a phone: dashboard.css)
NAME_WIDTH = 7  # at most this many wide (CJK) characters of a name, then it is cut


@dataclass(frozen=True)
class Bar:
    name: str  # the whole name (its <title> when cut)
    label: str  # the name as it fits on the left
    middle: float  # the row's vertical middle
    y: float  # the bar's top
    width: float | None  # None: no value for this one (no bar, "—")
    value: str  # the value as data (data-value; "" for none)
    says: str  # the value as people read it, written after the bar
    says_x: float  # where that is written
    title: str  # what a pointer over the bar reads

    @property
    def cut(self) -> bool:
        return self.label != self.name


@dataclass(frozen=True)
class Reference:
    """A vertical line across the bars: every center's figure, the team's…"""

    x: float
    label: str


@dataclass
class BarChart:
    key: str
    title: str
    label: str  # what the bars measure (the legend)
    bars: list[Bar]
    x_ticks: list[tuple[float, str]]
    reference: Reference | None = None
    css: str = "series-0"
    width: int = WIDTH
    height: int = 0
    left: int = 0
    right: int = WIDTH - BAR_RIGHT
    top: int = BAR_TOP
    bottom: int = 0
    label_x: int = 0
    tick_y: int = 0
    thickness: int = BAR_THICKNESS

    @property
    def points(self) -> int:
        """How many bars the chart draws (one per thing with a value)."""
        return sum(1 for bar in self.bars if bar.width is not None)


def _em(character: str) -> float:
    """How wide a character is, in wide characters: CJK and full-width forms a whole one, a
    Latin letter or a digit about half."""
    return 1 if ord(character) > 0x2E7F else 0.55


def fit_name(name: str, room: float = NAME_WIDTH) -> str:
    """`name` as it fits in `room` wide characters, cut with "…" when it does not."""
    used = 0.0
    for n, character in enumerate(name):
        used += _em(character)
        if used > room:
            return name[: max(n - 1, 1)] + "…"
    return name


def bar_chart(
    *,
    key: str,
    title: str,
    label: str,
    bars: Sequence[tuple[str, Value]],
    low: float,
    high: float | None,
    step: float | None = None,
    tick: Callable[[float], str] = lambda v: f"{v:g}",
    says: Callable[[float], str] = lambda v: f"{v:g}",
    reference: tuple[str, Value] | None = None,
) -> BarChart:
    """A horizontal bar chart: one row per (name, value) of `bars`, in their order, a bar from
    `low` to the value (none where the value is None: "—"), the value axis from `low` to `high`
    (None: a round top above the largest value, counting from 0); `reference` (its legend's
    words, a value) draws a line across the rows."""
    values = [v for _, v in bars if v is not None]
    if reference is not None and reference[1] is not None:
        values.append(reference[1])
    if high is None:
        high, step = nice_top(float(max(values, default=0)))
    step = step or (high - low) / 4
    widest = max((sum(_em(c) for c in name) for name, _ in bars), default=0)
    left = round(12 + NAME_EM * min(max(widest, 2), NAME_WIDTH))  # the names' room, no more
    right = WIDTH - BAR_RIGHT
    plot_w = right - left
    bottom = BAR_TOP + BAR_ROW * len(bars)

    def x_of(value: float) -> float:
        share = (value - low) / (high - low) if high > low else 0
        return round(left + plot_w * min(max(share, 0), 1), 1)

    drawn = []
    for n, (name, value) in enumerate(bars):
        middle = BAR_TOP + BAR_ROW * n + BAR_ROW / 2
        width = None if value is None else round(x_of(float(value)) - left, 1)
        words = "—" if value is None else says(float(value))
        drawn.append(
            Bar(
                name=name,
                label=fit_name(name),
                middle=middle,
                y=middle - BAR_THICKNESS / 2,
                width=width,
                value="" if value is None else f"{value:g}",
                says=words,
                says_x=round(left + (width or 0) + 6, 1),
                title=_("%(name)s: %(value)s") % {"name": name, "value": words},
            )
        )
    x_ticks = []
    value = low
    while value <= high + 1e-9:
        x_ticks.append((x_of(value), tick(value)))
        value += step
    line = None
    if reference is not None and reference[1] is not None:
        line = Reference(
            x=x_of(float(reference[1])),
            label=_("%(name)s: %(value)s")
            % {"name": reference[0], "value": says(float(reference[1]))},
        )
    return BarChart(
        key=key,
        title=title,
        label=label,
        bars=drawn,
        x_ticks=x_ticks,
        reference=line,
        height=bottom + BAR_BOTTOM,
        left=left,
        label_x=left - 8,
        bottom=bottom,
        tick_y=bottom + 22,
    )
