"""Background work: every e-mail is recorded in the outbox and sent by the worker, never in a
request; temporary failures are tried again with back-off, permanent ones recorded, none
raised; password reset costs the same for known and unknown addresses; the scheduler; the
queue in /healthz."""

import datetime
import json
import smtplib
from importlib import import_module

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import outbox, scheduler
from core.models import DeliveryStatus, OutboxMessage, OutboxRecipient, ScheduledJob
from network.models import MailKind
from tests import mail_guard
from tests.factories import UserFactory
from tests.tasks_helpers import run_queued_tasks, use_database_queue

pytestmark = pytest.mark.django_db


class TemporarilyRefusingBackend(EmailBackend):
    """Answers 421 (try again later) to the first ``refusals`` messages, then delivers."""

    refusals = 1

    def send_messages(self, messages):
        if TemporarilyRefusingBackend.refusals > 0:
            TemporarilyRefusingBackend.refusals -= 1
            raise smtplib.SMTPResponseException(421, b"Service not available, try later")
        return super().send_messages(messages)


class PermanentlyRefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})


def record(*addresses, **kwargs):
    return outbox.record(
        kind=kwargs.pop("kind", MailKind.REPORTING_REMINDER),
        subject=kwargs.pop("subject", "Påminnelse"),
        body="Tekst",
        recipients=[outbox.Recipient(email=a) for a in addresses],
        **kwargs,
    )


# --- No mail in a request -------------------------------------------------------------------------


def test_sending_mail_inside_a_request_fails_the_test():
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        with pytest.raises(mail_guard.MailSentInRequest):
            EmailMessage("Emne", "Tekst", to=["kari@example.org"]).send()
    finally:
        request_finished.send(sender=None)
    assert mail.outbox == []


def test_a_request_only_records_and_queues_the_mail(settings, programme):
    use_database_queue(settings)
    message = record("kari@example.org", "ola@example.org")
    assert mail.outbox == []
    assert outbox.counts([message.pk])[message.pk] == outbox.DeliveryCounts(pending=2)
    assert DBTaskResult.objects.ready().count() == 1

    assert run_queued_tasks() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["kari@example.org", "ola@example.org"]
    assert outbox.counts([message.pk])[message.pk] == outbox.DeliveryCounts(sent=2)


def test_a_subject_with_a_line_break_is_sent_on_one_line(programme):
    record("kari@example.org", subject="Påminnelse:\nrunde 1")
    assert mail.outbox[0].subject == "Påminnelse: runde 1"


# --- Failures -------------------------------------------------------------------------------------


def test_a_temporary_smtp_error_is_tried_again_later(settings, programme):
    use_database_queue(settings)
    settings.EMAIL_BACKEND = f"{__name__}.TemporarilyRefusingBackend"
    TemporarilyRefusingBackend.refusals = 1
    message = record("kari@example.org")
    run_queued_tasks()
    copy = message.recipients.get()
    assert (copy.status, copy.attempts) == (DeliveryStatus.PENDING, 1)
    assert "421" in copy.error
    retry = DBTaskResult.objects.ready().first()
    assert retry is None  # waits for its back-off
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after > timezone.now() + datetime.timedelta(seconds=50)

    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    run_queued_tasks()
    copy.refresh_from_db()
    assert (copy.status, copy.attempts, copy.error) == (DeliveryStatus.SENT, 2, "")
    assert [m.to for m in mail.outbox] == [["kari@example.org"]]


def test_a_temporary_error_becomes_a_failure_after_the_last_attempt(settings, programme):
    settings.EMAIL_BACKEND = f"{__name__}.TemporarilyRefusingBackend"
    settings.MAIL_MAX_ATTEMPTS = 3
    TemporarilyRefusingBackend.refusals = 10
    message = record("kari@example.org")  # the immediate backend tries again at once
    copy = message.recipients.get()
    assert (copy.status, copy.attempts) == (DeliveryStatus.FAILED, 3)


def test_a_refused_address_is_recorded_as_failed_and_nothing_is_raised(settings, programme):
    settings.EMAIL_BACKEND = f"{__name__}.PermanentlyRefusingBackend"
    message = record("nobody@example.org")
    copy = message.recipients.get()
    assert (copy.status, copy.attempts) == (DeliveryStatus.FAILED, 1)
    assert "No such user" in copy.error


