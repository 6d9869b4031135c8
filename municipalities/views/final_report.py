"""A local project's final report (sluttrapport): the page and its PDF; and the ministry's ZIP
files of every report of a network or a programme, made in the background
(``report_archives``): asking for one, its status page and the download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import jobs
from core.files import content_disposition
from core.norwegian import norwegian_key
from network.models import Network, Programme
from network.selectors import note_programme

from .. import final_report, report_archives, selectors
from ..lookups import project_for
from ..models import ReportArchive
from .common import project_breadcrumbs

PERM = "municipalities.view_final_report"
#: How often the status page of a ZIP file being made asks for news (seconds;
#: ``static/js/file-job-status.js``).
REFRESH_SECONDS = 5
#: The user's earlier ZIP files of the same reports listed on the page that asks for one.
EARLIER_ARCHIVES = 5


def _project(request, slug):
    return project_for(request, slug, perm=PERM, queryset=selectors.projects_for_report())


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
        report_archives.NETWORK_PERM, project.network
    )
    context["can_download_programme"] = request.user.has_perm(
        report_archives.PROGRAMME_PERM, project.network.programme
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


# --- Every report of a network or a programme in one ZIP file ---------------------------------


def _scope_crumbs(programme: Programme, network: Network | None, *last: dict) -> list[dict]:
    crumbs = [{"label": programme.name, "url": programme.get_absolute_url()}]
    if network is not None:
        crumbs.append({"label": network.name, "url": network.get_absolute_url()})
    return [*crumbs, *last]


def _scope_url(programme: Programme, network: Network | None) -> str:
    if network is not None:
        return reverse("municipalities:network_report_archive", args=[network.slug])
    return reverse("municipalities:programme_report_archive", args=[programme.slug])


def _ask_for_archive(request, *, programme: Programme, network: Network | None):
    """The page that asks for a ZIP file of the reports (GET) and asks (POST): the user's
    archive of these reports that is being made, or a new one."""
    if not report_archives.may_download(request.user, programme=programme, network=network):
        raise PermissionDenied
    note_programme(request, programme)
    now = timezone.now()
    if request.method == "POST":
        archive, created = report_archives.request_archive(
            user=request.user,
            programme=programme,
            network=network,
            language=get_language(),
            now=now,
        )
        if not created:
            messages.info(
                request,
                _("A ZIP file of these reports is being made for you already: here it is."),
            )
        return redirect(archive.get_absolute_url())
    earlier = list(
        ReportArchive.objects.of(request.user)
        .of_scope(programme=programme, network=network)
        .kept(now)[:EARLIER_ARCHIVES]
    )
    networks = []
    if network is None:
        networks = sorted(
            programme.networks.filter(local_projects__isnull=False).distinct(),
            key=lambda item: norwegian_key(item.name),
        )
    scope_name = network.name if network is not None else programme.name
    return render(
        request,
        "municipalities/report_archive_ask.html",
        {
            "programme": programme,
            "network": network,
            "scope_name": scope_name,
            "project_count": report_archives.scope_projects(
                programme=programme, network=network
            ).count(),
            "networks": networks,
            "keep_hours": int(report_archives.KEEP.total_seconds() // 3600),
            "earlier": [(archive, archive.state(now)) for archive in earlier],
            "breadcrumbs": _scope_crumbs(programme, network, {"label": _("Final reports")}),
        },
    )


@login_required
@never_cache
def network_report_archive(request, slug):
    network = get_object_or_404(Network.objects.select_related("programme"), slug=slug)
    return _ask_for_archive(request, programme=network.programme, network=network)


@login_required
@never_cache
def programme_report_archive(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    return _ask_for_archive(request, programme=programme, network=None)


def _archive(request, token) -> ReportArchive:
    """The user's own archive (others' are not found), if they may still have its reports."""
    archive = get_object_or_404(
        ReportArchive.objects.of(request.user).select_related("programme", "network"),
        token=token,
    )
    if not report_archives.may_download(
        request.user, programme=archive.programme, network=archive.network
    ):
        raise PermissionDenied
    note_programme(request, archive.programme)
    return archive


@login_required
@never_cache
def report_archive(request, token):
    """How far the ZIP file is: follows the worker while it is being made, then links to it."""
    archive = _archive(request, token)
    scope_url = _scope_url(archive.programme, archive.network)
    return render(
        request,
        "municipalities/report_archive.html",
        {
            **jobs.status_context(archive, now=timezone.now(), refresh_seconds=REFRESH_SECONDS),
            "title": _("Final reports of %(name)s") % {"name": archive.scope.name},
            "scope_url": scope_url,
            "breadcrumbs": _scope_crumbs(
                archive.programme,
                archive.network,
                {"label": _("Final reports"), "url": scope_url},
                {"label": _("ZIP file")},
            ),
        },
    )


@login_required
def report_archive_download(request, token):
    archive = _archive(request, token)
    return jobs.download(archive, content_type="application/zip", now=timezone.now())


@login_required
def network_final_reports(request, slug):
    """The old address of a network's ZIP file, made while one waited: now the page that asks
    for it to be made in the background."""
    network = get_object_or_404(Network, slug=slug)
    if not request.user.has_perm(report_archives.NETWORK_PERM, network):
        raise PermissionDenied
    return redirect("municipalities:network_report_archive", slug=network.slug)
