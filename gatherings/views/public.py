"""The programme for readers: the list, a gathering's page, and its calendars."""

from itertools import groupby

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from network.models import Network, name_is_shared
from network.selectors import note_programme

from ..calendar import gathering_calendar, item_calendar, network_calendar
from ..models import Gathering
from ..rules import registrable_participants
from ..selectors import (
    agenda_by_day,
    agenda_items,
    agenda_with_speakers,
    overlapping_items,
    schedule_plans,
    schedule_summary,
)
from .common import base_url, gathering_or_404, site_domain


def gathering_list(request):
    """The gatherings by programme round (the current one first), then by network; each
    round's lead text says when its networks meet, from the gatherings' dates."""
    gatherings = list(
        Gathering.objects.for_user(request.user)
        .select_related("network__theme", "network__programme")
        .annotate(network_shares_name=name_is_shared("network"))
        .in_programme_order(
            "-network__programme__is_current",
            "-network__programme__start_year",
            "network__programme__name",
            "network__programme_id",
            "network__theme__position",
            "network__name",
            # A network's gatherings stay together also where names are missing (a network
            # without an English name) or shared.
            "network_id",
        )
    )
    plans = schedule_plans({g.network.programme_id for g in gatherings})
    rounds = []
    for programme, in_round in groupby(gatherings, key=lambda g: g.network.programme):
        in_round = list(in_round)
        networks = []
        for network, of_network in groupby(in_round, key=lambda g: g.network):
            of_network = list(of_network)
            network.shares_name = of_network[0].network_shares_name
            networks.append((network, of_network))
        rounds.append(
            {
                "programme": programme,
                "lead": schedule_summary(plans.get(programme.pk, [])),
                "networks": networks,
            }
        )
    return render(request, "gatherings/gathering_list.html", {"rounds": rounds})


def gathering_detail(request, pk):
    gathering = gathering_or_404(request, pk)
    note_programme(request, gathering.network.programme)
    user = request.user
    items = list(agenda_items(gathering))
    can_change = user.has_perm("gatherings.change_gathering", gathering)
    may_register = (
        gathering.is_registration_open and registrable_participants(user, gathering).exists()
    )
    # The places taken and whether the user is registered (may evaluate): one query.
    asks_own = gathering.is_evaluation_open and user.is_authenticated
    counts = {}
    if gathering.capacity or asks_own:
        aggregates = {"taken": Count("pk")}
        if asks_own:
            aggregates["own"] = Count("pk", filter=Q(participant__user=user))
        counts = gathering.registrations.active().aggregate(**aggregates)
    taken = counts["taken"] if gathering.capacity else None
    may_evaluate = bool(counts.get("own"))
    return render(
        request,
        "gatherings/gathering_detail.html",
        {
            "gathering": gathering,
            "days": agenda_by_day(gathering, items),
            "overlapping": overlapping_items(items) if can_change else set(),
            "tasks": list(gathering.preparation_tasks.all()),
            "can_change": can_change,
            "places_left": max(gathering.capacity - taken, 0) if taken is not None else None,
            "may_register": may_register,
            "may_evaluate": may_evaluate,
            "may_see_participants": user.has_perm("gatherings.view_participant_list", gathering),
        },
    )


def _ical_response(body: bytes, filename: str) -> HttpResponse:
    """Served inline, so that a calendar program can subscribe to the address; the file name
    is for those who save it."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def gathering_ical(request, pk):
    gathering = gathering_or_404(request, pk)
    body = gathering_calendar(
        gathering,
        agenda_items(gathering).select_related("gathering__network"),
        base_url=base_url(request),
        domain=site_domain(request),
    )
    return _ical_response(body, f"samling-{gathering.pk}")


def item_ical(request, pk, item_pk):
    gathering = gathering_or_404(request, pk)
    item = get_object_or_404(
        agenda_items(gathering).select_related("gathering__network"), pk=item_pk
    )
    if item.start is None:
        raise Http404("The item has no time.")
    day_items = gathering.agenda_items.filter(date=item.date)
    body = item_calendar(item, day_items, base_url=base_url(request), domain=site_domain(request))
    return _ical_response(body, f"programpost-{item.pk}")


def network_ical(request, slug):
    """The network's published gatherings — never drafts, whoever asks."""
    network = get_object_or_404(Network, slug=slug)
    gatherings = (
        Gathering.objects.published()
        .filter(network=network)
        .select_related("network")
        .prefetch_related(agenda_with_speakers())
        .order_by("start_date")
    )
    body = network_calendar(
        network, gatherings, base_url=base_url(request), domain=site_domain(request)
    )
    return _ical_response(body, f"nettverk-{network.slug}")
