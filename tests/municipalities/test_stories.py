"""De gode historiene: writing stories, and where they are shown."""

import datetime
from pathlib import Path

import pytest

from municipalities.models import Story
from tests.factories import LocalProjectFactory
from tests.municipalities.factories import attachment, png_upload, story, upload

pytestmark = pytest.mark.django_db

NEW = "/en/prosjekter/karmoy-omdomme/historier/ny/"


def _data(**values):
    data = {
        "title": "Heltid på sjukeheimen",
        "date": "2012-09-01",
        "text": "Vi har fått **flere hele stillinger**.",
        "image_alt": "",
        "is_published": "on",
        "action": "save",
    }
    data.update(values)
    return data


def test_leader_writes_a_story_with_a_picture(login, leader_karmoy, karmoy):
    response = login(leader_karmoy).post(
        NEW, _data(new_image=png_upload("Sjukeheimen.png"), image_alt="Ansatte i kantina")
    )
    assert response.status_code == 302
    written = Story.objects.get()
    assert (written.title, written.author, written.is_published) == (
        "Heltid på sjukeheimen",
        leader_karmoy,
        True,
    )
    assert written.text_html == "<p>Vi har fått <strong>flere hele stillinger</strong>.</p>"
    assert Path(written.image.name).parent.name == "historier"
    assert "Sjukeheimen" not in written.image.name
    page = login(None).get(karmoy.get_absolute_url()).content.decode()
    assert "Heltid på sjukeheimen" in page and 'alt="Ansatte i kantina"' in page


def test_a_picture_needs_a_description_and_must_be_a_picture(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    response = client.post(NEW, _data(new_image=png_upload()))
    assert response.context["form"].errors["image_alt"]
    response = client.post(NEW, _data(new_image=upload("bilde.png", b"MZ\x90\x00"), image_alt="x"))
    assert response.context["form"].errors["new_image"]
    assert not Story.objects.exists()


def test_a_draft_story_is_seen_by_editors_only(login, leader_karmoy, participant, karmoy):
    story(karmoy, published=False, title="Et utkast")
    assert "Et utkast" in login(leader_karmoy).get(karmoy.get_absolute_url()).content.decode()
    assert "Et utkast" not in login(participant).get(karmoy.get_absolute_url()).content.decode()
    assert "Et utkast" not in login(None).get("/en/historier/").content.decode()


def test_stories_are_newest_first_on_the_project_page(client, karmoy):
    story(karmoy, title="Gammel", date=datetime.date(2012, 3, 1))
    story(karmoy, title="Ny", date=datetime.date(2013, 4, 1))
    story(karmoy, title="Midt i", date=datetime.date(2012, 9, 1))
    stories = client.get(karmoy.get_absolute_url()).context["stories"]
    assert [s.title for s in stories] == ["Ny", "Midt i", "Gammel"]


def test_preview_shows_the_story_without_saving(login, leader_karmoy, karmoy):
    response = login(leader_karmoy).post(NEW, _data(action="preview", text="## Hva vi gjorde"))
    assert response.status_code == 200
    assert response.context["preview_html"] == "<h4>Hva vi gjorde</h4>"
    assert not Story.objects.exists()


def test_two_editors_of_a_story_lose_nothing(login, leader_karmoy, facilitator, karmoy):
    written = story(karmoy, title="Tittel", text="Første tekst.")
    url = f"/en/prosjekter/karmoy-omdomme/historier/{written.pk}/rediger/"
    first, second = login(leader_karmoy), login(facilitator)
    first.post(url, _data(title="Tittel", text="Lederens tekst.", loaded_version=1))
    response = second.post(url, _data(title="Tittel", text="Veilederens tekst.", loaded_version=1))
    assert response.status_code == 409
    (conflict,) = response.context["conflicts"]
    assert (conflict.yours, conflict.current) == ("Veilederens tekst.", "Lederens tekst.")
    written.refresh_from_db()
    assert written.text == "Lederens tekst."
    merged = dict(response.context["form"].data.items())
    merged["text"] = "Lederens tekst.\n\nVeilederens tekst."
    assert second.post(url, merged).status_code == 302
    written.refresh_from_db()
    assert written.text == "Lederens tekst.\n\nVeilederens tekst." and written.version == 3


def test_replacing_and_removing_the_picture(
    login, leader_karmoy, karmoy, django_capture_on_commit_callbacks
):
    written = story(karmoy, image=True)
    first = Path(written.image.path)
    url = f"/en/prosjekter/karmoy-omdomme/historier/{written.pk}/rediger/"
    client = login(leader_karmoy)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _data(new_image=png_upload(), image_alt="Nytt bilde", loaded_version=1))
    written.refresh_from_db()
    assert written.image_alt == "Nytt bilde" and Path(written.image.path) != first
    assert not first.exists()
    second = Path(written.image.path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _data(remove_image="on", loaded_version=2))
    written.refresh_from_db()
    assert not written.image and not second.exists()


def test_deleting_a_story_deletes_its_files(
    login, leader_karmoy, karmoy, django_capture_on_commit_callbacks
):
    written = story(karmoy, image=True)
    document = attachment(karmoy, story=written)
    files = [Path(written.image.path), Path(document.file.path)]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(leader_karmoy).post(
            f"/en/prosjekter/karmoy-omdomme/historier/{written.pk}/slett/"
        )
    assert response.status_code == 302
    assert not Story.objects.exists() and not any(path.exists() for path in files)


def test_network_page_links_its_stories_page(client, omdomme, karmoy, strand):
    story(karmoy, title="Fra Karmøy")
    story(strand, title="Fra Strand")
    story(LocalProjectFactory(), title="Fra et annet nettverk")
    assert "/nettverk/omdomme/historier/" in client.get("/nettverk/omdomme/").content.decode()
    response = client.get("/en/nettverk/omdomme/historier/")
    assert {s.title for s in response.context["stories"]} == {"Fra Karmøy", "Fra Strand"}


def test_programme_stories_page_lists_published_stories_of_the_programme(client, karmoy):
    story(karmoy, title="Publisert")
    story(karmoy, title="Utkast", published=False)
    story(LocalProjectFactory(), title="Et annet program")
    response = client.get("/en/historier/")
    assert [s.title for s in response.context["stories"]] == ["Publisert"]
    assert karmoy.get_absolute_url() in response.content.decode()


def _grow_stories(karmoy, strand, size):
    for number in range(size):
        for project in (karmoy, strand):
            written = story(project, title=f"Historie {number}", image=True)
            attachment(project, story=written, name=f"Vedlegg {number}.pdf")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/en/nettverk/omdomme/historier/", id="network"),
        pytest.param("/en/historier/", id="programme"),
    ],
)
@pytest.mark.parametrize("size", [1, 6])
def test_stories_pages_query_count_is_constant(
    client, karmoy, strand, django_assert_num_queries, url, size
):
    _grow_stories(karmoy, strand, size)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(response.context["stories"]) == size * 2


def test_a_story_too_long_to_render_quickly_is_refused(login, leader_karmoy, karmoy):
    from municipalities.forms import LONG_TEXT_MAX

    response = login(leader_karmoy).post(NEW, _data(text="*a" * LONG_TEXT_MAX))
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert not Story.objects.exists()
