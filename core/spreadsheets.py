"""One bounded reader for every uploaded spreadsheet (CSV as Norwegian Excel saves it, and XLSX),
and one writer for every exported one.

A small upload must not become a large amount of work. An XLSX file is a zip archive, and a
megabyte of it can unpack to gigabytes (one endless inline string, a million empty rows, ten
thousand parts), so before anything is parsed :func:`check_archive` reads the archive's table of
contents and refuses a workbook whose parts together or one by one would unpack to more than the
bounds, that has too many parts, or whose parts are packed more tightly than a spreadsheet ever
is. Unpacked in small chunks, ``zipfile`` never gives more than a part's declared size (and then
fails its checksum), so every part is unpacked that way once first: the declared sizes can then
be trusted, styles and the other parts parsed whole are refused with too many elements, and a
sheet with a row larger than openpyxl should build is refused. The sheet is then streamed
(openpyxl's read-only mode) and reading stops as soon as it has given more rows or cells than
the bounds allow. XML entities are refused outright: a part with a document type is damaged
(none has one), and openpyxl parses through ``defusedxml`` when it is installed (it is a
dependency), so a «billion laughs» sheet is a damaged file, not a worker out of memory.

CSV text is decoded as Norwegian Excel writes it (UTF-8 with or without BOM, UTF-16 «Unicode
text», otherwise Windows-1252), split on ``;``, ``,`` or tabs (whichever the first line holds
most of) and bounded by line length, rows and cells as well. Decimal commas and column names are
the callers' business.

Every refusal is a :class:`SpreadsheetError` with a code, parameters and a translated
``message`` that the import pages show as the file's error. The bounds are settings
(``SPREADSHEET_MAX_*``, see the README); each import keeps its own file size and row limits.

Written CSV is for Norwegian Excel: UTF-8 with a byte order mark, ``;`` between cells, CRLF,
decimal commas (a ``Decimal`` as exact as it is, without trailing zeros: «4,25»; a ``float``
with two decimals: «4,00»), dates and date-times in ISO 8601 («2013-03-05T14:30:00+01:00»).
A text cell that begins with ``= + - @``, a tab or a carriage return gets a leading ``'`` so
that a spreadsheet does not run it as a formula. Written XLSX keeps numbers as numbers and
dates and date-times as dates (in local time: Excel knows no time zones), stores every text
as text (never a formula), without the characters XML cannot hold and cut to Excel's 32 767
characters; the header row is frozen. Bidirectional control characters are removed from every
written text. Both are written row by row into any binary file (:func:`write_csv`,
:func:`write_xlsx`; it need not be seekable), so rows may come from a generator and a file of
any length takes the same small memory; :func:`csv_response` and :func:`xlsx_response` answer
a download with them, the one way every view does.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO, NamedTuple

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import BIDI_CONTROLS, strip_bidi_controls

#: A part smaller than this is not judged by how tightly it is packed (small XML repeats itself).
RATIO_FROM_BYTES = 1024 * 1024
#: The most a sheet may hold between one row's start and the next (openpyxl builds a whole row,
#: and iterparse every element of it, before it gives the row): a row of Excel's 16 384 cells
#: is a few hundred kB.
ROW_BYTES = 1024 * 1024
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
#: A sheet that claims to be wider than this is read as its rows are, not padded to its claim.
_TRUSTED_WIDTH = 1024

ZIP_SIGNATURE = b"PK\x03\x04"
#: An old binary Office file (.xls, .doc, .ppt): OLE2 compound document.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MESSAGES = {
    "too_large": _("The file is larger than %(limit)s MB. Split it into smaller files."),
    "unpacks_too_large": _(
        "The workbook would take more than %(limit)s MB once unpacked, more than an import can "
        "take. Delete pictures and sheets that are not needed, or save it as CSV, and upload it "
        "again."
    ),
    "too_many_parts": _(
        "The workbook is made of more than %(limit)s parts. Copy the rows into a new workbook, "
        "or save it as CSV, and upload it again."
    ),
    "packed_too_tightly": _(
        "The workbook is packed more tightly than a spreadsheet ever is, so it was not opened. "
        "Save it again from your spreadsheet program, or as CSV, and upload it again."
    ),
    "too_complex": _(
        "The workbook holds more formatting, charts or drawings than an import can read. Copy "
        "the rows into a new workbook, or save it as CSV, and upload it again."
    ),
    "row_too_large": _(
        "A row of the workbook holds more than an import can read (more than %(limit)s MB). "
        "Save it as CSV, or split it into smaller files, and upload it again."
    ),
    "too_many_rows": _("The file has more than %(limit)s rows. Split it into smaller files."),
    "too_many_cells": _(
        "The file has more than %(limit)s cells. Delete empty rows and columns, or split it "
        "into smaller files."
    ),
    "line_too_long": _(
        "Line %(line)s of the file is longer than %(limit)s characters. Check that the file is "
        "a CSV file, or split it into smaller files."
    ),
    "unreadable_xlsx": _("The XLSX file could not be read; it may be damaged."),
    "not_text": _("The file is neither CSV nor XLSX."),
}


class SpreadsheetError(Exception):
    """The file is refused as a whole; ``message`` says why, in the active language."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return message(self.code, self.params)


