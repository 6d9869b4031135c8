"""A gathering's and its agenda items' texts in Bokmål, Nynorsk and English
(django-modeltranslation; see ``network/translation.py``). Venues and addresses are names and
stay as written."""

from modeltranslation.translator import translator

from core.translated_fields import TranslatedTexts

from .models import AgendaItem, Gathering


class GatheringTexts(TranslatedTexts):
    fields = ("title", "schedule_note", "description", "practical_info")


class AgendaItemTexts(TranslatedTexts):
    fields = ("title", "description")


translator.register(Gathering, GatheringTexts)
translator.register(AgendaItem, AgendaItemTexts)
