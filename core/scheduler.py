"""A small scheduler: jobs that run every day (or hour), started by ``manage.py
run_scheduler`` (a clock beside the worker) and run by the worker as tasks.

Apps register their jobs from ``AppConfig.ready()`` with :func:`register`. A job is started at
most once per period however many scheduler processes run: each start is claimed in the
database (``ScheduledJob``) first. Jobs must be idempotent (a job that failed is simply started
again in the next period).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]


jobs: dict[str, Job] = {}


def register(name: str, every: timedelta, run: Callable[[], object]) -> None:
    jobs[name] = Job(name, every, run)


def claim(job: Job, now: datetime) -> bool:
    """True when this process may start the job now (it is due and no one else took it)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                state, _created = ScheduledJob.objects.get_or_create(name=job.name)
        except IntegrityError:
            state = ScheduledJob.objects.get(name=job.name)
        last = state.last_started_at
        if last is not None and now - last < job.every:
            return False
        claimed = ScheduledJob.objects.filter(pk=state.pk, last_started_at=last).update(
            last_started_at=now
        )
        return bool(claimed)


def start_due_jobs(now: datetime | None = None) -> list[str]:
    """Queue every job that is due; returns their names."""
    from .tasks import run_scheduled_job

    now = now or timezone.now()
    started = []
    for job in jobs.values():
        if claim(job, now):
            run_scheduled_job.enqueue(job.name)
            started.append(job.name)
    return started


def run(name: str) -> None:
    job = jobs.get(name)
    if job is None:
        logger.warning("No scheduled job is called %s", name)
        return
    logger.info("Running scheduled job %s", name)
    job.run()


# --- The kernel's own jobs --------------------------------------------------------------------


def purge_personal_data() -> None:
    """The daily purge of personal data past its retention time (as
    ``manage.py purge_personal_data``); what it did goes to the log."""
    from .personal_data import purge

    logger.info("Personal data purged: %s", purge())


def prune_task_results() -> None:
    """Delete finished task results older than ``TASK_RESULTS_KEEP_DAYS`` days."""
    from .queue import uses_database_queue

    if not uses_database_queue():
        return
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _per_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    logger.info("Pruned %s finished task results", deleted)
