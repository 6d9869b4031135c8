"""Texts a model keeps in each of the portal's languages (django-modeltranslation).

A model names its translated fields in its app's ``translation.py``. A translated field
``title`` then has a column per language (``title_nb``, ``title_nn``, ``title_en``), and

- reading ``obj.title`` gives the active language's text, or, where that is empty, the
  Bokmål one (else whichever language has one): templates need no change;
- writing ``obj.title`` (a model form does) writes the active language's text;
- ``filter(title=…)`` and ``order_by("title")`` on the model's own manager are rewritten to the
  active language's column. A query through another model (``order_by("network__name")`` on
  local projects) reads the field's own column, which holds the Bokmål text.

The helpers here keep the rest of the house right:

- :func:`column` names a field's column in a language, for the few places that must read one
  language whatever the page's (an export, a comparison across rounds);
- :func:`assign` writes a text the way an editor means it (a text that had no translation in
  the page's language and comes back as it was shown, the fallback, stays untranslated and
  keeps following the Bokmål text instead of freezing a copy of it); model forms get the same
  from :class:`TranslatedTextFormMixin`;
- :func:`every_language` gives all of an object's translations, for copying it;
- :func:`fill_translations` gives a loaded object the translations of its texts;
- :func:`translations_of` and :func:`give_translations` carry them through an export and an
  import;
- :func:`in_default_language` is the context in which loaders, imports and exports read and
  write the Bokmål text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.utils import translation
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as active_language

#: The languages a translated text is kept in, the default (Bokmål) first.
LANGUAGES: tuple[str, ...] = (
    mt_settings.DEFAULT_LANGUAGE,
    *(code for code in mt_settings.AVAILABLE_LANGUAGES if code != mt_settings.DEFAULT_LANGUAGE),
)
DEFAULT_LANGUAGE: str = mt_settings.DEFAULT_LANGUAGE


def columns(name: str) -> tuple[str, ...]:
    """A translated field's columns, one per language in :data:`LANGUAGES` order, for a read
    of plain rows (``values_list`` without modeltranslation's rewriting) that picks the text
    to show itself with :func:`shown`."""
    return tuple(build_localized_fieldname(name, code) for code in LANGUAGES)


def shown(texts: Sequence[str | None]) -> str:
    """What a translated field shows in the active language, given its columns' values in
    :func:`columns` order: the language's own text, else the first of the fallbacks that has
    one, as the field itself reads them."""
    by_language = dict(zip(LANGUAGES, texts, strict=True))
    for code in resolution_order(active_language(), mt_settings.FALLBACK_LANGUAGES):
        text = by_language.get(code)
        if text not in (None, ""):
            return text
    return ""


class TranslatedTexts(TranslationOptions):
    """The options of a model's texts in every language (subclass it and name the
    ``fields``): Bokmål required wherever the field is, and an empty translation stored as
    NULL, so unique constraints never compare two missing translations."""

    required_languages = ("nb",)
    empty_values = None


def in_every_language(*paths: str) -> tuple[str, ...]:
    """``only()`` paths for translated fields: each path (``"network__programme__name"``) with
    its column in every language (``…_nb``, ``…_nn``, ``…_en``), which the field reads. A
    query that loads only the field itself leaves those deferred, and each instance would read
    them with a query of its own."""
    return tuple(
        name for path in paths for name in (path, *(f"{path}_{code}" for code in LANGUAGES))
    )


def translated_fields(model: type[models.Model] | models.Model) -> tuple[str, ...]:
    """The names of the model's translated fields (empty when it has none)."""
    try:
        options = translator.get_options_for_model(
            model if isinstance(model, type) else type(model)
        )
    except NotRegistered:
        return ()
    return tuple(options.all_fields)


def column(model: type[models.Model] | models.Model, name: str, language: str | None = None) -> str:
    """The field holding ``name`` in ``language`` (the active language by default):
    ``title_nn``; ``name`` itself for a field that is not translated."""
    if name not in translated_fields(model):
        return name
    return build_localized_fieldname(name, language or active_language())


def every_language(instance: models.Model, *names: str) -> dict[str, Any]:
    """The texts of ``names`` in every language, as keyword arguments for a copy of
    ``instance`` (``title_nb=…, title_nn=…``); an untranslated field as itself."""
    values: dict[str, Any] = {}
    for name in names:
        if name in translated_fields(instance):
            for code in LANGUAGES:
                field = build_localized_fieldname(name, code)
                values[field] = getattr(instance, field)
        else:
            values[name] = getattr(instance, name)
    return values


