"""Reads shared by the network pages."""

from __future__ import annotations

from .models import Network, Programme
from .page_blocks import network_list_annotators


def current_programme(request) -> Programme | None:
    """The current programme, read once per request (the header shows it on every page)."""
    if not hasattr(request, "_current_programme"):
        request._current_programme = Programme.objects.current()
    return request._current_programme


def note_programme(request, programme: Programme) -> None:
    """A page that has loaded its programme anyway tells the header when it is the current
    one, which saves the header its query."""
    if programme.is_current and not hasattr(request, "_current_programme"):
        request._current_programme = programme


def programme_networks(programme: Programme) -> list[Network]:
    """The programme's networks with theme and facilitator, enriched by the other apps."""
    networks = programme.networks.select_related(
        "theme", "facilitator", "facilitator__organisation"
    )
    for annotate in network_list_annotators.values():
        networks = annotate(networks)
    return list(networks)
