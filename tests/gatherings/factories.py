"""Factories and helpers for the gatherings tests."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from core.models import OutboxMessage, OutboxRecipient
from gatherings import services
from gatherings.models import Registration
from network.models import MailKind
from tests.factories import ParticipantFactory


def registration_data(gathering, **overrides) -> services.RegistrationData:
    values = {
        "days": gathering.days,
        "dinner_days": gathering.days[:1],
        "overnight": True,
        "drinks": "",
        "diets": [],
        "dietary_notes": "",
        "settles_bill": False,
    }
    values.update(overrides)
    return services.RegistrationData(**values)


class RegistrationFactory(DjangoModelFactory):
    """An active registration for every day of the gathering, with dinner on the first."""

    class Meta:
        model = Registration

    participant = factory.SubFactory(ParticipantFactory)
    municipality = factory.LazyAttribute(
        lambda r: r.participant.municipality or r.participant.local_project.municipalities.first()
    )
    days = factory.LazyAttribute(lambda r: [day.isoformat() for day in r.gathering.days])
    dinner_days = factory.LazyAttribute(lambda r: [r.gathering.days[0].isoformat()])
    overnight = True


def programme_sent_to(gathering, participant) -> OutboxRecipient:
    """The outbox's record of ``gathering``'s programme sent to ``participant``."""
    message = OutboxMessage.objects.create(
        about_type=ContentType.objects.get_for_model(gathering),
        about_id=gathering.pk,
        kind=MailKind.PUBLISHED,
        subject="Programmet",
        body="…",
    )
    return OutboxRecipient.objects.create(
        message=message, name=participant.name, email=participant.email
    )


# --- Documents ---------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
