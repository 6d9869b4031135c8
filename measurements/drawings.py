"""What the measurement pages draw of one project's values, made from plain facts and kept by
content.

Each drawing is a pure function of a *facts* tuple (text, numbers, dates – no model instance)
and the active language: an indicator's chart with its table of values (the progress page and
the final report), one indicator's picture, a sparkline with its few numbers (the overview and
a municipality's progress), and one network's table of the overview. The selectors read the
data afresh on every request and put it into facts; the markup made of the same facts is kept
in a :class:`core.content_memo.ContentMemo` keyed by a digest of exactly those facts and the
language, so a chart is drawn again only when something it shows has changed – whatever the
page cache or ``FRAGMENT_CACHE`` say – and never served for other data. Templates read only
what the facts give them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.content_memo import ContentMemo

from .charts import build_chart, build_sparkline, chart_svg, sparkline_svg
from .descriptions import round_status_text
from .models import (
    AnchoringAssessment,
    AnchoringStage,
    Direction,
    MeasurementRound,
    MeasurementSource,
    Unit,
    anchoring_ladder,
)
from .numbers import Change, change_counts_text, compare, format_difference, format_value

#: Per process: an indicator's chart and table is some 4 kB, a picture 2 kB, a network's
#: table of the overview 1 kB a project. Enough for the projects people look at; the least
#: recently used go first.
INDICATORS = ContentMemo("measurements.indicators", size=2048)
PICTURES = ContentMemo("measurements.pictures", size=4096)
OVERVIEW_TABLES = ContentMemo("measurements.overview_tables", size=256)
HISTORIES = ContentMemo("measurements.histories", size=512)
ANCHORING = ContentMemo("measurements.anchoring", size=512)
FORMS = ContentMemo("measurements.forms", size=256)


def clear() -> None:
    """Forget every drawing (tests that measure drawing itself)."""
    for memo in (INDICATORS, PICTURES, OVERVIEW_TABLES, HISTORIES, ANCHORING, FORMS):
        memo.clear()


def _date(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _goal_text(goal: Decimal | None, goal_date: date | None, unit: str) -> str:
    if goal is None or goal_date is None:
        return ""
    return gettext("%(value)s by %(date)s") % {
        "value": format_value(goal, unit),
        "date": _date(goal_date),
    }


def own_change(
    values: tuple[Decimal | None, ...], baseline: int | None, direction: str
) -> Change | None:
    """The latest value after the baseline against the baseline value, as ``direction``
    reads it; None when there is nothing to compare."""
    if baseline is None or values[baseline] is None:
        return None
    later = [v for v in values[baseline + 1 :] if v is not None]
    if not later:
        return None
    return compare(values[baseline], later[-1], direction)


class Series(NamedTuple):
    """One project's values of one indicator over its programme's rounds, and its goal: what
    both an indicator's chart and its picture draw."""

    unit: str
    direction: str
    #: The programme's round names in order, and the baseline round's place among them.
    rounds: tuple[str, ...]
    baseline: int | None
    values: tuple[Decimal | None, ...]
    goal: Decimal | None
    goal_date: date | None


# --- An indicator on the progress page and in the final report ----------------------------------


class IndicatorFacts(NamedTuple):
    """One project's values of one indicator (``series``), with a note per round, and what
    the indicator's heading says of it."""

    project: str
    indicator_id: int
    name: str
    definition: str
    source: str
    #: The project's own indicator (not its theme's), and where the project's leaders change
    #: it ("" for everyone else).
    own: bool
    change_url: str
    #: In the final report: no definition, and headed as a part of the report.
    report: bool
    series: Series
    notes: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorDrawing:
    change: Change | None
    #: The change since the baseline in words.
    change_text: str
    #: The indicator as an article (``measurements/includes/indicator.html``): its heading,
    #: its change, its chart and its values by round with the goal.
    article: SafeString


@dataclass(frozen=True)
class _RoundRow:
    name: str
    value: Decimal | None
    text: str
    note: str


def draw_indicator(facts: IndicatorFacts, stylesheet: str = "") -> IndicatorDrawing:
    """The indicator drawn (``stylesheet``: see ``chart_svg``)."""
    return INDICATORS.get((facts, stylesheet), lambda: _draw_indicator(facts, stylesheet))


