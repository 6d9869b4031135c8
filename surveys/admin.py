"""The reputation survey in the admin: questionnaires (frozen once answered) and runs."""

from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from measurements.admin import RoundChoicesMixin, RoundRelatedFilter

from . import services
from .models import Questionnaire, Statement, SurveyRun

# --- Reputation survey ----------------------------------------------------------------------------
# A questionnaire is frozen once any run of it has an answer: its page is then read-only, and a
# save that started before the first answer arrived is refused (``lock_for_change``). Answers
# are not in the admin: they are read only as results and anonymous exports.


def _frozen(questionnaire) -> bool:
    if questionnaire is None or questionnaire.pk is None:
        return False
    if getattr(questionnaire, "frozen", None) is None:  # not annotated by with_frozen()
        questionnaire.frozen = services.is_frozen(questionnaire)
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
class QuestionnaireAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["__str__", "programme", "version", "run_count", "is_frozen"]
    list_filter = [("programme", RoundRelatedFilter)]
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
        except services.QuestionnaireFrozen:
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
            services.lock_for_change(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.mark_changed(form.instance)

    @admin.action(description=_("Copy as a new version"))
    def copy_as_new_version(self, request, queryset):
        copies = [services.new_version(q) for q in queryset]
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
class SurveyRunAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = [
        "local_project",
        "round",
        "target_group",
        "opens_on",
        "closes_on",
        "closed_at",
    ]
    list_filter = [("round", RoundRelatedFilter), "target_group"]
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
