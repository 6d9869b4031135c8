"""Reads shared by the gathering pages, each with its related objects loaded, so that
templates only read and the number of queries does not grow with the data."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import groupby

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.models import OutboxMessage, OutboxRecipient
from core.prepared_reads import PreparedRead
from core.translated_fields import LANGUAGES, columns, in_every_language, shown
from municipalities.models import LocalProject, Municipality, ParticipantRole
from municipalities.rules import led_project_ids, member_network_ids, member_project_ids
from network.models import name_is_shared
from network.rules import facilitated_network_ids

from .models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemSpeaker,
    Diet,
    Drinks,
    EvaluationAnswer,
    Gathering,
    GatheringKind,
    GatheringStatus,
    Material,
    PreparationTask,
    Registration,
    TaskCompletion,
)
from .rules import drafts_seen_in, published_or_in

# --- The programme -----------------------------------------------------------------------------

#: How many gatherings the front page lists.
AHEAD = 6


#: What the front page's list of gatherings shows of each (``display_title``, ``when``).
_AHEAD_FIELDS = (
    *in_every_language("title", "schedule_note", "network__name"),
    "kind",
    "status",
    "start_date",
    "end_date",
    "planned_month",
    "planned_month_last",
)


def _in_programme(programme_id: int, network_ids: list[int] | None = None):
    return published_or_in(
        Gathering.objects.filter(network__programme_id=programme_id)
        .select_related("network")
        .only(*_AHEAD_FIELDS),
        network_ids=network_ids,
    )


def _visibility(user) -> dict:
    """The parameter of a prepared read that limits it to what ``user`` may see
    (``rules.drafts_seen_in``): none for one who reads everything."""
    network_ids = drafts_seen_in(user)
    return {} if network_ids is None else {"network_ids": network_ids}


def _ahead(gatherings, today: date, month_start: date):
    return gatherings.filter(
        Q(start_date__gte=today) | Q(start_date__isnull=True, planned_month__gte=month_start)
    ).order_by("start_date", "planned_month")[:AHEAD]


def _latest(gatherings):
    return gatherings.filter(start_date__isnull=False).order_by("-start_date")[:AHEAD]


#: The reads of :func:`programme_gatherings_ahead`, compiled once per process (and once more
#: with ``network_ids``, for those who do not read everything).
_read_ahead = PreparedRead(
    lambda programme_id, today, month_start, network_ids=None: _ahead(
        _in_programme(programme_id, network_ids), today, month_start
    )
)
_read_latest = PreparedRead(
    lambda programme_id, network_ids=None: _latest(_in_programme(programme_id, network_ids))
)


def _gathering_for_reader(pk: int, network_ids: list[int] | None = None, user_id=None):
    gatherings = published_or_in(Gathering.objects.filter(pk=pk), network_ids=network_ids)
    active = Registration.objects.active().filter(gathering=OuterRef("pk")).order_by()
    taken = active.values("gathering").annotate(n=Count("pk")).values("n")
    annotations = {"places_taken": Coalesce(Subquery(taken), 0)}
    if user_id is not None:
        annotations["registered"] = Exists(active.filter(participant__user=user_id))
    return gatherings.select_related(
        "network__programme", "network__facilitator__organisation"
    ).annotate(network_shares_name=name_is_shared("network"), **annotations)


_read_gathering_for_reader = PreparedRead(_gathering_for_reader)


def gathering_for_reader(*, user, pk: int) -> Gathering | None:
    """The gathering ``pk`` if ``user`` may see it (``gatherings.view_gathering``), as its
    programme page shows it: the network with its programme and facilitator, the places
    taken and (signed in) whether the user is registered. One query, compiled once per
    process for each kind of reader."""
    params = {"pk": pk, **_visibility(user)}
    if user.is_authenticated:
        params["user_id"] = user.pk
    found = _read_gathering_for_reader.instances(**params)
    if not found:
        return None
    gathering = found[0]
    gathering.network.shares_name = gathering.network_shares_name
    return gathering


_read_tasks_of = PreparedRead(
    lambda gathering_id: (
        PreparationTask.objects.filter(gathering_id=gathering_id)
        .order_by("position", "pk")
        .values_list("title", "description")
    )
)


def gathering_tasks(gathering: Gathering) -> list[dict]:
    """The gathering's preparation tasks in order, title and description."""
    return [
        {"title": title, "description": description}
        for title, description in _read_tasks_of(gathering_id=gathering.pk)
    ]