def message(code: str, params: dict | None = None) -> str:
    """The sentence for an error code, worded now (codes and parameters can be stored)."""
    return str(MESSAGES[code]) % (params or {})


@dataclass(frozen=True)
class Bounds:
    uncompressed_bytes: int
    member_bytes: int
    part_bytes: int
    part_elements: int
    members: int
    compression_ratio: int
    rows: int
    cells: int
    line_chars: int

    @classmethod
    def from_settings(cls) -> Bounds:
        """Each bound from its setting: ``rows`` from ``SPREADSHEET_MAX_ROWS`` and so on."""
        return cls(
            **{
                field.name: getattr(settings, f"SPREADSHEET_MAX_{field.name.upper()}")
                for field in fields(cls)
            }
        )


def _megabytes(size: int) -> int:
    return max(1, math.ceil(size / (1024 * 1024)))


def check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise SpreadsheetError("too_large", limit=_megabytes(max_bytes))


def is_xlsx(data: bytes) -> bool:
    """A zip archive (what an XLSX file is); whether it is a workbook shows when it is read."""
    return data.startswith(ZIP_SIGNATURE)


def is_old_excel(data: bytes) -> bool:
    """An old binary Excel file (.xls), which no import reads."""
    return data.startswith(OLE2_SIGNATURE)


def is_utf16(data: bytes) -> bool:
    """Text with a UTF-16 byte order mark («Unicode text» from Excel)."""
    return data.startswith(_UTF16_BOMS)


def is_binary(data: bytes) -> bool:
    """Not text: a NUL byte somewhere, and no UTF-16 byte order mark."""
    return not is_utf16(data) and b"\x00" in data


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _is_shared_strings(name: str) -> bool:
    return name == "xl/sharedStrings.xml"


def _longest_stretch(xml: bytes | bytearray) -> int:
    """The most bytes of a sheet before its first row, between two row starts or after the last
    one."""
    longest, previous = 0, 0
    for match in _ROW_START.finditer(xml):
        longest = max(longest, match.start() - previous)
        previous = match.start()
    return max(longest, len(xml) - previous)


_DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def _declares_entities(xml: bytes | bytearray) -> bool:
    """Whether an XML part has a document type (no part of a workbook has one): entities that
    expand to gigabytes are refused even where ``defusedxml`` is missing."""
    return any(declaration in xml for declaration in _DECLARATIONS)


def _elements(xml: bytes | bytearray) -> int:
    """How many elements an XML text opens (its start tags)."""
    return xml.count(b"<") - xml.count(b"</") - xml.count(b"<?") - xml.count(b"<!")


