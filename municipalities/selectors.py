"""Reads for the project page, its history, the story pages and the invitation pages, with their
joins and prefetches so that templates only read and the number of queries does not grow with
the data."""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from core.norwegian import norwegian_key
from core.prepared_reads import PreparedRead
from core.reversing import reverser
from core.subqueries import JoinedText, json_rows
from core.translated_fields import in_every_language
from network.models import Network, Programme, User, name_is_shared

from .models import (
    Attachment,
    County,
    Invitation,
    LocalProject,
    Municipality,
    MunicipalityChangeLink,
    MunicipalityVersion,
    Participant,
    ProjectPage,
    ProjectPageVersion,
    Story,
)
from .page_blocks import final_report_annotators, project_annotators
from .rules import invitations_managed_by

_PAGE_JOINS = (
    "page__published_version__published_by",
    "page__current_version__author",
)


def _municipality_list() -> Subquery:
    """A project's municipalities as one text, read by ``project_municipalities``."""
    municipalities = (
        Municipality.objects.filter(local_projects=OuterRef("pk"))
        .order_by()
        .annotate(joined=JoinedText(Concat("number", Value("\t"), "name"), Value("\n")))
        .values("joined")
    )
    return Subquery(municipalities)


def projects_with_page() -> QuerySet[LocalProject]:
    """Projects with their network, page and the page's two versions, the annotations of
    ``page_blocks.project_annotators``, and their municipalities (``project_municipalities``):
    one query for one project."""
    projects = LocalProject.objects.annotate(
        municipality_list=_municipality_list(), network_shares_name=name_is_shared("network")
    )
    for annotate in project_annotators.values():
        projects = annotate(projects)
    return projects.select_related(
        "network__theme",
        "network__facilitator__organisation",
        "network__programme",
        *_PAGE_JOINS,
    )


#: One project as ``projects_with_page`` reads it, by its slug: the project page's read,
#: compiled once per process.
project_with_page = PreparedRead(lambda slug: projects_with_page().filter(slug=slug))


#: The fields of the participants and stories ``projects_for_report`` reads.
_REPORT_PARTICIPANT_FIELDS = ("name", "function", "role", "is_project_leader", "municipality_id")
_REPORT_STORY_FIELDS = (
    "title",
    "date",
    "created_at",
    "text_html",
    "image",
    "image_extension",
    "image_alt",
)


def _from_row(model, row: dict, names, **values):
    """An unsaved ``model`` of a row ``projects_for_report`` read: its ``id``, the fields
    ``names`` as they are read, and ``values`` in place of those that need converting."""
    return model(id=row["id"], **{**{name: row[name] for name in names}, **values})


def projects_for_report() -> QuerySet[LocalProject]:
    """Projects as their final report shows them: ``projects_with_page``, with the
    participants and the published stories read in the same query (``report_participants``,
    ``report_stories``) and the annotations of ``page_blocks.final_report_annotators``, so one
    query loads everything of the report that the municipalities app holds."""
    participants = json_rows(
        Participant.objects.filter(local_project=OuterRef("pk")),
        *_REPORT_PARTICIPANT_FIELDS,
        id="pk",
        municipality_name="municipality__name",
    )
    stories = json_rows(
        Story.objects.published().filter(local_project=OuterRef("pk")),
        *_REPORT_STORY_FIELDS,
        id="pk",
    )
    projects = projects_with_page().annotate(participant_rows=participants, story_rows=stories)
    for annotate in final_report_annotators.values():
        projects = annotate(projects)
    return projects


def report_participants(project: LocalProject) -> list[Participant]:
    """The participants of a project loaded with ``projects_for_report``, by role (its stored
    value), project leaders first, then by name; each with its municipality's name."""
    participants = []
    for row in project.participant_rows or []:
        participant = _from_row(
            Participant,
            row,
            _REPORT_PARTICIPANT_FIELDS,
            local_project=project,
            is_project_leader=bool(row["is_project_leader"]),
        )
        if row["municipality_id"] is not None:
            participant.municipality = Municipality(
                number=row["municipality_id"], name=row["municipality_name"]
            )
        participants.append(participant)
    return sorted(
        participants,
        key=lambda p: (p.role, not p.is_project_leader, norwegian_key(p.name), p.pk),
    )