_read_network_gatherings = PreparedRead(
    lambda network_id, network_ids=None: published_or_in(
        Gathering.objects.filter(network_id=network_id), network_ids=network_ids
    ).in_programme_order()
)


def network_gatherings_for(*, user, network) -> list[Gathering]:
    """The network's gatherings ``user`` may see (``gatherings.view_gathering``), in programme
    order (compiled once per process)."""
    gatherings = _read_network_gatherings.instances(network_id=network.pk, **_visibility(user))
    for gathering in gatherings:
        gathering.network = network
    return gatherings


def programme_gatherings_ahead(*, user, programme) -> dict:
    """The next ``AHEAD`` gatherings of the programme ``user`` may see
    (``gatherings.view_gathering``); when none lie ahead, the latest ones."""
    today = timezone.localdate()
    month_start = today.replace(day=1)
    params = {"programme_id": programme.pk, **_visibility(user)}
    upcoming = _read_ahead.instances(**params, today=today, month_start=month_start)
    if upcoming:
        return {"gatherings": upcoming, "upcoming": True}
    return {"gatherings": _read_latest.instances(**params), "upcoming": False}


def agenda_with_speakers() -> Prefetch:
    """Gatherings' items in programme order with their speakers, for many gatherings at once
    (the open-data export)."""
    return Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.order_by("date", "position", "start").prefetch_related(
            Prefetch(
                "speaker_links",
                queryset=AgendaItemSpeaker.objects.select_related("person__organisation").order_by(
                    "position"
                ),
            )
        ),
    )


def agenda_items(gathering: Gathering):
    """The gathering's items in programme order, with speakers and materials."""
    return gathering.agenda_items.prefetch_related(
        Prefetch(
            "speaker_links",
            queryset=AgendaItemSpeaker.objects.select_related("person__organisation").order_by(
                "position"
            ),
        ),
        Prefetch("materials", queryset=Material.objects.order_by("uploaded_at", "pk")),
    ).order_by("date", "position", "start", "pk")


@dataclass(frozen=True, slots=True)
class ProgrammeMaterial:
    """A material of an agenda item as the programme page lists it."""

    pk: int
    title: str
    file_type: str
    size: int


@dataclass(frozen=True, slots=True)
class ProgrammeItem:
    """An agenda item as the programme page and the calendar files show it, read as plain rows
    (no model instances): ``speakers`` are ``(name, affiliation)`` pairs in their order,
    ``materials`` (read only for the programme page) in theirs. Equal and hashable by every
    value, so that a list of them is the key of the programme's rendered HTML."""

    pk: int
    gathering_id: int
    date: date
    start: time | None
    end: time | None
    position: int
    title: str
    description: str
    kind: str
    speakers: tuple[tuple[str, str], ...] = ()
    materials: tuple[ProgrammeMaterial, ...] = ()

    @property
    def is_break(self) -> bool:
        """A break or a meal (shown muted)."""
        return self.kind in (AgendaItemKind.BREAK, AgendaItemKind.MEAL)

    # The times as the programme shows them, «10.20» in a <time datetime="2012-02-16T10:20">
    # (what the filters date:"Y-m-d", time:"H:i" and time:"H.i" give, without a filter call
    # for each item).

    def _iso(self, at: time) -> str:
        return f"{self.date.isoformat()}T{at:%H:%M}"

    start_iso = property(lambda self: self._iso(self.start))
    end_iso = property(lambda self: self._iso(self.end))
    start_label = property(lambda self: f"{self.start:%H.%M}")
    end_label = property(lambda self: f"{self.end:%H.%M}")


def speaker_affiliation(title: str, organisation: str | None, department: str) -> str:
    """``Person.affiliation`` from a row's values: «Seniorrådgiver, KS Arbeidsgiverpolitikk»."""
    where = " ".join(part for part in (organisation or "", department) if part)
    return ", ".join(part for part in (title, where) if part)


