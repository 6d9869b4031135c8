"""Import of many values at once from a CSV or XLSX file, checked row by row before anything
is written.

The file's first row names the columns (Norwegian or English, any case):
``kommunenummer`` or ``prosjekt`` (the project's slug), ``indikator``, ``måling``, ``verdi`` and
optionally ``merknad``. CSV may be separated by ``;``, ``,`` or tabs, in UTF-8 (with or without
BOM), UTF-16 or Windows-1252 – as Norwegian Excel saves it, decimal commas included. A row
without a value is skipped; an import never removes a value. Without a ``merknad`` column the
notes already saved are kept.

Checking streams the rows and looks every project, indicator and round up in dictionaries
built with a handful of queries, so a file of 20 000 rows costs the same queries as one of 20.
Problems are stored as codes and worded when shown, in the reader's language.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from sys import intern
from typing import NamedTuple

import filetype
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core import spreadsheets
from core.norwegian import norwegian_key
from core.spreadsheets import SpreadsheetError
from municipalities.models import LocalProject
from municipalities.rules import led_project_ids
from municipalities.selectors import MunicipalityTimeline

from .models import Indicator, Measurement, MeasurementRound, Unit
from .numbers import MESSAGES as VALUE_MESSAGES
from .numbers import ValueProblem, format_value, parse_value

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
#: Rows of the preview table; the summary counts them all.
PREVIEW_ROWS = 200
#: Rows compared with the saved values by one query.
COMPARED_ROWS = 2000

COLUMNS = {
    "kommunenummer": {"kommunenummer", "kommunenr", "knr", "municipality number", "municipality"},
    "prosjekt": {"prosjekt", "project", "prosjekt slug", "slug"},
    "indikator": {"indikator", "indicator"},
    "maling": {"måling", "maling", "runde", "round", "measurement round"},
    "verdi": {"verdi", "value"},
    "merknad": {"merknad", "note", "kommentar", "comment"},
}
REQUIRED = ["indikator", "maling", "verdi"]
HEADER_EXAMPLE = "kommunenummer;prosjekt;indikator;måling;verdi;merknad"
#: The file's format as the upload page explains it, under the example of its first row.
FORMAT_NOTES = [
    _(
        "kommunenummer (four digits) or prosjekt (the project's short name in its address). A "
        "municipality in several projects is told apart by the indicator; if that is not "
        "enough, use prosjekt."
    ),
    _("indikator and måling: the names as the portal writes them, e.g. Sykefravær and Nullpunkt."),
    _("verdi: 7,5 or 7.5. Rows without a value are skipped; an import never removes a value."),
    _("merknad: optional. Without this column the notes already saved are kept."),
    _("CSV with semicolons or commas (as Excel saves it), or an Excel workbook (.xlsx)."),
]

PROBLEMS = {
    "empty_file": _("The file is empty."),
    "no_rows": _("The file has column headings but no rows of values."),
    "not_csv_or_xlsx": _(
        "The file is neither CSV nor XLSX. Save it from your spreadsheet as «CSV "
        "(semicolon separated)» or as an Excel workbook (.xlsx) and upload it again."
    ),
    "old_excel": _(
        "The file is an old Excel workbook (.xls) or is protected by a password. Save it as "
        ".xlsx or CSV without a password and upload it again."
    ),
    "unreadable_xlsx": _("The XLSX file could not be read; it may be damaged."),
    "too_large": _("The file is larger than %(limit)s MB. Split it into smaller files."),
    "too_many_rows": _("The file has more than %(limit)s rows. Split it into smaller files."),
    "missing_columns": _(
        "The first row must name the columns; the column %(columns)s is missing. Example: "
        "%(example)s"
    ),
    "no_project_column": _(
        "The file needs the column kommunenummer or the column prosjekt. Example: %(example)s"
    ),
    "no_project": _("The row has neither a kommunenummer nor a prosjekt."),
    "bad_municipality_number": _(
        "«%(number)s» is not a kommunenummer; it has four digits, e.g. 1149."
    ),
    "unknown_municipality": _("No local project has the kommunenummer %(number)s."),
    "municipality_not_on_date": _(
        "Kommunenummer %(number)s is not a municipality of any local project on %(date)s, the "
        "date of the round %(round)s – neither as the number valid then nor as a later number "
        "of one of them."
    ),
    "ambiguous_number_on_date": _(
        "Kommunenummer %(number)s stands for several municipalities of local projects on "
        "%(date)s, the date of the round %(round)s: %(municipalities)s. Use the number valid "
        "then."
    ),
    "unknown_project": _("There is no local project «%(project)s»."),
    "municipality_not_in_project": _(
        "Kommunenummer %(number)s is not part of the local project %(project)s."
    ),
    "municipality_not_in_project_on_date": _(
        "Kommunenummer %(number)s is not a municipality of the local project %(project)s on "
        "%(date)s, the date of the round %(round)s (its municipalities: %(municipalities)s)."
    ),
    "no_indicator": _("The indicator is missing."),
    "unknown_indicator": _(
        "«%(indicator)s» is not an indicator of %(projects)s. Its indicators are: %(known)s."
    ),
    "ambiguous_municipality": _(
        "Kommunenummer %(number)s is in several local projects (%(projects)s), and the "
        "indicator «%(indicator)s» belongs to more than one of them. Name the project in the "
        "column prosjekt: %(slugs)s."
    ),
    "no_round": _("The measurement round is missing."),
    "unknown_round": _("There is no measurement round «%(round)s». The rounds are: %(known)s."),
    "round_not_open": _("The round %(round)s opens on %(date)s; values cannot be reported before."),
    "not_your_project": _(
        "You can import values only for your own local project (%(own)s), not for %(project)s."
    ),
    "duplicate": _("Row %(other)s already has a value for %(project)s, %(indicator)s, %(round)s."),
    "bad_value": _("%(indicator)s: %(problem)s"),
}


@dataclass(frozen=True)
class Problem:
    """A problem with the file (row 0) or with one row (its number in the spreadsheet)."""

    row: int
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        params = dict(self.params)
        if "date" in params:
            params["date"] = date_format(date.fromisoformat(params["date"]), "DATE_FORMAT")
        if "problem" in params:
            params["problem"] = str(VALUE_MESSAGES[params["problem"]]) % {"text": params["text"]}
        if self.code not in PROBLEMS:  # a bound of the shared reader
            return spreadsheets.message(self.code, params)
        return str(PROBLEMS[self.code]) % params

    def as_json(self) -> list:
        return [self.row, self.code, self.params]

    @classmethod
    def from_json(cls, data: list) -> Problem:
        return cls(*data)


class FileProblem(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.problem = Problem(0, code, params)


# --- Reading ------------------------------------------------------------------------------------


def _header_key(text) -> str:
    cleaned = re.sub(r"[\s_\-]+", " ", str(text or "")).strip().casefold()
    for key, names in COLUMNS.items():
        if cleaned in names:
            return key
    return ""


def read_rows(data: bytes, filename: str = "") -> tuple[set[str], Iterator[tuple[int, dict]]]:
    """``(columns found, iterator of (row number, {column: cell}))`` for a CSV or XLSX file, read
    by :mod:`core.spreadsheets` within its bounds. Raises :class:`FileProblem` for a file that
    cannot be read, also while the rows are iterated."""
    if not data:
        raise FileProblem("empty_file")
    if len(data) > MAX_BYTES:
        raise FileProblem("too_large", limit=MAX_BYTES // (1024 * 1024))
    if spreadsheets.is_old_excel(data):
        raise FileProblem("old_excel")
    if spreadsheets.is_xlsx(data):
        return _read_xlsx(data, filename)
    if spreadsheets.is_binary(data) or (
        not spreadsheets.is_utf16(data) and filetype.guess(data) is not None
    ):
        raise FileProblem("not_csv_or_xlsx")
    try:
        text, _legacy = spreadsheets.decode_text(data)
    except SpreadsheetError as error:  # a byte order mark on something else
        raise FileProblem("not_csv_or_xlsx") from error
    return _read_csv(text)


def _spreadsheet_problem(error: SpreadsheetError) -> FileProblem:
    return FileProblem(error.code, **error.params)


def _checked(rows):
    """The rows, with the reader's refusals turned into problems of the file."""
    try:
        yield from rows
    except SpreadsheetError as error:
        raise _spreadsheet_problem(error) from error
    except csv.Error as error:  # e.g. a quoted field longer than the csv module takes
        raise FileProblem("not_csv_or_xlsx") from error


