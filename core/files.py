"""Uploaded files: checked by their content, not by their name; stored under server-made names;
served only through permission-checking views.

Documents (PDF, DOCX, XLSX, PPTX) and story images are recognised from their first bytes
(``filetype`` and known signatures); an Office Open XML file must also be a readable zip whose
``[Content_Types].xml`` names the main part of the kind its name says. A renamed program, an
old binary Office file, a file with macros or a name that does not match the content is refused
with a message that says what the file is and what to do.

A model that keeps an accepted document inherits :class:`StoredFile` (what the check found:
original name, content type, size) and declares its own ``file`` field, whose ``upload_to``
gives :func:`server_made_name`: the uploaded file's own name is never used in storage.
:func:`file_response` serves a stored file under its original name; :func:`delete_on_commit`
removes replaced or deleted files once the transaction that let go of them has committed.
"""

from __future__ import annotations

import math
import os
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import FileResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .spreadsheets import OLE2_SIGNATURE, XLSX_TYPE, ZIP_SIGNATURE


class DocumentKind(models.TextChoices):
    PDF = "pdf", gettext_lazy("PDF")
    DOCX = "docx", gettext_lazy("Word document (DOCX)")
    XLSX = "xlsx", gettext_lazy("Excel workbook (XLSX)")
    PPTX = "pptx", gettext_lazy("PowerPoint presentation (PPTX)")


MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
MAX_IMAGE_SIZE = 10 * 1024 * 1024
#: Largest ``[Content_Types].xml`` read from an Office file (a real one is a few kB).
_MAX_CONTENT_TYPES_SIZE = 256 * 1024

DOCUMENT_CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.XLSX: XLSX_TYPE,
    DocumentKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
#: The content type of each Office Open XML kind's main part, as [Content_Types].xml names it.
_OOXML_MAIN_PARTS = {
    kind: f"{DOCUMENT_CONTENT_TYPES[kind]}.main+xml".encode()
    for kind in (DocumentKind.DOCX, DocumentKind.XLSX, DocumentKind.PPTX)
}
_MACRO_MAIN_PART = b"macroEnabled.main+xml"
_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows .exe/.dll
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # script
)

IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_IMAGE_EXTENSIONS = {"jpg": {"jpg", "jpeg"}, "png": {"png"}, "webp": {"webp"}}


@dataclass(frozen=True)
class CheckedFile:
    """What the content of an accepted upload is."""

    extension: str
    content_type: str
    size: int
    original_name: str


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lstrip(".").lower()


