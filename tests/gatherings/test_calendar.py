"""iCalendar files: the whole gathering, one item, and a network's feed."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from gatherings import services
from gatherings.models import AgendaItem, Gathering, GatheringStatus
from tests.gatherings.test_editor import rivenes

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;")
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
        title="Hva og\nhvorfor?\rEND:VCALENDAR", description="Første linje\r\nandre\x1b linje"
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


# --- A subscription: refreshed, revised, every item placed --------------------------------------

PUBLISHED = datetime.datetime(2012, 2, 7, tzinfo=OSLO)  # the loader's publication time


def item(gathering, title) -> AgendaItem:
    return gathering.agenda_items.get(title=title)


def calendars(gathering) -> list[str]:
    """The three calendars: the gathering's, one of its items' and its network's."""
    return [
        reverse("gatherings:ical", args=[gathering.pk]),
        reverse("gatherings:item_ical", args=[gathering.pk, rivenes(gathering).pk]),
        reverse("gatherings:network_ical", args=[gathering.network.slug]),
    ]


def test_calendars_are_served_inline_and_ask_to_be_fetched_again_every_hour(login, first_gathering):
    client = login(None)
    for url in calendars(first_gathering):
        response = client.get(url)
        calendar = parse(response)  # inline, text/calendar; charset=utf-8
        assert not response["Content-Disposition"].startswith("attachment")
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in raw_lines(response)
        assert "X-PUBLISHED-TTL:PT1H" in raw_lines(response)
        assert calendar.decoded("refresh-interval") == datetime.timedelta(hours=1)
        assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]


def test_every_event_has_a_sequence_and_last_modified_from_its_publication(login, first_gathering):
    calendar = parse(login(None).get(reverse("gatherings:network_ical", args=["omdomme"])))
    published = PUBLISHED.astimezone(datetime.UTC)
    for event in calendar.walk("VEVENT"):
        assert event.decoded("last-modified") == published
        assert event.decoded("dtstamp") == published  # not the time of the request
        assert event["last-modified"].to_ical() == b"20120206T230000Z"  # UTC, as RFC 5545 wants
        assert event.decoded("sequence") == int(
            (published - datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)).total_seconds()
        )


def test_fetching_an_unchanged_calendar_again_gives_the_same_file(login, first_gathering):
    client = login(None)
    for url in calendars(first_gathering):
        first = client.get(url)
        assert b"DTSTAMP:20120206T230000Z" in first.content
        assert client.get(url).content == first.content


def test_a_change_of_the_programme_raises_sequence_and_last_modified(
    login, first_gathering, monkeypatch
):
    client = login(None)
    url = reverse("gatherings:ical", args=[first_gathering.pk])
    before = events(parse(client.get(url)))
    changed = datetime.datetime(2012, 2, 10, 9, 0, tzinfo=OSLO)
    monkeypatch.setattr(services.timezone, "now", lambda: changed)
    dinner = item(first_gathering, "Middag")
    services.save_agenda_item(
        gathering=first_gathering,
        item=dinner,
        loaded_version=dinner.version,
        data=services.ItemData(
            date=dinner.date,
            start=datetime.time(20, 0),
            end=None,
            title="Middag",
            description="Skalldyr.",
            kind=dinner.kind,
            speakers=[],
        ),
    )
    after = events(parse(client.get(url)))
    assert set(after) == set(before)  # the same UIDs
    for uid, event in after.items():
        assert event.decoded("last-modified") == changed
        assert event.decoded("dtstamp") == changed
        assert event.decoded("sequence") > before[uid].decoded("sequence")
    dinner_event = after[f"programpost-{dinner.pk}@testserver"]
    assert dinner_event.decoded("dtstart") == datetime.datetime(2012, 2, 16, 20, 0, tzinfo=OSLO)


