"""The page cache's lifetimes are spread (core/cache.py: entries stored together do not expire
together), and ``FRAGMENT_CACHE=0`` turns off the fragments views keep themselves."""

import random
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import core.cache
from core.cache import JITTER, fragment_cache_enabled, jittered

pytestmark = pytest.mark.django_db


def test_a_lifetime_stays_within_the_jitter_of_the_setting():
    assert jittered(60, rand=lambda: 0.0) == round(60 * (1 - JITTER))
    assert jittered(60, rand=lambda: 0.5) == 60
    assert jittered(60, rand=lambda: 0.999999) == round(60 * (1 + JITTER))
    assert jittered(1, rand=lambda: 0.0) == 1  # never 0, which would mean «forever»


def test_lifetimes_drawn_together_are_spread_over_the_window():
    seeded = random.Random(2012)
    lifetimes = [jittered(60, rand=seeded.random) for _ in range(1000)]
    assert min(lifetimes) == 51 and max(lifetimes) == 69
    assert len(set(lifetimes)) == 19  # every second of 51–69
    assert max(lifetimes.count(n) for n in set(lifetimes)) < 100  # none holds most of them


def test_the_page_cache_stores_pages_with_a_jittered_lifetime(programme, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 60
    monkeypatch.setattr(core.cache, "lifetime_random", lambda: 0.0)
    with mock.patch.object(cache, "set", wraps=cache.set) as stored:
        Client().get("/")
    pages = [call for call in stored.call_args_list if call.args[0].startswith("pages:public:")]
    assert [call.args[2] for call in pages] == [51]


def test_fragment_cache_is_on_unless_switched_off(settings):
    assert fragment_cache_enabled()
    settings.FRAGMENT_CACHE = False
    assert not fragment_cache_enabled()


@pytest.mark.parametrize("enabled, rendered_twice", [(True, False), (False, True)])
def test_the_overview_keeps_its_tables_only_with_the_fragment_cache(
    login, ministry, settings, enabled, rendered_twice
):
    settings.FRAGMENT_CACHE = enabled
    client = login(ministry)
    cache.clear()
    with mock.patch("measurements.views.overview.render_to_string", return_value="") as render:
        for _ in range(2):
            assert client.get(reverse("measurements:overview")).status_code == 200
    assert render.call_count == (2 if rendered_twice else 1)
