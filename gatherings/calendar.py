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
:func:`text` (a description of several lines): both give an escaped TEXT value without control
characters, so no title, not even one stored before titles were checked, can end a property
line or add one of its own.

The files are written line by line from plain rows (``selectors.programme_items``), byte for
byte as the ``icalendar`` library writes them (its property order, escaping and folding at 75
octets), without building its objects: those cost ~20 ms of CPU for a gathering of 20 items.
The library still makes the Europe/Oslo VTIMEZONE, once per process (it is the same in every
file), and the tests read the files with it."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import groupby
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _
from icalendar import Timezone

from core.text import one_line, without_control_characters

from .models import Gathering
from .selectors import ProgrammeItem

TZID = "Europe/Oslo"
OSLO = ZoneInfo(TZID)
#: How often a subscribed calendar should fetch the file again.
REFRESH = timedelta(hours=1)
#: ``REFRESH`` as an iCalendar DURATION.
REFRESH_DURATION = "PT1H"
#: The length of a timed item without an end when no later item of its day gives one.
DEFAULT_DURATION = timedelta(minutes=30)
#: ``SEQUENCE`` counts the seconds since this moment to the last change: it only grows.
SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: The change time of a gathering that was neither changed nor published by the services.
NEVER_CHANGED = datetime(2012, 1, 1, tzinfo=UTC)
#: Longer content lines are folded (RFC 5545 3.1): at most this many octets a line, less one.
FOLD_AT = 75


