"""The data subject's rights: «Mine data» shows and downloads everything the portal holds
about a person, who can ask to be deleted; the project's leader, the network's facilitator or an
administrator confirms, and nothing personal is left (history included). Sign-in logs are
pruned, the purge runs on an empty database and on the national data set, and the privacy
statement says all of it in three languages."""

import datetime
import io
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.utils import timezone

from core.models import OutboxRecipient
from core.personal_data import purge as purge_personal_data
from gatherings.models import Gathering, Registration
from measurements.models import Measurement
from municipalities.models import Invitation, InvitationRole, Participant, Story
from network.models import DeletionRequest, User
from tests.factories import MeasurementFactory
from tests.gatherings.factories import RegistrationFactory, programme_sent_to
from tests.municipalities.factories import story

pytestmark = pytest.mark.django_db

MY_DATA = "/en/mine-sider/mine-data/"
DOWNLOAD = "/en/mine-sider/mine-data/last-ned/"
DELETE = "/en/mine-sider/mine-data/slett/"
REQUESTS = "/en/mine-sider/sletting/"
ALLERGY = "Alvorlig nøtteallergi"


@pytest.fixture
def kari_data(participant, karmoy):
    """What the portal holds about the participant of Karmøy: a registration with an allergy
    note, a message sent to them, the invitation they accepted, a story, a measurement."""
    own = Participant.objects.get(user=participant)
    gathering = Gathering.objects.get(network__slug="omdomme", kind="samling_1")
    registration = RegistrationFactory(
        gathering=gathering, participant=own, dietary_notes=ALLERGY, diets=["no_nuts"]
    )
    recipient = programme_sent_to(gathering, own)
    invitation = Invitation.objects.create(
        email=participant.email,
        name=own.name,
        role=InvitationRole.PARTICIPANT,
        local_project=karmoy,
        token_hash="a" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=5),
        accepted_at=timezone.now(),
        accepted_by=participant,
    )
    written = story(karmoy, title="Kari sin historie")
    Story.objects.filter(pk=written.pk).update(author=participant)
    measurement = MeasurementFactory(local_project=karmoy, reported_by=participant)
    measurement._history_user = participant  # a correction by Kari, kept in the history
    measurement.value = "8.0"
    measurement.save()
    assert Measurement.history.filter(id=measurement.pk, history_user=participant).exists()
    AccessLog.objects.create(
        username=participant.username, ip_address="10.0.0.7", user_agent="Firefox"
    )
    return {
        "participant": own,
        "registration": registration,
        "recipient": recipient,
        "invitation": invitation,
        "story": written,
        "measurement": measurement,
    }


# --- Seeing and downloading -------------------------------------------------------------------


def test_my_data_shows_everything_the_portal_holds_about_the_person(login, participant, kari_data):
    response = login(participant).get(MY_DATA)
    content = response.content.decode()
    assert response.status_code == 200
    assert participant.username in content and participant.email in content
    assert "Karmøy" in content  # the participation
    assert ALLERGY in content and "Nut allergy" in content  # their own registration
    assert "Participant in a local project" in content  # the invitation
    assert "Kari sin historie" in content  # what they wrote
    assert response["Cache-Control"] == "no-store, private"


def test_my_data_is_reached_from_my_pages(login, participant):
    assert MY_DATA in login(participant).get("/en/mine-sider/").content.decode()


def test_my_data_download_is_json_with_the_health_data_and_never_stored(
    login, participant, kari_data
):
    response = login(participant).get(DOWNLOAD)
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"
    data = json.loads(response.content)
    assert data["account"][0]["username"] == participant.username
    assert data["participations"][0]["email"] == participant.email
    assert data["registrations"][0]["dietary_notes"] == ALLERGY
    assert data["invitations"][0]["email"] == participant.email
    assert data["authored"][0]["title"] == "Kari sin historie"


def test_my_data_shows_nobody_elses_data(login, leader_karmoy, kari_data):
    content = login(leader_karmoy).get(MY_DATA).content.decode()
    assert ALLERGY not in content and "Kari sin historie" not in content
    data = json.loads(login(leader_karmoy).get(DOWNLOAD).content)
    assert ALLERGY not in json.dumps(data)


def test_my_data_needs_signing_in(client, programme):
    for url in (MY_DATA, DOWNLOAD, DELETE):
        response = client.get(url)
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]


# --- Asking to be deleted, and confirming -----------------------------------------------------


def test_asking_to_be_deleted_is_recorded_once_and_can_be_withdrawn(login, participant):
    client = login(participant)
    assert client.get(DELETE).status_code == 200
    assert client.post(DELETE).status_code == 302
    assert client.post(DELETE).status_code == 302
    assert DeletionRequest.objects.pending().filter(user=participant).count() == 1
    assert "You asked to be deleted on" in client.get(MY_DATA).content.decode()
    client.post(DELETE, {"action": "withdraw"})
    assert not DeletionRequest.objects.filter(user=participant).exists()
    assert User.objects.filter(pk=participant.pk).exists()


def test_the_project_leader_sees_the_request_on_my_pages(login, participant, leader_karmoy):
    login(participant).post(DELETE)
    client = login(leader_karmoy)
    assert REQUESTS in client.get("/en/mine-sider/").content.decode()
    page = client.get(REQUESTS)
    assert participant.get_full_name() in page.content.decode()
    assert page["Cache-Control"] == "no-store, private"


def _confirm_url(participant) -> str:
    deletion_request = DeletionRequest.objects.pending().get(user=participant)
    return f"{REQUESTS}{deletion_request.pk}/bekreft/"


