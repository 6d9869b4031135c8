"""Background tasks of municipalities (Django's task framework; JSON arguments only)."""

from django_tasks import task


@task()
def write_report_archive(archive_id: int) -> str:
    """Make a ZIP file of final reports (``report_archives.write``)."""
    from .report_archives import write

    return write(archive_id)
