"""The outbox: every e-mail the portal sends is recorded here and delivered by the worker.

A request calls :func:`record` (inside its transaction): the message and its recipients are
stored and a task (``core.tasks.deliver_message``) is queued. The worker runs
:func:`deliver`: one SMTP connection for many copies, the outcome of each copy recorded on its
recipient. Temporary failures (an SMTP 4xx answer, a refused or broken connection) are tried
again later with back-off, up to ``MAIL_MAX_ATTEMPTS``; anything else is recorded as failed,
never raised, and shown on the page that sent the message.

An app that must learn the outcome (e.g. to count what went out) registers a
function with :func:`on_delivered` for its kind of mail; it is called after every delivery run.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    transaction,
)
from django.db.models import Count, Q
from django.utils import timezone

from core.tally import Tally
from core.text import one_line, strip_bidi_controls

from .models import DeliveryStatus, OutboxMessage, OutboxRecipient

logger = logging.getLogger(__name__)

#: Copies sent between two writes of their outcomes.
CHUNK = 100


@dataclass(frozen=True)
class Attachment:
    """A text file sent with every copy of a message."""

    name: str
    content: str
    content_type: str


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    #: Replaces the message's text for this recipient (a personal link).
    body: str = ""
    ref: str = ""


@dataclass(frozen=True)
class DeliveryCounts(Tally):
    """How many of a message's recipients it was sent to, failed for and waits for."""

    sent: int = 0
    failed: int = 0
    pending: int = 0


_delivered_hooks: dict[str, Callable[[OutboxMessage], None]] = {}


def on_delivered(kind: str, hook: Callable[[OutboxMessage], None]) -> None:
    """Call ``hook(message)`` after each delivery run of a message of ``kind``."""
    _delivered_hooks[kind] = hook


# --- In the request -----------------------------------------------------------------------------


def record(
    *,
    kind: str,
    subject: str,
    body: str,
    recipients: Iterable[Recipient],
    about=None,
    sent_by=None,
    reply_to: str = "",
    idempotency_key: str | None = None,
    forget_recipients: bool = False,
    attachment: Attachment | None = None,
) -> OutboxMessage:
    """Store a message and its recipients and queue its delivery. With an
    ``idempotency_key`` already used, the message stored then is returned and nothing new is
    stored or queued (a form posted twice sends once)."""
    if idempotency_key:
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind,
                subject=" ".join(subject.split()),
                body=body,
                reply_to=reply_to or "",
                sent_by=sent_by if sent_by is not None and sent_by.is_authenticated else None,
                about_type=ContentType.objects.get_for_model(about) if about is not None else None,
                about_id=about.pk if about is not None else None,
                idempotency_key=idempotency_key or None,
                forget_recipients=forget_recipients,
                attachment_name=attachment.name if attachment else "",
                attachment_type=attachment.content_type if attachment else "",
                attachment=attachment.content if attachment else "",
            )
            OutboxRecipient.objects.bulk_create(
                (
                    OutboxRecipient(
                        message_id=message.pk,
                        email=r.email,
                        name=r.name[:200],
                        body=r.body,
                        ref=r.ref,
                    )
                    for r in recipients
                ),
                batch_size=500,
            )
            queue(message.pk)
    except IntegrityError:
        if idempotency_key:
            # The same form, posted twice at once: the other request stored it.
            return OutboxMessage.objects.get(idempotency_key=idempotency_key)
        raise
    return message


def queue(message_id: int, *, delay: timedelta | None = None) -> None:
    """Queue the delivery of a message. The database backend stores the task in the same
    transaction as the message; a backend outside the database (RQ) gets it after commit."""
    from django_tasks.backends.immediate import ImmediateBackend

    from .tasks import deliver_message

    task = deliver_message
    backend = task.get_backend()
    if delay and backend.supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    in_database = type(backend).__module__.startswith("django_tasks_db")
    if in_database or isinstance(backend, ImmediateBackend):
        task.enqueue(message_id)
    else:
        transaction.on_commit(lambda: task.enqueue(message_id))


def retry_failed(*, message: OutboxMessage) -> int:
    """Queue the failed copies of a message again; returns how many."""
    with transaction.atomic():
        count = message.recipients.filter(status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, error="", attempts=0
        )
        if count:
            queue(message.pk)
    return count


# --- Reads --------------------------------------------------------------------------------------


def counts(message_ids: Iterable[int]) -> dict[int, DeliveryCounts]:
    """Sent, failed and waiting copies per message, in one query."""
    rows = (
        OutboxRecipient.objects.filter(message_id__in=list(message_ids))
        .values("message_id")
        .annotate(
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
        )
    )
    return {
        row["message_id"]: DeliveryCounts(row["sent"], row["failed"], row["pending"])
        for row in rows
    }


def counted(recipients: Iterable[OutboxRecipient]) -> DeliveryCounts:
    """The counts of recipients already loaded."""
    statuses = [r.status for r in recipients]
    return DeliveryCounts(
        statuses.count(DeliveryStatus.SENT),
        statuses.count(DeliveryStatus.FAILED),
        statuses.count(DeliveryStatus.PENDING),
    )


