"""Results: baseline and end compared, and the answers exported (one run, or every run of
the programme)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from core.spreadsheets import Sheet, csv_response, xlsx_response
from network.selectors import current_programme

from .. import selectors
from ..charts import comparison_charts
from ..exports import result_table
from ..models import MIN_ANSWERS, SurveyRun, TargetGroup
from .common import project_crumbs, project_or_404, require, run_or_404


def compare(request, slug, group):
    project = project_or_404(request, slug)
    require(request, "surveys.view_results", project)
    if group not in TargetGroup.values:
        raise Http404
    comparison = selectors.comparison(project, group)
    charts = []
    if not comparison.problem:
        charts = comparison_charts(
            comparison.baseline_results,
            comparison.end_results,
            (comparison.baseline.round.name, comparison.end.round.name),
        )
    return render(
        request,
        "surveys/compare.html",
        {
            "project": project,
            "group": TargetGroup(group),
            "comparison": comparison,
            "charts": charts,
            "min_answers": MIN_ANSWERS,
            "breadcrumbs": project_crumbs(
                project,
                {
                    "label": gettext("Baseline and end: %(group)s")
                    % {"group": TargetGroup(group).label.lower()}
                },
            ),
        },
    )


# --- Exports ------------------------------------------------------------------------------------


def _file(extension: str, name: str, header: list[str], rows) -> HttpResponse:
    """The table as a CSV file or an Excel workbook named ``name`` and ``extension``."""
    if extension == "xlsx":
        return xlsx_response(f"{name}.xlsx", [Sheet("Resultater", header, rows)])
    return csv_response(f"{name}.csv", header, rows)


def _run_export(request, slug, pk, extension: str):
    project = project_or_404(request, slug)
    require(request, "surveys.export_answers", project)
    run = run_or_404(project, pk)
    if not (run.is_closed and run.has_enough_answers):
        messages.info(
            request,
            gettext(
                "The answers are exported when the survey is closed with at least %(min)s answers."
            )
            % {"min": MIN_ANSWERS},
        )
        return redirect(run.get_absolute_url())
    header, rows = result_table(SurveyRun.objects.filter(pk=run.pk))
    name = f"omdomme-{project.slug}-{run.round.slug}-{run.target_group}"
    return _file(extension, name, header, rows)


@login_required
def run_export_csv(request, slug, pk):
    return _run_export(request, slug, pk, "csv")


@login_required
def run_export_xlsx(request, slug, pk):
    return _run_export(request, slug, pk, "xlsx")


def _all_answers(request, extension: str):
    require(request, "surveys.export_all_answers")
    programme = current_programme(request)
    if programme is None:
        raise Http404
    header, rows = result_table(
        SurveyRun.objects.filter(local_project__network__programme=programme)
    )
    return _file(extension, f"omdommeundersokelser-{timezone.localdate():%Y-%m-%d}", header, rows)


@login_required
def export_csv(request):
    return _all_answers(request, "csv")


@login_required
def export_xlsx(request):
    return _all_answers(request, "xlsx")
