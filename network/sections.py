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

#: Callables ``(networks: list[Network]) -> None`` by key, that set extra attributes on the
#: networks listed on the front page (e.g. the number of local projects), one query each.
network_list_annotators: dict[str, Callable[[list], None]] = {}
