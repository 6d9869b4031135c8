"""The one spreadsheet writer, as a stream: the rows of an XLSX sheet read back exactly as
openpyxl's own write-only cells give them, and a sheet or CSV file of many rows is written
within a memory that does not grow with the rows."""

import csv
import datetime
import io
import math
import tracemalloc
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core import spreadsheets
from core.spreadsheets import Sheet, csv_text, write_csv, write_xlsx, xlsx_bytes
from core.text import strip_bidi_controls

TRICK = "faktura\u202efdp.exe \u2066isolert\u2069"
OSLO = datetime.timezone(datetime.timedelta(hours=1))
ROW = [
    "vanleg tekst",
    "  mellomrom rundt  ",
    "=SUM(A1:A2)",
    "#N/A",
    "a\x07b\x00c",
    TRICK,
    "æøå <&> \"'",
    "linje 1\nlinje 2",
    "x" * 40_000,
    "",
    None,
    0,
    -5,
    10**20,
    3.5,
    float("nan"),
    Decimal("4.250"),
    Decimal("1E+3"),
    Decimal("NaN"),
    True,
    False,
    datetime.date(2013, 3, 5),
    datetime.date(1900, 2, 1),
    datetime.datetime(2013, 3, 5, 14, 30, 15, 250000),
    datetime.datetime(2013, 3, 5, 13, 30, 15, tzinfo=datetime.UTC),
    datetime.datetime(2013, 7, 5, 13, 30, 15, tzinfo=OSLO),
]


def reference_xlsx(header, rows) -> bytes:
    """The sheet as openpyxl's write-only mode writes it cell by cell (the writer before)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ark")
    sheet.freeze_panes = "A2"

    def cell(value):
        if value is None or isinstance(value, int | float | Decimal):
            return value
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        if isinstance(value, datetime.date):
            return value
        written = WriteOnlyCell(
            sheet, value=ILLEGAL_CHARACTERS_RE.sub("", strip_bidi_controls(value))
        )
        written.data_type = "s"
        return written

    sheet.append([cell(name) for name in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_back(content: bytes) -> list[list[tuple]]:
    """Each cell's value, kind and date format (an empty cell is empty, whatever its kind)."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [
        [
            (c.value, c.data_type, c.is_date, c.number_format if c.is_date else None)
            if c.value is not None
            else None
            for c in row
        ]
        for row in sheet.iter_rows()
    ]


def test_xlsx_rows_read_back_as_openpyxl_writes_them():
    header = [f"kolonne {n}" for n in range(len(ROW))]
    rows = [ROW, list(reversed(ROW)), ROW]
    written = read_back(xlsx_bytes([Sheet("Ark", header, rows)]))
    assert written == read_back(reference_xlsx(header, rows))
    values = [cell and cell[0] for cell in written[1]]
    assert "fakturafdp.exe isolert" in values
    assert "abc" in values and "=SUM(A1:A2)" in values and "#N/A" in values
    assert len(values[8]) == spreadsheets.XLSX_MAX_CELL_CHARS
    assert values[24] == timezone.localtime(ROW[24]).replace(tzinfo=None)


