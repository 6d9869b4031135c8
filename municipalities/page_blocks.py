"""What the municipalities app adds to the network app's pages (see ``network.page_blocks``)."""

from collections.abc import Callable

from django.db.models import F, Func, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.page_blocks import BlockRegistry, block_maker
from core.translated_fields import in_every_language
from network.rules import facilitated_network_ids
from network.selectors import current_programme

from .models import LocalProject, Participant
from .rules import invitations_managed_by, member_project_ids

#: This app's blocks: ``block(key, template name, get_context, order=...)``.
block = block_maker("municipalities")

#: Sections of a local project's page contributed by the apps that depend on this one
#: (gatherings: tasks before the next gathering; measurements: progress); called with
#: ``project`` and ``request``.
project_blocks = BlockRegistry("project")

#: Sections of a project's final report (``views.final_report``) contributed by the apps
#: that depend on this one (gatherings attended, indicators, anchoring); called with
#: ``project`` and ``request``. Each block's template is part of the printed report too.
final_report_blocks = BlockRegistry("final_report")

#: Callables ``(projects: QuerySet) -> QuerySet`` by key, that annotate the query of the
#: projects whose final report is shown or printed (``selectors.projects_for_report``) with
#: what the sections of ``final_report_blocks`` ask of each project (e.g. whether it ran a
#: survey at all), so that they need no query of their own for it.
final_report_annotators: dict[str, Callable[[QuerySet], QuerySet]] = {}

#: Callables ``(projects: QuerySet) -> QuerySet`` by key, that annotate the project page's
#: query with what those sections ask of the project (e.g. whether its results are
#: published), so that they need no query of their own.
project_annotators: dict[str, Callable[[QuerySet], QuerySet]] = {}


def with_local_project_count(networks: QuerySet) -> QuerySet:
    """Annotated with ``local_project_count`` (a subquery)."""
    counted = (
        LocalProject.objects.filter(network=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return networks.annotate(local_project_count=Coalesce(Subquery(counted), 0))


def network_projects(*, network, request):
    """The network's projects, each with its municipalities (``municipality_entries``) and
    ``url``: one query."""
    from .selectors import network_project_cards

    projects = network_project_cards(network)
    return {
        "projects": projects,
        "network": network,
        "can_download_reports": request.user.has_perm(
            "municipalities.download_final_reports", network
        ),
    }


network_projects_block = block("local_projects", "network_projects", network_projects, order=10)


def network_stories_link(*, network, request):
    """A link to the network's good stories (no query: the stories page lists them)."""
    return {"network": network}


network_stories_block = block("stories", "network_stories", network_stories_link, order=30)


# --- «Mine sider» ---------------------------------------------------------------------------


def my_local_projects(*, request):
    """The local projects this user takes part in, as project leader or participant."""
    if not member_project_ids(request.user):
        return None
    participations = list(
        Participant.objects.filter(user=request.user)
        .select_related("local_project__network")
        .only(
            "is_project_leader",
            "local_project__name",
            "local_project__slug",
            *in_every_language("local_project__network__name"),
            "local_project__network__slug",
        )
        .order_by("local_project__name")
    )
    return {"participations": participations} if participations else None


def my_network_projects(*, request):
    """For a facilitator: the local projects of their networks and their project leaders."""
    network_ids = facilitated_network_ids(request.user)
    if not network_ids:
        return None
    leaders = Participant.objects.filter(is_project_leader=True).order_by("name")
    projects = list(
        LocalProject.objects.filter(network_id__in=network_ids)
        .select_related("network")
        .prefetch_related(Prefetch("participants", queryset=leaders, to_attr="leaders"))
        .order_by("network__name", "name")
    )
    return {"projects": projects}


def my_invitations(*, request):
    """Links to the invitation pages for those who may invite, with the open invitations."""
    if not request.user.has_perm("municipalities.send_invitations"):
        return None
    return {"pending_count": invitations_managed_by(request.user).pending().count()}


my_local_projects_block = block(
    "my_local_projects", "my_local_projects", my_local_projects, order=20
)
my_network_projects_block = block(
    "my_network_projects", "my_network_projects", my_network_projects, order=40
)
my_invitations_block = block("my_invitations", "my_invitations", my_invitations, order=60)


def my_final_reports(*, request):
    """For those who read everything: the current programme's final reports in one ZIP file
    (no query of its own: the page's header reads the current programme anyway)."""
    if not request.user.has_perm("municipalities.download_programme_final_reports"):
        return None
    programme = current_programme(request)
    return {"programme": programme} if programme is not None else None


my_final_reports_block = block("my_final_reports", "my_final_reports", my_final_reports, order=55)


# --- «Mine data» and deletion requests --------------------------------------------------------


def my_deletion_requests(*, request):
    """For those who confirm deletions: a link to the requests (no query of its own)."""
    return {} if request.user.has_perm("network.view_deletion_requests") else None


my_deletion_requests_block = block(
    "my_deletion_requests", "my_deletion_requests", my_deletion_requests, order=15
)
