"""Reads shared by the gathering pages."""

from itertools import groupby, pairwise

from django.db.models import Prefetch

from .models import AgendaItem, AgendaItemSpeaker, Gathering


def agenda_items(gathering: Gathering):
    return gathering.agenda_items.prefetch_related(
        Prefetch(
            "speaker_links",
            queryset=AgendaItemSpeaker.objects.select_related("person__organisation").order_by(
                "position"
            ),
        )
    ).order_by("date", "position", "start")


def agenda_by_day(gathering: Gathering) -> list[tuple]:
    """``[(date, [items])]`` in programme order."""
    return [
        (day, list(items)) for day, items in groupby(agenda_items(gathering), key=lambda i: i.date)
    ]


def overlapping_items(items: list[AgendaItem]) -> set[int]:
    """Ids of items whose time overlaps the next timed item of the same day."""
    overlapping = set()
    timed = sorted((i for i in items if i.start), key=lambda i: (i.date, i.start))
    for current, following in pairwise(timed):
        if current.date == following.date and current.end and following.start < current.end:
            overlapping.update({current.pk, following.pk})
    return overlapping
