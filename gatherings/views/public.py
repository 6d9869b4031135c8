"""The programme for readers: the list, a gathering's page, and its calendars."""

from itertools import groupby
from operator import attrgetter

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from core.fragments import FragmentMemo
from core.translated_fields import LANGUAGES
from network.models import Network, Programme, name_is_shared
from network.selectors import note_programme

from ..calendar import gathering_calendar, item_calendar, network_calendar
from ..models import AgendaItemKind, Gathering
from ..rules import registrable_participants
from ..selectors import (
    SCHEDULE_FIELDS,
    ProgrammeItem,
    gathering_tasks,
    overlapping_items,
    programme_items,
    schedule_plans,
    schedule_rows,
    schedule_summary,
)
from .common import (
    calendar_gathering_or_404,
    reader_gathering_or_404,
    site_address,
    url_for_each,
)

#: What the list of gatherings shows of each.
#: The translated texts the list shows, read in every language (the instances made of the rows
#: fall back to Bokmål as the models do).
_LIST_TEXTS = {
    "title": "title",
    "schedule_note": "schedule_note",
    "network__name": "name",
    "network__programme__name": "name",
}
_LIST_FIELDS = (
    "id",
    *SCHEDULE_FIELDS,
    "network_id",
    "network__programme_id",
    "network__programme__slug",
    "network__programme__start_year",
    "network__programme__end_year",
    "network_shares_name",
    *(f"{path}_{code}" for path in _LIST_TEXTS for code in LANGUAGES),
)


def _texts(row, path: str) -> dict[str, str | None]:
    """The keyword arguments that give a model made of ``row`` its text ``path`` in every
    language (``name_nb=…, name_nn=…, name_en=…``)."""
    field = _LIST_TEXTS[path]
    return {f"{field}_{code}": getattr(row, f"{path}_{code}") for code in LANGUAGES}


#: The lists of gatherings rendered lately, by the data they show (the same for everyone who
#: sees no drafts).
_gathering_lists = FragmentMemo(size=16)


def gathering_list(request):
    """The gatherings by programme round (the current one first), then by network; each
    round's lead text says when its networks meet, from the gatherings' dates. Read as rows;
    the list is rendered once per worker and language for the rows it shows
    (``core.fragments``)."""
    rows = tuple(
        Gathering.objects.for_user(request.user)
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
        .rewrite(False)  # every language's columns as they are
        .values_list(*_LIST_FIELDS, named=True)
    )
    plan_rows = tuple(schedule_rows({row.network__programme_id for row in rows}))
    rounds = _gathering_lists.get_or_render(
        (rows, plan_rows), lambda: _render_rounds(rows, plan_rows)
    )
    return render(request, "gatherings/gathering_list.html", {"rounds": rounds})


def _render_rounds(rows, plan_rows) -> str:
    """``gatherings/includes/gathering_rounds.html`` for the rows of ``gathering_list``."""
    programmes: dict[int, Programme] = {}
    networks: dict[int, Network] = {}
    gatherings = []
    for row in rows:
        programme = programmes.get(row.network__programme_id)
        if programme is None:
            programme = programmes[row.network__programme_id] = Programme(
                pk=row.network__programme_id,
                **_texts(row, "network__programme__name"),
                slug=row.network__programme__slug,
                start_year=row.network__programme__start_year,
                end_year=row.network__programme__end_year,
            )
        network = networks.get(row.network_id)
        if network is None:
            network = networks[row.network_id] = Network(
                pk=row.network_id, **_texts(row, "network__name"), programme=programme
            )
            network.shares_name = row.network_shares_name
        gatherings.append(
            Gathering(
                pk=row.id,
                network=network,
                **{name: getattr(row, name) for name in SCHEDULE_FIELDS},
                **_texts(row, "title"),
                **_texts(row, "schedule_note"),
            )
        )
    plans = schedule_plans(set(programmes), plan_rows)
    detail_url = url_for_each("gatherings:detail")
    rounds = []
    for programme, in_round in groupby(gatherings, key=lambda g: g.network.programme):
        networks_of_round = [
            (network, [(gathering, detail_url(gathering.pk)) for gathering in of_network])
            for network, of_network in groupby(in_round, key=lambda g: g.network)
        ]
        rounds.append(
            {
                "programme": programme,
                "lead": schedule_summary(plans.get(programme.pk, [])),
                "networks": networks_of_round,
            }
        )
    return render_to_string("gatherings/includes/gathering_rounds.html", {"rounds": rounds})