def test_an_item_without_an_end_lasts_until_the_next_timed_item_of_its_day(login, first_gathering):
    calendar = parse(login(None).get(reverse("gatherings:ical", args=[first_gathering.pk])))
    by_uid = events(calendar)
    meeting = by_uid[
        f"programpost-{item(first_gathering, 'Prosjektlederne – et kort møte').pk}@testserver"
    ]
    assert meeting.decoded("dtstart") == datetime.datetime(2012, 2, 16, 17, 30, tzinfo=OSLO)
    assert meeting.decoded("dtend") == datetime.datetime(2012, 2, 16, 18, 45, tzinfo=OSLO)
    morning = by_uid[
        f"programpost-{item(first_gathering, 'God morgen og takk for i går').pk}@testserver"
    ]
    assert morning.decoded("dtend") == datetime.datetime(2012, 2, 17, 8, 45, tzinfo=OSLO)
    # Every event has an end.
    assert all("dtend" in event for event in calendar.walk("VEVENT"))


def test_the_last_item_of_a_day_without_an_end_lasts_30_minutes(login, first_gathering):
    dinner = item(first_gathering, "Middag")  # 19:30, the last of the first day
    client = login(None)
    for url in [
        reverse("gatherings:ical", args=[first_gathering.pk]),
        reverse("gatherings:item_ical", args=[first_gathering.pk, dinner.pk]),
    ]:
        event = events(parse(client.get(url)))[f"programpost-{dinner.pk}@testserver"]
        assert event.decoded("dtend") == datetime.datetime(2012, 2, 16, 20, 0, tzinfo=OSLO)


def test_the_item_calendar_ends_an_item_at_the_next_item_of_its_day(login, first_gathering):
    meeting = item(first_gathering, "Prosjektlederne – et kort møte")
    calendar = parse(
        login(None).get(reverse("gatherings:item_ical", args=[first_gathering.pk, meeting.pk]))
    )
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtend") == datetime.datetime(2012, 2, 16, 18, 45, tzinfo=OSLO)


def test_items_without_a_time_are_notes_on_their_day_in_the_all_day_event(login, first_gathering):
    untimed = list(first_gathering.agenda_items.filter(start=None).order_by("date", "position"))
    assert untimed  # the welcome and the closing
    calendar = parse(login(None).get(reverse("gatherings:ical", args=[first_gathering.pk])))
    whole = events(calendar)[f"samling-{first_gathering.pk}@testserver"]
    assert whole.decoded("dtstart") == datetime.date(2012, 2, 16)  # still all day
    description = str(whole["description"])
    assert "Uten fastsatt tid:" in description
    for untimed_item in untimed:
        day = "torsdag 16. februar" if untimed_item.date.day == 16 else "fredag 17. februar"
        assert f"{day}: {untimed_item.title}" in description.splitlines()
        assert f"programpost-{untimed_item.pk}@testserver" not in events(calendar)


def test_the_gathering_page_offers_a_subscription_with_a_copyable_address(login, first_gathering):
    response = login(None).get(first_gathering.get_absolute_url())
    html = response.content.decode()
    path = reverse("gatherings:ical", args=[first_gathering.pk])
    assert f'href="webcal://testserver{path}"' in html
    assert f'value="http://testserver{path}"' in html
    assert "readonly" in html
    assert "Abonner i kalenderprogrammet ditt" in html


def test_a_secure_site_offers_an_https_address_in_a_labelled_read_only_field(
    login, first_gathering
):
    response = login(None).get(first_gathering.get_absolute_url(), secure=True)
    html = response.content.decode()
    path = reverse("gatherings:ical", args=[first_gathering.pk])
    assert f'href="webcal://testserver{path}"' in html
    assert '<label class="ds-label" for="calendar-address">' in html
    field = re.search(r'<input[^>]*id="calendar-address"[^>]*>', html).group()
    assert f'value="https://testserver{path}"' in field
    assert "readonly" in field
    assert "<script" not in html.split('id="subscribe-heading"')[1].split("</section>")[0]


def test_a_draft_gathering_page_offers_no_subscription(login, facilitator, second_gathering):
    Gathering.objects.filter(pk=second_gathering.pk).update(start_date=datetime.date(2012, 9, 20))
    html = login(facilitator).get(second_gathering.get_absolute_url()).content.decode()
    assert "webcal://" not in html  # a calendar program could not read a draft


def test_the_network_page_offers_the_network_calendar_as_a_subscription(login):
    html = login(None).get(reverse("network:network_detail", args=["omdomme"])).content.decode()
    path = reverse("gatherings:network_ical", args=["omdomme"])
    assert f'href="webcal://testserver{path}"' in html
    assert f'value="http://testserver{path}"' in html
    assert "Abonner på kalenderen til nettverket" in html
