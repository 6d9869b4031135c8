"""Norwegian text as readers and addresses expect it: alphabetical order (… x y z æ ø å) and
slugs with æ, ø and å spelt out."""

from django.utils.text import slugify

_AFTER_Z = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}", "ä": "z{", "ö": "z|", "ü": "y"})
_SPELT_OUT = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def norwegian_key(text: str) -> str:
    """A sort key that puts æ, ø and å after z, in that order, and ignores case."""
    return text.casefold().translate(_AFTER_Z)


def slugify_nb(value: str) -> str:
    """Slugify with Norwegian letters spelt out (``Ørland`` → ``orland``, not ``rland``)."""
    return slugify(value.translate(_SPELT_OUT))
