"""Files made by the background worker for the user who asks: the kernel of every such job.

A concrete model inherits :class:`FileJob` (a token for its pages, who asked, when it was asked
for, started, last made progress, finished and expires, whether it failed, ``done`` of
``total`` items, the stored ``file`` and its ``size``) and names its two pages
(``status_url_name``, ``download_url_name``), the folder of its files (``file_folder``), its
``file_extension`` and its ``filename`` (the download's name).

Its life, each step a function here that takes the time it happens at (``now``):

- :func:`ask` gives the user's unfinished job of the same kind back, or makes a new one and
  queues the worker's task; a job without progress for ``stalled_after`` is given up first
  (its worker was lost).
- The worker's task calls :func:`write`: it checks the user still may have it (else
  :func:`fail`), :func:`start` claims it with the number of items, the file is written into a
  temporary file while :func:`counted` notes the progress, then stored and :func:`finish`
  notes it (:func:`fail` when writing raised).
- The status page renders :func:`status_context` (with the page layout
  ``templates/file_job_status.html`` and ``static/js/file-job-status.js``); the download is
  :func:`download`, for the asker alone (``FileJob.objects.of(user)``).
- :func:`purge_expired` deletes the jobs past ``expires_at`` with their files (the
  scheduler); :func:`delete_with_files` any others (an account that is deleted).
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .files import delete_on_commit, file_response, server_made_name

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class JobState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


#: The states in which the worker is still to come or at work: the status page follows them.
PENDING = (JobState.WAITING, JobState.RUNNING)


class FileJobQuerySet(models.QuerySet):
    def of(self, user) -> FileJobQuerySet:
        """The jobs ``user`` asked for (none for an anonymous visitor)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def unfinished(self) -> FileJobQuerySet:
        return self.filter(finished_at__isnull=True)

    def kept(self, now: datetime) -> FileJobQuerySet:
        """The jobs not yet expired at ``now``."""
        return self.filter(expires_at__gt=now)


def stored_file_name(instance: FileJob, filename: str) -> str:
    """Where a job's file is stored: a server-made name in the model's folder."""
    return server_made_name(instance.file_folder, instance.file_extension)


