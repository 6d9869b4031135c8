from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnchoringAssessment,
    Goal,
    ImportBatch,
    Indicator,
    Measurement,
    MeasurementRound,
    ProgressPage,
    Questionnaire,
    Reminder,
    RoundReport,
    Statement,
    SurveyRun,
)
from .surveys import services as survey_services


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "local_project", "unit", "direction", "is_example"]
    list_filter = ["theme", "unit", "direction", "is_example"]
    search_fields = ["name", "definition", "source", "local_project__name"]
    autocomplete_fields = ["local_project"]


@admin.register(MeasurementRound)
class MeasurementRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "opens_on", "closes_on", "remind_before_close"]
    list_filter = ["programme", "kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
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
class AnchoringAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["local_project", "round", "stage"]
    list_filter = ["round", "stage"]
    search_fields = ["local_project__name", "note"]
    autocomplete_fields = ["local_project"]
    list_select_related = ["local_project", "round"]


@admin.register(RoundReport)
class RoundReportAdmin(admin.ModelAdmin):
    list_display = ["local_project", "round", "submitted_by", "submitted_at", "version"]
    list_filter = ["round"]
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
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["local_project", "round", "sent_at", "sent_by"]
    list_filter = ["round"]
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


# --- Reputation survey ----------------------------------------------------------------------------
# A questionnaire is frozen once any run of it has an answer: its page is then read-only, and a
# save that started before the first answer arrived is refused (``lock_for_change``). Answers
# are not in the admin: they are read only as results and anonymous exports.


def _frozen(questionnaire) -> bool:
    if questionnaire is None or questionnaire.pk is None:
        return False
    if getattr(questionnaire, "frozen", None) is None:  # not annotated by with_frozen()
        questionnaire.frozen = survey_services.is_frozen(questionnaire)
    return questionnaire.frozen


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["position", "code", "group", "text_nb", "text_nn", "text_en"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "version", "run_count", "is_frozen"]
    list_filter = ["programme"]
    readonly_fields = ["revision"]
    inlines = [StatementInline]
    actions = ["copy_as_new_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_frozen().annotate(run_count=Count("runs"))

    @admin.display(description=_("survey runs"))
    def run_count(self, obj):
        return obj.run_count

    @admin.display(description=_("frozen (has answers)"), boolean=True)
    def is_frozen(self, obj):
        return obj.frozen

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except survey_services.QuestionnaireFrozen:
            messages.error(
                request,
                gettext(
                    "The questionnaire has answers now, so it cannot change. Nothing was saved; "
                    "copy it as a new version to change it."
                ),
            )
            return redirect(request.path)

    def save_model(self, request, obj, form, change):
        if change:
            survey_services.lock_for_change(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            survey_services.mark_changed(form.instance)

    @admin.action(description=_("Copy as a new version"))
    def copy_as_new_version(self, request, queryset):
        copies = [survey_services.new_version(q) for q in queryset]
        self.message_user(
            request,
            ngettext(
                "Copied as version %(versions)s.",
                "Copied as versions %(versions)s.",
                len(copies),
            )
            % {"versions": ", ".join(str(c.version) for c in copies)},
        )


@admin.register(SurveyRun)
class SurveyRunAdmin(admin.ModelAdmin):
    list_display = [
        "local_project",
        "round",
        "target_group",
        "opens_on",
        "closes_on",
        "closed_at",
    ]
    list_filter = ["round", "target_group"]
    search_fields = ["local_project__name"]
    list_select_related = ["local_project", "round"]
    fields = [
        "local_project",
        "round",
        "target_group",
        "questionnaire",
        "opens_on",
        "closes_on",
        "accepts_open_link",
        "invitations_sent",
        "created_by",
        "created_at",
        "closed_at",
        "closed_by",
    ]
    readonly_fields = [
        "local_project",
        "round",
        "target_group",
        "questionnaire",
        "invitations_sent",
        "created_by",
        "created_at",
        "closed_at",
        "closed_by",
    ]

    def has_add_permission(self, request):
        return False  # leaders open runs on the project's survey page
