"""The network app's part of the open-data export (``manage.py export_programme``) and of its
import (``manage.py import_programme``): the programme, its themes and networks with their
facilitators.

An importer (``absorb``) finds each object of the file by its natural key (a slug, a name, a
number), creates what is missing and compares what exists: every difference is a conflict,
recorded on the shared ``ProgrammeImport``; the command then writes nothing.

With ``export_programme --translations``, each programme, theme, network, gathering and agenda
item also carries ``translations``: its texts in Nynorsk and English
(``core.translated_fields.translations_of``); the import gives them to what it creates and
compares them with what exists. Without the option the export is in Bokmål alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from core.translated_fields import give_translations, translations_of

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
            label = TRANSLATIONS_LABEL if name == TRANSLATIONS else name
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


#: The key of an object's texts in the other languages (``--translations``).
TRANSLATIONS = "translations"
TRANSLATIONS_LABEL = gettext_lazy("translations")

#: The exported texts that have translations, per model.
PROGRAMME_TEXTS = ["name"]
THEME_TEXTS = ["name"]
NETWORK_TEXTS = ["name", "region"]


def with_translations(data: dict, instance: models.Model, names: list[str], wanted: bool) -> dict:
    """``data`` with the object's ``translations`` of ``names`` when they are ``wanted``."""
    if wanted:
        data[TRANSLATIONS] = translations_of(instance, names)
    return data


def translations_compared(given: dict, instance: models.Model, names: list[str]) -> dict:
    """The pair to compare for the object's translations, when the file has them."""
    if TRANSLATIONS not in given:
        return {}
    return {TRANSLATIONS: (given[TRANSLATIONS], translations_of(instance, names))}


def give_file_translations(instance: models.Model, names: list[str], given: dict):
    """Give a new object the translations of the file, if it has them; the object."""
    if TRANSLATIONS in given:
        give_translations(instance, names, given[TRANSLATIONS])
    return instance


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return "; ".join(
            f"{code}: " + ", ".join(f"{name} «{text}»" for name, text in texts.items())
            for code, texts in value.items()
        )
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


def network_data(network: Network, *, translations: bool = False) -> dict:
    data = {
        "name": network.name,
        "slug": network.slug,
        "theme": network.theme.name,
        "region": network.region,
        "url": network.get_absolute_url(),
        "facilitator": person_data(network.facilitator),
    }
    return with_translations(data, network, NETWORK_TEXTS, translations)


def contribute(
    data: dict, *, programme: Programme, include_drafts: bool, translations: bool = False
) -> None:
    data["programme"] = with_translations(
        {
            "name": programme.name,
            "slug": programme.slug,
            "start_year": programme.start_year,
            "end_year": programme.end_year,
        },
        programme,
        PROGRAMME_TEXTS,
        translations,
    )
    data["themes"] = [
        with_translations({"name": t.name, "slug": t.slug}, t, THEME_TEXTS, translations)
        for t in programme.themes.all()
    ]
    data["networks"] = [
        network_data(network, translations=translations)
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
            give_file_translations(
                Programme(
                    name=given["name"],
                    slug=given["slug"],
                    start_year=given["start_year"],
                    end_year=given["end_year"],
                ),
                PROGRAMME_TEXTS,
                given,
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
            }
            | translations_compared(given, programme, PROGRAMME_TEXTS),
        )
    state.programme = programme

    stored_themes = {theme.slug: theme for theme in programme.themes.all()}
    for position, given in enumerate(data["themes"], start=1):
        theme = stored_themes.get(given["slug"])
        if theme is None:
            theme = state.create(
                give_file_translations(
                    Theme(
                        programme=programme,
                        name=given["name"],
                        slug=given["slug"],
                        position=position,
                    ),
                    THEME_TEXTS,
                    given,
                )
            )
        else:
            state.compare(
                theme,
                theme.slug,
                {"name": (given["name"], theme.name)}
                | translations_compared(given, theme, THEME_TEXTS),
            )
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
                give_file_translations(
                    Network(
                        programme=programme,
                        theme=theme,
                        region=given["region"],
                        name=given["name"],
                        slug=given["slug"],
                        facilitator=facilitator or None,
                    ),
                    NETWORK_TEXTS,
                    given,
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
                }
                | translations_compared(given, network, NETWORK_TEXTS),
            )
        state.networks[network.slug] = network
