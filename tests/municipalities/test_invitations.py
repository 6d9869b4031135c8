"""Sending invitations, the list of invitations, send again and withdraw."""

import hashlib
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from municipalities.invitations import INVITATION_VALIDITY
from municipalities.models import Invitation, InvitationRole, LocalProject, ParticipantRole
from network.models import Network
from tests.municipalities.invitation_helpers import accept_path, invite, snapshot, token_from_mail

pytestmark = pytest.mark.django_db

NEW = "/en/invitasjoner/ny/"
LIST = "/en/invitasjoner/"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("550 refused")


def post_invitation(client, **data):
    data = {"email": "ny.person@karmoy.kommune.no", "name": "Nora Ny", **data}
    data.setdefault("participant_role", ParticipantRole.OTHER)
    return client.post(NEW, data)


# --- Sending ---------------------------------------------------------------------------------


def test_facilitator_invites_a_project_leader_to_a_project_in_their_network(
    login, facilitator, karmoy
):
    client = login(facilitator)
    response = post_invitation(
        client,
        role=InvitationRole.PROJECT_LEADER,
        local_project=karmoy.pk,
        participant_role=ParticipantRole.LEADER,
    )
    assert response.status_code == 302
    assert response.url == LIST
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.name, invitation.role) == (
        "ny.person@karmoy.kommune.no",
        "Nora Ny",
        InvitationRole.PROJECT_LEADER,
    )
    assert invitation.local_project == karmoy
    assert invitation.network is None
    assert invitation.participant_role == ParticipantRole.LEADER
    assert invitation.created_by == facilitator
    assert invitation.accepted_at is None
    expected_expiry = timezone.now() + INVITATION_VALIDITY
    assert abs(invitation.expires_at - expected_expiry) < timedelta(minutes=1)

    message = mail.outbox[0]
    assert message.to == ["ny.person@karmoy.kommune.no"]
    assert message.reply_to == [facilitator.email]
    assert "Karmøy" in message.body
    assert facilitator.get_full_name() in message.body
    token = token_from_mail(message)
    assert f"http://testserver{accept_path(token)}" in message.body
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())


def test_the_form_offers_only_what_the_user_may_invite_to(login, leader_karmoy, karmoy):
    response = login(leader_karmoy).get(NEW)
    form = response.context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [InvitationRole.PARTICIPANT]
    assert "network" not in form.fields
    projects = [
        pk for _group, options in form.fields["local_project"].choices[1:] for pk, _ in options
    ]
    assert projects == [karmoy.pk]


def test_links_from_my_pages_preselect_role_and_project(login, facilitator, karmoy):
    response = login(facilitator).get(f"{NEW}?rolle=project_leader&prosjekt=karmoy-omdomme")
    form = response.context["form"]
    assert form["role"].value() == InvitationRole.PROJECT_LEADER
    assert form["local_project"].value() == karmoy.pk


def test_administrator_invites_a_facilitator_and_ministry_staff(login, admin_user, omdomme):
    client = login(admin_user)
    post_invitation(client, role=InvitationRole.FACILITATOR, network=omdomme.pk, email="a@ks.no")
    post_invitation(client, role=InvitationRole.PROGRAMME_STAFF, email="b@krd.dep.no")
    assert set(Invitation.objects.values_list("email", "role", "network", "local_project")) == {
        ("a@ks.no", InvitationRole.FACILITATOR, omdomme.pk, None),
        ("b@krd.dep.no", InvitationRole.PROGRAMME_STAFF, None, None),
    }
    assert len(mail.outbox) == 2


def test_administrators_invite_project_leaders_anywhere_and_ministry_staff_nowhere(
    login, admin_user, ministry
):
    stavanger = LocalProject.objects.get(slug="stavanger-sykefravaer")
    refused = post_invitation(
        login(ministry), role=InvitationRole.PROJECT_LEADER, local_project=stavanger.pk
    )
    assert refused.status_code == 403
    assert not Invitation.objects.exists()
    response = post_invitation(
        login(admin_user), role=InvitationRole.PROJECT_LEADER, local_project=stavanger.pk
    )
    assert response.status_code == 302
    assert Invitation.objects.get().local_project == stavanger