#: The programmes rendered lately, by the data they show (a gathering's items in one language
#: take some 10–20 kB).
_programmes = FragmentMemo(size=256)


def programme_html(gathering_pk: int, items: list[ProgrammeItem], *, can_change: bool) -> str:
    """The programme of a gathering page (``gatherings/includes/programme.html``), day by
    day; empty without items. The same for everyone who sees the same items (with the overlap
    warnings for those who may change them), so it is rendered once per worker and language
    and kept by that data (``core.fragments``)."""
    if not items:
        return ""

    def render_programme() -> str:
        # Each item with its kind's label and its calendar file's address, made here once
        # for all items rather than by a filter and a {% url %} per item in the template.
        kinds = {value: str(label) for value, label in AgendaItemKind.choices}
        calendar_url = url_for_each("gatherings:item_ical", gathering_pk)
        days = [
            (
                day,
                [(item, kinds.get(item.kind, item.kind), calendar_url(item.pk)) for item in group],
            )
            for day, group in groupby(items, key=attrgetter("date"))
        ]
        context = {
            "gathering_pk": gathering_pk,
            "days": days,
            "can_change": can_change,
            "overlapping": overlapping_items(items) if can_change else set(),
        }
        return render_to_string("gatherings/includes/programme.html", context)

    return _programmes.get_or_render((gathering_pk, can_change, tuple(items)), render_programme)


def gathering_detail(request, pk):
    user = request.user
    gathering = reader_gathering_or_404(request, pk)
    note_programme(request, gathering.network.programme)
    items = programme_items([gathering.pk], materials=True).get(gathering.pk, [])
    can_change = user.has_perm("gatherings.change_gathering", gathering)
    may_register = (
        gathering.is_registration_open and registrable_participants(user, gathering).exists()
    )
    taken = gathering.places_taken if gathering.capacity else None
    may_evaluate = gathering.is_evaluation_open and user.is_authenticated and gathering.registered
    return render(
        request,
        "gatherings/gathering_detail.html",
        {
            "gathering": gathering,
            "programme": programme_html(gathering.pk, items, can_change=can_change),
            "tasks": gathering_tasks(gathering),
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
    gathering = calendar_gathering_or_404(request, pk)
    body = gathering_calendar(
        gathering,
        programme_items([gathering.pk]).get(gathering.pk, []),
        **site_address(request),
    )
    return _ical_response(body, f"samling-{gathering.pk}")


def item_ical(request, pk, item_pk):
    gathering = calendar_gathering_or_404(request, pk)
    items = programme_items([gathering.pk]).get(gathering.pk, [])
    item = next((item for item in items if item.pk == item_pk), None)
    if item is None:
        raise Http404("No such item.")
    if item.start is None:
        raise Http404("The item has no time.")
    body = item_calendar(gathering, item, items, **site_address(request))
    return _ical_response(body, f"programpost-{item.pk}")


def network_ical(request, slug):
    """The network's published gatherings — never drafts, whoever asks."""
    network = get_object_or_404(Network, slug=slug)
    gatherings = list(
        Gathering.objects.published()
        .filter(network=network)
        .select_related("network")
        .order_by("start_date")
    )
    body = network_calendar(
        network,
        gatherings,
        programme_items(g.pk for g in gatherings),
        **site_address(request),
    )
    return _ical_response(body, f"nettverk-{network.slug}")