def escaped(value: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 wants it (``\\ ; ,`` and line breaks), as the
    ``icalendar`` library escapes it (a literal ``\\N`` is taken for a line break)."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def line(value) -> str:
    """A single-line TEXT value: collapsed to one line, then escaped (``\\ ; ,``)."""
    return escaped(one_line(value))


def text(value) -> str:
    """A TEXT value of several lines: its line breaks are escaped as ``\\n``."""
    return escaped(without_control_characters(value))


def folded(content_line: str) -> str:
    """A content line folded before it reaches :data:`FOLD_AT` octets (never inside a
    character), continued lines starting with a space; an escape (``\\``, ``^``) is not split
    from the character it escapes."""
    if len(content_line) < FOLD_AT and (
        content_line.isascii() or len(content_line.encode()) < FOLD_AT
    ):
        return content_line
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for char in content_line:
        size = 1 if char < "\x80" else len(char.encode())
        if current and count + size >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                escape = current.pop()
                parts.append("".join(current))
                current, count = [escape], 1
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _date(day: date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _local(moment: datetime) -> str:
    """A wall-clock time in Oslo: ``20120216T102000`` (with ``;TZID=Europe/Oslo``)."""
    return f"{_date(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


def _utc(moment: datetime) -> str:
    return f"{_local(moment)}Z"


@cache
def oslo_timezone() -> str:
    """The VTIMEZONE of Europe/Oslo as the ``icalendar`` library adds it to a calendar that
    needs it (its transitions 1970–2038): the same in every file, so made once."""
    return Timezone.from_tzid(TZID).to_ical().decode()


def last_changed(gathering: Gathering) -> datetime:
    """When the gathering or its programme last changed (or it was published), in UTC."""
    times = [t for t in (gathering.changed_at, gathering.published_at) if t is not None]
    return max(times, default=NEVER_CHANGED).astimezone(UTC)


def sequence(changed: datetime) -> int:
    """The revision number of an event: seconds from :data:`SEQUENCE_EPOCH` to its last
    change, so it grows with every change without a counter of its own."""
    return max(0, int((changed - SEQUENCE_EPOCH).total_seconds()))


def gathering_uid(gathering: Gathering, domain: str) -> str:
    return f"samling-{gathering.pk}@{domain}"


def item_uid(item: ProgrammeItem, domain: str) -> str:
    return f"programpost-{item.pk}@{domain}"


def untimed_notes(items: Iterable[ProgrammeItem]) -> str:
    """The items without a time, one line each under their day: «Friday 17 February: …»."""
    untimed = [item for item in items if not item.start]
    if not untimed:
        return ""
    lines = [_("Without a set time:")]
    for day, group in groupby(untimed, key=lambda item: item.date):
        name = formats.date_format(day, "l j. F")
        lines += [f"{name}: {one_line(item.title)}" for item in group]
    return "\n".join(lines)


def item_end(item: ProgrammeItem, day_items: Iterable[ProgrammeItem] = ()) -> datetime:
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


class _Revision:
    """The lines every event of a gathering shares: its place and its last change."""

    def __init__(self, gathering: Gathering):
        changed = last_changed(gathering)
        self.stamp = _utc(changed)
        self.sequence = sequence(changed)
        place = ", ".join(filter(None, [gathering.venue, gathering.address]))
        self.location = line(place) if place else None


def _event(lines: list[str], properties: list[tuple[str, str]], revision: _Revision) -> None:
    """A VEVENT with the properties in the library's order: SUMMARY, DTSTART, DTEND, DTSTAMP,
    UID, SEQUENCE, then the others by name (DESCRIPTION, LAST-MODIFIED, LOCATION, URL)."""
    summary, start, end, uid, description, url = properties
    lines += [
        "BEGIN:VEVENT",
        folded(f"SUMMARY:{summary}"),
        folded(f"DTSTART;{start}"),
        folded(f"DTEND;{end}"),
        f"DTSTAMP:{revision.stamp}",
        folded(f"UID:{escaped(uid)}"),
        f"SEQUENCE:{revision.sequence}",
        folded(f"DESCRIPTION:{description}"),
        f"LAST-MODIFIED:{revision.stamp}",
    ]
    if revision.location is not None:
        lines.append(folded(f"LOCATION:{revision.location}"))
    lines += [folded(f"URL:{url}"), "END:VEVENT"]


def _gathering_event(
    lines: list[str],
    gathering: Gathering,
    items: list[ProgrammeItem],
    revision: _Revision,
    *,
    url: str,
    domain: str,
) -> None:
    """The gathering as an all-day event over its days, with the items without a time in its
    description; nothing until it has dates."""
    if not gathering.start_date:
        return
    parts = [gathering.description, untimed_notes(items), url]
    _event(
        lines,
        [
            line(f"{gathering.display_title} – {gathering.network}"),
            f"VALUE=DATE:{_date(gathering.start_date)}",
            f"VALUE=DATE:{_date(gathering.last_day + timedelta(days=1))}",
            gathering_uid(gathering, domain),
            text("\n\n".join(filter(None, parts))),
            url,
        ],
        revision,
    )


def _item_event(
    lines: list[str],
    item: ProgrammeItem,
    day_items: Iterable[ProgrammeItem],
    revision: _Revision,
    *,
    gathering_url: str,
    domain: str,
) -> bool:
    """A timed agenda item (False, and nothing, for one without a start time). ``day_items``
    (the items of its day, or more) give the end of an item without one."""
    if not item.start:
        return False
    url = f"{gathering_url}#post-{item.pk}"
    speakers = ", ".join(
        f"{name} ({affiliation})" if affiliation else name for name, affiliation in item.speakers
    )
    start = datetime.combine(item.date, item.start, tzinfo=OSLO)
    _event(
        lines,
        [
            line(item.title),
            f"TZID={TZID}:{_local(start)}",
            f"TZID={TZID}:{_local(item_end(item, day_items))}",
            item_uid(item, domain),
            text("\n\n".join(filter(None, [item.description, speakers, url]))),
            url,
        ],
        revision,
    )
    return True


def _calendar(name: str, events: list[str], timed: bool) -> bytes:
    """The file: the calendar's properties in the library's order (VERSION, PRODID, CALSCALE,
    X-WR-CALNAME, then the others by name), the VTIMEZONE when an event has a local time,
    the events."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Nettverksportalen//Saman om ein betre kommune//NO",
        "CALSCALE:GREGORIAN",
        folded(f"X-WR-CALNAME:{line(name)}"),
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_DURATION}",
        f"X-PUBLISHED-TTL:{REFRESH_DURATION}",
        f"X-WR-TIMEZONE:{TZID}",
    ]
    body = "\r\n".join(head) + "\r\n"
    if timed:
        body += oslo_timezone()
    if events:
        body += "\r\n".join(events) + "\r\n"
    return (body + "END:VCALENDAR\r\n").encode()


def _programme_events(
    lines: list[str],
    gathering: Gathering,
    items: list[ProgrammeItem],
    *,
    base_url: str,
    domain: str,
) -> bool:
    """The gathering's events (``items`` in programme order); whether one has a local time."""
    revision = _Revision(gathering)
    url = base_url + gathering.get_absolute_url()
    _gathering_event(lines, gathering, items, revision, url=url, domain=domain)
    timed = False
    for item in items:
        timed |= _item_event(lines, item, items, revision, gathering_url=url, domain=domain)
    return timed


def gathering_calendar(
    gathering: Gathering, items: list[ProgrammeItem], *, base_url: str, domain: str
) -> bytes:
    """The gathering and its programme (``items`` in programme order)."""
    lines: list[str] = []
    timed = _programme_events(lines, gathering, items, base_url=base_url, domain=domain)
    return _calendar(f"{gathering.display_title} – {gathering.network}", lines, timed)


def item_calendar(
    gathering: Gathering,
    item: ProgrammeItem,
    day_items: Iterable[ProgrammeItem] = (),
    *,
    base_url: str,
    domain: str,
) -> bytes:
    """One timed item; ``day_items`` (the items of its day, or more) give an end it lacks."""
    lines: list[str] = []
    url = base_url + gathering.get_absolute_url()
    timed = _item_event(
        lines, item, day_items, _Revision(gathering), gathering_url=url, domain=domain
    )
    return _calendar(f"{item.title} – {gathering.display_title}", lines, timed)


def network_calendar(
    network,
    gatherings: Iterable[Gathering],
    items: dict[int, list[ProgrammeItem]],
    *,
    base_url: str,
    domain: str,
) -> bytes:
    """A feed of a network's published gatherings, with their items by gathering."""
    lines: list[str] = []
    timed = False
    for gathering in gatherings:
        timed |= _programme_events(
            lines, gathering, items.get(gathering.pk, []), base_url=base_url, domain=domain
        )
    return _calendar(str(network), lines, timed)