def _head(upload, length: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def _megabytes(size: int, *, decimals: int) -> str:
    """``size`` in MB, rounded up (so a file just over the limit never reads as the limit)."""
    factor = 10**decimals
    return number_format(math.ceil(size * factor / (1024 * 1024)) / factor, decimals)


def _too_large(upload, limit: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s MB. It can be at most %(limit)s MB.")
        % {"size": _megabytes(upload.size, decimals=1), "limit": _megabytes(limit, decimals=0)},
        code="too_large",
    )


def _describe(head: bytes) -> str | None:
    """What ``filetype`` says the content is, for messages (e.g. «image/png»)."""
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _ooxml_kind(upload) -> DocumentKind:
    """The Office Open XML kind of a zip file, from its ``[Content_Types].xml``."""
    damaged = ValidationError(
        _("The file is damaged or not a complete document. Save it again and upload it anew."),
        code="damaged",
    )
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_SIZE:
                raise damaged
            content_types = archive.read(info)
    except KeyError:
        raise ValidationError(
            _("The file is a zip archive, not a document. Upload the document itself."),
            code="wrong_type",
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise damaged from None
    finally:
        upload.seek(0)
    if _MACRO_MAIN_PART in content_types:
        raise ValidationError(
            _(
                "Files with macros (.docm, .xlsm, .pptm) are not accepted. Save it as an "
                "ordinary document (DOCX, XLSX or PPTX) and upload it again."
            ),
            code="macros",
        )
    for kind, main_part in _OOXML_MAIN_PARTS.items():
        if main_part in content_types:
            return kind
    raise ValidationError(
        _("The file is an Office file of a kind that is not accepted."), code="wrong_type"
    )


def _kind_label(kind: DocumentKind) -> str:
    return str(DocumentKind(kind).label)


def _checked_head(upload, limit: int, program: str) -> bytes:
    """The first bytes of an upload that is neither larger than ``limit``, empty nor a program
    (``program``: the message for one)."""
    if upload.size > limit:
        raise _too_large(upload, limit)
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    head = _head(upload)
    if head.startswith(_EXECUTABLE_SIGNATURES):
        raise ValidationError(program, code="executable")
    return head


def _wrong_type(found: str | None, unknown: str, accepted: str) -> ValidationError:
    """The refusal of content of another type: what it is (``found``), or ``unknown``."""
    if found:
        message = _("This file is of the type %(type)s. %(accepted)s") % {
            "type": found,
            "accepted": accepted,
        }
    else:
        message = unknown % {"accepted": accepted}
    return ValidationError(message, code="wrong_type")


def check_document(upload) -> CheckedFile:
    """Accept a PDF, DOCX, XLSX or PPTX of at most 20 MB whose content matches its name."""
    accepted = _("Only PDF, Word (DOCX), Excel (XLSX) and PowerPoint (PPTX) files are accepted.")
    program = _("This file is a program, not a document. %(accepted)s") % {"accepted": accepted}
    head = _checked_head(upload, MAX_DOCUMENT_SIZE, program)
    if head.startswith(OLE2_SIGNATURE):
        raise ValidationError(
            _(
                "Old Office formats (.doc, .xls, .ppt) are not accepted. Save the file as "
                "DOCX, XLSX, PPTX or PDF and upload it again."
            ),
            code="old_office",
        )
    if head.startswith(b"%PDF-"):
        kind = DocumentKind.PDF
    elif head.startswith(ZIP_SIGNATURE):
        kind = _ooxml_kind(upload)
    else:
        raise _wrong_type(
            _describe(head),
            _("The file's content is not a document of an accepted type. %(accepted)s"),
            accepted,
        )
    if _extension(upload.name) != kind.value:
        raise ValidationError(
            _(
                "The file is named «%(name)s», but its content is a %(kind)s. Choose the right "
                "file, or give it the ending .%(extension)s."
            )
            % {"name": upload.name, "kind": _kind_label(kind), "extension": kind.value},
            code="mismatch",
        )
    return CheckedFile(kind.value, DOCUMENT_CONTENT_TYPES[kind], upload.size, upload.name)


def check_image(upload) -> CheckedFile:
    """Accept a JPEG, PNG or WebP picture of at most 10 MB whose content matches its name."""
    accepted = _("Only JPEG, PNG and WebP pictures are accepted.")
    program = _("This file is a program, not a picture. %(accepted)s") % {"accepted": accepted}
    head = _checked_head(upload, MAX_IMAGE_SIZE, program)
    found = filetype.guess(head)
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        found.mime if found else ""
    )
    if extension is None:
        raise _wrong_type(
            found.mime if found else None,
            _("The file's content is not a picture of an accepted type. %(accepted)s"),
            accepted,
        )
    if _extension(upload.name) not in _IMAGE_EXTENSIONS[extension]:
        raise ValidationError(
            _(
                "The file is named «%(name)s», but its content is a %(type)s picture. Choose "
                "the right file, or give it the ending .%(extension)s."
            )
            % {"name": upload.name, "type": extension.upper(), "extension": extension},
            code="mismatch",
        )
    return CheckedFile(extension, IMAGE_TYPES[extension], upload.size, upload.name)


def content_disposition(disposition: str, filename: str) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''…`` (RFC 6266), safe for any name."""
    name = os.path.basename(filename.replace("\\", "/")) or "fil"
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    fallback = "".join(ch for ch in fallback if ch.isprintable() and ch not in '"\\;')
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(field_file, *, content_type: str, filename: str, inline: bool) -> FileResponse:
    """Serve a stored upload: never sniffed, never run, never cached by shared caches."""
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Storing ------------------------------------------------------------------------------------


def server_made_name(folder: str, extension: str) -> str:
    """Where a file is stored: a random name in ``folder``, with the extension of the checked
    content (``bin`` when there is none)."""
    return f"{folder}/{uuid.uuid4().hex}.{extension or 'bin'}"


def delete_on_commit(storage, *names: str) -> None:
    """Remove the stored files once the transaction commits (nothing is removed if it rolls
    back); empty names are passed over."""
    names = tuple(name for name in names if name)
    if not names:
        return

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def delete_with_file(instance) -> None:
    """Delete the object, and its stored ``file`` once that is committed."""
    file = instance.file
    instance.delete()
    delete_on_commit(file.storage, file.name)


class StoredFile(models.Model):
    """A file accepted by :func:`check_document` (or :func:`check_image`): what the check found,
    kept beside the model's own ``file`` field (whose ``upload_to`` may read
    ``checked_extension``), and served under its original name."""

    original_name = models.CharField(gettext_lazy("file name"), max_length=255, blank=True)
    content_type = models.CharField(gettext_lazy("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(gettext_lazy("size"), default=0)

    #: The extension of the checked content, set by :meth:`store` for ``upload_to``.
    checked_extension = ""

    class Meta:
        abstract = True

    @property
    def file_type(self) -> str:
        """«PDF», «DOCX» …"""
        return self.original_name.rsplit(".", 1)[-1].upper() if "." in self.original_name else ""

    def store(self, uploaded, checked: CheckedFile) -> None:
        """Take what the check found and write ``uploaded`` under a server-made name. The
        object is not saved."""
        self.checked_extension = checked.extension
        self.original_name = checked.original_name[:255]
        self.content_type = checked.content_type
        self.size = checked.size
        self.file.save(checked.extension, uploaded, save=False)

    def forget_file(self) -> None:
        """No file any more (the stored one is the caller's to delete)."""
        self.file = ""
        self.original_name = self.content_type = ""
        self.size = 0
