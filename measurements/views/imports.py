"""Importing values from a file: the upload, the preview and commit, the template."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import csv_response
from municipalities.models import LocalProject, Municipality
from municipalities.rules import led_project_ids

from .. import selectors
from ..forms import ImportConfirmForm, ImportUploadForm
from ..models import ImportBatch, ImportFailure, Indicator, Measurement, MeasurementRound
from ..services import (
    AlreadyImported,
    ImportStale,
    ReasonRequired,
    RoundNotOpen,
    commit_import,
    import_entries,
    queue_import,
)
from ..value_import import (
    FORMAT_NOTES,
    HEADER_EXAMPLE,
    PREVIEW_ROWS,
    check_file,
    compare_with_saved,
    preview_rows,
    problems_of,
)
from .common import programme_context, programme_or_404, programme_query, require

#: Problems listed on the import preview; the summary counts them all.
PREVIEW_PROBLEMS = 200
#: How often the page of an import the background worker is writing reloads itself.
REFRESH_SECONDS = 5
#: Why an import was not written, by ``ImportBatch.failure``.
FAILURES = {
    ImportFailure.STALE: _(
        "Projects, indicators or rounds have changed since the file was checked. Upload it again."
    ),
    ImportFailure.ROUND_CHANGED: _(
        "A round has closed or changed since the file was checked. Upload it again."
    ),
    ImportFailure.ERROR: _("The import failed; nothing was written. Upload the file again."),
}


def _import_crumbs(*last: dict) -> list[dict]:
    return [
        {"label": gettext("My pages"), "url": reverse("network:my_pages")},
        {"label": gettext("Import values"), "url": reverse("measurements:import_upload")},
        *last,
    ]


@login_required
def import_upload(request):
    require(request, "measurements.import_measurements")
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = check_file(upload.read(), upload.name, request.user)
        summary = {
            "read": result.read,
            "valid": len(result.rows),
            "skipped": result.skipped,
            "rows_with_problems": len({p.row for p in result.problems if p.row}),
            "has_notes": result.has_notes,
        }
        if result.rows:
            rounds = MeasurementRound.objects.in_bulk({r.round_id for r in result.rows})
            summary.update(compare_with_saved(result.rows, rounds))
        ImportBatch.objects.filter(
            committed_at__isnull=True, created_at__lt=timezone.now() - timedelta(days=1)
        ).delete()
        batch = ImportBatch.objects.create(
            uploaded_by=request.user,
            filename=upload.name[:255],
            summary=summary,
            rows=result.rows,
            row_count=len(result.rows),
            first_rows=result.rows[:PREVIEW_ROWS],
            problems=[problem.as_json() for problem in result.problems],
        )
        return redirect(batch.get_absolute_url())
    # The programme picks only the template to download: the file names its own rounds.
    programme = programme_or_404(request)
    return render(
        request,
        "measurements/import_upload.html",
        {
            "form": form,
            "header_example": HEADER_EXAMPLE,
            "format_notes": FORMAT_NOTES,
            "for_everyone": request.user.has_perm("measurements.import_for_every_project"),
            "breadcrumbs": [_import_crumbs()[0], {"label": gettext("Import values")}],
            "template_url": reverse("measurements:import_template") + programme_query(request),
        }
        | programme_context(request, programme),
    )


@login_required
def import_preview(request, token):
    require(request, "measurements.import_measurements")
    # The rows are read only to be written (``_commit``); the preview has the first ones.
    batch = get_object_or_404(
        ImportBatch.objects.defer("rows"), token=token, uploaded_by=request.user
    )
    problems = problems_of(batch.problems)
    summary = batch.summary
    needs_reason = bool(summary.get("corrections"))
    form = None
    if not problems and batch.row_count and not batch.committed_at and not batch.queued_at:
        form = ImportConfirmForm(
            request.POST if request.method == "POST" else None, needs_reason=needs_reason
        )
        if request.method == "POST" and form.is_valid():
            outcome = _commit(request, batch, form)
            if outcome is not None:
                return outcome
    elif request.method == "POST" and (batch.committed_at or batch.queued_at):
        messages.info(
            request, gettext("This file was imported already; nothing was written again.")
        )
        return redirect(batch.get_absolute_url())
    elif request.method == "POST":
        messages.error(request, gettext("This file cannot be imported; upload a corrected file."))
    if batch.committed_at:
        title = gettext("Imported")
    elif batch.is_waiting:
        title = gettext("Importing")
    else:
        title = gettext("Check the import")
    return render(
        request,
        "measurements/import_preview.html",
        {
            "batch": batch,
            "summary": summary,
            "problems": problems[:PREVIEW_PROBLEMS],
            "more_problems": max(len(problems) - PREVIEW_PROBLEMS, 0),
            "file_problem": next((p for p in problems if p.row == 0), None),
            "rows": preview_rows(batch.first_rows),
            "more_rows": max(batch.row_count - PREVIEW_ROWS, 0),
            "valid_count": batch.row_count,
            "form": form,
            "title": title,
            "failure": FAILURES.get(batch.failure),
            "refresh_seconds": REFRESH_SECONDS if batch.is_waiting else None,
            "breadcrumbs": _import_crumbs({"label": title}),
        },
    )


def _commit(request, batch: ImportBatch, form: ImportConfirmForm):
    reason = form.cleaned_data.get("reason", "")
    try:
        entries, rounds = import_entries(batch, request.user)
        if batch.row_count > settings.IMPORT_BACKGROUND_ROWS:
            queue_import(batch=batch, reason=reason)
            return redirect(batch.get_absolute_url())
        result = commit_import(
            batch=batch, entries=entries, rounds=rounds, user=request.user, reason=reason
        )
    except ImportStale:
        messages.error(request, str(FAILURES[ImportFailure.STALE]))
        return None
    except AlreadyImported:
        messages.info(
            request, gettext("This file was imported already; nothing was written again.")
        )
        return redirect(batch.get_absolute_url())
    except (ReasonRequired, RoundNotOpen):
        messages.error(request, str(FAILURES[ImportFailure.ROUND_CHANGED]))
        return None
    messages.success(
        request,
        gettext(
            "Imported. New values: %(created)s, changed: %(updated)s, unchanged: %(unchanged)s."
        )
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect(batch.get_absolute_url())


@login_required
def import_template(request):
    """A CSV to fill in: the user's projects × their indicators × the open rounds (all rounds
    when none is open), with the values saved so far."""
    require(request, "measurements.import_measurements")
    programme = programme_or_404(request)
    projects = LocalProject.objects.filter(network__programme=programme)
    if not request.user.has_perm("measurements.import_for_every_project"):
        projects = projects.filter(pk__in=led_project_ids(request.user))
    projects = selectors.sort_projects(
        projects.select_related("network__theme").prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("number"))
        )
    )
    all_rounds = selectors.programme_rounds(programme.pk)
    rounds = [r for r in all_rounds if r.is_open] or all_rounds
    applicable = selectors.applicable_indicators(projects)
    indicators = Indicator.objects.in_bulk({pk for ids in applicable.values() for pk in ids})
    saved = {
        (m.local_project_id, m.indicator_id, m.round_id): m
        for m in Measurement.objects.overall().filter(
            local_project__in=[p.pk for p in projects], round__in=rounds
        )
    }
    rows = []
    for project in projects:
        numbers = " ".join(m.number for m in project.municipalities.all())
        used = sorted(
            (indicators[pk] for pk in applicable[project.pk]),
            key=lambda i: (i.local_project_id is not None, i.position, i.name),
        )
        for indicator in used:
            for round in rounds:
                measurement = saved.get((project.pk, indicator.pk, round.pk))
                rows.append(
                    [
                        numbers,
                        project.slug,
                        indicator.name,
                        round.name,
                        measurement.value if measurement else None,
                        measurement.note if measurement else "",
                    ]
                )
    header = HEADER_EXAMPLE.split(";")
    return csv_response("framgang-mal.csv", header, rows)
