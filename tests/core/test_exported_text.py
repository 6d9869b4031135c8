"""Exported spreadsheets never carry bidirectional control characters."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.text import BIDI_CONTROLS
from gatherings import exports as gathering_exports
from measurements import exports as measurement_exports

TRICK = "faktura\u202efdp.exe \u2066isolert\u2069"


def _csv_cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _xlsx_cells(response) -> list:
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook.worksheets for row in sheet.values for cell in row]


@pytest.mark.parametrize("module", [gathering_exports, measurement_exports])
def test_csv_exports_remove_bidirectional_controls(module):
    response = module.csv_response("eksport", [f"Navn{TRICK}"], [[TRICK, "=1+1"]])
    cells = _csv_cells(response)
    assert not [cell for cell in cells if set(cell) & BIDI_CONTROLS]
    assert "fakturafdp.exe isolert" in cells
    assert "'=1+1" in cells


def test_gathering_xlsx_export_removes_bidirectional_controls():
    response = gathering_exports.xlsx_response("eksport", [("Ark", ["Navn"], [[TRICK]])])
    assert "fakturafdp.exe isolert" in _xlsx_cells(response)


def test_measurement_xlsx_export_removes_bidirectional_controls():
    response = measurement_exports.xlsx_response("eksport.xlsx", "Ark", [TRICK], [[TRICK]])
    cells = _xlsx_cells(response)
    assert cells.count("fakturafdp.exe isolert") == 2
