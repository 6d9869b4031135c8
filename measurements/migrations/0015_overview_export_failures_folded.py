"""The overview's exports become ``core.jobs.FileJob`` models (2 of 3): each expires
``EXPORT_KEEP_HOURS`` after it was asked for; a failed export is ``failed`` and finished when it
failed (``failed_at`` is folded into ``finished_at``)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce


def fold_failures(apps, schema_editor):
    exports = apps.get_model("measurements", "OverviewExport").objects
    exports.update(expires_at=F("created_at") + timedelta(hours=settings.EXPORT_KEEP_HOURS))
    exports.filter(failed_at__isnull=False).update(
        failed=True, finished_at=Coalesce("finished_at", "failed_at")
    )


def unfold_failures(apps, schema_editor):
    exports = apps.get_model("measurements", "OverviewExport").objects
    exports.filter(failed=True).update(failed_at=F("finished_at"), finished_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("measurements", "0014_overview_export_is_a_file_job"),
    ]

    operations = [
        migrations.RunPython(fold_failures, unfold_failures),
    ]
