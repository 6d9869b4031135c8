"""What the project pages of the survey share: the permission check, the project and run a
user may see, and the breadcrumbs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from measurements.rules import progress_visible_projects
from municipalities.models import LocalProject
from network.selectors import note_programme

from .. import selectors
from ..models import SurveyRun


def require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def project_or_404(request, slug: str) -> LocalProject:
    project = get_object_or_404(
        selectors.with_survey_flag(progress_visible_projects(request.user)).select_related(
            "network__theme", "network__programme"
        ),
        slug=slug,
    )
    note_programme(request, project.network.programme)
    return project


def run_or_404(project: LocalProject, pk: int) -> SurveyRun:
    run = selectors.project_run(project, pk)
    if run is None:
        raise Http404
    run.local_project = project
    return run


def project_crumbs(project: LocalProject, *last: dict) -> list[dict]:
    crumbs = [
        {"label": project.network.programme.name, "url": project.network.programme.front_page_url},
        {"label": project.network.name, "url": project.network.get_absolute_url()},
        {"label": project.name, "url": project.get_absolute_url()},
        {
            "label": gettext("Reputation surveys"),
            "url": reverse("surveys:runs", args=[project.slug]),
        },
        *last,
    ]
    crumbs[-1].pop("url", None)
    return crumbs
