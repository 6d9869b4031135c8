"""The gatherings app's part of the open-data export: each network's gatherings and agendas.

A draft gathering shows only its plan (kind, month, status) unless drafts are included.
"""

from django.urls import reverse

from network.models import Programme

from .models import AgendaItemSpeaker, Gathering
from .selectors import agenda_with_speakers


def _time(value):
    return value.strftime("%H:%M") if value else None


def _speaker(link: AgendaItemSpeaker) -> dict:
    person = link.person
    return {
        "name": person.name,
        "title": person.title,
        "organisation": str(person.organisation or ""),
        "department": person.department,
    }


def _gathering(gathering: Gathering, *, full: bool) -> dict:
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
            {
                "date": item.date.isoformat(),
                "start": _time(item.start),
                "end": _time(item.end),
                "title": item.title,
                "kind": item.kind,
                "description": item.description,
                "speakers": [_speaker(link) for link in item.speaker_links.all()],
            }
            for item in gathering.agenda_items.all()
        ]
    return data


def contribute(data: dict, *, programme: Programme, include_drafts: bool) -> None:
    gatherings = (
        Gathering.objects.filter(network__programme=programme)
        .select_related("network")
        .prefetch_related(agenda_with_speakers())
        .in_programme_order()
    )
    by_network: dict[str, list] = {}
    for gathering in gatherings:
        by_network.setdefault(gathering.network.slug, []).append(
            _gathering(gathering, full=include_drafts or gathering.is_published)
        )
    for network in data["networks"]:
        network["gatherings"] = by_network.get(network["slug"], [])
