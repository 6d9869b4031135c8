"""Who may see and change gatherings. Querysets: ``GatheringQuerySet.for_user`` and
``GatheringQuerySet.editable_by``."""

import rules

from network.rules import facilitates_network, is_administrator, reads_everything


@rules.predicate
def is_published(user, gathering) -> bool:
    return gathering is not None and gathering.is_published


@rules.predicate
def facilitates_gathering_network(user, gathering) -> bool:
    return gathering is not None and facilitates_network(user, gathering.network)


rules.add_perm(
    "gatherings.view_gathering", is_published | reads_everything | facilitates_gathering_network
)
rules.add_perm("gatherings.change_gathering", is_administrator | facilitates_gathering_network)
