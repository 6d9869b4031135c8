"""The overview's raw data as CSV or XLSX: at once, or for a large export by ministry and KS
staff, written by the background worker with a page that follows it (``exports.py``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache

from core import jobs
from core.jobs import JobState
from network.selectors import note_programme

from .. import exports, selectors
from ..models import ExportFormat, OverviewExport
from .common import (
    PROGRAMME_PARAMETER,
    overview_crumbs,
    programme_or_404,
    programme_query,
    require,
)

#: How often the page of an export the worker is writing asks for news (seconds;
#: ``static/js/file-job-status.js``).
REFRESH_SECONDS = 3
#: The user's earlier exports listed beside a new one.
EARLIER_EXPORTS = 10


# Starting an export changes no page anyone else sees; the export's pages change as the worker
# writes, so neither the page cache nor the browser keeps them.


@login_required
@never_cache
def export_csv(request):
    return _export(request, ExportFormat.CSV)


@login_required
@never_cache
def export_xlsx(request):
    return _export(request, ExportFormat.XLSX)


def _export(request, format: str):
    """GET: the file, when it holds at most ``EXPORT_BACKGROUND_ROWS`` values or the user
    cannot have it written in the background; else a page that offers to. POST: queue it."""
    require(request, "measurements.view_overview")
    in_background = request.user.has_perm("measurements.export_in_background")
    if request.method == "POST" and not in_background:
        raise PermissionDenied
    programme = programme_or_404(request)
    query = exports.filter_query(request.GET)
    projects = exports.export_projects(request.user, programme, query)
    rows = selectors.export_rows(projects=projects, programme=programme)
    if request.method == "POST":
        export = exports.start_export(
            user=request.user,
            programme=programme,
            format=format,
            query=query,
            total=rows.total,
            now=timezone.now(),
        )
        return redirect(export.get_absolute_url())
    if rows.total <= settings.EXPORT_BACKGROUND_ROWS or not in_background:
        return exports.response(format, rows)
    title = gettext("Export the raw data")
    return render(
        request,
        "measurements/export_start.html",
        {
            "title": title,
            "programme": programme,
            "format": ExportFormat(format),
            "total": rows.total,
            "filtered": bool(query),
            "keep_hours": settings.EXPORT_KEEP_HOURS,
            "earlier": _earlier_exports(request.user, now=timezone.now()),
            "breadcrumbs": overview_crumbs({"label": title}, request=request),
            "back": reverse("measurements:overview") + programme_query(request),
        },
    )


def _earlier_exports(user, *, now) -> list[OverviewExport]:
    return list(
        OverviewExport.objects.of(user).kept(now).select_related("programme")[:EARLIER_EXPORTS]
    )


def _own_export(request, token) -> OverviewExport:
    """The user's own export (anyone else's is not found)."""
    require(request, "measurements.export_in_background")
    export = get_object_or_404(
        OverviewExport.objects.of(request.user).select_related("programme"), token=token
    )
    note_programme(request, export.programme)
    return export


#: The status page's title in each state.
TITLES = {
    JobState.WAITING: gettext_lazy("Writing the export"),
    JobState.RUNNING: gettext_lazy("Writing the export"),
    JobState.READY: gettext_lazy("The export is ready"),
    JobState.FAILED: gettext_lazy("The export failed"),
    JobState.EXPIRED: gettext_lazy("The export has expired"),
}


@login_required
@never_cache
def export_status(request, token):
    export = _own_export(request, token)
    context = jobs.status_context(export, now=timezone.now(), refresh_seconds=REFRESH_SECONDS)
    title = str(TITLES[context["state"]])
    return render(
        request,
        "measurements/export_status.html",
        {
            **context,
            "title": title,
            "filters": list(QueryDict(export.query).items()),
            "format": ExportFormat(export.format),
            "breadcrumbs": [
                {
                    "label": gettext("Progress"),
                    "url": reverse("measurements:overview")
                    + "?"
                    + urlencode({PROGRAMME_PARAMETER: export.programme.slug}),
                },
                {"label": title},
            ],
        },
    )


@login_required
@never_cache
def export_download(request, token):
    export = _own_export(request, token)
    return jobs.download(
        export, content_type=exports.CONTENT_TYPES[export.format], now=timezone.now()
    )
