"""A relay that breaks halfway through a send of survey invitations: what went out is counted
once, what did not waits for a retry, and no address gets its invitation twice."""

import smtplib
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from core import outbox
from core.models import DeliveryStatus, OutboxMessage
from network.models import MailKind
from surveys.models import SurveyInvitation
from surveys.services import send_invitations
from tests.surveys.factories import open_run
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db

INVITATIONS = 250
GOES_THROUGH = 150  # more than one chunk of the outbox (100) is saved as sent


class RelayBreaksHalfway(EmailBackend):
    """Delivers ``limit`` e-mails, then drops every connection until ``limit`` is None."""

    limit: int | None = GOES_THROUGH

    def send_messages(self, messages):
        if self.limit is not None and len(mail.outbox) >= self.limit:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def relay(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RelayBreaksHalfway"
    use_database_queue(settings)
    RelayBreaksHalfway.limit = GOES_THROUGH
    yield RelayBreaksHalfway
    RelayBreaksHalfway.limit = GOES_THROUGH


def invite(run, key: str) -> OutboxMessage:
    return send_invitations(
        run=run,
        addresses=[f"ansatt{i}@karmoy.kommune.example" for i in range(INVITATIONS)],
        message=lambda token: ("Spørjeundersøking", f"Lenkja di: /svar/{token}/"),
        idempotency_key=key,
    )


def test_a_relay_that_breaks_halfway_leaves_a_true_count_and_sends_the_rest_once(
    relay, karmoy, baseline
):
    run = open_run(karmoy, baseline)
    message = invite(run, "survey-invitations:test:1")
    assert run_queued_tasks() == 1  # the retry waits for its back-off

    run.refresh_from_db()
    assert run.invitations_sent == GOES_THROUGH
    statuses = Counter(message.recipients.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.SENT: GOES_THROUGH, DeliveryStatus.PENDING: 100}
    # The links of the e-mails not sent yet still work: they will go out.
    assert SurveyInvitation.objects.filter(run=run).count() == INVITATIONS

    # The same form again (a retry of the request) sends nothing new.
    assert invite(run, "survey-invitations:test:1").pk == message.pk
    assert OutboxMessage.objects.filter(kind=MailKind.SURVEY_INVITATION).count() == 1

    relay.limit = None
    outbox.deliver(message.pk)  # the retry, once its back-off has passed
    run.refresh_from_db()
    assert run.invitations_sent == INVITATIONS
    sent_to = Counter(m.to[0] for m in mail.outbox)
    assert len(sent_to) == INVITATIONS and set(sent_to.values()) == {1}
    # Counted once: another delivery run of the same message counts nothing more.
    outbox.deliver(message.pk)
    run.refresh_from_db()
    assert run.invitations_sent == INVITATIONS


def test_a_send_that_fails_for_good_halfway_counts_only_what_went_out(
    relay, karmoy, baseline, settings
):
    settings.MAIL_MAX_ATTEMPTS = 1
    run = open_run(karmoy, baseline)
    message = invite(run, "survey-invitations:test:2")
    run_queued_tasks()
    run.refresh_from_db()
    assert run.invitations_sent == GOES_THROUGH
    assert message.recipients.filter(status=DeliveryStatus.FAILED).count() == 100
    # A link whose e-mail never went out does not work.
    assert SurveyInvitation.objects.filter(run=run).count() == GOES_THROUGH


def test_a_send_that_dies_inside_its_transaction_leaves_nothing_to_send(karmoy, baseline):
    """The request dies (a statement timeout, gunicorn's timeout) after the links were made:
    nothing is recorded, so the retry of the form is the first and only send."""
    run = open_run(karmoy, baseline)

    def dies(token):
        raise TimeoutError("canceling statement due to statement timeout")

    with pytest.raises(TimeoutError):
        send_invitations(
            run=run, addresses=["a@kommune.example"], message=dies, idempotency_key="k"
        )
    assert not SurveyInvitation.objects.filter(run=run).exists()
    assert not OutboxMessage.objects.exists()
    invite(run, "k")
    assert OutboxMessage.objects.get().recipients.count() == INVITATIONS
