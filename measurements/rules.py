"""Who may see and report measurements.

Each predicate has a queryset twin in ``measurements/selectors.py``
(``progress_visible_projects``, ``reportable_projects``, ``overview_projects``).

- A project's progress page: public once its leaders publish the results; always visible to
  ministry staff, administrators, the facilitator of its network and its own participants.
- Reporting, goals, own indicators and publishing: the project's leaders (and administrators).
- Import: a project leader for their own projects; ministry staff and administrators for all.
- Overview, export, completeness and reminders: ministry staff and administrators for every
  project, facilitators for the projects of their networks.
- Rounds: ministry staff and administrators add and change them.
"""

import rules

from municipalities.rules import (
    facilitates_project_network,
    is_project_leader,
    leads_project,
    member_project_ids,
)
from network.rules import is_administrator, is_facilitator, is_programme_staff, reads_everything


def results_are_published(project) -> bool:
    """Read from the ``results_published`` annotation when the selector set it."""
    published = getattr(project, "results_published", None)
    if published is None:
        from .models import ProgressPage

        published = ProgressPage.objects.filter(
            local_project=project, published_at__isnull=False
        ).exists()
        project.results_published = published
    return published


@rules.predicate
def results_published(user, project) -> bool:
    return project is not None and results_are_published(project)


@rules.predicate
def is_project_member(user, project) -> bool:
    return project is not None and project.pk in member_project_ids(user)


follows_all_projects = reads_everything | is_facilitator
can_report = is_administrator | leads_project


sees_progress = (
    results_published | reads_everything | facilitates_project_network | is_project_member
)

rules.add_perm("measurements.view_progress", sees_progress)
rules.add_perm(
    "measurements.view_progress_history",
    reads_everything | facilitates_project_network | leads_project,
)
rules.add_perm("measurements.report_measurements", can_report)
rules.add_perm("measurements.change_goals", can_report)
rules.add_perm("measurements.manage_own_indicators", can_report)
rules.add_perm("measurements.publish_results", can_report)

rules.add_perm("measurements.import_measurements", reads_everything | is_project_leader)
rules.add_perm("measurements.import_for_every_project", is_administrator | is_programme_staff)

rules.add_perm("measurements.view_overview", follows_all_projects)
rules.add_perm("measurements.view_completeness", follows_all_projects)
rules.add_perm("measurements.remind_project", reads_everything | facilitates_project_network)
rules.add_perm("measurements.view_rounds", follows_all_projects)
rules.add_perm("measurements.manage_rounds", is_administrator | is_programme_staff)
