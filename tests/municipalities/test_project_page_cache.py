"""A project's own rows (its page and versions, participants, stories, attachments) are its
alone (``municipalities.cached_pages``): what its leader changes makes its own page stale in
the page cache, and every page that shows other projects' rows too, but no other project's
page."""

import pytest
from django.test import Client

from core.cache import HIT_HEADER
from municipalities.models import ProjectPage
from tests.conftest import PASSWORD
from tests.municipalities.factories import save_page, story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

KARMOY = "/prosjekter/karmoy-omdomme/"
STRAND = "/prosjekter/strand-omdomme/"
STORIES = "/historier/"


def is_hit(response) -> bool:
    return response.get(HIT_HEADER) == "hit"


@pytest.fixture
def visitor(karmoy, strand):
    """An anonymous visitor who has both project pages and the stories page cached."""
    client = Client()
    for url in (KARMOY, STRAND, STORIES, f"/nn{STRAND}"):
        client.get(url)
        assert is_hit(client.get(url))
    return client


def test_publishing_a_page_leaves_other_projects_pages_cached(
    visitor, login, leader_karmoy, django_capture_on_commit_callbacks
):
    client = login(leader_karmoy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{KARMOY}rediger/",
            {
                "background": "Ny bakgrunn",
                "summary": "Ny",
                "loaded_version": 1,
                "action": "publish",
            },
        )
    assert response.status_code == 302
    assert is_hit(visitor.get(STRAND)) and is_hit(visitor.get(f"/nn{STRAND}"))
    changed = visitor.get(KARMOY)
    assert not is_hit(changed) and "Ny bakgrunn" in changed.content.decode()


def test_a_new_participant_or_story_leaves_other_projects_pages_cached(
    visitor, login, leader_karmoy, django_capture_on_commit_callbacks
):
    client = login(leader_karmoy)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{KARMOY}deltakere/ny/",
            {
                "name": "Kari Nordmann",
                "function": "Rådgiver",
                "role": "hr",
                "email": "kari@karmoy.kommune.no",
                "phone": "52 00 00 00",
                "municipality": "1149",
            },
        )
        client.post(
            f"{KARMOY}historier/ny/",
            {
                "title": "Heltid på sjukeheimen",
                "date": "2012-09-01",
                "text": "Flere hele stillinger.",
                "is_published": "on",
                "action": "save",
            },
        )
    assert is_hit(visitor.get(STRAND))
    assert not is_hit(visitor.get(KARMOY))
    stories = visitor.get(STORIES)  # shows every project's stories
    assert not is_hit(stories) and "Heltid på sjukeheimen" in stories.content.decode()


def test_a_write_that_names_no_project_makes_every_project_page_stale(
    visitor, strand, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ProjectPage.objects.filter(local_project=strand).update(version=7)  # as from psql
    assert not is_hit(visitor.get(KARMOY)) and not is_hit(visitor.get(STRAND))


def test_the_services_write_only_their_own_projects_rows(
    visitor, karmoy, django_capture_on_commit_callbacks
):
    """The test helpers go through the services, as the pages do."""
    with django_capture_on_commit_callbacks(execute=True):
        save_page(karmoy, publish=True, background="Fra tjenesten")
        story(karmoy, title="Fra fabrikken")
    assert is_hit(visitor.get(STRAND))
    assert "Fra tjenesten" in visitor.get(KARMOY).content.decode()


def test_signing_in_leaves_the_project_pages_cached(
    visitor, client, leader_karmoy, django_capture_on_commit_callbacks
):
    """A page shows who published it, but not when anyone last signed in."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/logg-inn/", {"username": leader_karmoy.username, "password": PASSWORD}
        )
    assert response.status_code == 302
    assert is_hit(visitor.get(KARMOY)) and is_hit(visitor.get(STRAND))
