"""Signing in and out: session rotation, idle timeout, logout on the server."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/logg-inn/"


@pytest.fixture
def user(programme):
    return UserFactory(username="kari")


def sign_in(client, username="kari", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_page_shows_the_form_and_help(client):
    response = client.get(LOGIN)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in content
    assert 'autocomplete="current-password"' in content
    assert reverse("network:password_reset") in content
    assert 'aria-current="page">Home<' not in content


def test_login_with_correct_password_signs_in_and_opens_my_pages(client, user):
    response = sign_in(client)
    assert response.status_code == 302
    assert response.url == reverse("network:my_pages")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_with_wrong_password_shows_an_error_summary(client, user):
    response = sign_in(client, password="wrong")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    content = response.content.decode()
    assert 'class="ds-error-summary' in content
    assert "Please enter a correct username and password" in content


def test_login_with_a_username_longer_than_any_account_is_refused_without_recording_it(client):
    response = client.post(reverse("network:login"), {"username": "x" * 300, "password": "p"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'class="ds-error-summary' in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_login_follows_a_local_next_but_not_another_site(client, user):
    response = client.post(f"{LOGIN}?next=/kommuner/", {"username": "kari", "password": PASSWORD})
    assert response.url == "/kommuner/"
    other = Client()
    response = other.post(
        f"{LOGIN}?next=https://evil.example/", {"username": "kari", "password": PASSWORD}
    )
    assert response.url == reverse("network:my_pages")


def test_login_page_sends_a_signed_in_user_on(client, user):
    sign_in(client)
    assert client.get(LOGIN).status_code == 302


def test_login_rotates_the_session_key(client, user):
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    sign_in(client)
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


def test_logout_by_post_ends_the_session_on_the_server(client, user):
    sign_in(client)
    key = client.session.session_key
    response = client.post("/en/logg-ut/")
    assert response.status_code == 302
    assert response.url == reverse("network:home")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/en/mine-sider/").status_code == 302
    assert "You are signed out." in client.get(LOGIN).content.decode()


def test_logout_by_get_only_asks_to_confirm(client, user):
    sign_in(client)
    key = client.session.session_key
    response = client.get("/en/logg-ut/")
    assert response.status_code == 200
    assert 'action="/en/logg-ut/"' in response.content.decode()
    assert Session.objects.filter(session_key=key).exists()


def test_session_lasts_the_idle_timeout_and_slides_with_each_request(client, user):
    sign_in(client)
    key = client.session.session_key
    session = Session.objects.get(session_key=key)
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session.expire_date - expected) < timedelta(seconds=30)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    response = client.get("/en/mine-sider/")
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(hours=1)


def test_idle_session_expires(client, user):
    sign_in(client)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/en/mine-sider/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("network:login"))


def test_idle_timeout_is_read_from_the_environment():
    environment = {**os.environ, "SESSION_IDLE_TIMEOUT": "900", "DEBUG": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST)",
        ],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.split() == ["900", "True"]
