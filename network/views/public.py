"""The public pages: the front page (the current programme and the other rounds), a
programme round's own page, a network, and the accessibility statement."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import Programme
from ..page_blocks import home_blocks, network_blocks
from ..selectors import (
    network_by_slug,
    note_programme,
    other_programmes,
    programme_networks,
    programme_rounds,
)


def home(request):
    programme, others = programme_rounds(request)
    if programme is None:
        return render(request, "network/empty.html")
    return _programme_page(request, programme, others)


def programme_detail(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    return _programme_page(request, programme, other_programmes(programme))


def _programme_page(request, programme, others):
    note_programme(request, programme)
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
            "other_programmes": others,
            "blocks": home_blocks.render(programme=programme, networks=networks, request=request),
        },
    )


def network_detail(request, slug):
    network = network_by_slug(slug)
    if network is None:
        raise Http404
    note_programme(request, network.programme)
    return render(
        request,
        "network/network_detail.html",
        {"network": network, "blocks": network_blocks.render(network=network, request=request)},
    )


def accessibility(request):
    return render(request, "network/accessibility.html")