def _read_csv(text: str):
    if not text.strip():
        raise FileProblem("empty_file")
    try:
        rows = spreadsheets.csv_rows(text)
    except SpreadsheetError as error:  # the first line, read to find the separator
        raise _spreadsheet_problem(error) from error
    return _rows(enumerate(_checked(rows), start=1))


def _read_xlsx(data: bytes, filename: str):
    try:
        rows = spreadsheets.xlsx_rows(data, values_only=False)
        first = next(rows, None)
    except SpreadsheetError as error:
        if error.code != "unreadable_xlsx":
            raise _spreadsheet_problem(error) from error
        if filename.lower().endswith(".xlsx"):
            raise FileProblem("unreadable_xlsx") from error
        raise FileProblem("not_csv_or_xlsx") from error
    if first is None:
        raise FileProblem("empty_file")

    def cells():
        yield 1, [c.value for c in first]
        for number, row in enumerate(_checked(rows), start=2):
            yield number, [_xlsx_cell(c) for c in row]

    return _rows(cells())


def _xlsx_cell(cell):
    value = cell.value
    if isinstance(value, int | float) and "%" in (getattr(cell, "number_format", "") or ""):
        # A cell formatted as a percentage holds 0.075 for 7.5 %.
        return Decimal(repr(value)) * 100
    return value


