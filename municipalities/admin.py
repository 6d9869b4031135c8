from django.contrib import admin

from network.admin import RoundChoicesMixin as NetworkRoundChoicesMixin
from network.admin import RoundRelatedFilter

from . import models
from .forms import PARTICIPANT_DETAILS, MunicipalityChoiceField, MunicipalityMultipleChoiceField


class RoundChoicesMixin(NetworkRoundChoicesMixin):
    """Themes and networks name their programme round; municipalities their number and
    county: «1804 Bodø (Nordland)»."""

    round_choice_fields = {
        **NetworkRoundChoicesMixin.round_choice_fields,
        models.Municipality: (
            MunicipalityChoiceField,
            MunicipalityMultipleChoiceField,
            ("county",),
        ),
    }


@admin.register(models.County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["number", "name"]


class MunicipalityVersionInline(admin.TabularInline):
    model = models.MunicipalityVersion
    extra = 0
    fields = ["number", "name", "county", "valid_from", "valid_to"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ByCountyAdmin(admin.ModelAdmin):
    """Municipalities and their versions: listed by number and name with their county."""

    list_display = ["number", "name", "county"]
    list_filter = ["county"]
    search_fields = ["number", "name"]
    list_select_related = ["county"]


@admin.register(models.Municipality)
class MunicipalityAdmin(ByCountyAdmin):
    inlines = [MunicipalityVersionInline]

    def get_readonly_fields(self, request, obj=None):
        """The number names the municipality everywhere (projects, imports, history): once
        saved it is not edited here, so a new number never silently becomes a second
        municipality. A new number is recorded as a change."""
        if obj is not None:
            return [*super().get_readonly_fields(request, obj), "number"]
        return super().get_readonly_fields(request, obj)


@admin.register(models.MunicipalityVersion)
class MunicipalityVersionAdmin(ByCountyAdmin):
    list_display = [*ByCountyAdmin.list_display, "valid_from", "valid_to"]
    autocomplete_fields = ["municipality"]


class MunicipalityChangeLinkInline(admin.TabularInline):
    model = models.MunicipalityChangeLink
    extra = 1
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(models.MunicipalityChange)
class MunicipalityChangeAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind", "date"]
    search_fields = ["links__predecessor__number", "links__successor__number", "note"]
    date_hierarchy = "date"
    inlines = [MunicipalityChangeLinkInline]


class ParticipantInline(RoundChoicesMixin, admin.TabularInline):
    model = models.Participant
    extra = 0
    fields = [*PARTICIPANT_DETAILS, "user"]
    autocomplete_fields = ["user"]


@admin.register(models.LocalProject)
class LocalProjectAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "network"]
    list_filter = [("network__theme", RoundRelatedFilter), ("network", RoundRelatedFilter)]
    search_fields = ["name", "slug", "municipalities__name", "municipalities__number"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    list_select_related = ["network"]
    inlines = [ParticipantInline]


@admin.register(models.Participant)
class ParticipantAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "role", "function", "local_project", "is_project_leader"]
    list_filter = ["role", "is_project_leader", ("local_project__network", RoundRelatedFilter)]
    search_fields = ["name", "function", "email", "local_project__name"]
    autocomplete_fields = ["local_project", "user"]
    list_select_related = ["local_project"]


@admin.register(models.Invitation)
class InvitationAdmin(RoundChoicesMixin, admin.ModelAdmin):
    list_display = [
        "email",
        "role",
        "local_project",
        "network",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["role", "accepted_at"]
    search_fields = ["email", "name", "local_project__name", "network__name"]
    readonly_fields = ["token_hash", "created_by", "created_at", "accepted_at", "accepted_by"]
    list_select_related = ["local_project", "network"]


# --- Project pages, stories, attachments ------------------------------------------------------
# Texts are written in the portal, where they are rendered and sanitised once; here they are
# read-only, so nothing unsanitised can reach a page. Administrators may unpublish a story.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProjectPageVersionInline(admin.TabularInline):
    model = models.ProjectPageVersion
    fields = ["number", "created_at", "author", "summary", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.ProjectPage)
class ProjectPageAdmin(ReadOnlyAdmin):
    list_display = ["local_project", "version", "current_version", "published_version"]
    list_filter = [
        ("local_project__network__theme", RoundRelatedFilter),
        ("local_project__network", RoundRelatedFilter),
    ]
    search_fields = ["local_project__name", "local_project__slug"]
    list_select_related = ["local_project", "current_version__page", "published_version__page"]
    readonly_fields = ["local_project", "version", "current_version", "published_version"]
    fields = [*readonly_fields, *models.PAGE_SECTION_KEYS]
    inlines = [ProjectPageVersionInline]


@admin.register(models.ProjectPageVersion)
class ProjectPageVersionAdmin(ReadOnlyAdmin):
    list_display = ["page", "number", "created_at", "author", "summary", "published_at"]
    list_filter = [
        ("published_at", admin.EmptyFieldListFilter),
        "page__local_project__network",
        "created_at",
    ]
    search_fields = ["page__local_project__name", "summary", "author__username"]
    list_select_related = ["page__local_project", "author"]
    date_hierarchy = "created_at"


class AttachmentInline(admin.TabularInline):
    model = models.Attachment
    fields = ["title", "original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "local_project", "date", "is_published", "author"]
    list_filter = [
        "is_published",
        ("local_project__network__theme", RoundRelatedFilter),
        ("local_project__network", RoundRelatedFilter),
    ]
    search_fields = ["title", "text", "local_project__name"]
    list_select_related = ["local_project", "author"]
    date_hierarchy = "date"
    fields = ["local_project", "title", "date", "text", "image_alt", "author", "is_published"]
    readonly_fields = ["local_project", "title", "date", "text", "image_alt", "author"]
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """An administrator's change (e.g. unpublishing) is a new version too, so that an
        editor's form opened before it cannot silently undo it (core.editing)."""
        obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(models.Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "local_project", "story", "kind", "size", "uploaded_at"]
    list_filter = ["kind", ("local_project__network", RoundRelatedFilter)]
    search_fields = ["title", "original_name", "local_project__name", "story__title"]
    list_select_related = ["local_project", "story"]
