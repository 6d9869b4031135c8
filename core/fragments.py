"""Rendered parts of pages kept in the worker's memory, keyed by everything they show.

A part of a page that is the same for every request that shows the same data – a gathering's
programme, a questionnaire's answer buttons – is rendered once per worker and language, and
then taken from memory. The key is the data itself (with the language and the URL prefix),
not a name with a lifetime: changed data is a new key, so an entry is never stale and nothing
is ever invalidated; entries not asked for lately make room for new ones (least recently used
first, at most ``size`` of them).

Unlike the page cache and the fragment caches in Redis (``core.cache``), this is not a cache
of answers: the request still reads everything the part shows, and the part is exactly what
rendering that data gives. So it stays on with ``FRAGMENT_CACHE=0``.

    programme = FragmentMemo(size=256)
    html = programme.get_or_render(key, lambda: render_to_string(...))
"""

from collections.abc import Callable, Hashable
from weakref import WeakSet

from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .content_memo import BoundedMemo

#: Every memo, for :func:`forget_all`.
_memos: WeakSet = WeakSet()


class FragmentMemo(BoundedMemo):
    def __init__(self, *, size: int):
        super().__init__(size)
        _memos.add(self)

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> SafeString:
        """The part for ``key`` (all the data it shows, hashable), rendered by ``render`` in
        the active language the first time."""
        key = (get_language(), get_script_prefix(), key)
        # a template's output, escaped where it was rendered
        return self.get_or_make(key, lambda: mark_safe(render()))


def forget_all() -> None:
    """Empty every memo: for tests that check when a part is rendered."""
    for memo in list(_memos):
        memo.clear()