def draw_indicators(many: Sequence[IndicatorFacts], stylesheet: str = "") -> list[IndicatorDrawing]:
    """Each indicator drawn, as :func:`draw_indicator` draws it, asking the shared cache once
    for all that this process has not drawn."""
    return INDICATORS.get_many(
        [((facts, stylesheet), partial(_draw_indicator, facts, stylesheet)) for facts in many]
    )


def _draw_indicator(facts: IndicatorFacts, stylesheet: str) -> IndicatorDrawing:
    series = facts.series
    unit = series.unit
    texts = [format_value(value, unit) for value in series.values]
    goal_text = _goal_text(series.goal, series.goal_date, unit)
    change, change_text = _change_words(series, texts)
    chart = build_chart(
        rounds=list(series.rounds), values=list(series.values), goal=series.goal, unit=unit
    )
    svg = ""
    if chart.points or series.goal_date is not None:
        title = gettext("%(indicator)s in %(project)s, by measurement round") % {
            "indicator": facts.name,
            "project": facts.project,
        }
        parts = [
            gettext("%(round)s: %(value)s.")
            % {"round": name, "value": text if value is not None else gettext("not reported")}
            for name, value, text in zip(series.rounds, series.values, texts, strict=True)
        ]
        if goal_text:
            parts.append(gettext("Goal: %(goal)s.") % {"goal": goal_text})
        parts.append(f"{Direction(series.direction).label}.")
        if change_text:
            parts.append(change_text)
        svg = chart_svg(
            chart,
            chart_id=f"chart-{facts.indicator_id}",
            title=title,
            description=" ".join(parts),
            stylesheet=stylesheet,
        )
    rows = [
        _RoundRow(*row)
        for row in zip(series.rounds, series.values, texts, facts.notes, strict=True)
    ]
    article = render_to_string(
        "measurements/includes/indicator.html",
        {
            "facts": facts,
            "unit_label": Unit(unit).label,
            "direction_label": Direction(series.direction).label,
            "change": change,
            "change_text": change_text,
            "svg": svg,
            "rows": rows,
            "goal_text": goal_text,
        },
    )
    return IndicatorDrawing(change=change, change_text=change_text, article=article)


def _change_words(series: Series, texts: list[str]) -> tuple[Change | None, str]:
    """The change from the baseline to the latest later value, as the direction reads it."""
    start = series.baseline
    if start is None or series.values[start] is None:
        return None, ""
    baseline = series.rounds[start]
    latest = next(
        (i for i in range(len(series.values) - 1, start, -1) if series.values[i] is not None),
        None,
    )
    if latest is None:
        return None, gettext("No value after %(baseline)s yet.") % {"baseline": baseline}
    before, after = series.values[start], series.values[latest]
    change = compare(before, after, series.direction)
    params = {
        "change": change.label,
        "baseline": baseline,
        "latest": series.rounds[latest],
        "from": texts[start],
        "to": texts[latest],
    }
    if change == Change.UNCHANGED:
        text = gettext("Unchanged since %(baseline)s (%(from)s in %(latest)s too).") % params
    else:
        params["difference"] = format_difference(after - before, series.unit)
        text = (
            gettext(
                "%(change)s since %(baseline)s: from %(from)s to %(to)s in %(latest)s "
                "(%(difference)s)."
            )
            % params
        )
        text = text[0].upper() + text[1:]
    return change, text


# --- A picture: one indicator as a sparkline with its numbers -------------------------------------


class PictureFacts(NamedTuple):
    """One project's values of one indicator (``series``): what a picture shows."""

    project_id: int
    project: str
    indicator_id: int
    name: str
    series: Series


@dataclass(frozen=True)
class _PictureRow:
    name: str
    is_baseline: bool
    value: Decimal | None
    text: str


def draw_picture(facts: PictureFacts) -> SafeString:
    """The picture as an item of a list (``measurements/includes/picture.html``)."""
    return PICTURES.get(facts, lambda: _draw_picture(facts))


