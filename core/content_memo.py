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
from collections.abc import Callable
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


class ContentMemo:
    """What ``build()`` made of the data in ``key``, in the active language; at most ``size``
    entries per process."""

    def __init__(self, name: str, size: int):
        self.name = name
        self.size = size
        self._entries: OrderedDict[bytes, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], T]) -> T:
        digest_ = digest(get_language() or "", key)
        with self._lock:
            found = self._entries.get(digest_)
            if found is not None:
                self._entries.move_to_end(digest_)
                return found  # type: ignore[return-value]
        value = build()
        with self._lock:
            self._entries[digest_] = value
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
