"""A local project's final report (sluttrapport): the page, its PDF, and a network's reports
in one ZIP file."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.files import content_disposition
from network.models import Network

from .. import final_report, selectors
from ..lookups import project_for
from .common import project_breadcrumbs

PERM = "municipalities.view_final_report"


def _project(request, slug):
    return project_for(request, slug, perm=PERM, queryset=selectors.projects_with_page())


def _download(content: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def final_report_page(request, slug):
    project = _project(request, slug)
    context = final_report.report_context(project, request)
    context["breadcrumbs"] = project_breadcrumbs(project, {"label": _("Final report")})
    context["can_download_network"] = request.user.has_perm(
        "municipalities.download_final_reports", project.network
    )
    return render(request, "municipalities/final_report.html", context)


@login_required
def final_report_pdf(request, slug):
    project = _project(request, slug)
    return _download(
        final_report.project_pdf(project, request),
        content_type="application/pdf",
        filename=final_report.pdf_filename(project),
        inline=True,
    )


@login_required
def network_final_reports(request, slug):
    """Every final report of the network's projects as one ZIP file, made while one waits
    (a network has a handful of projects)."""
    network = get_object_or_404(Network, slug=slug)
    if not request.user.has_perm("municipalities.download_final_reports", network):
        raise PermissionDenied
    return _download(
        final_report.network_zip(network, request),
        content_type="application/zip",
        filename=f"sluttrapporter-{network.slug}.zip",
        inline=False,
    )