def _rows(numbered_rows):
    numbered_rows = iter(numbered_rows)
    for _number, header in numbered_rows:
        if any(_blank(cell) is False for cell in header):
            break
    else:
        raise FileProblem("empty_file")
    keys = [_header_key(cell) for cell in header]
    found = {k for k in keys if k}
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        names = {"indikator": "indikator", "maling": "måling", "verdi": "verdi"}
        raise FileProblem(
            "missing_columns",
            columns=", ".join(names[k] for k in missing),
            example=HEADER_EXAMPLE,
        )
    if "kommunenummer" not in found and "prosjekt" not in found:
        raise FileProblem("no_project_column", example=HEADER_EXAMPLE)
    positions = {key: keys.index(key) for key in found}

    def data_rows():
        for row_number, cells in numbered_rows:
            if all(_blank(cell) for cell in cells):
                continue
            yield (
                row_number,
                {key: (cells[i] if i < len(cells) else None) for key, i in positions.items()},
            )

    return found, data_rows()


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell).strip()


# --- Checking -----------------------------------------------------------------------------------


class CheckedRow(NamedTuple):
    """A row that passed every check, as the batch keeps it (``ImportBatch.rows``): a tuple
    with the value as text. ``status``: new, changed or unchanged against what is saved;
    ``before``: the saved value, as text."""

    row: int
    project_id: int
    indicator_id: int
    round_id: int
    value: str
    note: str | None
    status: str = "new"
    before: str | None = None


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    read: int = 0
    skipped: int = 0
    has_notes: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.rows)


class IndicatorName(NamedTuple):
    """What checking a row needs of an indicator (the catalogue holds every one of them)."""

    pk: int
    name: str
    unit: str


