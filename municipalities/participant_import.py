"""Reading a participant list from CSV or XLSX, as Norwegian Excel writes it.

CSV: ``;`` or ``,`` separated, UTF-8 with or without BOM, UTF-16 («Unicode text», tab
separated) or Windows-1252/Latin-1 (with a notice to check æ, ø and å). XLSX: the first sheet.
Both are read by :mod:`core.spreadsheets`, within its bounds. The first row names the columns,
in Norwegian or English (Navn/Name, Funksjon, Rolle, E-post, Telefon, Kommunenummer); roles are
the Norwegian words (Politiker, HR, Leder, Tillitsvalgt, Annen) or the English ones, in any case.

:func:`read_participant_file` gives a preview: the rows that are valid, and an error per row and
column that is not. :func:`validate_row` is used again when the import is confirmed, so rows
kept between the two steps (in the session) are checked once more before anything is written.
The participant form checks its values with the same :func:`participant_value_errors`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import spreadsheets
from core.spreadsheets import SpreadsheetError
from core.text import validate_single_line

from .models import LocalProject, ParticipantRole
from .selectors import MunicipalityTimeline

MAX_IMPORT_FILE_SIZE = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 1000

COLUMNS = ("name", "function", "role", "email", "phone", "municipality")
#: The column headers of the template file, in its order.
TEMPLATE_HEADERS = ("Navn", "Funksjon", "Rolle", "E-post", "Telefon", "Kommunenummer")
_HEADER_ALIASES = {
    "name": {"navn", "name", "fullt navn", "full name"},
    "function": {"funksjon", "function", "stilling", "position", "job title"},
    "role": {"rolle", "role"},
    "email": {"e-post", "epost", "e-postadresse", "e-mail", "email", "e-mail address"},
    "phone": {"telefon", "tlf", "tlf.", "mobil", "telefonnummer", "phone", "telephone"},
    "municipality": {
        "kommunenummer",
        "kommunenr",
        "kommunenr.",
        "kommune",
        "municipality number",
        "municipality",
    },
}
_REQUIRED_COLUMNS = ("name", "role")
#: Norwegian role words, as in the template.
ROLE_WORDS = {
    ParticipantRole.POLITICIAN: "Politiker",
    ParticipantRole.HR: "HR",
    ParticipantRole.LEADER: "Leder",
    ParticipantRole.UNION_REPRESENTATIVE: "Tillitsvalgt",
    ParticipantRole.OTHER: "Annen",
}
_ROLE_ALIASES = {
    "politiker": ParticipantRole.POLITICIAN,
    "politikar": ParticipantRole.POLITICIAN,
    "politician": ParticipantRole.POLITICIAN,
    "hr": ParticipantRole.HR,
    "leder": ParticipantRole.LEADER,
    "leiar": ParticipantRole.LEADER,
    "leader": ParticipantRole.LEADER,
    "tillitsvalgt": ParticipantRole.UNION_REPRESENTATIVE,
    "tillitsvald": ParticipantRole.UNION_REPRESENTATIVE,
    "union representative": ParticipantRole.UNION_REPRESENTATIVE,
    "annen": ParticipantRole.OTHER,
    "annet": ParticipantRole.OTHER,
    "anna": ParticipantRole.OTHER,
    "other": ParticipantRole.OTHER,
}
_MAX_LENGTHS = {"name": 200, "function": 200, "email": 254, "phone": 30}


@dataclass(frozen=True)
class RowError:
    row: int | None  # as the spreadsheet numbers it (the header is row 1); None: whole file
    column: str  # the header as written in the file
    message: str


@dataclass
class ImportRow:
    row: int
    name: str
    function: str = ""
    role: str = ParticipantRole.OTHER
    email: str = ""
    phone: str = ""
    municipality: str = ""  # kommunenummer, or "" when none
    existing: bool = False  # already a participant: skipped on import

    def as_session_data(self) -> dict:
        return asdict(self)

    @property
    def role_label(self) -> str:
        return ParticipantRole(self.role).label


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and any(not row.existing for row in self.rows)

    @property
    def new_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.existing]


class ImportFileError(Exception):
    """The file as a whole cannot be read (the message says why)."""


# --- Reading the file -------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _numbered(rows) -> list[tuple[int, list[str]]]:
    """The rows that are not blank, with their row numbers as the spreadsheet shows them; at
    most one more than the header and ``MAX_IMPORT_ROWS``, so too long a list is noticed."""
    numbered = []
    for number, values in enumerate(rows, start=1):
        if any(values):
            numbered.append((number, values))
            if len(numbered) > MAX_IMPORT_ROWS + 1:
                break
    return numbered


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        return _numbered(
            [_cell_text(value) for value in values] for values in spreadsheets.xlsx_rows(data)
        )
    except SpreadsheetError as error:
        if error.code == "unreadable_xlsx":
            raise ImportFileError(
                _(
                    "The file could not be read as an Excel workbook (.xlsx). Save it again and "
                    "retry."
                )
            ) from error
        raise ImportFileError(error.message) from error


def _read_csv(data: bytes) -> tuple[list[tuple[int, list[str]]], str | None]:
    if spreadsheets.is_binary(data):
        raise ImportFileError(_("The file is not a text (CSV) file or an Excel workbook (.xlsx)."))
    try:
        text, legacy = spreadsheets.decode_text(data)
        rows = _numbered(
            [_cell_text(value) for value in values] for values in spreadsheets.csv_rows(text)
        )
    except SpreadsheetError as error:
        if error.code == "not_text":
            raise ImportFileError(
                _("The file is not a text (CSV) file or an Excel workbook (.xlsx).")
            ) from error
        raise ImportFileError(error.message) from error
    except csv.Error as error:
        raise ImportFileError(
            _("The file could not be read as CSV: %(error)s") % {"error": error}
        ) from error
    notice = None
    if legacy:
        notice = _(
            "The file was not saved as UTF-8, so it was read as Windows-1252 (Western European). "
            "Check that æ, ø and å look right below; if not, save the file as «CSV UTF-8» and "
            "upload it again."
        )
    return rows, notice


def _read_table(upload) -> tuple[list[tuple[int, list[str]]], str | None]:
    if upload.size > MAX_IMPORT_FILE_SIZE:
        raise ImportFileError(_("The file is too large for a participant list (at most 2 MB)."))
    upload.seek(0)
    data = upload.read(MAX_IMPORT_FILE_SIZE + 1)
    if len(data) > MAX_IMPORT_FILE_SIZE:
        raise ImportFileError(_("The file is too large for a participant list (at most 2 MB)."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if spreadsheets.is_xlsx(data):
        return _read_xlsx(data), None
    if spreadsheets.is_old_excel(data):
        raise ImportFileError(
            _(
                "Old Excel files (.xls) cannot be read. In Excel, choose «Save as» and «Excel "
                "workbook (.xlsx)» or «CSV UTF-8», and upload that file."
            )
        )
    return _read_csv(data)


def _normalise_header(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\ufeff", "")).strip().strip(":*").strip().casefold()


def _column_map(header: list[str], row: int) -> tuple[dict[str, int], list[RowError], list[str]]:
    """Column indexes by key, errors in the header, and the names of ignored columns."""
    columns: dict[str, int] = {}
    errors = []
    ignored = []
    for index, raw in enumerate(header):
        name = _normalise_header(raw)
        if not name:
            continue
        key = next((k for k, aliases in _HEADER_ALIASES.items() if name in aliases), None)
        if key is None:
            ignored.append(raw)
        elif key in columns:
            errors.append(RowError(row, raw, _("This column appears twice.")))
        else:
            columns[key] = index
    for key in _REQUIRED_COLUMNS:
        if key not in columns:
            label = TEMPLATE_HEADERS[COLUMNS.index(key)]
            errors.append(
                RowError(row, label, _("The column «%(column)s» is missing.") % {"column": label})
            )
    return columns, errors, ignored


# --- Checking a row ---------------------------------------------------------------------------


#: What a spreadsheet runs as a formula when a cell begins with it.
FORMULA_START = ("=", "+", "-", "@")
_PHONE = re.compile(r"[0-9+()\-./ ]*[0-9][0-9+()\-./ ]*")


def is_formula(key: str, value: str) -> bool:
    """Whether a typed value would be run as a formula by a spreadsheet. A phone number may
    begin with ``+`` (+47 52 00 00 00)."""
    if not value.startswith(FORMULA_START):
        return False
    return not (key == "phone" and value.startswith("+") and _PHONE.fullmatch(value))


def participant_value_errors(values: dict[str, str]) -> list[tuple[str, str]]:
    """The problems in a participant's typed values (keys from ``COLUMNS``, only those given),
    the same for the participant form and the import: no formulas (a cell beginning with
    ``= + - @``) and a phone number that looks like one. ``(key, message)`` pairs."""
    errors: list[tuple[str, str]] = []
    for key, value in values.items():
        if value and is_formula(key, value):
            errors.append((key, _("Formulas are not allowed; write the value itself.")))
    phone = values.get("phone") or ""
    if phone and not is_formula("phone", phone) and not _PHONE.fullmatch(phone):
        errors.append(("phone", _("A phone number has digits, spaces and + only.")))
    return errors


def find_duplicate(project: LocalProject, *, name: str, email: str, exclude_pk=None):
    """A participant of ``project`` with the same name and e-mail address (case ignored), or
    ``None``: the import skips such rows, the form asks before it adds one."""
    identity = _identity(name.strip(), email.strip())
    candidates = project.participants.exclude(pk=exclude_pk) if exclude_pk else project.participants
    for participant in candidates.only("pk", "name", "email"):
        if _identity(participant.name, participant.email) == identity:
            return participant
    return None


class NumbersOnDate:
    """A project's municipality numbers on its programme's date (1 January of the first
    year): a number valid then, or a later one (today's), names the project's municipality
    it was or became. The history is read once, when a file first needs it."""

    def __init__(self, project: LocalProject, numbers: set[str]):
        self.own = frozenset(numbers)
        self.on_date = project.network.programme.starts_on
        self._timeline: MunicipalityTimeline | None = None

    def matches(self, number: str) -> list[str]:
        if number in self.own:
            return [number]
        if self._timeline is None:
            self._timeline = MunicipalityTimeline()
        return self._timeline.matches(number, self.on_date, self.own)


def validate_row(
    values: dict[str, str],
    *,
    project: LocalProject,
    municipality_numbers: set[str],
    on_date: NumbersOnDate | None = None,
):
    """Check one row's values (keys from ``COLUMNS``); returns ``(cleaned, errors)`` where
    errors are ``(column key, message)`` pairs. With ``on_date``, a municipality number that
    is not the project's own is looked up in the municipalities' history."""
    cleaned = {key: (values.get(key) or "").strip() for key in COLUMNS}
    errors = participant_value_errors(cleaned)
    for key, _message in errors:
        if is_formula(key, cleaned[key]):
            cleaned[key] = ""
    if not cleaned["name"]:
        errors.append(("name", _("The name is missing.")))
    for key in ("name", "function"):
        try:
            validate_single_line(cleaned[key])
        except ValidationError as error:
            errors.append((key, error.messages[0]))
    for key, limit in _MAX_LENGTHS.items():
        if len(cleaned[key]) > limit:
            errors.append(
                (
                    key,
                    _("At most %(limit)d characters (this has %(count)d).")
                    % {"limit": limit, "count": len(cleaned[key])},
                )
            )
    role = _ROLE_ALIASES.get(cleaned["role"].casefold()) or (
        cleaned["role"] if cleaned["role"] in ParticipantRole.values else None
    )
    if not cleaned["role"]:
        errors.append(
            (
                "role",
                _("The role is missing. Use one of: %(roles)s.")
                % {"roles": ", ".join(ROLE_WORDS.values())},
            )
        )
    elif role is None:
        errors.append(
            (
                "role",
                _("Unknown role «%(role)s». Use one of: %(roles)s.")
                % {"role": cleaned["role"], "roles": ", ".join(ROLE_WORDS.values())},
            )
        )
    cleaned["role"] = role or ParticipantRole.OTHER
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors.append(
                ("email", _("«%(email)s» is not an e-mail address.") % {"email": cleaned["email"]})
            )
    number = cleaned["municipality"]
    if number:
        if number.isdigit() and len(number) == 3:
            number = "0" + number  # Excel drops the leading zero of 0514
        if not (number.isdigit() and len(number) == 4):
            errors.append(("municipality", _("A municipality number has four digits, e.g. 1149.")))
        elif number not in municipality_numbers:
            matched = on_date.matches(number) if on_date is not None else []
            numbers = ", ".join(sorted(municipality_numbers))
            if len(matched) == 1:
                number = matched[0]
            elif matched:
                errors.append(
                    (
                        "municipality",
                        _(
                            "Municipality number %(number)s stands for several of this "
                            "project's municipalities on %(date)s (%(matches)s). Use the number "
                            "valid then."
                        )
                        % {
                            "number": number,
                            "date": date_format(on_date.on_date, "DATE_FORMAT"),
                            "matches": ", ".join(matched),
                        },
                    )
                )
            elif on_date is not None:
                errors.append(
                    (
                        "municipality",
                        _(
                            "Municipality number %(number)s is none of this project's "
                            "municipalities (%(numbers)s) on %(date)s, the start of the "
                            "programme – neither as the number valid then nor as a later number "
                            "of one of them."
                        )
                        % {
                            "number": number,
                            "numbers": numbers,
                            "date": date_format(on_date.on_date, "DATE_FORMAT"),
                        },
                    )
                )
            else:
                errors.append(
                    (
                        "municipality",
                        _("Municipality %(number)s is not part of this project (%(numbers)s).")
                        % {"number": number, "numbers": numbers},
                    )
                )
    elif len(municipality_numbers) == 1:
        number = next(iter(municipality_numbers))
    cleaned["municipality"] = number
    return cleaned, errors


def _identity(name: str, email: str) -> tuple[str, str]:
    return name.casefold(), email.casefold()


def read_participant_file(upload, *, project: LocalProject) -> ImportPreview:
    """Read and check a participant list; nothing is written."""
    preview = ImportPreview()
    try:
        table, notice = _read_table(upload)
    except ImportFileError as error:
        preview.errors.append(RowError(None, "", str(error)))
        return preview
    if notice:
        preview.notices.append(notice)
    if not table:
        preview.errors.append(RowError(None, "", _("The file has no rows.")))
        return preview
    (header_row, header), body = table[0], table[1:]
    columns, header_errors, ignored = _column_map(header, header_row)
    preview.errors.extend(header_errors)
    if ignored:
        preview.notices.append(
            _(
                "These columns are not used and were left out: %(ignored)s. The columns read are: "
                "%(columns)s."
            )
            % {
                "ignored": ", ".join(f"«{name}»" for name in ignored),
                "columns": ", ".join(TEMPLATE_HEADERS),
            }
        )
    missing = [key for key in _REQUIRED_COLUMNS if key not in columns]
    if missing:
        return preview
    if len(body) > MAX_IMPORT_ROWS:
        preview.errors.append(
            RowError(
                None,
                "",
                _("The file has more than %(count)d rows. Split it into smaller files.")
                % {"count": MAX_IMPORT_ROWS},
            )
        )
        return preview
    header_of = {key: header[index] for key, index in columns.items()}
    municipality_numbers = set(project.municipalities.values_list("number", flat=True))
    on_date = NumbersOnDate(project, municipality_numbers)
    existing = {
        _identity(name, email) for name, email in project.participants.values_list("name", "email")
    }
    seen: dict[tuple[str, str], int] = {}
    for offset, values in body:
        raw = {
            key: (values[index] if index < len(values) else "") for key, index in columns.items()
        }
        cleaned, errors = validate_row(
            raw, project=project, municipality_numbers=municipality_numbers, on_date=on_date
        )
        for key, message in errors:
            preview.errors.append(RowError(offset, header_of.get(key, key), message))
        if errors:
            continue
        identity = _identity(cleaned["name"], cleaned["email"])
        if identity in seen:
            preview.errors.append(
                RowError(
                    offset,
                    header_of["name"],
                    _("The same person as in row %(row)d.") % {"row": seen[identity]},
                )
            )
            continue
        seen[identity] = offset
        preview.rows.append(ImportRow(row=offset, existing=identity in existing, **cleaned))
    if not preview.rows and not preview.errors:
        preview.errors.append(
            RowError(None, "", _("The file has no participants below the header."))
        )
    return preview


# --- Template files ---------------------------------------------------------------------------


def template_csv() -> bytes:
    """The header row as Norwegian Excel reads it: ``;`` separated, UTF-8 with BOM."""
    return spreadsheets.csv_text(TEMPLATE_HEADERS, []).encode("utf-8")


def template_xlsx(project: LocalProject) -> bytes:
    """A workbook with the header row, a list of roles to choose from, municipality numbers as
    text (so 0514 keeps its zero) and a second sheet that explains the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    sheet.append(list(TEMPLATE_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (30, 30, 16, 32, 18, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    roles = DataValidation(
        type="list", formula1='"' + ",".join(ROLE_WORDS.values()) + '"', allow_blank=False
    )
    roles.add(f"C2:C{MAX_IMPORT_ROWS + 1}")
    sheet.add_data_validation(roles)
    sheet.column_dimensions["F"].number_format = "@"  # text, so 0514 keeps its zero
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Guide")[:31])
    guide.append([_("Column"), _("What to write")])
    guide.append(["Navn", _("Required. The person's full name.")])
    guide.append(["Funksjon", _("Position or job title.")])
    guide.append(
        ["Rolle", _("Required. One of: %(roles)s.") % {"roles": ", ".join(ROLE_WORDS.values())}]
    )
    guide.append(["E-post", _("E-mail address.")])
    guide.append(["Telefon", _("Phone number.")])
    guide.append(
        ["Kommunenummer", _("Four digits. The municipalities of this project are listed below.")]
    )
    for municipality in project.municipalities.order_by("number"):
        guide.append(["", f"{municipality.number} {municipality.name}"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 60

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
