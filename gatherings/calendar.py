"""iCalendar files for gatherings (RFC 5545), times in Europe/Oslo with its VTIMEZONE.

Every text property goes through :func:`line` (one line: the names, summaries and places) or
:func:`text` (a description of several lines): both give an escaped ``vText`` without control
characters, so no title, not even one stored before titles were checked, can end a property
line or add one of its own."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from core.text import one_line, without_control_characters

from .models import AgendaItem, Gathering

OSLO = ZoneInfo("Europe/Oslo")


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
    return cal


def gathering_uid(gathering: Gathering, domain: str) -> str:
    return f"samling-{gathering.pk}@{domain}"


def item_uid(item: AgendaItem, domain: str) -> str:
    return f"programpost-{item.pk}@{domain}"


def gathering_event(gathering: Gathering, *, base_url: str, domain: str) -> Event | None:
    """The gathering as an all-day event over its days; None until it has dates."""
    if not gathering.start_date:
        return None
    event = Event()
    event.add("uid", gathering_uid(gathering, domain))
    event.add("summary", line(f"{gathering.display_title} – {gathering.network}"))
    event.add("dtstart", gathering.start_date)
    event.add("dtend", gathering.last_day + timedelta(days=1))
    event.add("dtstamp", gathering.published_at or datetime(2012, 1, 1, tzinfo=OSLO))
    url = base_url + gathering.get_absolute_url()
    event.add("url", url)
    event.add("description", text("\n\n".join(filter(None, [gathering.description, url]))))
    if gathering.venue or gathering.address:
        event.add("location", line(", ".join(filter(None, [gathering.venue, gathering.address]))))
    return event


def item_event(item: AgendaItem, *, base_url: str, domain: str) -> Event | None:
    """A timed agenda item; None when it has no start time."""
    if not item.start:
        return None
    gathering = item.gathering
    event = Event()
    event.add("uid", item_uid(item, domain))
    event.add("summary", line(item.title))
    event.add("dtstart", datetime.combine(item.date, item.start, tzinfo=OSLO))
    if item.end:
        event.add("dtend", datetime.combine(item.date, item.end, tzinfo=OSLO))
    event.add("dtstamp", gathering.published_at or datetime(2012, 1, 1, tzinfo=OSLO))
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


def gathering_calendar(gathering: Gathering, items, *, base_url: str, domain: str) -> bytes:
    cal = _calendar(f"{gathering.display_title} – {gathering.network}")
    events = [gathering_event(gathering, base_url=base_url, domain=domain)]
    events += [item_event(item, base_url=base_url, domain=domain) for item in items]
    return _finish(cal, events)


def item_calendar(item: AgendaItem, *, base_url: str, domain: str) -> bytes:
    cal = _calendar(f"{item.title} – {item.gathering.display_title}")
    return _finish(cal, [item_event(item, base_url=base_url, domain=domain)])


def network_calendar(network, gatherings, *, base_url: str, domain: str) -> bytes:
    """A feed of a network's published gatherings (``gatherings`` with their agenda items
    prefetched as ``agenda_items``)."""
    cal = _calendar(str(network))
    events = []
    for gathering in gatherings:
        events.append(gathering_event(gathering, base_url=base_url, domain=domain))
        events += [
            item_event(item, base_url=base_url, domain=domain)
            for item in gathering.agenda_items.all()
        ]
    return _finish(cal, events)
