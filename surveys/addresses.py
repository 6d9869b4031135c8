"""E-mail addresses from what a project leader pastes or uploads (CSV, a text file or XLSX).

Anything that contains «@» is taken for an address and must be a valid one; names, headings and
other cells are ignored. Addresses are kept in memory for one request only: invitations store the
hash of their token, never the address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from core import spreadsheets
from core.spreadsheets import SpreadsheetError

MAX_FILE_BYTES = 2 * 1024 * 1024
_SEPARATORS = re.compile(r"[\s,;<>()\[\]\"']+")
_validate = EmailValidator()


class AddressFileProblem(ValueError):
    """The file cannot be read as a list of addresses."""


@dataclass
class AddressList:
    valid: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    duplicates: int = 0


def addresses_in_text(text: str, into: AddressList | None = None) -> AddressList:
    result = into if into is not None else AddressList()
    seen = {address.casefold() for address in result.valid}
    for candidate in _SEPARATORS.split(text):
        candidate = candidate.strip().removeprefix("mailto:")
        if "@" not in candidate:
            continue
        try:
            _validate(candidate)
        except ValidationError:
            if candidate not in result.invalid:
                result.invalid.append(candidate)
            continue
        if candidate.casefold() in seen:
            result.duplicates += 1
            continue
        seen.add(candidate.casefold())
        result.valid.append(candidate)
    return result


def addresses_in_file(data: bytes, into: AddressList | None = None) -> AddressList:
    """Addresses in an XLSX workbook (every cell of every sheet) or a text/CSV file (UTF-8,
    UTF-16 or Windows-1252), read by :mod:`core.spreadsheets` within its bounds: a workbook it
    refuses raises its :class:`~core.spreadsheets.SpreadsheetError`."""
    if len(data) > MAX_FILE_BYTES:
        raise AddressFileProblem("too_large")
    if spreadsheets.is_xlsx(data):
        return addresses_in_text(_xlsx_text(data), into)
    if spreadsheets.is_binary(data):
        raise AddressFileProblem("not_text")
    try:
        text, _legacy = spreadsheets.decode_text(data)
    except SpreadsheetError as error:  # a UTF-16 byte order mark on something else
        raise AddressFileProblem("not_text") from error
    return addresses_in_text(text, into)


def _xlsx_text(data: bytes) -> str:
    try:
        cells = [
            value
            for row in spreadsheets.xlsx_rows(data, all_sheets=True)
            for value in row
            if isinstance(value, str)
        ]
    except SpreadsheetError as error:
        if error.code == "unreadable_xlsx":
            raise AddressFileProblem("unreadable_xlsx") from error
        raise
    return "\n".join(cells)