def check_archive(data: bytes, bounds: Bounds | None = None) -> None:
    """Refuse a zip archive that would unpack to more than the bounds, before it is unpacked."""
    bounds = bounds or Bounds.from_settings()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises many kinds for a damaged archive
        raise SpreadsheetError("unreadable_xlsx") from error
    if len(members) > bounds.members:
        raise SpreadsheetError("too_many_parts", limit=bounds.members)
    total = 0
    sheets = []
    whole_parts = []
    shared_strings = []
    for member in members:
        # Sheets are streamed; every other XML part (shared strings, styles) is held in memory.
        parsed_whole = member.filename.endswith((".xml", ".rels")) and not _is_sheet(
            member.filename
        )
        limit = bounds.part_bytes if parsed_whole else bounds.member_bytes
        if member.file_size > limit:
            raise SpreadsheetError("unpacks_too_large", limit=_megabytes(limit))
        if (
            member.file_size > RATIO_FROM_BYTES
            and member.file_size > bounds.compression_ratio * max(member.compress_size, 1)
        ):
            raise SpreadsheetError("packed_too_tightly")
        total += member.file_size
        if total > bounds.uncompressed_bytes:
            raise SpreadsheetError("unpacks_too_large", limit=_megabytes(bounds.uncompressed_bytes))
        if parsed_whole and not _is_shared_strings(member.filename):
            whole_parts.append(member)
        elif _is_sheet(member.filename):
            sheets.append(member)
        elif parsed_whole:
            shared_strings.append(member)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Every part unpacked in chunks, so a part that lies about its size is caught by
            # its checksum before openpyxl unpacks it whole (``read()`` would, in one piece).
            if archive.testzip() is not None:
                raise SpreadsheetError("unreadable_xlsx")
            # Styles, the workbook's own part and the like become objects, one or more per
            # element, at a cost that grows faster than their number: count before parsing.
            for member in whole_parts:
                part = _unpacked(archive, member)
                if _declares_entities(part):
                    raise SpreadsheetError("unreadable_xlsx")
                if _elements(part) > bounds.part_elements:
                    raise SpreadsheetError("too_complex")
            for member in shared_strings:
                if _declares_entities(_unpacked(archive, member)):
                    raise SpreadsheetError("unreadable_xlsx")
            for member in sheets:
                part = _unpacked(archive, member)
                if _declares_entities(part):
                    raise SpreadsheetError("unreadable_xlsx")
                if _longest_stretch(part) > ROW_BYTES:
                    raise SpreadsheetError("row_too_large", limit=_megabytes(ROW_BYTES))
    except SpreadsheetError:
        raise
    except Exception as error:  # zipfile and zlib raise many kinds (encrypted, unknown method …)
        raise SpreadsheetError("unreadable_xlsx") from error


def _unpacked(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytearray:
    """A part, unpacked in chunks: never more than its declared size."""
    content = bytearray()
    with archive.open(member) as part:
        while chunk := part.read(64 * 1024):
            content += chunk
    return content


def _bounded(rows: Iterable, bounds: Bounds) -> Iterator:
    """The rows, until there are more rows or cells than the bounds allow."""
    cells = 0
    for count, row in enumerate(rows, start=1):
        if count > bounds.rows:
            raise SpreadsheetError("too_many_rows", limit=bounds.rows)
        cells += len(row)
        if cells > bounds.cells:
            raise SpreadsheetError("too_many_cells", limit=bounds.cells)
        yield row


def xlsx_rows(
    data: bytes, *, values_only: bool = True, all_sheets: bool = False
) -> Iterator[tuple]:
    """The rows of the first sheet (or of every sheet, one after the other) of an XLSX file:
    values, or openpyxl's read-only cells with ``values_only=False``. Rows missing from the
    file come as empty rows, so rows keep the numbers the spreadsheet shows. Raises
    :class:`SpreadsheetError` before reading (bounds, unreadable workbook) and while reading
    (bounds, damaged sheet)."""
    from openpyxl import load_workbook

    bounds = Bounds.from_settings()
    check_archive(data, bounds)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = workbook.worksheets if all_sheets else workbook.worksheets[:1]
    except Exception as error:  # openpyxl raises many kinds for a damaged or hostile file
        raise SpreadsheetError("unreadable_xlsx") from error
    if not sheets:
        workbook.close()
        raise SpreadsheetError("unreadable_xlsx")
    return _bounded(_sheet_rows(workbook, sheets, values_only, bounds), bounds)


def _sheet_rows(workbook, sheets, values_only: bool, bounds: Bounds) -> Iterator[tuple]:
    try:
        for sheet in sheets:
            width, height = sheet.max_column or 0, sheet.max_row or 0
            if width > _TRUSTED_WIDTH or height > bounds.rows:
                # A claimed size beyond the bounds would pad every row to it: read the rows
                # as they are written instead.
                sheet.reset_dimensions()
            yield from sheet.iter_rows(values_only=values_only)
    except SpreadsheetError:
        raise
    except Exception as error:  # a damaged sheet fails while it is read
        raise SpreadsheetError("unreadable_xlsx") from error
    finally:
        workbook.close()


def decode_text(data: bytes) -> tuple[str, bool]:
    """``(text, legacy)``: UTF-16 with a byte order mark, UTF-8 with or without BOM (removed),
    or else Windows-1252 (Latin-1 for the five bytes it leaves undefined), when ``legacy`` is
    true so the caller can ask the user to check æ, ø and å."""
    if is_utf16(data):
        try:
            return data.decode("utf-16").lstrip("\ufeff"), False
        except UnicodeDecodeError as error:  # a byte order mark, but not UTF-16
            raise SpreadsheetError("not_text") from error
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), True
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


