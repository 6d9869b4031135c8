"""The measurement pages' sentences about what the selectors read: how far a project has
reported a round (``round_status_text``) and how its indicators changed since its baseline
(``numbers.change_counts_text``). The selectors give counts; these word them in the active
language."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext


def round_status_text(reported: int, total: int, has_anchoring: bool) -> str:
    """«Reported», «Not reported», or how many of the indicators, and whether the anchoring
    stage is missing (the arguments of ``selectors.RoundStatus``)."""
    if reported >= total and has_anchoring:
        return gettext("Reported")
    if not reported and not has_anchoring:
        return gettext("Not reported")
    text = ngettext(
        "%(reported)s of %(total)s indicator",
        "%(reported)s of %(total)s indicators",
        total,
    ) % {"reported": reported, "total": total}
    if not has_anchoring:
        text = gettext("%(values)s, no anchoring stage") % {"values": text}
    return text
