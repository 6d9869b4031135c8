"""Alphabetical order as Norwegian readers expect it: … x y z æ ø å."""

_AFTER_Z = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}", "ä": "z{", "ö": "z|", "ü": "y"})


def norwegian_key(text: str) -> str:
    return text.casefold().translate(_AFTER_Z)
