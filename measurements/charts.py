"""The geometry of one project's chart of one indicator over the rounds, with its goal line,
and of a sparkline; and both drawn as SVG (:func:`chart_svg`, :func:`sparkline_svg`).

No script, no inline style, colours from the stylesheet. A chart only ever holds one local
project's own values. The goal line's label is put where it covers no value label
(:meth:`Chart.place_goal_label`).

The SVG is written here rather than by a template: a chart is some forty elements, which the
template engine took about a millisecond to render, and each page draws a dozen of them or
hundreds of sparklines. It is the same markup: ``role="img"`` with ``<title>`` and ``<desc>``
for screen readers (the table beside each picture holds the same numbers); coordinates are
never localised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .models import Unit
from .numbers import format_number, format_value

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 32, 56
#: The labels' font size (``.np-chart__value``, ``.np-chart__goal-label`` in the stylesheet,
#: in the units of the viewBox) and a generous estimate of a character's width, ascent and
#: descent, for keeping labels apart without a browser to measure them.
FONT_SIZE = 18
CHAR_WIDTH = 0.62 * FONT_SIZE
ASCENT, DESCENT = 0.8 * FONT_SIZE, 0.25 * FONT_SIZE
#: The goal label's distance from the goal line, above it (to the baseline) or below it (to
#: the top of the text).
GOAL_LABEL_GAP = 8
POINT_RADIUS = 5


@dataclass(frozen=True)
class Box:
    """A rectangle in the chart's coordinates (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlap(self, other: Box) -> float:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width * height if width > 0 and height > 0 else 0.0


def text_box(text: str, *, x: float, y: float, anchor: str) -> Box:
    """The estimated box of ``text`` drawn at ``x``, baseline ``y``, with ``text-anchor``."""
    width = len(text) * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, y - ASCENT, left + width, y + DESCENT)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str

    @property
    def label_y(self) -> float:
        return round(self.y - 14, 1)

    @property
    def label_box(self) -> Box:
        return text_box(self.label, x=self.x, y=self.label_y, anchor="middle")

    @property
    def box(self) -> Box:
        r = POINT_RADIUS
        return Box(self.x - r, self.y - r, self.x + r, self.y + r)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    goal: Tick | None = None
    #: «Goal 6,0 %», drawn at (goal_label_x, goal_label_y) with goal_label_anchor: at the right
    #: end of the goal line above it unless a value label is there (see place_goal_label).
    goal_text: str = ""
    goal_label_x: float = 0
    goal_label_y: float | None = None
    goal_label_anchor: str = "end"

    @property
    def y_label_x(self) -> int:
        return self.left - 10

    @property
    def x_label_y(self) -> int:
        return self.bottom + 30

    @property
    def goal_label_box(self) -> Box | None:
        if self.goal is None or self.goal_label_y is None:
            return None
        return text_box(
            self.goal_text, x=self.goal_label_x, y=self.goal_label_y, anchor=self.goal_label_anchor
        )

    def place_goal_label(self) -> None:
        """Put the goal label at an end of the goal line, above or below it, where it covers
        no value label and no point: right above, left above, right below, left below, in
        that order; when every place covers something, the one that covers least."""
        assert self.goal is not None
        above = round(self.goal.position - GOAL_LABEL_GAP, 1)
        below = round(self.goal.position + GOAL_LABEL_GAP + ASCENT, 1)
        candidates = [
            (self.right, above, "end"),
            (self.left + GOAL_LABEL_GAP, above, "start"),
            (self.right, below, "end"),
            (self.left + GOAL_LABEL_GAP, below, "start"),
        ]
        occupied = [point.label_box for point in self.points] + [p.box for p in self.points]
        best, least = candidates[0], math.inf
        for x, y, anchor in candidates:
            box = text_box(self.goal_text, x=x, y=y, anchor=anchor)
            covered = sum(box.overlap(other) for other in occupied)
            if box.bottom > self.bottom:  # below the axis: on the round names
                covered += (box.bottom - self.bottom) * (box.right - box.left)
            if covered < least:
                best, least = (x, y, anchor), covered
            if covered == 0:
                break
        self.goal_label_x, self.goal_label_y, self.goal_label_anchor = best

    @property
    def line(self) -> str:
        """``points`` of the SVG polyline through the reported values."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) that divides ``span`` into about ``ticks`` parts."""
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def build_chart(
    *, rounds: list[str], values: list[Decimal | None], goal: Decimal | None, unit: str
) -> Chart:
    """``rounds`` are the round names in order, ``values`` the project's value in each."""
    chart = Chart()
    numbers = [float(v) for v in values if v is not None]
    if goal is not None:
        numbers.append(float(goal))
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    if high == low:
        high = low + 1
    step = nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if unit == Unit.PERCENT:
        high = min(high, 100.0)

    def y_of(number: float) -> float:
        return round(chart.bottom - (number - low) / (high - low) * (chart.bottom - chart.top), 1)

    tick = low
    while tick <= high + step / 1000:
        chart.y_ticks.append(Tick(y_of(tick), format_number(Decimal(str(round(tick, 6))))))
        tick += step
    slot = (chart.right - chart.left) / max(len(rounds), 1)
    xs = [round(chart.left + slot * (i + 0.5), 1) for i in range(len(rounds))]
    chart.x_ticks = [Tick(x, name) for x, name in zip(xs, rounds, strict=True)]
    chart.points = [
        Point(x, y_of(float(value)), format_value(value, unit))
        for x, value in zip(xs, values, strict=True)
        if value is not None
    ]
    if goal is not None:
        chart.goal = Tick(y_of(float(goal)), format_value(goal, unit))
        chart.goal_text = f"{gettext('Goal')} {chart.goal.label}"
        chart.place_goal_label()
    return chart


