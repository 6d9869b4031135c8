"""ZIP files of final reports: every report of a network, or of a whole programme, one PDF per
local project, made by the background worker for the user who asks (``ReportArchive``; the
life of such a file is ``core.jobs``).

Asking (:func:`request_archive`) records the archive and queues :func:`write` for the worker
(``tasks.write_report_archive``); asking again while the user's archive of the same reports is
still being made gives that one (a constraint in the database holds it to one). The worker
renders each report as that user may see it, in the language they asked in, writes the ZIP
file to storage and counts the reports as it goes, for the status page. Files expire after
:data:`KEEP`; the scheduler's hourly job :func:`purge_expired` deletes them with their rows.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from core import jobs
from network.models import Network, Programme
from network.selectors import note_programme

from . import final_report, selectors
from .models import LocalProject, ReportArchive

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


def request_archive(
    *, user, programme: Programme, network: Network | None, language: str, now: datetime
) -> tuple[ReportArchive, bool]:
    """The user's archive of these reports that is being made, or a new one queued for the
    worker; and whether it is new. An archive that has stalled is marked failed first."""
    from .tasks import write_report_archive

    return jobs.ask(
        ReportArchive.objects.of(user).of_scope(programme=programme, network=network),
        fields={
            "requested_by": user,
            "programme": programme,
            "network": network,
            "language": language,
        },
        keep=KEEP,
        stalled_after=STALLED,
        task=write_report_archive,
        now=now,
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


def _allowed(archive: ReportArchive) -> bool:
    user = archive.requested_by
    return user.is_active and may_download(
        user, programme=archive.programme, network=archive.network
    )


def _reports(archive: ReportArchive):
    """How many reports, and the function that writes them into the ZIP file."""
    projects = list(
        selectors.projects_for_report()
        .filter(pk__in=scope_projects(programme=archive.programme, network=archive.network))
        .order_by("network__name", "name", "pk")
    )
    base_url = settings.SITE_URL + "/"

    def write_zip(out) -> int:
        with translation.override(archive.language):
            request = worker_request(archive.requested_by, archive.programme)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_file:
                for project in jobs.counted(projects, archive):
                    pdf = final_report.project_pdf(project, request, base_url=base_url)
                    zip_file.writestr(final_report.pdf_filename(project), pdf)
        return len(projects)

    return len(projects), write_zip


def write(archive_id: int) -> str:
    """Make the archive (the worker's part): ``written``, ``done`` (finished or given up
    before), ``refused`` (the user may no longer have these reports) or an exception (the
    archive is marked failed)."""
    return jobs.write(
        ReportArchive.objects.select_related("requested_by", "programme", "network"),
        archive_id,
        allowed=_allowed,
        prepare=_reports,
        keep=KEEP,
    )


def purge_expired(now: datetime | None = None) -> int:
    """Delete the archives past their time, with their files (the scheduler, every hour);
    returns how many."""
    return jobs.purge_expired(ReportArchive.objects, now=now or timezone.now())