def test_a_missing_project_or_a_bad_address_is_a_form_error(login, facilitator):
    client = login(facilitator)
    response = post_invitation(client, role=InvitationRole.PARTICIPANT, email="not-an-address")
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    assert "local_project" in form.errors
    assert 'class="ds-error-summary' in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_open_invitation_is_not_sent_twice(login, facilitator, karmoy):
    client = login(facilitator)
    post_invitation(client, role=InvitationRole.PARTICIPANT, local_project=karmoy.pk)
    response = post_invitation(
        client,
        role=InvitationRole.PARTICIPANT,
        local_project=karmoy.pk,
        email="NY.PERSON@karmoy.kommune.no",
    )
    assert response.status_code == 200
    assert "already has an open invitation" in str(response.context["form"].errors)
    assert Invitation.objects.count() == 1


def test_someone_who_already_has_the_role_is_not_invited(login, facilitator, participant, karmoy):
    response = post_invitation(
        login(facilitator),
        role=InvitationRole.PARTICIPANT,
        local_project=karmoy.pk,
        email=participant.email.upper(),
    )
    assert response.status_code == 200
    assert "already takes part in Karmøy" in str(response.context["form"].errors)
    assert not Invitation.objects.exists()


def test_an_invitation_is_kept_when_the_mail_server_refuses(login, facilitator, karmoy, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    client = login(facilitator)
    response = post_invitation(client, role=InvitationRole.PARTICIPANT, local_project=karmoy.pk)
    assert response.status_code == 302
    assert Invitation.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "could not be sent" in page


# --- Cross-municipality and cross-network tries -----------------------------------------------


@pytest.mark.parametrize(
    ("persona", "data"),
    [
        ("leader_strand", {"role": "participant", "local_project": "karmoy"}),
        ("leader_karmoy", {"role": "project_leader", "local_project": "karmoy"}),
        ("leader_karmoy", {"role": "participant", "network": "omdomme"}),
        ("facilitator_other", {"role": "project_leader", "local_project": "karmoy"}),
        ("facilitator_other", {"role": "participant", "local_project": "strand"}),
        ("facilitator", {"role": "project_leader", "local_project": "stavanger"}),
        ("facilitator", {"role": "facilitator", "network": "omdomme"}),
        ("facilitator", {"role": "programme_staff"}),
        ("ministry", {"role": "facilitator", "network": "omdomme"}),
        ("ministry", {"role": "project_leader", "local_project": "karmoy"}),
        ("ministry", {"role": "programme_staff"}),
    ],
)
def test_inviting_outside_ones_own_projects_is_refused_and_changes_nothing(
    request, login, persona, data, programme
):
    targets = {
        "karmoy": LocalProject.objects.get(slug="karmoy-omdomme").pk,
        "strand": LocalProject.objects.get(slug="strand-omdomme").pk,
        "stavanger": LocalProject.objects.get(slug="stavanger-sykefravaer").pk,
        "omdomme": Network.objects.get(slug="omdomme").pk,
    }
    data = {key: targets.get(value, value) for key, value in data.items()}
    response = post_invitation(login(request.getfixturevalue(persona)), **data)
    assert response.status_code in (403, 404)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["anonymous", "participant"])
def test_people_without_invitation_rights_cannot_open_the_pages(request, login, persona, programme):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = login(user)
    expected = 302 if user is None else 403
    assert client.get(NEW).status_code == expected
    assert client.get(LIST).status_code == expected
    assert post_invitation(client, role="participant").status_code == expected
    assert not Invitation.objects.exists()


# --- The list ----------------------------------------------------------------------------------


def make_invitations(by, project, count, start=0):
    now = timezone.now()
    issued = [
        invite(by, email=f"p{start + n}@example.org", local_project=project) for n in range(count)
    ]
    for n, item in enumerate(issued):
        if n % 3 == 1:
            Invitation.objects.filter(pk=item.invitation.pk).update(accepted_at=now, accepted_by=by)
        elif n % 3 == 2:
            Invitation.objects.filter(pk=item.invitation.pk).update(
                expires_at=now - timedelta(days=1)
            )
    return issued