# --- Sparklines: one small picture per indicator, on its own scale ------------------------------

SPARK_WIDTH, SPARK_HEIGHT = 160, 48
SPARK_PAD_X, SPARK_PAD_Y = 6, 6
SPARK_RADIUS = 3


@dataclass(frozen=True)
class SparkPoint:
    x: float
    y: float
    label: str
    is_baseline: bool = False


@dataclass
class Sparkline:
    """A project's own values of one indicator over the rounds, without axes: the scale runs
    from the lowest to the highest of its own values and goal, so no two sparklines share one.
    ``goal_y`` is the goal line's height, ``baseline`` the point of the baseline round."""

    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT
    points: list[SparkPoint] = field(default_factory=list)
    goal_y: float | None = None
    radius: int = SPARK_RADIUS

    @property
    def baseline(self) -> SparkPoint | None:
        return next((p for p in self.points if p.is_baseline), None)

    @property
    def others(self) -> list[SparkPoint]:
        return [p for p in self.points if not p.is_baseline]

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def left(self) -> int:
        return SPARK_PAD_X

    @property
    def right(self) -> int:
        return self.width - SPARK_PAD_X


def build_sparkline(
    *,
    values: list[Decimal | None],
    goal: Decimal | None,
    unit: str,
    baseline_index: int | None = None,
) -> Sparkline:
    """``values`` are the project's value in each round, in order; ``baseline_index`` the
    baseline round's place among them. Only this project's own numbers set the scale."""
    spark = Sparkline()
    numbers = [float(v) for v in values if v is not None]
    if goal is not None:
        numbers.append(float(goal))
    if not numbers:
        return spark
    low, high = min(numbers), max(numbers)
    if high == low:  # a flat line in the middle
        low, high = low - 1, high + 1
    top, bottom = SPARK_PAD_Y, spark.height - SPARK_PAD_Y

    def y_of(number: float) -> float:
        return round(bottom - (number - low) / (high - low) * (bottom - top), 1)

    slot = (spark.right - spark.left) / max(len(values), 1)
    for index, value in enumerate(values):
        if value is None:
            continue
        spark.points.append(
            SparkPoint(
                round(spark.left + slot * (index + 0.5), 1),
                y_of(float(value)),
                format_value(value, unit),
                is_baseline=index == baseline_index,
            )
        )
    if goal is not None:
        spark.goal_y = y_of(float(goal))
    return spark


# --- SVG ------------------------------------------------------------------------------------------


