"""core.sessions: the idle timeout slides without writing the session on every request."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import REFRESH_SECONDS

pytestmark = pytest.mark.django_db


def expiry(key):
    return Session.objects.get(session_key=key).expire_date


def test_a_fresh_session_is_not_written_again(login, participant):
    client = login(participant)
    key = client.session.session_key
    before = expiry(key)
    client.get("/en/mine-sider/")
    assert expiry(key) == before


def test_a_session_is_written_when_its_expiry_has_slid_back(login, participant):
    client = login(participant)
    key = client.session.session_key
    stale = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - REFRESH_SECONDS - 5)
    Session.objects.filter(session_key=key).update(expire_date=stale)
    client.get("/en/mine-sider/")
    assert expiry(key) > stale + timedelta(seconds=REFRESH_SECONDS)


def test_signing_out_still_ends_a_fresh_session_on_the_server(login, participant):
    client = login(participant)
    key = client.session.session_key
    client.get("/en/mine-sider/")
    client.post("/en/logg-ut/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/en/mine-sider/").status_code == 302