class Catalogue:
    """Projects, indicators and rounds by the names a file uses, in five queries (two more,
    once, when a number is found only through the municipalities' history). Indicators are
    kept as :class:`IndicatorName`, their names (the same in many projects) once each."""

    def __init__(self, user):
        self.projects = {p.pk: p for p in LocalProject.objects.select_related("network")}
        self.by_slug = {p.slug.casefold(): p for p in self.projects.values()}
        self.by_number: dict[str, list[LocalProject]] = defaultdict(list)
        self.numbers: dict[int, set[str]] = defaultdict(set)
        self.municipality_names: dict[str, str] = {}
        programme_numbers: dict[int, set[str]] = defaultdict(set)
        for project_id, number, name in LocalProject.municipalities.through.objects.values_list(
            "localproject_id", "municipality_id", "municipality__name"
        ):
            project = self.projects[project_id]
            self.by_number[number].append(project)
            self.numbers[project_id].add(number)
            self.municipality_names[number] = name
            programme_numbers[project.network.programme_id].add(number)
        #: programme id → the numbers of its projects' municipalities
        self.programme_numbers = {pk: frozenset(n) for pk, n in programme_numbers.items()}
        self.project_numbers = {pk: frozenset(n) for pk, n in self.numbers.items()}
        self._history: MunicipalityTimeline | None = None
        self.catalogue: dict[int, dict[str, IndicatorName]] = defaultdict(dict)
        self.own: dict[int, dict[str, IndicatorName]] = defaultdict(dict)
        indicators = Indicator.objects.order_by("position", "name").values_list(
            "pk", "name", "unit", "local_project_id", "theme_id"
        )
        for pk, name, unit, project_id, theme_id in indicators.iterator(chunk_size=2000):
            target = self.own[project_id] if project_id else self.catalogue[theme_id]
            name = intern(name)
            target[intern(name.casefold())] = IndicatorName(pk, name, intern(unit))
        self.rounds: dict[int, dict[str, MeasurementRound]] = defaultdict(dict)
        self.round_names: dict[int, list[str]] = defaultdict(list)
        for round in MeasurementRound.objects.order_by("position", "opens_on"):
            self.rounds[round.programme_id][round.name.casefold()] = round
            self.rounds[round.programme_id][round.slug.casefold()] = round
            self.round_names[round.programme_id].append(round.name)
        self.rounds_by_id = {r.pk: r for by_name in self.rounds.values() for r in by_name.values()}
        every = user.has_perm("measurements.import_for_every_project")
        self.allowed: frozenset[int] | None = None if every else led_project_ids(user)

    def indicators_of(self, project: LocalProject) -> dict[str, IndicatorName]:
        return {**self.catalogue[project.network.theme_id], **self.own[project.pk]}

    def indicator(self, project: LocalProject, name: str) -> IndicatorName | None:
        """The project's own indicator called ``name``, else its theme's."""
        key = name.casefold()
        return self.own[project.pk].get(key) or self.catalogue[project.network.theme_id].get(key)

    def label(self, project: LocalProject) -> str:
        return f"{project.name} ({project.slug})"

    @property
    def history(self) -> MunicipalityTimeline:
        """The municipalities' numbers over time, read when a file first needs them."""
        if self._history is None:
            self._history = MunicipalityTimeline()
        return self._history

    def rounds_named(self, name: str) -> list[MeasurementRound]:
        """The rounds of every programme called ``name`` (or with that slug)."""
        key = name.casefold()
        return [by_name[key] for by_name in self.rounds.values() if key in by_name]

    def municipality_label(self, number: str) -> str:
        return f"{number} {self.municipality_names.get(number, '')}".strip()


def check_file(data: bytes, filename: str, user) -> CheckResult:
    """Read and check a whole file. File-level problems come back as one problem of row 0."""
    result = CheckResult()
    try:
        columns, rows = read_rows(data, filename)
        result.has_notes = "merknad" in columns
        catalogue = Catalogue(user)
        seen: dict[tuple[int, int, int], int] = {}
        for number, cells in rows:
            result.read += 1
            if result.read > MAX_ROWS:
                raise FileProblem("too_many_rows", limit=MAX_ROWS)
            _check_row(number, cells, catalogue, seen, result)
    except FileProblem as problem:
        return CheckResult(problems=[problem.problem], has_notes=result.has_notes)
    if not result.read:
        result.problems.append(Problem(0, "no_rows"))
    return result


def _check_row(number, cells, catalogue: Catalogue, seen, result: CheckResult) -> None:
    raw_value = cells.get("verdi")
    if _blank(raw_value):
        result.skipped += 1
        return
    problems: list[Problem] = []

    def problem(code, **params):
        problems.append(Problem(number, code, params))

    indicator_name = _text(cells.get("indikator"))
    project, indicator = _resolve_project(number, cells, indicator_name, catalogue, problem)
    round = None
    if project is not None:
        round_name = _text(cells.get("maling"))
        if not round_name:
            problem("no_round")
        else:
            programme_rounds = catalogue.rounds[project.network.programme_id]
            round = programme_rounds.get(round_name.casefold())
            if round is None:
                problem(
                    "unknown_round",
                    round=round_name,
                    known=", ".join(catalogue.round_names[project.network.programme_id]),
                )
            elif round.is_upcoming:
                problem("round_not_open", round=round.name, date=round.opens_on.isoformat())
        if catalogue.allowed is not None and project.pk not in catalogue.allowed:
            own = [catalogue.projects[pk].name for pk in sorted(catalogue.allowed)]
            problem("not_your_project", own=", ".join(own) or "–", project=project.name)
    value = None
    try:
        value = parse_value(raw_value, indicator.unit if indicator else Unit.OTHER)
    except ValueProblem as error:
        problem(
            "bad_value",
            indicator=indicator.name if indicator else indicator_name,
            problem=error.code,
            text=error.text,
        )
    if not problems and project and indicator and round:
        key = (project.pk, indicator.pk, round.pk)
        if key in seen:
            problem(
                "duplicate",
                other=seen[key],
                project=project.name,
                indicator=indicator.name,
                round=round.name,
            )
        else:
            seen[key] = number
    if problems:
        result.problems.extend(problems)
        return
    note = _text(cells.get("merknad")) if result.has_notes else None
    result.rows.append(CheckedRow(number, project.pk, indicator.pk, round.pk, str(value), note))


