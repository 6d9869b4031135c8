"""What the gatherings app adds to the network app's pages (see ``network.sections``)."""

from django.db.models import Q
from django.utils import timezone

from network.sections import Section

from .models import Gathering


def upcoming_gatherings(*, programme, networks, request, limit: int = 6):
    """The next gatherings of the programme; when none lie ahead, the latest ones."""
    today = timezone.localdate()
    visible = Gathering.objects.for_user(request.user).filter(network__programme=programme)
    visible = visible.select_related("network")
    upcoming = list(
        visible.filter(
            Q(start_date__gte=today)
            | Q(start_date__isnull=True, planned_month__gte=today.replace(day=1))
        ).order_by("start_date", "planned_month")[:limit]
    )
    if upcoming:
        return {"gatherings": upcoming, "upcoming": True}
    latest = list(visible.filter(start_date__isnull=False).order_by("-start_date")[:limit])
    return {"gatherings": latest, "upcoming": False}


def network_gatherings(*, network, request):
    gatherings = (
        Gathering.objects.for_user(request.user).filter(network=network).in_programme_order()
    )
    return {"gatherings": gatherings, "network": network}


home_gatherings_section = Section(
    key="gatherings",
    template="gatherings/sections/home_gatherings.html",
    get_context=upcoming_gatherings,
    order=20,
)
network_gatherings_section = Section(
    key="gatherings",
    template="gatherings/sections/network_gatherings.html",
    get_context=network_gatherings,
    order=20,
)
