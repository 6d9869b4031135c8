"""Diet, allergy and drinks notes are health data: deleted a set time after the gathering's last
day (``HEALTH_DATA_RETENTION_DAYS``, 30 by default), and the outbox forgets removed people."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core.models import OutboxRecipient
from core.personal_data import purge as purge_personal_data
from gatherings import services
from gatherings.models import Registration
from municipalities.models import Participant
from tests.factories import ParticipantFactory
from tests.gatherings.factories import RegistrationFactory, programme_sent_to

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def at(year, month, day) -> datetime.datetime:
    return datetime.datetime(year, month, day, 3, 0, tzinfo=OSLO)


@pytest.fixture
def allergy_note(first_gathering, karmoy):
    """A registration for the 1. samling (16–17 February 2012) with a nut allergy."""
    assert first_gathering.end_date == datetime.date(2012, 2, 17)
    return RegistrationFactory(
        gathering=first_gathering,
        participant=ParticipantFactory(local_project=karmoy, name="Nora Nøtt"),
        diets=["no_nuts", "vegetarian"],
        dietary_notes="Alvorlig nøtteallergi, har adrenalinpenn.",
        drinks="alcohol_free",
    )


def test_allergy_notes_from_february_2012_are_deleted_30_days_after_the_gathering(allergy_note):
    counts = purge_personal_data(now=at(2012, 3, 19))
    allergy_note.refresh_from_db()
    assert counts["health_data"] == 1
    assert (allergy_note.diets, allergy_note.dietary_notes, allergy_note.drinks) == ([], "", "")
    # That the person came is kept: the registration and its days stay.
    assert allergy_note.days == ["2012-02-16", "2012-02-17"]


def test_allergy_notes_are_kept_for_30_days_after_the_last_day(allergy_note):
    counts = purge_personal_data(now=at(2012, 3, 18))
    allergy_note.refresh_from_db()
    assert counts["health_data"] == 0
    assert allergy_note.dietary_notes == "Alvorlig nøtteallergi, har adrenalinpenn."


def test_health_data_retention_follows_the_setting(allergy_note, settings):
    settings.HEALTH_DATA_RETENTION_DAYS = 7
    purge_personal_data(now=at(2012, 2, 25))
    allergy_note.refresh_from_db()
    assert allergy_note.dietary_notes == ""


def test_a_coming_gathering_keeps_its_allergy_notes(coming_gathering, karmoy):
    registration = RegistrationFactory(
        gathering=coming_gathering,
        participant=ParticipantFactory(local_project=karmoy),
        dietary_notes="Skalldyrallergi",
    )
    purge_personal_data()
    registration.refresh_from_db()
    assert registration.dietary_notes == "Skalldyrallergi"


def test_purge_is_idempotent_and_a_dry_run_changes_nothing(allergy_note):
    assert purge_personal_data(now=at(2012, 4, 1), dry_run=True)["health_data"] == 1
    allergy_note.refresh_from_db()
    assert allergy_note.dietary_notes != ""
    assert purge_personal_data(now=at(2012, 4, 1))["health_data"] == 1
    assert purge_personal_data(now=at(2012, 4, 1))["health_data"] == 0


def test_purge_command_prints_what_it_deleted(allergy_note):
    dry = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=dry)
    assert "prøvekjøring" in dry.getvalue()
    assert "merknadene om kostbehov og allergier ble slettet: 1" in dry.getvalue()
    assert Registration.objects.get(pk=allergy_note.pk).dietary_notes != ""

    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "merknadene om kostbehov og allergier ble slettet: 1" in out.getvalue()
    assert Registration.objects.get(pk=allergy_note.pk).dietary_notes == ""

    again = StringIO()
    call_command("purge_personal_data", stdout=again)
    assert "merknadene om kostbehov og allergier ble slettet: 0" in again.getvalue()


def test_a_removed_participants_name_and_address_leave_the_outbox(first_gathering, karmoy):
    removed = ParticipantFactory(local_project=karmoy, name="Rita Fjernet", email="rita@x.no")
    staying = ParticipantFactory(local_project=karmoy, name="Siri Blir", email="siri@x.no")
    gone, kept = (
        programme_sent_to(first_gathering, removed),
        programme_sent_to(first_gathering, staying),
    )
    Participant.objects.filter(pk=removed.pk).delete()

    counts = purge_personal_data()

    gone.refresh_from_db()
    kept.refresh_from_db()
    assert counts["outbox"] == 1
    assert (gone.name, gone.email) == ("", "")
    assert (kept.name, kept.email) == ("Siri Blir", "siri@x.no")
    assert not OutboxRecipient.objects.filter(email="rita@x.no").exists()


def test_health_data_cutoff_is_the_retention_before_today(settings):
    settings.HEALTH_DATA_RETENTION_DAYS = 30
    assert services.health_data_cutoff(at(2012, 3, 19)) == datetime.date(2012, 2, 18)
