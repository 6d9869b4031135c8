"""What the gatherings app adds to the network app's pages (see ``network.page_blocks``) and
to a local project's page and final report (``municipalities.page_blocks``)."""

from core.page_blocks import block_maker

from .selectors import (
    my_gatherings as my_gatherings_of,
)
from .selectors import (
    network_gatherings_for,
    programme_gatherings_ahead,
    project_attendance,
    project_tasks,
    upcoming_registrations,
)

#: This app's blocks: ``block(key, template name, get_context, order=...)``.
block = block_maker("gatherings")


def upcoming_gatherings(*, programme, networks, request):
    """The next gatherings of the programme; when none lie ahead, the latest ones."""
    return programme_gatherings_ahead(user=request.user, programme=programme)


def network_gatherings(*, network, request):
    gatherings = network_gatherings_for(user=request.user, network=network)
    return {"gatherings": gatherings, "network": network}


home_gatherings_block = block("gatherings", "home_gatherings", upcoming_gatherings, order=20)


def network_gatherings_context(*, network, request):
    user = request.user
    return {
        **network_gatherings(network=network, request=request),
        "can_add": user.has_perm("gatherings.add_gathering", network),
        "can_see_attendance": user.has_perm("gatherings.view_attendance", network),
    }


def home_resources(*, programme, networks, request):
    return {"programme": programme}


def my_gatherings(*, request):
    """The facilitator's gatherings (drafts included), and the coming registrations of a
    participant or project leader."""
    user = request.user
    facilitated, open_for_registration = my_gatherings_of(user)
    registrations = upcoming_registrations(user)
    if not (facilitated or registrations or open_for_registration):
        return None
    return {
        "facilitated": facilitated,
        "registrations": registrations,
        "open_for_registration": open_for_registration,
    }


def project_preparation_tasks(*, project, request):
    gatherings = project_tasks(project, request.user)
    if not gatherings:
        return None
    return {
        "project": project,
        "gatherings": gatherings,
        "can_tick": request.user.has_perm("gatherings.complete_task", project),
    }


def final_report_gatherings(*, project, request):
    """The network's gatherings and who of the project took part in each."""
    gatherings = project_attendance(project)
    return {"gatherings": gatherings} if gatherings else None


network_gatherings_block = block(
    "gatherings", "network_gatherings", network_gatherings_context, order=20
)
home_resources_block = block("resources", "home_resources", home_resources, order=40)
my_gatherings_block = block("gatherings", "my_gatherings", my_gatherings, order=20)
project_tasks_block = block(
    "preparation_tasks", "project_tasks", project_preparation_tasks, order=20
)
final_report_gatherings_block = block(
    "gatherings", "final_report_gatherings", final_report_gatherings, order=30
)
