"""Publishing a programme, sending its changes in one e-mail, and the outbox."""

import datetime

import pytest
from django.urls import reverse

from core.models import DeliveryStatus, OutboxMessage
from gatherings.models import AgendaItem, Gathering, GatheringStatus
from gatherings.selectors import agenda_items
from municipalities.models import ParticipantRole
from network.models import MailKind
from tests.gatherings.conftest import add_participant, en_url
from tests.gatherings.test_editor import gathering_data, item_data, rivenes
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_people(karmoy, strand):
    """Three participants with an address in the Omdømme network, and one without."""
    return [
        add_participant(karmoy, "Ola Ordfører", ParticipantRole.POLITICIAN),
        add_participant(karmoy, "Tina Tillitsvalgt", ParticipantRole.UNION_REPRESENTATIVE),
        add_participant(strand, "Sigrid Strand", ParticipantRole.LEADER, leader=True),
        add_participant(strand, "Uten Adresse", ParticipantRole.HR, email=""),
    ]


@pytest.fixture
def dated_draft(second_gathering):
    Gathering.objects.filter(pk=second_gathering.pk).update(
        start_date=datetime.date(2012, 9, 20), end_date=datetime.date(2012, 9, 21), venue="Sola"
    )
    second_gathering.refresh_from_db()
    AgendaItem.objects.create(
        gathering=second_gathering,
        date=datetime.date(2012, 9, 20),
        start=datetime.time(10, 0),
        end=datetime.time(11, 0),
        title="Velkommen tilbake",
        position=1,
    )
    return second_gathering


def test_publishing_emails_the_programme_to_each_participant(
    login, facilitator, network_people, dated_draft, mailoutbox
):
    client = login(facilitator)
    assert client.get(reverse("gatherings:publish", args=[dated_draft.pk])).status_code == 200
    response = client.post(reverse("gatherings:publish", args=[dated_draft.pk]))
    assert response.status_code == 302
    dated_draft.refresh_from_db()
    assert dated_draft.status == GatheringStatus.PUBLISHED
    assert dated_draft.published_at is not None
    assert next(iter(dated_draft.notified_programme["items"].values()))["title"] == (
        "Velkommen tilbake"
    )
    # One copy per address; nobody sees the others' addresses.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ola@example.org",
        "sigrid@example.org",
        "tina@example.org",
    ]
    assert all(len(m.to) == 1 for m in mailoutbox)
    body = mailoutbox[0].body
    assert "Velkommen tilbake" in body
    assert "10.00–11.00" in body
    assert f"/samlinger/{dated_draft.pk}/" in body
    assert f"/samlinger/{dated_draft.pk}/kalender.ics" in body
    message = OutboxMessage.objects.get(gathering=dated_draft)
    assert message.kind == MailKind.PUBLISHED
    assert message.sent_by == facilitator
    assert {r.status for r in message.recipients.all()} == {DeliveryStatus.SENT}


def test_publishing_needs_dates(login, facilitator, second_gathering, mailoutbox):
    response = login(facilitator).post(
        en_url("gatherings:publish", second_gathering.pk), follow=True
    )
    assert "Give the gathering its dates before you publish it." in response.content.decode()
    second_gathering.refresh_from_db()
    assert second_gathering.status == GatheringStatus.DRAFT
    assert mailoutbox == []


def assert_sent_once(mailoutbox, gathering) -> None:
    """The network's three people got one e-mail each, kept as one message in the outbox."""
    assert len(mailoutbox) == 3
    assert OutboxMessage.objects.filter(gathering=gathering).count() == 1


def test_publishing_twice_sends_once(login, facilitator, network_people, dated_draft, mailoutbox):
    client = login(facilitator)
    client.post(reverse("gatherings:publish", args=[dated_draft.pk]))
    client.post(reverse("gatherings:publish", args=[dated_draft.pk]))
    assert_sent_once(mailoutbox, dated_draft)


