"""What the measurement pages share: the permission check, the project a user may see, the
programme they follow (``?program=<slug>``, else the current one) and the breadcrumbs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from municipalities.models import LocalProject
from network.models import Programme
from network.selectors import every_programme, note_programme, page_programme

from .. import selectors
from ..drawings import draw_form
from ..forms import ProgrammeChoiceForm
from ..models import progress_url


def require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def visible_project(request, slug: str) -> LocalProject:
    """The project, with its network, theme and programme; 404 when the user may not see its
    progress (``measurements.view_progress``, whose twin is ``progress_visible_projects``)."""
    project = selectors.project_by_slug(slug)
    if project is None or not request.user.has_perm("measurements.view_progress", project):
        raise Http404
    note_programme(request, project.network.programme)
    return project


#: The query parameter that picks the programme round the pages follow.
PROGRAMME_PARAMETER = "program"


def asked_programme(request) -> str:
    """The programme's slug the request asks for (in the URL, or posted by a form), or ""."""
    return (
        request.GET.get(PROGRAMME_PARAMETER) or request.POST.get(PROGRAMME_PARAMETER) or ""
    ).strip()


def programme_or_404(request) -> Programme:
    """The programme asked for with ``?program=<slug>`` (404 if there is none by that slug),
    else the current one. Reads every programme in one query, for the selector too
    (``programme_context``)."""
    programmes = every_programme()
    current = next((p for p in programmes if p.is_current), None) or next(iter(programmes), None)
    slug = asked_programme(request)
    programme = next((p for p in programmes if p.slug == slug), None) if slug else current
    if programme is None:
        if current is not None:
            note_programme(request, current)
        raise Http404
    # The header, the footer and the breadcrumbs name the programme the page shows.
    note_programme(request, programme, current=current)
    request.measurement_programmes = programmes
    return programme


def programme_query(request, **more) -> str:
    """``?program=<slug>`` (and ``more``) when the request asks for a programme, to keep the
    choice in links and redirects; else ``more`` alone, or ""."""
    slug = asked_programme(request)
    query = urlencode(({PROGRAMME_PARAMETER: slug} if slug else {}) | more)
    return f"?{query}" if query else ""


def programme_context(request, programme: Programme) -> dict:
    """The programme, the selector (a GET form) and the choice to carry in links and forms."""
    return {
        "programme": programme,
        "programme_choice": draw_form(
            ProgrammeChoiceForm(
                initial={PROGRAMME_PARAMETER: programme.slug},
                programmes=getattr(request, "measurement_programmes", [programme]),
            )
        ),
        "programme_asked": asked_programme(request),
        "programme_query": programme_query(request),
    }


def programme_crumb(programme: Programme) -> dict:
    """The first breadcrumb of a page of one programme: its front page."""
    return {"label": programme.name, "url": programme.front_page_url}


def project_crumbs(project: LocalProject, *last: dict) -> list[dict]:
    return [
        programme_crumb(project.network.programme),
        {"label": project.network.name, "url": project.network.get_absolute_url()},
        {"label": project.name, "url": project.get_absolute_url()},
        {"label": gettext("Progress"), "url": progress_url(project)},
        *last,
    ]


def overview_crumbs(*last: dict, request=None) -> list[dict]:
    """From the page's programme (``programme_or_404``) and its overview."""
    if request is None:
        return [{"label": gettext("Progress"), "url": reverse("measurements:overview")}, *last]
    programme = page_programme(request)
    first = [programme_crumb(programme)] if programme is not None else []
    overview = reverse("measurements:overview") + programme_query(request)
    return [*first, {"label": gettext("Progress"), "url": overview}, *last]
