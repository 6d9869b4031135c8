"""Speakers' materials on agenda items, and the library «Litteratur, verktøy og rapporter»."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from gatherings.models import AgendaItem, Gathering, Material, Resource
from tests.gatherings.conftest import en_url
from tests.gatherings.factories import PDF_BYTES, upload
from tests.gatherings.test_editor import rivenes
from tests.municipalities.factories import ooxml_bytes

pytestmark = pytest.mark.django_db


def upload_material(client, gathering, item, name, content, title="Lysark"):
    return client.post(
        reverse("gatherings:item_materials", args=[gathering.pk, item.pk]),
        {"title": title, "file": upload(name, content)},
    )


def test_facilitator_attaches_slides_shown_with_the_programme(login, facilitator, first_gathering):
    talk = rivenes(first_gathering)
    slides = ooxml_bytes("pptx")
    response = upload_material(
        login(facilitator), first_gathering, talk, "Rivenes 2012.pptx", slides
    )
    assert response.status_code == 302
    material = Material.objects.get(agenda_item=talk)
    assert material.original_name == "Rivenes 2012.pptx"
    assert material.content_type.endswith("presentationml.presentation")
    stored = Path(material.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Rivenes" not in stored.name and stored.suffix == ".pptx"

    page = login(None).get(first_gathering.get_absolute_url()).content.decode()
    url = reverse("gatherings:material_download", args=[first_gathering.pk, material.pk])
    assert url in page
    download = login(None).get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="Rivenes 2012.pptx"')
    assert b"".join(download.streaming_content) == slides


def test_a_program_renamed_as_pdf_is_refused(login, facilitator, first_gathering):
    talk = rivenes(first_gathering)
    response = upload_material(
        login(facilitator),
        first_gathering,
        talk,
        "lysark.pdf",
        b"MZ\x90\x00" + b"\x00" * 300,
    )
    assert response.status_code == 200
    assert not Material.objects.exists()


def test_a_document_whose_name_does_not_match_is_refused(login, facilitator, first_gathering):
    talk = rivenes(first_gathering)
    client = login(facilitator)
    response = client.post(
        en_url("gatherings:item_materials", first_gathering.pk, talk.pk),
        {"title": "Lysark", "file": upload("lysark.docx", PDF_BYTES)},
    )
    assert "its content is a" in response.content.decode()
    assert not Material.objects.exists()


def test_draft_materials_are_hidden_from_the_public(login, facilitator, second_gathering):
    Gathering.objects.filter(pk=second_gathering.pk).update(start_date=datetime.date(2012, 9, 20))
    item = AgendaItem.objects.create(
        gathering=second_gathering, date=datetime.date(2012, 9, 20), title="Utkast"
    )
    upload_material(login(facilitator), second_gathering, item, "utkast.pdf", PDF_BYTES)
    material = Material.objects.get()
    url = reverse("gatherings:material_download", args=[second_gathering.pk, material.pk])
    assert login(None).get(url).status_code == 404
    assert login(facilitator).get(url).status_code == 200


def test_deleting_a_material_deletes_its_file(
    login, facilitator, first_gathering, django_capture_on_commit_callbacks
):
    talk = rivenes(first_gathering)
    client = login(facilitator)
    upload_material(client, first_gathering, talk, "lysark.pdf", PDF_BYTES)
    material = Material.objects.get()
    path = Path(material.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("gatherings:material_delete", args=[first_gathering.pk, material.pk]))
    assert not Material.objects.exists()
    assert not path.exists()


def test_only_the_facilitator_uploads(login, facilitator_other, first_gathering):
    talk = rivenes(first_gathering)
    response = upload_material(
        login(facilitator_other), first_gathering, talk, "lysark.pdf", PDF_BYTES
    )
    assert response.status_code == 403
    assert not Material.objects.exists()


# --- The library -------------------------------------------------------------------------------


def test_facilitator_keeps_the_networks_library(login, facilitator, omdomme):
    client = login(facilitator)
    response = client.post(
        reverse("gatherings:network_resource_create", args=["omdomme"]),
        {
            "kind": "report",
            "title": "Omdømmeundersøkelse 2011",
            "description": "Rapport fra KS.",
            "url": "https://www.ks.no/omdomme",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.network == omdomme and resource.theme == omdomme.theme
    page = login(None).get(reverse("gatherings:network_resources", args=["omdomme"]))
    assert "Omdømmeundersøkelse 2011" in page.content.decode()
    assert "https://www.ks.no/omdomme" in page.content.decode()


def test_the_programme_library_by_theme_with_documents(login, facilitator, programme):
    client = login(facilitator)
    theme = programme.themes.get(slug="sykefravaer")
    response = client.post(
        reverse("gatherings:programme_resource_create", args=[programme.slug]),
        {
            "kind": "tool",
            "theme": theme.pk,
            "title": "Verktøy for nærværsarbeid",
            "upload": upload("Verktøy.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.network is None and resource.theme == theme
    assert resource.original_name == "Verktøy.pdf"
    page = login(None).get(reverse("gatherings:programme_resources", args=[programme.slug]))
    assert "Verktøy for nærværsarbeid" in page.content.decode()
    download = login(None).get(reverse("gatherings:resource_download", args=[resource.pk]))
    assert download.status_code == 200


def test_a_resource_needs_a_link_or_a_document(login, facilitator, programme):
    response = login(facilitator).post(
        en_url("gatherings:network_resource_create", "omdomme"),
        {"kind": "report", "title": "Uten innhold"},
    )
    assert "Give a link or upload a document." in response.content.decode()
    response = login(facilitator).post(
        en_url("gatherings:network_resource_create", "omdomme"),
        {
            "kind": "report",
            "title": "Begge",
            "url": "https://example.org",
            "upload": upload("a.pdf", PDF_BYTES),
        },
    )
    assert "not both" in response.content.decode()
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("participant", 403), ("leader_karmoy", 403), ("facilitator_other", 403)],
)
def test_only_the_networks_facilitator_keeps_its_library(
    request, login, persona, status, programme
):
    response = login(request.getfixturevalue(persona)).post(
        reverse("gatherings:network_resource_create", args=["omdomme"]),
        {"kind": "report", "title": "X", "url": "https://example.org"},
    )
    assert response.status_code == status
    assert not Resource.objects.exists()


def test_editing_and_deleting_a_resource(
    login, facilitator, omdomme, programme, django_capture_on_commit_callbacks
):
    client = login(facilitator)
    client.post(
        reverse("gatherings:network_resource_create", args=["omdomme"]),
        {"kind": "report", "title": "Rapport", "upload": upload("rapport.pdf", PDF_BYTES)},
    )
    resource = Resource.objects.get()
    path = Path(resource.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("gatherings:resource_edit", args=[resource.pk]),
            {"kind": "report", "title": "Rapport (lenke)", "url": "https://example.org/r"},
        )
    resource.refresh_from_db()
    assert resource.url == "https://example.org/r" and not resource.file
    assert not path.exists()
    client.post(reverse("gatherings:resource_delete", args=[resource.pk]))
    assert not Resource.objects.exists()
