"""A gathering's and its agenda's texts in Bokmål, Nynorsk and English: the loaded programme
in every language, the facilitator's editor writing the page's language without freezing the
Bokmål text into the others, and what participants are sent staying in Bokmål."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from gatherings import publishing
from gatherings.models import AgendaItem, Gathering
from gatherings.selectors import agenda_items
from tests.factories import AgendaItemFactory
from tests.gatherings.test_editor import gathering_data, item_data

pytestmark = pytest.mark.django_db


def url_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _welcome(gathering) -> AgendaItem:
    return gathering.agenda_items.get(title_nb="Velkommen")


def test_loader_fills_the_gatherings_texts_in_all_three_languages(first_gathering):
    assert first_gathering.description_en == (
        "Network – reputation. Gathering on 16 and 17 February 2012."
    )
    assert first_gathering.practical_info_nn.startswith("Éin tek ansvaret for kvar kommune")
    items = list(first_gathering.agenda_items.all())
    assert len(items) == 16
    assert all(item.title_nb and item.title_nn and item.title_en for item in items)
    described = [item for item in items if item.description_nb]
    assert described and all(item.description_nn and item.description_en for item in described)
    theme_day = Gathering.objects.filter(network__slug="omdomme", kind="temadag").get()
    assert (theme_day.schedule_note_nn, theme_day.schedule_note_en) == (
        "Før 2. samling",
        "Before the 2nd gathering",
    )


@pytest.mark.parametrize(
    ("prefix", "title", "description", "practical"),
    [
        ("", "Velkommen", "Nettverk – omdømme.", "En tar ansvaret for hver kommune"),
        ("/nn", "Velkomen", "Nettverk – omdømme.", "Éin tek ansvaret for kvar kommune"),
        (
            "/en",
            "Welcome",
            "Network – reputation. Gathering on 16 and 17 February 2012.",
            "One person takes charge for each municipality",
        ),
    ],
)
def test_gathering_page_shows_its_programme_in_the_pages_language(
    client, first_gathering, prefix, title, description, practical
):
    html = client.get(f"{prefix}/samlinger/{first_gathering.pk}/").content.decode()
    assert f'<h4 class="np-agenda__title">{title}</h4>' in html
    assert description in html
    assert practical in html


def test_english_gathering_page_names_the_network_and_programme_in_english(client, first_gathering):
    html = client.get(f"/en/samlinger/{first_gathering.pk}/").content.decode()
    assert "Reputation · Together for a better municipality (2012–2013)" in html
    assert "Ethics, openness and dialogue – how to build trust?" in html


def test_an_item_without_a_translation_shows_its_bokmal_title(client, first_gathering):
    AgendaItemFactory(gathering=first_gathering, date=first_gathering.start_date, title="Kaffe")
    html = client.get(f"/en/samlinger/{first_gathering.pk}/").content.decode()
    assert '<h4 class="np-agenda__title">Kaffe</h4>' in html


def test_facilitator_editing_in_nynorsk_changes_the_nynorsk_text_only(
    login, facilitator, first_gathering
):
    item = _welcome(first_gathering)
    client = login(facilitator)
    url = url_in("nn", "gatherings:item_edit", first_gathering.pk, item.pk)
    with translation.override("nn"):
        data = item_data(item, title="Velkomen til samling")
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title_nb, item.title_nn, item.title_en) == (
        "Velkommen",
        "Velkomen til samling",
        "Welcome",
    )


def test_saving_an_untranslated_text_unchanged_on_another_languages_page_does_not_copy_it(
    login, facilitator, first_gathering
):
    """The English page shows the Bokmål text where there is no English one; saving the form
    without touching it leaves English untranslated, so it keeps following the Bokmål text."""
    item = AgendaItemFactory(
        gathering=first_gathering,
        date=first_gathering.start_date,
        start=None,
        end=None,
        title="Kaffe",
        description="",
    )
    client = login(facilitator)
    url = url_in("en", "gatherings:item_edit", first_gathering.pk, item.pk)
    with translation.override("en"):
        data = item_data(item, start="15:00")
    assert data["title"] == "Kaffe"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title_nb, item.title_en, str(item.start)) == ("Kaffe", None, "15:00:00")
    gathering_url = url_in("en", "gatherings:edit", first_gathering.pk)
    with translation.override("en"):
        gathering_form = gathering_data(first_gathering, venue="Hotell")
    assert client.post(gathering_url, gathering_form).status_code == 302
    first_gathering.refresh_from_db()
    assert first_gathering.venue == "Hotell"
    assert first_gathering.title_en is None and first_gathering.practical_info_en.startswith(
        "One person"
    )


def test_an_item_added_on_the_english_page_shows_on_every_page(login, facilitator, first_gathering):
    client = login(facilitator)
    url = url_in("en", "gatherings:item_create", first_gathering.pk)
    assert client.post(url, item_data(title="Coffee break")).status_code == 302
    item = first_gathering.agenda_items.get(title_en="Coffee break")
    assert item.title_nb is None
    for code in ("nb", "nn", "en"):
        with translation.override(code):
            assert item.title == "Coffee break"


def test_copying_a_programme_copies_its_translations(login, facilitator, first_gathering):
    target = Gathering.objects.get(network__slug="omdomme", kind="samling_2")
    Gathering.objects.filter(pk=target.pk).update(
        start_date=first_gathering.start_date.replace(month=9),
        end_date=first_gathering.end_date.replace(month=9),
    )
    client = login(facilitator)
    url = url_in("en", "gatherings:copy", target.pk)
    response = client.post(url, {"source": first_gathering.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    copies = {item.title_nb: item for item in target.agenda_items.all()}
    assert len(copies) == 16
    assert (copies["Velkommen"].title_nn, copies["Velkommen"].title_en) == ("Velkomen", "Welcome")
    assert copies["Lunsj"].description_en is None


def test_programme_sent_to_participants_is_in_bokmal_whatever_the_editors_language(
    first_gathering,
):
    items = list(agenda_items(first_gathering))
    with translation.override("nn"):
        nynorsk = publishing.programme_snapshot(first_gathering, items)
    assert nynorsk == publishing.programme_snapshot(first_gathering, items)
    assert next(iter(nynorsk["items"].values()))["title"] == "Velkommen"
    with translation.override("en"):
        assert not publishing.pending_changes(first_gathering, items)


def test_loading_again_keeps_the_editors_texts(first_gathering):
    item = _welcome(first_gathering)
    AgendaItem.objects.filter(pk=item.pk).update(title_en="Welcome, everyone")
    call_command("load_programme_2012", stdout=io.StringIO())
    item.refresh_from_db()
    assert item.title_en == "Welcome, everyone"
