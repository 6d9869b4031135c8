"""The kernel's records: the outbox of e-mail and the scheduler's jobs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import validate_single_line

#: The kinds of mail, ``(value, label)``, registered by the apps that send them
#: (:func:`register_mail_kinds`); the outbox itself knows none.
_mail_kinds: dict[str, str] = {}


def register_mail_kinds(choices) -> None:
    _mail_kinds.update(dict(choices))


def mail_kind_choices() -> list[tuple[str, str]]:
    return list(_mail_kinds.items())


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Not sent yet")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """An e-mail the portal sends, one copy to each recipient. A request only records it (and
    queues its delivery); the worker sends it (``core/outbox.py``)."""

    kind = models.CharField(_("kind"), max_length=30, choices=mail_kind_choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("sent by"),
    )
    #: What the message is about (any record of the app that sent it).
    about_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("about (type)"),
    )
    about_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    #: One per form submission: a POST sent twice records (and sends) the message once.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, null=True, blank=True)
    #: Addresses and personal texts are erased once delivered or failed (anonymous mailings).
    forget_recipients = models.BooleanField(_("erase recipients after delivery"), default=False)
    #: One text file sent with every copy (e.g. an iCalendar invitation), or none.
    attachment_name = models.CharField(
        _("attachment name"), max_length=100, blank=True, validators=[validate_single_line]
    )
    attachment_type = models.CharField(
        _("attachment type"), max_length=100, blank=True, validators=[validate_single_line]
    )
    attachment = models.TextField(_("attachment"), blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["about_type", "about_id"], name="core_outbox_about_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                name="core_outbox_unique_idempotency_key",
                violation_error_message=_("This form has already been sent."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("admin:core_outboxmessage_change", args=[self.pk])


class OutboxRecipient(models.Model):
    """One recipient of an outgoing message and the outcome of its delivery. Name and address
    are kept as they were sent; ``body`` replaces the message's text for this recipient
    (a personal link)."""

    message = models.ForeignKey(
        OutboxMessage,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("message"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    body = models.TextField(_("personal text"), blank=True)
    #: An opaque reference for the app that sent it (e.g. the hash of a personal link).
    ref = models.CharField(_("reference"), max_length=128, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["message", "name", "pk"]
        indexes = [
            models.Index(fields=["message", "status"], name="core_outbox_rcpt_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_absolute_url(self) -> str:
        return self.message.get_absolute_url()


class ScheduledJob(models.Model):
    """When a job of the scheduler (``core/scheduler.py``) last started, so that several
    scheduler processes start each job once per period."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:core_scheduledjob_change", args=[self.pk])
