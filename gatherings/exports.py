"""Spreadsheet exports: CSV for Norwegian Excel and XLSX.

CSV: UTF-8 with a byte order mark, ``;`` between cells, decimal commas. A text cell that
begins with ``= + - @``, a tab or a carriage return is prefixed with ``'`` so that a
spreadsheet does not run it as a formula. XLSX cells hold text as text. Bidirectional control
characters are removed from every text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from core.text import strip_bidi_controls

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = strip_bidi_controls(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", strip_bidi_controls(value))
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable]]):
    """``sheets``: ``(title, header, rows)``. Text is stored as text, never as a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_xlsx_value(h) for h in header])
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # a text beginning with «=»: keep it text
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
