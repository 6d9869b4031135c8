"""Plain-row reads of translated texts (core.translated_fields.columns and shown) pick the
same text as the field itself: the page's language, else the Bokmål text, else any."""

import pytest
from django.utils import translation

from core.translated_fields import columns, shown
from gatherings.models import AgendaItem
from tests.factories import AgendaItemFactory


def test_columns_name_each_language_bokmal_first():
    assert columns("title") == ("title_nb", "title_nn", "title_en")


@pytest.mark.parametrize(
    ("language", "texts", "expected"),
    [
        ("nn", ("Velkommen", "Velkomen", "Welcome"), "Velkomen"),
        ("nn", ("Velkommen", None, "Welcome"), "Velkommen"),
        ("en", ("Velkommen", "", "Welcome"), "Welcome"),
        ("en", (None, "Velkomen", None), "Velkomen"),
        ("nb", (None, None, None), ""),
    ],
)
def test_shown_is_the_pages_language_else_the_fallback(language, texts, expected):
    with translation.override(language):
        assert shown(texts) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_shown_agrees_with_the_field(first_gathering, language):
    AgendaItemFactory(gathering=first_gathering, date=first_gathering.start_date, title="Kaffe")
    items = AgendaItem.objects.filter(gathering=first_gathering).order_by("pk")
    rows = items.rewrite(False).values_list(*columns("title"))
    with translation.override(language):
        assert [shown(row) for row in rows] == [item.title for item in items]
