"""The public pages: the front page (the current programme), a programme, a network, and the
accessibility statement."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render

from ..models import Network, Programme
from ..page_blocks import home_blocks, network_blocks
from ..selectors import current_programme, note_programme, programme_networks


def home(request):
    programme = current_programme(request)
    if programme is None:
        return render(request, "network/empty.html")
    return _programme_page(request, programme)


def programme_detail(request, slug):
    return _programme_page(request, get_object_or_404(Programme, slug=slug))


def _programme_page(request, programme):
    networks = programme_networks(programme)
    themes = [
        (theme, list(items))
        for theme, items in groupby(
            sorted(networks, key=lambda n: (n.theme.position, n.theme.name, n.name)),
            key=lambda n: n.theme,
        )
    ]
    return render(
        request,
        "network/home.html",
        {
            "programme": programme,
            "themes": themes,
            "network_count": len(networks),
            "blocks": home_blocks.render(programme=programme, networks=networks, request=request),
        },
    )


def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.select_related(
            "programme", "theme", "facilitator", "facilitator__organisation"
        ),
        slug=slug,
    )
    note_programme(request, network.programme)
    return render(
        request,
        "network/network_detail.html",
        {"network": network, "blocks": network_blocks.render(network=network, request=request)},
    )


def accessibility(request):
    return render(request, "network/accessibility.html")