def _draw_picture(facts: PictureFacts) -> SafeString:
    series = facts.series
    unit = series.unit
    not_reported = gettext("not reported")
    texts = [format_value(v, unit) if v is not None else not_reported for v in series.values]
    goal_text = _goal_text(series.goal, series.goal_date, unit)
    chart_id = f"spark-{facts.project_id}-{facts.indicator_id}"
    svg = ""
    if goal_text or any(v is not None for v in series.values):
        title = gettext("%(indicator)s in %(project)s, by measurement round") % {
            "indicator": facts.name,
            "project": facts.project,
        }
        parts = [
            (
                gettext("%(round)s (baseline): %(value)s.")
                if index == series.baseline
                else gettext("%(round)s: %(value)s.")
            )
            % {"round": name, "value": text}
            for index, (name, text) in enumerate(zip(series.rounds, texts, strict=True))
        ]
        if goal_text:
            parts.append(gettext("Goal: %(goal)s.") % {"goal": goal_text})
        parts.append(f"{Direction(series.direction).label}.")
        spark = build_sparkline(
            values=list(series.values),
            goal=series.goal if series.goal_date is not None else None,
            unit=unit,
            baseline_index=series.baseline,
        )
        svg = sparkline_svg(spark, chart_id=chart_id, title=title, description=" ".join(parts))
    rows = [
        _PictureRow(name, index == series.baseline, value, text)
        for index, (name, value, text) in enumerate(
            zip(series.rounds, series.values, texts, strict=True)
        )
    ]
    return render_to_string(
        "measurements/includes/picture.html",
        {"facts": facts, "svg": svg, "chart_id": chart_id, "rows": rows, "goal_text": goal_text},
    )


# --- The overview: one network's table --------------------------------------------------------


class OverviewRowFacts(NamedTuple):
    url: str
    project: str
    municipalities: str
    #: How far the project has reported each round: ``(reported, total, has_anchoring)``.
    statuses: tuple[tuple[int, int, bool], ...]
    #: Its own change since its baseline: how many indicators went better, worse, unchanged.
    changes: tuple[int, int, int]


class _OverviewRow(NamedTuple):
    url: str
    project: str
    municipalities: str
    statuses: tuple[str, ...]
    change_text: str


class OverviewTableFacts(NamedTuple):
    network_id: int
    network: str
    network_slug: str
    rounds: tuple[str, ...]
    rows: tuple[OverviewRowFacts, ...]
    #: The pictures are not on this page: a link to the network's own overview instead.
    pictures_omitted: bool


def draw_overview_table(facts: OverviewTableFacts) -> SafeString:
    """The network's heading and table, and the link to its pictures when they are not on the
    page (``measurements/includes/overview_table.html``)."""
    return OVERVIEW_TABLES.get(facts, lambda: _draw_overview_table(facts))


def _draw_overview_table(facts: OverviewTableFacts) -> SafeString:
    # The few different statuses and changes of a table, each worded once.
    statuses = {status for row in facts.rows for status in row.statuses}
    status_texts = {status: round_status_text(*status) for status in statuses}
    change_texts = {
        counts: change_counts_text(*counts) for counts in {r.changes for r in facts.rows}
    }
    rows = [
        _OverviewRow(
            url=row.url,
            project=row.project,
            municipalities=row.municipalities,
            statuses=tuple(status_texts[status] for status in row.statuses),
            change_text=change_texts[row.changes],
        )
        for row in facts.rows
    ]
    return render_to_string(
        "measurements/includes/overview_table.html", {"facts": facts, "rows": rows}
    )


# --- A project's change history -------------------------------------------------------------


class HistoryRecord(NamedTuple):
    """One historical row of a value (``VALUE``) or an anchoring stage (``STAGE``)."""

    VALUE = 1
    STAGE = 2

    kind: int
    id: int
    history_id: int
    history_date: datetime
    history_type: str
    reason: str | None
    #: The value, or the stage.
    number: Decimal | None
    note: str
    source: str | None
    indicator: str | None
    unit: str | None
    round: str | None
    first_name: str | None
    last_name: str | None
    username: str | None


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    round: str
    subject: str
    before: str
    after: str
    reason: str
    source: str


#: The most changes the history table shows, newest first.
HISTORY_AT_MOST = 200


def draw_history(records: tuple[HistoryRecord, ...]) -> SafeString:
    """The table of every change (``measurements/includes/history_table.html``), newest
    first: what it was, what it became, who changed it and – for a correction after a round
    closed – why."""
    key = (timezone.get_current_timezone_name(), records)
    return HISTORIES.get(
        key,
        lambda: render_to_string(
            "measurements/includes/history_table.html", {"history": history_entries(records)}
        ),
    )


