"""Numbers in and out: decimal comma, unit-aware checks, and direction-aware wording."""

from decimal import Decimal

import pytest
from django.utils import translation

from measurements.charts import build_chart
from measurements.models import Direction, Unit
from measurements.numbers import (
    MESSAGES,
    Change,
    ValueProblem,
    change_counts_text,
    compare,
    format_difference,
    format_value,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("7,5", Unit.PERCENT, "7.5"),
        ("7.5", Unit.PERCENT, "7.5"),
        (" 12 % ", Unit.PERCENT, "12"),
        ("1 234,5", Unit.NOK, "1234.5"),
        ("1\u00a0234", Unit.COUNT, "1234"),
        ("−0,4", Unit.SCORE, "-0.4"),
        ("0,125", Unit.RATIO, "0.125"),
        ("100", Unit.PERCENT, "100"),
        ("0", Unit.COUNT, "0"),
        (33.333333333, Unit.PERCENT, "33.333"),
        (12, Unit.COUNT, "12"),
    ],
)
def test_parse_value_accepts_norwegian_and_spreadsheet_numbers(text, unit, expected):
    assert parse_value(text, unit) == Decimal(expected)


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_parse_value_blank_is_not_reported(blank):
    assert parse_value(blank, Unit.PERCENT) is None


#: Each reason a value is refused for, with values (and their units) refused for it.
REFUSED = {
    "not_a_number": [
        ("sju", Unit.PERCENT),
        ("7,5,1", Unit.PERCENT),
        ("nan", Unit.SCORE),
        (True, Unit.SCORE),
    ],
    "both_separators": [("1.234,5", Unit.NOK)],
    "too_many_decimals": [("7,1234", Unit.PERCENT)],
    "percent_range": [("100,5", Unit.PERCENT), ("-1", Unit.PERCENT)],
    "whole_number": [("2,5", Unit.COUNT), ("-3", Unit.COUNT)],
    "negative": [("-200", Unit.NOK), ("-0,5", Unit.RATIO)],
    "too_large": [("123456789012", Unit.SCORE)],
}


def test_every_reason_is_tried():
    assert set(REFUSED) == set(MESSAGES)


@pytest.mark.parametrize(
    ("text", "unit", "code"),
    [(text, unit, code) for code, values in REFUSED.items() for text, unit in values],
)
def test_parse_value_refuses_with_a_reason(text, unit, code):
    with pytest.raises(ValueProblem) as problem:
        parse_value(text, unit)
    assert problem.value.code == code
    assert problem.value.message


def test_value_problem_message_names_the_value():
    with pytest.raises(ValueProblem) as problem:
        parse_value("120", Unit.PERCENT)
    with translation.override("en"):
        assert problem.value.message == "A percentage is between 0 and 100; «120» is not."


@pytest.mark.parametrize(
    ("baseline", "latest", "direction", "expected"),
    [
        ("7.5", "6.9", Direction.LOWER_IS_BETTER, Change.BETTER),
        ("7.5", "8.1", Direction.LOWER_IS_BETTER, Change.WORSE),
        ("42", "55", Direction.HIGHER_IS_BETTER, Change.BETTER),
        ("4.2", "4.0", Direction.HIGHER_IS_BETTER, Change.WORSE),
        ("4.2", "4.20", Direction.HIGHER_IS_BETTER, Change.UNCHANGED),
        ("7.5", "7.5", Direction.LOWER_IS_BETTER, Change.UNCHANGED),
    ],
)
def test_compare_respects_the_direction(baseline, latest, direction, expected):
    assert compare(Decimal(baseline), Decimal(latest), direction) == expected


def test_change_words_in_norwegian_source_and_english():
    with translation.override("en"):
        assert [str(c.label) for c in Change] == ["better", "worse", "unchanged"]
        assert change_counts_text(2, 1, 0) == "2 better, 1 worse, 0 unchanged"
        assert change_counts_text(0, 0, 0) == "Nothing to compare with the baseline yet"


