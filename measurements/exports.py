"""Spreadsheet files: CSV as Norwegian Excel reads it (``;``, UTF-8 with BOM, decimal comma)
and XLSX. In CSV, text that a spreadsheet would run as a formula (``= + - @``, tab or carriage
return first) gets a leading apostrophe; in XLSX every text cell is stored as text. Numbers
are written as numbers. Bidirectional control characters are removed from every text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.text import strip_bidi_controls

from .numbers import plain

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(text: str) -> str:
    """Text as a cell: without bidirectional controls, and never taken for a formula."""
    text = strip_bidi_controls(text)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_number(value: Decimal) -> str:
    """7.500 → «7,5»: what Norwegian Excel reads as a number (and the import reads back)."""
    return str(plain(value)).replace(".", ",")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return csv_number(value)
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append([_xlsx_cell(sheet, h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(sheet, value):
    if value is None or isinstance(value, int | Decimal):
        return value
    cell = WriteOnlyCell(sheet, value=strip_bidi_controls(value))
    # openpyxl would take a string beginning with «=» for a formula: keep every string text.
    cell.data_type = "s"
    return cell