_ITEM_FIELDS = (
    "id",
    "gathering_id",
    "date",
    "start",
    "end",
    "position",
    *columns("title"),
    *columns("description"),
    "kind",
)
#: Where the columns of each translated text are in an item's values.
_TITLE = slice(6, 6 + len(LANGUAGES))
_DESCRIPTION = slice(_TITLE.stop, _TITLE.stop + len(LANGUAGES))
_SPEAKER_FIELDS = (
    "speaker_links__id",
    "speaker_links__person__name",
    "speaker_links__person__title",
    "speaker_links__person__organisation__name",
    "speaker_links__person__department",
)
_MATERIAL_FIELDS = (
    "materials__id",
    "materials__title",
    "materials__original_name",
    "materials__size",
)


def _programme_rows(ids: list[int], *, materials: bool):
    fields = _ITEM_FIELDS + _SPEAKER_FIELDS + (_MATERIAL_FIELDS if materials else ())
    order = ["gathering_id", "date", "position", "start", "id"]
    order += ["speaker_links__position", "speaker_links__id"]
    if materials:
        order += ["materials__uploaded_at", "materials__id"]
    # The texts' columns are read as they are (no rewriting): ``shown`` picks the language.
    return (
        AgendaItem.objects.rewrite(False)
        .filter(gathering_id__in=ids)
        .order_by(*order)
        .values_list(*fields)
    )


_read_programme_rows = {
    with_materials: PreparedRead(
        lambda ids, with_materials=with_materials: _programme_rows(ids, materials=with_materials)
    )
    for with_materials in (False, True)
}


def programme_items(
    gathering_ids: Iterable[int], *, materials: bool = False
) -> dict[int, list[ProgrammeItem]]:
    """The items of the gatherings, by gathering, each in programme order with its speakers
    (and, given ``materials``, its materials): one query (compiled once per process), the
    items joined with their speakers (and materials: an item with two of each comes in four
    rows)."""
    ids = sorted(set(gathering_ids))
    if not ids:
        return {}
    rows = _read_programme_rows[materials](ids=ids)
    n = len(_ITEM_FIELDS)
    found: dict[int, tuple] = {}  # item id: (its values, {speaker id: …}, {material id: …})
    for row in rows:
        entry = found.get(row[0])
        if entry is None:
            entry = found[row[0]] = (row[:n], {}, {})
        link, name, person_title, organisation, department = row[n : n + 5]
        if link is not None and link not in entry[1]:
            entry[1][link] = (name, speaker_affiliation(person_title, organisation, department))
        if materials and row[n + 5] is not None and row[n + 5] not in entry[2]:
            pk, title, original_name, size = row[n + 5 :]
            file_type = Material(original_name=original_name).file_type
            entry[2][pk] = ProgrammeMaterial(pk, title, file_type, size)
    by_gathering: dict[int, list[ProgrammeItem]] = defaultdict(list)
    for values, speakers, materials_of_item in found.values():
        item = ProgrammeItem(
            *values[: _TITLE.start],
            shown(values[_TITLE]),
            shown(values[_DESCRIPTION]),
            *values[_DESCRIPTION.stop :],
            speakers=tuple(speakers.values()),
            materials=tuple(materials_of_item.values()),
        )
        by_gathering[item.gathering_id].append(item)
    return by_gathering


def overlaps(items: list[AgendaItem]) -> dict[int, list[AgendaItem]]:
    """For each item that overlaps another in time on the same day: the items it overlaps.
    An item overlaps another when it starts before the other ends, or at the same time."""
    found: dict[int, list[AgendaItem]] = defaultdict(list)
    timed = sorted((i for i in items if i.start), key=lambda i: (i.date, i.start, i.position))
    for _day, group in groupby(timed, key=lambda i: i.date):
        earlier: list[AgendaItem] = []
        for item in group:
            for other in earlier:
                if other.start == item.start or (other.end and item.start < other.end):
                    found[item.pk].append(other)
                    found[other.pk].append(item)
            earlier.append(item)
    return dict(found)


