"""Reads for the measurement pages, each with a constant number of queries.

Everything here looks at one local project against its own baseline and goal. Lists of many
projects are grouped by network and ordered by name – never by a measured value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from core.norwegian import norwegian_key
from municipalities.models import LocalProject, Municipality, Participant
from network.models import Network, Programme, Theme
from network.rules import facilitated_network_ids, reads_everything

from .charts import Chart, Sparkline, build_chart, build_sparkline
from .models import (
    ANCHORING_STATEMENTS,
    AnchoringAssessment,
    AnchoringStage,
    Direction,
    Goal,
    Indicator,
    Measurement,
    MeasurementRound,
    MeasurementSource,
    ProgressPage,
    Reminder,
    RoundKind,
    RoundReport,
    Unit,
    progress_url,
)
from .numbers import Change, change_counts_text, compare, format_difference, format_value

# --- The overview's filters ---------------------------------------------------------------------


def overview_filter_choices(user, programme: Programme) -> tuple[list[Theme], list[Network]]:
    """The themes of the programme's networks and the networks this user follows, to filter
    the overview by: one query."""
    networks = list(programme.networks.select_related("theme").order_by("theme__position", "name"))
    themes = sorted(
        {n.theme_id: n.theme for n in networks}.values(), key=lambda t: (t.position, t.name)
    )
    if not reads_everything(user):
        followed = facilitated_network_ids(user)
        networks = [n for n in networks if n.pk in followed]
    return themes, networks


def project_municipalities(projects: QuerySet[LocalProject]) -> dict[int, list[Municipality]]:
    """``{project id: [municipality]}`` (by number, each with its county): one query."""
    links = (
        LocalProject.municipalities.through.objects.filter(localproject__in=projects.values("pk"))
        .select_related("municipality__county")
        .order_by("municipality__number")
    )
    municipalities: dict[int, list[Municipality]] = defaultdict(list)
    for link in links:
        municipalities[link.localproject_id].append(link.municipality)
    return municipalities


def programme_rounds(programme_id: int) -> list[MeasurementRound]:
    return list(
        MeasurementRound.objects.filter(programme_id=programme_id).order_by("position", "opens_on")
    )


def project_indicators(project: LocalProject) -> list[Indicator]:
    return list(Indicator.objects.for_project(project))


# --- Report status of many projects -------------------------------------------------------------


@dataclass(frozen=True)
class RoundStatus:
    """How much of a round a project has reported: values of its indicators, and the
    anchoring stage. An indicator the reputation survey fills (``measured_by_survey``) counts,
    in ``reported`` and ``total`` alike, only where it has a value: a survey never makes a
    project incomplete."""

    reported: int
    total: int
    has_anchoring: bool

    @property
    def is_complete(self) -> bool:
        return self.reported >= self.total and self.has_anchoring

    @property
    def is_empty(self) -> bool:
        return not self.reported and not self.has_anchoring

    @property
    def text(self) -> str:
        if self.is_complete:
            return gettext("Reported")
        if self.is_empty:
            return gettext("Not reported")
        text = ngettext(
            "%(reported)s of %(total)s indicator",
            "%(reported)s of %(total)s indicators",
            self.total,
        ) % {"reported": self.reported, "total": self.total}
        if not self.has_anchoring:
            text = gettext("%(values)s, no anchoring stage") % {"values": text}
        return text


def applicable_indicators(projects: list[LocalProject]) -> dict[int, dict[int, str]]:
    """``{project id: {indicator id: direction}}``: each project's catalogue and own
    indicators, in one query. The projects need ``network`` loaded."""
    theme_ids = {p.network.theme_id for p in projects}
    rows = Indicator.objects.filter(
        Q(local_project__isnull=True, theme_id__in=theme_ids)
        | Q(local_project_id__in=[p.pk for p in projects])
    ).values_list("pk", "theme_id", "local_project_id", "direction")
    by_theme: dict[int, dict[int, str]] = defaultdict(dict)
    own: dict[int, dict[int, str]] = defaultdict(dict)
    for pk, theme_id, project_id, direction in rows:
        (own[project_id] if project_id else by_theme[theme_id])[pk] = direction
    return {p.pk: {**by_theme[p.network.theme_id], **own[p.pk]} for p in projects}


def with_round_statuses(
    projects: QuerySet[LocalProject], rounds: list[MeasurementRound]
) -> QuerySet[LocalProject]:
    """Annotated with what ``round_statuses`` reads: how many indicators apply to each
    project, and per round how many of them it reported and whether it gave its anchoring
    stage (subqueries of the project query: no query of their own)."""
    applies = Q(local_project=OuterRef("pk")) | Q(
        local_project__isnull=True, theme_id=OuterRef("network__theme_id")
    )
    measured = Q(indicator__local_project=OuterRef("pk")) | Q(
        indicator__local_project__isnull=True, indicator__theme_id=OuterRef("network__theme_id")
    )
    annotations = {"indicator_total": _count(Indicator.objects.to_report().filter(applies))}
    for r in rounds:
        values = Measurement.objects.overall().filter(
            measured, local_project=OuterRef("pk"), round_id=r.pk
        )
        annotations[f"reported_{r.pk}"] = _count(values)
        annotations[f"surveyed_{r.pk}"] = _count(values.filter(indicator__measured_by_survey=True))
        annotations[f"anchored_{r.pk}"] = Exists(
            AnchoringAssessment.objects.filter(local_project=OuterRef("pk"), round_id=r.pk)
        )
    return projects.annotate(**annotations)


def round_statuses(
    projects: Iterable[LocalProject], rounds: list[MeasurementRound]
) -> dict[tuple[int, int], RoundStatus]:
    """``{(project id, round id): RoundStatus}`` of projects read ``with_round_statuses``."""
    return {
        (p.pk, r.pk): RoundStatus(
            getattr(p, f"reported_{r.pk}"),
            p.indicator_total + getattr(p, f"surveyed_{r.pk}"),
            getattr(p, f"anchored_{r.pk}"),
        )
        for p in projects
        for r in rounds
    }


def _count(queryset: QuerySet) -> Coalesce:
    """A subquery counting the rows of ``queryset``."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


