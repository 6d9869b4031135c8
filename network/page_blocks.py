"""The network app's pages and the blocks other apps contribute to them (``core.page_blocks``).

The front page, a network's page and «Mine sider» show local projects, gatherings and reports:
the apps that hold them register a :class:`~core.page_blocks.PageBlock` here. An app with a
page of its own in the main menu registers a :class:`NavEntry` with ``nav_entries``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from core.page_blocks import BlockRegistry, block_maker

#: This app's blocks: ``block(key, template name, get_context, order=...)``.
block = block_maker("network")

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


# --- The main menu ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """An entry of the main menu, after those of the network app's own pages.

    Shown to a signed-in user who has ``perm`` (asked without an object), linking to the URL
    named ``url_name``; every page of the URL namespace ``namespace`` marks it as the current
    one (``nav_section`` is then ``key``). With a ``my_pages_label``, «Mine sider» links to
    the same page beside the networks one facilitates and beside the whole programme.
    """

    key: str
    label: str
    url_name: str
    namespace: str
    perm: str
    order: int = 100
    my_pages_label: str = ""


@dataclass
class NavRegistry:
    _entries: dict[str, NavEntry] = field(default_factory=dict)

    def register(self, entry: NavEntry) -> None:
        self._entries[entry.key] = entry

    def section_of(self, namespace: str) -> str:
        """The ``key`` of the entry whose pages are in this URL namespace, or ""."""
        for entry in self._entries.values():
            if entry.namespace == namespace:
                return entry.key
        return ""

    def visible_to(self, user) -> list[NavEntry]:
        if user is None or not user.is_authenticated:
            return []
        entries = sorted(self._entries.values(), key=lambda e: (e.order, e.key))
        return [entry for entry in entries if user.has_perm(entry.perm)]

    def my_pages_links(self, user) -> list[NavEntry]:
        return [entry for entry in self.visible_to(user) if entry.my_pages_label]


#: Entries of the main menu that apps above network contribute (from ``AppConfig.ready``).
nav_entries = NavRegistry()


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
    networks = Network.objects.filter(pk__in=ids).with_titles().select_related("theme")
    for annotate in network_list_annotators.values():
        networks = annotate(networks)
    return {
        "networks": list(networks),
        "follow_up_links": nav_entries.my_pages_links(request.user),
    }


def my_programme(*, request) -> dict[str, Any] | None:
    """Every network of the current programme, for those who read everything."""
    from .context_processors import _current_programme
    from .rules import reads_everything

    if not reads_everything.test(request.user):
        return None
    programme = _current_programme(request)
    networks = list(programme.networks.with_titles().select_related("theme")) if programme else []
    return {
        "programme": programme,
        "networks": networks,
        "follow_up_links": nav_entries.my_pages_links(request.user),
    }


my_administration_block = block(
    "my_administration", "my_administration", my_administration, order=10
)
my_networks_block = block("my_networks", "my_networks", my_networks, order=30)
my_programme_block = block("my_programme", "my_programme", my_programme, order=50)
