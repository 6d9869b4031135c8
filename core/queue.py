"""The background task queue as operations see it (``/healthz``, the scheduler)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min
from django.utils import timezone


def uses_database_queue() -> bool:
    from django_tasks import task_backends

    return type(task_backends["default"]).__module__.startswith("django_tasks_db")


def oldest_waiting_since(now: datetime | None = None) -> datetime | None:
    """When the task that has waited longest became ready to run (its enqueueing, or for a
    task deferred to later, the time it was deferred to); None when nothing waits or the
    queue is not in the database."""
    if not uses_database_queue():
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    ready = DBTaskResult.objects.ready()
    undeferred = ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"]
    deferred = (
        ready.exclude(run_after=get_date_max())
        .filter(run_after__lte=now)
        .aggregate(at=Min("run_after"))["at"]
    )
    times = [t for t in (undeferred, deferred) if t is not None]
    return min(times) if times else None


def oldest_waiting_age(now: datetime | None = None) -> float:
    """Seconds the oldest waiting task has waited (0 when none waits)."""
    now = now or timezone.now()
    since = oldest_waiting_since(now)
    return max((now - since).total_seconds(), 0.0) if since else 0.0
