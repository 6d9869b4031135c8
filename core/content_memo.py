"""Content-keyed memoisation: a piece of markup computed from exactly the data in its key.

A :class:`ContentMemo` keeps what a pure function made of some data: the key is a digest of
that data (plain values only: text, numbers, dates, None, and tuples or lists of them) and of
the active language. It needs no invalidation: when the data changes, so does the key, and
the old entry is never asked for again and falls out of the bounded store (least recently
used first). Each process keeps its own entries, and a value one process made is kept in the
shared cache (Redis) for a day, for the others and for the processes that replace them: a
chart is drawn once when its data changes, not once in every worker. It is not a cache of
pages or of database reads – the data is read afresh on every request; only the work of
turning it into markup is kept – so it is on whatever ``FRAGMENT_CACHE`` or the page cache
say, and a page does not depend on what it found there (``core.cache.unrecorded``).

The caller builds the key from the same values the builder draws, and the builder reads
nothing else (no model instance, no lazy translation: :func:`digest` refuses them), so a
result can never be served for other data.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from .cache import unrecorded

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The types a key may hold, exactly (not a subclass: a SafeString is not a str here).
_PLAIN = frozenset({str, int, float, Decimal, date, datetime, bool, type(None)})


def _check(value) -> None:
    kind = type(value)
    if kind in _PLAIN:
        return
    if isinstance(value, tuple | list):
        for item in value:
            if type(item) not in _PLAIN:
                _check(item)
        return
    raise TypeError(f"Not a plain value for a content key: {kind.__name__}")


def digest(*parts) -> bytes:
    """A digest of ``parts``: plain values (text, numbers, dates, None), and tuples and lists
    of them. The ``repr`` of such values is exact and the same in every process (a named
    tuple's includes its name and fields). Anything else is refused where
    ``settings.CONTENT_KEY_CHECKS`` is on (development and the tests)."""
    if settings.CONTENT_KEY_CHECKS:
        _check(parts)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()


class BoundedMemo:
    """At most ``size`` values by key, per process; the least recently used make room first.
    Safe across threads: two threads may make the same value at once, and one of them is
    kept."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        found = self.kept([key])
        if key in found:
            return found[key]  # type: ignore[return-value]
        value = make()
        self.keep({key: value})
        return value

    def kept(self, keys: Iterable[Hashable]) -> dict[Hashable, object]:
        """Those of ``keys`` this memo keeps, with their values (each now the most recently
        used)."""
        found = {}
        with self._lock:
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                    found[key] = value
        return found

    def keep(self, values: dict[Hashable, object]) -> None:
        """Keep ``values`` by key; the least recently used make room."""
        with self._lock:
            for key, value in values.items():
                self._entries[key] = value
                self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


#: How long a value one process made is kept in the shared cache for the others.
SHARED_SECONDS = 24 * 60 * 60


class ContentMemo(BoundedMemo):
    """What ``build()`` made of the data in ``key``, in the active language; at most ``size``
    entries per process, and (``shared``) in the shared cache for the other processes."""

    def __init__(self, name: str, size: int, *, shared: bool = True):
        super().__init__(size)
        self.name = name
        self.shared = shared

    def get(self, key: tuple, build: Callable[[], T]) -> T:
        return self.get_many([(key, build)])[0]

    def get_many(self, wanted: Sequence[tuple[tuple, Callable[[], T]]]) -> list[T]:
        """``[get(key, build) for key, build in wanted]``, asking the shared cache once for
        all that this process does not keep."""
        language = get_language() or ""
        digests = [digest(language, key) for key, _build in wanted]
        found = self.kept(digests)
        missing = [key for key in dict.fromkeys(digests) if key not in found]
        if not missing:
            return [found[key] for key in digests]
        found |= self._shared_get(missing)
        made = {}
        for key, (_key, build) in zip(digests, wanted, strict=True):
            if key not in found:
                found[key] = made[key] = build()
        self._shared_set(made)
        self.keep({key: found[key] for key in missing})
        return [found[key] for key in digests]  # type: ignore[misc]

    def _shared_key(self, key: bytes) -> str:
        return f"memo:{self.name}:{key.hex()}"

    def _shared_get(self, keys: list[bytes]) -> dict[bytes, object]:
        if not self.shared:
            return {}
        names = {self._shared_key(key): key for key in keys}
        try:
            with unrecorded():
                stored = cache.get_many(list(names))
        except Exception:
            logger.exception("The shared cache is not available.")
            return {}
        return {names[name]: value for name, value in stored.items()}

    def _shared_set(self, made: dict[bytes, object]) -> None:
        if not (self.shared and made):
            return
        try:
            with unrecorded():
                cache.set_many(
                    {self._shared_key(key): value for key, value in made.items()}, SHARED_SECONDS
                )
        except Exception:
            logger.exception("The shared cache is not available.")