def open_round_statuses(project: LocalProject) -> list[tuple[MeasurementRound, RoundStatus]]:
    """The open rounds of the project's programme, each with how much of it the project has
    reported (as ``round_statuses``), in one query. The project needs ``network`` loaded."""
    indicators = Indicator.objects.for_project(project)
    values = Measurement.objects.overall().filter(
        local_project=project, round=OuterRef("pk"), indicator__in=indicators
    )
    rounds = (
        MeasurementRound.objects.open_now()
        .filter(programme_id=project.network.programme_id)
        .annotate(
            reported=_count(values),
            surveyed=_count(values.filter(indicator__measured_by_survey=True)),
            total=_count(indicators.to_report()),
            anchored=Exists(
                AnchoringAssessment.objects.filter(local_project=project, round=OuterRef("pk"))
            ),
        )
        .order_by("position", "opens_on")
    )
    return [(r, RoundStatus(r.reported, r.total + r.surveyed, r.anchored)) for r in rounds]


def sort_projects(projects: Iterable[LocalProject]) -> list[LocalProject]:
    """Grouped by network (in the programme's theme order), alphabetical within."""
    return sorted(
        projects,
        key=lambda p: (
            p.network.theme.position,
            norwegian_key(p.network.name),
            norwegian_key(p.name),
            p.pk,
        ),
    )


def _municipality_prefetch() -> Prefetch:
    return Prefetch("municipalities", queryset=Municipality.objects.order_by("number"))


# --- The ministry overview ----------------------------------------------------------------------


@dataclass
class OverviewRow:
    project: LocalProject
    url: str
    municipalities: str
    statuses: list[RoundStatus]
    better: int
    worse: int
    unchanged: int
    #: A small picture of each indicator's own values (``project_pictures``).
    pictures: list[IndicatorPicture] = field(default_factory=list)

    @property
    def change_text(self) -> str:
        return change_counts_text(self.better, self.worse, self.unchanged)


@dataclass
class NetworkGroup:
    network: Network
    rows: list = field(default_factory=list)
    #: On an overview of more than ``OVERVIEW_PICTURES_AT_MOST`` projects the pictures are
    #: shown a network at a time (``?nettverk=``), to keep the page light.
    pictures_omitted: bool = False


#: The most projects whose pictures one overview page draws.
OVERVIEW_PICTURES_AT_MOST = 60


def overview(
    *,
    projects: QuerySet[LocalProject],
    rounds: list[MeasurementRound],
    municipalities: dict[int, list[Municipality]],
):
    """``[NetworkGroup(network, [OverviewRow])]`` for the given (already scoped and
    filtered) projects, with their ``project_municipalities``: which rounds each has
    reported, its own change since its baseline and a sparkline of each indicator. Two
    queries whatever the size."""
    project_list = sort_projects(
        with_round_statuses(projects, rounds).select_related("network__theme")
    )
    if not project_list:
        return []
    statuses = round_statuses(project_list, rounds)
    pictures = project_pictures(
        project_list, {p.network.programme_id: rounds for p in project_list}
    )
    groups: list[NetworkGroup] = []
    omitted = len(project_list) > OVERVIEW_PICTURES_AT_MOST
    for project in project_list:
        if not groups or groups[-1].network.pk != project.network_id:
            groups.append(NetworkGroup(project.network, pictures_omitted=omitted))
        better, worse, unchanged = picture_changes(pictures.get(project.pk, []))
        groups[-1].rows.append(
            OverviewRow(
                project=project,
                url=progress_url(project),
                municipalities=", ".join(
                    f"{m.name} ({m.number})" for m in municipalities.get(project.pk, [])
                ),
                statuses=[statuses[(project.pk, r.pk)] for r in rounds],
                better=better,
                worse=worse,
                unchanged=unchanged,
                pictures=pictures.get(project.pk, []),
            )
        )
    return groups


