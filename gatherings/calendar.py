"""iCalendar files for gatherings (RFC 5545), times in Europe/Oslo with its VTIMEZONE.

The files are subscriptions as much as downloads: they ask to be fetched again every hour
(``REFRESH-INTERVAL``, ``X-PUBLISHED-TTL``), and each event's ``DTSTAMP``, ``LAST-MODIFIED`` and
``SEQUENCE`` follow the time the gathering or its programme last changed
(``Gathering.changed_at``, set by the services; before that, the time it was published), so a
calendar replaces what it showed, and fetching an unchanged programme again gives the same bytes
(nothing depends on the time of the request).
The gathering is an all-day event over its days whose description lists the items without a
time under their day; each timed item is an event of its own, and one without an end lasts until
the next timed item of its day starts, else 30 minutes.

Every text property goes through :func:`line` (one line: the names, summaries and places) or
:func:`text` (a description of several lines): both give an escaped ``vText`` without control
characters, so no title, not even one stored before titles were checked, can end a property
line or add one of its own."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration, vText

from core.text import one_line, without_control_characters

from .models import AgendaItem, Gathering

OSLO = ZoneInfo("Europe/Oslo")
#: How often a subscribed calendar should fetch the file again.
REFRESH = timedelta(hours=1)
#: The length of a timed item without an end when no later item of its day gives one.
DEFAULT_DURATION = timedelta(minutes=30)
#: ``SEQUENCE`` counts the seconds since this moment to the last change: it only grows.
SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: The change time of a gathering that was neither changed nor published by the services.
NEVER_CHANGED = datetime(2012, 1, 1, tzinfo=UTC)


def line(value) -> vText:
    """A single-line TEXT value: collapsed to one line, then escaped (``\\ ; ,``)."""
    return vText(one_line(value))


def text(value) -> vText:
    """A TEXT value of several lines: its line breaks are escaped as ``\\n``."""
    return vText(without_control_characters(value))


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Nettverksportalen//Saman om ein betre kommune//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", line(name))
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def last_changed(gathering: Gathering) -> datetime:
    """When the gathering or its programme last changed (or it was published), in UTC."""
    times = [t for t in (gathering.changed_at, gathering.published_at) if t is not None]
    return max(times, default=NEVER_CHANGED).astimezone(UTC)


def sequence(changed: datetime) -> int:
    """The revision number of an event: seconds from :data:`SEQUENCE_EPOCH` to its last
    change, so it grows with every change without a counter of its own."""
    return max(0, int((changed - SEQUENCE_EPOCH).total_seconds()))


def _add_revision(event: Event, gathering: Gathering) -> None:
    changed = last_changed(gathering)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", sequence(changed))


def gathering_uid(gathering: Gathering, domain: str) -> str:
    return f"samling-{gathering.pk}@{domain}"


def item_uid(item: AgendaItem, domain: str) -> str:
    return f"programpost-{item.pk}@{domain}"


def untimed_notes(items: Iterable[AgendaItem]) -> str:
    """The items without a time, one line each under their day: «Friday 17 February: …»."""
    untimed = [item for item in items if not item.start]
    if not untimed:
        return ""
    lines = [_("Without a set time:")]
    for day, group in groupby(untimed, key=lambda item: item.date):
        name = formats.date_format(day, "l j. F")
        lines += [f"{name}: {one_line(item.title)}" for item in group]
    return "\n".join(lines)


def gathering_event(
    gathering: Gathering, items: Iterable[AgendaItem] = (), *, base_url: str, domain: str
) -> Event | None:
    """The gathering as an all-day event over its days, with the items without a time in its
    description; None until it has dates. ``items`` in programme order."""
    if not gathering.start_date:
        return None
    event = Event()
    event.add("uid", gathering_uid(gathering, domain))
    event.add("summary", line(f"{gathering.display_title} – {gathering.network}"))
    event.add("dtstart", gathering.start_date)
    event.add("dtend", gathering.last_day + timedelta(days=1))
    _add_revision(event, gathering)
    url = base_url + gathering.get_absolute_url()
    event.add("url", url)
    parts = [gathering.description, untimed_notes(items), url]
    event.add("description", text("\n\n".join(filter(None, parts))))
    if gathering.venue or gathering.address:
        event.add("location", line(", ".join(filter(None, [gathering.venue, gathering.address]))))
    return event


def item_end(item: AgendaItem, day_items: Iterable[AgendaItem] = ()) -> datetime:
    """The end of a timed item: its own, else the start of the next timed item of its day
    (``day_items``), else :data:`DEFAULT_DURATION` after its start."""
    start = datetime.combine(item.date, item.start, tzinfo=OSLO)
    if item.end:
        return datetime.combine(item.date, item.end, tzinfo=OSLO)
    later = [
        other.start
        for other in day_items
        if other.date == item.date and other.start and other.start > item.start
    ]
    if later:
        return datetime.combine(item.date, min(later), tzinfo=OSLO)
    return start + DEFAULT_DURATION


def item_event(
    item: AgendaItem, day_items: Iterable[AgendaItem] = (), *, base_url: str, domain: str
) -> Event | None:
    """A timed agenda item; None when it has no start time. ``day_items`` (the items of its
    day, or more) give the end of an item without one."""
    if not item.start:
        return None
    gathering = item.gathering
    event = Event()
    event.add("uid", item_uid(item, domain))
    event.add("summary", line(item.title))
    event.add("dtstart", datetime.combine(item.date, item.start, tzinfo=OSLO))
    event.add("dtend", item_end(item, day_items))
    _add_revision(event, gathering)
    url = base_url + item.get_absolute_url()
    event.add("url", url)
    speakers = ", ".join(
        f"{link.person.name} ({link.person.affiliation})"
        if link.person.affiliation
        else link.person.name
        for link in item.speaker_links.all()
    )
    event.add("description", text("\n\n".join(filter(None, [item.description, speakers, url]))))
    if gathering.venue or gathering.address:
        event.add("location", line(", ".join(filter(None, [gathering.venue, gathering.address]))))
    return event


def _finish(cal: Calendar, events) -> bytes:
    for event in events:
        if event is not None:
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _programme_events(gathering: Gathering, items, *, base_url: str, domain: str) -> list:
    items = list(items)
    events = [gathering_event(gathering, items, base_url=base_url, domain=domain)]
    events += [item_event(item, items, base_url=base_url, domain=domain) for item in items]
    return events


def gathering_calendar(gathering: Gathering, items, *, base_url: str, domain: str) -> bytes:
    """The gathering and its programme (``items`` in programme order)."""
    cal = _calendar(f"{gathering.display_title} – {gathering.network}")
    return _finish(cal, _programme_events(gathering, items, base_url=base_url, domain=domain))


def item_calendar(item: AgendaItem, day_items=(), *, base_url: str, domain: str) -> bytes:
    """One timed item; ``day_items`` (the items of its day) give an end it lacks."""
    cal = _calendar(f"{item.title} – {item.gathering.display_title}")
    return _finish(cal, [item_event(item, day_items, base_url=base_url, domain=domain)])


def network_calendar(network, gatherings, *, base_url: str, domain: str) -> bytes:
    """A feed of a network's published gatherings (``gatherings`` with their agenda items
    prefetched as ``agenda_items``)."""
    cal = _calendar(str(network))
    events = []
    for gathering in gatherings:
        items = gathering.agenda_items.all()
        events += _programme_events(gathering, items, base_url=base_url, domain=domain)
    return _finish(cal, events)