def _resolve_project(number, cells, indicator_name, catalogue: Catalogue, problem):
    """The row's project and indicator: by prosjekt, or by kommunenummer – where a
    municipality in several projects is told apart by the indicator (its theme). A number
    that is not a project's own is looked up in the municipalities' history on the date of
    the row's round: the number valid then, or a later one (today's) that names exactly one
    project municipality."""
    slug = _text(cells.get("prosjekt"))
    raw_numbers = _text(cells.get("kommunenummer"))
    round_name = _text(cells.get("maling"))
    numbers = []
    for part in re.split(r"[,\s/]+", raw_numbers):
        if not part:
            continue
        if part.isdigit() and len(part) == 3:
            part = f"0{part}"  # Excel drops the leading zero of 0104
        if not (part.isdigit() and len(part) == 4):
            problem("bad_municipality_number", number=part)
            return None, None
        numbers.append(part)
    if slug:
        project = catalogue.by_slug.get(slug.casefold())
        if project is None:
            problem("unknown_project", project=slug)
            return None, None
        for stray in [n for n in numbers if n not in catalogue.numbers[project.pk]]:
            if not _in_project_by_history(stray, project, round_name, catalogue, problem):
                return None, None
        candidates = [project]
    elif numbers:
        candidates = catalogue.by_number.get(numbers[0], [])
        if not candidates or (
            catalogue.rounds_named(round_name)
            and not any(_round_of(p, round_name, catalogue) for p in candidates)
        ):
            # not a project's number, or only of projects of another programme than the round
            candidates = _projects_by_history(numbers[0], round_name, catalogue, problem)
            if not candidates:
                return None, None
    else:
        problem("no_project")
        return None, None
    if not indicator_name:
        problem("no_indicator")
        return (candidates[0] if len(candidates) == 1 else None), None
    matches = [(p, catalogue.indicator(p, indicator_name)) for p in candidates]
    matches = [(p, i) for p, i in matches if i is not None]
    if len(matches) > 1 and catalogue.allowed is not None:
        mine = [(p, i) for p, i in matches if p.pk in catalogue.allowed]
        matches = mine or matches
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(catalogue.label(p) for p in candidates)
    if not matches:
        known = sorted(
            {i.name for p in candidates for i in catalogue.indicators_of(p).values()},
            key=norwegian_key,
        )
        problem(
            "unknown_indicator", indicator=indicator_name, projects=names, known=", ".join(known)
        )
        return (candidates[0] if len(candidates) == 1 else None), None
    problem(
        "ambiguous_municipality",
        number=numbers[0],
        projects=names,
        indicator=indicator_name,
        slugs=", ".join(p.slug for p, _i in matches),
    )
    return None, None


def _round_of(project: LocalProject, round_name: str, catalogue: Catalogue):
    if not round_name:
        return None
    return catalogue.rounds[project.network.programme_id].get(round_name.casefold())


def _in_project_by_history(number, project, round_name, catalogue: Catalogue, problem) -> bool:
    """Whether ``number`` names exactly one of the project's municipalities on the date of
    its round ``round_name``; says why not."""
    round = _round_of(project, round_name, catalogue) if round_name else None
    if round is None:
        problem("municipality_not_in_project", number=number, project=catalogue.label(project))
        return False
    own = catalogue.project_numbers[project.pk]
    if len(catalogue.history.matches(number, round.opens_on, own)) == 1:
        return True
    problem(
        "municipality_not_in_project_on_date",
        number=number,
        project=catalogue.label(project),
        date=round.opens_on.isoformat(),
        round=round.name,
        municipalities=", ".join(catalogue.municipality_label(n) for n in sorted(own)),
    )
    return False