def picture_changes(pictures: list[IndicatorPicture]) -> tuple[int, int, int]:
    """``(better, worse, unchanged)``: per indicator, the latest value after the baseline
    against the project's own baseline value (as ``own_changes``, from the pictures' values)."""
    counts = dict.fromkeys(Change, 0)
    for picture in pictures:
        start = next((i for i, v in enumerate(picture.values) if v.is_baseline), None)
        if start is None or picture.values[start].value is None:
            continue
        later = [v.value for v in picture.values[start + 1 :] if v.value is not None]
        if later:
            direction = picture.indicator.direction
            counts[compare(picture.values[start].value, later[-1], direction)] += 1
    return counts[Change.BETTER], counts[Change.WORSE], counts[Change.UNCHANGED]


# --- Pictures: each project's own development, one sparkline per indicator -----------------------


@dataclass
class PictureValue:
    round: MeasurementRound
    value: Decimal | None
    text: str
    is_baseline: bool


@dataclass
class IndicatorPicture:
    """One project's values of one indicator over the rounds, its baseline and its goal, as a
    sparkline on its own scale and as numbers."""

    project: LocalProject
    indicator: Indicator
    values: list[PictureValue]
    goal_text: str
    spark: Sparkline
    title: str
    description: str

    @property
    def chart_id(self) -> str:
        return f"spark-{self.project.pk}-{self.indicator.pk}"

    @property
    def has_values(self) -> bool:
        return any(v.value is not None for v in self.values)


def project_pictures(
    projects: list[LocalProject], rounds_by_programme: dict[int, list[MeasurementRound]]
) -> dict[int, list[IndicatorPicture]]:
    """``{project id: [IndicatorPicture]}``: per indicator that applies to the project (its
    theme's catalogue, then its own), its values in its programme's rounds, with its goal.
    One query whatever the number of projects (values, goals and indicators are read
    together). The projects need ``network`` loaded."""
    if not projects:
        return {}
    project_ids = [p.pk for p in projects]
    theme_ids = {p.network.theme_id for p in projects}
    round_ids = {r.pk for rounds in rounds_by_programme.values() for r in rounds}
    # Typed NULLs: PostgreSQL gives an untyped NULL the type text in a UNION.
    nothing = {
        "text": Cast(Value(None), CharField()),
        "number": Cast(Value(None), IntegerField()),
        "id": Cast(Value(None), BigIntegerField()),
        "day": Cast(Value(None), DateField()),
        "decimal": Cast(Value(None), DecimalField(max_digits=14, decimal_places=3)),
    }
    # One query: each value (kind 1), goal (2) and applicable indicator (3) as a row of
    # (kind, project, indicator, round, value, date, name, unit, direction, position, theme).
    padding = [nothing["text"]] * 3 + [nothing["number"], nothing["id"]]
    measured = (
        Measurement.objects.filter(local_project_id__in=project_ids, round_id__in=round_ids)
        .order_by()
        .values_list(
            Value(1, output_field=IntegerField()),
            "local_project_id",
            "indicator_id",
            "round_id",
            "value",
            nothing["day"],
            *padding,
        )
    )
    targets = (
        Goal.objects.filter(local_project_id__in=project_ids)
        .order_by()
        .values_list(
            Value(2, output_field=IntegerField()),
            "local_project_id",
            "indicator_id",
            nothing["id"],
            "target_value",
            "target_date",
            *padding,
        )
    )
    applicable = (
        Indicator.objects.filter(
            Q(local_project__isnull=True, theme_id__in=theme_ids)
            | Q(local_project_id__in=project_ids)
        )
        .order_by()
        .values_list(
            Value(3, output_field=IntegerField()),
            "local_project_id",
            "pk",
            nothing["id"],
            nothing["decimal"],
            nothing["day"],
            "name",
            "unit",
            "direction",
            "position",
            "theme_id",
        )
    )
    goals: dict[tuple[int, int], tuple[Decimal, date]] = {}
    values: dict[tuple[int, int, int], Decimal] = {}
    indicators: list[Indicator] = []
    for kind, project_id, indicator_id, round_id, value, day, *about in measured.union(
        targets, applicable, all=True
    ):
        if kind == 1:
            values[(project_id, indicator_id, round_id)] = value
        elif kind == 2:
            goals[(project_id, indicator_id)] = (value, day)
        else:
            name, unit, direction, position, theme_id = about
            indicators.append(
                Indicator(
                    pk=indicator_id,
                    local_project_id=project_id,
                    name=name,
                    unit=unit,
                    direction=direction,
                    position=position,
                    theme_id=theme_id,
                )
            )
    indicators.sort(key=lambda i: (i.local_project_id is not None, i.position, i.name))
    result: dict[int, list[IndicatorPicture]] = {}
    for project in projects:
        rounds = rounds_by_programme.get(project.network.programme_id, [])
        baseline = baseline_round(rounds)
        result[project.pk] = [
            _picture(
                project, indicator, rounds, baseline, values, goals.get((project.pk, indicator.pk))
            )
            for indicator in indicators
            if indicator.local_project_id == project.pk
            or (
                indicator.local_project_id is None
                and indicator.theme_id == project.network.theme_id
            )
        ]
    return result