def history_entries(records: tuple[HistoryRecord, ...]) -> list[HistoryEntry]:
    values = [r for r in records if r.kind == HistoryRecord.VALUE]
    stages = [r for r in records if r.kind == HistoryRecord.STAGE]
    sources = {s.value: s.label for s in MeasurementSource}
    entries = _history_entries(
        values,
        text=lambda record: format_value(record.number, record.unit or ""),
        source=lambda record: str(sources.get(record.source, record.source or "")),
    )
    entries += _history_entries(
        stages,
        text=lambda record: f"{int(record.number)}. {AnchoringStage(int(record.number)).label}",
        source=lambda record: "",
        subject=gettext("Anchoring stage"),
    )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:HISTORY_AT_MOST]


def _history_entries(records, *, text, source, subject: str | None = None) -> list[HistoryEntry]:
    entries = []
    previous: dict[int, HistoryRecord | None] = {}
    removed = gettext("removed")
    texts: dict[tuple, str] = {}

    def text_of(record: HistoryRecord) -> str:
        key = (record.number, record.unit)
        if key not in texts:
            texts[key] = text(record)
        return texts[key]

    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        after = text_of(record)
        if record.history_type == "-":
            after = removed
        elif (
            before is not None
            and (before.number, before.note) != (record.number, record.note)
            and text_of(before) == after
        ):
            after = gettext("%(value)s (note changed)") % {"value": after}
        full_name = f"{record.first_name or ''} {record.last_name or ''}".strip()
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=full_name or record.username or "",
                round=record.round or "",
                subject=subject if subject is not None else record.indicator or "",
                before=text_of(before) if before is not None else "–",
                after=after,
                reason=record.reason or "",
                source=source(record),
            )
        )
        previous[record.id] = None if record.history_type == "-" else record
    return entries


# --- A project's anchoring ------------------------------------------------------------------


def draw_anchoring(steps) -> SafeString:
    """The anchoring section of a project's progress page (``includes/anchoring.html``):
    ``steps`` (``AnchoringStep``) drawn from their round names, stages and notes."""
    facts = tuple(
        (
            step.round.name,
            step.assessment.stage if step.assessment else None,
            step.assessment.note if step.assessment else "",
        )
        for step in steps
    )
    return ANCHORING.get(facts, lambda: _draw_anchoring(facts))


@dataclass
class AnchoringStep:
    """A round of a project and its anchoring stage, if assessed."""

    round: MeasurementRound
    assessment: AnchoringAssessment | None

    @property
    def statement(self) -> str:
        return self.assessment.statement if self.assessment else ""


def _draw_anchoring(facts) -> SafeString:
    steps = [
        AnchoringStep(
            MeasurementRound(name=name),
            AnchoringAssessment(stage=stage, note=note) if stage is not None else None,
        )
        for name, stage, note in facts
    ]
    return render_to_string(
        "measurements/includes/anchoring.html", {"steps": steps, "ladder": anchoring_ladder()}
    )


# --- A form of choices ------------------------------------------------------------------------


def draw_form(form) -> SafeString:
    """A form of the measurement pages' choices (the overview's filters, the programme) as
    crispy-forms draws it (``{{ form|crispy }}``, some 40 options a millisecond), drawn once
    for what it shows: its class and prefix, each field's choices, value and errors. A form
    whose fields are drawn only from these – choice fields, no per-request attributes."""
    fields = []
    for bound in form:
        choices = getattr(bound.field, "choices", None)
        fields.append(
            (
                bound.name,
                None if choices is None else tuple((str(v), str(t)) for v, t in choices),
                _form_value(bound.value()),
                tuple(str(error) for error in bound.errors),
            )
        )
    key = (
        f"{type(form).__module__}.{type(form).__qualname__}",
        form.prefix,
        str(form.auto_id),
        form.is_bound,
        tuple(fields),
        tuple(str(error) for error in form.non_field_errors()),
    )
    return FORMS.get(
        key, lambda: render_to_string("measurements/includes/form.html", {"form": form})
    )


def _form_value(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return str(value)
