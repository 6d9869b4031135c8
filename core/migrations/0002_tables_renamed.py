"""The moved tables get the names and constraint names of the app that now owns them."""


from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0006_outbox_moved_to_core'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='outboxmessage',
            name='network_outbox_unique_idempotency_key',
        ),
        migrations.RenameIndex(
            model_name='outboxmessage',
            new_name='core_outbox_about_idx',
            old_name='network_outbox_about_idx',
        ),
        migrations.RenameIndex(
            model_name='outboxrecipient',
            new_name='core_outbox_rcpt_status_idx',
            old_name='network_outbox_rcpt_status_idx',
        ),
        migrations.AddConstraint(
            model_name='outboxmessage',
            constraint=models.UniqueConstraint(fields=('idempotency_key',), name='core_outbox_unique_idempotency_key', violation_error_message='This form has already been sent.'),
        ),
        migrations.AlterModelTable(
            name='outboxmessage',
            table=None,
        ),
        migrations.AlterModelTable(
            name='outboxrecipient',
            table=None,
        ),
        migrations.AlterModelTable(
            name='scheduledjob',
            table=None,
        ),
    ]
