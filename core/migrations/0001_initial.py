"""The outbox and the scheduler's jobs move from the network app to the kernel; their tables
stay (renamed in the next migration)."""

import core.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """The moved models keep their content types (and with them permissions and admin log)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ['outboxmessage', 'outboxrecipient', 'scheduledjob']:
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="network", model=model).update(app_label="core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('network', '0005_scheduled_job'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ScheduledJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('last_started_at', models.DateTimeField(blank=True, null=True, verbose_name='last started')),
                    ],
                    options={
                        'verbose_name': 'scheduled job',
                        'verbose_name_plural': 'scheduled jobs',
                        'db_table': 'network_scheduledjob',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=core.models.mail_kind_choices, max_length=30, verbose_name='kind')),
                        ('subject', models.CharField(max_length=300, verbose_name='subject')),
                        ('body', models.TextField(verbose_name='text')),
                        ('reply_to', models.EmailField(blank=True, max_length=254, verbose_name='reply to')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('about_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='about (id)')),
                        ('idempotency_key', models.CharField(blank=True, max_length=64, null=True, verbose_name='idempotency key')),
                        ('forget_recipients', models.BooleanField(default=False, verbose_name='erase recipients after delivery')),
                        ('about_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='about (type)')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                    ],
                    options={
                        'verbose_name': 'outgoing message',
                        'verbose_name_plural': 'outgoing messages',
                        'db_table': 'network_outboxmessage',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='OutboxRecipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail address')),
                        ('body', models.TextField(blank=True, verbose_name='personal text')),
                        ('ref', models.CharField(blank=True, max_length=128, verbose_name='reference')),
                        ('status', models.CharField(choices=[('pending', 'Not sent yet'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=20, verbose_name='status')),
                        ('error', models.CharField(blank=True, max_length=500, verbose_name='error')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='core.outboxmessage', verbose_name='message')),
                    ],
                    options={
                        'verbose_name': 'recipient',
                        'verbose_name_plural': 'recipients',
                        'db_table': 'network_outboxrecipient',
                        'ordering': ['message', 'name', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='outboxmessage',
                    index=models.Index(fields=['about_type', 'about_id'], name='network_outbox_about_idx'),
                ),
                migrations.AddConstraint(
                    model_name='outboxmessage',
                    constraint=models.UniqueConstraint(fields=('idempotency_key',), name='network_outbox_unique_idempotency_key', violation_error_message='This form has already been sent.'),
                ),
                migrations.AddIndex(
                    model_name='outboxrecipient',
                    index=models.Index(fields=['message', 'status'], name='network_outbox_rcpt_status_idx'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
