from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from network.models import name_is_shared

from ..models import Gathering


def gathering_or_404(request, pk: int, perm: str | None = None) -> Gathering:
    """The gathering if the user may see it (404 otherwise), and — given ``perm`` — may do
    that to it (403 otherwise)."""
    gathering = get_object_or_404(
        Gathering.objects.for_user(request.user)
        .select_related(
            "network__theme", "network__programme", "network__facilitator__organisation"
        )
        .annotate(network_shares_name=name_is_shared("network")),
        pk=pk,
    )
    gathering.network.shares_name = gathering.network_shares_name
    if perm and not request.user.has_perm(perm, gathering):
        raise PermissionDenied
    return gathering


def base_url(request) -> str:
    """The site's address for links in e-mails and calendars, e.g. https://portal.example."""
    return request.build_absolute_uri("/").rstrip("/")


def site_domain(request) -> str:
    """The site's host name, for calendar UIDs."""
    return request.get_host().split(":")[0]


def export_name(gathering: Gathering, what: str) -> str:
    return f"{what}-samling-{gathering.pk}"
