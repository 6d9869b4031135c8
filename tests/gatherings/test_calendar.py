"""iCalendar files: the whole gathering, one item, and a network's feed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from gatherings.models import AgendaItem, Gathering, GatheringStatus

from .test_editor import rivenes

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_gathering_calendar_has_local_times_and_the_oslo_timezone(login, first_gathering):
    calendar = parse(login(None).get(reverse("gatherings:ical", args=[first_gathering.pk])))
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    talk = rivenes(first_gathering)
    event = events(calendar)[f"programpost-{talk.pk}@testserver"]
    start = event.decoded("dtstart")
    assert start == datetime.datetime(2012, 2, 16, 10, 20, tzinfo=OSLO)
    assert start.utcoffset() == datetime.timedelta(hours=1)  # CET in February
    assert event["dtstart"].params["TZID"] == "Europe/Oslo"
    assert str(event["summary"]) == "Saman om ein betre kommune – hva og hvorfor?"
    assert "Fredrik Rivenes (Seniorrådgiver, KRD)" in str(event["description"])
    assert str(event["url"]).endswith(f"/samlinger/{first_gathering.pk}/#post-{talk.pk}")
    whole = events(calendar)[f"samling-{first_gathering.pk}@testserver"]
    assert whole.decoded("dtstart") == datetime.date(2012, 2, 16)
    assert whole.decoded("dtend") == datetime.date(2012, 2, 18)  # exclusive end
    # Items without a time (the welcome, the closing) are not events.
    assert len(calendar.walk("VEVENT")) == 1 + 14


def test_uids_are_stable_between_downloads(login, first_gathering):
    client = login(None)
    url = reverse("gatherings:ical", args=[first_gathering.pk])
    assert set(events(parse(client.get(url)))) == set(events(parse(client.get(url))))


def test_item_calendar_has_one_event_with_a_link_back(login, first_gathering):
    talk = rivenes(first_gathering)
    calendar = parse(
        login(None).get(reverse("gatherings:item_ical", args=[first_gathering.pk, talk.pk]))
    )
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"programpost-{talk.pk}@testserver"
    assert event.decoded("dtstart") == datetime.datetime(2012, 2, 16, 10, 20, tzinfo=OSLO)
    assert "VTIMEZONE" in calendar.to_ical().decode()
    assert str(event["url"]) == f"http://testserver/samlinger/{first_gathering.pk}/#post-{talk.pk}"


def test_a_summer_time_item_is_two_hours_ahead_of_utc(login, first_gathering, second_gathering):
    Gathering.objects.filter(pk=second_gathering.pk).update(
        start_date=datetime.date(2012, 9, 20), status=GatheringStatus.PUBLISHED
    )
    item = AgendaItem.objects.create(
        gathering=second_gathering,
        date=datetime.date(2012, 9, 20),
        start=datetime.time(10, 20),
        end=datetime.time(11, 0),
        title="Høst",
    )
    calendar = parse(
        login(None).get(reverse("gatherings:item_ical", args=[second_gathering.pk, item.pk]))
    )
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart").utcoffset() == datetime.timedelta(hours=2)
    assert event.decoded("dtend") == datetime.datetime(2012, 9, 20, 11, 0, tzinfo=OSLO)


def test_an_item_without_a_time_has_no_calendar_file(login, first_gathering):
    welcome = first_gathering.agenda_items.get(title="Velkommen")
    response = login(None).get(
        reverse("gatherings:item_ical", args=[first_gathering.pk, welcome.pk])
    )
    assert response.status_code == 404


def test_network_feed_has_published_gatherings_only(
    login, facilitator, first_gathering, second_gathering
):
    Gathering.objects.filter(pk=second_gathering.pk).update(start_date=datetime.date(2012, 9, 20))
    AgendaItem.objects.create(
        gathering=second_gathering,
        date=datetime.date(2012, 9, 20),
        start=datetime.time(9, 0),
        title="Utkast",
    )
    # Even the facilitator, who sees the draft elsewhere, gets only published gatherings.
    calendar = parse(login(facilitator).get(reverse("gatherings:network_ical", args=["omdomme"])))
    uids = set(events(calendar))
    assert f"samling-{first_gathering.pk}@testserver" in uids
    assert f"samling-{second_gathering.pk}@testserver" not in uids
    assert "Utkast" not in calendar.to_ical().decode()
    assert str(calendar["x-wr-calname"]) == "Omdømme"
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_draft_calendars_are_hidden_from_the_public(login, second_gathering):
    assert (
        login(None).get(reverse("gatherings:ical", args=[second_gathering.pk])).status_code == 404
    )


# --- Text that would break a line of the file --------------------------------------------------


def raw_lines(response) -> list[str]:
    """The file's lines as a calendar program reads them: unfolded, split at CRLF."""
    text = response.content.decode().replace("\r\n ", "").replace("\r\n\t", "")
    return text.split("\r\n")


