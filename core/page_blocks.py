"""Blocks of a page contributed by the apps above the one that owns the page.

Dependencies run one way, yet a lower app's page shows what higher apps hold. A higher
app registers a :class:`PageBlock` with the lower app's :class:`BlockRegistry` in its
``AppConfig.ready``; the lower app's view renders whatever is registered, without importing
the apps that provide it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PageBlock:
    """A block of a page: ``get_context`` returns the template's context, or None to skip."""

    key: str
    template: str
    get_context: Callable[..., dict[str, Any] | None]
    order: int = 100


def block_maker(app_label: str) -> Callable[..., PageBlock]:
    """``block(key, name, get_context, order=...)``: a :class:`PageBlock` of the app
    ``app_label``, whose template is ``<app_label>/page_blocks/<name>.html``."""

    def block(
        key: str, name: str, get_context: Callable[..., dict[str, Any] | None], order: int = 100
    ) -> PageBlock:
        return PageBlock(key, f"{app_label}/page_blocks/{name}.html", get_context, order)

    return block


@dataclass
class RenderedBlock:
    key: str
    template: str
    context: dict[str, Any]


@dataclass
class BlockRegistry:
    name: str
    _blocks: dict[str, PageBlock] = field(default_factory=dict)

    def register(self, block: PageBlock) -> None:
        self._blocks[block.key] = block

    def render(self, **kwargs: Any) -> list[RenderedBlock]:
        rendered = []
        for block in sorted(self._blocks.values(), key=lambda s: (s.order, s.key)):
            context = block.get_context(**kwargs)
            if context is not None:
                rendered.append(RenderedBlock(block.key, block.template, context))
        return rendered
