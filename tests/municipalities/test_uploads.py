"""Documents and pictures: checked by content, stored under server-made names, served only
where their page or story is."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from core.files import (
    MAX_DOCUMENT_SIZE,
    check_document,
    check_image,
    content_disposition,
)
from municipalities.models import Attachment
from tests.municipalities.factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    attachment,
    karmoy,
    ooxml_bytes,
    pdf_upload,
    png_upload,
    save_page,
    story,
    upload,
)

UPLOAD = "/en/prosjekter/karmoy-omdomme/vedlegg/ny/"


def _code(file) -> str:
    with pytest.raises(ValidationError) as refused:
        check_document(file)
    return refused.value.code


# --- Checking documents -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("Plan.pdf", PDF_BYTES, "pdf"),
        ("Rapport.docx", ooxml_bytes("docx"), "docx"),
        ("Tall.xlsx", ooxml_bytes("xlsx"), "xlsx"),
        ("Lysark.PPTX", ooxml_bytes("pptx"), "pptx"),
    ],
)
def test_documents_of_the_four_kinds_are_accepted(name, content, extension):
    checked = check_document(upload(name, content))
    assert (checked.extension, checked.size, checked.original_name) == (
        extension,
        len(content),
        name,
    )


def test_a_real_excel_workbook_is_accepted():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert check_document(upload("Tall.xlsx", buffer.getvalue())).extension == "xlsx"


def test_a_renamed_program_is_refused():
    assert _code(upload("Prosjektplan.pdf", EXE_BYTES)) == "executable"
    assert _code(upload("Rapport.docx", b"#!/bin/sh\nrm -rf /\n")) == "executable"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bilde.pdf", PNG_BYTES, "wrong_type"),
        ("notat.txt", b"Bare tekst.", "wrong_type"),
        ("arkiv.docx", b"PK\x03\x04" + b"\x00" * 40, "damaged"),
        ("gammel.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old_office"),
        ("makro.xlsx", ooxml_bytes("xlsx", macros=True), "macros"),
        ("Plan.docx", PDF_BYTES, "mismatch"),
        ("Rapport.pdf", ooxml_bytes("docx"), "mismatch"),
        ("tom.pdf", b"", "empty"),
    ],
)
def test_wrong_types_are_refused_with_a_reason(name, content, code):
    assert _code(upload(name, content)) == code


def test_a_zip_that_is_not_a_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", EXE_BYTES)
    assert _code(upload("Rapport.docx", buffer.getvalue())) == "wrong_type"


def test_an_oversized_file_is_refused():
    big = upload("Stor.pdf", PDF_BYTES + b"0" * (MAX_DOCUMENT_SIZE + 1 - len(PDF_BYTES)))
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        check_document(big)
    assert refused.value.code == "too_large"
    assert refused.value.messages == ["The file is 20.1 MB. It can be at most 20 MB."]


def test_pictures_are_checked_by_content():
    assert check_image(png_upload("bilde.png")).extension == "png"
    for name, content in [("bilde.png", EXE_BYTES), ("bilde.png", PDF_BYTES), ("x.jpg", PNG_BYTES)]:
        with pytest.raises(ValidationError):
            check_image(upload(name, content))


def test_content_disposition_names_the_file_safely():
    assert content_disposition("attachment", "Årsrapport 2012.pdf") == (
        "attachment; filename=\"_rsrapport 2012.pdf\"; filename*=UTF-8''%C3%85rsrapport%202012.pdf"
    )
    header = content_disposition("attachment", '../"evil";\r\nX: y.pdf')
    assert "\r" not in header and "\n" not in header and '"evil"' not in header


# --- Uploading through the portal -------------------------------------------------------------


@pytest.mark.django_db
def test_leader_uploads_a_document_stored_under_a_server_made_name(login, leader_karmoy, karmoy):
    response = login(leader_karmoy).post(
        UPLOAD, {"file": pdf_upload("../../Prosjektplan 2012.pdf"), "title": "", "story": ""}
    )
    assert response.status_code == 302
    document = Attachment.objects.get()
    assert (document.title, document.kind, document.uploaded_by) == (
        "Prosjektplan 2012",
        "pdf",
        leader_karmoy,
    )
    stored = Path(document.file.path)
    assert stored.parent == Path(settings.MEDIA_ROOT) / "vedlegg"
    assert "Prosjektplan" not in stored.name and stored.suffix == ".pdf"
    assert len(stored.stem) == 32  # a uuid
    assert stored.read_bytes() == PDF_BYTES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "message"),
    [
        (lambda: upload("Prosjektplan.pdf", EXE_BYTES), "This file is a program, not a document."),
        (lambda: upload("bilde.pdf", PNG_BYTES), "This file is of the type image/png."),
        (
            lambda: upload("Stor.pdf", PDF_BYTES + b"0" * MAX_DOCUMENT_SIZE),
            "It can be at most 20 MB.",
        ),
    ],
    ids=["renamed program", "wrong type", "oversized"],
)
def test_refused_uploads_say_why_and_store_nothing(login, leader_karmoy, karmoy, file, message):
    response = login(leader_karmoy).post(UPLOAD, {"file": file(), "title": "", "story": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not Attachment.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(media.rglob("*.*"))


# --- Serving ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_is_served_as_an_attachment_with_safe_headers(client, programme):
    save_page(karmoy(), background="Tekst.", publish=True)
    document = attachment(name="Årsrapport.pdf")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"_rsrapport.pdf\"; filename*=UTF-8''%C3%85rsrapport.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_documents_of_an_unpublished_page_are_hidden_from_the_public(
    login, participant, leader_karmoy, ministry, programme
):
    save_page(karmoy(), background="Utkast.")
    document = attachment()
    assert login(None).get(document.get_absolute_url()).status_code == 404
    assert login(participant).get(document.get_absolute_url()).status_code == 404
    assert login(leader_karmoy).get(document.get_absolute_url()).status_code == 200
    assert login(ministry).get(document.get_absolute_url()).status_code == 200
    assert (
        document.get_absolute_url()
        not in login(None).get(karmoy().get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_a_story_document_and_picture_follow_the_story(client, programme):
    save_page(karmoy(), background="Publisert side.", publish=True)
    draft = story(published=False, image=True)
    document = attachment(story=draft)
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(draft.image_url).status_code == 404
    draft.is_published = True
    draft.save()
    assert client.get(document.get_absolute_url()).status_code == 200
    response = client.get(draft.image_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


@pytest.mark.django_db
def test_a_document_of_another_project_is_not_found_under_this_one(client, programme, strand):
    save_page(karmoy(), background="Tekst.", publish=True)
    document = attachment()
    assert client.get(f"/prosjekter/{strand.slug}/vedlegg/{document.pk}/").status_code == 404


@pytest.mark.django_db
def test_media_files_are_never_served_directly(client, programme):
    save_page(karmoy(), background="Tekst.", publish=True)
    document = attachment()
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.django_db
def test_deleting_a_document_removes_the_file(
    login, leader_karmoy, programme, django_capture_on_commit_callbacks
):
    document = attachment()
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(leader_karmoy).post(
            f"/prosjekter/karmoy-omdomme/vedlegg/{document.pk}/slett/"
        )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()