def test_xlsx_cells_keep_their_kinds():
    content = xlsx_bytes(
        [
            Sheet(
                "Ark",
                ["a", "b", "c", "d", "e"],
                [ROW[16:18] + ROW[19:20] + ROW[21:22] + ROW[23:24]],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    number, exponent, yes, day, moment = sheet[2]
    assert (number.value, number.data_type) == (4.25, "n")
    assert exponent.value == 1000
    assert (yes.value, yes.data_type) == (True, "b")
    assert day.is_date and day.value == datetime.datetime(2013, 3, 5)
    assert moment.is_date and moment.number_format == "yyyy-mm-dd h:mm:ss"
    assert moment.value == datetime.datetime(2013, 3, 5, 14, 30, 15, 250000)
    assert sheet.freeze_panes == "A2"


def test_a_workbook_of_several_sheets_and_empty_ones():
    content = xlsx_bytes(
        [Sheet("Første", ["a"], [[1], [2]]), Sheet("Tom", [], []), Sheet("Andre", ["b"], [["x"]])]
    )
    workbook = load_workbook(io.BytesIO(content))
    assert [s.title for s in workbook.worksheets] == ["Første", "Tom", "Andre"]
    assert [[c.value for c in row] for row in workbook.worksheets[0].iter_rows()] == [
        ["a"],
        [1],
        [2],
    ]
    assert [[c.value for c in row] for row in workbook.worksheets[2].iter_rows()] == [["b"], ["x"]]


class OnlyWrites(io.RawIOBase):
    """A stream that can only be written to (a socket, a pipe)."""

    def __init__(self):
        self.parts = []

    def writable(self):
        return True

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)


class Discard(OnlyWrites):
    """Counts what is written, and keeps none of it."""

    size = 0

    def write(self, data):
        self.size += len(data)
        return len(data)


def test_xlsx_and_csv_are_written_to_a_stream_that_cannot_seek():
    rows = [[n, f"rad {n}"] for n in range(1000)]
    stream = OnlyWrites()
    assert write_xlsx(stream, [Sheet("Ark", ["tall", "tekst"], rows)]) == 1000
    sheet = load_workbook(io.BytesIO(b"".join(stream.parts))).worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == rows
    stream = OnlyWrites()
    assert write_csv(stream, ["tall", "tekst"], iter(rows)) == 1000
    assert b"".join(stream.parts).decode("utf-8") == csv_text(["tall", "tekst"], rows)


def test_written_csv_is_the_csv_text_for_norwegian_excel():
    rows = [ROW[:10], ROW[11:], [TRICK, "-1", "@x", "\tt"]] * 3
    out = io.BytesIO()
    write_csv(out, ["navn", "verdi"], iter(rows))
    text = out.getvalue().decode("utf-8")
    assert text == csv_text(["navn", "verdi"], rows)
    assert text.startswith("\ufeffnavn;verdi\r\n")
    cells = [cell for row in csv.reader(io.StringIO(text[1:]), delimiter=";") for cell in row]
    assert "fakturafdp.exe isolert" in cells and "'=SUM(A1:A2)" in cells and "'-1" in cells
    assert "4,25" in cells and "1000" in cells and "2013-03-05T13:30:15+00:00" in cells


def many_rows(count: int):
    """Rows as the raw data export's: names that repeat, a note and a time of their own."""
    start = datetime.datetime(2013, 3, 5, 12, 0, tzinfo=datetime.UTC)
    for n in range(count):
        yield [
            "Omdømme",
            "Omdømme",
            f"prosjekt-{n % 300}",
            f"Prosjekt {n % 300}",
            "1149",
            f"Indikator {n % 12}",
            "poeng",
            "Høyere er bedre",
            f"Runde {n % 4}",
            Decimal(n) / 100,
            f"merknad {n}",
            "Rapportert i skjema",
            start + datetime.timedelta(minutes=n),
            n % 7 + 1,
            "Interesse",
            "saman-om-ein-betre-kommune",
        ]


def peak_writing(write, count: int) -> float:
    """tracemalloc's peak (MB) while ``count`` generated rows are written to a discarded
    stream."""
    write(Discard(), many_rows(10))  # imports and caches outside the measurement
    tracemalloc.start()
    try:
        write(Discard(), many_rows(count))
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "write",
    [
        lambda out, rows: write_xlsx(out, [Sheet("Målinger", ["h"] * 16, rows)]),
        lambda out, rows: write_csv(out, ["h"] * 16, rows),
    ],
    ids=["xlsx", "csv"],
)
def test_many_rows_are_written_within_a_bounded_memory(write):
    small = peak_writing(write, 2_000)
    large = peak_writing(write, 40_000)
    print(f"\ntracemalloc peak: 2,000 rows {small:.1f} MB, 40,000 rows {large:.1f} MB")
    assert large < 6, f"{large:.1f} MB"
    assert large < small + 1.5, f"{small:.1f} MB → {large:.1f} MB"


def test_a_sheet_holds_no_more_rows_than_excel_does(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ROWS", 3)
    assert write_xlsx(io.BytesIO(), [Sheet("Ark", ["a"], [[1], [2]])]) == 2
    with pytest.raises(ValueError, match="at most 3 rows"):
        write_xlsx(io.BytesIO(), [Sheet("Ark", ["a"], [[1], [2], [3]])])


def test_written_numbers_are_those_openpyxl_writes():
    values = [1, -1, 2**53, 10**16, 0.1, 1 / 3, 1e-7, Decimal("0.125"), Decimal("-12.500")]
    content = xlsx_bytes([Sheet("Ark", ["n"], [[v] for v in values])])
    read = [
        row[0].value
        for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(min_row=2)
    ]
    expected = [float("%.16g" % v) for v in values]  # noqa: UP031
    assert all(
        math.isclose(a, b, rel_tol=0, abs_tol=0) for a, b in zip(read, expected, strict=True)
    )