def test_format_value_is_localised():
    with translation.override("nb"):
        assert format_value(Decimal("7.500"), Unit.PERCENT) == "7,5\u00a0%"
        assert format_value(Decimal("120.000"), Unit.COUNT) == "120"
        assert format_value(Decimal("1250000"), Unit.NOK).startswith("1\u00a0250\u00a0000\u00a0")
        assert format_value(None, Unit.COUNT) == "–"
        assert format_difference(Decimal("-0.6"), Unit.PERCENT).startswith("−0,6 ")
    with translation.override("en"):
        assert format_value(Decimal("1250000"), Unit.NOK) == "1,250,000\u00a0NOK"
        assert format_value(Decimal("7.5"), Unit.PERCENT) == "7.5\u00a0%"
        assert format_difference(Decimal("0.6"), Unit.PERCENT) == "+0.6 percentage points"


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def chart_of(
    rounds: list[str], values: list[str | None], goal: str | None = None, unit=Unit.PERCENT
):
    """``build_chart`` of ``values`` (None: no value in that round) and ``goal``, written as
    text."""
    values = [_number(value) for value in values]
    return build_chart(rounds=rounds, values=values, goal=_number(goal), unit=unit)


def test_chart_starts_at_zero_and_puts_the_goal_on_the_scale():
    chart = chart_of(["Nullpunkt", "Sluttmåling"], ["7.5", "6.9"], "6")
    assert chart.y_ticks[0].label == "0"
    assert chart.y_ticks[0].position == chart.bottom
    assert len(chart.points) == 2
    assert chart.points[0].y < chart.goal.position < chart.bottom
    assert chart.points[1].y > chart.points[0].y  # 6.9 is drawn lower than 7.5


def test_chart_leaves_out_rounds_without_a_value():
    chart = chart_of(["Nullpunkt", "Midtveis", "Sluttmåling"], ["4", None, "5"], unit=Unit.SCORE)
    assert [p.x for p in chart.points] == [chart.x_ticks[0].position, chart.x_ticks[2].position]
    assert chart.goal is None


def _overlaps(chart) -> list[str]:
    goal = chart.goal_label_box
    covered = [p.label for p in chart.points if goal.overlap(p.label_box) or goal.overlap(p.box)]
    return covered


@pytest.mark.parametrize(
    "values",
    [
        # The last value right at the goal, at the right end where the label used to be.
        ["4", "5", "6.1"],
        # Values just above the goal at both ends.
        ["6.2", "2", "6.1"],
        # Values on the goal everywhere.
        ["6", "6", "6", "6"],
        ["6.3"],
        ["98", "99", "100"],
    ],
)
def test_the_goal_label_never_covers_a_value_label(values):
    goal = "99.5" if values[-1] == "100" else "6"
    rounds = ["Nullpunkt", "Midtveis", "Sluttmåling", "Ekstra"][: len(values)]
    with translation.override("nb"):
        chart = chart_of(rounds, values, goal)
    assert chart.goal_text.startswith("Mål ")
    assert _overlaps(chart) == []
    box = chart.goal_label_box
    assert chart.left <= box.left and box.right <= chart.right
    assert box.bottom <= chart.bottom


def test_the_goal_label_stays_at_the_right_above_the_line_when_nothing_is_there():
    chart = chart_of(["Nullpunkt", "Sluttmåling"], ["2", "3"], "8", unit=Unit.SCORE)
    assert (chart.goal_label_x, chart.goal_label_anchor) == (chart.right, "end")
    assert chart.goal_label_y == round(chart.goal.position - 8, 1)


def test_in_the_drawn_svg_the_goal_label_is_clear_of_every_value_label():
    """Read the coordinates back from the SVG as a browser gets it."""
    from xml.etree import ElementTree

    from measurements.charts import chart_svg, text_box

    with translation.override("en"):
        chart = chart_of(["Nullpunkt", "Midtveis", "Sluttmåling"], ["4", "5", "6.1"], "6")
        svg = chart_svg(chart, chart_id="c", title="t", description="d")
    root = ElementTree.fromstring(svg.strip())
    texts = root.iter("{http://www.w3.org/2000/svg}text")

    def box(element):
        return text_box(
            element.text,
            x=float(element.get("x")),
            y=float(element.get("y")),
            anchor=element.get("text-anchor"),
        )

    by_class: dict[str, list] = {}
    for element in texts:
        by_class.setdefault(element.get("class"), []).append(element)
    (goal,) = by_class["np-chart__goal-label"]
    assert goal.text == "Goal 6\u00a0%"
    values = by_class["np-chart__value"]
    assert len(values) == 3
    assert [value.text for value in values if box(goal).overlap(box(value))] == []
    # The last value sits where the label used to be (right end, above the line).
    old_place = text_box(goal.text, x=chart.right, y=chart.goal.position - 8, anchor="end")
    assert old_place.overlap(box(values[-1])) > 0