def _projects_by_history(number, round_name, catalogue: Catalogue, problem) -> list:
    """The projects whose municipality ``number`` names on the date of the round
    ``round_name`` of their programme; says why there are none."""
    rounds = catalogue.rounds_named(round_name) if round_name else []
    if not rounds:
        problem("unknown_municipality", number=number)
        return []
    found: list[LocalProject] = []
    ambiguous = None
    for round in rounds:
        among = catalogue.programme_numbers.get(round.programme_id, frozenset())
        matched = catalogue.history.matches(number, round.opens_on, among)
        if len(matched) > 1:
            ambiguous = ambiguous or (round, matched)
        elif matched:
            found += [
                p
                for p in catalogue.by_number[matched[0]]
                if p.network.programme_id == round.programme_id
            ]
    if found:
        return found
    if number not in catalogue.history.periods:  # no municipality's number, ever
        problem("unknown_municipality", number=number)
        return []
    if ambiguous:
        round, matched = ambiguous
        problem(
            "ambiguous_number_on_date",
            number=number,
            date=round.opens_on.isoformat(),
            round=round.name,
            municipalities=", ".join(catalogue.municipality_label(n) for n in matched),
        )
        return []
    round = rounds[0]
    problem(
        "municipality_not_on_date", number=number, date=round.opens_on.isoformat(), round=round.name
    )
    return []


# --- Preview ------------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    row: int
    project: str
    indicator: str
    round: str
    value: str
    note: str | None
    status: str
    before: str


STATUS_LABELS = {"new": _("New"), "changed": _("Changed"), "unchanged": _("Unchanged")}


def compare_with_saved(rows: list[CheckedRow], rounds: dict[int, MeasurementRound]) -> dict:
    """Mark each row new, changed or unchanged against the saved values (one query per
    :data:`COMPARED_ROWS`) and count them, with the corrections: new or changed values of
    closed rounds."""
    counts = {"new": 0, "changed": 0, "unchanged": 0, "corrections": 0}
    for start in range(0, len(rows), COMPARED_ROWS):
        some = rows[start : start + COMPARED_ROWS]
        existing = {
            (p, i, r): (value, note)
            for p, i, r, value, note in Measurement.objects.overall()
            .filter(
                local_project_id__in={row.project_id for row in some},
                indicator_id__in={row.indicator_id for row in some},
                round_id__in={row.round_id for row in some},
            )
            .values_list("local_project_id", "indicator_id", "round_id", "value", "note")
        }
        for n, row in enumerate(some, start=start):
            current = existing.get((row.project_id, row.indicator_id, row.round_id))
            if current is None:
                status = "new"
            else:
                same = current[0] == Decimal(row.value)
                unchanged = same and (row.note is None or row.note == current[1])
                status = "unchanged" if unchanged else "changed"
                rows[n] = row._replace(status=status, before=str(current[0]))
            counts[status] += 1
            if status != "unchanged" and rounds[row.round_id].is_closed:
                counts["corrections"] += 1
    return counts


def preview_rows(batch_rows: list[list]) -> list[PreviewRow]:
    """The first rows of a checked file with names, for the preview table. Three queries."""
    rows = [CheckedRow(*data) for data in batch_rows[:PREVIEW_ROWS]]
    projects = LocalProject.objects.in_bulk({r.project_id for r in rows})
    indicators = Indicator.objects.in_bulk({r.indicator_id for r in rows})
    rounds = MeasurementRound.objects.in_bulk({r.round_id for r in rows})
    preview = []
    for row in rows:
        indicator = indicators.get(row.indicator_id)
        unit = indicator.unit if indicator else Unit.OTHER
        preview.append(
            PreviewRow(
                row=row.row,
                project=str(projects.get(row.project_id, "")),
                indicator=str(indicator or ""),
                round=str(rounds.get(row.round_id, "")),
                value=format_value(Decimal(row.value), unit),
                note=row.note,
                status=str(STATUS_LABELS[row.status]),
                before=format_value(Decimal(row.before), unit) if row.before is not None else "",
            )
        )
    return preview


def problems_of(batch_problems: list[list]) -> list[Problem]:
    return [Problem.from_json(data) for data in batch_problems]