def report_stories(project: LocalProject) -> list[Story]:
    """The published stories of a project loaded with ``projects_for_report``, newest first
    (as ``Story.objects.newest_first``), without their documents."""
    stories = [
        _from_row(
            Story,
            row,
            _REPORT_STORY_FIELDS,
            local_project=project,
            date=parse_date(str(row["date"])),
            created_at=parse_datetime(str(row["created_at"])),
            image=row["image"] or "",
            is_published=True,
        )
        for row in project.story_rows or []
    ]
    return sorted(stories, key=lambda s: (s.date, s.created_at, s.pk), reverse=True)


def project_municipalities(project: LocalProject) -> list[Municipality]:
    """The municipalities (number and name) of a project read by ``projects_with_page``."""
    rows = (row.split("\t", 1) for row in (project.municipality_list or "").split("\n") if row)
    return sorted(
        (Municipality(number=number, name=name) for number, name in rows),
        key=lambda m: (m.name, m.number),
    )


def participating_municipalities(
    *, county: County | None = None, programme: Programme | None = None
) -> QuerySet[Municipality]:
    """The municipalities with a local project (of ``programme`` if given; in ``county`` if
    given), by name, with their county and those projects (each with its network's theme and
    programme): for /kommuner/, one page at a time (``municipality_rows``)."""
    municipalities = Municipality.objects.filter(local_projects__isnull=False)
    projects = LocalProject.objects.select_related("network__theme", "network__programme").only(
        "pk",
        "name",
        "slug",
        *in_every_language("network__theme__name", "network__programme__name"),
        "network__programme__slug",
        "network__programme__start_year",
        "network__programme__end_year",
        "network__programme__is_current",
    )
    if programme:
        municipalities = municipalities.filter(local_projects__network__programme=programme)
        projects = projects.filter(network__programme=programme)
    if county:
        municipalities = municipalities.filter(county=county)
    return (
        municipalities.distinct()
        .select_related("county")
        .only("number", "name", "county", "county__name")
        .prefetch_related(Prefetch("local_projects", queryset=projects.order_by("name")))
        .order_by("name", "number")
    )


def municipality_rows(municipalities) -> list[Municipality]:
    """The rows of /kommuner/: each municipality with its ``url``, its ``projects`` (each with
    its ``url``) and the programme ``rounds`` they belong to, oldest first (each with its
    ``url``, the round's front page)."""
    municipality_url = reverser("municipalities:detail")
    project_url = reverser("municipalities:project_detail")
    round_urls: dict[int, str] = {}
    rows = list(municipalities)
    for municipality in rows:
        municipality.url = municipality_url(municipality.number)
        municipality.projects = list(municipality.local_projects.all())
        rounds = {}
        for project in municipality.projects:
            project.url = project_url(project.slug)
            rounds[project.network.programme.pk] = project.network.programme
        for round_ in rounds.values():
            if round_.pk not in round_urls:
                round_urls[round_.pk] = round_.front_page_url
            round_.url = round_urls[round_.pk]
        municipality.rounds = sorted(rounds.values(), key=lambda r: (r.start_year, r.name))
    return rows


_read_project_cards = PreparedRead(
    lambda network_id: (
        LocalProject.objects.filter(network_id=network_id)
        .only("pk", "name", "slug", "network_id")
        .annotate(municipality_list=_municipality_list())
        .order_by("name")
    )
)


def network_project_cards(network: Network) -> list[LocalProject]:
    """A network's projects by name (name and slug only), each with ``url`` and its
    ``municipality_entries`` (number and name, as ``project_municipalities``): one query,
    compiled once per process."""
    projects = _read_project_cards.instances(network_id=network.pk)
    url = reverser("municipalities:project_detail")
    for project in projects:
        project.network = network
        project.url = url(project.slug)
        project.municipality_entries = project_municipalities(project)
    return projects


def page_of(project: LocalProject) -> ProjectPage | None:
    """The project's page, or None before anything was saved (uses the joined row if any)."""
    try:
        return project.page
    except ProjectPage.DoesNotExist:
        return None


_read_page_with_status = PreparedRead(
    lambda project_id: ProjectPage.objects.select_related(
        "current_version__author", "published_version__published_by"
    ).filter(local_project_id=project_id)
)


def page_with_status(project: LocalProject) -> ProjectPage | None:
    """The project's page with what ``includes/page_status.html`` shows about it (compiled
    once per process)."""
    found = _read_page_with_status.instances(project_id=project.pk)
    return found[0] if found else None


def _participants_of(project_id: int):
    return (
        Participant.objects.filter(local_project_id=project_id)
        .select_related("municipality")
        .order_by("-is_project_leader", "role", "name")
    )


_read_participants = PreparedRead(_participants_of)
_read_listed_participants = PreparedRead(
    lambda project_id: _participants_of(project_id).filter(listed_publicly=True)
)


