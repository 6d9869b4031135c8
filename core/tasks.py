"""Background tasks (Django's task framework, ``django_tasks``). Arguments are JSON values
only, so that any backend (the database, RQ on Redis) can carry them."""

from django_tasks import task

from . import outbox


@task()
def deliver_message(message_id: int) -> dict:
    """Send the waiting copies of an outgoing message (``core/outbox.py``)."""
    return outbox.deliver(message_id)


@task()
def run_scheduled_job(name: str) -> None:
    """Run one job of the scheduler (``core/scheduler.py``) by its name."""
    from . import scheduler

    scheduler.run(name)