def test_the_list_shows_status_and_filters_by_it(login, facilitator, karmoy):
    make_invitations(facilitator, karmoy, 3)
    client = login(facilitator)
    content = client.get(LIST).content.decode()
    assert 'aria-current="page">My pages<' in content
    assert 'aria-current="page">Municipalities<' not in content
    for email in ("p0@example.org", "p1@example.org", "p2@example.org"):
        assert email in content
    statuses = {
        status: [i.email for i in client.get(f"{LIST}?status={status}").context["invitations"]]
        for status in ("pending", "accepted", "expired")
    }
    assert statuses == {
        "pending": ["p0@example.org"],
        "accepted": ["p1@example.org"],
        "expired": ["p2@example.org"],
    }
    assert len(client.get(f"{LIST}?status=nonsense").context["invitations"]) == 3


def test_the_list_shows_only_invitations_one_manages(
    login, admin_user, leader_karmoy, facilitator_other, karmoy, strand
):
    invite(admin_user, email="karmoy@example.org", local_project=karmoy)
    invite(admin_user, email="strand@example.org", local_project=strand)
    invite(admin_user, email="staff@example.org", role=InvitationRole.PROGRAMME_STAFF)
    emails = [i.email for i in login(leader_karmoy).get(LIST).context["invitations"]]
    assert emails == ["karmoy@example.org"]
    assert list(login(facilitator_other).get(LIST).context["invitations"]) == []
    assert len(login(admin_user).get(LIST).context["invitations"]) == 3


@pytest.mark.parametrize("size", [3, 20])
def test_the_list_takes_the_same_number_of_queries_at_any_size(
    login, facilitator, karmoy, strand, size, django_assert_num_queries
):
    make_invitations(facilitator, karmoy, size)
    make_invitations(facilitator, strand, size, start=size)
    client = login(facilitator)
    client.get(LIST)
    # session, user, facilitated networks, participations, count, the header's programme,
    # the page (the session is not written again within five minutes: core.sessions)
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert len(response.context["invitations"]) == 2 * size


# --- Send again and withdraw ------------------------------------------------------------------


def test_send_again_makes_a_new_link_and_the_old_one_stops_working(login, facilitator, karmoy):
    issued = invite(facilitator, local_project=karmoy)
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    client = login(facilitator)
    response = client.post(f"/en/invitasjoner/{issued.invitation.pk}/send-igjen/")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    new_token = token_from_mail()
    assert new_token != issued.token
    assert client.get(accept_path(issued.token)).status_code == 404
    assert client.get(accept_path(new_token)).status_code == 200


def test_withdrawing_deletes_the_invitation_and_its_link(login, facilitator, karmoy):
    issued = invite(facilitator, local_project=karmoy)
    client = login(facilitator)
    response = client.post(f"/en/invitasjoner/{issued.invitation.pk}/trekk-tilbake/")
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert client.get(accept_path(issued.token)).status_code == 404


def test_an_accepted_invitation_is_neither_sent_again_nor_withdrawn(
    login, facilitator, leader_karmoy, karmoy
):
    issued = invite(facilitator, local_project=karmoy)
    Invitation.objects.update(accepted_at=timezone.now(), accepted_by=leader_karmoy)
    before = snapshot()
    client = login(facilitator)
    for action in ("send-igjen", "trekk-tilbake"):
        response = client.post(f"/en/invitasjoner/{issued.invitation.pk}/{action}/", follow=True)
        assert "has been accepted" in response.content.decode()
    assert snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["leader_strand", "facilitator_other", "participant"])
@pytest.mark.parametrize("action", ["send-igjen", "trekk-tilbake"])
def test_others_cannot_send_again_or_withdraw(request, login, facilitator, karmoy, persona, action):
    issued = invite(facilitator, local_project=karmoy)
    before = snapshot()
    client = login(request.getfixturevalue(persona))
    response = client.post(f"/en/invitasjoner/{issued.invitation.pk}/{action}/")
    assert response.status_code == 404
    assert snapshot() == before
    assert mail.outbox == []


def test_send_again_and_withdraw_need_post(login, facilitator, karmoy):
    issued = invite(facilitator, local_project=karmoy)
    client = login(facilitator)
    assert client.get(f"/en/invitasjoner/{issued.invitation.pk}/send-igjen/").status_code == 405
    assert client.get(f"/en/invitasjoner/{issued.invitation.pk}/trekk-tilbake/").status_code == 405
