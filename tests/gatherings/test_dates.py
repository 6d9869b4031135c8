"""A gathering's dates as each language writes them."""

from datetime import date

import pytest
from django.utils import translation

from gatherings.models import Gathering


def gathering(start: date, end: date) -> Gathering:
    return Gathering(start_date=start, end_date=end)


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("nb", date(2012, 2, 16), date(2012, 2, 17), "16.–17. februar 2012"),
        ("nn", date(2012, 2, 16), date(2012, 2, 17), "16.–17. februar 2012"),
        ("en", date(2012, 2, 16), date(2012, 2, 17), "16–17 February 2012"),
        ("en", date(2013, 4, 30), date(2013, 5, 1), "30 April–1 May 2013"),
        ("nb", date(2013, 4, 30), date(2013, 5, 1), "30. april–1. mai 2013"),
        ("en", date(2012, 9, 20), date(2012, 9, 20), "20 September 2012"),
    ],
)
def test_the_dates_read_as_the_language_writes_them(language, start, end, expected):
    with translation.override(language):
        assert gathering(start, end).when == expected
