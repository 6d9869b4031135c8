"""ZIP files of final reports: every report of a network, or of a whole programme, one PDF per
local project, made by the background worker for the user who asks (``ReportArchive``).

Asking (:func:`request_archive`) records the archive and queues :func:`write` for the worker
(``tasks.write_report_archive``); asking again while the user's archive of the same reports is
still being made gives that one (a constraint in the database holds it to one). The worker
renders each report as that user may see it, in the language they asked in, writes the ZIP
file to storage and counts the reports as it goes, for the status page. Files expire after
:data:`KEEP`; the scheduler's hourly job :func:`purge_expired` deletes them with their rows.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from core.files import delete_on_commit
from network.models import Network, Programme
from network.selectors import note_programme

from . import final_report, selectors
from .models import LocalProject, ReportArchive

logger = logging.getLogger(__name__)

#: How long a finished ZIP file is kept (and an unfinished one waited for at most).
KEEP = timedelta(hours=24)
#: An unfinished archive without progress for this long is given up when asked for again
#: (its worker died): a new one is made instead.
STALLED = timedelta(minutes=30)

NETWORK_PERM = "municipalities.download_final_reports"
PROGRAMME_PERM = "municipalities.download_programme_final_reports"


def may_download(user, *, programme: Programme, network: Network | None) -> bool:
    """Whether ``user`` may have the reports of ``network`` (or, without one, of the whole
    ``programme``) in one file."""
    if network is not None:
        return user.has_perm(NETWORK_PERM, network)
    return user.has_perm(PROGRAMME_PERM, programme)


def scope_projects(*, programme: Programme, network: Network | None):
    """The projects whose reports the archive holds, in the order they are made."""
    projects = LocalProject.objects.filter(network__programme=programme)
    if network is not None:
        projects = projects.filter(network=network)
    return projects


def _is_stalled(archive: ReportArchive, now: datetime) -> bool:
    return now - (archive.progressed_at or archive.created_at) > STALLED


def request_archive(
    *, user, programme: Programme, network: Network | None, language: str
) -> tuple[ReportArchive, bool]:
    """The user's archive of these reports that is being made, or a new one queued for the
    worker; and whether it is new. An archive that has stalled is marked failed first."""
    from django_tasks.backends.immediate import ImmediateBackend

    from .tasks import write_report_archive

    now = timezone.now()
    mine = ReportArchive.objects.of(user).of_scope(programme=programme, network=network)
    with transaction.atomic():
        running = mine.unfinished().first()
        if running is not None and not _is_stalled(running, now):
            return running, False
        if running is not None:
            _give_up(running, now)
        try:
            with transaction.atomic():
                archive = ReportArchive.objects.create(
                    requested_by=user,
                    programme=programme,
                    network=network,
                    language=language,
                    created_at=now,
                    expires_at=now + KEEP,
                )
        except IntegrityError:
            # Asked twice at the same moment: the other request made it.
            return mine.unfinished().get(), False
        backend = write_report_archive.get_backend()
        in_database = type(backend).__module__.startswith("django_tasks_db")
        if in_database or isinstance(backend, ImmediateBackend):
            write_report_archive.enqueue(archive.pk)
        else:
            transaction.on_commit(lambda: write_report_archive.enqueue(archive.pk))
    if isinstance(backend, ImmediateBackend):
        archive.refresh_from_db()
    return archive, True


def _give_up(archive: ReportArchive, now: datetime) -> None:
    ReportArchive.objects.filter(pk=archive.pk, finished_at__isnull=True).update(
        finished_at=now, failed=True
    )


def worker_request(user, programme: Programme) -> HttpRequest:
    """A request as the reports are rendered for ``user`` outside of one (in the worker): the
    sections of the report ask what the user may see; the page's programme is known."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/"
    request.user = user
    note_programme(request, programme)
    return request


def write(archive_id: int) -> str:
    """Make the archive (the worker's part): ``written``, ``done`` (finished or given up
    before), ``refused`` (the user may no longer have these reports) or an exception (the
    archive is marked failed)."""
    archive = (
        ReportArchive.objects.select_related("requested_by", "programme", "network")
        .filter(pk=archive_id)
        .first()
    )
    if archive is None or archive.finished_at:
        return "done"
    user, programme, network = archive.requested_by, archive.programme, archive.network
    if not (user.is_active and may_download(user, programme=programme, network=network)):
        _give_up(archive, timezone.now())
        return "refused"
    projects = list(
        selectors.projects_for_report()
        .filter(pk__in=scope_projects(programme=programme, network=network))
        .order_by("network__name", "name", "pk")
    )
    started = timezone.now()
    ReportArchive.objects.filter(pk=archive.pk).update(
        started_at=started, progressed_at=started, total=len(projects), done=0
    )
    base_url = settings.SITE_URL + "/"
    try:
        with translation.override(archive.language), tempfile.TemporaryFile() as spool:
            request = worker_request(user, programme)
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as zip_file:
                for count, project in enumerate(projects, start=1):
                    pdf = final_report.project_pdf(project, request, base_url=base_url)
                    zip_file.writestr(final_report.pdf_filename(project), pdf)
                    ReportArchive.objects.filter(pk=archive.pk).update(
                        done=count, progressed_at=timezone.now()
                    )
            size = spool.tell()
            spool.seek(0)
            archive.file.save(archive.filename, File(spool), save=False)
    except Exception:
        ReportArchive.objects.filter(pk=archive.pk, finished_at__isnull=True).update(
            finished_at=timezone.now(), failed=True
        )
        raise
    finished = timezone.now()
    saved = ReportArchive.objects.filter(pk=archive.pk, finished_at__isnull=True).update(
        file=archive.file.name, size=size, finished_at=finished, expires_at=finished + KEEP
    )
    if not saved:
        # Given up meanwhile (asked for again after it stalled): nobody will fetch it.
        archive.file.storage.delete(archive.file.name)
        return "done"
    logger.info("Final reports written: %s (%s reports, %s bytes)", archive, len(projects), size)
    return "written"


def purge_expired(now: datetime | None = None) -> int:
    """Delete the archives past their time, with their files (the scheduler, every hour);
    returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(ReportArchive.objects.filter(expires_at__lte=now).select_for_update())
        if not expired:
            return 0
        ReportArchive.objects.filter(pk__in=[a.pk for a in expired]).delete()
        storage = ReportArchive._meta.get_field("file").storage
        delete_on_commit(storage, *(a.file.name for a in expired if a.file))
    logger.info("Expired ZIP files of final reports deleted: %s", len(expired))
    return len(expired)