def project_participants(
    project: LocalProject, *, public_only: bool = False, published: bool = True
) -> list[Participant]:
    """The project's participants (compiled once per process). ``public_only`` (a visitor
    outside the network): none until the page is published, then only those who agreed to
    be named."""
    if not public_only:
        return _read_participants.instances(project_id=project.pk)
    if not published:
        return []
    return _read_listed_participants.instances(project_id=project.pk)


def _ordered_attachments() -> QuerySet[Attachment]:
    return Attachment.objects.select_related("local_project").order_by("title", "pk")


def _attachments() -> Prefetch:
    """A story's documents, as ``story.documents`` (what ``includes/story.html`` lists)."""
    return Prefetch("attachments", queryset=_ordered_attachments(), to_attr="documents")


_read_stories = PreparedRead(
    lambda project_id: Story.objects.filter(local_project_id=project_id).newest_first()
)
_read_published_stories = PreparedRead(
    lambda project_id: Story.objects.filter(local_project_id=project_id).published().newest_first()
)
_read_attachments = PreparedRead(
    lambda project_id: Attachment.objects.filter(local_project_id=project_id).order_by(
        "title", "pk"
    )
)


def project_stories(project: LocalProject, *, include_drafts: bool) -> tuple[list[Story], list]:
    """The project's stories, newest first, each with its ``documents``, and the documents
    of the project page itself: two queries (the project is known: no joins), compiled once
    per process."""
    read = _read_stories if include_drafts else _read_published_stories
    stories = read.instances(project_id=project.pk)
    documents: dict[int | None, list[Attachment]] = defaultdict(list)
    for attachment in _read_attachments.instances(project_id=project.pk):
        attachment.local_project = project
        documents[attachment.story_id].append(attachment)
    for story in stories:
        story.local_project = project
        story.documents = documents[story.pk]
    return stories, documents[None]


def page_versions(page: ProjectPage) -> QuerySet:
    """Every saved version, newest first, with who saved and published it."""
    return page.versions.select_related("author", "published_by", "restored_from").order_by(
        "-number"
    )


def page_version(page: ProjectPage, number: int) -> ProjectPageVersion | None:
    return (
        page.versions.select_related("author", "published_by", "restored_from")
        .filter(number=number)
        .first()
    )


def published_stories(*, network: Network | None = None, programme: Programme | None = None):
    """Published stories of one network or a whole programme, newest first."""
    stories = (
        Story.objects.published()
        .select_related("local_project__network__theme")
        .prefetch_related(_attachments())
    )
    if network is not None:
        stories = stories.filter(local_project__network=network)
    if programme is not None:
        stories = stories.filter(local_project__network__programme=programme)
    return stories.newest_first()


# --- Invitations ------------------------------------------------------------------------------

#: ``status`` annotation of ``invitation_list`` → label.
STATUSES = {
    "pending": _("Pending"),
    "accepted": _("Accepted"),
    "expired": _("Expired"),
}


def invitation_list(*, user, status: str = "") -> QuerySet[Invitation]:
    """The invitations ``user`` manages, newest first, each with a ``status`` (see
    ``STATUSES``), optionally only those with ``status``."""
    invitations = (
        invitations_managed_by(user)
        .select_related("local_project__network", "network", "created_by", "accepted_by")
        .with_status()
    )
    if status in STATUSES:
        invitations = invitations.filter(status=status)
    return invitations.order_by("-created_at", "-pk")


def suggest_username(email: str) -> str:
    """A free username from the e-mail address: ``kari.nordmann@x.no`` → ``kari.nordmann``
    (or ``kari.nordmann2`` … when taken, in any letter case)."""
    base = re.sub(r"[^\w.@+-]", "", email.split("@", 1)[0].lower())[:140] or "bruker"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}{number}", number + 1
    return candidate


# --- Municipalities over time ------------------------------------------------------------------


def municipality_at(number: str, on_date: datetime.date) -> Municipality | None:
    """The municipality that had ``number`` on ``on_date``, or None when the number was not in
    use that day (e.g. 1723 Mosvik after 2011, 5057 Ørland before 2020). A number without any
    recorded history counts as always in use."""
    municipality = Municipality.objects.select_related("county").filter(number=number).first()
    if municipality is None:
        return None
    versions = MunicipalityVersion.objects.filter(municipality=municipality)
    if not versions.exists():
        return municipality
    valid = versions.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on_date),
        Q(valid_to__isnull=True) | Q(valid_to__gt=on_date),
    )
    return municipality if valid.exists() else None