def assert_every_line_is_a_property(response):
    """Each line is ``NAME[;PARAMS]:VALUE`` with no bare CR, LF or other control character."""
    for line in raw_lines(response):
        if not line:
            continue
        assert ":" in line, line
        assert not any(ord(c) < 32 and c != "\t" for c in line), repr(line)
        assert "\u2028" not in line and "\u2029" not in line, repr(line)


def test_a_line_break_in_an_old_gathering_title_does_not_break_its_calendar(login, first_gathering):
    """Stored before titles were checked: the calendar name and summary stay on one line."""
    Gathering.objects.filter(pk=first_gathering.pk).update(
        title="Første\nsamling\r\nX-INJECTED:1\u2028\x1b[31m", venue="Quality\nHotel"
    )
    response = login(None).get(reverse("gatherings:ical", args=[first_gathering.pk]))
    calendar = parse(response)
    assert_every_line_is_a_property(response)
    assert "X-INJECTED" not in calendar
    name = calendar["x-wr-calname"].to_ical().decode()
    assert name == "Første samling X-INJECTED:1 [31m – Omdømme"
    whole = events(calendar)[f"samling-{first_gathering.pk}@testserver"]
    assert str(whole["summary"]) == "Første samling X-INJECTED:1 [31m – Omdømme"
    assert str(whole["location"]).startswith("Quality Hotel")


def test_a_line_break_in_an_old_agenda_item_title_does_not_break_its_calendars(
    login, first_gathering
):
    talk = rivenes(first_gathering)
    AgendaItem.objects.filter(pk=talk.pk).update(
        title="Hva og\nhvorfor?\rEND:VCALENDAR", description="Første linje\r\nandre\x00 linje"
    )
    client = login(None)
    for url in [
        reverse("gatherings:item_ical", args=[first_gathering.pk, talk.pk]),
        reverse("gatherings:ical", args=[first_gathering.pk]),
        reverse("gatherings:network_ical", args=["omdomme"]),
    ]:
        response = client.get(url)
        calendar = parse(response)
        assert_every_line_is_a_property(response)
        event = events(calendar)[f"programpost-{talk.pk}@testserver"]
        assert str(event["summary"]) == "Hva og hvorfor? END:VCALENDAR"
        # The description keeps its line breaks, escaped as the format wants them.
        assert str(event["description"]).startswith("Første linje\nandre linje\n")
    item_calendar = client.get(reverse("gatherings:item_ical", args=[first_gathering.pk, talk.pk]))
    name = parse(item_calendar)["x-wr-calname"].to_ical().decode()
    assert name.startswith("Hva og hvorfor? END:VCALENDAR – ")


def test_commas_and_semicolons_in_a_calendar_name_are_escaped(login, first_gathering):
    Gathering.objects.filter(pk=first_gathering.pk).update(title="Samling; dag 1, 2 \\ 3")
    response = login(None).get(reverse("gatherings:ical", args=[first_gathering.pk]))
    assert "X-WR-CALNAME:Samling\\; dag 1\\, 2 \\\\ 3 – Omdømme" in raw_lines(response)
