"""What the measurements app adds to other apps' pages: a «Progress» block on a local
project's page, its indicators and anchoring in the project's final report, and on «Mine
sider» the rounds to report (leaders) or to follow up (ministry staff and facilitators). See
``network.page_blocks`` and ``municipalities.page_blocks``."""

from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from core.page_blocks import block_maker
from core.prepared_reads import PreparedRead
from municipalities.models import LocalProject
from municipalities.rules import led_project_ids
from network.selectors import current_programme, note_programme

from . import selectors
from .models import MeasurementRound, progress_url
from .rules import overview_projects, results_are_published
from .selectors import (
    open_round_statuses,
    round_statuses,
    sort_projects,
    with_round_statuses,
)

#: This app's blocks: ``block(key, template name, get_context, order=...)``.
block = block_maker("measurements")


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


def final_report_progress(*, project, request):
    """Each indicator from the baseline to the last round, with its chart and goal, and the
    anchoring ladder over the rounds."""
    if not request.user.has_perm("measurements.view_progress", project):
        return None
    rounds = selectors.programme_rounds(project.network.programme_id)
    indicators, anchoring = selectors.project_progress(project, rounds, report=True)
    return {
        "project": project,
        "indicators": indicators,
        "anchoring": anchoring,
        "ladder": selectors.anchoring_ladder(),
    }


#: Callables ``(projects: QuerySet[LocalProject]) -> QuerySet[LocalProject]`` by key that
#: annotate the projects a leader leads, for the blocks of «Mine sider» (e.g. whether each
#: runs the reputation survey), so that they need no query of their own.
led_project_annotators: dict[str, Callable[[QuerySet], QuerySet]] = {}


def _open_rounds_of_projects(ids: list[int], today: date):
    return (
        MeasurementRound.objects.open_on(today)
        .filter(programme__networks__local_projects__in=ids)
        .distinct()
        .order_by("position")
    )


def _led_projects_of(ids: list[int], **round_ids: int):
    """The projects with their statuses in the rounds ``round_0``, ``round_1`` … (in order)."""
    rounds = [round_ids[f"round_{n}"] for n in range(len(round_ids))]
    projects = with_round_statuses(LocalProject.objects.filter(pk__in=ids), rounds)
    for annotate in led_project_annotators.values():
        projects = annotate(projects)
    return projects.select_related("network__theme", "network__programme")


_read_open_rounds = PreparedRead(_open_rounds_of_projects)
_read_led_projects = PreparedRead(_led_projects_of)


def led_projects(request) -> tuple[list[MeasurementRound], list[LocalProject]]:
    """The open rounds of the programmes of the projects this user leads, and those projects
    (sorted; with theme, programme, how far they reported those rounds and what
    ``led_project_annotators`` add): two queries (compiled once per process for each number
    of projects and rounds), once per request for «Mine sider»."""
    if not hasattr(request, "_led_projects"):
        ids = sorted(led_project_ids(request.user))
        rounds = _read_open_rounds.instances(ids=ids, today=timezone.localdate()) if ids else []
        round_ids = {f"round_{n}": r.pk for n, r in enumerate(rounds)}
        projects = sort_projects(_read_led_projects.instances(ids=ids, **round_ids) if ids else [])
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
            with_round_statuses(
                overview_projects(request.user, programme), [r.pk for r in rounds]
            ).select_related("network")
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


project_progress_block = block("progress", "project_progress", project_progress, order=50)
final_report_progress_block = block(
    "progress", "final_report_progress", final_report_progress, order=50
)
report_block = block("measurements_report", "my_report", rounds_to_report, order=40)
follow_up_block = block("measurements_follow_up", "my_follow_up", rounds_to_follow_up, order=45)
