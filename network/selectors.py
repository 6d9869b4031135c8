"""Reads shared by the network pages."""

from .models import Network, Programme
from .sections import network_list_annotators


def programme_networks(programme: Programme) -> list[Network]:
    """The programme's networks with theme and facilitator, enriched by the other apps."""
    networks = list(
        programme.networks.select_related("theme", "facilitator", "facilitator__organisation")
    )
    for annotate in network_list_annotators.values():
        annotate(networks)
    return networks
