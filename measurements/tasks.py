"""Background tasks of measurements (Django's task framework; JSON arguments only)."""

from django_tasks import task


@task()
def write_import(batch_id: int) -> str:
    """Write a confirmed import of many values (``services.run_queued_import``)."""
    from .services import run_queued_import

    return run_queued_import(batch_id)