def per_language(name: str, texts: Sequence[str]) -> dict[str, str]:
    """Keyword arguments that give the translated field ``name`` one text per language, in
    the order of :data:`LANGUAGES` (``title_nb=…, title_nn=…, title_en=…``)."""
    return {
        build_localized_fieldname(name, code): text
        for code, text in zip(LANGUAGES, texts, strict=True)
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")
    return a == b


def _untranslated(instance: models.Model, name: str) -> bool:
    return getattr(instance, column(instance, name)) in (None, "")


def assign(instance: models.Model, name: str, value: Any) -> None:
    """Set ``instance.<name>`` to what an editor submitted. For a translated text with no
    text of its own in the active language, a value equal to the one shown (the fallback) is
    no edit: the language stays untranslated."""
    unchanged_fallback = (
        name in translated_fields(instance)
        and _untranslated(instance, name)
        and _same(value, getattr(instance, name))
    )
    if not unchanged_fallback:
        setattr(instance, name, value)


class TranslatedTextFormMixin:
    """For a model form of a model with translated fields: the page's language's texts are
    edited, and a text shown from another language and sent back unchanged is not copied
    into this one (:func:`assign`)."""

    def _post_clean(self):
        instance = self.instance
        kept = {
            name: (getattr(instance, column(instance, name)), getattr(instance, name))
            for name in translated_fields(instance)
            if name in self.fields and _untranslated(instance, name)
        }
        super()._post_clean()
        for name, (own, shown) in kept.items():
            if name in self.cleaned_data and _same(self.cleaned_data[name], shown):
                setattr(instance, column(instance, name), own)


def written_values(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The values of ``names`` to write with ``QuerySet.update``: a translated field as its
    active language's own text (never the fallback shown in its place)."""
    return {column(instance, name): getattr(instance, column(instance, name)) for name in names}


def fill_translations(
    instance: models.Model, names: list[str], translations: Mapping[str, Sequence[str]]
) -> list[str]:
    """Give ``instance`` the translations of its default-language texts that it lacks:
    ``translations`` maps a default-language text to its texts in the other languages (in the
    order of :data:`LANGUAGES`). A text edited since (no longer a key) and a translation
    already given are left alone. Saves what it filled; returns the fields it filled."""
    filled = []
    for name in names:
        texts = translations.get(getattr(instance, column(instance, name, DEFAULT_LANGUAGE)) or "")
        if not texts:
            continue
        for code, text in zip(LANGUAGES[1:], texts, strict=True):
            field = column(instance, name, code)
            if getattr(instance, field) in (None, "") and text:
                setattr(instance, field, text)
                filled.append(field)
    if filled:
        instance.save(update_fields=filled)
    return filled


def translations_of(instance: models.Model, names: list[str]) -> dict[str, dict[str, str]]:
    """The object's own texts of ``names`` in the languages other than the default, for an
    export: ``{"nn": {"name": …}, "en": {…}}``. A language without a text of its own is left
    out, so is a field without one."""
    result: dict[str, dict[str, str]] = {}
    for code in LANGUAGES[1:]:
        texts = {
            name: text
            for name in names
            if name in translated_fields(instance)
            and (text := getattr(instance, column(instance, name, code)))
        }
        if texts:
            result[code] = texts
    return result


def give_translations(
    instance: models.Model, names: list[str], given: Mapping[str, Mapping[str, str]]
) -> None:
    """Set the translations an import gives (as :func:`translations_of` writes them) for the
    fields ``names``; ``ValueError`` for another language, field or a text that is not one."""
    if not isinstance(given, Mapping):
        raise ValueError(f"translations must be an object, not {given!r}")
    for code, texts in given.items():
        if code not in LANGUAGES[1:] or not isinstance(texts, Mapping):
            raise ValueError(f"translations: «{code}» is not one of {', '.join(LANGUAGES[1:])}")
        for name, text in texts.items():
            if name not in names or name not in translated_fields(instance):
                raise ValueError(f"translations: «{name}» is not a translated text here")
            if not isinstance(text, str):
                raise ValueError(f"translations: {code} {name} is not a text")
            setattr(instance, column(instance, name, code), text or None)


@contextmanager
def in_default_language() -> Iterator[None]:
    """Read and write the default language's (Bokmål) texts, whatever the page's language."""
    with translation.override(DEFAULT_LANGUAGE):
        yield
