"""How a run's results are computed: statement means, the 0–100 index, rounding, words."""

from decimal import Decimal
from fractions import Fraction

import pytest

from surveys.results import (
    normalise_word,
    reputation_index,
    statement_mean,
    to_decimal,
    word_counts,
)
from tests.surveys.factories import answer, open_run

pytestmark = pytest.mark.django_db


def test_statement_mean_leaves_dont_know_out_and_needs_five_ratings():
    # counts of 1s, 2s … 6s
    assert statement_mean([0, 0, 0, 4, 0, 0]) is None
    assert statement_mean([0, 0, 1, 2, 2, 0]) == Fraction(3 + 8 + 10, 5)


def test_index_rescales_the_mean_of_the_statement_means_to_0_100():
    assert reputation_index([Fraction(1), Fraction(1)]) == 0
    assert reputation_index([Fraction(6)]) == 100
    assert reputation_index([Fraction(3), Fraction(4)]) == 50
    assert reputation_index([]) is None


def test_rounding_is_half_up_once_from_the_exact_value():
    assert to_decimal(Fraction(4125, 1000), Decimal("0.01")) == Decimal("4.13")
    assert to_decimal(Fraction(2, 3), Decimal("0.01")) == Decimal("0.67")
    assert to_decimal(Fraction(1, 20), Decimal("0.1")) == Decimal("0.1")


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        ("  Flott ", "flott"),
        ("«Trygg»!", "trygg"),
        ("god   på  skole", "god på skole"),
        ("A\u030apen", "åpen"),  # a decomposed Å becomes one character
        ("...", ""),
    ],
)
def test_words_are_normalised(raw, word):
    assert normalise_word(raw) == word


def test_word_counts_count_a_word_once_per_response_most_frequent_first():
    rows = [
        ("Flott", "flott", "trygg"),
        ("åpen", "Trygg", "Ærlig"),
        ("Ærlig", "åpen", ""),
        ("Trygg.", "Ærlig!", "åpen"),
        ("Flott", "Åpen", "Trygg"),
    ]
    assert word_counts(rows) == [("trygg", 4), ("åpen", 4), ("ærlig", 3)]


def test_a_word_fewer_than_three_respondents_gave_is_never_given():
    rows = [("Særpreg", "flott", ""), ("særpreg", "", ""), ("flott", "", ""), ("", "", "")]
    assert word_counts(rows) == []


def test_run_results_from_the_database(karmoy, baseline):
    from surveys.selectors import run_results

    run = open_run(karmoy, baseline)
    for ratings in [6, 5, 5, 4, None]:
        answer(run, ratings, words=("Flott", "", ""))
    results = run_results(run)
    assert results.responses == 5
    first = results.statements[0]
    assert first.counts == [0, 0, 0, 1, 2, 1]
    assert first.dont_know == 1
    assert first.mean is None  # four ratings only
    assert results.index is None
    assert results.words == [("flott", 5)]
