"""The page cache: finished pages served again without touching the database, for as long as
nothing they were made of has changed.

**What is kept.** :class:`PageCacheMiddleware` keeps the finished response of an anonymous GET
(keyed by scheme, host and full path – the language prefix and query included) for everyone
who is not signed in. Requests with a session cookie (signed-in users) or pending messages
pass by it: a signed-in page is always rendered. Never stored: responses other than 200,
streaming ones, ones that set a cookie (a page that used the CSRF token, which is the
visitor's own, always renews the CSRF cookie), and ones marked ``Cache-Control: private/
no-cache/no-store`` (:func:`never_stored`). The exception is a view marked
:func:`shared_form_page` (a questionnaire that many people open in bursts): its page is
stored once for all anonymous visitors with every CSRF token taken out, and each hit puts in
a token of the visitor's own CSRF cookie (and sets one when they have none), as Django's
``{% csrf_token %}`` would. Such a page is neither stored nor served for a request that
carries any other cookie (the view may answer differently to it).

**How a page stays correct: what it was made of.** While a page renders, every query it runs
is watched (a ``connection.execute_wrapper`` on every database connection of every process:
web, worker, management commands); the tables named in its SQL are what the page read. Each
table has a *version* in the shared cache (``pages:table:<name>``, a random number), and the
page is stored with the version of each table it read, taken *before* that table was first
read. Every statement that writes (INSERT, UPDATE, DELETE, …, seen by the same wrapper) gives
the tables it wrote new versions when its transaction commits (a commit hook; at once in
autocommit), each table once per commit; a rolled-back write changes nothing (nor does
an UPDATE of only a user's last sign-in, which no page shows). A hit
compares the page's versions with the current ones in the same round trip that fetches the
page (the tables a page read are remembered per process after its first lookup), so **a
change is visible on the very next request**, and a write to a table a page did not read
leaves it cached. A write committed while a page rendered leaves it stored with the older
version, so it is never served.

**Rows of one thing.** Some tables hold rows that each belong to one thing (an owner's page,
its versions, its attachments): a write to one owner's rows need not make every other owner's
page stale. A :class:`RowScope` names such tables; a page whose render reads only one
thing's rows of them, and a write that writes only one thing's rows, say so with
``scope.of(key)``. Each table then has, besides its version, a version per key and one for
writes that named no key (``<table>@*``). A write renews the table's version and either its
key's or the no-key version; a page rendered within ``scope.of(key)`` is stored with the key's
and the no-key version of those tables instead of the table's: it stays cached when another
key's rows change, and is stale after any write to its own rows or any write that named none.

Also compared on every hit: the *generation* (:func:`bump_generation`, «everything is
stale»: schema changes, statements the wrapper cannot read, and the commands that write
data call it), and the values a render read from the shared cache itself (a view's own
cached data, such as the survey's answer run): the page keeps a digest of each and is
current only while they are unchanged (:class:`PageAwareCache`, the cache backend in
settings, records them). Not stored: a render that read a table of :data:`VOLATILE_TABLES`,
that changed the shared cache other than by storing a value, or that saw a key hold two
values (read one and stored another: which did the page show?).

**The date.** What pages show of time goes by the day (coming gatherings, registration
deadlines, open rounds): the key holds today's date, so a page is never served on a later day.
Entries expire after ``PAGE_CACHE_SECONDS`` (an hour) anyway: a safety net for writes made
outside the portal (``psql``) and the browser's own. Each entry's
lifetime is drawn within ±15 % of that (:func:`jittered`), so that pages stored together do
not all expire in the same second. The cache must be shared by all processes (Redis); without
``REDIS_URL`` the setting is 0 by default, and the middleware and the wrapper do nothing.

Views that keep rendered fragments of their own (the ministry overview) ask
:func:`fragment_cache_enabled` first: ``FRAGMENT_CACHE=0`` turns them off, so that the
benchmark can measure the render path (``bench/run.py --page-cache off``).
"""

from __future__ import annotations

