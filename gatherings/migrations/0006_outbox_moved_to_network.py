"""The gatherings' outbox becomes the portal's outbox (``network.OutboxMessage``): every
message and recipient is copied there, about its gathering, then the old tables go."""

from django.db import migrations


def copy_to_network_outbox(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldMessage = apps.get_model("gatherings", "OutgoingMessage")
    OldRecipient = apps.get_model("gatherings", "OutgoingRecipient")
    Message = apps.get_model("network", "OutboxMessage")
    Recipient = apps.get_model("network", "OutboxRecipient")
    if not OldMessage.objects.exists():
        return
    gathering_type, _created = ContentType.objects.get_or_create(
        app_label="gatherings", model="gathering"
    )
    for old in OldMessage.objects.order_by("pk").iterator():
        message = Message.objects.create(
            kind=old.kind,
            subject=old.subject,
            body=old.body,
            created_at=old.created_at,
            sent_by_id=old.sent_by_id,
            about_type=gathering_type,
            about_id=old.gathering_id,
        )
        Recipient.objects.bulk_create(
            Recipient(
                message=message,
                name=r.name,
                email=r.email,
                status=r.status,
                error=r.error,
                attempts=1 if r.status != "pending" else 0,
                sent_at=r.sent_at,
            )
            for r in OldRecipient.objects.filter(message=old).order_by("pk")
        )


def copy_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldMessage = apps.get_model("gatherings", "OutgoingMessage")
    OldRecipient = apps.get_model("gatherings", "OutgoingRecipient")
    Message = apps.get_model("network", "OutboxMessage")
    gathering_type = ContentType.objects.filter(app_label="gatherings", model="gathering").first()
    if gathering_type is None:
        return
    for message in Message.objects.filter(about_type=gathering_type).order_by("pk"):
        old = OldMessage.objects.create(
            gathering_id=message.about_id,
            kind=message.kind,
            subject=message.subject,
            body=message.body,
            created_at=message.created_at,
            sent_by_id=message.sent_by_id,
        )
        OldRecipient.objects.bulk_create(
            OldRecipient(
                message=old,
                name=r.name,
                email=r.email,
                status=r.status,
                error=r.error,
                sent_at=r.sent_at,
            )
            for r in message.recipients.order_by("pk")
        )
        message.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("gatherings", "0005_calendar_sequence"),
        ("network", "0004_outbox"),
    ]

    operations = [
        migrations.RunPython(copy_to_network_outbox, copy_back),
        migrations.RemoveField(
            model_name="outgoingrecipient",
            name="message",
        ),
        migrations.RemoveField(
            model_name="outgoingrecipient",
            name="participant",
        ),
        migrations.DeleteModel(
            name="OutgoingMessage",
        ),
        migrations.DeleteModel(
            name="OutgoingRecipient",
        ),
    ]
