from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    DeletionRequest,
    Network,
    Organisation,
    Person,
    Programme,
    Theme,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_programme_staff",
        "is_superuser",
    ]
    list_filter = ["is_programme_staff", "is_superuser", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Programme role"), {"fields": ["is_programme_staff"]}),
    )


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "is_current"]
    search_fields = ["name"]
    list_filter = ["is_current"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "position"]
    list_filter = ["programme"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name"]
    search_fields = ["name", "full_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "user"]
    list_filter = ["organisation"]
    search_fields = ["name", "title", "organisation__name", "email"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "region", "facilitator", "programme"]
    list_filter = ["programme", "theme", "facilitator"]
    search_fields = ["name", "region", "facilitator__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["facilitator"]
    list_select_related = ["theme", "facilitator", "programme"]


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are confirmed on /mine-sider/sletting/, which erases every app's
    data about the person (network.services.confirm_deletion), not by editing them here."""

    list_display = ["__str__", "requested_at", "confirmed_at", "confirmed_by"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
