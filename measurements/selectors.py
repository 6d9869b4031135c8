"""Reads for the measurement pages, each with a constant number of queries.

Everything here looks at one local project against its own baseline and goal. Lists of many
projects are grouped by network and ordered by name – never by a measured value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.conf import settings
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
from django.utils.safestring import SafeString, mark_safe

from core.norwegian import norwegian_key
from core.prepared_reads import PreparedRead, field_paths, instance
from core.subqueries import count_of
from core.translated_fields import LANGUAGES, columns, shown
from municipalities.models import County, LocalProject, Municipality, Participant
from network.models import Network, Programme, Theme
from network.rules import facilitated_network_ids, reads_everything

from .descriptions import round_status_text
from .drawings import (
    AnchoringStep,
    HistoryRecord,
    IndicatorDrawing,
    IndicatorFacts,
    OverviewRowFacts,
    OverviewTableFacts,
    PictureFacts,
    Series,
    draw_anchoring,
    draw_indicators,
    draw_overview_table,
    draw_picture,
    own_change,
)
from .models import (
    AnchoringAssessment,
    AnchoringStage,
    Direction,
    Goal,
    HistoricalAnchoringAssessment,
    HistoricalMeasurement,
    Indicator,
    Measurement,
    MeasurementRound,
    MeasurementSource,
    ProgressPage,
    Reminder,
    RoundKind,
    RoundReport,
    Unit,
    anchoring_ladder,
    indicator_update_url_maker,
    progress_url_maker,
)
from .numbers import Change

# --- The overview's filters ---------------------------------------------------------------------


def programme_rounds(programme_id: int) -> list[MeasurementRound]:
    """The programme's rounds in order: one query, compiled once per process."""
    return [instance(MeasurementRound, row) for row in _read_rounds(programme_id=programme_id)]


_read_rounds = PreparedRead(
    lambda programme_id: (
        MeasurementRound.objects.filter(programme_id=programme_id)
        .order_by("position", "opens_on")
        .values_list(*field_paths(MeasurementRound))
    )
)


def _published() -> Exists:
    return Exists(
        ProgressPage.objects.filter(local_project=OuterRef("pk"), published_at__isnull=False)
    )


#: A project, its network, theme and programme, and whether its results are published, as
#: ``_project_of`` reads them.
_PROJECT_PATHS = (
    *field_paths(LocalProject),
    *field_paths(Network, "network__"),
    *field_paths(Theme, "network__theme__"),
    *field_paths(Programme, "network__programme__"),
    "results_published",
)


def _project_of(row: tuple) -> LocalProject:
    project = instance(LocalProject, row)
    start = len(LocalProject._meta.concrete_fields)
    network = instance(Network, row, start)
    start += len(Network._meta.concrete_fields)
    network.theme = instance(Theme, row, start)
    start += len(Theme._meta.concrete_fields)
    network.programme = instance(Programme, row, start)
    project.network = network
    project.results_published = row[start + len(Programme._meta.concrete_fields)]
    return project


def _project_rows(projects: QuerySet[LocalProject]) -> QuerySet:
    """The rows of ``projects`` that ``_project_of`` reads."""
    return projects.annotate(results_published=_published()).order_by().values_list(*_PROJECT_PATHS)


_read_project = PreparedRead(lambda slug: _project_rows(LocalProject.objects.filter(slug=slug)))


def project_by_slug(slug: str) -> LocalProject | None:
    """The project with its network, theme and programme, and whether its results are
    published (``rules.results_are_published``): one query, compiled once per process."""
    rows = _read_project(slug=slug)
    return _project_of(rows[0]) if rows else None


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
        """The status in words (``descriptions.round_status_text``)."""
        return round_status_text(self.reported, self.total, self.has_anchoring)


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
    projects: QuerySet[LocalProject], round_ids: Sequence[int]
) -> QuerySet[LocalProject]:
    """Annotated with what ``round_statuses`` reads: how many indicators apply to each
    project, and per round (by its place in ``round_ids``, so that the query's shape does not
    depend on which rounds they are) how many of them it reported and whether it gave its
    anchoring stage (subqueries of the project query: no query of their own)."""
    applies = Q(local_project=OuterRef("pk")) | Q(
        local_project__isnull=True, theme_id=OuterRef("network__theme_id")
    )
    measured = Q(indicator__local_project=OuterRef("pk")) | Q(
        indicator__local_project__isnull=True, indicator__theme_id=OuterRef("network__theme_id")
    )
    annotations = {"indicator_total": count_of(Indicator.objects.to_report().filter(applies))}
    for n, round_id in enumerate(round_ids):
        values = Measurement.objects.overall().filter(
            measured, local_project=OuterRef("pk"), round_id=round_id
        )
        annotations[f"reported_{n}"] = count_of(values)
        annotations[f"surveyed_{n}"] = count_of(values.filter(indicator__measured_by_survey=True))
        annotations[f"anchored_{n}"] = Exists(
            AnchoringAssessment.objects.filter(local_project=OuterRef("pk"), round_id=round_id)
        )
    return projects.annotate(**annotations)