@pytest.mark.parametrize("persona", ["leader_karmoy", "facilitator", "admin_user"])
def test_a_confirmed_deletion_leaves_nothing_personal(
    request, login, participant, kari_data, persona
):
    login(participant).post(DELETE)
    url = _confirm_url(participant)
    username, email, pk = participant.username, participant.email, participant.pk

    response = login(request.getfixturevalue(persona)).post(url)

    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert not Participant.objects.filter(pk=kari_data["participant"].pk).exists()
    assert not Registration.objects.filter(pk=kari_data["registration"].pk).exists()
    recipient = OutboxRecipient.objects.get(pk=kari_data["recipient"].pk)
    assert (recipient.name, recipient.email) == ("", "")
    invitation = Invitation.objects.get(pk=kari_data["invitation"].pk)
    assert (invitation.name, invitation.email) == ("", "")
    story = kari_data["story"]
    story.refresh_from_db()
    assert story.author is None  # the story stays with the project, without its author
    history = Measurement.history.filter(id=kari_data["measurement"].pk)
    assert history.exists()
    assert not history.filter(history_user_id=pk).exists()
    assert not history.filter(reported_by_id=pk).exists()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert not model.objects.filter(username=username).exists()
    assert not Invitation.objects.filter(email__iexact=email).exists()
    deletion_request = DeletionRequest.objects.get()
    assert deletion_request.user is None and deletion_request.confirmed_at is not None


@pytest.mark.parametrize("persona", ["leader_strand", "facilitator_other", "ministry"])
def test_only_the_persons_leader_facilitator_or_an_administrator_confirms(
    request, login, participant, persona
):
    login(participant).post(DELETE)
    url = _confirm_url(participant)
    client = login(request.getfixturevalue(persona))
    assert client.post(url).status_code in (403, 404)
    assert participant.get_full_name() not in client.get(REQUESTS).content.decode()
    assert User.objects.filter(pk=participant.pk).exists()


def test_nobody_confirms_their_own_deletion(login, leader_karmoy):
    client = login(leader_karmoy)
    client.post(DELETE)
    assert client.post(_confirm_url(leader_karmoy)).status_code == 404
    assert User.objects.filter(pk=leader_karmoy.pk).exists()


def test_confirming_is_a_post(login, participant, leader_karmoy):
    login(participant).post(DELETE)
    assert login(leader_karmoy).get(_confirm_url(participant)).status_code == 405
    assert User.objects.filter(pk=participant.pk).exists()


# --- Sign-in logs -----------------------------------------------------------------------------


def _log(model, days_ago, now, **fields):
    entry = model.objects.create(
        username="kari", ip_address="10.0.0.1", user_agent="Firefox", **fields
    )
    model.objects.filter(pk=entry.pk).update(attempt_time=now - datetime.timedelta(days=days_ago))
    return entry


def test_sign_in_logs_are_deleted_after_90_days(db):
    now = timezone.now()
    old = [
        _log(AccessLog, 91, now),
        _log(AccessAttempt, 91, now, failures_since_start=1),
        _log(AccessFailureLog, 91, now),
    ]
    recent = _log(AccessLog, 89, now)

    assert purge_personal_data(now=now)["sign_in_logs"] == 3

    for entry in old:
        assert not type(entry).objects.filter(pk=entry.pk).exists()
    assert AccessLog.objects.filter(pk=recent.pk).exists()
    assert purge_personal_data(now=now)["sign_in_logs"] == 0


def test_sign_in_log_retention_follows_the_setting(db, settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 10
    now = timezone.now()
    entry = _log(AccessLog, 11, now)
    purge_personal_data(now=now)
    assert not AccessLog.objects.filter(pk=entry.pk).exists()


# --- The purge on any database ----------------------------------------------------------------


def test_purge_runs_on_an_empty_database(db):
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "Oppføringer i innloggingsloggen slettet: 0" in out.getvalue()


def test_purge_runs_on_the_national_data_set(programme):
    call_command("generate_national_dataset", "--scale", "0.1", stdout=io.StringIO())
    first = purge_personal_data()
    assert set(first) == {"health_data", "outbox", "invitations", "sign_in_logs"}
    assert not any(purge_personal_data().values())  # idempotent
    assert (
        not Registration.objects.exclude(dietary_notes="")
        .filter(gathering__end_date__lt=timezone.localdate() - datetime.timedelta(days=30))
        .exists()
    )


# --- The privacy statement --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "heading", "health"),
    [
        ("", "Personvernerklæring", "30 dager etter samlingens siste dag"),
        ("/nn", "Personvernerklæring", "30 dagar etter den siste dagen i samlinga"),
        ("/en", "Privacy statement", "30 days after the gathering's last day"),
    ],
    ids=["nb", "nn", "en"],
)
def test_privacy_statement_says_what_is_kept_and_for_how_long(
    client, programme, prefix, heading, health
):
    response = client.get(f"{prefix}/personvern/")
    content = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in content
    assert health in content.replace("&#x27;", "'")
    assert "90" in content and "personvern@example.org" in content
    assert f'href="{prefix}/personvern/"' in content  # the footer links to it


def test_privacy_statement_follows_the_retention_settings(client, programme, settings):
    settings.HEALTH_DATA_RETENTION_DAYS = 14
    settings.SIGN_IN_LOG_RETENTION_DAYS = 60
    content = client.get("/en/personvern/").content.decode()
    assert "14 days after the gathering" in content and "after 60 days" in content


def test_administrators_see_the_requests_in_the_admin_but_cannot_edit_them(
    login, admin_user, participant
):
    DeletionRequest.objects.create(user=participant)
    client = login(admin_user)
    response = client.get("/admin/network/deletionrequest/")
    assert participant.get_full_name() in response.content.decode()
    assert client.get("/admin/network/deletionrequest/add/").status_code == 403