class MunicipalityTimeline:
    """Every municipality number's periods of use and every merger, split and new number,
    read in two queries, to tell which numbers a number stands for on a date – for imports
    that take the number valid at a round's date, or today's, and for generated data.

    A number without recorded history counts as always in use (as in ``municipality_at``)."""

    def __init__(self) -> None:
        self.periods: dict[str, list[tuple[datetime.date | None, datetime.date | None]]] = (
            defaultdict(list)
        )
        for number, start, end in MunicipalityVersion.objects.values_list(
            "number", "valid_from", "valid_to"
        ):
            self.periods[number].append((start, end))
        self.successors: dict[str, set[str]] = defaultdict(set)
        self.predecessors: dict[str, set[str]] = defaultdict(set)
        for predecessor, successor in MunicipalityChangeLink.objects.exclude(
            predecessor=F("successor")
        ).values_list("predecessor_id", "successor_id"):
            self.successors[predecessor].add(successor)
            self.predecessors[successor].add(predecessor)
        self._indexes: dict[tuple[datetime.date, frozenset[str]], dict[str, set[str]]] = {}

    def in_use(self, number: str, on_date: datetime.date) -> bool:
        periods = self.periods.get(number)
        if not periods:
            return True
        return any(
            (start is None or start <= on_date) and (end is None or on_date < end)
            for start, end in periods
        )

    def numbers_on(self, number: str, on_date: datetime.date) -> set[str]:
        """The numbers in use on ``on_date`` that ``number`` stands for: itself while in use;
        the numbers it became, for a number gone by then (1723 Mosvik in 2012 → 1756); the
        numbers it came from, for a number not yet in use (5057 Ørland in 2013 → 1621)."""
        if self.in_use(number, on_date):
            return {number}
        later = all(start is not None and start > on_date for start, _end in self.periods[number])
        step = self.predecessors if later else self.successors
        found: set[str] = set()
        seen, frontier = {number}, {number}
        while frontier:
            reached = {other for n in frontier for other in step.get(n, ())} - seen
            seen |= reached
            found |= {n for n in reached if self.in_use(n, on_date)}
            frontier = {n for n in reached if n not in found}
        return found

    def matches(self, number: str, on_date: datetime.date, among: frozenset[str]) -> list[str]:
        """The numbers of ``among`` (e.g. the municipalities of local projects) that
        ``number`` names on ``on_date``: itself when it is one of them, else those that were
        the same municipality that day (sorted; more than one means the number is
        ambiguous). The index of ``among`` on a date is built once."""
        if number in among:
            return [number]
        key = (on_date, among)
        if key not in self._indexes:
            index: dict[str, set[str]] = defaultdict(set)
            for known in among:
                for valid in self.numbers_on(known, on_date):
                    index[valid].add(known)
            self._indexes[key] = index
        index = self._indexes[key]
        return sorted(
            {known for valid in self.numbers_on(number, on_date) for known in index[valid]}
        )

    def numbers_valid_on(self, numbers, on_date: datetime.date) -> list[str]:
        """``numbers`` as they were on ``on_date`` (merged or renumbered ones by their
        successors), sorted and without repeats."""
        return sorted({valid for number in numbers for valid in self.numbers_on(number, on_date)})


def _reachable(edges: list[tuple[int, str, str]], number: str, *, forward: bool) -> set[int]:
    """The links that lead from ``number`` (forward) or to it, step by step through time."""
    taken: set[int] = set()
    seen = {number}
    frontier = {number}
    while frontier:
        found = [
            (pk, predecessor, successor)
            for pk, predecessor, successor in edges
            if pk not in taken and (predecessor if forward else successor) in frontier
        ]
        taken |= {pk for pk, _predecessor, _successor in found}
        reached = {successor if forward else predecessor for _pk, predecessor, successor in found}
        frontier = reached - seen
        seen |= reached
    return taken


@functools.cache
def _edges_sql(alias: str) -> str:
    """Every change link's id, predecessor and successor, name changes left out: the same as
    ``MunicipalityChangeLink.objects.exclude(predecessor=F("successor")).values_list("pk",
    "predecessor_id", "successor_id")``, written out once per process. The municipality page
    reads all of them (a few hundred rows) on every request, and the ORM's compiling and
    iterating cost five times what the query does."""
    quote = connections[alias].ops.quote_name
    meta = MunicipalityChangeLink._meta
    pk, predecessor, successor = (
        quote(meta.get_field(name).column) for name in ("id", "predecessor", "successor")
    )
    return (
        f"SELECT {pk}, {predecessor}, {successor} FROM {quote(meta.db_table)} "
        f"WHERE {predecessor} <> {successor}"
    )


