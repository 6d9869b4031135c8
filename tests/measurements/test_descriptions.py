import pytest
from django.utils import translation

from measurements.descriptions import round_status_text


@pytest.mark.parametrize(
    ("reported", "total", "has_anchoring", "text"),
    [
        (3, 3, True, "Reported"),
        (0, 3, False, "Not reported"),
        (1, 3, True, "1 of 3 indicators"),
        (1, 1, False, "1 of 1 indicator, no anchoring stage"),
        (0, 2, True, "0 of 2 indicators"),
    ],
)
def test_round_status_text_words_the_counts(reported, total, has_anchoring, text):
    with translation.override("en"):
        assert round_status_text(reported, total, has_anchoring) == text


def test_round_status_text_is_in_the_page_language():
    with translation.override("nb"):
        assert round_status_text(2, 2, True) == "Rapportert"
