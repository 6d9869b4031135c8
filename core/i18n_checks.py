"""Checks that the project's Bokmål and Nynorsk catalogues are complete and compiled.

``manage.py check_translations`` runs them after extracting the strings afresh with
makemessages; ``tests/network/test_translations.py`` runs them on the files as committed.
Each check returns a list of problems, one readable line each; an empty list means all is well.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.conf import settings

REQUIRED_LANGUAGES = ("nb", "nn")

# What must survive translation unchanged: %(name)s, %s/%d, {} and HTML tags (a tag starts with
# a letter or a slash, so a text such as «without < or >» is not taken for one).
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|\{\w*\}|</?[A-Za-z][^<>]*>")


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_path(lang: str, locale: Path | None = None) -> Path:
    return (locale or locale_dir()) / lang / "LC_MESSAGES" / "django.po"


def catalogue_problems(lang: str, locale: Path | None = None) -> list[str]:
    """Untranslated (any plural form empty) and fuzzy entries, and translations that lost or
    gained a placeholder or an HTML tag."""
    catalogue = polib.pofile(str(po_path(lang, locale)))
    problems = [
        f"{lang}: uoversatt: {entry.msgid!r} ({_where(entry)})"
        for entry in catalogue.untranslated_entries()
    ]
    problems += [
        f"{lang}: uklar (fuzzy): {entry.msgid!r} ({_where(entry)})"
        for entry in catalogue.fuzzy_entries()
    ]
    for entry in catalogue.translated_entries():
        for index, msgstr in enumerate(_msgstrs(entry)):
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if set(_PLACEHOLDER.findall(msgstr)) != set(_PLACEHOLDER.findall(source)):
                problems.append(
                    f"{lang}: plassholdere eller tagger er ulike: {source!r} -> {msgstr!r}"
                )
    return problems


def compiled_problems(lang: str, locale: Path | None = None) -> list[str]:
    """The .mo file is missing, or does not hold exactly the translations of the .po file."""
    po = po_path(lang, locale)
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return [f"{lang}: {mo.name} mangler: kjør compilemessages"]
    expected = {_key(e): _msgstrs(e) for e in polib.pofile(str(po)).translated_entries()}
    compiled = {_key(e): _msgstrs(e) for e in polib.mofile(str(mo)) if e.msgid}
    if expected != compiled:
        return [f"{lang}: {mo.name} er utdatert: kjør compilemessages"]
    return []


def all_problems(locale: Path | None = None) -> list[str]:
    return [
        problem
        for lang in REQUIRED_LANGUAGES
        for problem in catalogue_problems(lang, locale) + compiled_problems(lang, locale)
    ]


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def _msgstrs(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _where(entry: polib.POEntry) -> str:
    return ":".join(entry.occurrences[0]) if entry.occurrences else "?"