def _picture(project, indicator, rounds, baseline, values, goal) -> IndicatorPicture:
    unit = indicator.unit
    row = []
    for r in rounds:
        value = values.get((project.pk, indicator.pk, r.pk))
        row.append(
            PictureValue(
                round=r,
                value=value,
                text=format_value(value, unit) if value is not None else gettext("not reported"),
                is_baseline=baseline is not None and r.pk == baseline.pk,
            )
        )
    goal_text = ""
    if goal is not None:
        goal_text = gettext("%(value)s by %(date)s") % {
            "value": format_value(goal[0], unit),
            "date": _date(goal[1]),
        }
    baseline_index = next((i for i, v in enumerate(row) if v.is_baseline), None)
    spark = build_sparkline(
        values=[v.value for v in row],
        goal=goal[0] if goal else None,
        unit=unit,
        baseline_index=baseline_index,
    )
    title = gettext("%(indicator)s in %(project)s, by measurement round") % {
        "indicator": indicator.name,
        "project": project.name,
    }
    parts = [
        (
            gettext("%(round)s (baseline): %(value)s.")
            if v.is_baseline
            else gettext("%(round)s: %(value)s.")
        )
        % {"round": v.round.name, "value": v.text}
        for v in row
    ]
    if goal_text:
        parts.append(gettext("Goal: %(goal)s.") % {"goal": goal_text})
    parts.append(f"{indicator.get_direction_display()}.")
    return IndicatorPicture(
        project=project,
        indicator=indicator,
        values=row,
        goal_text=goal_text,
        spark=spark,
        title=title,
        description=" ".join(parts),
    )


def overview_fingerprint() -> tuple:
    """Changes whenever a value or anchoring stage (every change leaves a history row), an
    indicator, a goal or a local project is added, changed or removed. One query of eleven
    lookups that the database answers from its indexes (and the small table of progress
    pages)."""
    quote = connection.ops.quote_name
    history = [Measurement.history.model, AnchoringAssessment.history.model]
    counted = [Indicator, LocalProject, LocalProject.municipalities.through, Goal]
    parts = [f"(SELECT MAX(history_id) FROM {quote(m._meta.db_table)})" for m in history]
    # Every save of a project's goals raises its progress page's version.
    parts.append(f"(SELECT SUM(version) FROM {quote(ProgressPage._meta.db_table)})")
    for model in counted:
        table = quote(model._meta.db_table)
        parts += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX(id) FROM {table})"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


def baseline_round(rounds: list[MeasurementRound]) -> MeasurementRound | None:
    return next((r for r in rounds if r.kind == RoundKind.BASELINE), rounds[0] if rounds else None)


def own_changes(
    projects: list[LocalProject], rounds: list[MeasurementRound]
) -> dict[int, tuple[int, int, int]]:
    """``{project id: (better, worse, unchanged)}``: per indicator that applies to the
    project, the latest value after the baseline against the project's own baseline value.
    One query, one row per project and indicator (the database puts each round's value in a
    column). The projects need ``network`` loaded."""
    baseline = baseline_round(rounds)
    if baseline is None:
        return {}
    order = [r.pk for r in rounds]
    later = order[order.index(baseline.pk) + 1 :]
    if not later:
        return {}
    number = Cast("value", FloatField())
    columns = {
        f"round_{i}": Max(Case(When(round_id=pk, then=number))) for i, pk in enumerate(later)
    }
    rows = (
        Measurement.objects.overall()
        .filter(local_project_id__in=[p.pk for p in projects], round_id__in=[baseline.pk, *later])
        .order_by()
        .values_list(
            "local_project_id",
            "indicator_id",
            "indicator__direction",
            "indicator__local_project_id",
            "indicator__theme_id",
        )
        .annotate(baseline=Max(Case(When(round_id=baseline.pk, then=number))), **columns)
    )
    theme_of = {p.pk: p.network.theme_id for p in projects}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Change, 0))
    for project_id, _indicator, direction, own_of, theme_id, start, *after in rows:
        applies = own_of == project_id if own_of else theme_id == theme_of[project_id]
        latest = next((value for value in reversed(after) if value is not None), None)
        if not applies or start is None or latest is None:
            continue
        counts[project_id][compare(start, latest, direction)] += 1
    return {
        project_id: (c[Change.BETTER], c[Change.WORSE], c[Change.UNCHANGED])
        for project_id, c in counts.items()
    }


