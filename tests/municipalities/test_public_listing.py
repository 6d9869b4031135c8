"""Public project pages name participants only once the page is published, and only those who
agreed to it (project leaders by default); invitations forget names and addresses in time."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from core.personal_data import purge as purge_personal_data
from municipalities.models import Invitation, InvitationRole, Participant, ParticipantRole
from tests.factories import ParticipantFactory, UserFactory
from tests.municipalities.factories import save_page

pytestmark = pytest.mark.django_db

PARTICIPANTS = "/en/prosjekter/karmoy-omdomme/deltakere"


@pytest.fixture
def kari(karmoy):
    """A participant who has not agreed to be named publicly."""
    return ParticipantFactory(local_project=karmoy, name="Kari Ikkeoffentlig")


def publish(project):
    save_page(project, publish=True, summary="Første versjon", background="Bakgrunn.")


def test_an_unpublished_project_page_names_no_participants_publicly(
    login, karmoy, kari, leader_karmoy
):
    kari.listed_publicly = True
    kari.save()
    content = login(None).get(karmoy.get_absolute_url()).content.decode()
    assert "Kari Ikkeoffentlig" not in content
    assert leader_karmoy.get_full_name() not in content
    assert (
        "once the project page is published"
        in login(None).get("/en" + karmoy.get_absolute_url()).content.decode()
    )


def test_a_published_page_names_only_those_who_agreed(login, karmoy, kari, leader_karmoy):
    listed = ParticipantFactory(local_project=karmoy, name="Lise Listet", listed_publicly=True)
    publish(karmoy)
    content = login(None).get(karmoy.get_absolute_url()).content.decode()
    assert listed.name in content
    assert leader_karmoy.get_full_name() in content  # project leaders by default
    assert "Kari Ikkeoffentlig" not in content


def test_a_signed_in_outsider_sees_only_the_public_listing(login, strand, kari, facilitator_other):
    publish(kari.local_project)
    content = login(facilitator_other).get(kari.local_project.get_absolute_url()).content.decode()
    assert "Kari Ikkeoffentlig" not in content


@pytest.mark.parametrize("persona", ["leader_karmoy", "facilitator", "leader_strand", "ministry"])
def test_the_network_and_the_programme_staff_see_every_participant(
    request, login, karmoy, kari, persona
):
    content = login(request.getfixturevalue(persona)).get(karmoy.get_absolute_url())
    assert "Kari Ikkeoffentlig" in content.content.decode()


def test_a_participant_agrees_to_be_named_on_my_data(login, karmoy, participant):
    own = Participant.objects.get(user=participant)
    assert not own.listed_publicly
    client = login(participant)
    page = client.get("/en/mine-sider/mine-data/").content.decode()
    assert "Show my name on the public project page of" in page

    response = client.post(
        f"/en/mine-sider/mine-data/synlighet/{own.pk}/", {"listed_publicly": "on"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.listed_publicly and own.version == 2

    client.post(f"/en/mine-sider/mine-data/synlighet/{own.pk}/", {})
    own.refresh_from_db()
    assert not own.listed_publicly


def test_nobody_changes_another_persons_choice(login, kari, participant, leader_karmoy):
    for user in (participant, leader_karmoy):
        response = login(user).post(
            f"/en/mine-sider/mine-data/synlighet/{kari.pk}/", {"listed_publicly": "on"}
        )
        assert response.status_code == 404
    kari.refresh_from_db()
    assert not kari.listed_publicly


def test_a_leader_notes_the_participants_consent_when_adding_them(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    form = client.get(f"{PARTICIPANTS}/ny/").content.decode()
    assert "The participant agrees to be named on the public project page" in form
    data = {
        "name": "Samtykke Sara",
        "function": "Rådgiver",
        "role": ParticipantRole.HR,
        "email": "sara@karmoy.kommune.no",
        "phone": "52 00 00 00",
    }
    client.post(f"{PARTICIPANTS}/ny/", {**data, "listed_publicly": "on"})
    client.post(f"{PARTICIPANTS}/ny/", {**data, "name": "Uten Samtykke", "email": ""})
    assert Participant.objects.get(name="Samtykke Sara").listed_publicly
    assert not Participant.objects.get(name="Uten Samtykke").listed_publicly


def test_the_data_migration_lists_project_leaders_and_nobody_else(karmoy, kari, leader_karmoy):
    Participant.objects.update(listed_publicly=False)
    migration = importlib.import_module(
        "municipalities.migrations.0006_participant_listed_publicly"
    )
    migration.list_project_leaders(apps, None)
    assert Participant.objects.get(user=leader_karmoy).listed_publicly
    assert not Participant.objects.get(pk=kari.pk).listed_publicly


# --- Invitations ------------------------------------------------------------------------------


def _invitation(project, email, *, expires_at, accepted_by=None, accepted=False):
    return Invitation.objects.create(
        email=email,
        name="Ivar Invitert",
        role=InvitationRole.PARTICIPANT,
        local_project=project,
        token_hash=email.ljust(64, "0")[:64],
        expires_at=expires_at,
        accepted_at=expires_at if accepted else None,
        accepted_by=accepted_by,
    )


def test_expired_invitations_lose_name_and_address_after_30_days(karmoy):
    now = timezone.now()
    old = _invitation(karmoy, "gammel@x.no", expires_at=now - datetime.timedelta(days=31))
    recent = _invitation(karmoy, "nylig@x.no", expires_at=now - datetime.timedelta(days=29))
    pending = _invitation(karmoy, "aapen@x.no", expires_at=now + datetime.timedelta(days=3))

    assert purge_personal_data(now=now)["invitations"] == 1

    old.refresh_from_db()
    assert (old.name, old.email) == ("", "")
    assert Invitation.objects.get(pk=recent.pk).email == "nylig@x.no"
    assert Invitation.objects.get(pk=pending.pk).email == "aapen@x.no"
    assert purge_personal_data(now=now)["invitations"] == 0


def test_the_invitation_of_a_deleted_account_loses_name_and_address(karmoy):
    user = UserFactory()
    past = timezone.now() - datetime.timedelta(days=2)
    invitation = _invitation(
        karmoy, "slettet@x.no", expires_at=past, accepted_by=user, accepted=True
    )
    kept = _invitation(
        karmoy, "aktiv@x.no", expires_at=past, accepted_by=UserFactory(), accepted=True
    )
    user.delete()

    purge_personal_data()

    invitation.refresh_from_db()
    assert (invitation.name, invitation.email) == ("", "")
    assert Invitation.objects.get(pk=kept.pk).email == "aktiv@x.no"


@pytest.mark.parametrize(
    ("role", "listed"),
    [(InvitationRole.PROJECT_LEADER, True), (InvitationRole.PARTICIPANT, False)],
)
def test_accepting_an_invitation_lists_a_new_leader_and_not_a_new_participant(
    karmoy, facilitator, role, listed
):
    from municipalities import invitations

    issued = invitations.create_invitation(
        created_by=facilitator, email="ny@karmoy.kommune.no", role=role, local_project=karmoy
    )
    user = UserFactory(email="ny@karmoy.kommune.no")
    invitations.accept_invitation(invitation=issued.invitation, user=user)
    assert Participant.objects.get(local_project=karmoy, user=user).listed_publicly is listed


def _edit(client, participant, **changes):
    data = {
        "name": participant.name,
        "function": participant.function,
        "role": participant.role,
        "email": participant.email,
        "phone": participant.phone,
        "loaded_version": participant.version,
        **changes,
    }
    return client.post(f"{PARTICIPANTS}/{participant.pk}/rediger/", data)


@pytest.mark.parametrize("editor", ["leader_karmoy", "facilitator", "admin_user"])
def test_a_project_editor_cannot_overrule_the_choice_of_a_participant_with_an_account(
    request, login, karmoy, participant, editor
):
    own = Participant.objects.get(user=participant)
    login(participant).post(f"/en/mine-sider/mine-data/synlighet/{own.pk}/", {})
    own.refresh_from_db()
    client = login(request.getfixturevalue(editor))
    form = client.get(f"{PARTICIPANTS}/{own.pk}/rediger/").content.decode()
    assert 'name="listed_publicly"' not in form

    response = _edit(client, own, phone="52 11 22 33", listed_publicly="on")

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.phone == "52 11 22 33" and not own.listed_publicly


def test_editing_a_participant_with_an_account_keeps_the_consent_they_gave(
    login, karmoy, participant, leader_karmoy
):
    own = Participant.objects.get(user=participant)
    login(participant).post(
        f"/en/mine-sider/mine-data/synlighet/{own.pk}/", {"listed_publicly": "on"}
    )
    own.refresh_from_db()
    _edit(login(leader_karmoy), own, function="Økonomisjef")
    own.refresh_from_db()
    assert own.function == "Økonomisjef" and own.listed_publicly
