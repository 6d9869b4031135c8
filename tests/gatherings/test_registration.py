"""Registering participants: who may register whom, deadline, capacity, the bill."""

import datetime

import pytest
from django.urls import reverse

from gatherings.models import Gathering, Registration
from gatherings.rules import registrable_participants
from municipalities.models import Participant
from tests.gatherings.conftest import en_url, in_days

pytestmark = pytest.mark.django_db


def form_data(gathering, **overrides) -> dict:
    days = [day.isoformat() for day in gathering.days]
    data = {
        "days": days,
        "dinner_days": days[:1],
        "overnight": "on",
        "drinks": "alcohol_free",
        "diets": ["no_shellfish"],
        "dietary_notes": "Nøtteallergi (alvorlig)",
    }
    data.update(overrides)
    return data


def register_url(gathering, participant) -> str:
    return reverse("gatherings:register", args=[gathering.pk, participant.pk])


def test_project_leader_registers_two_participants_with_their_needs(
    login, leader_karmoy, karmoy_people, coming_gathering
):
    client = login(leader_karmoy)
    overview = client.get(reverse("gatherings:registration", args=[coming_gathering.pk]))
    assert overview.status_code == 200
    assert "Ola Ordfører" in overview.content.decode()
    politician, union_rep = karmoy_people
    response = client.post(
        register_url(coming_gathering, politician), form_data(coming_gathering, settles_bill="on")
    )
    assert response.status_code == 302
    client.post(
        register_url(coming_gathering, union_rep),
        form_data(coming_gathering, dinner_days=[], drinks="wine", diets=[], dietary_notes=""),
    )
    first = Registration.objects.get(participant=politician)
    assert first.days == [day.isoformat() for day in coming_gathering.days]
    assert first.dinner_days == [coming_gathering.days[0].isoformat()]
    assert first.overnight and first.settles_bill
    assert first.diets == ["no_shellfish"]
    assert first.dietary_notes == "Nøtteallergi (alvorlig)"
    assert first.municipality.number == "1149"
    assert first.registered_by == leader_karmoy
    second = Registration.objects.get(participant=union_rep)
    assert second.drinks == "wine" and second.dinner_days == []


def test_a_participant_registers_themselves(login, participant, coming_gathering):
    me = Participant.objects.get(user=participant)
    response = login(participant).post(
        register_url(coming_gathering, me), form_data(coming_gathering)
    )
    assert response.status_code == 302
    assert Registration.objects.get(participant=me).is_active


@pytest.mark.parametrize(
    "persona",
    [
        pytest.param("participant", id="a participant cannot register someone else"),
        pytest.param("leader_strand", id="a leader cannot register another project's people"),
    ],
)
def test_only_those_responsible_register_someone(
    login, request, persona, karmoy_people, coming_gathering
):
    response = login(request.getfixturevalue(persona)).post(
        register_url(coming_gathering, karmoy_people[0]), form_data(coming_gathering)
    )
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_someone_with_nobody_to_register_is_refused(login, ministry, coming_gathering):
    response = login(ministry).get(reverse("gatherings:registration", args=[coming_gathering.pk]))
    assert response.status_code == 403