def test_changes_are_collected_and_sent_in_one_email_that_names_them(
    login, facilitator, network_people, first_gathering, mailoutbox
):
    client = login(facilitator)
    talk = rivenes(first_gathering)
    client.post(
        reverse("gatherings:item_edit", args=[first_gathering.pk, talk.pk]),
        item_data(talk, start="10:30"),
    )
    client.post(
        reverse("gatherings:item_create", args=[first_gathering.pk]),
        item_data(title="Kaffe og kaker", start="16:50", end="17:00", kind="break"),
    )
    lunch = first_gathering.agenda_items.get(title="Lunsj")
    client.post(reverse("gatherings:item_delete", args=[first_gathering.pk, lunch.pk]))
    assert mailoutbox == []  # nothing is sent on save

    editor = client.get(en_url("gatherings:agenda", first_gathering.pk)).content.decode()
    assert "3 changes not yet sent to participants" in editor
    assert "Time: 10.20 → 10.30" in editor

    response = client.post(reverse("gatherings:send_changes", args=[first_gathering.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 3
    body = mailoutbox[0].body
    assert "Saman om ein betre kommune – hva og hvorfor?" in body
    assert "10.20 → 10.30" in body
    assert "Kaffe og kaker" in body
    assert "Lunsj" in body
    assert "Endringer" in mailoutbox[0].subject or "Changes" in mailoutbox[0].subject

    # Sent: nothing is pending any more, and sending again sends nothing.
    client.post(reverse("gatherings:send_changes", args=[first_gathering.pk]))
    assert_sent_once(mailoutbox, first_gathering)


def test_changed_dates_and_venue_are_named(
    login, facilitator, network_people, first_gathering, mailoutbox
):
    client = login(facilitator)
    client.post(
        reverse("gatherings:edit", args=[first_gathering.pk]),
        gathering_data(
            first_gathering, start_date="2012-02-23", end_date="2012-02-24", venue="Solstrand"
        ),
    )
    client.post(reverse("gatherings:send_changes", args=[first_gathering.pk]))
    body = mailoutbox[0].body
    assert "Solstrand" in body
    assert "23." in body and "16." in body  # the old and the new first day
    # The items moved with the dates, so each is listed as changed, not removed and added.
    assert "Lunsj" in body


def test_send_changes_page_shows_the_changes_and_the_email(
    login, facilitator, network_people, first_gathering
):
    client = login(facilitator)
    talk = rivenes(first_gathering)
    client.post(
        reverse("gatherings:item_edit", args=[first_gathering.pk, talk.pk]),
        item_data(talk, title="Hva og hvorfor?"),
    )
    page = client.get(en_url("gatherings:send_changes", first_gathering.pk)).content.decode()
    assert "Title: Saman om ein betre kommune – hva og hvorfor? → Hva og hvorfor?" in page
    assert "3 participants" in page


def test_a_failed_delivery_is_recorded_and_can_be_sent_again(
    login, facilitator, karmoy, dated_draft, settings, mailoutbox
):
    add_participant(karmoy, "Ola Ordfører", ParticipantRole.POLITICIAN)
    add_participant(karmoy, "Feil Adresse", ParticipantRole.HR, email="fail@example.org")
    settings.EMAIL_BACKEND = "tests.gatherings.mail_backends.FailingForSomeBackend"
    client = login(facilitator)
    response = client.post(en_url("gatherings:publish", dated_draft.pk), follow=True)
    assert response.status_code == 200
    assert "could not be sent to 1 of 2 recipients" in response.content.decode()
    dated_draft.refresh_from_db()
    assert dated_draft.is_published
    message = OutboxMessage.objects.get(gathering=dated_draft)
    failed = message.recipients.get(email="fail@example.org")
    assert failed.status == DeliveryStatus.FAILED
    assert "No such user" in failed.error
    assert message.recipients.get(email="ola@example.org").status == DeliveryStatus.SENT

    outbox = client.get(en_url("gatherings:outbox", dated_draft.pk)).content.decode()
    assert "1 failed" in outbox
    assert "Send again to those who failed" in outbox

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(reverse("gatherings:resend", args=[dated_draft.pk, message.pk]))
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [m.to for m in mailoutbox] == [["ola@example.org"], ["fail@example.org"]]


def test_an_unreachable_mail_server_fails_every_copy_without_a_crash(
    login, facilitator, network_people, dated_draft, settings
):
    settings.EMAIL_BACKEND = "tests.gatherings.mail_backends.UnreachableBackend"
    response = login(facilitator).post(reverse("gatherings:publish", args=[dated_draft.pk]))
    assert response.status_code == 302
    message = OutboxMessage.objects.get(gathering=dated_draft)
    assert {r.status for r in message.recipients.all()} == {DeliveryStatus.FAILED}


def test_back_to_draft_tells_those_who_were_sent_the_programme(
    login, facilitator, network_people, first_gathering, mailoutbox
):
    client = login(facilitator)
    assert client.get(reverse("gatherings:unpublish", args=[first_gathering.pk])).status_code == 200
    client.post(reverse("gatherings:unpublish", args=[first_gathering.pk]))
    first_gathering.refresh_from_db()
    assert first_gathering.status == GatheringStatus.DRAFT
    assert len(mailoutbox) == 3
    assert OutboxMessage.objects.get(gathering=first_gathering).kind == MailKind.WITHDRAWN
    assert login(None).get(first_gathering.get_absolute_url()).status_code == 404


def test_outbox_shows_what_was_sent_to_whom(
    login, facilitator, ministry, participant, network_people, dated_draft
):
    login(facilitator).post(reverse("gatherings:publish", args=[dated_draft.pk]))
    page = login(ministry).get(reverse("gatherings:outbox", args=[dated_draft.pk]))
    content = page.content.decode()
    assert "Ola Ordfører" in content and "ola@example.org" in content
    assert "Velkommen tilbake" in content
    assert "Send again" not in content  # ministry staff read only
    assert (
        login(participant).get(reverse("gatherings:outbox", args=[dated_draft.pk])).status_code
        == 403
    )


def test_publishing_a_gathering_with_a_line_break_in_its_title_sends_every_copy(
    login, facilitator, network_people, dated_draft, mailoutbox
):
    """A title stored before titles were checked: the subject is put on one line, and every
    copy goes out (none is recorded as failed)."""
    Gathering.objects.filter(pk=dated_draft.pk).update(title="Andre\nsamling\r\nBcc: x@example.org")
    response = login(facilitator).post(reverse("gatherings:publish", args=[dated_draft.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 3
    subject = "Program: Andre samling Bcc: x@example.org – Omdømme"
    assert {m.subject for m in mailoutbox} == {subject}
    assert all(m.recipients() == m.to and len(m.to) == 1 for m in mailoutbox)
    message = OutboxMessage.objects.get(gathering=dated_draft)
    assert message.subject == subject
    assert {r.status for r in message.recipients.all()} == {DeliveryStatus.SENT}


# --- Sent by the worker -----------------------------------------------------------------------


def test_publishing_queues_the_programme_and_the_page_says_so(
    login, facilitator, network_people, dated_draft, mailoutbox, settings
):
    use_database_queue(settings)
    client = login(facilitator)
    response = client.post(en_url("gatherings:publish", dated_draft.pk), follow=True)
    page = response.content.decode()
    assert "0 sent, 0 failed, 3 queued." in page
    assert mailoutbox == []
    outbox_page = client.get(en_url("gatherings:outbox", dated_draft.pk)).content.decode()
    assert "0 of 3 sent" in outbox_page and "3 queued" in outbox_page

    run_queued_tasks()
    assert len(mailoutbox) == 3
    outbox_page = client.get(en_url("gatherings:outbox", dated_draft.pk)).content.decode()
    assert "3 of 3 sent" in outbox_page


def test_a_publish_whose_every_email_fails_says_so_and_raises_nothing(
    login, facilitator, karmoy, dated_draft, settings
):
    for i in range(21):
        add_participant(
            karmoy, f"Feil{i} Adresse", ParticipantRole.HR, email=f"fail{i}@example.org"
        )
    settings.EMAIL_BACKEND = "tests.gatherings.mail_backends.FailingForSomeBackend"
    response = login(facilitator).post(en_url("gatherings:publish", dated_draft.pk), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be sent to 21 of 21 recipients" in page
    assert "0 sent, 21 failed, 0 queued." in page
    message = OutboxMessage.objects.get(gathering=dated_draft)
    assert message.recipients.filter(status=DeliveryStatus.FAILED).count() == 21


def test_the_programme_email_lists_the_items_in_the_order_of_the_page(
    login, facilitator, network_people, first_gathering, mailoutbox
):
    Gathering.objects.filter(pk=first_gathering.pk).update(status=GatheringStatus.DRAFT)
    login(facilitator).post(reverse("gatherings:publish", args=[first_gathering.pk]))
    lines = [line for line in mailoutbox[0].body.splitlines() if line.startswith("- ")]
    page_order = list(agenda_items(first_gathering))
    assert len(lines) == len(page_order) == 16
    for line, item in zip(lines, page_order, strict=True):
        assert f": {item.title}" in line
    # The closing of the second day has no time: last, as on the page, not first.
    assert ": Oppsummering – neste samling" in lines[-1]
    assert lines[-1].startswith("- fredag 17. februar 2012")


def test_changes_are_listed_in_the_order_of_the_page(
    login, facilitator, network_people, dated_draft, mailoutbox
):
    client = login(facilitator)
    client.post(reverse("gatherings:publish", args=[dated_draft.pk]))
    day = datetime.date(2012, 9, 20)
    untimed = AgendaItem.objects.create(
        gathering=dated_draft, date=day, title="Oppsummering", position=3
    )
    AgendaItem.objects.create(
        gathering=dated_draft,
        date=day,
        start=datetime.time(12, 0),
        end=datetime.time(13, 0),
        title="Lunsj",
        position=2,
    )
    client.post(reverse("gatherings:send_changes", args=[dated_draft.pk]))
    body = mailoutbox[-1].body
    assert body.index(": Lunsj") < body.index(f": {untimed.title}")