def round_statuses(
    projects: Iterable[LocalProject], rounds: list[MeasurementRound]
) -> dict[tuple[int, int], RoundStatus]:
    """``{(project id, round id): RoundStatus}`` of projects read ``with_round_statuses``
    with these rounds' ids, in this order."""
    return {
        (p.pk, r.pk): RoundStatus(
            getattr(p, f"reported_{n}"),
            p.indicator_total + getattr(p, f"surveyed_{n}"),
            getattr(p, f"anchored_{n}"),
        )
        for p in projects
        for n, r in enumerate(rounds)
    }


def _open_rounds_of(project_id: int, theme_id: int, programme_id: int, today: date):
    indicators = Indicator.objects.of_project(project_id=project_id, theme_id=theme_id)
    values = Measurement.objects.overall().filter(
        local_project=project_id, round=OuterRef("pk"), indicator__in=indicators
    )
    return (
        MeasurementRound.objects.open_on(today)
        .filter(programme_id=programme_id)
        .annotate(
            reported=count_of(values),
            surveyed=count_of(values.filter(indicator__measured_by_survey=True)),
            total=count_of(indicators.to_report()),
            anchored=Exists(
                AnchoringAssessment.objects.filter(local_project=project_id, round=OuterRef("pk"))
            ),
        )
        .order_by("position", "opens_on")
    )


_read_open_rounds = PreparedRead(_open_rounds_of)


