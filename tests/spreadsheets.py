"""Spreadsheets in tests: reading what a CSV export wrote and writing a real workbook."""

import codecs
import csv
import io

from openpyxl import Workbook


def csv_rows(content) -> list[list[str]]:
    """The rows of a CSV file for Norwegian Excel (a response or its bytes): UTF-8 that starts
    with a byte order mark, semicolons between the cells."""
    raw = getattr(content, "content", content)
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def xlsx_bytes(rows) -> bytes:
    """A real workbook with these rows in its first sheet."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
