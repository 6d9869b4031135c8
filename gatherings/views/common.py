from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.translated_fields import in_every_language
from network.models import name_is_shared

from ..models import Gathering
from ..selectors import gathering_for_reader


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


#: What a calendar file shows of a gathering: not the programme as last e-mailed
#: (``notified_programme``, a large JSON document) and other fields of the editors' pages.
#: Fewer columns make a cheaper query (compiling its SQL is most of its cost).
_CALENDAR_FIELDS = (
    "network",
    "kind",
    *in_every_language("title", "description", "network__name"),
    "start_date",
    "end_date",
    "venue",
    "address",
    "published_at",
    "changed_at",
)


def reader_gathering_or_404(request, pk: int) -> Gathering:
    """:func:`gathering_or_404` for the programme page: without the network's theme, which
    it does not show, with the places taken and whether the user is registered
    (``selectors.gathering_for_reader``)."""
    gathering = gathering_for_reader(user=request.user, pk=pk)
    if gathering is None:
        raise Http404
    return gathering


def calendar_gathering_or_404(request, pk: int) -> Gathering:
    """:func:`gathering_or_404` for a calendar file: the gathering and its network's name."""
    return get_object_or_404(
        Gathering.objects.for_user(request.user).select_related("network").only(*_CALENDAR_FIELDS),
        pk=pk,
    )


def base_url(request) -> str:
    """The site's address for links in e-mails and calendars, e.g. https://portal.example."""
    return request.build_absolute_uri("/").rstrip("/")


def site_domain(request) -> str:
    """The site's host name, for calendar UIDs."""
    return request.get_host().split(":")[0]


def site_address(request) -> dict[str, str]:
    """``base_url`` and ``domain``: the keyword arguments of what writes e-mails or calendars."""
    return {"base_url": base_url(request), "domain": site_domain(request)}


def export_name(gathering: Gathering, what: str) -> str:
    return f"{what}-samling-{gathering.pk}"


#: Stands for the last argument of a URL reversed once for many objects (:func:`url_for_each`).
_MARKER = 2147483647


def url_for_each(name: str, *args) -> Callable[[int], str]:
    """``reverse(name, args=[*args, pk])`` for many ``pk`` at the cost of one ``reverse``: the
    URL is reversed with a marker for the last argument, which each call fills in."""
    head, tail = reverse(name, args=[*args, _MARKER]).rsplit(str(_MARKER), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