def overlapping_items(items: list[AgendaItem]) -> set[int]:
    """Ids of the items that overlap another item."""
    return set(overlaps(items))


def copy_sources(user, target: Gathering) -> list[Gathering]:
    """Gatherings this user may see that have a programme to copy, newest first."""
    return list(
        Gathering.objects.for_user(user)
        .exclude(pk=target.pk)
        .annotate(item_count=Count("agenda_items"))
        .filter(item_count__gt=0)
        .select_related("network")
        .order_by(F("start_date").desc(nulls_last=True), "network__name")
    )


# --- Registrations -----------------------------------------------------------------------------


ADMINISTRATION_ROLES = {ParticipantRole.LEADER, ParticipantRole.HR}


@dataclass
class MealCount:
    day: date
    lunch: int = 0
    dinner: int = 0


@dataclass
class ParticipantOverview:
    """The Deltakeroversikt of one gathering: active registrations by municipality, and the
    counts the venue needs. ``diets`` and ``drinks`` are health data: only for those who may
    see it."""

    registrations: list[Registration]
    by_municipality: list[tuple[str, list[Registration]]]
    role_counts: list[tuple[str, int]]
    meals: list[MealCount]
    overnight: int
    drinks: list[tuple[str, int]]
    diets: list[tuple[str, int]]
    dietary_notes: int
    cancelled: list[Registration] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.registrations)


def registrations_for_list(gathering: Gathering):
    return (
        Registration.objects.filter(gathering=gathering)
        .select_related("participant__local_project", "participant__municipality", "municipality")
        .order_by("municipality__name", "participant__role", "participant__name", "pk")
    )


def participant_overview(gathering: Gathering) -> ParticipantOverview:
    everyone = list(registrations_for_list(gathering))
    active = [r for r in everyone if r.is_active]
    by_municipality = [
        (name, list(group))
        for name, group in groupby(
            active, key=lambda r: r.municipality.name if r.municipality else ""
        )
    ]
    roles = Counter(r.participant.role for r in active)
    days = gathering.days
    meals = [MealCount(day) for day in days]
    for registration in active:
        for meal in meals:
            iso = meal.day.isoformat()
            meal.lunch += iso in registration.days
            meal.dinner += iso in registration.dinner_days
    diet_counts = Counter(value for r in active for value in r.diets)
    drink_counts = Counter(r.drinks for r in active if r.drinks)
    return ParticipantOverview(
        registrations=active,
        by_municipality=by_municipality,
        role_counts=[(label, roles[value]) for value, label in ParticipantRole.choices],
        meals=meals,
        overnight=sum(r.overnight for r in active),
        drinks=[(label, drink_counts[value]) for value, label in Drinks.choices],
        diets=[(label, diet_counts[value]) for value, label in Diet.choices if diet_counts[value]],
        dietary_notes=sum(bool(r.dietary_notes) for r in active),
        cancelled=[r for r in everyone if not r.is_active],
    )


@dataclass
class AttendanceCell:
    politician: bool = False
    administration: bool = False
    union_representative: bool = False

    @property
    def all_three(self) -> bool:
        return self.politician and self.administration and self.union_representative


@dataclass
class AttendanceMatrix:
    gatherings: list[Gathering]
    rows: list[tuple[Municipality, list[AttendanceCell]]]
    #: Per gathering: how many municipalities came with all three.
    all_three: list[int]


