"""Personal data across the apps: retention, insight («Mine data») and erasure.

Dependencies run one way, yet the personal data of one person lies in every app. Each app
adds to two registries, from its ``AppConfig.registrations()``:

- :data:`retention_steps`: what ``manage.py purge_personal_data`` deletes or anonymises once
  it is older than its retention period, called with ``now`` and ``dry_run`` and returning
  the number of records concerned;
- :data:`subject_parts`: what the app holds about one user (``collect``, shown on «Mine
  data» and in its JSON download) and how to erase it (``erase``, when a deletion is
  confirmed). The parts are erased in ``order``; the account itself is deleted last.

A module declares its steps and parts beside the functions they run, with the decorators of
a :class:`Declarations` (``personal_data = Declarations()``); the app's ``registrations()``
hands them on with ``*module.personal_data.registrations()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext


@dataclass(frozen=True)
class RetentionStep:
    """One kind of data deleted after its time: ``run(now=..., dry_run=...) -> count``."""

    key: str
    label: str | Promise
    run: Callable[..., int]
    order: int = 100


@dataclass(frozen=True)
class Item:
    """One value about a person: ``key`` names it in the JSON file, ``label`` on the page."""

    key: str
    label: str | Promise
    value: Any

    @property
    def display(self) -> str:
        """The value as the page shows it: «Yes»/«No», dates in the reader's language."""
        value = self.value
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, date):
            return date_format(value, "DATE_FORMAT")
        if isinstance(value, list | tuple):
            return ", ".join(str(entry) for entry in value)
        return str(value)


def items(obj: Any, rows: list[tuple]) -> list[Item]:
    """An :class:`Item` for each row of ``rows``: ``(key, label, value)``, or ``(key, label)``
    for the value of ``obj``'s attribute ``key``."""
    return [
        Item(key, label, value[0] if value else getattr(obj, key)) for key, label, *value in rows
    ]


@dataclass(frozen=True)
class Record:
    """One thing held about a person (a participation, a registration …). ``template``, if
    given, is included under it on «Mine data» with ``context`` (e.g. a form to change it)."""

    title: str
    items: list[Item]
    url: str = ""
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SubjectPart:
    """What an app holds about a user: ``collect(user=...) -> list[Record]`` (None: nothing to
    show) and ``erase(user=...) -> int`` (the number of records deleted or anonymised)."""

    key: str
    label: str | Promise
    collect: Callable[..., list[Record]] | None = None
    erase: Callable[..., int] | None = None
    order: int = 100


@dataclass
class Registry:
    name: str
    _entries: dict[str, Any] = field(default_factory=dict)

    def register(self, entry: RetentionStep | SubjectPart) -> None:
        self._entries[entry.key] = entry

    def all(self) -> list[Any]:
        return sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key))


#: What ``purge_personal_data`` runs, in order.
retention_steps = Registry("retention")
#: What «Mine data» shows and what a confirmed deletion erases, in order.
subject_parts = Registry("subject")


class Declarations:
    """The retention steps and subject parts of one module, each declared by a decorator on
    the function it runs. Nothing is registered until the app's ``registrations()`` passes
    on :meth:`registrations`."""

    def __init__(self) -> None:
        self._steps: list[RetentionStep] = []
        self._parts: dict[str, SubjectPart] = {}

    def retention_step(self, key: str, label: str | Promise, *, order: int = 100):
        """Declares the decorated ``run(now=..., dry_run=...) -> int`` as a retention step."""

        def declare(run: Callable[..., int]) -> Callable[..., int]:
            self._steps.append(RetentionStep(key=key, label=label, run=run, order=order))
            return run

        return declare

    def collects(self, key: str, label: str | Promise | None = None, *, order: int = 100):
        """Declares the decorated ``collect(user=...) -> list[Record]`` as what subject part
        ``key`` shows. The first declaration of a part gives its label and order."""
        return self._part_function(key, label, order, "collect")

    def erases(self, key: str, label: str | Promise | None = None, *, order: int = 100):
        """Declares the decorated ``erase(user=...) -> int`` as how subject part ``key`` is
        erased. The first declaration of a part gives its label and order."""
        return self._part_function(key, label, order, "erase")

    def _part_function(self, key, label, order, role):
        def declare(function: Callable) -> Callable:
            part = self._parts.get(key)
            if part is None:
                if label is None:
                    raise TypeError(f"The first declaration of subject part {key!r} needs a label.")
                part = SubjectPart(key=key, label=label, order=order)
            self._parts[key] = replace(part, **{role: function})
            return function

        return declare

    def registrations(self) -> list[tuple]:
        """``(registry, entry, ...)`` for each registry with a declaration here
        (``core.registrations``)."""
        return [
            (registry, *entries)
            for registry, entries in (
                (retention_steps, self._steps),
                (subject_parts, list(self._parts.values())),
            )
            if entries
        ]


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text, lazy strings as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(entry) for entry in value]
    return value


def as_json(parts: list[tuple[SubjectPart, list[Record]]]) -> dict[str, Any]:
    return {
        part.key: [
            {
                "title": record.title,
                **({"url": record.url} if record.url else {}),
                **{item.key: plain(item.value) for item in record.items},
            }
            for record in records
        ]
        for part, records in parts
    }


def purge(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Runs every registered retention step (``retention_steps``): the number of records each
    deleted or anonymised, or with ``dry_run`` would. Idempotent; the scheduler runs it daily."""
    now = now or timezone.now()
    with transaction.atomic():
        counts = {step.key: step.run(now=now, dry_run=dry_run) for step in retention_steps.all()}
    if not dry_run and any(counts.values()):
        from .cache import bump_generation

        bump_generation()
    return counts
