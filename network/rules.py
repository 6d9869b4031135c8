"""Who may do what in the ``network`` app: roles every other app builds on.

Each rule comes in a pair: a predicate for one object (``facilitates_network``), and the same
answer for many objects (``facilitated_network_ids``), beside it.
"""

from collections.abc import Callable

import rules

#: Set by an app that reads a user's facilitated networks in the same query as its own role
#: data (municipalities: the user's participations): called with the user, it stores
#: ``user._facilitated_network_ids``. One query for every role set of a request.
combined_role_loader: Callable | None = None


def facilitated_network_ids(user) -> frozenset[int]:
    """Ids of the networks this user facilitates, computed once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_facilitated_network_ids", None)
    if cached is None:
        if combined_role_loader is not None:
            combined_role_loader(user)
            return user._facilitated_network_ids
        from .models import Network

        cached = frozenset(
            Network.objects.filter(facilitator__user=user).values_list("pk", flat=True)
        )
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
