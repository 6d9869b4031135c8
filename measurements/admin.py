"""The measurement models in the admin. No list sorts by a measured value, a goal or an
anchoring stage: the values are shown, never ranked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipalities.admin import RoundChoicesMixin as MunicipalityRoundChoicesMixin
from network.admin import RoundRelatedFilter as NetworkRoundRelatedFilter

from .forms import MeasurementRoundChoiceField, MeasurementRoundMultipleChoiceField, round_label
from .models import (
    AnchoringAssessment,
    Goal,
    ImportBatch,
    Indicator,
    Measurement,
    MeasurementRound,
    ProgressPage,
    Reminder,
    RoundReport,
)

# --- Choice lists that name the programme round -------------------------------------------


class RoundChoicesMixin(MunicipalityRoundChoicesMixin):
    """Programmes, themes and networks name their programme round, municipalities their
    number and county, and measurement rounds their programme: «Nullpunkt – Saman om ein
    betre kommune (2012–2013)» (the surveys' admin uses it too)."""

    round_choice_fields = {
        **MunicipalityRoundChoicesMixin.round_choice_fields,
        MeasurementRound: (
            MeasurementRoundChoiceField,
            MeasurementRoundMultipleChoiceField,
            ("programme",),
        ),
    }


class RoundRelatedFilter(NetworkRoundRelatedFilter):
    """A list filter by programme, theme, network or measurement round that names the
    round: ``list_filter = [("round", RoundRelatedFilter)]``."""

    labels = {**NetworkRoundRelatedFilter.labels, MeasurementRound: round_label}


@admin.register(Indicator)
class IndicatorAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "theme",
        "local_project",
        "unit",
        "direction",
        "is_example",
        "measured_by_survey",
    ]
    list_filter = [("theme", RoundRelatedFilter), "unit", "direction", "is_example"]
    search_fields = ["name", "definition", "source", "local_project__name"]
    autocomplete_fields = ["local_project"]


@admin.register(MeasurementRound)
class MeasurementRoundAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "opens_on", "closes_on", "remind_before_close"]
    list_filter = [("programme", RoundRelatedFilter), "kind"]
    list_select_related = ["programme"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Measurement)
class MeasurementAdmin(RoundChoicesMixin, SimpleHistoryAdmin):
    list_display = [
        "local_project",
        "indicator",
        "round",
        "part",
        "shown_value",
        "source",
        "reported_at",
    ]
    list_filter = [
        ("round", RoundRelatedFilter),
        "source",
        ("indicator__theme", RoundRelatedFilter),
    ]
    search_fields = ["local_project__name", "indicator__name", "note"]
    autocomplete_fields = ["local_project", "indicator", "reported_by"]
    list_select_related = ["local_project", "indicator", "round"]

    @admin.display(description=_("value"))  # no ordering: the list cannot be sorted by value
    def shown_value(self, measurement):
        return measurement.value


@admin.register(Goal)
class GoalAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["local_project", "indicator", "shown_target", "target_date"]
    list_filter = [("indicator__theme", RoundRelatedFilter)]
    search_fields = ["local_project__name", "indicator__name"]
    autocomplete_fields = ["local_project", "indicator"]
    list_select_related = ["local_project", "indicator"]

    @admin.display(description=_("target value"))
    def shown_target(self, goal):
        return goal.target_value


@admin.register(AnchoringAssessment)
class AnchoringAssessmentAdmin(RoundChoicesMixin, SimpleHistoryAdmin):
    list_display = ["local_project", "round", "shown_stage"]
    list_filter = [("round", RoundRelatedFilter), "stage"]
    search_fields = ["local_project__name", "note"]
    autocomplete_fields = ["local_project"]
    list_select_related = ["local_project", "round"]

    @admin.display(description=_("stage"))
    def shown_stage(self, assessment):
        return assessment.get_stage_display()


@admin.register(RoundReport)
class RoundReportAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["local_project", "round", "submitted_by", "submitted_at", "version"]
    list_filter = [("round", RoundRelatedFilter)]
    search_fields = ["local_project__name"]
    list_select_related = ["local_project", "round", "submitted_by"]
    readonly_fields = ["version", "submitted_by", "submitted_at"]


@admin.register(ProgressPage)
class ProgressPageAdmin(admin.ModelAdmin):
    list_display = ["local_project", "published_at", "published_by"]
    search_fields = ["local_project__name"]
    list_select_related = ["local_project", "published_by"]
    readonly_fields = ["version"]


@admin.register(Reminder)
class ReminderAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["local_project", "round", "sent_at", "sent_by"]
    list_filter = [("round", RoundRelatedFilter)]
    search_fields = ["local_project__name", "recipients"]
    list_select_related = ["local_project", "round", "sent_by"]

    def has_change_permission(self, request, obj=None):
        return False  # a record of what was sent


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "uploaded_by", "created_at", "committed_at"]
    search_fields = ["filename", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    exclude = ["rows", "problems"]
    readonly_fields = ["token", "uploaded_by", "filename", "summary", "committed_at", "reason"]