def counts_about(obj) -> DeliveryCounts:
    """Sent, failed and waiting copies of every message about ``obj``, in one query."""
    meta = obj._meta
    row = OutboxRecipient.objects.filter(
        message__about_type__app_label=meta.app_label,
        message__about_type__model=meta.model_name,
        message__about_id=obj.pk,
    ).aggregate(
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
    )
    return DeliveryCounts(row["sent"], row["failed"], row["pending"])


def messages_about(obj) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk
        ).select_related("sent_by")
    )


def total_counts(messages: Iterable[OutboxMessage]) -> DeliveryCounts:
    summed = DeliveryCounts()
    for c in counts([m.pk for m in messages]).values():
        summed = DeliveryCounts(
            summed.sent + c.sent, summed.failed + c.failed, summed.pending + c.pending
        )
    return summed


# --- In the worker ------------------------------------------------------------------------------


def is_temporary(error: BaseException) -> bool:
    """An SMTP 4xx answer or a connection that failed: worth trying again later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)
    )


def backoff(attempt: int) -> timedelta:
    """1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(seconds=min(settings.MAIL_RETRY_DELAY * 2 ** max(attempt - 1, 0), 3600))


def _with_database(write: Callable[[], object], *, patience: float = 120.0) -> object:
    """Run a write, waiting for the database to come back if it is away (a restart): what
    was sent must be recorded, or it would be sent again."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return write()
        except (OperationalError, InterfaceError):
            if time.monotonic() > deadline:
                raise
            logger.warning("Database unavailable while recording deliveries; waiting")
            close_old_connections()
            from django.db import connection

            connection.close()
            time.sleep(0.5)


def _email(message: OutboxMessage, recipient: OutboxRecipient, connection) -> EmailMessage:
    email = EmailMessage(
        subject=one_line(message.subject),
        body=strip_bidi_controls(recipient.body or message.body),
        to=[recipient.email],
        reply_to=[message.reply_to] if message.reply_to else None,
        connection=connection,
    )
    if message.attachment_name:
        email.attach(message.attachment_name, message.attachment, message.attachment_type)
    return email


def _save_outcomes(recipients: list[OutboxRecipient], forget: bool) -> None:
    for recipient in recipients:
        if forget and recipient.status != DeliveryStatus.PENDING:
            recipient.email = recipient.name = recipient.body = ""
    fields = ["status", "error", "attempts", "sent_at", "email", "name", "body"]
    _with_database(lambda: OutboxRecipient.objects.bulk_update(recipients, fields))


def deliver(message_id: int) -> dict:
    """Send the waiting copies of a message and record each outcome. Never raises for a
    failed delivery; returns the counts of this run."""
    message = _with_database(lambda: OutboxMessage.objects.filter(pk=message_id).first())
    if message is None:
        return {"sent": 0, "failed": 0, "retry": 0}
    waiting = _with_database(
        lambda: list(message.recipients.filter(status=DeliveryStatus.PENDING).order_by("pk"))
    )
    max_attempts = settings.MAIL_MAX_ATTEMPTS
    sent = failed = retry = 0
    connection = get_connection()
    connected = False
    for start in range(0, len(waiting), CHUNK):
        chunk = waiting[start : start + CHUNK]
        for recipient in chunk:
            recipient.attempts += 1
            try:
                if not connected:
                    connection.open()
                    connected = True
                _email(message, recipient, connection).send()
            except Exception as error:  # every failure is recorded, none is raised
                temporary = is_temporary(error)
                logger.warning(
                    "Could not send message %s to recipient %s (%s): %s",
                    message.pk,
                    recipient.pk,
                    "temporary" if temporary else "permanent",
                    error,
                )
                recipient.error = (str(error) or error.__class__.__name__)[:500]
                if temporary and recipient.attempts < max_attempts:
                    retry += 1  # stays pending
                else:
                    recipient.status = DeliveryStatus.FAILED
                    failed += 1
                if temporary:
                    connected = _reset(connection)
            else:
                recipient.status = DeliveryStatus.SENT
                recipient.error = ""
                recipient.sent_at = timezone.now()
                sent += 1
        _save_outcomes(chunk, message.forget_recipients)
    _reset(connection)
    if retry:
        attempt = min(r.attempts for r in waiting if r.status == DeliveryStatus.PENDING)
        _with_database(lambda: queue(message.pk, delay=backoff(attempt)))
    hook = _delivered_hooks.get(message.kind)
    if hook is not None:
        _with_database(lambda: hook(message))
    return {"sent": sent, "failed": failed, "retry": retry}


def _reset(connection) -> bool:
    """Close a connection that may be broken; the next copy opens a new one."""
    try:
        connection.close()
    except Exception:  # closing a broken connection must not hide the results
        logger.debug("Could not close the e-mail connection", exc_info=True)
    return False
