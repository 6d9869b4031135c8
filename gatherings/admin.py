from django.contrib import admin

from .models import AgendaItem, AgendaItemSpeaker, Gathering


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["date", "start", "end", "position", "title", "kind"]
    show_change_link = True


@admin.register(Gathering)
class GatheringAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "planned_month", "start_date", "end_date", "status"]
    list_filter = ["status", "kind", "network__theme", "network"]
    search_fields = ["title", "venue", "network__name"]
    list_select_related = ["network"]
    inlines = [AgendaItemInline]


class SpeakerInline(admin.TabularInline):
    model = AgendaItemSpeaker
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "gathering", "date", "start", "end", "kind"]
    list_filter = ["kind", "gathering__network"]
    search_fields = ["title", "description", "speakers__name"]
    list_select_related = ["gathering__network"]
    inlines = [SpeakerInline]
