"""Opening and accepting an invitation link: new accounts, existing accounts, and what each
role grants; wrong, expired and used links."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from municipalities import invitations
from municipalities.models import Invitation, InvitationRole, Participant, ParticipantRole
from network.models import Network, Person, User
from tests.factories import ParticipantFactory, UserFactory
from tests.municipalities.invitation_helpers import (
    NEW_PASSWORD,
    accept_path,
    invite,
    new_account,
    open_and_accept,
)

pytestmark = pytest.mark.django_db


# --- Links that do not work --------------------------------------------------------------------


@pytest.mark.parametrize("token", ["feil", "x" * 43, "y" * 500])
def test_a_wrong_token_gives_a_helpful_404(client, programme, token):
    response = client.get(accept_path(token))
    assert response.status_code == 404
    content = response.content.decode()
    assert "This invitation link does not work" in content
    assert "only the link in the newest e-mail works" in content


def test_an_expired_invitation_says_so_and_cannot_be_accepted(client, facilitator, karmoy):
    issued = invite(facilitator, local_project=karmoy)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(accept_path(issued.token))
    assert response.status_code == 410
    content = response.content.decode()
    assert "This invitation has expired" in content
    assert facilitator.get_full_name() in content
    response = client.post(accept_path(issued.token), new_account())
    assert response.status_code == 410
    assert not User.objects.filter(username="nora").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_works_once(client, facilitator, karmoy):
    issued = invite(facilitator, local_project=karmoy)
    assert client.post(accept_path(issued.token), new_account()).status_code == 302
    again = client.get(accept_path(issued.token))
    assert again.status_code == 410
    assert "You accepted it on" in again.content.decode()
    stranger = client.__class__().post(accept_path(issued.token), new_account(username="x"))
    assert stranger.status_code == 410
    assert "has already been accepted" in stranger.content.decode()
    assert Participant.objects.filter(local_project=karmoy).count() == 1


def test_accepting_twice_at_the_same_time_grants_once(facilitator, strand, participant):
    issued = invite(facilitator, email=participant.email, local_project=strand)
    first = Invitation.objects.get()
    second = Invitation.objects.get()
    invitations.accept_invitation(invitation=first, user=participant)
    with pytest.raises(invitations.InvitationUsed):
        invitations.accept_invitation(invitation=second, user=participant)
    assert participant.participations.filter(local_project=strand).count() == 1
    with pytest.raises(invitations.InvitationUsed):
        invitations.find_invitation(token=issued.token)


# --- A new account -----------------------------------------------------------------------------


def test_the_page_shows_the_invitation_and_suggests_a_username(client, facilitator, karmoy):
    UserFactory(username="nora.ny")
    issued = invite(facilitator, "Nora.Ny@karmoy.kommune.no", lead=karmoy, name="Nora Ny")
    response = client.get(accept_path(issued.token))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Project leader of a local project" in content
    assert "Karmøy" in content
    assert facilitator.get_full_name() in content
    form = response.context["form"]
    assert form["username"].value() == "nora.ny2"
    assert (form["first_name"].value(), form["last_name"].value()) == ("Nora", "Ny")
    assert response["Cache-Control"].startswith("max-age=0")


def test_accepting_with_a_new_account_makes_a_project_leader(client, facilitator, karmoy):
    issued = invite(
        facilitator,
        "nora@karmoy.kommune.no",
        lead=karmoy,
        name="Nora Ny",
        participant_role=ParticipantRole.LEADER,
    )
    response = client.post(accept_path(issued.token), new_account())
    assert response.status_code == 302
    assert response.url == "/en/mine-sider/"
    user = User.objects.get(username="nora")
    assert user.check_password(NEW_PASSWORD)
    assert (user.email, user.first_name, user.last_name) == ("nora@karmoy.kommune.no", "Nora", "Ny")
    assert client.session[SESSION_KEY] == str(user.pk)
    participant = Participant.objects.get(user=user)
    assert participant.local_project == karmoy
    assert participant.is_project_leader
    assert (participant.name, participant.email, participant.role) == (
        "Nora Ny",
        "nora@karmoy.kommune.no",
        ParticipantRole.LEADER,
    )
    assert participant.municipality.number == "1149"
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert user.has_perm("municipalities.change_localproject", karmoy)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"password2": "Something-else-2012"}, "password2", "didn’t match"),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "too common"),
        (
            {"password1": "nora@example.org", "password2": "nora@example.org"},
            "password2",
            "too similar",
        ),
        ({"username": "LEDER.KARMOY"}, "username", "already exists"),
        ({"username": "nora ny"}, "username", "Enter a valid username"),
        ({"first_name": ""}, "first_name", "required"),
    ],
)
def test_account_form_errors_keep_the_invitation_open(
    client, facilitator, leader_karmoy, karmoy, data, field, message
):
    issued = invite(facilitator, email="nora@example.org", local_project=karmoy)
    response = client.post(accept_path(issued.token), new_account(**data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in str(errors[field])
    assert 'class="ds-error-summary' in response.content.decode()
    assert not User.objects.filter(email="nora@example.org").exists()
    assert Invitation.objects.get().accepted_at is None
    assert SESSION_KEY not in client.session


def test_an_existing_account_for_the_address_must_sign_in(client, facilitator, karmoy):
    UserFactory(username="nora", email="nora@example.org")
    issued = invite(facilitator, email="NORA@example.org", local_project=karmoy)
    response = client.get(accept_path(issued.token))
    assert response.status_code == 200
    assert "form" not in response.context
    assert f"/en/logg-inn/?next=%2Fen%2Finvitasjon%2F{issued.token}%2F" in (
        response.content.decode()
    )
    client.post(accept_path(issued.token), new_account(username="nora2"))
    assert not User.objects.filter(username="nora2").exists()
    assert Invitation.objects.get().accepted_at is None


# --- A signed-in user ---------------------------------------------------------------------------


def test_a_signed_in_user_accepts_into_their_account(login, facilitator, karmoy):
    user = UserFactory(username="nora", email="nora@example.org")
    issued = invite(facilitator, email="nora@example.org", local_project=karmoy)
    page, response = open_and_accept(login(user), issued.token)
    assert "Accept the invitation" in page.content.decode()
    assert "not the e-mail address of this account" not in page.content.decode()
    assert response.status_code == 302
    participant = Participant.objects.get(user=user)
    assert (participant.local_project, participant.is_project_leader) == (karmoy, False)


def test_a_signed_in_user_with_another_address_is_asked_to_sign_out(
    login, participant, facilitator, strand
):
    issued = invite(facilitator, email="someone.else@example.org", local_project=strand)
    page, response = open_and_accept(login(participant), issued.token)
    content = page.content.decode()
    assert page.status_code == 200
    assert "This invitation is for another account" in content
    assert "Sign out first" in content
    assert f'name="next" value="{accept_path(issued.token)}"' in content
    assert response.status_code == 403
    assert not participant.participations.filter(local_project=strand).exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_participant_without_account_is_taken_over(login, facilitator, karmoy):
    existing = ParticipantFactory(
        local_project=karmoy, name="Nora Ny", email="NORA@example.org", role=ParticipantRole.HR
    )
    user = UserFactory(username="nora", email="nora@example.org")
    issued = invite(facilitator, "nora@example.org", lead=karmoy)
    login(user).post(accept_path(issued.token))
    existing.refresh_from_db()
    assert existing.user == user
    assert existing.is_project_leader
    assert existing.role == ParticipantRole.HR
    assert karmoy.participants.count() == 1


def test_a_project_leader_invited_as_participant_stays_leader(
    login, leader_karmoy, admin_user, karmoy
):
    issued = invite(admin_user, email=leader_karmoy.email, local_project=karmoy)
    login(leader_karmoy).post(accept_path(issued.token))
    participant = Participant.objects.get(user=leader_karmoy)
    assert participant.is_project_leader
    assert Participant.objects.filter(user=leader_karmoy).count() == 1


def test_ministry_staff_invitation_grants_programme_staff(login, admin_user, programme):
    user = UserFactory(username="kari.krd")
    issued = invite(admin_user, email=user.email, role=InvitationRole.PROGRAMME_STAFF)
    login(user).post(accept_path(issued.token))
    user.refresh_from_db()
    assert user.is_programme_staff
    assert user.has_perm("measurements.view_overview")


# --- Facilitators -------------------------------------------------------------------------------


def test_facilitator_invitation_links_the_networks_facilitator_without_account(
    client, admin_user, programme
):
    network = Network.objects.get(slug="kompetanse-nord")
    person = network.facilitator
    assert person.user is None
    issued = invite(admin_user, "geir@ks.no", facilitate=network)
    client.post(accept_path(issued.token), new_account(username="geir"))
    person.refresh_from_db()
    assert person.user.username == "geir"
    assert person.email == "geir@ks.no"
    network.refresh_from_db()
    assert network.facilitator == person
    assert person.user.has_perm("network.view_network_drafts", network)


def test_facilitator_invitation_does_not_replace_a_facilitator_who_has_an_account(
    client, admin_user, facilitator_other
):
    network = Network.objects.get(slug="sykefravaer-sor")
    previous = network.facilitator
    issued = invite(admin_user, "ny@ks.no", facilitate=network, name="Ny Veileder")
    assert client.get(accept_path(issued.token)).status_code == 409
    response = client.post(accept_path(issued.token), new_account(username="ny.veileder"))
    assert response.status_code == 409
    assert "Sickness absence South already has a facilitator" in response.content.decode()
    network.refresh_from_db()
    assert network.facilitator == previous
    previous.refresh_from_db()
    assert previous.user == facilitator_other
    assert not User.objects.filter(username="ny.veileder").exists()


def test_facilitator_invitation_after_the_administrator_replaced_the_facilitator(
    client, admin_user, facilitator_other
):
    """Replacing is explicit: the administrator empties the network's facilitator first."""
    network = Network.objects.get(slug="sykefravaer-sor")
    previous = network.facilitator
    network.facilitator = None
    network.save(update_fields=["facilitator"])
    issued = invite(admin_user, "ny@ks.no", facilitate=network, name="Ny Veileder")
    client.post(accept_path(issued.token), new_account(username="ny.veileder"))
    network.refresh_from_db()
    assert network.facilitator != previous
    assert network.facilitator.name == "Ny Veileder"
    assert network.facilitator.user.username == "ny.veileder"
    previous.refresh_from_db()
    assert previous.user == facilitator_other


def test_facilitator_invitation_uses_the_persons_record_a_facilitator_already_has(
    login, admin_user, facilitator
):
    network = Network.objects.get(slug="sykefravaer-sor")
    people = Person.objects.count()
    issued = invite(admin_user, facilitator.email, facilitate=network)
    login(facilitator).post(accept_path(issued.token))
    network.refresh_from_db()
    assert network.facilitator == facilitator.person
    assert Person.objects.count() == people
    facilitated = Network.objects.filter(facilitator__user=facilitator)
    assert set(facilitated.values_list("slug", flat=True)) == {
        "omdomme",
        "sykefravaer-ost",
        "sykefravaer-sor",
    }


def test_the_page_is_the_same_in_nynorsk(client, facilitator, karmoy):
    issued = invite(facilitator, local_project=karmoy)
    response = client.get(accept_path(issued.token, language="nn"))
    assert response.status_code == 200
    assert '<html lang="nn"' in response.content.decode()