_read_links = PreparedRead(
    lambda ids: MunicipalityChangeLink.objects.filter(pk__in=ids).select_related(
        "change", "predecessor", "successor"
    )
)


def _lineage(number: str) -> tuple[list, list]:
    """The changes before and after ``number`` (name changes left out), in two queries: every
    link's numbers (a few hundred rows), then the links on the way with their objects."""
    alias = MunicipalityChangeLink.objects.db
    with connections[alias].cursor() as cursor:
        cursor.execute(_edges_sql(alias))
        edges = cursor.fetchall()
    before = _reachable(edges, number, forward=False)
    after = _reachable(edges, number, forward=True)
    if not (before or after):  # most municipalities: no second query
        return [], []
    links = sorted(
        _read_links.instances(ids=before | after),
        key=lambda link: (link.change.date, link.predecessor_id, link.successor_id),
    )
    return [link for link in links if link.pk in before], [
        link for link in links if link.pk in after
    ]


@dataclass(frozen=True)
class MunicipalityHistory:
    number: str
    versions: list[MunicipalityVersion]
    predecessors: list[MunicipalityChangeLink]  # every earlier step that led here
    successors: list[MunicipalityChangeLink]  # every later step from here
    # Of this number and of its predecessors and successors; each with its ``url``, its
    # network's ``url`` and its ``municipality_entries`` (each with its ``url``).
    projects: list[LocalProject]

    @property
    def direct_successors(self) -> list[MunicipalityChangeLink]:
        return [link for link in self.successors if link.predecessor_id == self.number]

    @property
    def latest_successors(self) -> list[Municipality]:
        """Where the changes after this number end (e.g. 1621 Ørland → 5057 Ørland)."""
        onward = {link.predecessor_id for link in self.successors}
        latest = {
            link.successor_id: link.successor
            for link in self.successors
            if link.successor_id not in onward
        }
        return [latest[number] for number in sorted(latest)]

    @property
    def direct_predecessors(self) -> list[MunicipalityChangeLink]:
        return [link for link in self.predecessors if link.successor_id == self.number]


_read_municipality = PreparedRead(
    lambda number: Municipality.objects.filter(number=number).select_related("county")
)
_read_versions = PreparedRead(
    lambda number: MunicipalityVersion.objects.filter(municipality_id=number).select_related(
        "county"
    )
)


def _projects_of_municipalities(numbers: list[str]) -> QuerySet[LocalProject]:
    return (
        LocalProject.objects.filter(municipalities__in=numbers)
        .distinct()
        .select_related("network__theme", "network__programme")
        .only(
            "name",
            "slug",
            *in_every_language("network__name", "network__theme__name", "network__programme__name"),
            "network__slug",
            "network__programme__start_year",
            "network__programme__end_year",
        )
        .annotate(
            network_shares_name=name_is_shared("network"), municipality_list=_municipality_list()
        )
        .order_by("-network__programme__start_year", "network__programme__name", "name")
    )


_read_projects_of_municipalities = PreparedRead(_projects_of_municipalities)


def municipality_by_number(number: str) -> Municipality | None:
    """The municipality with its county, or None (compiled once per process)."""
    found = _read_municipality.instances(number=number)
    return found[0] if found else None


def municipality_history(municipality: Municipality) -> MunicipalityHistory:
    """A municipality's names and numbers over time, the changes before and after it, and the
    local projects of it and of the municipalities it came from or became, every round (the
    reads compiled once per process)."""
    versions = _read_versions.instances(number=municipality.number)
    predecessors, successors = _lineage(municipality.number)
    related = {municipality.number}
    related |= {link.predecessor_id for link in predecessors}
    related |= {link.successor_id for link in successors}
    projects = _read_projects_of_municipalities.instances(numbers=related)
    project_url, network_url = (
        reverser("municipalities:project_detail"),
        reverser("network:network_detail"),
    )
    municipality_url = reverser("municipalities:detail")
    for project in projects:
        project.network.shares_name = project.network_shares_name
        project.url = project_url(project.slug)
        project.network.url = network_url(project.network.slug)
        project.municipality_entries = project_municipalities(project)
        for other in project.municipality_entries:
            other.url = municipality_url(other.number)
    return MunicipalityHistory(
        number=municipality.number,
        versions=versions,
        predecessors=predecessors,
        successors=successors,
        projects=projects,
    )
