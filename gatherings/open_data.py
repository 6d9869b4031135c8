"""The gatherings app's part of the open-data export and import: each network's gatherings
and agendas.

A draft gathering shows only its plan (kind, month, status) unless drafts are included; the
import then leaves its dates, venue and agenda as they are. With ``--translations`` a gathering
and each agenda item carry their texts in Nynorsk and English (``network/open_data.py``).
"""

from datetime import date, time

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from network.models import Programme
from network.open_data import (
    TRANSLATIONS,
    ProgrammeImport,
    absorb_person,
    give_file_translations,
    person_data,
    translations_compared,
    with_translations,
)

from .models import AgendaItem, AgendaItemSpeaker, Gathering, GatheringKind
from .selectors import agenda_with_speakers


def _time(value):
    return value.strftime("%H:%M") if value else None


def _speaker(link: AgendaItemSpeaker) -> dict:
    return person_data(link.person)


#: The exported texts that have translations.
GATHERING_TEXTS = ["title", "schedule_note"]
ITEM_TEXTS = ["title", "description"]


def _gathering(gathering: Gathering, *, full: bool, translations: bool = False) -> dict:
    data = {
        "kind": gathering.kind,
        "title": gathering.display_title,
        "month": gathering.planned_month.strftime("%Y-%m") if gathering.planned_month else None,
        "month_last": (
            gathering.planned_month_last.strftime("%Y-%m") if gathering.planned_month_last else None
        ),
        "schedule_note": gathering.schedule_note,
        "start_date": None,
        "end_date": None,
        "status": gathering.status,
        "url": gathering.get_absolute_url(),
        "ical_url": reverse("gatherings:ical", args=[gathering.pk]),
        "agenda": [],
    }
    if full:
        data["start_date"] = gathering.start_date and gathering.start_date.isoformat()
        data["end_date"] = gathering.last_day and gathering.last_day.isoformat()
        data["venue"] = gathering.venue
        data["agenda"] = [
            with_translations(
                {
                    "date": item.date.isoformat(),
                    "start": _time(item.start),
                    "end": _time(item.end),
                    "title": item.title,
                    "kind": item.kind,
                    "description": item.description,
                    "speakers": [_speaker(link) for link in item.speaker_links.all()],
                },
                item,
                ITEM_TEXTS,
                translations,
            )
            for item in gathering.agenda_items.all()
        ]
    return with_translations(data, gathering, GATHERING_TEXTS, translations)


def _with_agendas(gatherings):
    return gatherings.select_related("network").prefetch_related(agenda_with_speakers())


def contribute(
    data: dict, *, programme: Programme, include_drafts: bool, translations: bool = False
) -> None:
    gatherings = _with_agendas(
        Gathering.objects.filter(network__programme=programme)
    ).in_programme_order()
    by_network: dict[str, list] = {}
    for gathering in gatherings:
        by_network.setdefault(gathering.network.slug, []).append(
            _gathering(
                gathering,
                full=include_drafts or gathering.is_published,
                translations=translations,
            )
        )
    for network in data["networks"]:
        network["gatherings"] = by_network.get(network["slug"], [])


def _month(value: str | None) -> date | None:
    return date.fromisoformat(f"{value}-01") if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _own_title(kind: str, title: str) -> str:
    """The gathering's own title: empty where the file shows the kind's name (in any of the
    portal's languages)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if title == str(GatheringKind(kind).label):
                return ""
    return title


#: What the file says about a gathering in each of its keys, and the field a conflict names.
_COMPARED = {
    "month": "planned_month",
    "month_last": "planned_month_last",
    "schedule_note": "schedule_note",
    "status": "status",
}
_COMPARED_IN_FULL = {"start_date": "start_date", "end_date": "end_date", "venue": "venue"}


def _create(state: ProgrammeImport, network, given: dict) -> None:
    full = "venue" in given
    start = _day(given["start_date"]) if full else None
    end = _day(given["end_date"]) if full else None
    gathering = state.create(
        give_file_translations(
            Gathering(
                network=network,
                kind=given["kind"],
                title=_own_title(given["kind"], given["title"]),
                planned_month=_month(given["month"]),
                planned_month_last=_month(given["month_last"]),
                schedule_note=given["schedule_note"],
                status=given["status"],
                start_date=start,
                end_date=end if end != start else None,
                venue=given.get("venue", ""),
            ),
            GATHERING_TEXTS,
            given,
        )
    )
    positions: dict[str, int] = {}
    for item in given["agenda"] if full else []:
        position = positions[item["date"]] = positions.get(item["date"], -1) + 1
        agenda_item = state.create(
            give_file_translations(
                AgendaItem(
                    gathering=gathering,
                    date=_day(item["date"]),
                    start=_clock(item["start"]),
                    end=_clock(item["end"]),
                    position=position,
                    title=item["title"],
                    kind=item["kind"],
                    description=item["description"],
                ),
                ITEM_TEXTS,
                item,
            )
        )
        for number, speaker in enumerate(item["speakers"]):
            state.create(
                AgendaItemSpeaker(
                    agenda_item=agenda_item,
                    person=absorb_person(state, speaker),
                    position=number,
                )
            )


def _compare(state: ProgrammeImport, gathering: Gathering, given: dict) -> None:
    full = "venue" in given
    stored = _gathering(gathering, full=full, translations=TRANSLATIONS in given)
    key = f"{gathering.network.slug} {given['title']}"
    compared = _COMPARED | (_COMPARED_IN_FULL if full else {})
    state.compare(
        gathering,
        key,
        {"title": (_own_title(given["kind"], given["title"]), gathering.title)}
        | {field: (given[name], stored[name]) for name, field in compared.items()}
        | translations_compared(given, gathering, GATHERING_TEXTS),
    )
    if full and given["agenda"] != stored["agenda"]:
        state.conflicts.append(
            gettext("%(object)s %(key)s: the agenda in the file differs from the stored one")
            % {"object": Gathering._meta.verbose_name, "key": key}
        )


def absorb(data: dict, *, state: ProgrammeImport) -> None:
    for network_data in data["networks"]:
        network = state.networks.get(network_data["slug"])
        if network is None:
            continue  # the network's own conflict is already named
        stored = list(_with_agendas(network.gatherings.all()).in_programme_order())
        theme_days = [g for g in stored if g.kind == GatheringKind.THEME_DAY]
        by_kind = {g.kind: g for g in stored if g.kind != GatheringKind.THEME_DAY}
        for given in network_data["gatherings"]:
            if given["kind"] == GatheringKind.THEME_DAY:
                gathering = theme_days.pop(0) if theme_days else None
            else:
                gathering = by_kind.get(given["kind"])
            if gathering is None:
                _create(state, network, given)
            else:
                _compare(state, gathering, given)