#: The most values the raw data export reads in one query (whole projects at a time, so a
#: project with more values than this is read alone): what the export holds in memory.
EXPORT_CHUNK_VALUES = 5000


@dataclass
class ExportRows:
    """The raw data export's rows, for :func:`export_rows`: ``total`` is known before any value
    is read; iterating reads the values a few thousand at a time, project by project in the
    export's order, and gives each row as a list (see :func:`export_rows`)."""

    programme: Programme
    total: int
    #: The project ids of each query of values, in the export's order.
    chunks: list[list[int]]
    position: dict[int, int]
    projects: dict[int, tuple]
    indicators: dict[int, tuple]
    indicator_order: dict[int, tuple]
    rounds: dict[int, tuple[int, str]]
    stages: dict[tuple[int, int], tuple]
    sources: dict[str, str]

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[list]:
        zone = timezone.get_current_timezone()
        no_stage = (None, "")
        slug = self.programme.slug
        position, order, rounds = self.position, self.indicator_order, self.rounds
        for chunk in self.chunks:
            values = sorted(
                Measurement.objects.overall()
                .filter(local_project_id__in=chunk, round_id__in=list(rounds))
                .order_by()
                .values_list(
                    "local_project_id",
                    "indicator_id",
                    "round_id",
                    "value",
                    "note",
                    "source",
                    "reported_at",
                ),
                key=lambda v: (position[v[0]], order[v[1]], rounds[v[2]][0]),
            )
            for project_id, indicator_id, round_id, value, note, source, reported_at in values:
                yield [
                    *self.projects[project_id],
                    *self.indicators[indicator_id],
                    rounds[round_id][1],
                    value,
                    note,
                    self.sources.get(source, source),
                    reported_at.astimezone(zone).replace(microsecond=0),
                    *self.stages.get((project_id, round_id), no_stage),
                    slug,
                ]


def export_rows(*, projects: QuerySet[LocalProject], programme: Programme) -> ExportRows:
    """Every value of the given projects in the programme's rounds, for the raw data export,
    grouped by network and project (by name), then indicator and round. Units, directions,
    sources and anchoring stages in Bokmål whatever the page's language; the project's
    anchoring stage in the value's round beside each value; the registration time as a local
    date-time (the writers make it ISO 8601 in CSV, a date cell in XLSX); the programme's slug
    last. Rows of plain values, not model instances. Six queries, and one more for each
    :data:`EXPORT_CHUNK_VALUES` values as the rows are read."""
    project_list = sort_projects(
        projects.select_related("network__theme").prefetch_related(_municipality_prefetch())
    )
    project_ids = [p.pk for p in project_list]
    rounds = {r.pk: (r.position, r.name) for r in programme_rounds(programme.pk)}
    indicators = list(
        Indicator.objects.filter(
            Q(local_project_id__in=project_ids)
            | Q(local_project__isnull=True, theme__programme=programme)
        ).values_list("pk", "name", "unit", "direction", "local_project_id", "position")
    )
    counts = dict(
        Measurement.objects.overall()
        .filter(local_project_id__in=project_ids, round_id__in=list(rounds))
        .order_by()
        .values("local_project_id")
        .annotate(count=Count("pk"))
        .values_list("local_project_id", "count")
    )
    chunks: list[list[int]] = []
    size = 0
    for project_id in project_ids:
        count = counts.get(project_id, 0)
        if not count:
            continue
        if not chunks or size + count > EXPORT_CHUNK_VALUES:
            chunks.append([])
            size = 0
        chunks[-1].append(project_id)
        size += count
    with translation.override("nb"):
        units = {u.value: str(u.label) for u in Unit}
        directions = {d.value: str(d.label) for d in Direction}
        sources = {s.value: str(s.label) for s in MeasurementSource}
        stage_names = {s.value: str(s.label) for s in AnchoringStage}
    return ExportRows(
        programme=programme,
        total=sum(counts.values()),
        chunks=chunks,
        position={pk: i for i, pk in enumerate(project_ids)},
        projects={
            p.pk: (
                p.network.name,
                p.network.theme.name,
                p.slug,
                p.name,
                " ".join(m.number for m in p.municipalities.all()),
            )
            for p in project_list
        },
        indicators={
            pk: (name, units.get(unit, unit), directions.get(direction, direction))
            for pk, name, unit, direction, _own, _position in indicators
        },
        indicator_order={
            pk: (own is not None, position, name)
            for pk, name, _unit, _direction, own, position in indicators
        },
        rounds=rounds,
        stages={
            (project_id, round_id): (stage, stage_names.get(stage, "") if stage else "")
            for project_id, round_id, stage in AnchoringAssessment.objects.filter(
                local_project_id__in=project_ids, round_id__in=list(rounds)
            ).values_list("local_project_id", "round_id", "stage")
        },
        sources=sources,
    )


