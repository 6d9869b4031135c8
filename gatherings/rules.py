"""Who may see and change gatherings, and who sees whose registrations.

Queryset twins, each beside its permission: :func:`gatherings_visible_to` (behind
``Gathering.objects.for_user``) and :func:`registrable_participants` for registrations.

Health data (dietary needs, allergies, drinks) is seen by the network's facilitator, and by
those who may register the participant (the participant and their project leader) — nobody
else: not programme staff, not administrators.
"""

import rules
from django.db.models import Q

from municipalities.models import Participant
from municipalities.rules import leads_project, led_project_ids
from network.rules import (
    facilitated_network_ids,
    facilitates_network,
    is_administrator,
    is_facilitator,
    is_programme_staff,
    reads_everything,
)


@rules.predicate
def is_published(user, gathering) -> bool:
    return gathering is not None and gathering.is_published


@rules.predicate
def facilitates_gathering_network(user, gathering) -> bool:
    return gathering is not None and facilitates_network(user, gathering.network)


def registrable_participants(user, gathering):
    """The queryset twin of ``gatherings.register_participant``: the participants of the
    gathering's network whom this user may register — themselves, the participants of the
    projects they lead, everyone for the network's facilitator."""
    if not user.is_authenticated or gathering is None:
        return Participant.objects.none()
    in_network = Participant.objects.filter(local_project__network=gathering.network_id)
    if gathering.network_id in facilitated_network_ids(user):
        return in_network
    return in_network.filter(Q(user=user) | Q(local_project__in=led_project_ids(user)))


@rules.predicate
def may_register(user, participant) -> bool:
    """Without the gathering: may this user register (and see the registration of) this
    participant for their network's gatherings."""
    if participant is None or not user.is_authenticated:
        return False
    return (
        participant.user_id == user.pk
        or leads_project(user, participant.local_project)
        or facilitates_network(user, participant.local_project.network)
    )


#: Called with a participant; the twin is ``registrable_participants`` above.
rules.add_perm("gatherings.register_participant", may_register)


rules.add_perm(
    "gatherings.view_gathering", is_published | reads_everything | facilitates_gathering_network
)


def gatherings_visible_to(user, gatherings):
    """The queryset twin of ``gatherings.view_gathering``: published ones, and drafts for
    programme staff, administrators and the network's facilitator."""
    return published_or_in(gatherings, network_ids=drafts_seen_in(user))


def drafts_seen_in(user) -> list[int] | None:
    """The networks whose drafts ``user`` sees besides what is published: None for one who
    reads everything (every draft), else the networks they facilitate."""
    return None if reads_everything(user) else sorted(facilitated_network_ids(user))


def published_or_in(gatherings, *, network_ids: list[int] | None):
    """The published ones of ``gatherings`` and every one of the networks ``network_ids``
    (all of them for None): what :func:`gatherings_visible_to` gives, for the ids of
    :func:`drafts_seen_in`."""
    from .models import GatheringStatus

    if network_ids is None:
        return gatherings.all()
    return gatherings.filter(Q(status=GatheringStatus.PUBLISHED) | Q(network__in=network_ids))


rules.add_perm("gatherings.change_gathering", is_administrator | facilitates_gathering_network)
#: Called with a network: may the user create gatherings in it.
rules.add_perm("gatherings.add_gathering", is_administrator | facilitates_network)
rules.add_perm("gatherings.view_participant_list", reads_everything | facilitates_gathering_network)
#: Not ``is_administrator``: administrators do not see health data either.
rules.add_perm("gatherings.view_dietary_data", facilitates_gathering_network)
#: After the registration deadline, the network's facilitator still registers and cancels.
rules.add_perm("gatherings.change_late_registrations", facilitates_gathering_network)

rules.add_perm("gatherings.view_outbox", reads_everything | facilitates_gathering_network)
rules.add_perm(
    "gatherings.view_evaluation_results", reads_everything | facilitates_gathering_network
)
#: Called with a network.
rules.add_perm("gatherings.view_attendance", reads_everything | facilitates_network)
rules.add_perm("gatherings.change_network_resources", is_administrator | facilitates_network)
#: Called with a programme: any facilitator, programme staff and administrators keep the
#: programme's library.
rules.add_perm(
    "gatherings.change_programme_resources", is_administrator | is_programme_staff | is_facilitator
)
#: Called with a local project: its leaders tick off the tasks before the next gathering.
rules.add_perm("gatherings.complete_task", is_administrator | leads_project)
