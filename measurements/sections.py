"""What the measurements app adds to other apps' pages: a «Progress» block on a local
project's page, and on «Mine sider» the rounds to report (leaders) or to follow up (ministry
staff and facilitators). See ``network.sections`` and ``municipalities.sections``."""

from municipalities.models import LocalProject
from municipalities.rules import led_project_ids
from network.models import Programme
from network.sections import Section

from .models import MeasurementRound, progress_url
from .rules import results_are_published
from .selectors import overview_projects, programme_rounds, round_statuses, sort_projects


def project_progress(*, project, request):
    user = request.user
    if not user.has_perm("measurements.view_progress", project):
        return None
    can_report = user.has_perm("measurements.report_measurements", project)
    open_rounds = []
    if can_report:
        rounds = [r for r in programme_rounds(project.network.programme_id) if r.is_open]
        statuses = round_statuses([project], rounds)
        open_rounds = [(r, statuses[(project.pk, r.pk)]) for r in rounds]
    return {
        "project": project,
        "url": progress_url(project),
        "is_published": results_are_published(project),
        "can_report": can_report,
        "open_rounds": open_rounds,
    }


def rounds_to_report(*, request):
    """For a project leader: each of their projects' open rounds, and how far they got."""
    ids = led_project_ids(request.user)
    if not ids:
        return None
    projects = sort_projects(
        LocalProject.objects.filter(pk__in=ids).select_related("network__theme")
    )
    rounds = list(
        MeasurementRound.objects.open_now()
        .filter(programme_id__in={p.network.programme_id for p in projects})
        .order_by("position")
    )
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
    programme = Programme.objects.current()
    if programme is None:
        return None
    rounds = list(
        MeasurementRound.objects.open_now().filter(programme=programme).order_by("position")
    )
    projects = list(overview_projects(request.user, programme).select_related("network"))
    statuses = round_statuses(projects, rounds) if rounds and projects else {}
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
