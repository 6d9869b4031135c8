from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Network, Programme
from .sections import home_sections, my_pages_sections, network_sections
from .selectors import programme_networks


def home(request):
    programme = Programme.objects.current()
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
            "sections": home_sections.render(
                programme=programme, networks=networks, request=request
            ),
        },
    )


def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.select_related(
            "programme", "theme", "facilitator", "facilitator__organisation"
        ),
        slug=slug,
    )
    return render(
        request,
        "network/network_detail.html",
        {"network": network, "sections": network_sections.render(network=network, request=request)},
    )


@login_required
def my_pages(request):
    return render(
        request, "network/my_pages.html", {"sections": my_pages_sections.render(request=request)}
    )


def accessibility(request):
    return render(request, "network/accessibility.html")


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