def _labels(chart_id: str, title: str, description: str) -> str:
    return (
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">\n'
        f'  <title id="{escape(chart_id)}-title">{escape(title)}</title>\n'
        f'  <desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )


def chart_svg(
    chart: Chart, *, chart_id: str, title: str, description: str, stylesheet: str = ""
) -> SafeString:
    """``chart`` as an SVG element, named by ``title`` and described by ``description``.
    ``stylesheet`` only in a document for WeasyPrint, which applies no other stylesheet to an
    SVG (never in a page: the CSP)."""
    c = chart
    parts = [
        f'\n<svg class="np-chart" viewBox="0 0 {c.width} {c.height}" ',
        _labels(chart_id, title, description),
    ]
    if stylesheet:
        parts.append(f"\n  <style>{escape(stylesheet)}</style>")
    parts.append('\n  <g class="np-chart__grid">')
    parts += [
        f'\n    <line x1="{c.left}" x2="{c.right}" y1="{t.position}" y2="{t.position}"/>'
        for t in c.y_ticks
    ]
    parts.append(
        f'\n  </g>\n  <line class="np-chart__axis" x1="{c.left}" x2="{c.right}" '
        f'y1="{c.bottom}" y2="{c.bottom}"/>\n  <g class="np-chart__label" text-anchor="end">'
    )
    parts += [
        f'\n    <text x="{c.y_label_x}" y="{t.position}" dy="0.35em">{escape(t.label)}</text>'
        for t in c.y_ticks
    ]
    parts.append('\n  </g>\n  <g class="np-chart__label" text-anchor="middle">')
    parts += [
        f'\n    <text x="{t.position}" y="{c.x_label_y}">{escape(t.label)}</text>'
        for t in c.x_ticks
    ]
    parts.append("\n  </g>\n  ")
    if c.goal:
        parts.append(
            _goal_line("np-chart", c.left, c.right, c.goal.position)
            + f'\n  <text class="np-chart__goal-label" x="{c.goal_label_x}" y="{c.goal_label_y}" '
            f'text-anchor="{c.goal_label_anchor}">{escape(c.goal_text)}</text>'
        )
    parts.append(_values_line("np-chart", c.points, c.line))
    parts += [
        f'<circle class="np-chart__point" cx="{p.x}" cy="{p.y}" r="5"/>\n'
        f'  <text class="np-chart__value" x="{p.x}" y="{p.label_y}" text-anchor="middle">'
        f"{escape(p.label)}</text>\n  "
        for p in c.points
    ]
    parts.append("\n</svg>\n")
    return mark_safe("".join(parts))


def _goal_line(block: str, left, right, y) -> str:
    """The goal: a horizontal line across the plot (``<block>__goal``)."""
    return f'<line class="{block}__goal" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>'


def _values_line(block: str, points: list, line: str) -> str:
    """The line through the values (``<block>__line``; none for a single value), on a line
    of its own between the goal and the points."""
    polyline = f'<polyline class="{block}__line" points="{line}"/>' if len(points) > 1 else ""
    return f"\n  {polyline}\n  "


def sparkline_svg(spark: Sparkline, *, chart_id: str, title: str, description: str) -> SafeString:
    """``spark`` as an SVG element: the baseline as an open ring, the goal as a dashed line."""
    parts = [
        f'\n<svg class="np-spark" viewBox="0 0 {spark.width} {spark.height}" ',
        _labels(chart_id, title, description),
        "\n  ",
    ]
    if spark.goal_y is not None:
        parts.append(_goal_line("np-spark", spark.left, spark.right, spark.goal_y))
    parts.append(_values_line("np-spark", spark.points, spark.line))
    parts += [
        f'<circle class="np-spark__point" cx="{p.x}" cy="{p.y}" r="{spark.radius}"/>'
        for p in spark.others
    ]
    parts.append("\n  ")
    baseline = spark.baseline
    if baseline:
        parts.append(
            f'<circle class="np-spark__baseline" cx="{baseline.x}" cy="{baseline.y}" '
            f'r="{spark.radius + 1}"/>'
        )
    parts.append("\n</svg>\n")
    return mark_safe("".join(parts))
