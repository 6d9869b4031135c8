"""The facilitator's editor: gatherings, agenda items, speakers, order, copying."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from gatherings.models import AgendaItem, EvaluationAnswer, Gathering, GatheringStatus
from network.models import Organisation, Person
from tests.gatherings.conftest import en_url

pytestmark = pytest.mark.django_db


def item_data(item=None, **overrides) -> dict:
    data = {
        "loaded_version": item.version if item else 1,
        "date": (item.date if item else datetime.date(2012, 2, 16)).isoformat(),
        "start": item.start.strftime("%H:%M") if item and item.start else "",
        "end": item.end.strftime("%H:%M") if item and item.end else "",
        "title": item.title if item else "Ny programpost",
        "kind": item.kind if item else "talk",
        "description": item.description if item else "",
        "chosen_speakers": [link.person_id for link in item.speaker_links.all()] if item else [],
        "new_speaker_name": "",
        "new_speaker_title": "",
        "new_speaker_organisation": "",
    }
    data.update(overrides)
    return data


def gathering_data(gathering, **overrides) -> dict:
    def value(v):
        return "" if v is None else v

    data = {
        "loaded_version": gathering.version,
        "kind": gathering.kind,
        "title": gathering.title,
        "planned_month": gathering.planned_month.strftime("%Y-%m")
        if gathering.planned_month
        else "",
        "planned_month_last": "",
        "start_date": value(gathering.start_date and gathering.start_date.isoformat()),
        "end_date": value(gathering.end_date and gathering.end_date.isoformat()),
        "schedule_note": gathering.schedule_note,
        "venue": gathering.venue,
        "address": gathering.address,
        "description": gathering.description,
        "practical_info": gathering.practical_info,
        "registration_deadline": "",
        "capacity": "",
    }
    data.update(overrides)
    return data


def rivenes(gathering) -> AgendaItem:
    return gathering.agenda_items.get(title_nb__startswith="Saman om ein betre kommune")


def state(gathering) -> list[tuple]:
    return list(
        gathering.agenda_items.order_by("pk").values_list(
            "pk", "date", "start", "end", "title", "position", "version"
        )
    )


# --- Permissions ---------------------------------------------------------------------------------


def test_facilitator_of_another_network_cannot_change_the_programme(
    login, facilitator_other, first_gathering, second_gathering
):
    client = login(facilitator_other)
    item = rivenes(first_gathering)
    before = state(first_gathering)
    gathering_before = Gathering.objects.filter(pk=first_gathering.pk).values().get()
    kwargs = {"pk": first_gathering.pk, "item_pk": item.pk}
    responses = [
        client.get(reverse("gatherings:agenda", args=[first_gathering.pk])),
        client.post(
            reverse("gatherings:edit", args=[first_gathering.pk]),
            gathering_data(first_gathering, venue="Hacked"),
        ),
        client.post(
            reverse("gatherings:item_edit", kwargs=kwargs),
            item_data(item, title="Endret av feil veileder"),
        ),
        client.post(reverse("gatherings:item_create", args=[first_gathering.pk]), item_data()),
        client.post(reverse("gatherings:item_move", kwargs=kwargs), {"direction": "down"}),
        client.post(reverse("gatherings:item_delete", kwargs=kwargs)),
        client.post(reverse("gatherings:send_changes", args=[first_gathering.pk])),
        client.post(reverse("gatherings:unpublish", args=[first_gathering.pk])),
    ]
    assert [r.status_code for r in responses] == [403] * len(responses)
    # The other network's draft is not even visible.
    response = client.post(reverse("gatherings:publish", args=[second_gathering.pk]))
    assert response.status_code == 404
    assert state(first_gathering) == before
    assert Gathering.objects.filter(pk=first_gathering.pk).values().get() == gathering_before
    second_gathering.refresh_from_db()
    assert second_gathering.status == GatheringStatus.DRAFT


@pytest.mark.parametrize("persona", ["participant", "leader_karmoy", "ministry"])
def test_readers_cannot_open_the_editor(login, request, persona, first_gathering):
    client = login(request.getfixturevalue(persona))
    response = client.get(reverse("gatherings:agenda", args=[first_gathering.pk]))
    assert response.status_code == 403


def test_anonymous_is_sent_to_sign_in(login, first_gathering):
    response = login(None).get(reverse("gatherings:agenda", args=[first_gathering.pk]))
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]


# --- Gatherings ----------------------------------------------------------------------------------


def test_facilitator_creates_a_gathering_in_their_network(login, facilitator, omdomme):
    response = login(facilitator).post(
        reverse("gatherings:create", args=["omdomme"]),
        {
            "loaded_version": 1,
            "kind": "temadag",
            "title": "Temadag om omdømme",
            "start_date": "2012-06-07",
            "venue": "Karmøy rådhus",
        },
    )
    gathering = Gathering.objects.get(network=omdomme, title="Temadag om omdømme")
    assert response.status_code == 302
    assert response["Location"] == reverse("gatherings:agenda", args=[gathering.pk])
    assert gathering.status == GatheringStatus.DRAFT
    assert gathering.days == [datetime.date(2012, 6, 7)]


def test_facilitator_cannot_create_a_gathering_in_another_network(login, facilitator_other):
    response = login(facilitator_other).post(
        reverse("gatherings:create", args=["omdomme"]),
        {"loaded_version": 1, "kind": "temadag", "title": "Feil"},
    )
    assert response.status_code == 403
    assert not Gathering.objects.filter(title="Feil").exists()


def test_a_network_has_one_first_gathering(login, facilitator):
    response = login(facilitator).post(
        en_url("gatherings:create", "omdomme"),
        {"loaded_version": 1, "kind": "samling_1"},
    )
    assert response.status_code == 200
    assert "The network already has this gathering." in response.content.decode()
    assert Gathering.objects.filter(network__slug="omdomme", kind="samling_1").count() == 1


def test_last_day_before_first_day_is_refused_with_a_message(login, facilitator, second_gathering):
    url = en_url("gatherings:edit", second_gathering.pk)
    response = login(facilitator).post(
        url, gathering_data(second_gathering, start_date="2012-09-20", end_date="2012-09-19")
    )
    assert response.status_code == 200
    assert "cannot be before the first day" in response.content.decode()
    second_gathering.refresh_from_db()
    assert second_gathering.start_date is None


def test_registration_deadline_after_the_gathering_is_refused(login, facilitator, second_gathering):
    url = en_url("gatherings:edit", second_gathering.pk)
    response = login(facilitator).post(
        url,
        gathering_data(
            second_gathering,
            start_date="2012-09-20",
            end_date="2012-09-21",
            registration_deadline="2012-09-25",
        ),
    )
    assert "The registration deadline must be on or before" in response.content.decode()


def test_moving_the_first_day_moves_the_programme(login, facilitator, first_gathering):
    response = login(facilitator).post(
        reverse("gatherings:edit", args=[first_gathering.pk]),
        gathering_data(first_gathering, start_date="2012-02-23", end_date="2012-02-24"),
    )
    assert response.status_code == 302
    dates = set(first_gathering.agenda_items.values_list("date", flat=True))
    assert dates == {datetime.date(2012, 2, 23), datetime.date(2012, 2, 24)}
    assert rivenes(first_gathering).date == datetime.date(2012, 2, 23)


def test_shortening_a_gathering_that_has_items_on_the_cut_day_is_refused(
    login, facilitator, first_gathering
):
    url = en_url("gatherings:edit", first_gathering.pk)
    response = login(facilitator).post(url, gathering_data(first_gathering, end_date=""))
    assert response.status_code == 200
    assert "outside the new dates" in response.content.decode()
    first_gathering.refresh_from_db()
    assert first_gathering.end_date == datetime.date(2012, 2, 17)


def test_a_published_gathering_keeps_its_dates(login, facilitator, first_gathering):
    url = en_url("gatherings:edit", first_gathering.pk)
    response = login(facilitator).post(
        url, gathering_data(first_gathering, start_date="", end_date="")
    )
    assert "must keep its dates" in response.content.decode()


def assert_the_second_save_conflicts(client, url, loaded, field, first, second):
    """Two editors sent the form as ``loaded``, changing ``field``: the first saves ``first``, the
    second is shown the conflict, both texts side by side, and saves nothing."""
    assert client.post(url, {**loaded, field: first}).status_code == 302
    response = client.post(url, {**loaded, field: second})
    assert response.status_code == 409
    content = response.content.decode()
    assert 'id="edit-conflict"' in content
    assert first in content and second in content
    assert [c.name for c in response.context["conflicts"]] == [field]


def test_two_editors_of_a_gathering_lose_nothing(login, facilitator, first_gathering):
    url = reverse("gatherings:edit", args=[first_gathering.pk])
    loaded = gathering_data(first_gathering)
    assert_the_second_save_conflicts(
        login(facilitator), url, loaded, "venue", "Hotell A", "Hotell B"
    )
    first_gathering.refresh_from_db()
    assert first_gathering.venue == "Hotell A"


# --- Agenda items --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "messages"),
    [
        pytest.param(
            {"start": "11:00", "end": "10:00"},
            ["The end (10.00) must be after the start (11.00)."],
            id="end before start",
        ),
        pytest.param(
            {"start": "", "end": "10:00"},
            ["Give a start time when you give an end time."],
            id="end without start",
        ),
        pytest.param(
            {"date": "2012-02-18", "start": "09:00"},
            [
                "Choose one of the gathering",
                "Thursday 16. February 2012 to Friday 17. February 2012",
            ],
            id="a date outside the gathering",
        ),
    ],
)
def test_an_item_at_an_impossible_time_is_refused_with_a_clear_message(
    login, facilitator, first_gathering, when, messages
):
    url = en_url("gatherings:item_create", first_gathering.pk)
    count = first_gathering.agenda_items.count()
    response = login(facilitator).post(url, item_data(**when))
    assert response.status_code == 200
    for message in messages:
        assert message in response.content.decode()
    assert first_gathering.agenda_items.count() == count


def test_an_item_needs_dates_on_the_gathering(login, facilitator, second_gathering):
    response = login(facilitator).get(reverse("gatherings:item_create", args=[second_gathering.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("gatherings:edit", args=[second_gathering.pk])


def test_an_overlapping_item_is_saved_with_a_warning(login, facilitator, first_gathering):
    client = login(facilitator)
    url = en_url("gatherings:item_create", first_gathering.pk)
    response = client.post(
        url, item_data(title="Kaffepause", start="14:00", end="14:30", kind="break"), follow=True
    )
    content = response.content.decode()
    assert AgendaItem.objects.filter(gathering=first_gathering, title="Kaffepause").exists()
    assert "overlaps «Presentations»" in content  # the English page: the English titles
    assert "Overlaps «Kaffepause»" in content  # in the editor, on the other item


def test_the_seed_overlap_is_shown_in_the_editor(login, facilitator, first_gathering):
    response = login(facilitator).get(en_url("gatherings:agenda", first_gathering.pk))
    content = response.content.decode()
    assert "Overlaps «Ethics, openness and dialogue – how to build trust?»" in content
    assert "Overlaps «Attractive employers»" in content


def test_a_new_item_is_placed_by_its_time(login, facilitator, first_gathering):
    login(facilitator).post(
        reverse("gatherings:item_create", args=[first_gathering.pk]),
        item_data(title="Ny post", start="10:40", end="10:55"),
    )
    day = list(
        first_gathering.agenda_items.filter(date=datetime.date(2012, 2, 16))
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert day[1:4] == [
        "Saman om ein betre kommune – hva og hvorfor?",
        "Ny post",
        "Om identitet og omdømme",
    ]


def test_speakers_come_from_the_directory_or_are_created_on_the_spot(
    login, facilitator, first_gathering
):
    kvale = Person.objects.get(name="Gro Kvåle")
    response = login(facilitator).post(
        reverse("gatherings:item_create", args=[first_gathering.pk]),
        item_data(
            title="Panel",
            start="16:50",
            chosen_speakers=[kvale.pk],
            new_speaker_name="Kari Nordmann",
            new_speaker_title="Ordfører",
            new_speaker_organisation="Karmøy kommune",
        ),
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(gathering=first_gathering, title="Panel")
    speakers = [link.person for link in item.speaker_links.order_by("position")]
    assert [p.name for p in speakers] == ["Gro Kvåle", "Kari Nordmann"]
    assert speakers[1].title == "Ordfører"
    assert speakers[1].organisation == Organisation.objects.get(name="Karmøy kommune")


def test_a_new_speaker_needs_a_name(login, facilitator, first_gathering):
    response = login(facilitator).post(
        en_url("gatherings:item_create", first_gathering.pk),
        item_data(new_speaker_title="Rådgiver"),
    )
    assert "Give the new speaker&#x27;s name." in response.content.decode()


def test_a_speaker_number_beyond_64_bits_is_an_invalid_choice(login, facilitator, first_gathering):
    """Found by tests/test_bad_input.py: SQLite raised OverflowError (a 500)."""
    response = login(facilitator).post(
        en_url("gatherings:item_create", first_gathering.pk),
        item_data(chosen_speakers=["99999999999999999999"]),
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()


def test_editing_an_item_keeps_its_speakers_in_order(login, facilitator, first_gathering):
    item = first_gathering.agenda_items.get(title="Om identitet og omdømme")
    response = login(facilitator).post(
        reverse("gatherings:item_edit", args=[first_gathering.pk, item.pk]),
        item_data(item, start="11:05"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.start == datetime.time(11, 5)
    assert item.version == 2
    assert [link.person.name for link in item.speaker_links.order_by("position")] == [
        "Ingjerd Hovdenakk",
        "Eva M. Kvalvaag",
    ]


def test_two_editors_of_an_item_lose_nothing(login, facilitator, first_gathering):
    item = rivenes(first_gathering)
    url = reverse("gatherings:item_edit", args=[first_gathering.pk, item.pk])
    assert_the_second_save_conflicts(
        login(facilitator), url, item_data(item), "description", "Første tekst", "Andre tekst"
    )
    item.refresh_from_db()
    assert item.description == "Første tekst"


def test_move_buttons_change_the_order_within_the_day(login, facilitator, first_gathering):
    client = login(facilitator)
    item = rivenes(first_gathering)
    url = reverse("gatherings:item_move", args=[first_gathering.pk, item.pk])
    assert client.post(url, {"direction": "up"}).status_code == 302
    item.refresh_from_db()
    assert item.position == 1
    client.post(url, {"direction": "up"})  # already first: nothing happens
    item.refresh_from_db()
    assert item.position == 1
    client.post(url, {"direction": "down"})
    item.refresh_from_db()
    assert item.position == 2
    assert client.get(url).status_code == 405


def test_deleting_an_item(login, facilitator, first_gathering):
    item = rivenes(first_gathering)
    url = reverse("gatherings:item_delete", args=[first_gathering.pk, item.pk])
    client = login(facilitator)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_an_item_with_evaluations_is_not_deleted(login, facilitator, first_gathering):
    item = rivenes(first_gathering)
    EvaluationAnswer.objects.create(gathering=first_gathering, agenda_item=item, rating=4)
    response = login(facilitator).post(
        en_url("gatherings:item_delete", first_gathering.pk, item.pk),
        follow=True,
    )
    assert "cannot be deleted" in response.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# --- Copying a programme -------------------------------------------------------------------------


def test_copying_a_programme_shifts_it_day_by_day_and_keeps_speakers(
    login, facilitator, first_gathering, second_gathering
):
    Gathering.objects.filter(pk=second_gathering.pk).update(
        start_date=datetime.date(2012, 9, 20), end_date=datetime.date(2012, 9, 21)
    )
    response = login(facilitator).post(
        reverse("gatherings:copy", args=[second_gathering.pk]), {"source": first_gathering.pk}
    )
    assert response.status_code == 302
    copied = rivenes(second_gathering)
    assert copied.date == datetime.date(2012, 9, 20)
    assert copied.start == datetime.time(10, 20)
    assert [link.person.name for link in copied.speaker_links.all()] == ["Fredrik Rivenes"]
    assert second_gathering.agenda_items.count() == 16
    assert second_gathering.agenda_items.filter(date=datetime.date(2012, 9, 21)).count() == 5
    assert first_gathering.agenda_items.count() == 16  # the source is untouched


def test_copying_into_a_shorter_gathering_leaves_out_the_extra_days(
    login, facilitator, first_gathering, second_gathering
):
    Gathering.objects.filter(pk=second_gathering.pk).update(
        start_date=datetime.date(2012, 9, 20), end_date=None
    )
    response = login(facilitator).post(
        en_url("gatherings:copy", second_gathering.pk),
        {"source": first_gathering.pk},
        follow=True,
    )
    assert second_gathering.agenda_items.count() == 11
    assert "5 items were left out" in response.content.decode()


def test_only_gatherings_the_user_may_see_can_be_copied(
    login, facilitator, second_gathering, first_gathering
):
    other_draft = Gathering.objects.get(network__slug="sykefravaer-sor", kind="samling_1")
    AgendaItem.objects.create(
        gathering=other_draft, date=datetime.date(2012, 2, 1), title="Hemmelig utkast"
    )
    Gathering.objects.filter(pk=second_gathering.pk).update(
        start_date=datetime.date(2012, 9, 20), end_date=datetime.date(2012, 9, 21)
    )
    client = login(facilitator)
    response = client.get(reverse("gatherings:copy", args=[second_gathering.pk]))
    assert str(first_gathering.pk) in response.content.decode()
    assert "Hemmelig utkast" not in response.content.decode()
    response = client.post(
        reverse("gatherings:copy", args=[second_gathering.pk]), {"source": other_draft.pk}
    )
    assert response.status_code == 200  # not a valid choice
    assert not second_gathering.agenda_items.exists()


@pytest.mark.parametrize("title", ["Andre\nsamling", "Andre\r\nsamling", "Andre\u2028samling"])
def test_a_line_break_in_a_gathering_title_is_a_form_error(
    login, facilitator, second_gathering, title
):
    url = en_url("gatherings:edit", second_gathering.pk)
    response = login(facilitator).post(url, gathering_data(second_gathering, title=title))
    assert response.status_code == 200
    assert "Write this on one line, without line breaks." in response.content.decode()
    assert response.context["form"].has_error("title", code="line_break")
    second_gathering.refresh_from_db()
    assert second_gathering.title == ""


def test_a_control_character_in_a_venue_is_a_form_error(login, facilitator, second_gathering):
    url = en_url("gatherings:edit", second_gathering.pk)
    response = login(facilitator).post(
        url, gathering_data(second_gathering, venue="Sola \u202eslettet")
    )
    assert response.status_code == 200
    assert "Remove the invisible or control characters." in response.content.decode()
    second_gathering.refresh_from_db()
    assert second_gathering.venue == ""


def test_line_breaks_in_an_agenda_item_and_a_new_speaker_are_form_errors(
    login, facilitator, first_gathering
):
    before = first_gathering.agenda_items.count()
    response = login(facilitator).post(
        en_url("gatherings:item_create", first_gathering.pk),
        item_data(title="Ny\npost", new_speaker_name="Kari\nNordmann"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("title", code="line_break")
    assert form.has_error("new_speaker_name", code="line_break")
    assert first_gathering.agenda_items.count() == before


def test_a_gathering_page_has_the_shared_breadcrumb_trail(login, facilitator, first_gathering):
    content = login(facilitator).get(en_url("gatherings:agenda", first_gathering.pk)).content
    trail = re.search(r'<nav class="ds-breadcrumbs.*?</nav>', content.decode(), re.S).group(0)
    links = re.findall(r'<a class="ds-link"(?: href="([^"]*)")?[^>]*>([^<]*)</a>', trail)
    detail = en_url("gatherings:detail", first_gathering.pk)
    with translation.override("en"):
        title = str(first_gathering.display_title)
    assert links == [
        (detail, f"Back to {title}"),
        (en_url("gatherings:list"), "Gatherings"),
        (en_url("network:network_detail", "omdomme"), "Reputation"),
        (detail, title),
        ("", "Edit the programme"),
    ]
    assert 'aria-current="page">Edit the programme</a>' in trail


def test_an_item_deleted_while_someone_edits_it_is_offered_again(
    login, facilitator, first_gathering
):
    client = login(facilitator)
    item = rivenes(first_gathering)
    url = reverse("gatherings:item_edit", args=[first_gathering.pk, item.pk])
    loaded = item_data(item, description="Ny tekst om omdømme")
    item.delete()  # the other facilitator deleted it meanwhile

    response = client.post(url, loaded)

    assert response.status_code == 409
    content = response.content.decode()
    assert 'id="edit-conflict"' in content
    assert "Ny tekst om omdømme" in content
    create_url = reverse("gatherings:item_create", args=[first_gathering.pk])
    assert f'action="{create_url}"' in content
    assert not AgendaItem.objects.filter(title=item.title, gathering=first_gathering).exists()

    assert client.post(create_url, loaded).status_code == 302
    again = AgendaItem.objects.get(title=item.title, gathering=first_gathering)
    assert again.description == "Ny tekst om omdømme"
