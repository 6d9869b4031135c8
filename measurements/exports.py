"""The overview's raw data export (``/framgang/eksport.csv``, ``.xlsx``): every value of the
projects the user follows, with the overview's filter, written by :mod:`core.spreadsheets`.

An export of at most ``EXPORT_BACKGROUND_ROWS`` values is answered at once. A larger one is
written by the background worker for ministry and KS staff (:func:`start_export`, then
:func:`write_export` in ``tasks.write_export``): the rows are read a few thousand values at a
time and written into a temporary file on disk, which is then stored under a server-made name
(``exports/``); the export's page shows the rows written, then the download, to the one who
asked only (the life of such a file is ``core.jobs``). :func:`purge_expired_exports` deletes
the exports and their files ``EXPORT_KEEP_HOURS`` after they were asked for (the scheduler's
daily job, and whenever an export is started); the download is refused from then on anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core import jobs, spreadsheets
from core.personal_data import Declarations
from municipalities.models import County, LocalProject
from network.models import Programme

from . import selectors
from .forms import OverviewFilterForm
from .models import ExportFormat, OverviewExport
from .rules import overview_projects

#: Norwegian column names; the columns kommunenummer/prosjekt, indikator, måling, verdi and
#: merknad are those the import reads, so an exported file imports back unchanged. Units,
#: directions, sources and anchoring stages are written in Bokmål; «registrert» is a date-time
#: (ISO 8601 in CSV, a date cell in XLSX); «forankringstrinn» is the project's anchoring stage
#: (1–7) in the value's round, «forankring» its name.
EXPORT_HEADER = [
    "nettverk",
    "tema",
    "prosjekt",
    "prosjektnavn",
    "kommunenummer",
    "indikator",
    "enhet",
    "retning",
    "måling",
    "verdi",
    "merknad",
    "kilde",
    "registrert",
    "forankringstrinn",
    "forankring",
    "program",
]
SHEET_TITLE = "Målinger"
#: The overview's filters an export follows.
FILTERS = ("tema", "nettverk", "fylke")
#: Rows the worker writes between two updates of the export's progress.
PROGRESS_EVERY = 1000
#: An export without progress this long after it was asked for (or last wrote rows) is not
#: waited for again: it is given up and a new one made.
WAITING_AT_MOST = timedelta(hours=1)
CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: spreadsheets.XLSX_TYPE,
}


def export_name(format: str) -> str:
    """The file's name: ``framgang-2013-03-05.xlsx``."""
    return f"framgang-{timezone.localdate():%Y-%m-%d}.{format}"


def filter_query(data: QueryDict) -> str:
    """The overview's filter in ``data`` as a query string (``tema=…&fylke=…``), "" for none."""
    return urlencode([(name, data[name].strip()) for name in FILTERS if data.get(name, "").strip()])


def export_projects(user, programme: Programme, query: str) -> QuerySet[LocalProject]:
    """The programme's projects the user follows, with the overview's filter (``query``, as
    :func:`filter_query` gives it; a filter that is not valid is left out, as on the page)."""
    projects = overview_projects(user, programme)
    if not query:
        return projects
    themes, networks = selectors.overview_filter_choices(user, programme)
    counties = (
        County.objects.filter(municipalities__local_projects__in=projects.values("pk"))
        .distinct()
        .order_by("number")
    )
    form = OverviewFilterForm(QueryDict(query), themes=themes, networks=networks, counties=counties)
    return form.filter(projects)


def write_file(out, format: str, rows: Iterable) -> int:
    """Write the rows under :data:`EXPORT_HEADER` into a binary file; returns how many."""
    if format == ExportFormat.CSV:
        return spreadsheets.write_csv(out, EXPORT_HEADER, rows)
    return spreadsheets.write_xlsx(out, [spreadsheets.Sheet(SHEET_TITLE, EXPORT_HEADER, rows)])


def response(format: str, rows: Iterable) -> HttpResponse:
    """The export as a download, at once."""
    if format == ExportFormat.CSV:
        return spreadsheets.csv_response(export_name(format), EXPORT_HEADER, rows)
    return spreadsheets.xlsx_response(
        export_name(format), [spreadsheets.Sheet(SHEET_TITLE, EXPORT_HEADER, rows)]
    )


def start_export(
    *, user, programme: Programme, format: str, query: str, total: int, now: datetime
) -> OverviewExport:
    """Queue an export for the background worker; while one of the same programme, format and
    filter is still waiting or being written for this user (without progress for at most
    :data:`WAITING_AT_MOST`: a worker may have been lost), that one is given back instead."""
    from .tasks import write_export as task

    purge_expired_exports(now=now)
    export, _new = jobs.ask(
        OverviewExport.objects.of(user).filter(programme=programme, format=format, query=query),
        fields={
            "requested_by": user,
            "programme": programme,
            "format": format,
            "query": query,
            "filename": export_name(format),
            "total": total,
        },
        keep=timedelta(hours=settings.EXPORT_KEEP_HOURS),
        stalled_after=WAITING_AT_MOST,
        task=task,
        now=now,
    )
    return export


def _allowed(export: OverviewExport) -> bool:
    user = export.requested_by
    return user.has_perm("measurements.view_overview") and user.has_perm(
        "measurements.export_in_background"
    )


def _rows(export: OverviewExport):
    """How many rows, and the function that writes them into the file."""
    rows = selectors.export_rows(
        projects=export_projects(export.requested_by, export.programme, export.query),
        programme=export.programme,
    )

    def write(out) -> int:
        return write_file(out, export.format, jobs.counted(rows, export, every=PROGRESS_EVERY))

    return rows.total, write


def write_export(export_id: int) -> str:
    """Write a queued export's file (the worker's part): ``written``; ``done`` when it was
    taken before (or is gone); ``refused`` when the user may no longer have it."""
    return jobs.write(
        OverviewExport.objects.select_related("requested_by", "programme"),
        export_id,
        allowed=_allowed,
        prepare=_rows,
    )


def purge_expired_exports(*, now: datetime) -> int:
    """Delete the exports asked for ``EXPORT_KEEP_HOURS`` or more ago, and their files once
    that is committed; returns how many."""
    return jobs.purge_expired(OverviewExport.objects, now=now)


#: The subject part declared below, registered by apps.py.
personal_data = Declarations()


@personal_data.erases("overview_exports", _("Your exports of the overview's raw data"), order=30)
def erase_exports(*, user) -> int:
    """Delete the user's exports and their files (when the account is deleted)."""
    return jobs.delete_with_files(OverviewExport.objects.filter(requested_by=user))
