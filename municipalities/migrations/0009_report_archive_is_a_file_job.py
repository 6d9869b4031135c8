"""ZIP files of final reports become ``core.jobs.FileJob`` models: the same columns, with the
kernel's names for the counts and no reverse accessor from the user (no change to the data)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0008_report_archive"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportarchive",
            name="total",
            field=models.PositiveIntegerField(default=0, verbose_name="count"),
        ),
        migrations.AlterField(
            model_name="reportarchive",
            name="done",
            field=models.PositiveIntegerField(default=0, verbose_name="done"),
        ),
        migrations.AlterField(
            model_name="reportarchive",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="asked for by",
            ),
        ),
    ]
