"""Climbing the ladder of roles through invitations and participant records: each attack a
hostile user tried, performed again, and shown to do no harm.

Roles are granted downward only, by someone who holds them: an administrator grants facilitator
and ministry staff; the network's facilitator (or an administrator) grants project leader; a
project leader invites participants. An invitation is accepted only by the account with the
invited address. Leadership belongs to an account and is never inherited through an e-mail.
"""

import pytest
from django.core import mail

from municipalities import invitations
from municipalities.models import Invitation, InvitationRole, Participant
from network.models import Network, Person, User
from tests.factories import GatheringFactory, ParticipantFactory, UserFactory
from tests.municipalities.invitation_helpers import (
    accept_path,
    invite,
    new_account,
    open_and_accept,
    token_from_mail,
)

pytestmark = pytest.mark.django_db

NEW = "/en/invitasjoner/ny/"


def facilitator_person(network):
    network.refresh_from_db()
    return network.facilitator


# --- Ministry staff grant nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target"),
    [
        (InvitationRole.FACILITATOR, "network"),
        (InvitationRole.PROJECT_LEADER, "local_project"),
        (InvitationRole.PARTICIPANT, "local_project"),
        (InvitationRole.PROGRAMME_STAFF, None),
    ],
)
def test_ministry_staff_cannot_send_an_invitation_to_any_role(
    login, ministry, facilitator, omdomme, karmoy, role, target
):
    data = {"email": "krd-alias@example.org", "role": role, "participant_role": "annen"}
    if target == "network":
        data["network"] = omdomme.pk
    elif target == "local_project":
        data["local_project"] = karmoy.pk
    client = login(ministry)
    assert client.get(NEW).status_code == 403
    response = client.post(NEW, data)
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_ministry_staff_see_no_invitation_pages_and_no_invite_button(login, ministry):
    client = login(ministry)
    assert client.get("/en/invitasjoner/").status_code == 403
    assert "/invitasjoner/ny/" not in client.get("/en/mine-sider/").content.decode()


def test_ministry_staff_cannot_become_facilitator_through_an_old_invitation(
    login, ministry, facilitator, omdomme
):
    """An invitation made by ministry staff before the rule changed, sent to an address they
    control and opened while signed in as themselves: nothing is granted."""
    gathering = GatheringFactory(network=omdomme)
    issued = invite(ministry, "krd-alias@example.org", facilitate=omdomme)
    page, response = open_and_accept(login(ministry), issued.token)
    assert "Sign out first" in page.content.decode()
    assert "Accept the invitation</button>" not in page.content.decode()
    assert response.status_code == 403
    assert facilitator_person(omdomme).user == facilitator
    assert Invitation.objects.get().accepted_at is None
    ministry = User.objects.get(pk=ministry.pk)
    assert not ministry.has_perm("gatherings.change_gathering", gathering)
    assert not ministry.has_perm("gatherings.view_dietary_data", gathering)
    assert facilitator.has_perm("gatherings.change_gathering", gathering)


def test_an_invitation_from_ministry_staff_to_their_own_address_grants_nothing(
    login, ministry, facilitator, omdomme, karmoy
):
    """Even with the invited address on their own account, an invitation whose sender may not
    grant the role is refused."""
    for role, target in [
        (InvitationRole.FACILITATOR, {"network": omdomme}),
        (InvitationRole.PROJECT_LEADER, {"local_project": karmoy}),
    ]:
        issued = invite(ministry, email=ministry.email, role=role, **target)
        response = login(ministry).post(accept_path(issued.token))
        assert response.status_code == 403
        assert "may no longer give this role" in response.content.decode()
    assert facilitator_person(omdomme).user == facilitator
    assert not Participant.objects.filter(user=ministry).exists()
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_a_new_account_from_a_ministry_invitation_gets_nothing(client, ministry, karmoy):
    issued = invite(ministry, "alias@example.org", lead=karmoy)
    response = client.post(accept_path(issued.token), new_account())
    assert response.status_code == 403
    assert not User.objects.filter(username="nora").exists()
    assert not karmoy.participants.filter(email="alias@example.org").exists()


