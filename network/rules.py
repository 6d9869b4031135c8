"""Who may do what in the ``network`` app: roles every other app builds on.

Each rule comes in a pair: a predicate for one object, and the matching queryset filter
(``NetworkQuerySet.facilitated_by``).
"""

import rules


def facilitated_network_ids(user) -> frozenset[int]:
    """Ids of the networks this user facilitates, computed once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_facilitated_network_ids", None)
    if cached is None:
        from .models import Network

        cached = frozenset(Network.objects.facilitated_by(user).values_list("pk", flat=True))
        user._facilitated_network_ids = cached
    return cached


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_programme_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_programme_staff)


@rules.predicate
def is_facilitator(user) -> bool:
    return bool(facilitated_network_ids(user))


@rules.predicate
def facilitates_network(user, network) -> bool:
    return network is not None and network.pk in facilitated_network_ids(user)


reads_everything = is_administrator | is_programme_staff

rules.add_perm("network.view_network_drafts", reads_everything | facilitates_network)
