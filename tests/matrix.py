"""The permission matrix: every named URL × every persona → the expected status.

Each app lists its URLs in ``tests/<app>/url_matrix.py`` as ``CASES = [Case(...), ...]``;
``tests/test_permission_matrix.py`` walks the URL resolver and fails for any named URL of the
project's apps that no case covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