#: A line with its end («\r\n», «\r» or «\n»), as ``io.StringIO(text, newline="")`` splits
#: text for the csv module; StringIO would copy the whole text, four bytes a character.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _bounded_lines(text: str, bounds: Bounds) -> Iterator[str]:
    for number, match in enumerate(_LINE.finditer(text), start=1):
        line = match.group()
        if len(line) > bounds.line_chars:
            raise SpreadsheetError("line_too_long", line=number, limit=bounds.line_chars)
        yield line


def csv_rows(text: str) -> Iterator[list[str]]:
    """The rows of CSV text, split on ``;``, ``,`` or tabs: whichever the first line that is not
    blank holds most of. Raises :class:`SpreadsheetError` while reading when a line, the rows or
    the cells go beyond the bounds; ``csv.Error`` for text that is not CSV."""
    bounds = Bounds.from_settings()
    first = ""
    for line in _bounded_lines(text, bounds):
        if line.strip():
            first = line
            break
    delimiter = max(";,\t", key=first.count)
    return _bounded(csv.reader(_bounded_lines(text, bounds), delimiter=delimiter), bounds)


# --- Writing --------------------------------------------------------------------------------------

#: What a spreadsheet runs as a formula when a cell begins with it.
FORMULA_START = ("=", "+", "-", "@")
#: What a written text cell may not begin with: a formula, or a tab or carriage return before one.
_NEUTRALISED_START = (*FORMULA_START, "\t", "\r")
#: Excel's bounds: the rows of a sheet (the header row included) and the characters of a cell.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL_CHARS = 32_767
#: Rows written to a file in one piece.
_CHUNK_ROWS = 256
#: Distinct texts whose cells a writer remembers (names repeat in every row; notes do not).
_TEXT_CACHE_SIZE = 4096
_TEXT_CACHE_CHARS = 200


class Sheet(NamedTuple):
    """One sheet of a written workbook (the title is cut to Excel's 31 characters)."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]


def plain_decimal(value: Decimal) -> Decimal:
    """Without trailing zeros and never in exponent form: 7.500 → 7.5, 120.000 → 120."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def neutralise(text) -> str:
    """Text as a written cell: without bidirectional controls, and never taken for a formula."""
    text = strip_bidi_controls(text)
    return f"'{text}" if text.startswith(_NEUTRALISED_START) else text


def csv_cell(value) -> str:
    """A value as Norwegian Excel reads it from CSV (see the module's description)."""
    if value is None:
        return ""
    if isinstance(value, int):  # booleans too: «True», «False»
        return str(value)
    if isinstance(value, Decimal):
        return str(plain_decimal(value)).replace(".", ",")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.isoformat(timespec="seconds") if isinstance(value, datetime) else str(value)
    return neutralise(value)


def _write_csv_rows(out, header: Sequence, rows: Iterable[Sequence]) -> int:
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    texts: dict[str, str] = {}  # names repeat in every row: each is made safe once

    def cell(value) -> str:
        if type(value) is not str:
            return csv_cell(value)
        text = texts.get(value)
        if text is None:
            text = neutralise(value)
            if len(value) <= _TEXT_CACHE_CHARS:
                if len(texts) >= _TEXT_CACHE_SIZE:
                    texts.clear()
                texts[value] = text
        return text

    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007
        writer.writerow([cell(value) for value in row])
    return count


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    """The rows as CSV text for Norwegian Excel, byte order mark first."""
    buffer = io.StringIO()
    _write_csv_rows(buffer, header, rows)
    return buffer.getvalue()