import contextvars
import hashlib
import itertools
import logging
import pickle
import random
import re
import secrets
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from operator import attrgetter
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import redis_cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
#: A table's version is kept under this prefix and the table's name.
TABLE_KEY = "pages:table:"
HIT_HEADER = "X-Page-Cache"
#: Tables written all the time and shown on no page that is stored: their writes change no
#: version, and a render that reads one of them is not stored (so leaving them out can never
#: serve a stale page). Sessions (a signed-in request never reaches the cache; every request
#: of a signed-in user may refresh its row), the sign-in lockout's records (axes), the outbox,
#: the task queue and the scheduler's bookkeeping (the worker writes them every few seconds).
VOLATILE_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "core_outboxmessage",
        "core_outboxrecipient",
        "core_scheduledjob",
        "django_tasks_database_dbtaskresult",
    }
)
_UNCACHEABLE = ("no-cache", "no-store", "private")
#: What a CSRF token is replaced with in a stored :func:`shared_form_page`.
_TOKEN_SLOT = b"\x00csrf-token\x00"
#: The hidden field ``{% csrf_token %}`` writes; its value is the token taken out.
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
#: How far an entry's lifetime may be from the setting, either way (a fraction of it).
JITTER = 0.15
#: The random numbers in [0, 1) the lifetimes are drawn with (tests put in their own).
lifetime_random: Callable[[], float] = random.random


def jittered(seconds: int, rand: Callable[[], float] | None = None) -> int:
    """``seconds`` ± :data:`JITTER` (at least one second): entries stored together expire
    spread over a fifth of their lifetime instead of in the same second."""
    draw = (rand or lifetime_random)()
    return max(1, round(seconds * (1 + JITTER * (2 * draw - 1))))


@contextmanager
def unrecorded() -> Iterator[None]:
    """Reads and writes of the shared cache that the page being rendered does not depend on:
    values kept under keys made of their own content (``core.content_memo``). Such a value is
    the same whoever made it, and a render that finds none makes the same value itself."""
    render = _recording()
    if render is None:
        yield
        return
    with render.pause():
        yield


def fragment_cache_enabled() -> bool:
    """Whether views may keep rendered fragments of their own (``FRAGMENT_CACHE``, on unless
    set to 0): off, every request renders everything (the benchmark's render path)."""
    return getattr(settings, "FRAGMENT_CACHE", True)


