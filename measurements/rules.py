"""Who may see and report measurements.

A permission on many projects has its queryset twin beside it: ``progress_visible_projects``
(``measurements.view_progress``), ``overview_projects`` (``measurements.follow_project``) and
``progress_visible_municipalities`` (``measurements.view_municipality_progress``).

- A project's progress page: public once its leaders publish the results; always visible to
  ministry staff, administrators, the facilitator of its network and its own participants.
- Reporting, goals, own indicators and publishing: the project's leaders (and administrators).
- Import: a project leader for their own projects; ministry staff and administrators for all.
- Overview, export, completeness and reminders: ministry staff and administrators for every
  project, facilitators for the projects of their networks.
- Rounds: ministry staff and administrators add and change them.
- A municipality's progress (every project it took part in): ministry and KS staff,
  administrators, the facilitators of its projects' networks and its projects' leaders.
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from municipalities.models import LocalProject, Municipality
from municipalities.rules import (
    facilitates_project_network,
    is_project_leader,
    is_project_member,
    leads_project,
    led_project_ids,
    member_project_ids,
)
from network.rules import (
    facilitated_network_ids,
    is_administrator,
    is_facilitator,
    is_programme_staff,
    reads_everything,
)


def results_are_published(project) -> bool:
    """Read from the ``results_published`` annotation when ``with_publication`` set it."""
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


follows_all_projects = reads_everything | is_facilitator
can_report = is_administrator | leads_project


sees_progress = (
    results_published | reads_everything | facilitates_project_network | is_project_member
)

rules.add_perm("measurements.view_progress", sees_progress)


def with_publication(projects: QuerySet) -> QuerySet:
    """Annotated with ``results_published``, which ``results_are_published`` reads."""
    from .models import ProgressPage

    return projects.annotate(
        results_published=Exists(
            ProgressPage.objects.filter(local_project=OuterRef("pk"), published_at__isnull=False)
        )
    )


def progress_visible_projects(user) -> QuerySet[LocalProject]:
    """The queryset twin of ``measurements.view_progress``."""
    projects = with_publication(LocalProject.objects.all())
    if reads_everything(user):
        return projects
    visible = Q(results_published=True)
    if user.is_authenticated:
        visible |= Q(network_id__in=facilitated_network_ids(user))
        visible |= Q(pk__in=member_project_ids(user))
    return projects.filter(visible)


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

follows_project = reads_everything | facilitates_project_network

rules.add_perm("measurements.view_overview", follows_all_projects)
rules.add_perm("measurements.view_completeness", follows_all_projects)
#: Ministry and KS staff (and administrators) have large exports of the overview's raw data
#: written in the background, and download them; others export what they follow at once.
rules.add_perm("measurements.export_in_background", reads_everything)
#: Called with a project: shown on the overview, export and completeness pages.
rules.add_perm("measurements.follow_project", follows_project)
rules.add_perm("measurements.remind_project", follows_project)


def overview_projects(user, programme) -> QuerySet[LocalProject]:
    """The programme's projects the overview, export and completeness pages show this user:
    the queryset twin of ``measurements.follow_project``."""
    projects = LocalProject.objects.filter(network__programme=programme)
    if reads_everything(user):
        return projects
    return projects.filter(network_id__in=facilitated_network_ids(user))


rules.add_perm("measurements.view_rounds", follows_all_projects)
rules.add_perm("measurements.manage_rounds", is_administrator | is_programme_staff)


def municipality_project_networks(municipality) -> frozenset[tuple[int, int]]:
    """``(project id, network id)`` of each project the municipality took part in: read from
    ``municipality.project_networks`` when a view has set it, else one query."""
    known = getattr(municipality, "project_networks", None)
    if known is None:
        known = frozenset(
            LocalProject.objects.filter(municipalities=municipality).values_list("pk", "network_id")
        )
        municipality.project_networks = known
    return known


@rules.predicate
def follows_municipality(user, municipality) -> bool:
    """The user facilitates the network of one of the municipality's projects, or leads one."""
    if municipality is None or not user.is_authenticated:
        return False
    networks, led = facilitated_network_ids(user), led_project_ids(user)
    if not networks and not led:
        return False
    return any(
        network_id in networks or project_id in led
        for project_id, network_id in municipality_project_networks(municipality)
    )


rules.add_perm("measurements.view_municipality_progress", reads_everything | follows_municipality)


def progress_visible_municipalities(user) -> QuerySet[Municipality]:
    """The queryset twin of ``measurements.view_municipality_progress``."""
    if reads_everything(user):
        return Municipality.objects.all()
    if not user.is_authenticated:
        return Municipality.objects.none()
    followed = Q(local_projects__network_id__in=facilitated_network_ids(user)) | Q(
        local_projects__pk__in=led_project_ids(user)
    )
    return Municipality.objects.filter(pk__in=Municipality.objects.filter(followed).values("pk"))
