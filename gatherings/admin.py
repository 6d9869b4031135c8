from django.contrib import admin
from modeltranslation.admin import TranslationTabularInline

from municipalities.admin import RoundChoicesMixin
from network.admin import RoundRelatedFilter, TranslatedTextsAdmin

from .models import (
    AgendaItem,
    AgendaItemSpeaker,
    Gathering,
    PreparationTask,
    Registration,
    Resource,
)


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0
    fields = ["date", "start", "end", "position", "title", "kind"]
    show_change_link = True


@admin.register(Gathering)
class GatheringAdmin(RoundChoicesMixin, TranslatedTextsAdmin):
    list_display = ["__str__", "kind", "planned_month", "start_date", "end_date", "status"]
    list_filter = [
        "status",
        "kind",
        ("network__theme", RoundRelatedFilter),
        ("network", RoundRelatedFilter),
    ]
    search_fields = ["title", "venue", "network__name"]
    list_select_related = ["network"]
    inlines = [AgendaItemInline]


class SpeakerInline(admin.TabularInline):
    model = AgendaItemSpeaker
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(AgendaItem)
class AgendaItemAdmin(TranslatedTextsAdmin):
    list_display = ["title", "gathering", "date", "start", "end", "kind"]
    list_filter = ["kind", ("gathering__network", RoundRelatedFilter)]
    search_fields = ["title", "description", "speakers__name"]
    list_select_related = ["gathering__network"]
    inlines = [SpeakerInline]


@admin.register(Registration)
class RegistrationAdmin(RoundChoicesMixin, admin.ModelAdmin):
    """Without the health data (diets, allergies, drinks): those are for the network's
    facilitator only, in the portal."""

    list_display = ["participant", "gathering", "municipality", "settles_bill", "cancelled_at"]
    list_filter = [("gathering__network", RoundRelatedFilter), "gathering"]
    list_select_related = ["participant", "gathering__network", "municipality"]
    search_fields = ["participant__name"]
    fields = [
        "gathering",
        "participant",
        "municipality",
        "days",
        "dinner_days",
        "overnight",
        "settles_bill",
        "registered_by",
        "created_at",
        "updated_at",
        "cancelled_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # registrations are made and changed in the portal


@admin.register(PreparationTask)
class PreparationTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "gathering", "position"]
    list_filter = [("gathering__network", RoundRelatedFilter)]
    list_select_related = ["gathering__network"]


@admin.register(Resource)
class ResourceAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "network", "theme", "added_at"]
    list_filter = ["kind", ("theme", RoundRelatedFilter), ("network", RoundRelatedFilter)]
    list_select_related = ["network", "theme"]
    search_fields = ["title", "description"]
    exclude = ["file"]
    readonly_fields = ["original_name", "content_type", "size", "added_by", "added_at"]

    def has_add_permission(self, request):
        return False  # documents are checked on upload in the portal