def bump_generation() -> None:
    """Make every cached page stale: the «everything» switch, for writes the statement
    watcher cannot see or name (a command that changes files, a schema change)."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # the cache being down must never fail a write
        logger.exception("Could not start a new page cache generation.")


def bump_tables(tables: Iterable[str]) -> None:
    """New versions for ``tables``: every cached page that read one of them is stale. Called
    when a transaction that wrote them commits; call it yourself only for a change the
    statement watcher cannot see."""
    names = set(tables) - VOLATILE_TABLES
    if _EVERYTHING in names:
        names.discard(_EVERYTHING)
        bump_generation()
    if not names:
        return
    names = _with_no_key_versions(names)
    try:
        cache.set_many({TABLE_KEY + name: _new_version() for name in names}, None)
    except Exception:  # the cache being down must never fail a write
        logger.exception("Could not renew the page cache versions of %s.", sorted(names))


def _with_no_key_versions(names: set[str]) -> set[str]:
    """``names`` and, for each table named without any of its keys' versions, its no-key
    version (a write that named no key may have written any key's rows)."""
    keyed = {name.partition("@")[0] for name in names if "@" in name}
    return names | {name + NO_KEY for name in names - keyed if "@" not in name}


def _new_version() -> int:
    # Random, not a counter: a version lost with an emptied cache never comes back, so a page
    # stored before can never match again.
    return secrets.randbits(62)


def never_stored(view):
    """Mark a view whose pages and files must be kept by no cache at all, as those that show
    health data (diets, allergies): ``Cache-Control: no-store, private`` on every answer, so
    neither the browser, a proxy nor the page cache keeps them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapped


def shared_form_page(view):
    """Mark a public view whose GET page is the same for every anonymous visitor but for its
    CSRF token (a questionnaire): the page cache stores it for all of them, with the token
    put in per visitor. Only a 200 answer to a GET without a query string is shared (an
    invitation link, ``?i=…``, is a page of its own visitor); ``Cache-Control`` headers are
    left for the browser (``never_cache`` keeps the back button from showing an old token)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and not request.GET and response.status_code == 200:
            response.shared_form_page = True
        return response

    return wrapped


# --- What a statement reads and writes -------------------------------------------------------

#: In :func:`bump_tables`: every page is stale (a new generation).
_EVERYTHING = "*"
_FIRST_WORD = re.compile(r"[\s(]*([A-Za-z]+)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: The table a data-changing statement (or each data-changing part of a WITH) writes. An
#: UPDATE must be followed by SET, so that ``FOR UPDATE`` and ``DO UPDATE SET`` are not taken
#: for one.
_WRITE_TARGET = re.compile(
    r"""\b(?:
        (?:INSERT(?:\s+OR\s+\w+)?|REPLACE|MERGE)\s+INTO
        | DELETE\s+FROM
    )\s+(?:ONLY\s+)?"?(\w+)"?
    | \bUPDATE(?:\s+OR\s+\w+)?\s+(?:ONLY\s+)?"?(\w+)"?(?:\s+(?:AS\s+)?"?\w+"?)?\s+SET\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_CHANGES_DATA = re.compile(r"\b(?:INSERT|DELETE|MERGE|UPDATE\s+\S+\s+SET)\b", re.IGNORECASE)
_READS_ONLY = frozenset({"SELECT", "VALUES", "EXPLAIN", "SHOW", "TABLE"})
#: Statements that change no table's rows (transactions, settings, locks).
_NO_DATA = frozenset(
    {
        "SAVEPOINT",
        "RELEASE",
        "ROLLBACK",
        "BEGIN",
        "COMMIT",
        "END",
        "START",
        "SET",
        "RESET",
        "PRAGMA",
        "LOCK",
        "ANALYZE",
        "VACUUM",
        "DISCARD",
        "DEALLOCATE",
        "LISTEN",
        "UNLISTEN",
        "NOTIFY",
    }
)
_DATA_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "UPSERT"})
_ALL_ROWS_WRITES = frozenset({"TRUNCATE", "COPY"})
#: An UPDATE that sets one column, as ``save(update_fields=[…])`` of one field writes it.
_ONE_COLUMN_UPDATE = re.compile(r'UPDATE "(\w+)" SET "(\w+)" = %s WHERE "\1"\."\w+" = %s')


@lru_cache(maxsize=1)
def _unshown_columns() -> frozenset[tuple[str, str]]:
    """Columns no page shows that are written all the time: a user's last sign-in (written
    at every sign-in). An UPDATE of only such a column renews no version."""
    return frozenset({(get_user_model()._meta.db_table, "last_login")})


class Statement(NamedTuple):
    reads: frozenset[str]
    writes: frozenset[str]


@lru_cache(maxsize=1)
def _known_tables() -> frozenset[str]:
    return frozenset(
        model._meta.db_table.lower() for model in apps.get_models(include_auto_created=True)
    )


#: Statements read once per process (most are the same few hundred); a longer one (a bulk
#: insert's placeholders) is read every time, so that the memo stays small.
_STATEMENTS_KEPT, _STATEMENT_KEPT_LENGTH = 1024, 4000


def statement(sql: str) -> Statement:
    """:func:`read_statement`, remembered."""
    if len(sql) > _STATEMENT_KEPT_LENGTH:
        return read_statement(sql)
    return _remembered_statement(sql)


@lru_cache(maxsize=_STATEMENTS_KEPT)
def _remembered_statement(sql: str) -> Statement:
    return read_statement(sql)


def read_statement(sql: str) -> Statement:
    """The tables ``sql`` reads (every table of the portal's models named anywhere in it, so
    also those a write reads from) and writes (``*``: the statement changes what it cannot be
    told, as a schema change). Every table a query reads must be named in its SQL: the portal
    has no database views or functions that read tables."""
    first = _FIRST_WORD.match(sql)
    word = first.group(1).upper() if first else ""
    named = {name.lower() for name in _IDENTIFIER.findall(sql)}
    reads = frozenset(named & _known_tables())
    if word in _READS_ONLY or word in _NO_DATA:
        return Statement(reads, frozenset())
    one_column = _ONE_COLUMN_UPDATE.fullmatch(sql)
    if one_column and one_column.groups() in _unshown_columns():
        return Statement(reads, frozenset())
    targets = {(a or b).lower() for a, b in _WRITE_TARGET.findall(sql)}
    if word == "WITH":
        if not targets and not _CHANGES_DATA.search(sql):
            return Statement(reads, frozenset())
    elif word in _ALL_ROWS_WRITES:
        targets |= reads
    elif word not in _DATA_WRITES:
        return Statement(reads, frozenset({_EVERYTHING}))  # CREATE, ALTER, DROP, …
    # Writes to volatile tables change no version (and need no commit hook).
    return Statement(reads, frozenset(targets - VOLATILE_TABLES if targets else {_EVERYTHING}))


#: A statement that is not a string (none of the portal's): it may have changed anything.
_UNREADABLE = Statement(frozenset(), frozenset({_EVERYTHING}))


# --- Rows of one thing ------------------------------------------------------------------------

#: The version of a table's rows written by writes that named no key.
NO_KEY = "@*"


class RowScope:
    """Tables whose rows each belong to one thing, named by a key (an owner's page and its
    versions, by the owner's slug): see the module's «Rows of one thing». Within ``of(key)``, a
    render reads and a write writes only ``key``'s rows of :attr:`tables`; saying so of a
    render that reads another key's rows would keep it cached when those change."""

    __slots__ = ("name", "tables")

    def __init__(self, name: str, tables: Iterable[str]):
        self.name, self.tables = name, frozenset(tables)

    def __repr__(self) -> str:
        return f"RowScope({self.name!r}, {sorted(self.tables)})"

    @contextmanager
    def of(self, key) -> Iterator[None]:
        """Reads and writes of ``key``'s rows (a string of letters, digits, ``-`` and
        ``_``, such as a slug)."""
        token = _rows.set(_Rows(self.tables, f"@{self.name}:{key}"))
        try:
            yield
        finally:
            _rows.reset(token)

    def keyed_by(self, path: str):
        """Decorate a view or a keyword-only service whose reads and writes are of the rows
        of one key, found at ``path`` in its keyword arguments: ``"slug"`` (a view's URL
        argument), ``"attachment.owner.slug"``."""
        argument, _, attributes = path.partition(".")
        key_of = attrgetter(attributes) if attributes else None

        def decorate(function):
            @wraps(function)
            def wrapped(*args, **kwargs):
                key = kwargs[argument]
                with self.of(key_of(key) if key_of else key):
                    return function(*args, **kwargs)

            return wrapped

        return decorate


class _Rows(NamedTuple):
    tables: frozenset[str]
    suffix: str  # of the key's versions: ``@<scope>:<key>``

    def read(self, tables: frozenset[str]) -> frozenset[str]:
        """The versions a render that read ``tables`` depends on."""
        scoped = tables & self.tables
        if not scoped:
            return tables
        keyed = {table + suffix for table in scoped for suffix in (self.suffix, NO_KEY)}
        return (tables - scoped) | keyed

    def written(self, tables: frozenset[str]) -> frozenset[str]:
        """The versions a write of ``tables`` renews."""
        return frozenset(
            name
            for table in tables
            for name in (table, table + (self.suffix if table in self.tables else NO_KEY))
        )


_rows: contextvars.ContextVar[_Rows | None] = contextvars.ContextVar("page_rows", default=None)


def _written(tables: frozenset[str]) -> frozenset[str]:
    if _EVERYTHING in tables:
        return tables
    rows = _rows.get()
    if rows is not None:
        return rows.written(tables)
    return frozenset(name for table in tables for name in (table, table + NO_KEY))


def _watch(execute, sql, params, many, context):
    """The execute wrapper on every connection: what a render reads, what every process
    writes."""
    render = _recording()
    if render is None and not settings.PAGE_CACHE_SECONDS:
        return execute(sql, params, many, context)
    seen = statement(sql) if isinstance(sql, str) else _UNREADABLE
    if render is not None:
        rows = _rows.get()
        render.read_tables(seen.reads if rows is None else rows.read(seen.reads))
    result = execute(sql, params, many, context)
    if seen.writes:
        _after_write(context["connection"], _written(seen.writes))
    return result


class _Bump:
    """The commit hook of one write: new versions for the tables it wrote, unless a hook of
    the same connection already gave them new ones after this write (the same commit: a
    transaction of many statements renews each table once)."""

    __slots__ = ("connection", "tables", "written")

    def __init__(self, connection, tables: frozenset[str]):
        self.connection, self.tables, self.written = connection, tables, next(_sequence)

    def __call__(self) -> None:
        renewed = self.connection.__dict__.setdefault("page_cache_renewed", {})
        tables = {table for table in self.tables if renewed.get(table, -1) < self.written}
        if tables:
            bump_tables(tables)
            now = next(_sequence)
            if len(renewed) >= _RENEWALS_KEPT:
                # Those of earlier commits are older than any write to come; at worst a
                # version is renewed twice in this commit.
                renewed.clear()
            renewed.update(dict.fromkeys(tables, now))


#: Orders writes and renewals (one connection's hooks run after its commit, one by one).
_sequence = itertools.count()
#: Renewals remembered per connection (a version per table and per key of a ``RowScope``).
_RENEWALS_KEPT = 1024


def _after_write(connection, tables: frozenset[str]) -> None:
    """New versions for the tables a statement wrote, when its transaction commits: at once
    in autocommit, never if it is rolled back. (Under manual transaction management, which
    the portal never uses, there is no commit hook: at once, best effort.)"""
    if connection.in_atomic_block or connection.get_autocommit():
        # The connection's own hook: also a connection not in ``connections`` (Django's
        # maintenance connection, which creates and drops databases).
        connection.on_commit(_Bump(connection, tables))
    else:
        bump_tables(tables)


@receiver(connection_created, dispatch_uid="core.cache.watch_statements")
def watch_statements(sender, connection, **kwargs) -> None:
    """Put the statement watcher on each new database connection (first, so that a wrapper
    of someone else's ``execute_wrapper`` block is the one its block takes off again)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def watch_open_connections() -> None:
    """The watcher on connections opened before this module was imported (``ready()``)."""
    for connection in connections.all(initialized_only=True):
        watch_statements(None, connection)


# --- What a render read ----------------------------------------------------------------------

_ABSENT = object()


class _Render:
    """What one page's render read: the version of each table (taken before the table's first
    read) and a digest of each value read from the shared cache."""

    __slots__ = ("before", "digests", "paused", "storable", "versions")

    def __init__(self, before: dict[str, int]):
        self.before = before  # versions fetched with the lookup, before the render began
        self.versions: dict[str, int] = {}
        self.digests: dict[str, bytes] = {}
        self.storable = True
        self.paused = False

    @contextmanager
    def pause(self) -> Iterator[None]:
        paused, self.paused = self.paused, True
        try:
            yield
        finally:
            self.paused = paused

    def read_tables(self, tables: frozenset[str]) -> None:
        new = tables - self.versions.keys()
        if not new or not self.storable:
            return
        if new & VOLATILE_TABLES:
            self.storable = False
            new -= VOLATILE_TABLES
        wanted = [table for table in new if table not in self.before]
        current = {table: self.before[table] for table in new - set(wanted)}
        if wanted:
            try:
                with self.pause():
                    current.update(_versions(wanted))
            except Exception:
                logger.exception("The page cache is not available.")
                self.storable = False
                return
        for table, version in current.items():
            if version is None:
                self.storable = False
            else:
                self.versions[table] = version

    def read_cache(self, key, version, value, *, stored: bool = False) -> None:
        """A value read from the shared cache, or ``stored`` in it by the render (a later
        render reads what was stored)."""
        if version is not None or not isinstance(key, str):
            self.storable = False
            return
        try:
            # As a later read will find it: unpickled from what the cache keeps.
            digest = _digest(_as_kept(value) if stored else value)
        except Exception:
            self.storable = False
            return
        if self.digests.setdefault(key, digest) != digest:
            # Read as one value (or as missing), then another one: which did the page use?
            # (A render that found nothing, made the value and stored it is stored next time.)
            self.storable = False


_rendering: contextvars.ContextVar[_Render | None] = contextvars.ContextVar(
    "page_render", default=None
)


def _recording() -> _Render | None:
    render = _rendering.get()
    return None if render is None or render.paused else render


def _as_kept(value):
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _digest(value) -> bytes:
    if value is None:
        return b""
    return hashlib.blake2b(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), digest_size=16).digest()


def _versions(tables: Iterable[str]) -> dict[str, int | None]:
    """The current version of each table; a table without one gets one."""
    keys = {TABLE_KEY + table: table for table in tables}
    found = cache.get_many(list(keys))
    for key in keys.keys() - found.keys():
        version = _new_version()
        found[key] = version if cache.add(key, version, None) else cache.get(key)
    return {table: found.get(key) for key, table in keys.items()}


class PageAwareCache:
    """Mixed into the cache backend: during a page's render, what it reads from (and writes
    to) the shared cache, so that the page is current only while those values are. A value
    read or stored is recorded by a digest; anything else (``incr``, ``delete``, a failed
    ``add``, ``has_key``, a ``version``) keeps the page from being stored. Outside a render
    it is the backend it is mixed into."""

    #: Keys made (prefix, version, checked) and kept per backend: a hit asks for a page and
    #: the versions of its tables, a key each, and making a key costs about what fetching
    #: it does.
    _KEYS_KEPT = 10_000

    def make_and_validate_key(self, key, version=None):
        if version is not None:
            return super().make_and_validate_key(key, version)
        made = self.__dict__.setdefault("_made_keys", {})
        full = made.get(key)
        if full is None:
            full = super().make_and_validate_key(key, version)
            if len(made) >= self._KEYS_KEPT:
                made.clear()
            made[key] = full
        return full

    def _call(self, name, *args):
        """``(render, result)``: the backend's method ``name``, called with the recording
        paused (the page's own reads are recorded by the caller), or outside a render
        (``render`` None)."""
        render = _recording()
        if render is None:
            return None, getattr(super(), name)(*args)
        with render.pause():
            return render, getattr(super(), name)(*args)

    def get(self, key, default=None, version=None):
        render, value = self._call("get", key, _ABSENT, version)
        if render is not None:
            render.read_cache(key, version, None if value is _ABSENT else value)
        return default if value is _ABSENT else value

    def get_many(self, keys, version=None):
        keys = list(keys)
        render, found = self._call("get_many", keys, version)
        if render is not None:
            for key in keys:
                render.read_cache(key, version, found.get(key))
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._stored("set", key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        render, failed = self._call("set_many", data, timeout, version)
        if render is not None:
            for key, value in data.items():
                if key not in (failed or ()):
                    render.read_cache(key, version, value, stored=True)
        return failed

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._stored("add", key, value, timeout, version)

    def _stored(self, name, key, value, timeout, version):
        """``set`` or ``add`` (``name``): what the render stores is recorded as a later render
        reads it; an ``add`` that found the key taken stored nothing."""
        render, result = self._call(name, key, value, timeout, version)
        if render is not None:
            if name == "add" and not result:
                render.storable = False
            else:
                render.read_cache(key, version, value, stored=True)
        return result

    def _unrecorded(self, name, *args, **kwargs):
        render = _recording()
        if render is None:
            return getattr(super(), name)(*args, **kwargs)
        render.storable = False
        with render.pause():
            return getattr(super(), name)(*args, **kwargs)


def _unrecorded_call(name: str):
    """The cache method ``name``, which makes the page being recorded unstorable."""

    def method(self, *args, **kwargs):
        return self._unrecorded(name, *args, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"PageAwareCache.{name}"
    return method


#: What a page being recorded may not do and still be stored: count, touch, delete, clear.
for _name in ("has_key", "incr", "decr", "touch", "delete", "delete_many", "clear"):
    setattr(PageAwareCache, _name, _unrecorded_call(_name))


class PageAwareRedisCache(PageAwareCache, redis_cache.RedisCache):
    """The portal's Redis cache (``core.redis_cache``) for the page cache."""


class PageAwareLocMemCache(PageAwareCache, LocMemCache):
    """One process's memory (without ``REDIS_URL``: development and tests)."""


# --- The middleware --------------------------------------------------------------------------


class Entry(NamedTuple):
    """A stored page and what it was made of."""

    status: int
    headers: list[tuple[str, str]]
    content: bytes
    form: bool  # a shared form page: CSRF tokens taken out
    versions: tuple[tuple[str, object], ...]  # (cache key, value): the generation, tables
    digests: tuple[tuple[str, bytes], ...]  # (cache key, digest): values of the shared cache

    def dependencies(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.versions) + tuple(key for key, _ in self.digests)

    def is_current(self, values: dict) -> bool:
        return all(values.get(key) == version for key, version in self.versions) and all(
            _digest(values.get(key)) == digest for key, digest in self.digests
        )


#: Per process: the keys each page was last compared with, fetched with the page itself.
_dependencies: dict[str, tuple[str, ...]] = {}
_DEPENDENCIES_KEPT = 10_000


def _remember(key: str, dependencies: tuple[str, ...]) -> None:
    if _dependencies.get(key) == dependencies:
        return
    if len(_dependencies) >= _DEPENDENCIES_KEPT:
        _dependencies.clear()
    # Interned: thousands of pages share a few dozen keys (a worker's memory stays small).
    _dependencies[key] = tuple(sys.intern(name) for name in dependencies)


def _lookup(key: str) -> tuple[Entry | None, dict]:
    """The stored page (if any) and the current values of what it depends on: one round trip
    when this process has looked the page up before, two otherwise."""
    known = _dependencies.get(key) or (GENERATION_KEY,)
    found = cache.get_many([key, *known])
    entry = found.pop(key, None)
    values = {name: found.get(name) for name in known}
    if not isinstance(entry, Entry):
        return None, values
    dependencies = entry.dependencies()
    missing = [name for name in dependencies if name not in values]
    if missing:
        more = cache.get_many(missing)
        values.update((name, more.get(name)) for name in missing)
    if dependencies != known:
        _remember(key, dependencies)
    return entry, values


def _generation(values: dict) -> str | None:
    generation = values.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


class PageCacheMiddleware:
    """Serve anonymous GET/HEAD requests from the page cache; store what a GET rendered with
    what it read. Place it before SessionMiddleware (a hit needs no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if (
            seconds
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        ):
            return self._cached(request, seconds)
        return self.get_response(request)

    def _cached(self, request, seconds: int):
        key = _page_key(request)
        head = request.method == "HEAD"
        try:
            entry, values = _lookup(key)
            generation = _generation(values)
        except Exception:
            logger.exception("The page cache is not available.")
            return self.get_response(request)
        if entry is not None and entry.is_current(values):
            if not entry.form:
                return _from_entry(entry, head=head)
            if not _has_other_cookies(request):
                return _form_from_entry(request, entry, head=head)
        if head:
            return self.get_response(request)
        before = {
            name[len(TABLE_KEY) :]: value
            for name, value in values.items()
            if value is not None and name.startswith(TABLE_KEY)
        }
        render = _Render(before)
        token = _rendering.set(render)
        try:
            response = self.get_response(request)
        finally:
            _rendering.reset(token)
        if render.storable and generation is not None:
            self._store(request, response, key, seconds, generation, render)
        return response

    def _store(self, request, response, key, seconds, generation, render: _Render) -> None:
        # Headers only: cookies (a renewed CSRF cookie) are never stored.
        form = bool(getattr(response, "shared_form_page", False))
        content = _shared_form_content(request, response) if form else None
        if content is None and (form or not _is_storable(request, response)):
            return
        entry = Entry(
            status=response.status_code,
            headers=list(response.items()),
            content=response.content if content is None else content,
            form=form,
            versions=(
                (GENERATION_KEY, generation),
                *sorted((TABLE_KEY + table, v) for table, v in render.versions.items()),
            ),
            digests=tuple(sorted(render.digests.items())),
        )
        try:
            cache.set(key, entry, jittered(seconds))
        except Exception:
            logger.exception("Could not store a page in the page cache.")
            return
        _remember(key, entry.dependencies())


def _page_key(request) -> str:
    """The page's address and today's date where the portal is: what a page shows of the date
    («coming gatherings», a registration deadline, an open measurement round) changes with
    it, so a page is never served on a later day than the one it was made on."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    today = timezone.localdate().isoformat()
    return f"pages:public:{today}:" + hashlib.sha256(address.encode()).hexdigest()


def _cache_control_allows(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in _UNCACHEABLE)


def _added_a_message(request) -> bool:
    """A message added and shown by the same GET must not be shown again from the cache."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and storage.added_new)


def _is_storable(request, response) -> bool:
    # A page that used the CSRF token always sets (renews) the CSRF cookie: not stored.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if _added_a_message(request):
        return False
    return _cache_control_allows(response)


def _from_entry(entry: Entry, *, head: bool, content: bytes | None = None) -> HttpResponse:
    body = entry.content if content is None else content
    response = HttpResponse(b"" if head else body, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


# --- Shared form pages: one stored page, each visitor's own CSRF token -----------------------


def _has_other_cookies(request) -> bool:
    return any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def _shared_form_content(request, response) -> bytes | None:
    """The page with the value of each CSRF field replaced by a slot, or None when it must not
    be shared: another cookie in the request or the response, not a plain 200 page, or a token
    that also stands elsewhere in the page."""
    if (
        settings.CSRF_USE_SESSIONS
        or response.status_code != 200
        or response.streaming
        or _has_other_cookies(request)
        or any(name != settings.CSRF_COOKIE_NAME for name in response.cookies)
        or _added_a_message(request)
    ):
        return None
    tokens = {match.group(2) for match in _TOKEN_FIELD.finditer(response.content)}
    content = _TOKEN_FIELD.sub(
        lambda match: match.group(1) + _TOKEN_SLOT + match.group(3), response.content
    )
    if not tokens or any(token in content for token in tokens):
        return None
    return content


#: Django's own CSRF middleware, used for its cookie handling only (it never calls a view):
#: it reads the visitor's cookie (``process_request``) and sets a new one
#: (``process_response``), as on any page.
_csrf = CsrfViewMiddleware(lambda request: None)


def _form_from_entry(request, entry: Entry, *, head: bool) -> HttpResponse:
    """The stored form page with tokens of the visitor's own CSRF cookie (a new cookie for a
    visitor who has none), as ``{% csrf_token %}`` would write them."""
    _csrf.process_request(request)
    had_cookie = "CSRF_COOKIE" in request.META  # a valid cookie of the visitor's, kept as it is
    parts = entry.content.split(_TOKEN_SLOT)
    content = parts[0] + b"".join(get_token(request).encode() + part for part in parts[1:])
    response = _from_entry(entry, head=head, content=content)
    if not had_cookie:
        response = _csrf.process_response(request, response)
    patch_vary_headers(response, ("Cookie",))
    return response
