"""Small text helpers shared by every app."""

from django.utils.text import slugify

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def slugify_nb(value: str) -> str:
    """Slugify with Norwegian letters spelt out (``Ørland`` → ``orland``, not ``rland``)."""
    return slugify(value.translate(_NORWEGIAN))