def test_failed_copies_can_be_queued_again(settings, programme):
    settings.EMAIL_BACKEND = f"{__name__}.PermanentlyRefusingBackend"
    message = record("nobody@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.retry_failed(message=message) == 1
    assert message.recipients.get().status == DeliveryStatus.SENT


def test_the_same_idempotency_key_records_one_message(settings, programme):
    use_database_queue(settings)
    first = record("kari@example.org", idempotency_key="form-1")
    again = record("kari@example.org", idempotency_key="form-1")
    assert first.pk == again.pk
    assert OutboxRecipient.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_personal_links_are_erased_from_the_outbox_once_delivered(programme):
    message = outbox.record(
        kind=MailKind.SURVEY_INVITATION,
        subject="Invitasjon",
        body="En invitasjon",
        recipients=[outbox.Recipient(email="kari@example.org", body="https://x/?i=SECRET")],
        forget_recipients=True,
    )
    assert "SECRET" in mail.outbox[0].body
    copy = message.recipients.get()
    assert (copy.status, copy.email, copy.body) == (DeliveryStatus.SENT, "", "")


# --- Every task is backend-agnostic ---------------------------------------------------------------


def test_every_queued_task_has_json_arguments_and_an_importable_function(
    settings, programme, client
):
    use_database_queue(settings)
    UserFactory(username="kari", email="kari@example.org")
    record("kari@example.org")
    client.post("/en/passord/glemt/", {"email": "kari@example.org"})
    call_command("run_scheduler", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    results = list(DBTaskResult.objects.all())
    assert {r.task_path.rsplit(".", 1)[1] for r in results} >= {
        "deliver_message",
        "send_password_reset",
        "run_scheduled_job",
    }
    for result in results:
        assert json.loads(json.dumps(result.args_kwargs)) == result.args_kwargs
        module, name = result.task_path.rsplit(".", 1)
        assert getattr(import_module(module), name).name == name


# --- Password reset in constant time --------------------------------------------------------------


@pytest.mark.parametrize("address", ["kari@karmoy.kommune.no", "nobody@example.org"])
def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(
    settings, programme, address, django_assert_num_queries
):
    UserFactory(username="kari", email="kari@karmoy.kommune.no")
    use_database_queue(settings)
    client = Client()
    client.get("/en/passord/glemt/")
    # The same queries whether or not the address has an account: no lookup, one task.
    with django_assert_num_queries(1):
        response = client.post("/en/passord/glemt/", {"email": address})
    assert response.status_code == 302
    assert mail.outbox == [] and not OutboxMessage.objects.exists()
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "network.tasks.send_password_reset"
    assert task.args_kwargs["kwargs"]["email"] == address

    run_queued_tasks()
    if address.startswith("kari"):
        assert [m.to for m in mail.outbox] == [[address]]
        assert OutboxMessage.objects.get().kind == MailKind.PASSWORD_RESET
    else:
        assert mail.outbox == [] and not OutboxMessage.objects.exists()


# --- The scheduler --------------------------------------------------------------------------------


def test_the_scheduler_starts_each_job_once_a_period(settings, programme):
    use_database_queue(settings)
    now = timezone.now()
    first = scheduler.start_due_jobs(now)
    assert {"purge_personal_data", "prune_task_results", "round_closing_reminders"} <= set(first)
    assert scheduler.start_due_jobs(now + datetime.timedelta(minutes=5)) == []
    assert sorted(scheduler.start_due_jobs(now + datetime.timedelta(hours=2))) == [
        "purge_report_archives",
        "round_closing_reminders",
    ]
    later = scheduler.start_due_jobs(now + datetime.timedelta(days=1, minutes=1))
    assert {"purge_personal_data", "prune_task_results"} <= set(later)
    assert ScheduledJob.objects.filter(name="purge_personal_data").exists()


def test_scheduled_jobs_run_in_the_worker(settings, programme):
    use_database_queue(settings)
    scheduler.start_due_jobs()
    run_queued_tasks()
    assert not DBTaskResult.objects.failed().exists()
    assert DBTaskResult.objects.successful().count() >= 3


def test_pruning_deletes_finished_task_results_older_than_the_setting(settings, programme):
    use_database_queue(settings)
    settings.TASK_RESULTS_KEEP_DAYS = 14
    record("kari@example.org")
    record("ola@example.org")
    run_queued_tasks()
    old, recent = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=15)
    )
    scheduler.prune_task_results()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]


# --- /healthz reports the queue -------------------------------------------------------------------


def test_healthz_answers_503_when_the_oldest_waiting_task_is_too_old(settings, client, programme):
    use_database_queue(settings)
    settings.HEALTHZ_MAX_QUEUE_AGE = 300
    record("kari@example.org")
    assert client.get("/healthz").status_code == 200
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=301))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"task queue stalled" in response.content
    run_queued_tasks()
    assert client.get("/healthz").status_code == 200


def test_healthz_does_not_count_a_task_deferred_to_later(settings, client, programme):
    use_database_queue(settings)
    settings.EMAIL_BACKEND = f"{__name__}.TemporarilyRefusingBackend"
    TemporarilyRefusingBackend.refusals = 1
    record("kari@example.org")
    run_queued_tasks()  # the retry now waits for its back-off
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    assert client.get("/healthz").status_code == 200
