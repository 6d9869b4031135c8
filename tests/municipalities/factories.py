"""Helpers for the project page, story and attachment tests: pages with versions, stories,
documents and the bytes of small real (and fake) files."""

from __future__ import annotations

import base64
import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import check_document, check_image
from municipalities import services
from municipalities.models import LocalProject, ProjectPage, Story

# --- File contents ----------------------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
#: A 1×1 PNG picture.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGP4DwQACfsD/fteaysAAAAASUVORK5CYII="
)
#: The start of a Windows program.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200

_OOXML = {
    "docx": ("word/document.xml", "wordprocessingml.document"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation"),
}


def ooxml_bytes(kind: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package of ``kind`` (docx, xlsx, pptx)."""
    part, main = _OOXML[kind]
    content_type = (
        f"application/vnd.ms-{kind[:-1]}.macroEnabled.main+xml"
        if macros
        else f"application/vnd.openxmlformats-officedocument.{main}.main+xml"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(part, "<root/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "Prosjektplan.pdf") -> SimpleUploadedFile:
    return upload(name, PDF_BYTES, "application/pdf")


def png_upload(name: str = "bilde.png") -> SimpleUploadedFile:
    return upload(name, PNG_BYTES, "image/png")


# --- Project pages, stories, documents --------------------------------------------------------

TEXTS = {
    "background": "Karmøy vil bli en attraktiv arbeidsgiver.\n\nVi starter med omdømmet.",
    "purpose": "Flere søkere til ledige stillinger.",
}


def karmoy() -> LocalProject:
    return LocalProject.objects.get(slug="karmoy-omdomme")


def save_page(project: LocalProject, author=None, *, publish=False, summary="", **texts):
    """Save ``texts`` as the next version of the project's page (published if asked)."""
    page = ProjectPage.objects.filter(local_project=project).first()
    return services.save_project_page(
        project=project,
        author=author,
        texts=texts,
        loaded_version=page.version if page else 1,
        summary=summary or ("Publisert" if publish else ""),
        publish=publish,
    ).version


def page_with_versions(project: LocalProject | None = None, count: int = 2, *, publish_first=True):
    """A page with ``count`` versions; the first published. Returns the page."""
    project = project or karmoy()
    for number in range(1, count + 1):
        save_page(
            project,
            publish=publish_first and number == 1,
            background=f"Bakgrunn, versjon {number}.",
            purpose="Hensikten er den samme.",
        )
    return ProjectPage.objects.get(local_project=project)


def story(project: LocalProject | None = None, *, published=True, image=False, **fields) -> Story:
    project = project or karmoy()
    picture = png_upload() if image else None
    fields.setdefault("title", "Ny turnus på sjukeheimen")
    fields.setdefault("date", datetime.date(2012, 9, 1))
    fields.setdefault("text", "Vi har fått **flere hele stillinger**.")
    return services.create_story(
        project=project,
        author=None,
        is_published=published,
        image=picture,
        checked_image=check_image(picture) if picture else None,
        image_alt="Ansatte på sjukeheimen" if image else "",
        **fields,
    )


def attachment(project: LocalProject | None = None, *, story=None, name="Prosjektplan.pdf"):
    project = project or karmoy()
    file = pdf_upload(name)
    return services.add_attachment(
        project=project, uploaded_by=None, upload=file, checked=check_document(file), story=story
    )
