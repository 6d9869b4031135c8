"""Content-keyed memoisation: a piece of markup computed from exactly the data in its key.

A :class:`ContentMemo` keeps, per process, what a pure function made of some data: the key is
a digest of that data (plain values only: text, numbers, dates, None, and tuples or lists of
them) and of the active language. It has no lifetime and needs no invalidation: when the
data changes, so does the key, and the old entry is never asked for again and falls out of
the bounded store (least recently used first). It is not a cache of pages or of database
reads – the data is read afresh on every request; only the work of turning it into markup is
kept – so it is on whatever ``FRAGMENT_CACHE`` or the page cache say.

The caller builds the key from the same values the builder draws, and the builder reads
nothing else (no model instance, no lazy translation: :func:`digest` refuses them), so a
result can never be served for other data.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.utils.translation import get_language

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
    tuple's includes its name and fields)."""
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
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class ContentMemo(BoundedMemo):
    """What ``build()`` made of the data in ``key``, in the active language; at most ``size``
    entries per process."""

    def __init__(self, name: str, size: int):
        super().__init__(size)
        self.name = name

    def get(self, key: tuple, build: Callable[[], T]) -> T:
        return self.get_or_make(digest(get_language() or "", key), build)
