"""The overview's exports become ``core.jobs.FileJob`` models (3 of 3): ``failed_at`` goes (it
is in ``failed`` and ``finished_at`` now), every export has a time it expires, and the columns
are declared as the kernel declares them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.jobs


class Migration(migrations.Migration):
    dependencies = [
        ("measurements", "0015_overview_export_failures_folded"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(model_name="overviewexport", name="failed_at"),
        migrations.AlterField(
            model_name="overviewexport",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
        migrations.AlterField(
            model_name="overviewexport",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="asked for"
            ),
        ),
        migrations.AlterField(
            model_name="overviewexport",
            name="file",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=core.jobs.stored_file_name,
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="overviewexport",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="asked for by",
            ),
        ),
        migrations.AlterModelOptions(
            name="overviewexport",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "export",
                "verbose_name_plural": "exports",
            },
        ),
    ]
