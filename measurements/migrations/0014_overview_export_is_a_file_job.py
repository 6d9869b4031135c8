"""The overview's exports become ``core.jobs.FileJob`` models (1 of 3): ``rows_total`` and
``rows_written`` are ``total`` and ``done``; new columns for the time it expires, its last
progress and whether it failed. 0015 fills them and 0016 removes ``failed_at``, each in a
transaction of its own (PostgreSQL does not alter a table whose rows changed in the same one)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measurements", "0013_overview_export"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("overviewexport", "rows_total", "total"),
        migrations.RenameField("overviewexport", "rows_written", "done"),
        migrations.AlterField(
            model_name="overviewexport",
            name="total",
            field=models.PositiveIntegerField(default=0, verbose_name="count"),
        ),
        migrations.AlterField(
            model_name="overviewexport",
            name="done",
            field=models.PositiveIntegerField(default=0, verbose_name="done"),
        ),
        migrations.AddField(
            model_name="overviewexport",
            name="progressed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last progress"),
        ),
        migrations.AddField(
            model_name="overviewexport",
            name="failed",
            field=models.BooleanField(default=False, verbose_name="failed"),
        ),
        migrations.AddField(
            model_name="overviewexport",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
    ]
