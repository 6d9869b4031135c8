"""URLs of many objects of one kind at the cost of one ``reverse``.

A list of 400 rows that each link to their object's page reverses the same URL pattern 400
times (``get_absolute_url``, ``{% url %}``), ~30 µs each. ``reverser("app:name")`` reverses it
once, with a placeholder as its last argument, and gives a function that puts each value in
the placeholder's place: the same text ``reverse("app:name", args=[value])`` gives, for
values of letters, digits, ``-`` and ``_`` (slugs; numbers for an ``<int:…>`` argument);
anything else is reversed, and so is every value of a pattern whose argument takes neither.
Arguments before the last are given once: ``reverser("app:edit", project.slug)(pk)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import NoReverseMatch, reverse

#: Stand-ins for the argument that varies: text (``<slug:…>``, ``<str:…>``) or digits
#: (``<int:…>``).
_PLACEHOLDERS = (
    ("0PLACEHOLDER0", re.compile(r"[A-Za-z0-9_-]+\Z")),
    ("90210902109", re.compile(r"[0-9]+\Z")),
)


def _split(viewname: str, fixed: tuple) -> tuple[str, str, re.Pattern] | None:
    """The URL around a placeholder as its last argument, and the values it may stand for;
    None when the pattern takes neither placeholder (or the URL holds it twice)."""
    for placeholder, plain in _PLACEHOLDERS:
        try:
            address = reverse(viewname, args=[*fixed, placeholder])
        except NoReverseMatch:
            continue
        if address.count(placeholder) == 1:
            head, _sep, tail = address.partition(placeholder)
            return head, tail, plain
    return None


def reverser(viewname: str, *fixed: object) -> Callable[[object], str]:
    """``reverser(viewname, *fixed)(value) == reverse(viewname, args=[*fixed, value])``,
    reversed once, in the language active now (keep the function for one request): the
    arguments before the last stay the same (a project's slug), the last varies (its
    participants' ids)."""
    split = _split(viewname, fixed)
    if split is None:
        return lambda value: reverse(viewname, args=[*fixed, value])
    head, tail, plain = split

    def url(value: object) -> str:
        text = str(value)
        if plain.match(text):
            return f"{head}{text}{tail}"
        return reverse(viewname, args=[*fixed, value])

    return url