def attendance_matrix(network) -> AttendanceMatrix:
    """For each municipality of the network and each gathering: whether a politician,
    someone from the administration (leader or HR) and a union representative registered
    (and did not cancel) — the programme's evidence of anchoring."""
    gatherings = list(Gathering.objects.filter(network=network).in_programme_order())
    municipalities = list(
        Municipality.objects.filter(local_projects__network=network).distinct().order_by("name")
    )
    cells = {(m.pk, g.pk): AttendanceCell() for m in municipalities for g in gatherings}
    registrations = (
        Registration.objects.active()
        .filter(gathering__network=network, municipality__isnull=False)
        .values_list("gathering_id", "municipality_id", "participant__role")
    )
    for gathering_id, municipality_id, role in registrations:
        cell = cells.get((municipality_id, gathering_id))
        if cell is None:
            continue
        if role == ParticipantRole.POLITICIAN:
            cell.politician = True
        elif role in ADMINISTRATION_ROLES:
            cell.administration = True
        elif role == ParticipantRole.UNION_REPRESENTATIVE:
            cell.union_representative = True
    rows = [(m, [cells[(m.pk, g.pk)] for g in gatherings]) for m in municipalities]
    all_three = [sum(cells[(m.pk, g.pk)].all_three for m in municipalities) for g in gatherings]
    return AttendanceMatrix(gatherings, rows, all_three)


# --- Evaluation --------------------------------------------------------------------------------

#: Answers are shown in whole groups of this many submissions: nothing before five have
#: answered, then the first five, the first ten … Comparing the page before and after one more
#: answer therefore never shows what one person said.
EVALUATION_GROUP = 5
MIN_EVALUATIONS_SHOWN = EVALUATION_GROUP

EVALUATED_KINDS = [kind for kind in AgendaItemKind.values if kind != AgendaItemKind.BREAK]


def evaluated_items(gathering: Gathering) -> list[AgendaItem]:
    return list(
        gathering.agenda_items.filter(kind__in=EVALUATED_KINDS).order_by(
            "date", "position", "start", "pk"
        )
    )


