from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.translated_fields import in_default_language

from .forms import (
    NetworkChoiceField,
    NetworkMultipleChoiceField,
    ProgrammeChoiceField,
    ProgrammeMultipleChoiceField,
    ThemeChoiceField,
    ThemeMultipleChoiceField,
    in_round_label,
    programme_label,
)
from .models import (
    DeletionRequest,
    Network,
    Organisation,
    Person,
    Programme,
    Theme,
    User,
)

# --- Choice lists that name the programme round -------------------------------------------


class RoundChoicesMixin:
    """Every theme and network in a form's choice lists names its programme round
    (``network.forms.in_round_label``); an app's admin adds its own models to
    ``round_choice_fields``: model → (choice field, multiple choice field, joins)."""

    round_choice_fields = {
        Programme: (ProgrammeChoiceField, ProgrammeMultipleChoiceField, ()),
        Theme: (ThemeChoiceField, ThemeMultipleChoiceField, ("programme",)),
        Network: (NetworkChoiceField, NetworkMultipleChoiceField, ("programme",)),
    }

    def _round_choices(self, db_field, request, kwargs, *, multiple: bool) -> None:
        spec = self.round_choice_fields.get(db_field.related_model)
        if spec is None or db_field.name in self.get_autocomplete_fields(request):
            return
        if db_field.name in self.raw_id_fields:
            return
        single_class, multiple_class, joins = spec
        kwargs.setdefault("form_class", multiple_class if multiple else single_class)
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = db_field.related_model._default_manager.all()
            kwargs["queryset"] = queryset.select_related(*joins)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._round_choices(db_field, request, kwargs, multiple=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._round_choices(db_field, request, kwargs, multiple=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RoundRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter by programme, theme or network whose choices name the programme round:
    ``list_filter = [("network__theme", RoundRelatedFilter)]``. A higher app's subclass adds
    its own models to ``labels`` (model → label function; the model has a ``programme``
    unless it is in ``without_programme``)."""

    labels = {Programme: programme_label, Theme: in_round_label, Network: in_round_label}
    without_programme = (Programme,)

    def field_choices(self, field, request, model_admin):
        label = self.labels.get(field.related_model)
        if label is None:
            return super().field_choices(field, request, model_admin)
        queryset = field.related_model._default_manager.all()
        if field.related_model not in self.without_programme:
            queryset = queryset.select_related("programme")
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, label(obj)) for obj in queryset]


# --- Texts in three languages ---------------------------------------------------------------


class TranslatedTextsAdmin(TranslationAdmin):
    """The admin of a model with texts in Bokmål, Nynorsk and English (``translation.py`` of
    its app): each text is a field per language, «name (Bokmål)», «name (Nynorsk)», «name
    (English)», Bokmål required where the text is; an empty translation shows the Bokmål text.
    Search looks in every language. Saving is done in Bokmål, so that the text's own column
    (which queries through other models read, e.g. local projects ordered by their network's
    name) holds the Bokmål text whatever the admin's language."""

    def get_search_fields(self, request):
        return self.replace_orig_field(super().get_search_fields(request))

    def save_model(self, request, obj, form, change):
        with in_default_language():
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        with in_default_language():
            super().save_formset(request, form, formset, change)


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


class ThemeInline(RoundChoicesMixin, TranslationTabularInline):
    model = Theme
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(TranslatedTextsAdmin):
    list_display = ["name", "start_year", "end_year", "is_current"]
    search_fields = ["name"]
    list_filter = ["is_current"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(RoundChoicesMixin, TranslatedTextsAdmin):
    list_display = ["name", "programme", "position"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
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
class NetworkAdmin(RoundChoicesMixin, TranslatedTextsAdmin):
    """The theme must be one of the network's programme's themes: ``Network.clean`` checks it
    (``services.check_theme_in_programme``), and the theme list names each theme's round."""

    list_display = ["name", "theme", "region", "facilitator", "programme"]
    list_filter = ["programme", ("theme", RoundRelatedFilter), "facilitator"]
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
