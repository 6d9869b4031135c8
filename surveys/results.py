"""A run's results, computed exactly (fractions) and rounded once, half up, when shown or written.

- **Statement mean**: the mean of the 1–6 ratings of a statement, «don't know» left out. It needs
  at least ``MIN_ANSWERS`` ratings; with fewer it is not given.
- **Index** (0–100): the mean of the statement means that are given, rescaled from 1–6 to 0–100:
  ``(mean − 1) / 5 × 100``. 0 is every statement «strongly disagree», 100 every one «strongly
  agree», 50 the middle of the scale.
- Written and shown: statement means with two decimals, the index with one.
- **Words**: each of a response's three words trimmed, its inner spaces collapsed, surrounding
  punctuation removed and lower-cased; a word counts once per response, and is given only when
  at least ``MIN_WORD_RESPONDENTS`` responses gave it (a word of one's own may identify).
- **Distribution**: the number of each rating 1–6 of a statement, given (like its mean) only
  with at least ``MIN_ANSWERS`` ratings; «don't know» is always counted.

Nothing of a run with fewer than ``MIN_ANSWERS`` responses is given at all, and nothing is ever
given per respondent.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from core.norwegian import norwegian_key

from .models import MIN_ANSWERS, MIN_WORD_RESPONDENTS, SCALE, Statement

MEAN_PLACES = Decimal("0.01")
INDEX_PLACES = Decimal("0.1")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = ".,;:!?«»\"'()[]{}…–-_/\\*"


def to_decimal(value: Fraction, places: Decimal) -> Decimal:
    """``value`` rounded half up to ``places`` (e.g. ``Decimal("0.01")``)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


def statement_mean(counts: list[int]) -> Fraction | None:
    """The mean of ratings counted per value (``counts[0]`` is the number of 1s); None with
    fewer than ``MIN_ANSWERS`` ratings."""
    total = sum(value * count for value, count in zip(SCALE, counts, strict=True))
    return mean_of(total, sum(counts))


def mean_of(total: int, answered: int) -> Fraction | None:
    """The mean of ``answered`` ratings that add up to ``total``; None with fewer than
    ``MIN_ANSWERS`` ratings."""
    if answered < MIN_ANSWERS:
        return None
    return Fraction(total, answered)


def reputation_index(means: Iterable[Fraction]) -> Fraction | None:
    means = list(means)
    if not means:
        return None
    return (sum(means, Fraction(0)) / len(means) - 1) / 5 * 100


def normalise_word(text: str) -> str:
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text)).strip()
    return text.strip(_EDGE_PUNCTUATION + " ").lower()


def word_counts(rows: Iterable[Iterable[str]]) -> list[tuple[str, int]]:
    """``[(word, responses that gave it)]`` for the words at least ``MIN_WORD_RESPONDENTS``
    responses gave, most frequent first, then alphabetical."""
    counts: Counter[str] = Counter()
    for words in rows:
        counts.update({normalise_word(w) for w in words} - {""})
    shared = [item for item in counts.items() if item[1] >= MIN_WORD_RESPONDENTS]
    return sorted(shared, key=lambda item: (-item[1], norwegian_key(item[0])))


@dataclass
class StatementResult:
    statement: Statement
    text: str
    counts: list[int]
    dont_know: int
    exact_mean: Fraction | None

    @property
    def mean(self) -> Decimal | None:
        return None if self.exact_mean is None else to_decimal(self.exact_mean, MEAN_PLACES)

    @property
    def enough(self) -> bool:
        """At least ``MIN_ANSWERS`` ratings: the distribution and mean may be given."""
        return sum(self.counts) >= MIN_ANSWERS

    @property
    def distribution(self) -> list[tuple[int, int | None]]:
        """``[(rating, count)]``; the counts are None with fewer than ``MIN_ANSWERS`` ratings."""
        return [
            (value, count if self.enough else None)
            for value, count in zip(SCALE, self.counts, strict=True)
        ]


@dataclass
class RunResults:
    """``responses`` and ``open_link`` (how many came through the open link) are always set;
    the rest only when there are enough of them."""

    responses: int
    open_link: int = 0
    statements: list[StatementResult] = field(default_factory=list)
    exact_index: Fraction | None = None
    words: list[tuple[str, int]] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.responses >= MIN_ANSWERS

    @property
    def through_open_link(self) -> bool:
        """Some answers came through the open link: the run is labelled «åpen lenke», and its
        index is not the official reputation index."""
        return self.open_link > 0

    @property
    def index(self) -> Decimal | None:
        return None if self.exact_index is None else to_decimal(self.exact_index, INDEX_PLACES)

    @property
    def by_group(self) -> list[tuple[str, list[StatementResult]]]:
        """``[(group label, [StatementResult])]`` in the questionnaire's order."""
        groups: list[tuple[str, list[StatementResult]]] = []
        for result in self.statements:
            label = result.statement.get_group_display()
            if not groups or groups[-1][0] != label:
                groups.append((label, []))
            groups[-1][1].append(result)
        return groups


def compute(
    *,
    responses: int,
    statements: list[Statement],
    rows: Iterable[tuple[int, int | None, int]],
    words: Iterable[Iterable[str]],
    language: str,
    open_link: int = 0,
) -> RunResults:
    """Results from ``rows`` of ``(statement id, value or None, count)``."""
    if responses < MIN_ANSWERS:
        return RunResults(responses=responses, open_link=open_link)
    counts = {s.pk: [0] * len(SCALE) for s in statements}
    dont_know = dict.fromkeys(counts, 0)
    for statement_id, value, count in rows:
        if statement_id not in counts:
            continue
        if value is None:
            dont_know[statement_id] += count
        else:
            counts[statement_id][value - 1] += count
    results = [
        StatementResult(
            statement=s,
            text=s.text(language),
            counts=counts[s.pk],
            dont_know=dont_know[s.pk],
            exact_mean=statement_mean(counts[s.pk]),
        )
        for s in statements
    ]
    return RunResults(
        responses=responses,
        open_link=open_link,
        statements=results,
        exact_index=reputation_index(r.exact_mean for r in results if r.exact_mean is not None),
        words=word_counts(words),
    )
