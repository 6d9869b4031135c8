"""What the measurement pages share: the permission check, the project a user may see, the
current programme and the breadcrumbs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from municipalities.models import LocalProject
from network.models import Programme
from network.selectors import current_programme, note_programme

from ..models import progress_url
from ..rules import progress_visible_projects


def require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def visible_project(request, slug: str) -> LocalProject:
    project = get_object_or_404(
        progress_visible_projects(request.user).select_related(
            "network__theme", "network__programme"
        ),
        slug=slug,
    )
    note_programme(request, project.network.programme)
    return project


def programme_or_404(request) -> Programme:
    programme = current_programme(request)
    if programme is None:
        raise Http404
    return programme


def project_crumbs(project: LocalProject, *last: dict) -> list[dict]:
    return [
        {"label": project.network.programme.name, "url": reverse("network:home")},
        {"label": project.network.name, "url": project.network.get_absolute_url()},
        {"label": project.name, "url": project.get_absolute_url()},
        {"label": gettext("Progress"), "url": progress_url(project)},
        *last,
    ]


def overview_crumbs(*last: dict) -> list[dict]:
    return [{"label": gettext("Progress"), "url": reverse("measurements:overview")}, *last]
