"""What the measurements app adds to other apps' pages: a «Progress» block on a local
project's page, and on «Mine sider» the rounds to report (leaders) or to follow up (ministry
staff and facilitators). See ``network.sections`` and ``municipalities.sections``."""

from municipalities.models import LocalProject
from municipalities.rules import led_project_ids
from network.sections import Section
from network.selectors import current_programme, note_programme

from .models import MeasurementRound, progress_url
from .rules import results_are_published
from .selectors import (
    open_round_statuses,
    overview_projects,
    round_statuses,
    sort_projects,
    with_round_statuses,
)
from .surveys.selectors import with_survey_flag


def project_progress(*, project, request):
    user = request.user
    if not user.has_perm("measurements.view_progress", project):
        return None
    can_report = user.has_perm("measurements.report_measurements", project)
    return {
        "project": project,
        "url": progress_url(project),
        "is_published": results_are_published(project),
        "can_report": can_report,
        "open_rounds": open_round_statuses(project) if can_report else [],
    }


def led_projects(request) -> tuple[list[MeasurementRound], list[LocalProject]]:
    """The open rounds of the programmes of the projects this user leads, and those projects
    (sorted; with theme, programme, how far they reported those rounds and whether they run
    the reputation survey): two queries, once per request for the sections of «Mine sider»."""
    if not hasattr(request, "_led_projects"):
        ids = led_project_ids(request.user)
        rounds = list(
            MeasurementRound.objects.open_now()
            .filter(programme__networks__local_projects__in=ids)
            .distinct()
            .order_by("position")
        )
        projects = with_round_statuses(LocalProject.objects.filter(pk__in=ids), rounds)
        projects = sort_projects(
            with_survey_flag(projects).select_related("network__theme", "network__programme")
        )
        for project in projects[:1]:
            note_programme(request, project.network.programme)
        request._led_projects = rounds, projects
    return request._led_projects


def rounds_to_report(*, request):
    """For a project leader: each of their projects' open rounds, and how far they got."""
    if not led_project_ids(request.user):
        return None
    rounds, projects = led_projects(request)
    statuses = round_statuses(projects, rounds)
    return {
        "entries": [
            (project, round, statuses[(project.pk, round.pk)])
            for project in projects
            for round in rounds
            if round.programme_id == project.network.programme_id
        ],
        "projects": projects,
        "can_import": request.user.has_perm("measurements.import_measurements"),
    }


def rounds_to_follow_up(*, request):
    """For ministry staff and facilitators: how many of their projects reported each open
    round."""
    if not request.user.has_perm("measurements.view_completeness"):
        return None
    programme = current_programme(request)
    if programme is None:
        return None
    rounds = list(
        MeasurementRound.objects.open_now().filter(programme=programme).order_by("position")
    )
    projects = (
        list(
            with_round_statuses(overview_projects(request.user, programme), rounds).select_related(
                "network"
            )
        )
        if rounds
        else []
    )
    statuses = round_statuses(projects, rounds)
    return {
        "rounds": [
            (
                round,
                sum(1 for p in projects if statuses[(p.pk, round.pk)].is_complete),
                len(projects),
            )
            for round in rounds
        ],
    }


project_progress_section = Section(
    key="progress",
    template="measurements/sections/project_progress.html",
    get_context=project_progress,
    order=50,
)
report_section = Section(
    key="measurements_report",
    template="measurements/sections/my_report.html",
    get_context=rounds_to_report,
    order=40,
)
follow_up_section = Section(
    key="measurements_follow_up",
    template="measurements/sections/my_follow_up.html",
    get_context=rounds_to_follow_up,
    order=45,
)
