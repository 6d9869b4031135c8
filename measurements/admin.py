from django.contrib import admin

from .models import AnchoringAssessment, Goal, Indicator, Measurement, MeasurementRound


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "local_project", "unit", "direction", "is_example"]
    list_filter = ["theme", "unit", "direction", "is_example"]
    search_fields = ["name", "definition", "source", "local_project__name"]
    autocomplete_fields = ["local_project"]


@admin.register(MeasurementRound)
class MeasurementRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "opens_on", "closes_on"]
    list_filter = ["programme", "kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["local_project", "indicator", "round", "value", "source", "reported_at"]
    list_filter = ["round", "source", "indicator__theme"]
    search_fields = ["local_project__name", "indicator__name", "note"]
    autocomplete_fields = ["local_project", "indicator", "reported_by"]
    list_select_related = ["local_project", "indicator", "round"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["local_project", "indicator", "target_value", "target_date"]
    list_filter = ["indicator__theme"]
    search_fields = ["local_project__name", "indicator__name"]
    autocomplete_fields = ["local_project", "indicator"]
    list_select_related = ["local_project", "indicator"]


@admin.register(AnchoringAssessment)
class AnchoringAssessmentAdmin(admin.ModelAdmin):
    list_display = ["local_project", "round", "stage"]
    list_filter = ["round", "stage"]
    search_fields = ["local_project__name", "note"]
    autocomplete_fields = ["local_project"]
    list_select_related = ["local_project", "round"]
