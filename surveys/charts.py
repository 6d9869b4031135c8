"""Pictures of a run's results: per statement, a horizontal bar per rating (1–6 and «don't
know») – for one run its counts, for baseline against end the share of each run's answers, the
two side by side. Only from results with enough answers (``MIN_ANSWERS``): a statement whose
distribution is not given (too few ratings) has no chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext

from core.bar_charts import BarChart, build_bar_chart

from .models import SCALE
from .results import RunResults, StatementResult


@dataclass
class StatementChart:
    chart_id: str
    title: str
    description: str
    chart: BarChart
    #: ``[(rating label, [value text per series])]``: the table beside the chart.
    table: list[tuple[str, list[str]]]


def rating_labels() -> list[str]:
    return [
        gettext("1 (strongly disagree)"),
        *(str(value) for value in SCALE[1:-1]),
        gettext("6 (strongly agree)"),
        gettext("Don't know"),
    ]


def _counts(result: StatementResult) -> list[int]:
    return [*result.counts, result.dont_know]


def distribution_charts(results: RunResults, *, prefix: str = "fordeling") -> list[StatementChart]:
    """One chart per statement of a run with enough answers: how many gave each rating."""
    if not results.enough:
        return []
    charts = []
    labels = rating_labels()
    for position, result in enumerate(results.statements, 1):
        if not result.enough:
            continue
        counts = _counts(result)
        pairs = list(zip(labels, counts, strict=True))
        rows = [(label, [(float(count), str(count))]) for label, count in pairs]
        title = gettext("Answers to «%(statement)s»") % {"statement": result.text}
        description = "; ".join(f"{label}: {count}" for label, count in pairs)
        charts.append(
            StatementChart(
                chart_id=f"{prefix}-{position}",
                title=title,
                description=description + ".",
                chart=build_bar_chart(rows=rows, maximum=max(results.responses, 1)),
                table=[(label, [str(count)]) for label, count in pairs],
            )
        )
    return charts


def _share(count: int, responses: int) -> tuple[float, str]:
    percent = 100 * count / responses
    return percent, f"{number_format(round(percent))} %"


def comparison_charts(
    before: RunResults, after: RunResults, names: tuple[str, str]
) -> list[StatementChart]:
    """Per statement, each rating's share of the answers at the baseline and at the end, side
    by side; only statements whose distribution both runs give."""
    if not (before.enough and after.enough):
        return []
    labels = rating_labels()
    charts = []
    pairs = zip(before.statements, after.statements, strict=True)
    for position, (b, a) in enumerate(pairs, 1):
        if not (b.enough and a.enough):
            continue
        shares = [
            (_share(x, before.responses), _share(y, after.responses))
            for x, y in zip(_counts(b), _counts(a), strict=True)
        ]
        rows = [(label, list(pair)) for label, pair in zip(labels, shares, strict=True)]
        table = [
            (label, [first[1], second[1]])
            for label, (first, second) in zip(labels, shares, strict=True)
        ]
        description = "; ".join(
            f"{label}: {names[0]} {first}, {names[1]} {second}" for label, (first, second) in table
        )
        charts.append(
            StatementChart(
                chart_id=f"sammenligning-{position}",
                title=gettext("Answers to «%(statement)s», share of the answers")
                % {"statement": b.text},
                description=description + ".",
                chart=build_bar_chart(rows=rows, maximum=100, series=names),
                table=table,
            )
        )
    return charts