def write_csv(out: BinaryIO, header: Sequence, rows: Iterable[Sequence]) -> int:
    """Write the rows as CSV for Norwegian Excel into a binary file, one row at a time (the
    rows may be a generator: none is kept); returns the number of rows under the header."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        return _write_csv_rows(text, header, rows)
    finally:
        text.flush()
        text.detach()


def _attachment(content, content_type: str, filename: str, extension: str) -> HttpResponse:
    if not filename.endswith(extension):
        filename += extension
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download; ``.csv`` is added to ``filename`` when it does not end with it."""
    buffer = io.BytesIO()
    write_csv(buffer, header, rows)
    return _attachment(buffer.getvalue(), "text/csv; charset=utf-8", filename, ".csv")


# XLSX: openpyxl's write-only mode writes the workbook (the sheets, their header row, frozen
# pane and column widths, the styles), and the rows under each header are written into the
# sheet's part by :class:`_RowWriter`, as the zip archive is written: openpyxl builds a cell
# object and an XML element for every cell, about 13 µs a cell, where a row of sixteen cells
# written as text costs a few µs. The cells are those openpyxl writes: numbers as numbers,
# dates and date-times as numbers in the date styles openpyxl gives them, every text an inline
# string (never a formula or an error code).

#: Characters a written text loses: what XML 1.0 cannot hold (openpyxl's
#: ``ILLEGAL_CHARACTERS_RE`` and the two non-characters) and the bidirectional controls.
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff" + "".join(sorted(BIDI_CONTROLS)) + "]"
)


def _header_cell(sheet, value):
    """A header cell for openpyxl's write-only sheet: text stays text."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    cell = WriteOnlyCell(sheet, value=_cell_text(value))
    cell.data_type = "s"  # openpyxl takes «=…» for a formula and «#N/A» for an error: text
    return cell


def _cell_text(value) -> str:
    return _UNWRITABLE.sub("", str(value))[:XLSX_MAX_CELL_CHARS]


def _date_styles(sheet) -> dict[type, int]:
    """The style numbers openpyxl gives a date-time and a date cell in this workbook."""
    from openpyxl.cell import WriteOnlyCell

    return {
        kind: WriteOnlyCell(sheet, value=kind(2000, 1, 1)).style_id for kind in (datetime, date)
    }


def _number(value) -> str:
    """A number as openpyxl writes it (a ``Decimal`` as the nearest ``float``)."""
    return "%.16g" % value  # noqa: UP031


class _RowWriter:
    """Rows as the XML of ``<row>`` elements, as openpyxl's write-only mode writes them."""

    def __init__(self, styles: dict[type, int], epoch: datetime):
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.datetime import WINDOWS_EPOCH

        self.styles = styles
        self.epoch = epoch
        self.leap_1900 = epoch == WINDOWS_EPOCH  # Excel's 29 February 1900
        self.zone = timezone.get_current_timezone()
        self.texts: dict[str, str] = {}
        self.letters = [get_column_letter(n) for n in range(1, 64)]
        self.get_column_letter = get_column_letter

    def text(self, value: str) -> str:
        """A text cell after its reference: ``' t="inlineStr"><is><t>…</t></is></c>'``."""
        text = _cell_text(value)
        if not text:
            return ""
        space = ' xml:space="preserve"' if text != text.strip() else ""
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f' t="inlineStr"><is><t{space}>{escaped}</t></is></c>'

    def serial(self, value: datetime) -> str:
        """A date-time as Excel's number of days since its epoch (as openpyxl's ``to_excel``
        counts them, with the 29 February 1900 that Excel believes in)."""
        delta = value - self.epoch
        days = delta.days
        if 0 < days <= 60 and self.leap_1900:
            days -= 1
        return _number(days + (delta.seconds + delta.microseconds / 10**6) / 86400)

    def moment(self, value: datetime) -> str:
        """A date-time cell after its reference, in local time: Excel knows no time zones."""
        if value.utcoffset() is not None:
            value = value.astimezone(self.zone).replace(tzinfo=None)
        return f' t="n" s="{self.styles[datetime]}"><v>{self.serial(value)}</v></c>'

    def other(self, value) -> str:
        """A cell of any value but a text or a plain number after its reference."""
        if isinstance(value, bool):
            return f' t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float | Decimal):
            if isinstance(value, float | Decimal) and not math.isfinite(value):
                return ""
            return f' t="n"><v>{_number(value)}</v></c>'
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, date):
            midnight = datetime(value.year, value.month, value.day)
            return f' t="n" s="{self.styles[date]}"><v>{self.serial(midnight)}</v></c>'
        return self.text(str(value))

    def row(self, number: int, values: Sequence) -> str:
        letters = self.letters
        while len(values) > len(letters):
            letters.append(self.get_column_letter(len(letters) + 1))
        texts = self.texts
        n = str(number)
        cells = [f'<row r="{n}">']
        for letter, value in zip(letters, values, strict=False):
            kind = type(value)
            if kind is str:
                rest = texts.get(value)
                if rest is None:
                    rest = self.text(value)
                    if len(value) <= _TEXT_CACHE_CHARS:
                        if len(texts) >= _TEXT_CACHE_SIZE:
                            texts.clear()
                        texts[value] = rest
            elif value is None:
                continue
            elif kind is int or (kind is Decimal and value.is_finite()):
                rest = f' t="n"><v>{_number(value)}</v></c>'
            elif kind is datetime:
                rest = self.moment(value)
            else:
                rest = self.other(value)
            if rest:
                cells.append(f'<c r="{letter}{n}"{rest}')
        cells.append("</row>")
        return "".join(cells)


