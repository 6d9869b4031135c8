"""One shape for what an app adds to registries that other modules keep: page blocks, menu
entries, annotators, scheduled jobs, personal-data steps, mail kinds.

An app's ``AppConfig`` (a :class:`RegisteringConfig`) returns from ``registrations()``, as
data, a ``(registry, entry, ...)`` tuple for each registry it adds to, and its ``ready()``
registers them all with :func:`register`. A registry is one of:

- an object with ``register(entry)`` (``core.page_blocks.BlockRegistry``,
  ``core.personal_data.Registry``, the main menu's ``NavRegistry``): each entry registered;
- a dict (annotators by key): each entry a dict added to it;
- a function, such as ``core.scheduler.register``: called with each entry, a tuple, as its
  arguments.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import AppConfig


def register(registrations: Iterable[tuple]) -> None:
    """Register each ``(registry, entry, ...)`` of ``registrations`` (see the module)."""
    for registry, *entries in registrations:
        for entry in entries:
            if isinstance(registry, dict):
                registry.update(entry)
            elif hasattr(registry, "register"):
                registry.register(entry)
            else:
                registry(*entry)


class RegisteringConfig(AppConfig):
    """An app that adds to other modules' registries: what ``registrations()`` returns is
    registered when the app is ready."""

    def registrations(self) -> Iterable[tuple]:
        """``(registry, entry, ...)`` for each registry the app adds to (import inside)."""
        return ()

    def ready(self) -> None:
        register(self.registrations())
