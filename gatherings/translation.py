"""A gathering's and its agenda items' texts in Bokmål, Nynorsk and English
(django-modeltranslation; see ``network/translation.py``). Venues and addresses are names and
stay as written."""

from modeltranslation.translator import TranslationOptions, translator

from .models import AgendaItem, Gathering


class GatheringTexts(TranslationOptions):
    fields = ("title", "schedule_note", "description", "practical_info")
    required_languages = ("nb",)
    empty_values = None


class AgendaItemTexts(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("nb",)
    empty_values = None


translator.register(Gathering, GatheringTexts)
translator.register(AgendaItem, AgendaItemTexts)
