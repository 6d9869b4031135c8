"""Password reset by e-mail and password change."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from network.models import User
from tests.factories import PASSWORD, UserFactory
from tests.municipalities.invitation_helpers import NEW_PASSWORD, accept_path, invite

pytestmark = pytest.mark.django_db

#: Eleven characters, neither common, numeric nor like the person: refused for its length only.
SHORT_PASSWORD = "Fjordbris-7"
TOO_SHORT = "This password is too short. It must contain at least 12 characters."


def signed_in(user, password=PASSWORD) -> Client:
    client = Client()
    response = client.post("/en/logg-inn/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*/passord/ny/\S+/)", message.body).group(1)


def test_password_reset_mails_a_link(client, kari):
    response = client.post("/en/passord/glemt/", {"email": "KARI@karmoy.kommune.no"})
    assert response.status_code == 302
    assert response.url == "/en/passord/sendt/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@karmoy.kommune.no"]
    assert "Nettverksportalen" in message.subject
    assert "\n" not in message.subject
    assert "kari" in message.body
    assert reset_link(message).startswith("/en/passord/ny/")


def test_password_reset_link_follows_the_language(client, kari):
    client.post("/nn/passord/glemt/", {"email": kari.email})
    assert reset_link(mail.outbox[0]).startswith("/nn/passord/ny/")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, kari):
    response = client.post("/en/passord/glemt/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == "/en/passord/sendt/"
    assert mail.outbox == []


def test_password_reset_link_sets_the_password_once(client, kari):
    other_session = signed_in(kari)
    client.post("/en/passord/glemt/", {"email": kari.email})
    link = reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/en/passord/endret/"
    kari.refresh_from_db()
    assert kari.check_password(NEW_PASSWORD)
    assert other_session.get("/en/mine-sider/").status_code == 302

    again = Client().get(link, follow=True)
    assert again.status_code == 200
    assert not again.context["validlink"]
    assert "The link does not work" in again.content.decode()


def test_password_reset_refuses_a_weak_password(client, kari):
    client.post("/en/passord/glemt/", {"email": kari.email})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    kari.refresh_from_db()
    assert kari.check_password(PASSWORD)


def test_password_change_needs_sign_in(client):
    response = client.get("/en/passord/endre/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("network:login"))


def test_password_change_keeps_this_session_and_ends_the_others(kari):
    here, elsewhere = signed_in(kari), signed_in(kari)
    response = here.post(
        "/en/passord/endre/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == "/en/mine-sider/"
    assert User.objects.get(pk=kari.pk).check_password(NEW_PASSWORD)
    assert "Your password has been changed." in here.get(response.url).content.decode()
    assert elsewhere.get("/en/mine-sider/").status_code == 302


def test_password_change_with_the_wrong_old_password_changes_nothing(kari):
    client = signed_in(kari)
    response = client.post(
        "/en/passord/endre/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'class="ds-error-summary' in response.content.decode()
    assert User.objects.get(pk=kari.pk).check_password(PASSWORD)


def test_password_reset_sends_at_most_three_mails_an_hour_per_address(client, programme):
    UserFactory(username="flood", email="flood@example.org")
    for _ in range(6):
        response = client.post("/passord/glemt/", {"email": "flood@example.org"})
        assert response.status_code == 302
    assert len(mail.outbox) == 3


# --- Every place that sets a password holds it to the same rules ------------------------------


def reset_form_url(client, user) -> str:
    client.post("/en/passord/glemt/", {"email": user.email})
    return client.get(reset_link(mail.outbox[-1]), follow=True).redirect_chain[-1][0]


def test_password_reset_refuses_a_password_shorter_than_twelve_characters(client, kari):
    response = client.post(
        reset_form_url(client, kari),
        {"new_password1": SHORT_PASSWORD, "new_password2": SHORT_PASSWORD},
    )
    assert response.status_code == 200
    assert TOO_SHORT in response.content.decode()
    kari.refresh_from_db()
    assert kari.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (SHORT_PASSWORD, TOO_SHORT),
        ("password1234", "This password is too common."),
        ("201220122012", "This password is entirely numeric."),
        ("kari@karmoy.kommune", "The password is too similar to the e-mail address."),
    ],
)
def test_password_change_holds_the_new_password_to_the_rules(kari, password, message):
    client = signed_in(kari)
    response = client.post(
        "/en/passord/endre/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.get(pk=kari.pk).check_password(PASSWORD)


def test_accepting_an_invitation_refuses_a_password_shorter_than_twelve_characters(
    client, facilitator, karmoy
):
    issued = invite(facilitator, email="nora@example.org", local_project=karmoy)
    response = client.post(
        accept_path(issued.token),
        {
            "username": "nora",
            "first_name": "Nora",
            "last_name": "Ny",
            "password1": SHORT_PASSWORD,
            "password2": SHORT_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert TOO_SHORT in response.content.decode()
    assert not User.objects.filter(username="nora").exists()


def test_a_password_of_twelve_characters_is_accepted(client, kari):
    password = "Fjordbris-72"
    response = client.post(
        reset_form_url(client, kari), {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 302
    kari.refresh_from_db()
    assert kari.check_password(password)
