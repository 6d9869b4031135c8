"""Background tasks of measurements (Django's task framework; JSON arguments only)."""

from django_tasks import task


@task()
def write_import(batch_id: int) -> str:
    """Write a confirmed import of many values (``services.run_queued_import``)."""
    from .services import run_queued_import

    return run_queued_import(batch_id)


@task()
def write_export(export_id: int) -> str:
    """Write a large export of the overview's raw data to its file (``exports.write_export``)."""
    from .exports import write_export as write

    return write(export_id)


@task()
def draw_progress(project_ids: list[int]) -> int:
    """Draw the charts of these projects' progress pages (``selectors.draw_progress_pages``)."""
    from .selectors import draw_progress_pages

    return draw_progress_pages(project_ids)
