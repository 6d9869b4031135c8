"""Text that must stay on one line: names and titles, calendar properties, mail headers.

A line break in a title breaks every place that writes it into a line-based format (an
e-mail header, an iCalendar property, a CSV cell read by a careless program); control and
bidirectional-override characters hide or reorder what a reader sees. Single-line fields
refuse them (:func:`validate_single_line`); text that reaches a header from older data or
from several fields is collapsed to one line (:func:`one_line`).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Characters that end a line somewhere: the control characters among them are refused as
#: control characters anyway; the line and paragraph separators are not control characters.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: Bidirectional embeddings, overrides and isolates: they reorder what a reader sees
#: («evil\u202eexe.pdf»).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_refused(char: str) -> bool:
    """A character no single-line text may hold: a line break, a control character (Unicode
    category Cc, the tab included) or a bidirectional control."""
    return char in LINE_BREAKS or char in BIDI_CONTROLS or unicodedata.category(char) == "Cc"


def validate_single_line(value) -> None:
    """Refuse a value with a line break or a control character (see :func:`is_refused`)."""
    if not isinstance(value, str):
        return
    if any(char in LINE_BREAKS for char in value):
        raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")
    if any(is_refused(char) for char in value):
        raise ValidationError(
            _("Remove the invisible or control characters."), code="control_characters"
        )


def one_line(text) -> str:
    """``text`` on one line, for a mail subject or any other header: every line break, tab
    and other control character becomes a space, runs of white space one space, and the ends
    are trimmed. Never fails; ``None`` gives an empty string."""
    if text is None:
        return ""
    text = "".join(" " if is_refused(char) else char for char in str(text))
    return " ".join(text.split())


def without_control_characters(text) -> str:
    """Text of several lines made safe for a line-based format that escapes line breaks itself
    (an iCalendar DESCRIPTION): every kind of line break becomes ``\\n``, tabs stay, and
    every other control or bidirectional control character is removed."""
    if text is None:
        return ""
    text = str(text).replace("\r\n", "\n")
    return "".join(
        "\n" if char in LINE_BREAKS else char
        for char in text
        if char == "\t" or char in LINE_BREAKS or not is_refused(char)
    )


def strip_bidi_controls(text) -> str:
    """``text`` without bidirectional embeddings, overrides and isolates (U+202A–U+202E,
    U+2066–U+2069), which reorder what a reader sees; everything else, line breaks included,
    stays. For texts of several lines, rendered markup, e-mails and exported cells. Never
    fails; ``None`` gives an empty string."""
    if text is None:
        return ""
    text = str(text)
    if not any(char in BIDI_CONTROLS for char in text):
        return text
    return "".join(char for char in text if char not in BIDI_CONTROLS)
