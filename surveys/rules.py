"""Who may run the reputation survey and see its results.

A project's leaders (and administrators) open, change and close its runs and send invitations,
in a theme that runs the survey (its catalogue holds the survey's index); results are seen by
whoever sees the project's progress; the anonymous answers are exported by the project's
leaders and by ministry staff and administrators (every project). Queryset twins:
``measurements.rules.progress_visible_projects`` narrowed by ``selectors.with_survey_flag``
(``surveys.view_results``), and on «Mine sider» ``selectors.runs_of_projects`` of the projects a
leader leads (``surveys.manage_runs``); ``tests/test_rule_twins.py`` holds them to the rules.
"""

import rules

from measurements.rules import can_report, sees_progress
from network.rules import is_administrator, is_programme_staff, reads_everything

from .selectors import runs_surveys


@rules.predicate
def project_runs_surveys(user, project) -> bool:
    return project is not None and runs_surveys(project)


rules.add_perm("surveys.view_results", sees_progress & project_runs_surveys)
rules.add_perm("surveys.manage_runs", can_report & project_runs_surveys)
rules.add_perm("surveys.export_answers", (can_report | reads_everything) & project_runs_surveys)
rules.add_perm("surveys.export_all_answers", is_administrator | is_programme_staff)