def test_days_must_be_the_gatherings_days(login, leader_karmoy, karmoy_people, coming_gathering):
    response = login(leader_karmoy).post(
        en_url("gatherings:register", coming_gathering.pk, karmoy_people[0].pk),
        form_data(coming_gathering, days=[in_days(40).isoformat()]),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = login(leader_karmoy).post(
        en_url("gatherings:register", coming_gathering.pk, karmoy_people[0].pk),
        form_data(coming_gathering, days=[]),
    )
    assert "Choose at least one day." in response.content.decode()
    assert not Registration.objects.exists()


def test_dinner_only_on_days_attending(login, leader_karmoy, karmoy_people, coming_gathering):
    response = login(leader_karmoy).post(
        en_url("gatherings:register", coming_gathering.pk, karmoy_people[0].pk),
        form_data(
            coming_gathering,
            days=[coming_gathering.days[1].isoformat()],
            dinner_days=[coming_gathering.days[0].isoformat()],
        ),
    )
    assert "Choose dinner only on days you attend." in response.content.decode()


def test_one_person_per_municipality_settles_the_bill(
    login, leader_karmoy, karmoy_people, coming_gathering
):
    client = login(leader_karmoy)
    politician, union_rep = karmoy_people
    client.post(
        register_url(coming_gathering, politician), form_data(coming_gathering, settles_bill="on")
    )
    response = client.post(
        en_url("gatherings:register", coming_gathering.pk, union_rep.pk),
        form_data(coming_gathering, settles_bill="on"),
    )
    assert response.status_code == 200
    assert "Ola Ordfører already settles the bill for Karmøy." in response.content.decode()
    assert not Registration.objects.filter(participant=union_rep).exists()
    # Once the first one cancels, the other can take the bill.
    client.post(reverse("gatherings:cancel", args=[coming_gathering.pk, politician.pk]))
    client.post(
        register_url(coming_gathering, union_rep), form_data(coming_gathering, settles_bill="on")
    )
    assert Registration.objects.get(participant=union_rep).settles_bill


def test_a_full_gathering_says_so(login, leader_karmoy, karmoy_people, coming_gathering):
    Gathering.objects.filter(pk=coming_gathering.pk).update(capacity=1)
    client = login(leader_karmoy)
    politician, union_rep = karmoy_people
    client.post(register_url(coming_gathering, politician), form_data(coming_gathering))
    response = client.post(
        en_url("gatherings:register", coming_gathering.pk, union_rep.pk),
        form_data(coming_gathering),
    )
    assert "The gathering is full: all 1 places are taken." in response.content.decode()
    assert not Registration.objects.filter(participant=union_rep).exists()
    # The one registered can still change their registration.
    response = client.post(
        register_url(coming_gathering, politician), form_data(coming_gathering, overnight="")
    )
    assert response.status_code == 302
    assert not Registration.objects.get(participant=politician).overnight


def test_changes_and_cancellation_until_the_deadline(
    login, leader_karmoy, karmoy_people, coming_gathering
):
    client = login(leader_karmoy)
    politician = karmoy_people[0]
    client.post(register_url(coming_gathering, politician), form_data(coming_gathering))
    assert (
        client.get(
            reverse("gatherings:cancel", args=[coming_gathering.pk, politician.pk])
        ).status_code
        == 200
    )
    client.post(reverse("gatherings:cancel", args=[coming_gathering.pk, politician.pk]))
    registration = Registration.objects.get(participant=politician)
    assert not registration.is_active
    # Registering again after a cancellation reuses the registration.
    client.post(register_url(coming_gathering, politician), form_data(coming_gathering))
    registration.refresh_from_db()
    assert registration.is_active

    Gathering.objects.filter(pk=coming_gathering.pk).update(
        registration_deadline=in_days(-1), start_date=in_days(3), end_date=in_days(4)
    )
    response = client.post(
        en_url("gatherings:register", coming_gathering.pk, politician.pk),
        form_data(coming_gathering, overnight=""),
    )
    assert "The registration deadline has passed." in response.content.decode()
    client.post(reverse("gatherings:cancel", args=[coming_gathering.pk, politician.pk]))
    registration.refresh_from_db()
    assert registration.is_active and registration.overnight


def test_the_facilitator_can_change_registrations_after_the_deadline(
    login, facilitator, karmoy_people, coming_gathering
):
    Gathering.objects.filter(pk=coming_gathering.pk).update(registration_deadline=in_days(-1))
    response = login(facilitator).post(
        register_url(coming_gathering, karmoy_people[0]), form_data(coming_gathering)
    )
    assert response.status_code == 302
    assert Registration.objects.filter(participant=karmoy_people[0]).exists()


def test_registration_opens_when_published(login, leader_karmoy, karmoy_people, second_gathering):
    Gathering.objects.filter(pk=second_gathering.pk).update(start_date=datetime.date(2012, 9, 20))
    # A draft is not visible to the project leader at all.
    response = login(leader_karmoy).get(register_url(second_gathering, karmoy_people[0]))
    assert response.status_code == 404


def test_the_programme_page_invites_to_register(login, leader_karmoy, coming_gathering):
    page = login(leader_karmoy).get(en_url("gatherings:detail", coming_gathering.pk))
    assert reverse("gatherings:registration", args=[coming_gathering.pk]) in page.content.decode()
    anonymous = login(None).get(en_url("gatherings:detail", coming_gathering.pk))
    assert (
        reverse("gatherings:registration", args=[coming_gathering.pk])
        not in anonymous.content.decode()
    )


@pytest.mark.parametrize(
    "persona", ["participant", "leader_karmoy", "leader_strand", "facilitator", "ministry"]
)
def test_the_rule_and_the_queryset_agree_on_whom_a_user_may_register(
    request, persona, karmoy_people, coming_gathering, strand
):
    user = request.getfixturevalue(persona)
    everyone = Participant.objects.filter(local_project__network=coming_gathering.network)
    allowed = set(registrable_participants(user, coming_gathering))
    assert allowed == {p for p in everyone if user.has_perm("gatherings.register_participant", p)}


def test_registration_closes_by_itself_when_the_gathering_is_over(coming_gathering):
    from gatherings.models import Gathering

    Gathering.objects.filter(pk=coming_gathering.pk).update(
        start_date=in_days(-3), end_date=in_days(-2), registration_deadline=None
    )
    coming_gathering.refresh_from_db()
    assert not coming_gathering.is_registration_open
    Gathering.objects.filter(pk=coming_gathering.pk).update(end_date=in_days(0))
    coming_gathering.refresh_from_db()
    assert coming_gathering.is_registration_open  # still open on the last day


def test_the_sign_up_form_says_one_thing_about_who_sees_diet_notes(
    login, leader_karmoy, karmoy_people, coming_gathering
):
    from django.urls import reverse

    politician = karmoy_people[0]
    page = login(leader_karmoy).get(
        reverse("gatherings:register", args=[coming_gathering.pk, politician.pk])
    )
    text = page.content.decode()
    assert text.count("prosessveilederen i nettverket ser dem") == 1
    assert "Ses bare av prosessveilederen" not in text
    assert "slettes 30 dager etter samlingen" in text


def test_a_registered_person_gets_a_confirmation_with_the_calendar_and_one_on_each_change(
    login, leader_karmoy, karmoy_people, coming_gathering
):
    from core.models import OutboxMessage
    from network.models import MailKind

    politician, union_rep = karmoy_people
    Participant.objects.filter(pk=politician.pk).update(email="ola@karmoy.example")
    Participant.objects.filter(pk=union_rep.pk).update(email="")
    client = login(leader_karmoy)
    client.post(register_url(coming_gathering, politician), form_data(coming_gathering))
    client.post(register_url(coming_gathering, union_rep), form_data(coming_gathering))

    confirmation = OutboxMessage.objects.get(kind=MailKind.REGISTRATION)
    assert [r.email for r in confirmation.recipients.all()] == ["ola@karmoy.example"]
    assert coming_gathering.display_title in confirmation.subject
    assert "Ola Ordfører" in confirmation.body
    assert confirmation.attachment_name == f"samling-{coming_gathering.pk}.ics"
    assert confirmation.attachment_type.startswith("text/calendar")
    assert confirmation.attachment.startswith("BEGIN:VCALENDAR")
    assert "Quality Hotel Strand" in confirmation.body

    client.post(register_url(coming_gathering, politician), form_data(coming_gathering))
    registration = Registration.objects.get(participant=politician)
    client.post(reverse("gatherings:cancel", args=[coming_gathering.pk, politician.pk]))
    registration.refresh_from_db()
    assert not registration.is_active
    subjects = list(
        OutboxMessage.objects.filter(kind=MailKind.REGISTRATION)
        .order_by("pk")
        .values_list("subject", "attachment_name")
    )
    assert len(subjects) == 3  # registered, changed, cancelled; the union rep has no address
    assert subjects[2][1] == ""  # a cancellation carries no calendar


def test_the_confirmation_reaches_the_participant_with_the_ics_attached(
    login, leader_karmoy, karmoy_people, coming_gathering, mailoutbox, settings
):
    from tests.tasks_helpers import run_queued_tasks, use_database_queue

    use_database_queue(settings)
    politician = karmoy_people[0]
    Participant.objects.filter(pk=politician.pk).update(email="ola@karmoy.example")
    login(leader_karmoy).post(
        register_url(coming_gathering, politician), form_data(coming_gathering)
    )
    run_queued_tasks()
    sent = [m for m in mailoutbox if m.to == ["ola@karmoy.example"]]
    assert len(sent) == 1
    ((name, content, mimetype),) = sent[0].attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