# --- Completeness -------------------------------------------------------------------------------


@dataclass
class CompletenessRow:
    project: LocalProject
    status: RoundStatus
    last_reminder: datetime | None
    leader_emails: list[str]


def completeness(*, projects: QuerySet[LocalProject], round: MeasurementRound):
    """``([NetworkGroup(network, [CompletenessRow])], reported count, total count)``:
    projects that have not fully reported in the round (per network), with their last
    reminder and whether a leader can be reached by e-mail. Two queries."""
    last_reminder = Reminder.objects.filter(round=round, local_project=OuterRef("pk"))
    project_list = sort_projects(
        with_round_statuses(projects, [round])
        .annotate(last_reminder=Subquery(last_reminder.order_by("-sent_at").values("sent_at")[:1]))
        .select_related("network__theme")
    )
    if not project_list:
        return [], 0, 0
    statuses = round_statuses(project_list, [round])
    project_ids = [p.pk for p in project_list]
    emails = leader_emails(project_ids)
    groups: list[NetworkGroup] = []
    complete = 0
    for project in project_list:
        status = statuses[(project.pk, round.pk)]
        if status.is_complete:
            complete += 1
            continue
        if not groups or groups[-1].network.pk != project.network_id:
            groups.append(NetworkGroup(project.network))
        groups[-1].rows.append(
            CompletenessRow(
                project=project,
                status=status,
                last_reminder=project.last_reminder,
                leader_emails=emails.get(project.pk, []),
            )
        )
    return groups, complete, len(project_list)


def leader_emails(project_ids: list[int]) -> dict[int, list[str]]:
    """``{project id: [e-mail of each project leader]}`` (the participant's address, else
    their account's), in one query."""
    emails: dict[int, list[str]] = defaultdict(list)
    for project_id, email, account_email in (
        Participant.objects.filter(local_project_id__in=project_ids, is_project_leader=True)
        .order_by("name")
        .values_list("local_project_id", "email", "user__email")
    ):
        address = email or account_email
        if address and address not in emails[project_id]:
            emails[project_id].append(address)
    return emails


# --- One project's progress ---------------------------------------------------------------------


@dataclass
class RoundValue:
    round: MeasurementRound
    value: Decimal | None
    text: str
    note: str
    source: str


@dataclass
class IndicatorProgress:
    indicator: Indicator
    rounds: list[RoundValue]
    goal: Goal | None
    goal_text: str
    change: Change | None
    change_text: str
    chart: Chart
    chart_title: str
    chart_description: str

    @property
    def chart_id(self) -> str:
        return f"chart-{self.indicator.pk}"


@dataclass
class AnchoringStep:
    round: MeasurementRound
    assessment: AnchoringAssessment | None

    @property
    def statement(self) -> str:
        return self.assessment.statement if self.assessment else ""


def project_progress(project: LocalProject, rounds: list[MeasurementRound]):
    """``([IndicatorProgress], [AnchoringStep])`` for one project. Three queries (the
    project's goal of each indicator is read with the indicators)."""
    goals = Goal.objects.filter(local_project=project, indicator=OuterRef("pk"))
    indicators = Indicator.objects.for_project(project).annotate(
        goal_value=Subquery(goals.values("target_value")[:1]),
        goal_date=Subquery(goals.values("target_date")[:1]),
    )
    values: dict[tuple[int, int], Measurement] = {
        (m.indicator_id, m.round_id): m
        for m in Measurement.objects.overall().filter(local_project=project, round__in=rounds)
    }
    baseline = baseline_round(rounds)
    progress = [
        _indicator_progress(project, indicator, rounds, baseline, values, _goal(project, indicator))
        for indicator in indicators
    ]
    assessments = {a.round_id: a for a in AnchoringAssessment.objects.filter(local_project=project)}
    anchoring = [AnchoringStep(r, assessments.get(r.pk)) for r in rounds]
    return progress, anchoring


