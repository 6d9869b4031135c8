"""The geometry of a horizontal bar chart: rows, each with a label above its bars (one bar per
series, e.g. baseline and end), drawn as SVG by ``templates/includes/bar_chart.html`` – no
script, no inline style, colours from the stylesheet (``.np-chart__bar--<series>``).

Same conventions as ``measurements/charts.py``: coordinates in the viewBox's units, labels
estimated without a browser. The chart is a picture of a table that is always shown beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 8, 72, 8, 8
FONT_SIZE = 16
CHAR_WIDTH = 0.6 * FONT_SIZE
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 14
LABEL_HEIGHT = FONT_SIZE + 6
#: A longer row label is cut (the table beside the chart has it whole).
LABEL_CHARACTERS = int((WIDTH - LEFT - 8) / CHAR_WIDTH)


@dataclass(frozen=True)
class Bar:
    series: int
    x: float
    y: float
    width: float
    height: float
    label: str  # the value as shown at the end of the bar

    @property
    def label_x(self) -> float:
        return round(self.x + self.width + 6, 1)

    @property
    def label_y(self) -> float:
        return round(self.y + self.height / 2, 1)


@dataclass(frozen=True)
class Row:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class BarChart:
    width: int = WIDTH
    height: int = 0
    left: int = LEFT
    rows: list[Row] = field(default_factory=list)
    series: list[str] = field(default_factory=list)

    @property
    def axis_bottom(self) -> int:
        return self.height - BOTTOM


def cut(text: str, characters: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= characters else text[: characters - 1].rstrip() + "…"


def build_bar_chart(
    *,
    rows: Sequence[tuple[str, Sequence[tuple[float | None, str]]]],
    maximum: float,
    series: Sequence[str] = ("",),
) -> BarChart:
    """``rows``: ``[(label, [(value, value label) per series])]``; a value None draws no bar
    (nothing to show) but keeps its place. Bars are scaled to ``maximum`` (e.g. the top of
    the scale), so charts of the same scale compare."""
    chart = BarChart(series=list(series))
    span = WIDTH - LEFT - RIGHT
    y = TOP
    for label, values in rows:
        label_y = y + FONT_SIZE
        y += LABEL_HEIGHT
        bars = []
        for index, (value, text) in enumerate(values):
            if value is not None:
                width = max(round(span * min(max(value, 0), maximum) / maximum, 1), 0)
                bars.append(Bar(index, LEFT, y, width, BAR_HEIGHT, text))
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP - BAR_GAP
        chart.rows.append(Row(cut(label), label_y, bars))
    chart.height = y + BOTTOM
    return chart
