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


def role_predicates(ids_of: Callable[..., frozenset[int]], holder: str, holds: str):
    """The two predicates of a role that ``ids_of(user)`` gives the ids of the objects of:
    ``holder``, whether the user has the role at all, and ``holds``, whether for the object
    asked about (None: no)."""

    def for_any(user) -> bool:
        return bool(ids_of(user))

    def for_one(user, obj) -> bool:
        return obj is not None and obj.pk in ids_of(user)

    return rules.Predicate(for_any, name=holder), rules.Predicate(for_one, name=holds)


is_facilitator, facilitates_network = role_predicates(
    facilitated_network_ids, "is_facilitator", "facilitates_network"
)


reads_everything = is_administrator | is_programme_staff

rules.add_perm("network.view_network_drafts", reads_everything | facilitates_network)
