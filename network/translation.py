"""The programme's own texts in Bokmål, Nynorsk and English (django-modeltranslation).

Each field named here gets a column per language (``name_nb``, ``name_nn``, ``name_en``); the
field itself (``programme.name``) reads the page's language and falls back to Bokmål when that
text is empty (``MODELTRANSLATION_FALLBACK_LANGUAGES`` in the settings). Bokmål is required
wherever the field itself is. An empty translation is stored as NULL (``empty_values``), so
the per-language unique constraints modeltranslation adds (a theme's name, a network's region)
never compare two missing translations. The admin edits all three; the loader fills all three
from the programme's documents (``seed/programme_2012.py``). The options, and how to read and
write the texts in code: ``core/translated_fields.py`` (``TranslatedTexts``).
"""

from modeltranslation.translator import translator

from core.translated_fields import TranslatedTexts

from .models import Network, Programme, Theme


class ProgrammeTexts(TranslatedTexts):
    fields = ("name", "owners", "description")


class ThemeTexts(TranslatedTexts):
    fields = ("name", "description")


class NetworkTexts(TranslatedTexts):
    fields = ("name", "region", "description")


translator.register(Programme, ProgrammeTexts)
translator.register(Theme, ThemeTexts)
translator.register(Network, NetworkTexts)