# --- Accepting into another account -------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ministry", "participant", "leader_strand", "facilitator"])
def test_a_signed_in_user_with_another_address_cannot_accept(
    request, login, admin_user, omdomme, karmoy, persona
):
    """The link was meant for someone else: the signed-in user is told to sign out first."""
    user = request.getfixturevalue(persona)
    issued = invite(admin_user, "someone.else@example.org", lead=karmoy)
    page, response = open_and_accept(login(user), issued.token)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Sign out first" in content
    assert "someone.else@example.org" in content
    assert response.status_code == 403
    assert "Sign out first" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
    assert not karmoy.participants.filter(user=user, is_project_leader=True).exists()


def test_the_service_refuses_an_account_with_another_address(admin_user, omdomme, facilitator):
    other = UserFactory(username="uvedkommende", email="other@example.org")
    issued = invite(admin_user, "new@ks.no", facilitate=omdomme)
    with pytest.raises(invitations.InvitationWrongAccount):
        invitations.accept_invitation(invitation=issued.invitation, user=other)
    assert facilitator_person(omdomme).user == facilitator


def test_the_address_is_compared_case_insensitively(login, admin_user, karmoy):
    user = UserFactory(username="nora", email="Nora.Ny@Example.org")
    issued = invite(admin_user, email=" nora.ny@EXAMPLE.ORG ", local_project=karmoy)
    assert login(user).post(accept_path(issued.token)).status_code == 302
    assert karmoy.participants.filter(user=user).exists()


# --- Facilitators are replaced only by an administrator -----------------------------------------


def test_accepting_a_facilitator_invitation_never_replaces_a_facilitator_with_an_account(
    client, admin_user, facilitator, omdomme
):
    """Made before the network got its facilitator, the invitation cannot take it over."""
    issued = invite(admin_user, "ny@ks.no", facilitate=omdomme)
    response = client.post(accept_path(issued.token), new_account())
    assert response.status_code == 409
    assert "already has a facilitator" in response.content.decode()
    assert facilitator_person(omdomme).user == facilitator
    assert not User.objects.filter(username="nora").exists()
    assert Invitation.objects.get().accepted_at is None


def test_the_administrator_is_told_when_a_network_already_has_a_facilitator(
    login, admin_user, facilitator, omdomme
):
    response = login(admin_user).post(
        NEW,
        {
            "email": "ny@ks.no",
            "role": InvitationRole.FACILITATOR,
            "network": omdomme.pk,
            "participant_role": "annen",
        },
    )
    assert response.status_code == 200
    assert "already has a facilitator" in str(response.context["form"].errors)
    assert not Invitation.objects.exists()


def test_a_facilitator_with_another_address_on_record_is_not_replaced(login, admin_user):
    network = Network.objects.get(slug="kompetanse-nord")
    person = network.facilitator
    Person.objects.filter(pk=person.pk).update(email="geir@ks.no")
    user = UserFactory(username="inntrenger", email="inntrenger@example.org")
    issued = invite(admin_user, user.email, facilitate=network)
    response = login(user).post(accept_path(issued.token))
    assert response.status_code == 409
    assert facilitator_person(network) == person
    person.refresh_from_db()
    assert person.user is None


# --- Who may grant what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "roles"),
    [
        ("leader_karmoy", [InvitationRole.PARTICIPANT]),
        ("facilitator", [InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT]),
        (
            "admin_user",
            [
                InvitationRole.PROJECT_LEADER,
                InvitationRole.PARTICIPANT,
                InvitationRole.FACILITATOR,
                InvitationRole.PROGRAMME_STAFF,
            ],
        ),
    ],
)
def test_the_form_offers_only_roles_the_sender_may_grant(request, login, persona, roles):
    response = login(request.getfixturevalue(persona)).get(NEW)
    assert [value for value, _label in response.context["form"].fields["role"].choices] == roles