def _goal(project: LocalProject, indicator: Indicator) -> Goal | None:
    """The goal from the indicator's ``goal_value`` and ``goal_date`` annotations."""
    if indicator.goal_date is None:
        return None
    return Goal(
        local_project=project,
        indicator=indicator,
        target_value=indicator.goal_value,
        target_date=indicator.goal_date,
    )


def _indicator_progress(project, indicator, rounds, baseline, values, goal):
    unit = indicator.unit
    row_values = []
    for r in rounds:
        measurement = values.get((indicator.pk, r.pk))
        value = measurement.value if measurement else None
        row_values.append(
            RoundValue(
                round=r,
                value=value,
                text=format_value(value, unit),
                note=measurement.note if measurement else "",
                source=measurement.get_source_display() if measurement else "",
            )
        )
    goal_text = ""
    if goal is not None:
        goal_text = gettext("%(value)s by %(date)s") % {
            "value": format_value(goal.target_value, unit),
            "date": _date(goal.target_date),
        }
    change, change_text = _change_words(indicator, baseline, row_values)
    chart = build_chart(
        rounds=[r.name for r in rounds],
        values=[v.value for v in row_values],
        goal=goal.target_value if goal else None,
        unit=unit,
    )
    title = gettext("%(indicator)s in %(project)s, by measurement round") % {
        "indicator": indicator.name,
        "project": project.name,
    }
    parts = [
        gettext("%(round)s: %(value)s.")
        % {
            "round": v.round.name,
            "value": v.text if v.value is not None else gettext("not reported"),
        }
        for v in row_values
    ]
    if goal is not None:
        parts.append(gettext("Goal: %(goal)s.") % {"goal": goal_text})
    parts.append(f"{indicator.get_direction_display()}.")
    if change_text:
        parts.append(change_text)
    return IndicatorProgress(
        indicator=indicator,
        rounds=row_values,
        goal=goal,
        goal_text=goal_text,
        change=change,
        change_text=change_text,
        chart=chart,
        chart_title=title,
        chart_description=" ".join(parts),
    )


def _date(day) -> str:
    return date_format(day, "DATE_FORMAT")


def _change_words(indicator, baseline, row_values: list[RoundValue]):
    """The change from the baseline to the latest later value, as the direction reads it."""
    if baseline is None:
        return None, ""
    start = next((v for v in row_values if v.round.pk == baseline.pk), None)
    if start is None or start.value is None:
        return None, ""
    after = row_values[row_values.index(start) + 1 :]
    latest = next((v for v in reversed(after) if v.value is not None), None)
    if latest is None:
        return None, gettext("No value after %(baseline)s yet.") % {"baseline": baseline.name}
    change = compare(start.value, latest.value, indicator.direction)
    params = {
        "change": change.label,
        "baseline": baseline.name,
        "latest": latest.round.name,
        "from": start.text,
        "to": latest.text,
    }
    if change == Change.UNCHANGED:
        text = gettext("Unchanged since %(baseline)s (%(from)s in %(latest)s too).") % params
    else:
        params["difference"] = format_difference(latest.value - start.value, indicator.unit)
        text = (
            gettext(
                "%(change)s since %(baseline)s: from %(from)s to %(to)s in %(latest)s "
                "(%(difference)s)."
            )
            % params
        )
        text = text[0].upper() + text[1:]
    return change, text


# --- Report form --------------------------------------------------------------------------------


@dataclass
class ReportData:
    indicators: list[Indicator]
    existing: dict[int, Measurement]
    anchoring: AnchoringAssessment | None
    version: int
    baseline: MeasurementRound | None
    baseline_values: dict[int, Decimal]


def report_data(
    project: LocalProject, round: MeasurementRound, rounds: list[MeasurementRound]
) -> ReportData:
    """What the report form of one project and round (one of the programme's ``rounds``)
    starts from. Four queries, five with a baseline to compare with."""
    indicators = project_indicators(project)
    existing = {
        m.indicator_id: m
        for m in Measurement.objects.overall().filter(local_project=project, round=round)
    }
    anchoring = AnchoringAssessment.objects.filter(local_project=project, round=round).first()
    version = (
        RoundReport.objects.filter(local_project=project, round=round)
        .values_list("version", flat=True)
        .first()
    ) or 1
    baseline = None
    baseline_values: dict[int, Decimal] = {}
    if round.kind != RoundKind.BASELINE:
        baseline = next(
            (r for r in rounds if r.kind == RoundKind.BASELINE and r.pk != round.pk), None
        )
        if baseline is not None:
            baseline_values = dict(
                Measurement.objects.overall()
                .filter(local_project=project, round=baseline)
                .values_list("indicator_id", "value")
            )
    return ReportData(indicators, existing, anchoring, version, baseline, baseline_values)


