"""django-axes: a username is locked from one address after repeated failures, and an address
after many failures across usernames, for a while."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from core.http import client_ip_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/logg-inn/"
HOME_ADDRESS = "10.0.0.1"
OTHER_ADDRESS = "10.0.0.2"


@pytest.fixture
def ola(programme):
    return UserFactory(username="ola")


def attempt(username, password, address=HOME_ADDRESS, **extra):
    client = Client()
    response = client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )
    response.signed_in = SESSION_KEY in client.session
    return response


def lock_out(username="kari", address=HOME_ADDRESS, **extra):
    responses = [
        attempt(username, "wrong", address, **extra) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    return responses[-1]


def age_attempts(minutes):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_repeated_failures_lock_the_username_from_that_address(kari):
    response = lock_out()
    assert response.status_code == 429
    correct = attempt("kari", PASSWORD)
    assert correct.status_code == 429
    assert not correct.signed_in


def test_lockout_page_says_what_to_do(kari):
    response = lock_out()
    content = response.content.decode()
    assert "Too many sign-in attempts" in content
    assert "15 minutes" in content
    assert reverse("network:password_reset") in content
    assert "wrong" not in content


def test_another_username_from_the_same_address_can_sign_in(kari, ola):
    lock_out("kari")
    response = attempt("ola", PASSWORD)
    assert response.status_code == 302
    assert response.signed_in


def test_the_same_username_from_another_address_can_sign_in(kari):
    lock_out("kari", HOME_ADDRESS)
    response = attempt("kari", PASSWORD, OTHER_ADDRESS)
    assert response.status_code == 302
    assert response.signed_in


def test_the_user_can_sign_in_after_the_cool_off(kari):
    lock_out()
    age_attempts(14)
    assert attempt("kari", PASSWORD).status_code == 429
    age_attempts(2)
    response = attempt("kari", PASSWORD)
    assert response.status_code == 302
    assert response.signed_in


def test_failures_during_a_lockout_do_not_extend_it(kari):
    """Otherwise anyone on the same address could keep a person locked out for good."""
    lock_out()
    age_attempts(10)
    for _ in range(3):
        assert attempt("kari", "wrong").status_code == 429
    age_attempts(6)
    assert attempt("kari", PASSWORD).signed_in


def test_cool_off_follows_the_setting(kari, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    response = lock_out()
    assert "2 minutes" in response.content.decode()
    age_attempts(3)
    assert attempt("kari", PASSWORD).signed_in


def test_signing_in_resets_the_count_of_failures(kari):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("kari", "wrong")
    assert attempt("kari", PASSWORD).signed_in
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt("kari", "wrong").status_code == 200
    assert attempt("kari", PASSWORD).signed_in


def test_client_address_behind_trusted_proxies_is_taken_from_x_forwarded_for(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.168.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "192.168.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(request) == "10.0.0.7"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip_address(request) == "192.168.0.9"


def test_behind_a_proxy_people_at_other_addresses_are_not_locked_out(kari, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "192.168.0.9"
    lock_out(address=proxy, HTTP_X_FORWARDED_FOR="10.0.0.1")
    forged = attempt("kari", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="10.0.0.3, 10.0.0.1")
    assert forged.status_code == 429
    other = attempt("kari", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert other.signed_in


# --- Failures across many usernames from one address -----------------------------------------


def spray(count, address=HOME_ADDRESS, password="Sommer2012!"):
    """One guess for each of ``count`` different usernames from one address."""
    return [attempt(f"person{n}", password, address) for n in range(count)]


def test_failures_across_many_usernames_lock_the_address(kari):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert settings.AXES_FAILURE_LIMIT < limit < 40
    responses = spray(40)
    statuses = [r.status_code for r in responses]
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit - 1 :] == [429] * (40 - limit + 1)
    content = responses[-1].content.decode()
    assert "Too many sign-in attempts have failed from your network" in content
    assert "15 minutes" in content
    # Not one guess after the limit was tried against an account.
    assert AccessAttempt.objects.filter(ip_address=HOME_ADDRESS).count() == limit
    correct = attempt("kari", PASSWORD)
    assert correct.status_code == 429
    assert not correct.signed_in


def test_a_locked_address_leaves_other_addresses_alone(kari):
    spray(settings.AXES_ADDRESS_FAILURE_LIMIT)
    response = attempt("kari", PASSWORD, OTHER_ADDRESS)
    assert response.status_code == 302
    assert response.signed_in


def test_a_locked_address_is_let_in_again_after_the_cool_off(kari):
    spray(settings.AXES_ADDRESS_FAILURE_LIMIT)
    age_attempts(14)
    assert attempt("kari", PASSWORD).status_code == 429
    age_attempts(2)
    assert attempt("kari", PASSWORD).signed_in


def test_a_few_mistakes_by_many_people_behind_one_address_lock_nobody(kari, ola):
    for username in ["kari", "ola"] * 2:
        attempt(username, "wrong")
    spray(settings.AXES_ADDRESS_FAILURE_LIMIT - 5)
    assert attempt("kari", PASSWORD).signed_in
    assert attempt("ola", PASSWORD).signed_in


def test_signing_in_to_ones_own_account_does_not_reset_the_count_of_the_address(kari):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    spray(limit - 2)
    assert attempt("kari", PASSWORD).signed_in
    spray(2)
    assert attempt("kari", PASSWORD).status_code == 429


def test_address_failure_limit_follows_the_setting(kari, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    statuses = [r.status_code for r in spray(10)]
    assert statuses == [200] * 7 + [429] * 3
