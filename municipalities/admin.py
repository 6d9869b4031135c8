from django.contrib import admin

from .models import County, Invitation, LocalProject, Municipality, Participant


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["number", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county"]
    list_filter = ["county"]
    search_fields = ["number", "name"]
    list_select_related = ["county"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = [
        "name",
        "function",
        "role",
        "municipality",
        "email",
        "phone",
        "is_project_leader",
        "user",
    ]
    autocomplete_fields = ["municipality", "user"]


@admin.register(LocalProject)
class LocalProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "network"]
    list_filter = ["network__theme", "network"]
    search_fields = ["name", "slug", "municipalities__name", "municipalities__number"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    list_select_related = ["network"]
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "function", "local_project", "is_project_leader"]
    list_filter = ["role", "is_project_leader", "local_project__network"]
    search_fields = ["name", "function", "email", "local_project__name"]
    autocomplete_fields = ["local_project", "municipality", "user"]
    list_select_related = ["local_project"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
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