@pytest.mark.parametrize(
    "data",
    [
        {"role": "project_leader", "local_project": "karmoy"},
        {"role": "facilitator", "network": "omdomme"},
        {"role": "programme_staff"},
    ],
)
def test_a_project_leader_cannot_grant_a_role_above_participant(
    login, leader_karmoy, karmoy, omdomme, data
):
    targets = {"karmoy": karmoy.pk, "omdomme": omdomme.pk}
    data = {key: targets.get(value, value) for key, value in data.items()}
    response = login(leader_karmoy).post(
        NEW, {"email": "venn@example.org", "participant_role": "annen", **data}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_invitation_whose_sender_lost_the_role_grants_nothing(
    client, facilitator, omdomme, karmoy
):
    issued = invite(facilitator, "nora@example.org", lead=karmoy)
    omdomme.facilitator = None
    omdomme.save(update_fields=["facilitator"])
    response = client.post(accept_path(issued.token), new_account())
    assert response.status_code == 403
    assert not karmoy.participants.filter(email="nora@example.org").exists()


# --- Leadership is not inherited through an e-mail address --------------------------------------


def test_leadership_is_not_inherited_by_editing_an_address_and_inviting_it(
    login, client, leader_karmoy, karmoy
):
    """The leader gives an account-less co-leader an address they control, and invites it as
    a plain participant: the new account takes over the person, not the leadership."""
    co_leader = ParticipantFactory(
        local_project=karmoy, name="Kari Leder", email="kari@karmoy.kommune.no"
    )
    Participant.objects.filter(pk=co_leader.pk).update(is_project_leader=True)
    co_leader.refresh_from_db()
    leader = login(leader_karmoy)
    edit = f"/en/prosjekter/karmoy-omdomme/deltakere/{co_leader.pk}/rediger/"
    form = leader.get(edit).context["form"]
    assert "is_project_leader" not in form.fields
    response = leader.post(
        edit,
        {
            "name": "Kari Leder",
            "function": "",
            "role": co_leader.role,
            "email": "alias@example.org",
            "phone": "",
            "loaded_version": form["loaded_version"].value(),
        },
    )
    assert response.status_code == 302
    co_leader.refresh_from_db()
    assert (co_leader.email, co_leader.is_project_leader) == ("alias@example.org", True)

    response = leader.post(
        NEW,
        {
            "email": "alias@example.org",
            "role": InvitationRole.PARTICIPANT,
            "local_project": karmoy.pk,
            "participant_role": "annen",
        },
    )
    assert response.status_code == 302
    client.post(accept_path(token_from_mail()), new_account(username="alias"))
    alias = User.objects.get(username="alias")
    membership = Participant.objects.get(user=alias)
    assert not membership.is_project_leader
    assert not alias.has_perm("municipalities.change_localproject", karmoy)
    assert karmoy.participants.filter(user=alias).count() == 1


def test_a_project_leader_cannot_set_or_unset_the_leader_flag(login, leader_karmoy, karmoy):
    other = ParticipantFactory(local_project=karmoy, email="x@example.org")
    co_leader = ParticipantFactory(local_project=karmoy, email="y@example.org")
    Participant.objects.filter(pk=co_leader.pk).update(is_project_leader=True)
    client = login(leader_karmoy)
    for participant, flag in ((other, "on"), (co_leader, "")):
        participant.refresh_from_db()
        edit = f"/en/prosjekter/karmoy-omdomme/deltakere/{participant.pk}/rediger/"
        version = client.get(edit).context["form"]["loaded_version"].value()
        client.post(
            edit,
            {
                "name": participant.name,
                "role": participant.role,
                "email": participant.email,
                "is_project_leader": flag,
                "loaded_version": version,
            },
        )
    other.refresh_from_db()
    co_leader.refresh_from_db()
    assert not other.is_project_leader
    assert co_leader.is_project_leader
    add = client.post(
        "/en/prosjekter/karmoy-omdomme/deltakere/ny/",
        {"name": "Ny Leder", "role": "annen", "email": "z@example.org", "is_project_leader": "on"},
    )
    assert add.status_code == 302
    assert not karmoy.participants.get(email="z@example.org").is_project_leader


def test_a_project_leader_invitation_from_the_facilitator_does_make_a_leader(
    login, facilitator, karmoy
):
    existing = ParticipantFactory(local_project=karmoy, email="kari@karmoy.kommune.no")
    user = UserFactory(username="kari", email="kari@karmoy.kommune.no")
    issued = invite(facilitator, "kari@karmoy.kommune.no", lead=karmoy)
    assert login(user).post(accept_path(issued.token)).status_code == 302
    existing.refresh_from_db()
    assert (existing.user, existing.is_project_leader) == (user, True)
