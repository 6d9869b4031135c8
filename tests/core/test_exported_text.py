"""The one spreadsheet writer: CSV for Norwegian Excel and XLSX with text kept as text, never
carrying bidirectional control characters or characters XML cannot hold."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from core.spreadsheets import Sheet, csv_response, csv_text, xlsx_response
from core.text import BIDI_CONTROLS

TRICK = "faktura\u202efdp.exe \u2066isolert\u2069"


def _csv_cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _xlsx_cells(response) -> list:
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook.worksheets for row in sheet.values for cell in row]


def test_csv_exports_remove_bidirectional_controls():
    response = csv_response("eksport", [f"Navn{TRICK}"], [[TRICK, "=1+1"]])
    cells = _csv_cells(response)
    assert not [cell for cell in cells if set(cell) & BIDI_CONTROLS]
    assert "fakturafdp.exe isolert" in cells
    assert "'=1+1" in cells


def test_xlsx_export_removes_bidirectional_controls():
    response = xlsx_response("eksport", [("Ark", ["Navn"], [[TRICK]])])
    assert "fakturafdp.exe isolert" in _xlsx_cells(response)


def test_one_sheet_xlsx_export_removes_bidirectional_controls():
    response = xlsx_response("eksport.xlsx", [Sheet("Ark", [TRICK], [[TRICK]])])
    cells = _xlsx_cells(response)
    assert cells.count("fakturafdp.exe isolert") == 2


def test_csv_is_for_norwegian_excel():
    text = csv_text(
        ["navn", "verdi"],
        [
            ["a;b", Decimal("4.250")],
            ["-1", Decimal("120.000")],
            ["@x", 4.0],
            ["\tt", 3],
            [None, True],
        ],
    )
    assert text == (
        "\ufeffnavn;verdi\r\n\"a;b\";4,25\r\n'-1;120\r\n'@x;4,00\r\n'\tt;3\r\n;True\r\n"
    )


def test_csv_and_xlsx_file_names_get_their_extension_once():
    assert csv_response("a", [], [])["Content-Disposition"] == 'attachment; filename="a.csv"'
    assert csv_response("a.csv", [], [])["Content-Disposition"] == 'attachment; filename="a.csv"'
    disposition = xlsx_response("b.xlsx", [Sheet("Ark", [], [])])["Content-Disposition"]
    assert disposition == 'attachment; filename="b.xlsx"'


def test_xlsx_keeps_numbers_and_text_and_drops_illegal_characters():
    response = xlsx_response(
        "eksport",
        [
            Sheet(
                "Et ark med et altfor langt navn for Excel",
                ["navn", "verdi"],
                [["=1+1\x07", Decimal("4.25")]],
            )
        ],
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Et ark med et altfor langt navn"
    assert sheet.freeze_panes == "A2"
    text, number = sheet[2]
    assert (text.value, text.data_type) == ("=1+1", "s")
    assert number.value == 4.25


def test_xlsx_writes_formulas_and_error_codes_as_text():
    row = ["=SUM(A1:A2)", "#N/A", "#DIV/0!", "=", "vanleg tekst", "1149"]
    response = xlsx_response("eksport", [Sheet("Ark", ["a"] * len(row), [row])])
    cells = load_workbook(io.BytesIO(response.content)).worksheets[0][2]
    assert [(c.value, c.data_type) for c in cells] == [(text, "s") for text in row]
