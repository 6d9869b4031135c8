"""The network app's pages and the blocks other apps contribute to them (``core.page_blocks``).

The front page, a network's page and «Mine sider» show local projects, gatherings and reports:
the apps that hold them register a :class:`~core.page_blocks.PageBlock` here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from core.page_blocks import BlockRegistry, PageBlock

#: Blocks of the programme's front page; called with ``programme``, ``networks``, ``request``.
home_blocks = BlockRegistry("home")
#: Blocks of a network's page; called with ``network`` and ``request``.
network_blocks = BlockRegistry("network")
#: Blocks of «Mine sider»; called with ``request``.
my_pages_blocks = BlockRegistry("my_pages")

#: Callables ``(networks: QuerySet[Network]) -> QuerySet[Network]`` by key, that annotate the
#: query of the networks listed on the front page and «Mine sider» (e.g. with the number of
#: local projects), so that they need no query of their own.
network_list_annotators: dict[str, Callable[[QuerySet], QuerySet]] = {}


# --- «Mine sider»: what the network app itself contributes ----------------------------------


def my_administration(*, request) -> dict[str, Any] | None:
    from .rules import is_administrator

    return {} if is_administrator.test(request.user) else None


def my_networks(*, request) -> dict[str, Any] | None:
    """The networks this user facilitates."""
    from .models import Network
    from .rules import facilitated_network_ids

    ids = facilitated_network_ids(request.user)
    if not ids:
        return None
    networks = Network.objects.filter(pk__in=ids).select_related("theme")
    for annotate in network_list_annotators.values():
        networks = annotate(networks)
    return {
        "networks": list(networks),
        "show_progress": request.user.has_perm("measurements.view_overview"),
    }


def my_programme(*, request) -> dict[str, Any] | None:
    """Every network of the current programme, for those who read everything."""
    from .context_processors import _current_programme
    from .rules import reads_everything

    if not reads_everything.test(request.user):
        return None
    programme = _current_programme(request)
    networks = list(programme.networks.select_related("theme")) if programme else []
    return {
        "programme": programme,
        "networks": networks,
        "show_progress": request.user.has_perm("measurements.view_overview"),
    }


my_administration_block = PageBlock(
    key="my_administration",
    template="network/page_blocks/my_administration.html",
    get_context=my_administration,
    order=10,
)
my_networks_block = PageBlock(
    key="my_networks",
    template="network/page_blocks/my_networks.html",
    get_context=my_networks,
    order=30,
)
my_programme_block = PageBlock(
    key="my_programme",
    template="network/page_blocks/my_programme.html",
    get_context=my_programme,
    order=50,
)