@dataclass
class ItemResult:
    item: AgendaItem | None  # None: the gathering as a whole
    average: float | None = None
    ratings: int = 0
    distribution: list[tuple[int, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.item.title if self.item else str(_("The gathering as a whole"))


@dataclass
class EvaluationResults:
    submissions: int
    results: list[ItemResult]

    @property
    def shown(self) -> bool:
        return self.submissions >= MIN_EVALUATIONS_SHOWN

    @property
    def counted(self) -> int:
        """How many submissions the shown results are made of (whole groups only)."""
        return self.submissions - self.submissions % EVALUATION_GROUP

    @property
    def waiting(self) -> int:
        return self.submissions - self.counted


def evaluation_results(gathering: Gathering) -> EvaluationResults:
    submissions = gathering.evaluation_submissions.count()
    items = evaluated_items(gathering)
    results = {None: ItemResult(None)} | {item.pk: ItemResult(item) for item in items}
    answers = EvaluationAnswer.objects.filter(
        gathering=gathering, group__lt=submissions // EVALUATION_GROUP
    )
    for row in answers.values("agenda_item").annotate(
        average=Avg("rating"), ratings=Count("rating")
    ):
        result = results.get(row["agenda_item"])
        if result:
            result.average, result.ratings = row["average"], row["ratings"]
    distribution: dict = defaultdict(Counter)
    for item_id, rating, n in (
        answers.filter(rating__isnull=False)
        .values("agenda_item", "rating")
        .annotate(n=Count("pk"))
        .values_list("agenda_item", "rating", "n")
    ):
        distribution[item_id][rating] = n
    for key, result in results.items():
        result.distribution = [(rating, distribution[key][rating]) for rating in range(1, 6)]
    for item_id, comment in (
        answers.exclude(comment="").order_by("pk").values_list("agenda_item", "comment")
    ):
        if item_id in results:
            results[item_id].comments.append(comment)
    ordered = [results[item.pk] for item in items] + [results[None]]
    return EvaluationResults(submissions, ordered)


# --- Outbox ------------------------------------------------------------------------------------


def outbox(gathering: Gathering) -> list[OutboxMessage]:
    return list(
        gathering.outgoing_messages.select_related("sent_by").prefetch_related(
            Prefetch("recipients", queryset=OutboxRecipient.objects.order_by("name", "pk"))
        )
    )


# --- Before the next gathering -----------------------------------------------------------------


@dataclass
class TaskMatrix:
    tasks: list[PreparationTask]
    rows: list[tuple[LocalProject, list[bool]]]

    @property
    def done_per_task(self) -> list[int]:
        return [sum(row[1][i] for row in self.rows) for i in range(len(self.tasks))]


def task_matrix(gathering: Gathering) -> TaskMatrix:
    tasks = list(gathering.preparation_tasks.all())
    projects = list(LocalProject.objects.filter(network=gathering.network_id).order_by("name"))
    done = set(
        TaskCompletion.objects.filter(task__gathering=gathering).values_list(
            "task_id", "local_project_id"
        )
    )
    rows = [(project, [(task.pk, project.pk) in done for task in tasks]) for project in projects]
    return TaskMatrix(tasks, rows)


def _coming_tasks(network_id: int, project_id: int, today: date):
    return (
        PreparationTask.objects.filter(gathering__network=network_id)
        .filter(
            Q(gathering__end_date__gte=today)
            | Q(gathering__end_date__isnull=True, gathering__start_date__gte=today)
            | Q(gathering__start_date__isnull=True)
        )
        .select_related("gathering")
        .annotate(
            done=Exists(
                TaskCompletion.objects.filter(task=OuterRef("pk"), local_project=project_id)
            )
        )
        .order_by("gathering__start_date", "gathering__planned_month", "gathering", "position")
    )


_read_coming_tasks = PreparedRead(_coming_tasks)


def project_tasks(project: LocalProject, user) -> list[tuple[Gathering, list]]:
    """The tasks of the project's coming gatherings, each with whether the project has done
    it: ``[(gathering, [(task, done)])]``, in one query (compiled once per process)."""
    tasks = _read_coming_tasks.instances(
        network_id=project.network_id, project_id=project.pk, today=timezone.localdate()
    )
    return [
        (gathering, [(task, task.done) for task in group])
        for gathering, group in groupby(tasks, key=lambda t: t.gathering)
    ]


# --- «Mine sider» ------------------------------------------------------------------------------


_read_my_gatherings = PreparedRead(
    lambda network_ids, facilitated_ids, today: (
        Gathering.objects.filter(network__in=network_ids)
        .filter(
            Q(network__in=facilitated_ids)
            | Q(status=GatheringStatus.PUBLISHED, start_date__gt=today)
        )
        .select_related("network")
        .in_programme_order("network__name")
    )
)


def my_gatherings(user) -> tuple[list[Gathering], list[Gathering]]:
    """``(facilitated, open for registration)``: the gatherings of the networks this user
    facilitates (drafts included, in programme order), and the published gatherings open for
    registration in the networks where they take part or facilitate (by date). One query,
    compiled once per process for each number of networks."""
    today = timezone.localdate()
    facilitated_ids = facilitated_network_ids(user)
    network_ids = member_network_ids(user)
    if not network_ids:
        return [], []
    gatherings = _read_my_gatherings.instances(
        network_ids=sorted(network_ids), facilitated_ids=sorted(facilitated_ids), today=today
    )
    facilitated = [g for g in gatherings if g.network_id in facilitated_ids]
    open_for_registration = sorted(
        (
            g
            for g in gatherings
            if g.start_date is not None and g.start_date > today and g.is_registration_open
        ),
        key=lambda g: g.start_date,
    )
    return facilitated, open_for_registration


_read_upcoming_registrations = PreparedRead(
    lambda user_id, led_ids, today: (
        Registration.objects.active()
        .filter(
            Q(participant__user=user_id) | Q(participant__local_project__in=led_ids),
            gathering__start_date__gte=today,
        )
        .select_related("gathering__network", "participant")
        .order_by("gathering__start_date", "participant__name")
    )
)


def upcoming_registrations(user) -> list[Registration]:
    """Active registrations for coming gatherings of the user and of the participants of the
    projects they lead."""
    if not member_project_ids(user):
        return []
    return _read_upcoming_registrations.instances(
        user_id=user.pk, led_ids=sorted(led_project_ids(user)), today=timezone.localdate()
    )


# --- The final report ------------------------------------------------------------------------


def project_attendance(project: LocalProject) -> list[Gathering]:
    """The published gatherings of the project's network in programme order, each with the
    project's participants registered for it (not cancelled) as ``attendees``: two queries."""
    attendees = (
        Registration.objects.active()
        .filter(participant__local_project=project)
        .select_related("participant")
        .order_by("participant__name")
    )
    return list(
        Gathering.objects.published()
        .filter(network_id=project.network_id)
        .prefetch_related(Prefetch("registrations", queryset=attendees, to_attr="attendees"))
        .in_programme_order()
    )


def _months(gathering: Gathering) -> list[date]:
    """The first days of the months a gathering falls in, as precisely as it is known."""
    if gathering.start_date:
        first, last = gathering.start_date, gathering.last_day
        months, month = [], first.replace(day=1)
        while month <= last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months
    if gathering.planned_month:
        months = [gathering.planned_month.replace(day=1)]
        if gathering.planned_month_last:
            months.append(gathering.planned_month_last.replace(day=1))
        return months
    return []


def _month_span(months: list[date]) -> str:
    """«April/May 2013», «December 2012/January 2013» (month names as the language has them)."""
    by_year = groupby(sorted(set(months)), key=lambda d: d.year)
    return "/".join(
        "/".join(formats.date_format(m, "F") for m in ms[:-1])
        + ("/" if len(ms) > 1 else "")
        + formats.date_format(ms[-1], "F Y")
        for _year, ms in ((year, list(group)) for year, group in by_year)
    )


#: What a gathering's schedule is made of: its kind, status, planned months and dates.
SCHEDULE_FIELDS = (
    "kind",
    "status",
    "planned_month",
    "planned_month_last",
    "start_date",
    "end_date",
)
_PLAN_FIELDS = ("network__programme_id", *SCHEDULE_FIELDS)


def schedule_rows(programme_ids: set[int]) -> list[tuple]:
    """What :func:`schedule_plans` is made of, as rows (``_PLAN_FIELDS``) in a fixed order.
    One query."""
    if not programme_ids:
        return []
    return list(
        Gathering.objects.filter(network__programme__in=programme_ids)
        .order_by("pk")
        .values_list(*_PLAN_FIELDS)
    )


def schedule_plans(programme_ids: set[int], rows: list[tuple] | None = None) -> dict[int, list]:
    """Every gathering of the programmes, by programme, with what the open data shows of it
    (``gatherings.open_data``): its kind and planned months, and its dates once it is
    published. One query, or none given the :func:`schedule_rows`."""
    plans: dict[int, list[Gathering]] = defaultdict(list)
    for programme_id, kind, status, month, month_last, start, end in (
        schedule_rows(programme_ids) if rows is None else rows
    ):
        published = status == GatheringStatus.PUBLISHED
        plans[programme_id].append(
            Gathering(
                kind=kind,
                planned_month=month,
                planned_month_last=month_last,
                start_date=start if published else None,
                end_date=end if published else None,
            )
        )
    return plans


def schedule_summary(gatherings: list[Gathering]) -> str:
    """The lead text of a programme round's gatherings, from their dates: «Each network meets
    three times – February 2012, September 2012 and April/May 2013 – with a local theme day
    before the second gathering.» Empty when no gathering has a month or a date yet."""
    spans = []
    for kind in (GatheringKind.FIRST, GatheringKind.SECOND, GatheringKind.THIRD):
        months = [m for g in gatherings if g.kind == kind for m in _months(g)]
        if months:
            spans.append(_month_span(months))
    if not spans:
        return ""
    dates = get_text_list(spans, gettext("and"))
    has_theme_day = any(g.kind == GatheringKind.THEME_DAY for g in gatherings)
    if has_theme_day and any(g.kind == GatheringKind.SECOND for g in gatherings):
        text = ngettext(
            "Each network meets once – %(dates)s – with a local theme day before the "
            "second gathering.",
            "Each network meets %(count)s times – %(dates)s – with a local theme day before "
            "the second gathering.",
            len(spans),
        )
    else:
        text = ngettext(
            "Each network meets once – %(dates)s.",
            "Each network meets %(count)s times – %(dates)s.",
            len(spans),
        )
    return text % {"count": _count_word(len(spans)), "dates": dates}


def _count_word(count: int) -> str:
    words = {2: gettext("two"), 3: gettext("three"), 4: gettext("four")}
    return str(words.get(count, count))
