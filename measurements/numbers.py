"""Numbers as people type them, and as they read them.

In: «7,5», «7.5», «1 234,5», «12 %», «−0,4» and spreadsheet numbers; out: localised text
(«7,5 %» in Norwegian, «7.5 %» in English). A value is one local project's own number, so the
only comparison made here is a project against its own baseline (:func:`compare`).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import plain_decimal

from .models import Direction, Unit

THOUSANDTH = Decimal("0.001")
#: ``Measurement.value`` is Decimal(14, 3): eleven digits before the decimal sign.
LIMIT = Decimal(10) ** 11
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

#: Why a value was refused, by code (the import stores codes and words them on display).
MESSAGES = {
    "not_a_number": _("«%(text)s» is not a number. Write it like 7,5 or 7.5."),
    "both_separators": _(
        "«%(text)s» has both a comma and a point. Write the number without thousands "
        "separators, with one decimal comma or point, e.g. 1234,5."
    ),
    "too_many_decimals": _("«%(text)s» has more than three decimals."),
    "too_large": _("«%(text)s» is too large."),
    "percent_range": _("A percentage is between 0 and 100; «%(text)s» is not."),
    "whole_number": _("A count is a whole number of 0 or more; «%(text)s» is not."),
    "negative": _("The value cannot be negative; «%(text)s» is."),
}

#: What a value of each unit may be, said next to the input.
UNIT_RULES = {
    Unit.PERCENT: _("A percentage from 0 to 100."),
    Unit.COUNT: _("A whole number, 0 or more."),
    Unit.NOK: _("An amount in NOK, 0 or more."),
    Unit.RATIO: _("A number, 0 or more."),
    Unit.SCORE: _("A number."),
    Unit.OTHER: _("A number."),
}


class ValueProblem(ValueError):
    """A value that cannot be taken; ``message`` words it in the active language."""

    def __init__(self, code: str, text: str):
        super().__init__(code)
        self.code = code
        self.text = text

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % {"text": self.text}


def parse_value(raw, unit: str = Unit.OTHER) -> Decimal | None:
    """The value in ``raw`` (text or a spreadsheet number) for an indicator of ``unit``;
    None when blank. Raises :class:`ValueProblem`."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem("not_a_number", str(raw))
    if isinstance(raw, int | float | Decimal):
        text = str(raw)
        try:
            value = Decimal(repr(raw) if isinstance(raw, float) else raw)
        except InvalidOperation as error:
            raise ValueProblem("not_a_number", text) from error
        if not value.is_finite():
            raise ValueProblem("not_a_number", text)
        if abs(value) >= LIMIT:  # before quantize, which fails on 1e308
            raise ValueProblem("too_large", text)
        # A spreadsheet holds binary floats (33.333333…): keep three decimals.
        value = value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    else:
        text = str(raw).strip()
        if not text:
            return None
        value = _parse_text(text)
    if abs(value) >= LIMIT:
        raise ValueProblem("too_large", text)
    check_unit(value, unit, text)
    return value


def _parse_text(text: str) -> Decimal:
    cleaned = _SPACES.sub("", text).replace("\u2212", "-").removesuffix("%")
    if "," in cleaned and "." in cleaned:
        raise ValueProblem("both_separators", text)
    cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise ValueProblem("not_a_number", text)
    value = Decimal(cleaned)
    if value.quantize(THOUSANDTH) != value:
        raise ValueProblem("too_many_decimals", text)
    return value


def check_unit(value: Decimal, unit: str, text: str | None = None) -> None:
    text = text if text is not None else format_number(value)
    if unit == Unit.PERCENT and not (0 <= value <= 100):
        raise ValueProblem("percent_range", text)
    if unit == Unit.COUNT and (value < 0 or value != value.to_integral_value()):
        raise ValueProblem("whole_number", text)
    if unit in (Unit.NOK, Unit.RATIO) and value < 0:
        raise ValueProblem("negative", text)


def format_number(value: Decimal, *, sign: bool = False) -> str:
    text = number_format(plain_decimal(value), use_l10n=True, force_grouping=abs(value) >= 10000)
    if sign and value > 0:
        return f"+{text}"
    return text.replace("-", "\u2212")


def format_value(value: Decimal | None, unit: str) -> str:
    """«7,5 %», «1 200 NOK», «12»; an en dash when there is no value."""
    if value is None:
        return "–"
    number = format_number(value)
    if unit in (Unit.PERCENT, Unit.NOK):
        return f"{number}\u00a0{Unit(unit).label}"
    return number


def input_text(value: Decimal | None) -> str:
    """A stored value as it is put back into a form field, in the page's language."""
    return "" if value is None else number_format(plain_decimal(value), use_l10n=True)


def format_difference(difference: Decimal, unit: str) -> str:
    number = format_number(difference, sign=True)
    if unit == Unit.PERCENT:
        return gettext("%(number)s percentage points") % {"number": number}
    if unit == Unit.NOK:
        return f"{number}\u00a0{Unit.NOK.label}"
    return number


class Change(models.TextChoices):
    """A project's own change since its baseline, as the indicator's direction reads it."""

    BETTER = "better", _("better")
    WORSE = "worse", _("worse")
    UNCHANGED = "unchanged", _("unchanged")


def compare(baseline: Decimal, latest: Decimal, direction: str) -> Change:
    if latest == baseline:
        return Change.UNCHANGED
    went_up = latest > baseline
    if went_up == (direction == Direction.HIGHER_IS_BETTER):
        return Change.BETTER
    return Change.WORSE


def change_counts_text(better: int, worse: int, unchanged: int) -> str:
    """«2 better, 1 worse, 0 unchanged» – or that there is nothing to compare yet."""
    if not (better or worse or unchanged):
        return gettext("Nothing to compare with the baseline yet")
    return gettext("%(better)s better, %(worse)s worse, %(unchanged)s unchanged") % {
        "better": better,
        "worse": worse,
        "unchanged": unchanged,
    }
