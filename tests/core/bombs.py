"""Hostile workbooks, built in memory: small files that would unpack or expand to a lot."""

from __future__ import annotations

import functools
import io
import tracemalloc
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from openpyxl import Workbook

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(sheet: Iterable[bytes], *, extra_members: int = 0) -> bytes:
    """A real workbook whose first sheet is replaced by ``sheet`` (written chunk by chunk, so a
    gigabyte never sits in memory), with ``extra_members`` tiny parts added."""
    original = zipfile.ZipFile(io.BytesIO(workbook(["x"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in original.infolist():
            if info.filename == SHEET:
                with archive.open(SHEET, "w", force_zip64=True) as member:
                    for chunk in sheet:
                        member.write(chunk)
            else:
                archive.writestr(info.filename, original.read(info))
        for number in range(extra_members):
            archive.writestr(f"docProps/extra{number}.txt", b"")
    return buffer.getvalue()


def inline_string_bomb(megabytes: int) -> bytes:
    """One cell holding an inline string of ``megabytes`` MB: about a thousandth of it packed."""

    def sheet():
        yield _HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        chunk = b"A" * MB
        for _ in range(megabytes):
            yield chunk
        yield b"</t></is></c></row></sheetData></worksheet>"

    return with_sheet(sheet())


def rows_sheet(rows: int, *, cells: int = 1) -> bytes:
    """A sheet of ``rows`` rows of ``cells`` numbers each, written as Excel writes them."""

    def sheet():
        yield _HEAD + b"<sheetData>"
        for number in range(1, rows + 1):
            values = b"".join(b"<c><v>1</v></c>" for _ in range(cells))
            yield b'<row r="%d">%s</row>' % (number, values)
        yield b"</sheetData></worksheet>"

    return with_sheet(sheet())


def wide_row_sheet(cells: int) -> bytes:
    """One row of ``cells`` different numbers: it packs loosely, and openpyxl builds a row
    whole before it gives it."""

    def sheet():
        yield _HEAD + b'<sheetData><row r="1">'
        for start in range(0, cells, 10_000):
            numbers = range(start, min(start + 10_000, cells))
            yield b"".join(b"<c><v>%d</v></c>" % (n * 7919 % 1_000_003) for n in numbers)
        yield b"</row></sheetData></worksheet>"

    return with_sheet(sheet())


def claimed_size_sheet() -> bytes:
    """A tiny sheet that claims the largest size a sheet can have and puts one cell in its
    last row and column: read naively, a million rows of 16 384 cells."""

    def sheet():
        yield _HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>Navn</t></is></c></row>'
        yield b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        yield b"</sheetData></worksheet>"

    return with_sheet(sheet())


def billion_laughs() -> bytes:
    """A sheet whose one cell is an entity that expands to 10⁹ «lol»s."""
    entities = [b'<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        refs = b"".join(b"&lol%d;" % (level - 1) for _ in range(10))
        entities.append(b'<!ENTITY lol%d "%s">' % (level, refs))
    doctype = b"<!DOCTYPE worksheet [" + b"".join(entities) + b"]>"
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return with_sheet([sheet])


def many_parts(count: int) -> bytes:
    return with_sheet([_HEAD + b"<sheetData/></worksheet>"], extra_members=count)


@functools.cache
def gigabyte_bomb() -> bytes:
    """About 1 MB on disk, one inline string of 1 GB unpacked: built once per test process."""
    return inline_string_bomb(1024)


@contextmanager
def peak_memory() -> Iterator[dict]:
    """``{"peak": bytes}``: the most Python memory allocated at once inside the block."""
    measured = {"peak": 0}
    tracemalloc.start()
    try:
        yield measured
    finally:
        measured["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def with_part(name: str, content: bytes) -> bytes:
    """A real workbook with its part ``name`` replaced by ``content``."""
    original = zipfile.ZipFile(io.BytesIO(workbook(["x"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            archive.writestr(
                info.filename, content if info.filename == name else original.read(info)
            )
    return buffer.getvalue()


def styles_bomb(formats: int) -> bytes:
    """Styles with ``formats`` cell formats, each a little different (so they pack loosely):
    openpyxl's time to read them grows faster than their number."""
    xfs = b"".join(b'<xf numFmtId="%d"/>' % (n % 997) for n in range(formats))
    return with_part(
        "xl/styles.xml",
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<cellXfs>" + xfs + b"</cellXfs></styleSheet>",
    )