def open_round_statuses(project: LocalProject) -> list[tuple[MeasurementRound, RoundStatus]]:
    """The open rounds of the project's programme, each with how much of it the project has
    reported (as ``round_statuses``), in one query compiled once per process. The project
    needs ``network`` loaded."""
    rounds = _read_open_rounds.instances(
        project_id=project.pk,
        theme_id=project.network.theme_id,
        programme_id=project.network.programme_id,
        today=timezone.localdate(),
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


@dataclass(frozen=True)
class OverviewProject:
    """What the overview shows of a project (read as plain values, not a model instance)."""

    pk: int
    name: str
    slug: str
    network_id: int
    network: OverviewNetwork


@dataclass
class OverviewRow:
    project: OverviewProject
    municipalities: str
    #: A small picture of each indicator's own values (``project_pictures``), when shown.
    pictures: list[IndicatorPicture] = field(default_factory=list)

    @property
    def pictures_html(self) -> SafeString:
        return pictures_html(self.pictures)


@dataclass
class NetworkGroup:
    network: OverviewNetwork | Network
    rows: list = field(default_factory=list)
    #: On an overview of more than ``OVERVIEW_PICTURES_AT_MOST`` projects the pictures are
    #: shown a network at a time (``?nettverk=``), to keep the page light.
    pictures_omitted: bool = False
    #: The network's heading and table on the overview (``drawings.draw_overview_table``).
    table: SafeString = field(default_factory=SafeString)


#: The most projects whose pictures one overview page draws.
OVERVIEW_PICTURES_AT_MOST = 60


@dataclass
class OverviewData:
    """Everything of a programme the overview reads before it filters: its networks (with
    their themes, by theme and name), projects, and each project's municipalities as text
    and counties."""

    #: The themes of all the programme's networks, and the networks the user follows.
    themes: list[OverviewTheme]
    networks: dict[int, OverviewNetwork]
    projects: list[OverviewProject]
    municipalities: dict[int, str]
    county_numbers: dict[int, set[str]]
    counties: list[CountyChoice]


_read_networks = PreparedRead(
    lambda programme_id: (
        # every language's columns as they are (modeltranslation would rename them)
        Network.objects.rewrite(False)
        .filter(programme_id=programme_id)
        .order_by("theme__position", "name")
        .values_list(*field_paths(Network), *field_paths(Theme, "theme__"))
    )
)


def _programme_projects(programme_id: int) -> QuerySet:
    """Rows of (kind, project, name, slug or number, network, county number, county name):
    each project of the programme (1), and each of its municipalities (2). (A municipality's
    and a county's number is its key.)"""
    nulls = _typed_nulls()
    projects = (
        LocalProject.objects.filter(network__programme_id=programme_id)
        .order_by()
        .values_list(Value(1), "pk", "name", "slug", "network_id", nulls["text"], nulls["text"])
    )
    municipalities = (
        LocalProject.municipalities.through.objects.filter(
            localproject__network__programme_id=programme_id
        )
        .order_by()
        .values_list(
            Value(2),
            "localproject_id",
            "municipality__name",
            "municipality_id",
            nulls["id"],
            "municipality__county_id",
            "municipality__county__name",
        )
    )
    return projects.union(municipalities, all=True)


_read_projects = PreparedRead(_programme_projects)


def programme_networks(programme_id: int) -> list[Network]:
    """The programme's networks with their themes, by theme and name: one query, compiled once
    per process."""
    start = len(Network._meta.concrete_fields)
    networks = []
    for row in _read_networks(programme_id=programme_id):
        network = instance(Network, row)
        network.theme = instance(Theme, row, start)
        networks.append(network)
    return networks


def overview_filter_choices(user, programme: Programme) -> tuple[list[Theme], list[Network]]:
    """The themes of the programme's networks and the networks this user follows, to filter
    the overview by: one query."""
    networks = programme_networks(programme.pk)
    themes = sorted(
        {n.theme_id: n.theme for n in networks}.values(), key=lambda t: (t.position, t.name)
    )
    if not reads_everything(user):
        followed = facilitated_network_ids(user)
        networks = [n for n in networks if n.pk in followed]
    return themes, networks


class OverviewTheme(NamedTuple):
    """A theme as the overview shows it and filters by it (read as plain values)."""

    pk: int
    name: str
    slug: str
    position: int

    def __str__(self) -> str:
        return self.name


class OverviewNetwork(NamedTuple):
    """A network as the overview shows it and filters by it (read as plain values)."""

    pk: int
    name: str
    slug: str
    programme_id: int
    theme_id: int
    theme: OverviewTheme

    def __str__(self) -> str:
        return self.name


class CountyChoice(NamedTuple):
    """A county to filter the overview by."""

    number: str
    name: str

    def __str__(self) -> str:
        return self.name


_NAMES = len(LANGUAGES)

_read_overview_networks = PreparedRead(
    lambda programme_id: (
        # every language's names as they are: the page's own is picked (``shown``)
        Network.objects.rewrite(False)
        .filter(programme_id=programme_id)
        .order_by("theme__position", "name")
        .values_list(
            "pk",
            "slug",
            "programme_id",
            "theme_id",
            "theme__slug",
            "theme__position",
            *columns("name"),
            *columns("theme__name"),
        )
    )
)


def _overview_networks(programme_id: int) -> list[OverviewNetwork]:
    networks = []
    themes: dict[int, OverviewTheme] = {}
    for pk, slug, programme, theme_id, theme_slug, position, *names in _read_overview_networks(
        programme_id=programme_id
    ):
        theme = themes.get(theme_id)
        if theme is None:
            theme = themes[theme_id] = OverviewTheme(
                theme_id, shown(names[_NAMES:]), theme_slug, position
            )
        networks.append(
            OverviewNetwork(pk, shown(names[:_NAMES]), slug, programme, theme_id, theme)
        )
    return networks


def overview_data(programme_id: int, user) -> OverviewData:
    """The programme's networks, projects and municipalities this user's overview shows
    (``rules.overview_projects``), unfiltered. Two queries, compiled once per process."""
    every = _overview_networks(programme_id)
    themes = sorted(
        {n.theme_id: n.theme for n in every}.values(), key=lambda t: (t.position, t.name)
    )
    networks = {n.pk: n for n in every}
    if not reads_everything(user):
        followed = facilitated_network_ids(user)
        networks = {pk: n for pk, n in networks.items() if pk in followed}
    # Ids and text only: as the driver gives them.
    rows = _read_projects.unconverted(programme_id=programme_id)
    projects = [
        OverviewProject(pk, name, slug, network_id, networks[network_id])
        for kind, pk, name, slug, network_id, *_county in rows
        if kind == 1 and network_id in networks
    ]
    listed = {p.pk for p in projects}
    # Each project's municipalities, by number.
    links = [row for row in rows if row[0] == 2 and row[1] in listed]
    links.sort(key=itemgetter(3))
    names: dict[int, list[str]] = defaultdict(list)
    county_numbers: dict[int, set[str]] = defaultdict(set)
    counties: dict[str, County] = {}
    for _kind, project_id, name, number, _network, county_number, county_name in links:
        names[project_id].append(f"{name} ({number})")
        county_numbers[project_id].add(county_number)
        if county_number not in counties:
            counties[county_number] = CountyChoice(county_number, county_name)
    return OverviewData(
        themes=themes,
        networks=networks,
        projects=projects,
        municipalities={project_id: ", ".join(texts) for project_id, texts in names.items()},
        county_numbers=county_numbers,
        counties=sorted(counties.values(), key=lambda c: c.number),
    )


def overview(
    *,
    data: OverviewData,
    rounds: list[MeasurementRound],
    theme: OverviewTheme | None = None,
    network: OverviewNetwork | None = None,
    county: CountyChoice | None = None,
) -> list[NetworkGroup]:
    """``[NetworkGroup(network, [OverviewRow])]``: the projects of ``data`` (``overview_data``)
    of the theme, network and county asked for, by network and name – never by a value –
    each network with its table (which rounds each project has reported, its own change
    since its baseline) and, on an overview of at most ``OVERVIEW_PICTURES_AT_MOST``
    projects, a sparkline of each indicator. Two queries whatever the size."""
    projects = [
        p
        for p in data.projects
        if (theme is None or p.network.theme_id == theme.pk)
        and (network is None or p.network_id == network.pk)
        and (county is None or county.number in data.county_numbers.get(p.pk, ()))
    ]
    if not projects:
        return []
    keys: dict[str, tuple] = {}

    def key(text: str) -> tuple:
        if text not in keys:
            keys[text] = norwegian_key(text)
        return keys[text]

    order = {network_id: (n.theme.position, key(n.name)) for network_id, n in data.networks.items()}
    projects.sort(key=lambda p: (order[p.network_id], key(p.name), p.pk))
    programme_id = projects[0].network.programme_id
    statuses = programme_round_statuses(projects, rounds)
    omitted = len(projects) > OVERVIEW_PICTURES_AT_MOST
    if omitted:
        pictures: dict[int, list[IndicatorPicture]] = {}
        changes = own_change_counts(programme_id, rounds)
    else:
        pictures = project_pictures(projects, {programme_id: rounds})
        changes = {pk: picture_changes(items) for pk, items in pictures.items()}
    url_of = progress_url_maker()
    round_names = tuple(r.name for r in rounds)
    municipalities = data.municipalities
    unchanged = (0, 0, 0)
    groups: list[NetworkGroup] = []
    table_rows: list[list[OverviewRowFacts]] = []
    network_id = None
    for project in projects:
        if project.network_id != network_id:
            network_id = project.network_id
            groups.append(NetworkGroup(project.network, pictures_omitted=omitted))
            table_rows.append([])
        names = municipalities.get(project.pk, "")
        table_rows[-1].append(
            OverviewRowFacts(
                url_of(project.slug),
                project.name,
                names,
                statuses[project.pk],
                changes.get(project.pk, unchanged),
            )
        )
        if not omitted:
            groups[-1].rows.append(
                OverviewRow(
                    project=project, municipalities=names, pictures=pictures.get(project.pk, [])
                )
            )
    for group, rows in zip(groups, table_rows, strict=True):
        group.table = draw_overview_table(
            OverviewTableFacts(
                network_id=group.network.pk,
                network=group.network.name,
                network_slug=group.network.slug,
                rounds=round_names,
                rows=tuple(rows),
                pictures_omitted=omitted,
            )
        )
    return groups


def _programme_statuses(programme_id: int, round_ids: list[int]) -> QuerySet:
    """Rows of (kind, project or theme, round, count, count): for each project and round the
    values of indicators that apply to it (1: how many, how many of them the survey's), each
    anchoring stage (2), and the indicators to report of each theme's catalogue (3) and each
    project's own (4)."""
    applies = Q(indicator__local_project_id=F("local_project_id")) | Q(
        indicator__local_project__isnull=True,
        indicator__theme_id=F("local_project__network__theme_id"),
    )
    nulls = _typed_nulls()
    values = (
        Measurement.objects.overall()
        .filter(applies, local_project__network__programme_id=programme_id)
        .filter(round_id__in=round_ids)
        .order_by()
        .values("local_project_id", "round_id")
        .annotate(
            kind=Value(1),
            reported=Count("pk"),
            surveyed=Count("pk", filter=Q(indicator__measured_by_survey=True)),
        )
        .values_list("kind", "local_project_id", "round_id", "reported", "surveyed")
    )
    stages = (
        AnchoringAssessment.objects.filter(
            local_project__network__programme_id=programme_id, round_id__in=round_ids
        )
        .order_by()
        .values_list(Value(2), "local_project_id", "round_id", Value(1), Value(0))
    )
    catalogue = (
        Indicator.objects.to_report()
        .filter(local_project__isnull=True, theme__networks__programme_id=programme_id)
        .order_by()
        .values("theme_id")
        .annotate(kind=Value(3), n=Count("pk", distinct=True))
        .values_list("kind", "theme_id", nulls["id"], "n", Value(0))
    )
    own = (
        Indicator.objects.to_report()
        .filter(local_project__network__programme_id=programme_id)
        .order_by()
        .values("local_project_id")
        .annotate(kind=Value(4), n=Count("pk"))
        .values_list("kind", "local_project_id", nulls["id"], "n", Value(0))
    )
    return values.union(stages, catalogue, own, all=True)


_read_statuses = PreparedRead(_programme_statuses)


def programme_round_statuses(
    projects: list[OverviewProject], rounds: list[MeasurementRound]
) -> dict[int, tuple[tuple[int, int, bool], ...]]:
    """``{project id: ((reported, total, anchored) of each round, …)}`` of the projects, all
    of one programme: the arguments of ``RoundStatus`` (as ``round_statuses``). One query."""
    if not projects:
        return {}
    if not rounds:
        return {project.pk: () for project in projects}
    programme_id = projects[0].network.programme_id
    round_ids = [r.pk for r in rounds]
    # Counts and ids only: as the driver gives them. A pass per kind of row.
    rows = _read_statuses.unconverted(programme_id=programme_id, round_ids=round_ids)
    reported = {(o, r): (n, surveyed) for kind, o, r, n, surveyed in rows if kind == 1}
    anchored = {(o, r) for kind, o, r, _n, _s in rows if kind == 2}
    catalogue = {o: n for kind, o, _r, n, _s in rows if kind == 3}
    own = {o: n for kind, o, _r, n, _s in rows if kind == 4}
    nothing = (0, 0)
    statuses = {}
    for project in projects:
        pk = project.pk
        total = catalogue.get(project.network.theme_id, 0) + own.get(pk, 0)
        cells = [
            (*reported.get((pk, round_id), nothing), (pk, round_id) in anchored)
            for round_id in round_ids
        ]
        statuses[pk] = tuple((n, total + surveyed, a) for n, surveyed, a in cells)
    return statuses


def picture_changes(pictures: list[IndicatorPicture]) -> tuple[int, int, int]:
    """``(better, worse, unchanged)``: per indicator, the latest value after the baseline
    against the project's own baseline value (as ``own_change_counts``, from the pictures'
    values)."""
    counts = dict.fromkeys(Change, 0)
    for picture in pictures:
        series = picture.facts.series
        change = own_change(series.values, series.baseline, series.direction)
        if change is not None:
            counts[change] += 1
    return counts[Change.BETTER], counts[Change.WORSE], counts[Change.UNCHANGED]


def _values_by_indicator(programme_id: int, baseline_id: int, later_ids: list[int]) -> QuerySet:
    """Per project of the programme and indicator that applies to it: its direction, its
    baseline value and its latest value after the baseline."""

    def value_in(round_id) -> Max:
        return Max(Case(When(round_id=round_id, then="value")))

    latest = [value_in(pk) for pk in reversed(later_ids)]
    return (
        Measurement.objects.overall()
        .filter(
            Q(indicator__local_project_id=F("local_project_id"))
            | Q(
                indicator__local_project__isnull=True,
                indicator__theme_id=F("local_project__network__theme_id"),
            ),
            local_project__network__programme_id=programme_id,
        )
        .filter(round_id__in=[baseline_id, *later_ids])
        .order_by()
        .values(p=F("local_project_id"), i=F("indicator_id"), d=F("indicator__direction"))
        .annotate(
            start=value_in(baseline_id),
            latest=Coalesce(*latest) if len(latest) > 1 else latest[0],
        )
    )


_values_by_indicator_read = PreparedRead(_values_by_indicator)


def own_change_counts(
    programme_id: int, rounds: list[MeasurementRound]
) -> dict[int, tuple[int, int, int]]:
    """``{project id: (better, worse, unchanged)}`` of each project of the programme: per
    indicator that applies to the project, the latest value after the baseline against the
    project's own baseline value, as its direction reads it (``numbers.compare``). One query,
    which the database answers with a row per project: it puts each round's value of a
    project and indicator in a column, and counts."""
    baseline = baseline_round(rounds)
    if baseline is None:
        return {}
    order = [r.pk for r in rounds]
    later = order[order.index(baseline.pk) + 1 :]
    if not later:
        return {}
    sql, params = _values_by_indicator_read.sql(
        programme_id=programme_id, baseline_id=baseline.pk, later_ids=later
    )
    went_worse = '("latest" > "start") <> ("d" = %s)'
    counted = (
        'SELECT "p", '
        f'SUM(CASE WHEN "latest" = "start" OR {went_worse} THEN 0 ELSE 1 END), '
        f'SUM(CASE WHEN "latest" <> "start" AND {went_worse} THEN 1 ELSE 0 END), '
        'SUM(CASE WHEN "latest" = "start" THEN 1 ELSE 0 END) '
        f'FROM ({sql}) "changes" '
        'WHERE "start" IS NOT NULL AND "latest" IS NOT NULL GROUP BY "p"'
    )
    higher = Direction.HIGHER_IS_BETTER.value
    with connection.cursor() as cursor:
        cursor.execute(counted, (higher, higher, *params))
        return {
            project_id: (int(better), int(worse), int(unchanged))
            for project_id, better, worse, unchanged in cursor.fetchall()
        }


# --- Pictures: each project's own development, one sparkline per indicator -----------------------


def _typed_nulls() -> dict[str, Cast]:
    """NULLs of each type, to pad the rows of a UNION: PostgreSQL gives an untyped NULL the
    type text there."""
    return {
        "text": Cast(Value(None), CharField()),
        "number": Cast(Value(None), IntegerField()),
        "id": Cast(Value(None), BigIntegerField()),
        "day": Cast(Value(None), DateField()),
        "decimal": Cast(Value(None), DecimalField(max_digits=14, decimal_places=3)),
    }


@dataclass
class IndicatorPicture:
    """One project's values of one indicator over the rounds, its baseline and its goal, as
    a sparkline on its own scale and as numbers (``drawings.draw_picture``)."""

    facts: PictureFacts
    html: SafeString


def pictures_html(pictures: list[IndicatorPicture]) -> SafeString:
    """The pictures' figures, as the items of a list."""
    return mark_safe("".join(picture.html for picture in pictures))


def _pictures_rows(project_ids: list[int], theme_ids: list[int], round_ids: list[int]):
    """Each value (kind 1), goal (2) and applicable indicator (3) of the projects as a row of
    (kind, project, indicator, round, value, date, name, unit, direction, position, theme)."""
    nothing = _typed_nulls()
    padding = [nothing["text"]] * 3 + [nothing["number"], nothing["id"]]
    measured = (
        Measurement.objects.overall()
        .filter(local_project_id__in=project_ids)
        .filter(round_id__in=round_ids)
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
    return measured.union(targets, applicable, all=True)


_read_pictures = PreparedRead(_pictures_rows)


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
    theme_ids = sorted({p.network.theme_id for p in projects})
    round_ids = sorted({r.pk for rounds in rounds_by_programme.values() for r in rounds})
    rows = (
        _read_pictures(project_ids=project_ids, theme_ids=theme_ids, round_ids=round_ids)
        if round_ids
        else []
    )
    goals: dict[tuple[int, int], tuple[Decimal, date]] = {}
    values: dict[tuple[int, int, int], Decimal] = {}
    # (own?, position, name, id, unit, direction) of the catalogue's indicators by theme and
    # of the projects' own by project.
    catalogue: dict[int, list[tuple]] = defaultdict(list)
    own: dict[int, list[tuple]] = defaultdict(list)
    for kind, project_id, indicator_id, round_id, value, day, *about in rows:
        if kind == 1:
            values[(project_id, indicator_id, round_id)] = value
        elif kind == 2:
            goals[(project_id, indicator_id)] = (value, day)
        else:
            name, unit, direction, position, theme_id = about
            indicator = (position, name, indicator_id, unit, direction)
            (own[project_id] if project_id else catalogue[theme_id]).append(indicator)
    for indicators in (*catalogue.values(), *own.values()):
        indicators.sort()
    result: dict[int, list[IndicatorPicture]] = {}
    for project in projects:
        rounds = rounds_by_programme.get(project.network.programme_id, [])
        names = tuple(r.name for r in rounds)
        baseline = baseline_index(rounds)
        pictures = []
        for _position, name, indicator_id, unit, direction in (
            *catalogue[project.network.theme_id],
            *own[project.pk],
        ):
            goal, goal_date = goals.get((project.pk, indicator_id), (None, None))
            series = Series(
                unit=unit,
                direction=direction,
                rounds=names,
                baseline=baseline,
                values=tuple(values.get((project.pk, indicator_id, r.pk)) for r in rounds),
                goal=goal,
                goal_date=goal_date,
            )
            facts = PictureFacts(
                project_id=project.pk,
                project=project.name,
                indicator_id=indicator_id,
                name=name,
                series=series,
            )
            pictures.append(IndicatorPicture(facts, draw_picture(facts)))
        result[project.pk] = pictures
    return result


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


def baseline_index(rounds: list[MeasurementRound]) -> int | None:
    """The baseline round's place among ``rounds`` (``baseline_round``)."""
    baseline = baseline_round(rounds)
    return None if baseline is None else rounds.index(baseline)


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
    grouped by network and project (by name), then indicator and round. Networks, themes,
    units, directions,
    sources and anchoring stages in Bokmål whatever the page's language; the project's
    anchoring stage in the value's round beside each value; the registration time as a local
    date-time (the writers make it ISO 8601 in CSV, a date cell in XLSX); the programme's slug
    last. Rows of plain values, not model instances. Six queries, and one more for each
    :data:`EXPORT_CHUNK_VALUES` values as the rows are read."""
    with translation.override("nb"):
        return _export_rows(projects=projects, programme=programme)


def _export_rows(*, projects: QuerySet[LocalProject], programme: Programme) -> ExportRows:
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
class IndicatorProgress:
    """One indicator of the project: the facts of it a page shows, and their drawing (the
    indicator's article, ``drawings.draw_indicator``)."""

    facts: IndicatorFacts
    drawing: IndicatorDrawing

    @property
    def change(self) -> Change | None:
        return self.drawing.change

    @property
    def change_text(self) -> str:
        return self.drawing.change_text


def _project_indicators(project_id: int, theme_id: int) -> QuerySet:
    """The project's theme catalogue and its own indicators, as rows of ``_IndicatorRow``."""
    return (
        Indicator.objects.filter(
            Q(theme_id=theme_id, local_project__isnull=True) | Q(local_project_id=project_id)
        )
        .order_by()
        .values_list(
            "pk",
            "name",
            "unit",
            "direction",
            "definition",
            "source",
            "local_project_id",
            "position",
        )
    )


class _IndicatorRow(NamedTuple):
    pk: int
    name: str
    unit: str
    direction: str
    definition: str
    source: str
    local_project_id: int | None
    position: int


def _project_values(project_id: int, round_ids: list[int]) -> QuerySet:
    """The project's values and anchoring stages in ``round_ids`` and its goals, as rows of
    (kind, indicator, round, number, text, date): a value (1), goal (2) or stage (3)."""
    nulls = _typed_nulls()
    measured = (
        Measurement.objects.overall()
        .filter(local_project_id=project_id, round_id__in=round_ids)
        .order_by()
        .values_list(Value(1), "indicator_id", "round_id", "value", "note", nulls["day"])
    )
    targets = (
        Goal.objects.filter(local_project_id=project_id)
        .order_by()
        .values_list(
            Value(2), "indicator_id", nulls["id"], "target_value", nulls["text"], "target_date"
        )
    )
    stages = (
        AnchoringAssessment.objects.filter(local_project_id=project_id, round_id__in=round_ids)
        .order_by()
        .values_list(Value(3), nulls["id"], "round_id", "stage", "note", nulls["day"])
    )
    return measured.union(targets, stages, all=True)


_read_indicators = PreparedRead(_project_indicators)
_read_values = PreparedRead(_project_values)


def project_progress(
    project: LocalProject,
    rounds: list[MeasurementRound],
    *,
    can_change: bool = False,
    report: bool = False,
):
    """``([IndicatorProgress], [AnchoringStep])`` for one project (of its programme's
    ``rounds``): for its progress page, with a link to change each of its own indicators
    when ``can_change``, or for its final report (``report``). Two queries: the indicators,
    and its values, goals and anchoring stages together (both compiled once per process).
    The project needs ``network`` loaded."""
    indicators = sorted(
        map(
            _IndicatorRow._make,
            _read_indicators(project_id=project.pk, theme_id=project.network.theme_id),
        ),
        key=lambda i: (i.local_project_id is not None, i.position, i.name),
    )
    round_ids = [r.pk for r in rounds]
    values: dict[tuple[int, int], tuple[Decimal, str]] = {}
    goals: dict[int, tuple[Decimal, date]] = {}
    assessments: dict[int, AnchoringAssessment] = {}
    rows = _read_values(project_id=project.pk, round_ids=round_ids) if round_ids else []
    for kind, indicator_id, round_id, number, text, day in rows:
        if kind == 1:
            values[(indicator_id, round_id)] = (number, text)
        elif kind == 2:
            goals[indicator_id] = (number, day)
        else:
            assessments[round_id] = AnchoringAssessment(
                local_project=project, round_id=round_id, stage=int(number), note=text
            )
    names = tuple(r.name for r in rounds)
    baseline = baseline_index(rounds)
    nothing = (None, "")
    change_url = indicator_update_url_maker(project.slug) if can_change else None
    drawn = []
    for indicator in indicators:
        row = [values.get((indicator.pk, round_id), nothing) for round_id in round_ids]
        goal, goal_date = goals.get(indicator.pk, (None, None))
        own = indicator.local_project_id is not None
        series = Series(
            unit=indicator.unit,
            direction=indicator.direction,
            rounds=names,
            baseline=baseline,
            values=tuple(value for value, _note in row),
            goal=goal,
            goal_date=goal_date,
        )
        facts = IndicatorFacts(
            project=project.name,
            indicator_id=indicator.pk,
            name=indicator.name,
            definition=indicator.definition,
            source=indicator.source,
            own=own,
            change_url=change_url(indicator.pk) if own and change_url else "",
            report=report,
            series=series,
            notes=tuple(note for _value, note in row),
        )
        drawn.append(facts)
    progress = [
        IndicatorProgress(facts, drawing)
        for facts, drawing in zip(drawn, draw_indicators(drawn), strict=True)
    ]
    anchoring = [AnchoringStep(r, assessments.get(r.pk)) for r in rounds]
    return progress, anchoring


def draw_progress_pages(project_ids: Iterable[int]) -> int:
    """Draw the charts of these projects' progress pages as a visitor sees them, in every
    language, into the drawings' shared memo: a chart is then drawn when its data changes
    (the worker, ``tasks.draw_progress``), not on the first view after. How many pages."""
    projects = LocalProject.objects.filter(pk__in=list(project_ids)).select_related("network")
    rounds: dict[int, list[MeasurementRound]] = {}
    drawn = 0
    for project in projects.order_by("pk"):
        programme_id = project.network.programme_id
        if programme_id not in rounds:
            rounds[programme_id] = programme_rounds(programme_id)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                _progress, anchoring = project_progress(project, rounds[programme_id])
                draw_anchoring(anchoring)
            drawn += 1
    return drawn


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


def stage_choices() -> list[tuple[int, str]]:
    return [
        (number, f"{number}. {label} – «{statement}»")
        for number, label, statement in anchoring_ladder()
    ]


# --- History ------------------------------------------------------------------------------------


def project_history(project: LocalProject) -> tuple[HistoryRecord, ...]:
    """Every change to the project's values and anchoring stages (for
    ``drawings.draw_history``), in no order. One query of plain values (both histories
    together), compiled once per process."""
    return tuple(map(HistoryRecord._make, _read_history(project_id=project.pk)))


def _project_history(project_id: int) -> QuerySet:
    nulls = _typed_nulls()
    people = ("history_user__first_name", "history_user__last_name", "history_user__username")
    about = ("history_id", "history_date", "history_type", "history_change_reason")
    # The historical models themselves (simple_history puts them beside their models):
    # ``Model.history`` builds a manager class on each use.
    values = (
        HistoricalMeasurement.objects.filter(local_project_id=project_id, part="")
        .order_by()
        .values_list(
            Value(HistoryRecord.VALUE),
            "id",
            *about,
            "value",
            "note",
            "source",
            "indicator__name",
            "indicator__unit",
            "round__name",
            *people,
        )
    )
    stages = (
        HistoricalAnchoringAssessment.objects.filter(local_project_id=project_id)
        .order_by()
        .values_list(
            Value(HistoryRecord.STAGE),
            "id",
            *about,
            Cast("stage", DecimalField(max_digits=14, decimal_places=3)),
            "note",
            nulls["text"],
            nulls["text"],
            nulls["text"],
            "round__name",
            *people,
        )
    )
    return values.union(stages, all=True)


_read_history = PreparedRead(_project_history)


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

    @property
    def pictures_html(self) -> SafeString:
        return pictures_html(self.pictures)


_read_municipality = PreparedRead(
    lambda number: (
        Municipality.objects.filter(number=number)
        .order_by()
        .values_list(*field_paths(Municipality), *field_paths(County, "county__"))
    )
)


def municipality_by_number(number: str) -> Municipality | None:
    """The municipality with its county: one query, compiled once per process."""
    rows = _read_municipality(number=number)
    if not rows:
        return None
    municipality = instance(Municipality, rows[0])
    municipality.county = instance(County, rows[0], len(Municipality._meta.concrete_fields))
    return municipality


_read_municipality_projects = PreparedRead(
    lambda number: _project_rows(LocalProject.objects.filter(municipalities__number=number))
)
_read_partners = PreparedRead(
    lambda number: (
        LocalProject.municipalities.through.objects.filter(
            localproject__municipalities__number=number
        )
        .exclude(municipality_id=number)
        .order_by("municipality_id")
        .values_list("localproject_id", "municipality_id", "municipality__name")
    )
)


def municipality_projects(municipality: Municipality) -> list[LocalProject]:
    """The projects the municipality took part in, by programme, network and name – never by
    a value – each with its network, theme and programme, whether its results are published
    and its ``partners`` (the other municipalities, by number). Two queries, compiled once
    per process."""
    projects = [_project_of(row) for row in _read_municipality_projects(number=municipality.number)]
    partners: dict[int, list[Municipality]] = defaultdict(list)
    for project_id, number, name in _read_partners(number=municipality.number):
        partners[project_id].append(Municipality(number=number, name=name))
    for project in projects:
        project.partners = partners[project.pk]
    return sorted(
        projects,
        key=lambda p: (
            p.network.programme_id,
            p.network.theme.position,
            norwegian_key(p.network.name),
            norwegian_key(p.name),
            p.pk,
        ),
    )


_read_programmes_rounds = PreparedRead(
    lambda programme_ids: (
        MeasurementRound.objects.filter(programme_id__in=programme_ids)
        .order_by("position", "opens_on")
        .values_list(*field_paths(MeasurementRound))
    )
)
_read_stages = PreparedRead(
    lambda project_ids: (
        AnchoringAssessment.objects.filter(local_project_id__in=project_ids)
        .order_by()
        .values_list("local_project_id", "round_id", "stage", "note")
    )
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
    programme_ids = sorted({p.network.programme_id for p in project_list})
    for row in _read_programmes_rounds(programme_ids=programme_ids):
        r = instance(MeasurementRound, row)
        rounds_by_programme[r.programme_id].append(r)
    pictures = project_pictures(project_list, rounds_by_programme)
    assessments = {
        (project_id, round_id): AnchoringAssessment(
            local_project_id=project_id, round_id=round_id, stage=stage, note=note
        )
        for project_id, round_id, stage, note in _read_stages(
            project_ids=[p.pk for p in project_list]
        )
    }
    return [
        MunicipalityProject(
            project=project,
            partners=project.partners,
            rounds=rounds_by_programme[project.network.programme_id],
            pictures=pictures.get(project.pk, []),
            anchoring=[
                AnchoringStep(r, assessments.get((project.pk, r.pk)))
                for r in rounds_by_programme[project.network.programme_id]
            ],
        )
        for project in project_list
    ]
