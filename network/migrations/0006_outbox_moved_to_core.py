"""The outbox and the scheduler's jobs now belong to the kernel (``core``); the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0005_scheduled_job'),
        ('core', '0001_initial'),
        ('gatherings', '0007_evaluation_answers_in_groups'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='outboxmessage',
                    name='about_type',
                ),
                migrations.RemoveField(
                    model_name='outboxmessage',
                    name='sent_by',
                ),
                migrations.RemoveField(
                    model_name='outboxrecipient',
                    name='message',
                ),
                migrations.DeleteModel(
                    name='ScheduledJob',
                ),
                migrations.DeleteModel(
                    name='OutboxMessage',
                ),
                migrations.DeleteModel(
                    name='OutboxRecipient',
                ),
            ],
        ),
    ]