class FileJob(models.Model):
    """A file made by the background worker for the one who asked: waiting, then being made
    (``done`` of ``total``), then ready (``file``) or failed (``failed``, with ``finished_at``);
    expired from ``expires_at`` on, when the scheduler deletes it, file and all."""

    #: The URL names of the status page and of the download (each takes the token).
    status_url_name: str
    download_url_name: str
    #: The folder the files are stored in.
    file_folder: str

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    created_at = models.DateTimeField(_("asked for"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    failed = models.BooleanField(_("failed"), default=False)
    total = models.PositiveIntegerField(_("count"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    file = models.FileField(_("file"), upload_to=stored_file_name, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    objects = FileJobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse(self.status_url_name, args=[self.token])

    def get_download_url(self) -> str:
        return reverse(self.download_url_name, args=[self.token])

    @property
    def filename(self) -> str:
        raise NotImplementedError

    @property
    def file_extension(self) -> str:
        raise NotImplementedError

    @property
    def is_ready(self) -> bool:
        return bool(self.finished_at and not self.failed and self.file)

    def state(self, now: datetime) -> JobState:
        if self.expires_at <= now:
            return JobState.EXPIRED
        if self.failed:
            return JobState.FAILED
        if self.finished_at:
            return JobState.READY
        if self.started_at:
            return JobState.RUNNING
        return JobState.WAITING

    @property
    def percent(self) -> int:
        """How much is done, in whole per cent (100 only once it is finished)."""
        if self.finished_at:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    def is_stalled(self, now: datetime, after: timedelta) -> bool:
        """Whether it has made no progress (nor started) for longer than ``after``."""
        return now - (self.progressed_at or self.created_at) > after


J = TypeVar("J", bound=FileJob)


def _update(job: FileJob, **fields: Any) -> int:
    return type(job)._default_manager.filter(pk=job.pk).update(**fields)


def _update_unfinished(job: FileJob, **fields: Any) -> int:
    return type(job)._default_manager.filter(pk=job.pk, finished_at__isnull=True).update(**fields)


# --- Asking -------------------------------------------------------------------------------------


def enqueue(task, job_id: int) -> bool:
    """Queue the worker's task for the job: at once where the queue is the database (it commits
    with the job) or the task runs in the request, else once the job is committed. True when
    it ran already (in the request)."""
    from django_tasks.backends.immediate import ImmediateBackend

    backend = task.get_backend()
    ran = isinstance(backend, ImmediateBackend)
    if ran or type(backend).__module__.startswith("django_tasks_db"):
        task.enqueue(job_id)
    else:
        transaction.on_commit(lambda: task.enqueue(job_id))
    return ran


def ask(
    same: models.QuerySet[J],
    *,
    fields: dict[str, Any],
    keep: timedelta,
    stalled_after: timedelta,
    task,
    now: datetime,
) -> tuple[J, bool]:
    """The unfinished job among ``same`` (the user's jobs of the same kind), or a new one with
    ``fields``, kept for ``keep`` at first and queued for the worker's ``task``; and whether it
    is new. One that stalled is given up first."""
    with transaction.atomic():
        running = same.unfinished().first()
        if running is not None and not running.is_stalled(now, stalled_after):
            return running, False
        if running is not None:
            fail(running, now=now)
        try:
            with transaction.atomic():
                job = same.model._default_manager.create(
                    **fields, created_at=now, expires_at=now + keep
                )
        except IntegrityError:
            # Asked twice at the same moment (a constraint holds the model to one).
            return same.unfinished().get(), False
        ran = enqueue(task, job.pk)
    if ran:
        job.refresh_from_db()
    return job, True


# --- The worker's part --------------------------------------------------------------------------


def start(job: FileJob, *, total: int, now: datetime) -> bool:
    """Claim the job for this worker with ``total`` items to do; False when it was started or
    finished (given up) before."""
    claimed = (
        type(job)
        ._default_manager.filter(pk=job.pk, started_at__isnull=True, finished_at__isnull=True)
        .update(started_at=now, progressed_at=now, total=total, done=0)
    )
    if claimed:
        job.started_at = job.progressed_at = now
        job.total, job.done = total, 0
    return bool(claimed)


def progress(job: FileJob, *, done: int, now: datetime) -> None:
    _update(job, done=done, progressed_at=now)


def counted(
    items: Iterable, job: FileJob, *, every: int = 1, clock: Clock = timezone.now
) -> Iterator:
    """The items, noting in the job every ``every`` items how many were taken (and done)."""
    for count, item in enumerate(items, start=1):
        yield item
        if count % every == 0:
            progress(job, done=count, now=clock())


def finish(
    job: FileJob, *, name: str, size: int, done: int, now: datetime, keep: timedelta | None = None
) -> bool:
    """Note the stored file (``name``, ``size`` bytes, ``done`` items); with ``keep``, the file
    is kept that long from now. False when the job was given up meanwhile."""
    fields: dict[str, Any] = {"file": name, "size": size, "done": done, "total": done}
    if keep is not None:
        fields["expires_at"] = now + keep
    return bool(_update_unfinished(job, finished_at=now, **fields))


def fail(job: FileJob, *, now: datetime) -> bool:
    """Give the job up (unless it finished before)."""
    return bool(_update_unfinished(job, finished_at=now, failed=True))


def produce(
    job: FileJob,
    write: Callable[[IO[bytes]], int],
    *,
    keep: timedelta | None = None,
    clock: Clock = timezone.now,
) -> bool:
    """Write the file (``write`` writes into a binary file and returns how many items), store
    it and finish the job; when writing raises, the job fails. False (and no file kept) when
    the job was given up meanwhile."""
    stored = ""
    try:
        with tempfile.TemporaryFile() as spool:
            done = write(spool)
            size = spool.tell()
            spool.seek(0)
            job.file.save(job.filename, File(spool), save=False)
            stored = job.file.name
    except Exception:
        fail(job, now=clock())
        if stored:
            job.file.storage.delete(stored)
        raise
    if not finish(job, name=stored, size=size, done=done, now=clock(), keep=keep):
        # Given up meanwhile (asked for again after it stalled): nobody will fetch it.
        job.file.storage.delete(stored)
        return False
    logger.info("File written: %s (%s items, %s bytes)", job, done, size)
    return True


def write(
    jobs: models.QuerySet[J],
    job_id: int,
    *,
    allowed: Callable[[J], bool],
    prepare: Callable[[J], tuple[int, Callable[[IO[bytes]], int]]],
    keep: timedelta | None = None,
    clock: Clock = timezone.now,
) -> str:
    """Make the job's file (the worker's task): ``written``; ``done`` when it is gone, finished
    or taken before; ``refused`` when ``allowed(job)`` no longer holds (it fails); or an
    exception (it fails). ``prepare(job)`` gives the number of items and the function that
    writes them (:func:`produce`)."""
    job = jobs.filter(pk=job_id).first()
    if job is None or job.finished_at:
        return "done"
    if not allowed(job):
        fail(job, now=clock())
        return "refused"
    total, write_items = prepare(job)
    if not start(job, total=total, now=clock()):
        return "done"
    if not produce(job, write_items, keep=keep, clock=clock):
        return "done"
    return "written"


# --- Pages --------------------------------------------------------------------------------------


def status_context(job: FileJob, *, now: datetime, refresh_seconds: int) -> dict[str, Any]:
    """What ``templates/file_job_status.html`` reads: the job, its state and, while the worker
    is still to come or at work, how often the page asks for news."""
    state = job.state(now)
    return {
        "job": job,
        "state": state,
        "states": JobState,
        "refresh_seconds": refresh_seconds if state in PENDING else None,
    }


def download(job: FileJob, *, content_type: str, now: datetime) -> FileResponse:
    """The job's file as an attachment; not found unless it is ready and not expired."""
    if job.state(now) != JobState.READY or not job.file:
        raise Http404
    return file_response(job.file, content_type=content_type, filename=job.filename, inline=False)


# --- Expiry -------------------------------------------------------------------------------------


def delete_with_files(jobs: models.QuerySet) -> int:
    """Delete the jobs, and their files once that is committed; returns how many."""
    with transaction.atomic():
        doomed = list(jobs.select_for_update().values_list("pk", "file"))
        if not doomed:
            return 0
        jobs.model._default_manager.filter(pk__in=[pk for pk, _file in doomed]).delete()
        storage = jobs.model._meta.get_field("file").storage
        delete_on_commit(storage, *(name for _pk, name in doomed))
    return len(doomed)


def purge_expired(jobs: models.QuerySet, *, now: datetime) -> int:
    """Delete the jobs expired at ``now`` with their files (the scheduler); returns how many."""
    deleted = delete_with_files(jobs.filter(expires_at__lte=now))
    if deleted:
        logger.info("Expired files deleted: %s %s", deleted, jobs.model._meta.verbose_name_plural)
    return deleted