def anchoring_ladder() -> list[tuple[int, str, str]]:
    """``[(number, stage, statement)]`` from awareness to internalisation."""
    return [(stage.value, stage.label, ANCHORING_STATEMENTS[stage]) for stage in AnchoringStage]


def stage_choices() -> list[tuple[int, str]]:
    return [
        (number, f"{number}. {label} – «{statement}»")
        for number, label, statement in anchoring_ladder()
    ]


# --- History ------------------------------------------------------------------------------------


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


def project_history(project: LocalProject, *, limit: int = 200) -> list[HistoryEntry]:
    """Every change to the project's values and anchoring stages, newest first: what it was,
    what it became, who changed it and – for a correction after a round closed – why. Two
    queries."""
    entries = _history_entries(
        Measurement.history.filter(local_project_id=project.pk, part="").select_related(
            "indicator", "round", "history_user"
        ),
        subject=lambda record: record.indicator.name if record.indicator else "",
        text=lambda record: format_value(
            record.value, record.indicator.unit if record.indicator else ""
        ),
        detail=lambda record: (record.value, record.note),
        source=lambda record: record.get_source_display(),
    )
    entries += _history_entries(
        AnchoringAssessment.history.filter(local_project_id=project.pk).select_related(
            "round", "history_user"
        ),
        subject=lambda record: gettext("Anchoring stage"),
        text=lambda record: f"{record.stage}. {AnchoringStage(record.stage).label}",
        detail=lambda record: (record.stage, record.note),
        source=lambda record: "",
    )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _history_entries(records, *, subject, text, detail, source) -> list[HistoryEntry]:
    entries = []
    previous: dict[int, object] = {}
    for record in records.order_by("history_date", "history_id"):
        before = previous.get(record.id)
        after = text(record)
        if record.history_type == "-":
            after = gettext("removed")
        elif before is not None and detail(before) != detail(record) and text(before) == after:
            after = gettext("%(value)s (note changed)") % {"value": after}
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user or ""),
                round=record.round.name if record.round else "",
                subject=subject(record),
                before=text(before) if before is not None else "–",
                after=after,
                reason=record.history_change_reason or "",
                source=source(record),
            )
        )
        previous[record.id] = None if record.history_type == "-" else record
    return entries


# --- One municipality's progress ----------------------------------------------------------------


@dataclass
class MunicipalityProject:
    """One local project a municipality took part in: its pictures and anchoring per round."""

    project: LocalProject
    partners: list[Municipality]
    rounds: list[MeasurementRound]
    pictures: list[IndicatorPicture]
    anchoring: list[AnchoringStep]
    #: Set by the view: whether the user may open the project's own progress page, and where.
    can_view_progress: bool = False
    url: str = ""


def municipality_projects(
    municipality: Municipality, projects: QuerySet[LocalProject]
) -> list[LocalProject]:
    """The projects of ``projects`` the municipality took part in, by programme, network and
    name – never by a value – with their municipalities: two queries."""
    return sorted(
        projects.filter(municipalities=municipality)
        .select_related("network__theme", "network__programme")
        .prefetch_related(_municipality_prefetch()),
        key=lambda p: (
            p.network.programme_id,
            p.network.theme.position,
            norwegian_key(p.network.name),
            norwegian_key(p.name),
            p.pk,
        ),
    )


def municipality_progress(
    municipality: Municipality, project_list: list[LocalProject]
) -> list[MunicipalityProject]:
    """Each of the municipality's projects (``municipality_projects``) with a picture of every
    indicator over its programme's rounds and its anchoring stage per round. Three queries
    whatever the number of projects."""
    if not project_list:
        return []
    rounds_by_programme: dict[int, list[MeasurementRound]] = defaultdict(list)
    for r in MeasurementRound.objects.filter(
        programme_id__in={p.network.programme_id for p in project_list}
    ).order_by("position", "opens_on"):
        rounds_by_programme[r.programme_id].append(r)
    pictures = project_pictures(project_list, rounds_by_programme)
    assessments = {
        (a.local_project_id, a.round_id): a
        for a in AnchoringAssessment.objects.filter(local_project__in=project_list)
    }
    return [
        MunicipalityProject(
            project=project,
            partners=[m for m in project.municipalities.all() if m.pk != municipality.pk],
            rounds=rounds_by_programme[project.network.programme_id],
            pictures=pictures.get(project.pk, []),
            anchoring=[
                AnchoringStep(r, assessments.get((project.pk, r.pk)))
                for r in rounds_by_programme[project.network.programme_id]
            ],
        )
        for project in project_list
    ]
