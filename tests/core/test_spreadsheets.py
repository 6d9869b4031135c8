"""The one bounded reader of uploaded spreadsheets: bombs are refused before they are unpacked,
reading stops at the bounds, and CSV is read as Norwegian Excel writes it."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.utils import translation

from core import spreadsheets
from core.spreadsheets import SpreadsheetError, check_archive, csv_rows, decode_text, xlsx_rows
from tests.core.bombs import (
    MB,
    SHEET,
    billion_laughs,
    claimed_size_sheet,
    gigabyte_bomb,
    inline_string_bomb,
    many_parts,
    peak_memory,
    rows_sheet,
    styles_bomb,
    wide_row_sheet,
    workbook,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refusal(read) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read()
    return caught.value


# --- XLSX: the archive --------------------------------------------------------------------------


def test_the_bomb_that_was_found_is_a_small_file():
    assert len(gigabyte_bomb()) < 1.1 * MB


def test_a_gigabyte_inline_string_is_refused_before_it_is_unpacked():
    data = gigabyte_bomb()
    with peak_memory() as memory:
        error = refusal(lambda: list(xlsx_rows(data)))
    assert error.code == "unpacks_too_large"
    assert "more than 32 MB once unpacked" in error.message
    assert memory["peak"] < 10 * MB


def test_a_part_packed_more_tightly_than_any_spreadsheet_is_refused():
    data = inline_string_bomb(20)  # 20 MB in about 20 kB: within the size bounds
    assert len(data) < 100 * 1024
    error = refusal(lambda: check_archive(data))
    assert error.code == "packed_too_tightly"
    assert "packed more tightly than a spreadsheet ever is" in error.message


def test_parts_that_together_unpack_to_too_much_are_refused(settings):
    data = workbook(*([n, "Kari Nordmann", "HR"] for n in range(2000)))
    check_archive(data)
    settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 20 * 1024
    error = refusal(lambda: list(xlsx_rows(data)))
    assert error.code == "unpacks_too_large"
    assert error.params == {"limit": 1}


def test_a_part_held_whole_in_memory_has_a_smaller_bound_than_a_sheet(settings):
    settings.SPREADSHEET_MAX_PART_BYTES = 512  # styles.xml is larger, the sheet is not checked
    error = refusal(lambda: check_archive(workbook(["x"])))
    assert error.code == "unpacks_too_large"


def test_styles_of_more_elements_than_the_bound_are_refused_before_they_are_parsed():
    data = styles_bomb(200_000)  # 4 MB unpacked: openpyxl would take an hour to read them
    with peak_memory() as memory:
        error = refusal(lambda: list(xlsx_rows(data)))
    assert error.code == "too_complex"
    error = refusal(lambda: list(xlsx_rows(styles_bomb(10_001))))
    assert error.code == "too_complex"
    assert "more formatting, charts or drawings than an import can read" in error.message
    assert memory["peak"] < 30 * MB


def test_a_row_larger_than_openpyxl_should_build_is_refused_before_it_is_parsed():
    data = wide_row_sheet(200_000)  # 4 MB unpacked, 200 MB of cells once parsed
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(SHEET)
    assert info.file_size < 200 * info.compress_size  # not packed suspiciously tightly
    with peak_memory() as memory:
        error = refusal(lambda: list(xlsx_rows(data)))
    assert error.code == "row_too_large"
    assert "A row of the workbook holds more than an import can read" in error.message
    assert memory["peak"] < 30 * MB
    assert len(next(xlsx_rows(wide_row_sheet(16_384)))) == 16_384  # as wide as Excel goes


def test_a_workbook_of_too_many_parts_is_refused():
    error = refusal(lambda: check_archive(many_parts(600)))
    assert error.code == "too_many_parts"
    assert "more than 500 parts" in error.message


def _central_entry(data: bytearray, name: str) -> int:
    """Where the entry of the part ``name`` starts in the archive's table of contents (its
    central directory)."""
    end = data.rindex(b"PK\x05\x06")
    entry = struct.unpack("<I", data[end + 16 : end + 20])[0]
    while True:
        assert data[entry : entry + 4] == b"PK\x01\x02"
        length, extra, comment = struct.unpack("<HHH", data[entry + 28 : entry + 34])
        if data[entry + 46 : entry + 46 + length] == name.encode():
            return entry
        entry += 46 + length + extra + comment


def test_a_part_that_lies_about_its_size_is_not_unpacked_beyond_it():
    data = bytearray(inline_string_bomb(30))
    # Declare 1 kB for the 30 MB sheet in the table of contents, which is what is read.
    entry = _central_entry(data, SHEET)
    data[entry + 24 : entry + 28] = struct.pack("<I", 1024)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.getinfo(SHEET).file_size == 1024
    with peak_memory() as memory:
        error = refusal(lambda: list(xlsx_rows(bytes(data))))
    assert error.code == "unreadable_xlsx"
    assert memory["peak"] < 10 * MB


def test_an_archive_that_is_not_a_workbook_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hei")
    assert refusal(lambda: list(xlsx_rows(buffer.getvalue()))).code == "unreadable_xlsx"
    assert refusal(lambda: list(xlsx_rows(b"PK\x03\x04 not a zip"))).code == "unreadable_xlsx"


def _corrupt_data(data: bytearray, entry: int) -> None:
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(SHEET) + len(info.extra)
    for offset in range(start + 2, start + info.compress_size - 2, 7):
        data[offset] ^= 0x5A


def _encrypted(data: bytearray, entry: int) -> None:
    data[entry + 8] |= 0x01


def _unknown_method(data: bytearray, entry: int) -> None:
    data[entry + 10 : entry + 12] = struct.pack("<H", 98)  # PPMd


@pytest.mark.parametrize("damage", [_corrupt_data, _encrypted, _unknown_method])
def test_a_damaged_workbook_is_unreadable_whatever_the_damage(damage):
    data = bytearray(workbook(*([n, "Kari Nordmann", "HR"] for n in range(200))))
    damage(data, _central_entry(data, SHEET))
    assert refusal(lambda: list(xlsx_rows(bytes(data)))).code == "unreadable_xlsx"


def test_openpyxl_parses_through_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML


@pytest.mark.parametrize("defused", [True, False], ids=["defusedxml", "without defusedxml"])
def test_a_billion_laughs_sheet_is_refused_as_damaged(monkeypatch, defused):
    if not defused:
        from xml.etree.ElementTree import iterparse

        import openpyxl.worksheet._reader

        monkeypatch.setattr(openpyxl.worksheet._reader, "iterparse", iterparse)
    data = billion_laughs()
    with peak_memory() as memory:
        error = refusal(lambda: list(xlsx_rows(data)))
    assert error.code == "unreadable_xlsx"
    assert memory["peak"] < 10 * MB


# --- XLSX: reading within bounds ----------------------------------------------------------------


def test_a_workbook_is_read_as_its_rows():
    data = workbook(["Navn", "Rolle"], ["Kari Nordmann", "HR"], [], ["Per", 7.5])
    assert list(xlsx_rows(data)) == [
        ("Navn", "Rolle"),
        ("Kari Nordmann", "HR"),
        (None, None),
        ("Per", 7.5),
    ]


def test_reading_stops_after_too_many_rows(settings):
    settings.SPREADSHEET_MAX_ROWS = 100
    assert len(list(xlsx_rows(rows_sheet(100)))) == 100
    error = refusal(lambda: list(xlsx_rows(rows_sheet(101))))
    assert error.code == "too_many_rows"
    assert error.message == "The file has more than 100 rows. Split it into smaller files."


def test_reading_stops_after_too_many_cells(settings):
    settings.SPREADSHEET_MAX_CELLS = 50
    assert len(list(xlsx_rows(rows_sheet(5, cells=10)))) == 5
    error = refusal(lambda: list(xlsx_rows(rows_sheet(6, cells=10))))
    assert error.code == "too_many_cells"
    assert "more than 50 cells" in error.message


def test_a_sheet_claiming_a_million_rows_of_16384_cells_is_not_padded_to_its_claim():
    data = claimed_size_sheet()
    assert len(data) < 10 * 1024
    rows = xlsx_rows(data)
    assert next(rows) == ("Navn",)  # as written, not 16 384 cells wide
    with peak_memory() as memory:
        error = refusal(lambda: list(rows))
    assert error.code == "too_many_rows"
    assert memory["peak"] < 10 * MB


def test_every_sheet_is_read_when_asked(settings):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["a@example.org"])
    book.create_sheet().append(["b@example.org"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert list(xlsx_rows(buffer.getvalue())) == [("a@example.org",)]
    assert list(xlsx_rows(buffer.getvalue(), all_sheets=True)) == [
        ("a@example.org",),
        ("b@example.org",),
    ]


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_utf8_with_bom_from_excel_is_read_without_the_bom():
    text, legacy = decode_text("Navn;Verdi\r\nÆsøy;7,5\r\n".encode("utf-8-sig"))
    assert (text, legacy) == ("Navn;Verdi\r\nÆsøy;7,5\r\n", False)
    assert list(csv_rows(text)) == [["Navn", "Verdi"], ["Æsøy", "7,5"]]


def test_csv_from_old_excel_is_read_as_windows_1252_and_says_so():
    text, legacy = decode_text("Navn;Merknad\r\nBjørn Ås;«ny» – 5 €\r\n".encode("cp1252"))
    assert legacy
    assert list(csv_rows(text)) == [["Navn", "Merknad"], ["Bjørn Ås", "«ny» – 5 €"]]


def test_csv_in_utf16_unicode_text_is_read():
    text, legacy = decode_text("Navn\tRolle\r\nÅse\tHR\r\n".encode("utf-16"))
    assert not legacy
    assert list(csv_rows(text)) == [["Navn", "Rolle"], ["Åse", "HR"]]


def test_a_utf16_byte_order_mark_on_something_else_is_not_text():
    assert refusal(lambda: decode_text(b"\xff\xfe\x00\xd8Navn")).code == "not_text"


def test_csv_delimiter_is_what_the_first_line_holds_most_of():
    text = '\r\nNavn,Verdi\r\n"Kari Nordmann","7,5"\r\n'
    assert list(csv_rows(text)) == [[], ["Navn", "Verdi"], ["Kari Nordmann", "7,5"]]


def test_a_csv_line_longer_than_the_bound_is_refused(settings):
    settings.SPREADSHEET_MAX_LINE_CHARS = 100
    text = "Navn;Verdi\r\n" + "x" * 200 + "\r\n"
    error = refusal(lambda: list(csv_rows(text)))
    assert error.code == "line_too_long"
    assert error.message.startswith("Line 2 of the file is longer than 100 characters.")


def test_a_megabyte_on_one_csv_line_is_refused_with_the_default_bounds():
    error = refusal(lambda: list(csv_rows("Navn\r\n" + "x" * MB + "\r\n")))
    assert error.code == "line_too_long"


def test_csv_reading_stops_after_too_many_rows_or_cells(settings):
    settings.SPREADSHEET_MAX_ROWS = 10
    assert refusal(lambda: list(csv_rows("a;b\r\n" * 11))).code == "too_many_rows"
    settings.SPREADSHEET_MAX_ROWS = 1000
    settings.SPREADSHEET_MAX_CELLS = 100
    assert refusal(lambda: list(csv_rows(("a;" * 60 + "\r\n") * 2))).code == "too_many_cells"


def test_each_bound_has_a_sentence():
    assert set(spreadsheets.MESSAGES) >= {
        "too_large",
        "unpacks_too_large",
        "too_many_parts",
        "packed_too_tightly",
        "too_many_rows",
        "too_many_cells",
        "line_too_long",
        "unreadable_xlsx",
        "not_text",
    }


def test_the_size_of_a_file_is_checked():
    spreadsheets.check_size(b"x" * MB, MB)
    error = refusal(lambda: spreadsheets.check_size(b"x" * (MB + 1), MB))
    assert error.message == "The file is larger than 1 MB. Split it into smaller files."
