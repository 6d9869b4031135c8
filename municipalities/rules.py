"""Who may see and change local projects and their participants.

A predicate for one object and the matching queryset (``LocalProjectQuerySet.led_by``,
``LocalProjectQuerySet.editable_by``) are kept side by side.
"""

import rules

from network.rules import (
    facilitated_network_ids,
    facilitates_network,
    is_administrator,
    reads_everything,
)


def led_project_ids(user) -> frozenset[int]:
    """Ids of the local projects this user leads, computed once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_led_project_ids", None)
    if cached is None:
        from .models import LocalProject

        cached = frozenset(LocalProject.objects.led_by(user).values_list("pk", flat=True))
        user._led_project_ids = cached
    return cached


def member_network_ids(user) -> frozenset[int]:
    """Networks in which this user takes part: as participant, project leader or facilitator."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_member_network_ids", None)
    if cached is None:
        from .models import LocalProject

        participating = LocalProject.objects.with_member(user).values_list("network_id", flat=True)
        cached = frozenset(participating) | facilitated_network_ids(user)
        user._member_network_ids = cached
    return cached


@rules.predicate
def is_project_leader(user) -> bool:
    return bool(led_project_ids(user))


@rules.predicate
def leads_project(user, local_project) -> bool:
    return local_project is not None and local_project.pk in led_project_ids(user)


@rules.predicate
def facilitates_project_network(user, local_project) -> bool:
    return local_project is not None and facilitates_network(user, local_project.network)


@rules.predicate
def is_member_of_project_network(user, local_project) -> bool:
    return local_project is not None and local_project.network_id in member_network_ids(user)


can_edit_project = is_administrator | leads_project | facilitates_project_network

rules.add_perm("municipalities.change_localproject", can_edit_project)
rules.add_perm("municipalities.view_contact_data", reads_everything | is_member_of_project_network)
