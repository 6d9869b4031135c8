"""The geometry of one project's chart of one indicator over the rounds, with its goal line.

Drawn as SVG by ``templates/measurements/includes/chart.html`` – no script, colours from the
stylesheet. A chart only ever holds one local project's own values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Unit
from .values import format_number, format_value

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 32, 56


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str

    @property
    def label_y(self) -> float:
        return round(self.y - 14, 1)


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

    @property
    def y_label_x(self) -> int:
        return self.left - 10

    @property
    def x_label_y(self) -> int:
        return self.bottom + 30

    @property
    def goal_label_y(self) -> float | None:
        return round(self.goal.position - 8, 1) if self.goal else None

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
    return chart
