"""The measurement and survey views' one-sheet XLSX downloads, written by
:mod:`core.spreadsheets` (which also writes their CSV)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from core import spreadsheets


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    return spreadsheets.xlsx_response(filename, [spreadsheets.Sheet(sheet_title, header, rows)])
