"""One municipality's progress: every local project it took part in, as pictures over time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext

from network.selectors import note_programme, page_programme

from .. import selectors
from ..models import progress_url_maker
from .common import programme_crumb, require


@login_required
def municipality_progress(request, number):
    municipality = selectors.municipality_by_number(number)
    if municipality is None:
        raise Http404
    project_list = selectors.municipality_projects(municipality)
    # What the permission's predicate reads, so that it needs no query of its own.
    municipality.project_networks = frozenset((p.pk, p.network_id) for p in project_list)
    require(request, "measurements.view_municipality_progress", municipality)
    projects = selectors.municipality_progress(municipality, project_list)
    url_of = progress_url_maker()
    for item in projects:
        item.can_view_progress = request.user.has_perm("measurements.view_progress", item.project)
        item.url = url_of(item.project.slug)
    programmes = sorted(
        {p.network.programme_id: p.network.programme for p in project_list}.values(),
        key=lambda p: (-p.start_year, p.name),
    )
    if programmes:
        # The page's programme: the current one if the municipality took part in it, else
        # the latest round it took part in.
        note_programme(request, next((p for p in programmes if p.is_current), programmes[0]))
    programme = page_programme(request)
    return render(
        request,
        "measurements/municipality_progress.html",
        {
            "municipality": municipality,
            "projects": projects,
            "programmes": programmes,
            "breadcrumbs": [
                *([programme_crumb(programme)] if programme else []),
                {"label": municipality.name, "url": municipality.get_absolute_url()},
                {"label": gettext("Progress")},
            ],
        },
    )
