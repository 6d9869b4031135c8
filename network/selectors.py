"""Reads shared by the network pages."""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.db import connections

from core.prepared_reads import PreparedRead
from core.reversing import reverser
from core.translated_fields import LANGUAGES, columns, shown

from .models import Network, Programme, period
from .page_blocks import network_list_annotators


def current_programme(request) -> Programme | None:
    """The current programme, read once per request (the header shows it on every page)."""
    if not hasattr(request, "_current_programme"):
        request._current_programme = _flagged_programme() or Programme.objects.current()
    return request._current_programme


def _flagged_programme() -> Programme | None:
    """The programme flagged as the current one (``Programme.objects.filter(is_current=True)
    .first()``; at most one is), read with a query written out once per process: the header
    of nearly every page needs it, and the ORM's building and compiling cost five times what
    the query does."""
    alias = Programme.objects.db
    fields = [field.attname for field in Programme._meta.concrete_fields]
    with connections[alias].cursor() as cursor:
        cursor.execute(_flagged_programme_sql(alias))
        row = cursor.fetchone()
    if row is None:
        return None
    programme = Programme.from_db(alias, fields, row)
    programme.is_current = True  # SQLite answers 1
    return programme


@functools.cache
def _flagged_programme_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    meta = Programme._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    flag = quote(meta.get_field("is_current").column)
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {flag} LIMIT 1"


def note_programme(request, programme: Programme, *, current: Programme | None = None) -> None:
    """A page that has loaded its programme anyway tells the header and the footer: they
    name the page's programme (saving the header its query when it is the current one, or
    when the page has read the ``current`` one too)."""
    request._page_programme = programme
    if current is not None:
        request._current_programme = current
    elif programme.is_current and not hasattr(request, "_current_programme"):
        request._current_programme = programme


def page_programme(request) -> Programme | None:
    """The programme the page belongs to (``note_programme``), else the current one."""
    noted = getattr(request, "_page_programme", None)
    return noted if noted is not None else current_programme(request)


def programme_rounds(request) -> tuple[Programme | None, list[Programme]]:
    """The current programme and the other rounds (newest first), in one query (compiled
    once per process), for the front page."""
    rounds = every_programme()
    current = next((p for p in rounds if p.is_current), rounds[0] if rounds else None)
    if current is not None:
        note_programme(request, current)
        request._current_programme = current
    return current, [p for p in rounds if p != current]


def every_programme() -> list[Programme]:
    """Every programme round, newest first (compiled once per process)."""
    return _read_rounds.instances()


def other_programmes(programme: Programme) -> list[Programme]:
    """Every other programme round, newest first, for a round's own page."""
    return _read_other_rounds.instances(programme_id=programme.pk)


_read_rounds = PreparedRead(lambda: Programme.objects.order_by("-start_year", "name"))
_read_other_rounds = PreparedRead(
    lambda programme_id: Programme.objects.exclude(pk=programme_id).order_by("-start_year", "name")
)


class ThemeHeading(NamedTuple):
    """A theme as the front page heads its networks: equal by value, for grouping."""

    slug: str
    name: str
    position: int


class NetworkCard:
    """A network's card on the front page, read as plain values (no model instances): its
    ``name``, ``title`` (``Network.title``), ``region``, ``facilitator`` (a name or None),
    ``theme`` (a :class:`ThemeHeading`), ``slug`` and ``url``, and what
    ``network_list_annotators`` add (``local_project_count``), as attributes."""

    def __init__(self, **values):
        self.__dict__.update(values)


#: The card's columns, in order: the translated texts each in every language (``shown``
#: picks the page's), then the rest; the annotators' values follow.
_CARD_TEXTS = ("name", "region", "theme__name")
_CARD_FIELDS = (
    *(column for text in _CARD_TEXTS for column in columns(text)),
    "slug",
    "programme__start_year",
    "programme__end_year",
    "theme__slug",
    "theme__position",
    "facilitator__name",
    "shares_name",
)


def _annotated_networks(programme_id: int):
    networks = Network.objects.filter(programme_id=programme_id).with_titles()
    for annotate in network_list_annotators.values():
        networks = annotate(networks)
    return networks


@functools.cache
def _card_extras() -> tuple[str, ...]:
    """The names of what ``network_list_annotators`` add, in the order they are read (the
    annotators are registered when the apps are ready)."""
    names = _annotated_networks(0).query.annotations
    return tuple(name for name in names if name not in _CARD_FIELDS)


def _programme_network_cards(programme_id: int):
    # The texts' columns are read as they are (no rewriting): ``shown`` picks the language.
    return (
        _annotated_networks(programme_id).rewrite(False).values_list(*_CARD_FIELDS, *_card_extras())
    )


_read_network_cards = PreparedRead(_programme_network_cards)


_read_network = PreparedRead(
    lambda slug: (
        Network.objects.filter(slug=slug)
        .with_titles()
        .select_related("theme", "facilitator", "facilitator__organisation")
    )
)


def network_by_slug(slug: str) -> Network | None:
    """The network page's network, with its titles, theme and facilitator (compiled once per
    process)."""
    found = _read_network.instances(slug=slug)
    return found[0] if found else None


def programme_networks(programme: Programme) -> list[NetworkCard]:
    """The programme's networks as their cards on the front page show them, with what the
    other apps add (compiled once per process)."""
    url = reverser("network:network_detail")
    languages = len(LANGUAGES)
    texts = len(_CARD_TEXTS) * languages
    extras = _card_extras()
    cards = []
    for row in _read_network_cards(programme_id=programme.pk):
        name, region, theme_name = (
            shown(row[n : n + languages]) for n in range(0, texts, languages)
        )
        slug, start_year, end_year, theme_slug, position, facilitator, shared = row[
            texts : texts + 7
        ]
        cards.append(
            NetworkCard(
                name=name,
                title=f"{name} ({period(start_year, end_year)})" if shared else name,
                region=region,
                facilitator=facilitator,
                theme=ThemeHeading(theme_slug, theme_name, position),
                slug=slug,
                url=url(slug),
                **dict(zip(extras, row[texts + 7 :], strict=True)),
            )
        )
    return cards
