"""The permission matrix: every named URL × every persona → the expected status.

Each app lists its URLs in ``tests/<app>/url_matrix.py`` as ``CASES = [Case(...), ...]``;
``tests/test_permission_matrix.py`` walks the URL resolver and fails for any named URL of the
project's apps that no case covers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

PERSONAS = (
    "anonymous",
    "participant",
    "leader_karmoy",
    "leader_strand",
    "facilitator",
    "facilitator_other",
    "ministry",
    "admin_user",
)

#: What a signed-in page answers an anonymous visitor: a redirect to the login page.
LOGIN = 302


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Statuses for all personas: ``expect(403, leader_karmoy=200, admin_user=200)``."""
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas: {unknown}")
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


@dataclass(frozen=True)
class Case:
    """One request to a named URL. ``kwargs`` and ``data`` may be callables, evaluated inside
    the test (with database access) so they can look objects up."""

    name: str
    expected: dict[str, int]
    kwargs: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    method: str = "get"
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    query: str = ""
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}:{self.method}"

    def resolve_kwargs(self) -> dict[str, Any]:
        return self.kwargs() if callable(self.kwargs) else dict(self.kwargs)

    def resolve_data(self) -> dict[str, Any] | None:
        return self.data() if callable(self.data) else self.data

    def url(self) -> str:
        return reverse(self.name, kwargs=self.resolve_kwargs()) + self.query

    def send(self, client: Client):
        """Make the case's request (its method, URL and data) with ``client``."""
        url = self.url()  # first: its kwargs may make what the data looks up
        data = self.resolve_data()
        send = getattr(client, self.method)
        return send(url, data) if data is not None else send(url)


def page_and_form(
    name: str,
    shown: dict[str, int],
    sent: dict[str, int],
    *,
    kwargs: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    label: str = "",
) -> list[Case]:
    """A page with a form: asked for (GET, answered ``shown``) and sent (POST with ``data``, an
    empty form by default, answered ``sent``)."""
    kwargs = {} if kwargs is None else kwargs
    return [
        Case(name, shown, kwargs=kwargs, label=label),
        Case(
            name, sent, kwargs=kwargs, method="post", data={} if data is None else data, label=label
        ),
    ]


def as_each_persona(
    request,
    personas: Iterable[str] = PERSONAS,
    *,
    make_client: Callable[[Any], Client] | None = None,
) -> Iterator[tuple[str, Client]]:
    """``(persona, client signed in as them)`` for each persona, each in a savepoint that is
    rolled back afterwards and with the cache emptied first, so that one persona's request
    (a POST) does not change what the next one finds. The users are made before the first
    savepoint: a fixture made inside one would be rolled back under pytest's feet.
    ``make_client(user)`` makes each client (by default ``tests.conftest.client_for``)."""
    from tests.conftest import client_for

    make_client = make_client or client_for

    users = {p: None if p == "anonymous" else request.getfixturevalue(p) for p in personas}
    for persona, user in users.items():
        savepoint = transaction.savepoint()
        try:
            cache.clear()
            yield persona, make_client(user)
        finally:
            transaction.savepoint_rollback(savepoint)
