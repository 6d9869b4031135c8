"""Municipalities over time: numbers, names and changes 2012–2024 from SSB's KLASS 131.

``load()`` reads ``data/municipality_changes_2012_2024.csv`` (one row per old and new number,
as in SSB's table of changes) and ``data/counties_2012_2024.csv``, and writes the versions,
the changes and a ``Municipality`` row for every number that ever existed. Running it again
changes nothing.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ..models import (
    County,
    Municipality,
    MunicipalityChange,
    MunicipalityChangeKind,
    MunicipalityChangeLink,
    MunicipalityVersion,
)

DATA = Path(__file__).resolve().parent / "data"
CHANGES_FILE = DATA / "municipality_changes_2012_2024.csv"
COUNTIES_FILE = DATA / "counties_2012_2024.csv"


@dataclass(frozen=True)
class ChangeRow:
    date: datetime.date
    old_number: str
    old_name: str
    new_number: str
    new_name: str


@dataclass(frozen=True)
class Version:
    number: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass
class LoadResult:
    """What loading the history created and updated."""

    municipalities_created: int = 0
    versions_created: int = 0
    versions_updated: int = 0
    changes_created: int = 0
    links_created: int = 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        lines = [line for line in file if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def read_changes(path: Path = CHANGES_FILE) -> list[ChangeRow]:
    rows = [
        ChangeRow(
            date=datetime.date.fromisoformat(row["dato"]),
            old_number=row["gammelt_nummer"],
            old_name=row["gammelt_navn"],
            new_number=row["nytt_nummer"],
            new_name=row["nytt_navn"],
        )
        for row in _rows(path)
    ]
    return sorted(rows, key=lambda row: (row.date, row.new_number, row.old_number))


def read_counties(path: Path = COUNTIES_FILE) -> dict[str, str]:
    return {row["fylkesnummer"]: row["navn"] for row in _rows(path)}


def versions_from(changes: list[ChangeRow]) -> list[Version]:
    """Each number's names over time: a version ends when its number goes out of use or its
    name changes; a merger that keeps number and name keeps the version."""
    by_date: dict[datetime.date, list[ChangeRow]] = defaultdict(list)
    for row in changes:
        by_date[row.date].append(row)
    first_as_new: dict[str, datetime.date] = {}
    for row in changes:
        first_as_new.setdefault(row.new_number, row.date)
    current: dict[str, tuple[str, datetime.date | None]] = {}
    for row in changes:  # numbers in use before the first change they take part in
        if row.date <= first_as_new.get(row.old_number, row.date):
            current.setdefault(row.old_number, (row.old_name, None))
    versions: list[Version] = []
    for date in sorted(by_date):
        rows = by_date[date]
        new_names = {row.new_number: row.new_name for row in rows}
        for number in {row.old_number for row in rows} - set(new_names):
            if number in current:
                name, start = current.pop(number)
                versions.append(Version(number, name, start, date))
        for number, name in new_names.items():
            if number in current:
                if current[number][0] == name:
                    continue
                old_name, start = current.pop(number)
                versions.append(Version(number, old_name, start, date))
            current[number] = (name, date)
    versions += [Version(number, name, start, None) for number, (name, start) in current.items()]
    return sorted(versions, key=lambda v: (v.number, v.valid_from or datetime.date.min))


def change_groups(changes: list[ChangeRow]) -> list[tuple[str, list[ChangeRow]]]:
    """The rows of one date that hang together (share an old or a new number), as one change
    each, with its kind."""
    groups: list[tuple[str, list[ChangeRow]]] = []
    by_date: dict[datetime.date, list[ChangeRow]] = defaultdict(list)
    for row in changes:
        by_date[row.date].append(row)
    for date in sorted(by_date):
        parent: dict[tuple[str, str], tuple[str, str]] = {}
        for row in by_date[date]:
            parent[_root(parent, ("old", row.old_number))] = _root(parent, ("new", row.new_number))
        components: dict[tuple[str, str], list[ChangeRow]] = defaultdict(list)
        for row in by_date[date]:
            components[_root(parent, ("old", row.old_number))].append(row)
        for rows in components.values():
            groups.append((kind_of(rows), rows))
    return groups


def _root(parent: dict, node: tuple[str, str]) -> tuple[str, str]:
    while parent.setdefault(node, node) != node:
        node = parent[node]
    return node


def kind_of(rows: list[ChangeRow]) -> str:
    successors: dict[str, set[str]] = defaultdict(set)
    predecessors: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        successors[row.old_number].add(row.new_number)
        predecessors[row.new_number].add(row.old_number)
    if any(len(numbers) > 1 for numbers in successors.values()):
        return MunicipalityChangeKind.SPLIT
    if any(len(numbers) > 1 for numbers in predecessors.values()):
        return MunicipalityChangeKind.MERGER
    if rows[0].old_number != rows[0].new_number:
        return MunicipalityChangeKind.RENUMBERING
    return MunicipalityChangeKind.NAME_CHANGE


@transaction.atomic
def load(*, changes_path: Path = CHANGES_FILE, counties_path: Path = COUNTIES_FILE) -> LoadResult:
    result = LoadResult()
    changes = read_changes(changes_path)
    versions = versions_from(changes)
    counties = {county.number: county for county in County.objects.all()}
    for number, name in read_counties(counties_path).items():
        if number not in counties:
            counties[number] = County.objects.create(number=number, name=name)

    latest: dict[str, Version] = {}
    for version in versions:
        latest[version.number] = version
    municipalities = Municipality.objects.in_bulk()
    missing = [
        Municipality(number=number, name=version.name, county=counties[number[:2]])
        for number, version in latest.items()
        if number not in municipalities
    ]
    Municipality.objects.bulk_create(missing)
    municipalities.update({municipality.number: municipality for municipality in missing})
    result.municipalities_created = len(missing)

    # Numbers that never changed: one version without bounds, named as in the database.
    changed = set(latest)
    versions += [
        Version(number, municipality.name, None, None)
        for number, municipality in municipalities.items()
        if number not in changed
    ]
    stored = {
        (v.number, v.valid_from): v
        for v in MunicipalityVersion.objects.filter(number__in=municipalities)
    }
    new_versions: list[MunicipalityVersion] = []
    for version in versions:
        fields = {
            "municipality": municipalities[version.number],
            "name": version.name,
            "county": counties[version.number[:2]],
            "valid_to": version.valid_to,
        }
        existing = stored.get((version.number, version.valid_from))
        if existing is None:
            new_versions.append(
                MunicipalityVersion(number=version.number, valid_from=version.valid_from, **fields)
            )
        elif (existing.name, existing.county_id, existing.valid_to) != (
            version.name,
            version.number[:2],
            version.valid_to,
        ):
            for field, value in fields.items():
                setattr(existing, field, value)
            existing.save()
            result.versions_updated += 1

    MunicipalityVersion.objects.bulk_create(new_versions)
    result.versions_created = len(new_versions)

    stored_links = {
        (link.change.date, link.predecessor_id, link.successor_id): link
        for link in MunicipalityChangeLink.objects.select_related("change")
    }
    new_links: list[MunicipalityChangeLink] = []
    for kind, rows in change_groups(changes):
        keys = [(row.date, row.old_number, row.new_number) for row in rows]
        change = next((stored_links[key].change for key in keys if key in stored_links), None)
        if change is None:
            change = MunicipalityChange.objects.create(kind=kind, date=rows[0].date)
            result.changes_created += 1
        elif change.kind != kind:
            change.kind = kind
            change.save(update_fields=["kind"])
        new_links += [
            MunicipalityChangeLink(
                change=change,
                predecessor=municipalities[row.old_number],
                successor=municipalities[row.new_number],
            )
            for row, key in zip(rows, keys, strict=True)
            if key not in stored_links
        ]
    MunicipalityChangeLink.objects.bulk_create(new_links)
    result.links_created = len(new_links)
    return result
