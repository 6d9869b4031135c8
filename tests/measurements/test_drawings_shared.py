"""A progress page's charts are drawn once for their data, whichever worker asks first: the
others (and the workers that replace them) take them from the shared cache. A page that took
them from there is still kept by the page cache, and shows the same."""

import pytest
from django.core.cache import cache
from django.test import Client

from core.cache import HIT_HEADER
from measurements import drawings
from tests.measurements.factories import drawn_charts, publish, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture(autouse=True)
def _nothing_drawn_yet():
    """A worker that has drawn nothing, and nothing in the shared cache (other tests drew
    the same charts in this process)."""
    drawings.INDICATORS.clear()
    cache.clear()


def test_a_new_worker_takes_the_charts_another_drew(karmoy, monkeypatch):
    publish(karmoy)
    page = url("measurements:project_progress", karmoy.slug, lang="nb")
    calls = drawn_charts(monkeypatch)
    first = Client().get(page)
    drawn = len(calls)
    assert first.status_code == 200 and drawn > 0
    # A worker that has drawn nothing yet, and a page not kept by the page cache.
    drawings.INDICATORS.clear()
    Client().get(page, {"ny": "1"})
    assert len(calls) == drawn


def test_a_page_with_charts_from_the_shared_cache_is_kept_by_the_page_cache(karmoy):
    publish(karmoy)
    page = url("measurements:project_progress", karmoy.slug, lang="nb")
    Client().get(page, {"forste": "1"})  # draws the charts into the shared cache
    drawings.INDICATORS.clear()
    made = Client().get(page)
    assert made.get(HIT_HEADER) != "hit"
    again = Client().get(page)
    assert again.get(HIT_HEADER) == "hit"
    assert again.content == made.content
