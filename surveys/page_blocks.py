"""What the reputation survey adds to other apps' pages: a «Reputation survey» block on a local
project's page, the reputation index from baseline to end in its final report, and on «Mine
sider» the runs of the projects a leader leads."""

from django.urls import reverse

from core.page_blocks import block_maker
from measurements.page_blocks import led_projects
from municipalities.rules import led_project_ids

from . import selectors
from .models import MIN_ANSWERS

#: This app's blocks: ``block(key, template name, get_context, order=...)``.
block = block_maker("surveys")


def project_surveys(*, project, request):
    user = request.user
    if not user.has_perm("surveys.view_results", project):
        return None
    runs = selectors.project_runs(project)
    can_manage = user.has_perm("surveys.manage_runs", project)
    if not runs and not can_manage:
        return None
    return {
        "project": project,
        "runs": runs,
        "can_manage": can_manage,
        "url": reverse("surveys:runs", args=[project.slug]),
        "min_answers": MIN_ANSWERS,
    }


def final_report_index(*, project, request):
    """The reputation index at the baseline and at the end, for each target group the project
    surveyed: no query for a project loaded with ``selectors.with_report_survey``."""
    if not request.user.has_perm("surveys.view_results", project):
        return None
    comparisons = selectors.report_comparisons(project)
    if not comparisons:
        return None
    return {
        "comparisons": [(group.label, comparison) for group, comparison in comparisons],
        "min_answers": MIN_ANSWERS,
    }


def my_survey_runs(*, request):
    """For a project leader: the survey runs of the projects they lead that run the survey."""
    if not led_project_ids(request.user):
        return None
    _rounds, projects = led_projects(request)
    entries = selectors.runs_of_projects(projects)
    if not entries:
        return None
    return {"entries": entries, "min_answers": MIN_ANSWERS}


project_surveys_block = block("reputation_survey", "project_runs", project_surveys, order=55)
final_report_index_block = block(
    "reputation_survey", "final_report_index", final_report_index, order=55
)
my_survey_runs_block = block("reputation_survey_runs", "my_runs", my_survey_runs, order=42)
