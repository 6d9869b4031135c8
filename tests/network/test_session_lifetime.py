"""core.sessions: a session ends a fixed time after signing in, however active it is."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from core.sessions import SIGNED_IN_AT
from municipalities.models import ProjectPage
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MY_PAGES = "/en/mine-sider/"


def signed_in_since(client, seconds_ago: float) -> None:
    """Move the session's sign-in time ``seconds_ago`` into the past."""
    session = client.session
    session[SIGNED_IN_AT] = timezone.now().timestamp() - seconds_ago
    session.save()


def test_the_absolute_lifetime_is_twelve_hours_by_default():
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 60 * 60
    assert settings.SESSION_COOKIE_AGE < settings.SESSION_ABSOLUTE_LIFETIME


def test_signing_in_records_the_time(participant):
    client = Client()
    before = timezone.now().timestamp()
    response = client.post(
        "/en/logg-inn/", {"username": participant.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert before <= client.session[SIGNED_IN_AT] <= timezone.now().timestamp()


def test_an_active_session_ends_after_the_absolute_lifetime(login, participant):
    client = login(participant)
    key = client.session.session_key
    # Active all day: each request within the idle timeout.
    signed_in_since(client, settings.SESSION_ABSOLUTE_LIFETIME - 60)
    assert client.get(MY_PAGES).status_code == 200
    signed_in_since(client, settings.SESSION_ABSOLUTE_LIFETIME + 1)
    response = client.get(MY_PAGES)
    assert response.status_code == 302
    assert response.url.startswith("/en/logg-inn/")
    assert not Session.objects.filter(session_key=key).exists()
    assert SESSION_KEY not in client.session
    assert client.get(MY_PAGES).status_code == 302


def test_a_post_after_the_absolute_lifetime_changes_nothing(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    signed_in_since(client, settings.SESSION_ABSOLUTE_LIFETIME + 1)
    response = client.post(
        f"{karmoy.get_absolute_url()}rediger/",
        {
            "background": "Etter tolv timar",
            "summary": "x",
            "loaded_version": 1,
            "action": "publish",
        },
    )
    assert response.status_code == 302
    assert "logg-inn" in response.url
    assert not ProjectPage.objects.filter(background__contains="Etter tolv timar").exists()


def test_signing_in_again_starts_a_new_lifetime(participant):
    client = Client()
    client.post("/en/logg-inn/", {"username": participant.username, "password": PASSWORD})
    signed_in_since(client, settings.SESSION_ABSOLUTE_LIFETIME + 1)
    assert client.get(MY_PAGES).status_code == 302
    client.post("/en/logg-inn/", {"username": participant.username, "password": PASSWORD})
    assert client.get(MY_PAGES).status_code == 200


def test_a_session_from_before_the_lifetime_was_recorded_gets_one(login, participant):
    client = login(participant)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    before = timezone.now().timestamp()
    assert client.get(MY_PAGES).status_code == 200
    assert client.session[SIGNED_IN_AT] >= before


def test_the_lifetime_follows_the_setting(login, participant, settings):
    settings.SESSION_ABSOLUTE_LIFETIME = 60 * 60
    client = login(participant)
    signed_in_since(client, 60 * 60 + 1)
    assert client.get(MY_PAGES).status_code == 302


def test_anonymous_pages_get_no_session(client, programme):
    response = client.get("/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_idle_timeout_still_applies(login, participant):
    client = login(participant)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(MY_PAGES).status_code == 302
