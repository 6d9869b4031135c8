"""The network app's part of the open-data export (``manage.py export_programme``) and of its
import (``manage.py import_programme``): the programme, its themes and networks with their
facilitators.

An importer (``absorb``) finds each object of the file by its natural key (a slug, a name, a
number), creates what is missing and compares what exists: every difference is a conflict,
recorded on the shared ``ProgrammeImport``; the command then writes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext

from .models import Network, Organisation, Person, Programme, Theme


@dataclass
class ProgrammeImport:
    """What the apps' importers share while they read one file."""

    programme: Programme | None = None
    themes: dict[str, Theme] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)

    def create(self, instance: models.Model) -> models.Model:
        """Validate and save a new object (``ValidationError`` if the file's values are not
        valid), counting it."""
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
        self.created[type(instance)] += 1
        return instance

    def compare(self, instance: models.Model, key: str, pairs: dict[str, tuple]) -> None:
        """Record a conflict for each field whose value in the file (first of the pair)
        differs from the stored one (second)."""
        for name, (in_file, stored) in pairs.items():
            if in_file != stored:
                self.conflict(instance, key, name, in_file, stored)

    def conflict(self, instance, key: str, name: str, in_file, stored) -> None:
        meta = instance._meta
        try:
            label = meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        self.conflicts.append(
            gettext(
                "%(object)s %(key)s: %(field)s is «%(file)s» in the file, "
                "«%(stored)s» in the database"
            )
            % {
                "object": meta.verbose_name,
                "key": key,
                "field": label,
                "file": _shown(in_file),
                "stored": _shown(stored),
            }
        )


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _who(person: dict | None) -> str | None:
    """«Name (Organisation)»: how a conflict names a person."""
    if not person:
        return None
    return (
        f"{person['name']} ({person['organisation']})" if person["organisation"] else person["name"]
    )


def person_data(person: Person | None) -> dict | None:
    """A facilitator or a speaker as the export writes them."""
    if person is None:
        return None
    return {
        "name": person.name,
        "title": person.title,
        "organisation": str(person.organisation or ""),
        "department": person.department,
    }


def network_data(network: Network) -> dict:
    return {
        "name": network.name,
        "slug": network.slug,
        "theme": network.theme.name,
        "region": network.region,
        "url": network.get_absolute_url(),
        "facilitator": person_data(network.facilitator),
    }


def contribute(data: dict, *, programme: Programme, include_drafts: bool) -> None:
    data["programme"] = {
        "name": programme.name,
        "slug": programme.slug,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
    }
    data["themes"] = [{"name": t.name, "slug": t.slug} for t in programme.themes.all()]
    data["networks"] = [
        network_data(network)
        for network in programme.networks.select_related(
            "theme", "facilitator__organisation"
        ).order_by("theme__position", "name")
    ]


def absorb_person(state: ProgrammeImport, data: dict) -> Person:
    """The person of the file (a facilitator, a speaker), found by name and organisation;
    the organisation and the person are created if missing."""
    organisation = None
    if data["organisation"]:
        organisation = Organisation.objects.filter(name=data["organisation"]).first()
        if organisation is None:
            organisation = state.create(Organisation(name=data["organisation"]))
    person = Person.objects.filter(name=data["name"], organisation=organisation).first()
    if person is None:
        return state.create(
            Person(
                name=data["name"],
                title=data["title"],
                organisation=organisation,
                department=data["department"],
            )
        )
    state.compare(
        person,
        data["name"],
        {
            "title": (data["title"], person.title),
            "department": (data["department"], person.department),
        },
    )
    return person


def absorb(data: dict, *, state: ProgrammeImport) -> None:
    given = data["programme"]
    programme = Programme.objects.filter(slug=given["slug"]).first()
    if programme is None:
        programme = state.create(
            Programme(
                name=given["name"],
                slug=given["slug"],
                start_year=given["start_year"],
                end_year=given["end_year"],
            )
        )
    else:
        state.compare(
            programme,
            programme.slug,
            {
                "name": (given["name"], programme.name),
                "start_year": (given["start_year"], programme.start_year),
                "end_year": (given["end_year"], programme.end_year),
            },
        )
    state.programme = programme

    stored_themes = {theme.slug: theme for theme in programme.themes.all()}
    for position, given in enumerate(data["themes"], start=1):
        theme = stored_themes.get(given["slug"])
        if theme is None:
            theme = state.create(
                Theme(
                    programme=programme, name=given["name"], slug=given["slug"], position=position
                )
            )
        else:
            state.compare(theme, theme.slug, {"name": (given["name"], theme.name)})
        state.themes[theme.slug] = theme
    themes_by_name = {theme.name: theme for theme in state.themes.values()}

    for given in data["networks"]:
        theme = themes_by_name.get(given["theme"])
        facilitator = given["facilitator"] and absorb_person(state, given["facilitator"])
        network = (
            Network.objects.select_related("programme", "theme", "facilitator__organisation")
            .filter(slug=given["slug"])
            .first()
        )
        if network is None:
            if theme is None:
                state.conflicts.append(
                    gettext("network %(network)s: the theme «%(theme)s» is not in the file")
                    % {"network": given["slug"], "theme": given["theme"]}
                )
                continue
            network = state.create(
                Network(
                    programme=programme,
                    theme=theme,
                    region=given["region"],
                    name=given["name"],
                    slug=given["slug"],
                    facilitator=facilitator or None,
                )
            )
        else:
            state.compare(
                network,
                network.slug,
                {
                    "programme": (programme.slug, network.programme.slug),
                    "name": (given["name"], network.name),
                    "theme": (given["theme"], network.theme.name),
                    "region": (given["region"], network.region),
                    "facilitator": (
                        _who(given["facilitator"]),
                        _who(person_data(network.facilitator)),
                    ),
                },
            )
        state.networks[network.slug] = network
