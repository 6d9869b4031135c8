"""Invitation pages in a browser, Bokmål and Nynorsk, with and without errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from municipalities.invitations import create_invitation
from municipalities.models import Invitation, InvitationRole, LocalProject
from tests.browser.conftest import assert_accessible, send_and_see, sign_in, submit_and_wait
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/nn"]


def invitation(by, role=InvitationRole.PROJECT_LEADER, email="nora@gamvik.kommune.no"):
    return create_invitation(
        created_by=by,
        email=email,
        name="Nora Ny",
        role=role,
        local_project=LocalProject.objects.get(slug="gamvik-omdomme"),
    )


@pytest.mark.parametrize("prefix", PREFIXES)
def test_accepting_with_a_new_account(page, live_server, facilitator, prefix):
    issued = invitation(facilitator)
    page.goto(f"{live_server.url}{prefix}/invitasjon/{issued.token}/")
    assert page.locator("main").get_by_text("Gamvik").first.is_visible()
    assert page.locator("input[name=username]").input_value() == "nora"
    assert_accessible(page)
    page.fill("input[name=password1]", "12345678")
    page.fill("input[name=password2]", "87654321")
    send_and_see(page, "main button[type=submit]", ".ds-error-summary")
    page.fill("input[name=password1]", "Fjordbris-Lunsj-2012")
    page.fill("input[name=password2]", "Fjordbris-Lunsj-2012")
    submit_and_wait(page, "main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/mine-sider/")
    assert page.locator("main a[href$='/prosjekter/gamvik-omdomme/']").first.is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_accepting_when_signed_in(page, live_server, facilitator, leader_karmoy, prefix):
    issued = invitation(facilitator, role=InvitationRole.PARTICIPANT, email=leader_karmoy.email)
    sign_in(page, live_server, "leder.karmoy", PASSWORD)
    page.wait_for_url(f"{live_server.url}/mine-sider/")
    page.goto(f"{live_server.url}{prefix}/invitasjon/{issued.token}/")
    assert page.locator("main").get_by_text("Gamvik").first.is_visible()
    assert_accessible(page)
    submit_and_wait(page, "main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/mine-sider/")
    assert page.locator("main a[href$='/prosjekter/gamvik-omdomme/']").first.is_visible()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_an_invitation_for_another_address_asks_to_sign_out_first(
    page, live_server, facilitator, leader_karmoy, prefix
):
    issued = invitation(facilitator, role=InvitationRole.PARTICIPANT)
    link = f"{live_server.url}{prefix}/invitasjon/{issued.token}/"
    sign_in(page, live_server, "leder.karmoy", PASSWORD)
    page.wait_for_url(f"{live_server.url}/mine-sider/")
    page.goto(link)
    sign_out = page.locator("main form[action$='/logg-ut/'] button[type=submit]")
    assert sign_out.is_visible()
    assert_accessible(page)
    submit_and_wait(page, sign_out)
    page.wait_for_url(link)  # back at the link, signed out: the new account form
    assert page.locator("input[name=username]").input_value() == "nora"
    assert not Invitation.objects.get(pk=issued.invitation.pk).accepted_at


@pytest.mark.parametrize("prefix", PREFIXES)
def test_links_that_do_not_work(page, live_server, facilitator, prefix):
    expired = invitation(facilitator, email="a@example.org")
    Invitation.objects.filter(pk=expired.invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    used = invitation(facilitator, email="b@example.org")
    Invitation.objects.filter(pk=used.invitation.pk).update(accepted_at=timezone.now())
    for token in ("feil-lenke", expired.token, used.token):
        response = page.goto(f"{live_server.url}{prefix}/invitasjon/{token}/")
        assert response.status in (404, 410)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_sending_and_following_up_invitations(page, live_server, facilitator, prefix):
    invitation(facilitator, email="gammel@example.org")
    sign_in(page, live_server, "veileder.omdomme", PASSWORD)
    page.wait_for_url(f"{live_server.url}/mine-sider/")
    page.goto(f"{live_server.url}{prefix}/invitasjoner/ny/")
    assert_accessible(page)
    page.fill("input[name=email]", "ikke-en-adresse")
    send_and_see(page, "main button[type=submit]", ".ds-error-summary")
    page.fill("input[name=email]", "ny@karmoy.kommune.no")
    page.check("input[name=role][value=participant]")
    page.select_option("select[name=local_project]", label="Karmøy")
    submit_and_wait(page, "main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/invitasjoner/")
    assert page.locator("main table").get_by_text("ny@karmoy.kommune.no", exact=True).is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}{prefix}/invitasjoner/?status=pending")
    assert_accessible(page)
