"""Page sections contributed by the apps that depend on ``network``.

Dependencies run one way (network ← municipalities ← {gatherings, measurements}), yet the
front page, a network's page and «Mine sider» show local projects, gatherings and reports.
Those apps register a :class:`Section` here in their ``AppConfig.ready``; the ``network``
views render whatever is registered, without importing the apps that provide it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Section:
    """A block of a page: ``get_context`` returns the template's context, or None to skip."""

    key: str
    template: str
    get_context: Callable[..., dict[str, Any] | None]
    order: int = 100


@dataclass
class RenderedSection:
    key: str
    template: str
    context: dict[str, Any]


@dataclass
class SectionRegistry:
    name: str
    _sections: dict[str, Section] = field(default_factory=dict)

    def register(self, section: Section) -> None:
        self._sections[section.key] = section

    def render(self, **kwargs: Any) -> list[RenderedSection]:
        rendered = []
        for section in sorted(self._sections.values(), key=lambda s: (s.order, s.key)):
            context = section.get_context(**kwargs)
            if context is not None:
                rendered.append(RenderedSection(section.key, section.template, context))
        return rendered


#: Sections of the programme's front page; called with ``programme``, ``networks``, ``request``.
home_sections = SectionRegistry("home")
#: Sections of a network's page; called with ``network`` and ``request``.
network_sections = SectionRegistry("network")
#: Sections of «Mine sider»; called with ``request``.
my_pages_sections = SectionRegistry("my_pages")

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


my_administration_section = Section(
    key="my_administration",
    template="network/sections/my_administration.html",
    get_context=my_administration,
    order=10,
)
my_networks_section = Section(
    key="my_networks",
    template="network/sections/my_networks.html",
    get_context=my_networks,
    order=30,
)
my_programme_section = Section(
    key="my_programme",
    template="network/sections/my_programme.html",
    get_context=my_programme,
    order=50,
)