def _split_sheet(part: bytes) -> tuple[bytes, bytes]:
    """A sheet part of openpyxl's as the XML before and after the rows to add."""
    end = part.rfind(b"</sheetData>")
    if end >= 0:
        return part[:end], part[end:]
    empty = re.search(rb"<sheetData\s*/>", part)
    if empty is None:
        raise ValueError("The sheet has no sheetData")
    return part[: empty.start()] + b"<sheetData>", b"</sheetData>" + part[empty.end() :]


def write_xlsx(out: BinaryIO, sheets: Iterable[Sheet | tuple]) -> int:
    """Write a workbook of ``(title, header, rows)`` sheets into a binary file (it need not be
    seekable), row by row: the rows may be generators, and none is kept. Returns the number of
    rows written under the headers."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    frame = Workbook(write_only=True)
    planned = []
    styles: dict[type, int] = {}
    for title, header, rows in sheets:
        sheet = frame.create_sheet(str(title)[:31])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            width = max(12, len(str(name)) + 2)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_header_cell(sheet, name) for name in header])
        styles = styles or _date_styles(sheet)
        planned.append((sheet, rows))
    framed = io.BytesIO()
    frame.save(framed)
    # The parts are named as the workbook is saved.
    rows_of = {sheet.path.lstrip("/"): rows for sheet, rows in planned}
    writer = _RowWriter(styles, frame.epoch)
    written = 0
    with (
        zipfile.ZipFile(framed) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            part = source.read(info)
            if info.filename not in rows_of:
                target.writestr(info.filename, part)
                continue
            head, tail = _split_sheet(part)
            with target.open(info.filename, "w") as stream:
                stream.write(head)
                written += _write_rows(stream, writer, rows_of[info.filename])
                stream.write(tail)
    return written


def _write_rows(stream, writer: _RowWriter, rows: Iterable[Sequence]) -> int:
    chunk: list[str] = []
    number = 1
    for number, row in enumerate(rows, start=2):
        if number > XLSX_MAX_ROWS:
            raise ValueError(f"A sheet holds at most {XLSX_MAX_ROWS} rows")
        chunk.append(writer.row(number, row))
        if len(chunk) == _CHUNK_ROWS:
            stream.write("".join(chunk).encode())
            chunk.clear()
    stream.write("".join(chunk).encode())
    return number - 1


def xlsx_bytes(sheets: Iterable[Sheet | tuple]) -> bytes:
    """A workbook of ``(title, header, rows)`` sheets (see :func:`write_xlsx`)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Iterable[Sheet | tuple]) -> HttpResponse:
    """An XLSX download of ``(title, header, rows)`` sheets; ``.xlsx`` is added to ``filename``
    when it does not end with it. For one sheet: ``xlsx_response(name, [Sheet(title, header,
    rows)])``."""
    return _attachment(xlsx_bytes(sheets), XLSX_TYPE, filename, ".xlsx")
