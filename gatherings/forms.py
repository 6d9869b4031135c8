from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.editing import VersionedFormMixin
from core.files import check_document
from core.forms import (
    BidiSafeFormMixin,
    CheckedUploadMixin,
    SingleLineCharField,
    cleaned_as,
    optional_line,
)
from core.translated_fields import TranslatedTextFormMixin
from network.models import Person

from .models import (
    AgendaItem,
    Diet,
    Drinks,
    Gathering,
    GatheringKind,
    PreparationTask,
    Resource,
)
from .services import GATHERING_FIELDS, Answer, ItemData, RegistrationData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def day_label(day: date) -> str:
    return formats.date_format(day, "l j. F Y")


def time_label(value) -> str:
    return value.strftime("%H.%M")


class MonthField(forms.DateField):
    """A month as its first day, entered as YYYY-MM (``<input type="month">``)."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Year and month, e.g. 2012-09."))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class GatheringForm(
    TranslatedTextFormMixin, BidiSafeFormMixin, VersionedFormMixin, forms.ModelForm
):
    planned_month = MonthField(label=_("Planned month"), required=False)
    planned_month_last = MonthField(
        label=_("Planned month, last"),
        required=False,
        help_text=_("Only when the plan spans two months (e.g. April–May): the last month."),
    )

    class Meta:
        model = Gathering
        fields = GATHERING_FIELDS
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "registration_deadline": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "practical_info": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "end_date": _("Leave empty for a one-day gathering."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_start = self.instance.start_date if self.instance.pk else None
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind
            and kind != GatheringKind.THEME_DAY
            and Gathering.objects.filter(network=self.instance.network_id, kind=kind)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("kind", _("The network already has this gathering."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if end and not start:
            self.add_error("start_date", _("Give the first day when you give the last day."))
        elif start and end and end < start:
            self.add_error(
                "end_date",
                _("The last day (%(end)s) cannot be before the first day (%(start)s).")
                % {"end": formats.date_format(end), "start": formats.date_format(start)},
            )
        first_month, last_month = cleaned.get("planned_month"), cleaned.get("planned_month_last")
        if last_month and (not first_month or last_month <= first_month):
            self.add_error(
                "planned_month_last",
                _("The last planned month must come after the first planned month."),
            )
        deadline = cleaned.get("registration_deadline")
        last_day = end or start
        if deadline and last_day and deadline > last_day:
            self.add_error(
                "registration_deadline",
                _("The registration deadline must be on or before the gathering's last day."),
            )
        if self.instance.pk and not self.errors:
            self._check_programme_fits(start, last_day)
        return cleaned

    def _check_programme_fits(self, start, last_day) -> None:
        """The programme moves with the first day; it must still fit within the days."""
        if self.instance.is_published and not start:
            self.add_error("start_date", _("A published gathering must keep its dates."))
            return
        days = list(self.instance.agenda_items.values_list("date", flat=True).distinct())
        if not days:
            return
        if not start:
            self.add_error(
                "start_date", _("The gathering has a programme, so it must keep its dates.")
            )
            return
        shift = start - self.previous_start if self.previous_start else timedelta(0)
        outside = sorted({day + shift for day in days if not start <= day + shift <= last_day})
        if outside:
            self.add_error(
                "end_date",
                _(
                    "The programme has items on %(days)s, outside the new dates. Move or "
                    "delete those items first."
                )
                % {"days": ", ".join(day_label(day - shift) for day in outside)},
            )


class SpeakerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return f"{person.name} – {person.affiliation}" if person.affiliation else person.name

    def _check_values(self, value):
        """A number beyond 64 bits is an invalid choice, not a crash (SQLite cannot take it
        in the ``IN (...)`` query that checks the choices)."""
        for pk in value:
            if str(pk).lstrip("-").isdigit() and not -(2**63) <= int(pk) < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class AgendaItemForm(
    TranslatedTextFormMixin, BidiSafeFormMixin, VersionedFormMixin, forms.ModelForm
):
    date = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    chosen_speakers = SpeakerChoiceField(
        label=_("Speakers"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the directory of people. Add someone new below."),
    )
    new_speaker_name = optional_line(_("New speaker: name"))
    new_speaker_title = optional_line(_("New speaker: title"), _("E.g. Seniorrådgiver."))
    new_speaker_organisation = optional_line(
        _("New speaker: organisation"), _("E.g. KS or Lom kommune.")
    )

    class Meta:
        model = AgendaItem
        fields = ["date", "start", "end", "title", "kind", "description"]
        # Checked by the form as well: the model's checks run only when the form has no errors.
        field_classes = {"title": SingleLineCharField}
        widgets = {
            "start": TIME_WIDGET,
            "end": TIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "start": _("Leave empty when the time is not set yet."),
            "end": _("Optional."),
        }

    def __init__(self, *args, gathering: Gathering, **kwargs):
        super().__init__(*args, **kwargs)
        self.gathering = gathering
        days = gathering.days
        self.fields["date"].choices = [(day.isoformat(), day_label(day)) for day in days]
        if days:
            self.fields["date"].error_messages["invalid_choice"] = _(
                "Choose one of the gathering's days, %(first)s to %(last)s."
            ) % {"first": day_label(days[0]), "last": day_label(days[-1])}
        if self.instance.pk:
            self.initial["date"] = self.instance.date.isoformat()
            self.initial["chosen_speakers"] = [
                link.person_id for link in self.instance.speaker_links.all()
            ]
        self.fields["chosen_speakers"].queryset = Person.objects.select_related(
            "organisation"
        ).order_by("name", "pk")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if end and not start:
            self.add_error("start", _("Give a start time when you give an end time."))
        elif start and end and end <= start:
            self.add_error(
                "end",
                _("The end (%(end)s) must be after the start (%(start)s).")
                % {"end": time_label(end), "start": time_label(start)},
            )
        name = cleaned.get("new_speaker_name", "").strip()
        if not name and (
            cleaned.get("new_speaker_title") or cleaned.get("new_speaker_organisation")
        ):
            self.add_error("new_speaker_name", _("Give the new speaker's name."))
        return cleaned

    def _post_clean(self):
        # The model's own checks repeat the messages above; keep only the form's.
        if not self.errors:
            super()._post_clean()

    def item_data(self) -> ItemData:
        cleaned = self.cleaned_data
        name = cleaned["new_speaker_name"].strip()
        return cleaned_as(
            self,
            ItemData,
            speakers=list(cleaned["chosen_speakers"]),
            new_speaker={
                "name": name,
                "title": cleaned["new_speaker_title"].strip(),
                "organisation": cleaned["new_speaker_organisation"].strip(),
            }
            if name
            else None,
        )


class CopyProgrammeForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy the programme of"),
        queryset=Gathering.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, sources: list[Gathering], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        field.queryset = Gathering.objects.filter(pk__in=[g.pk for g in sources])
        labels = {
            g.pk: ngettext(
                "%(title)s – %(network)s (%(when)s, %(count)s item)",
                "%(title)s – %(network)s (%(when)s, %(count)s items)",
                g.item_count,
            )
            % {
                "title": g.display_title,
                "network": g.network.name,
                "when": g.when or "–",
                "count": g.item_count,
            }
            for g in sources
        }
        field.label_from_instance = lambda g: labels[g.pk]


class RegistrationForm(BidiSafeFormMixin, forms.Form):
    days = forms.TypedMultipleChoiceField(
        label=_("Days attending"),
        coerce=date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    dinner_days = forms.TypedMultipleChoiceField(
        label=_("Dinner"),
        coerce=date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    overnight = forms.BooleanField(label=_("Needs a room for the night"), required=False)
    settles_bill = forms.BooleanField(
        label=_("Settles the bill for the municipality"),
        required=False,
        help_text=_("One person per municipality takes the bill."),
    )
    drinks = forms.ChoiceField(
        label=_("With dinner"),
        choices=[("", _("No preference")), *Drinks.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    diets = forms.MultipleChoiceField(
        label=_("Dietary needs and allergies"),
        choices=Diet.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dietary_notes = forms.CharField(
        label=_("Other dietary needs or allergies"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, gathering: Gathering, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(day.isoformat(), day_label(day)) for day in gathering.days]
        self.fields["days"].choices = choices
        self.fields["dinner_days"].choices = choices
        if len(choices) == 1:
            self.fields["days"].initial = [choices[0][0]]

    @classmethod
    def initial_from(cls, registration) -> dict:
        names = [field.name for field in dataclasses.fields(RegistrationData)]
        return {name: getattr(registration, name) for name in names}

    def clean(self):
        cleaned = super().clean()
        days, dinners = set(cleaned.get("days") or []), set(cleaned.get("dinner_days") or [])
        if days and dinners - days:
            self.add_error("dinner_days", _("Choose dinner only on days you attend."))
        return cleaned

    def registration_data(self) -> RegistrationData:
        return cleaned_as(self, RegistrationData)


RATING_CHOICES = [
    ("5", _("5 – very good")),
    ("4", "4"),
    ("3", "3"),
    ("2", "2"),
    ("1", _("1 – poor")),
]


class EvaluationForm(BidiSafeFormMixin, forms.Form):
    """A rating (1–5) and a comment per agenda item, and a comment on the whole gathering;
    all optional."""

    def __init__(self, *args, items: list[AgendaItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.groups = []
        for item in [*items, None]:
            key = item.pk if item else "all"
            self.fields[f"rating_{key}"] = forms.TypedChoiceField(
                label=_("Rating"),
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                label=_("Comment"),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                required=False,
            )
            self.groups.append(
                {
                    "item": item,
                    "rating": self[f"rating_{key}"],
                    "comment": self[f"comment_{key}"],
                }
            )

    def clean(self):
        cleaned = super().clean()
        if not any(value not in (None, "") for value in cleaned.values()):
            raise forms.ValidationError(_("Give at least one rating or comment."))
        return cleaned

    def answers(self):
        return [
            Answer(
                agenda_item=item,
                rating=self.cleaned_data.get(f"rating_{item.pk if item else 'all'}") or None,
                comment=self.cleaned_data.get(f"comment_{item.pk if item else 'all'}", ""),
            )
            for item in [*self.items, None]
        ]


class TaskForm(BidiSafeFormMixin, forms.ModelForm):
    class Meta:
        model = PreparationTask
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"title": _("E.g. «Presentasjon i plenum».")}


class DocumentField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("PDF, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX), up to 20 MB.")
        )
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx"}))
        super().__init__(**kwargs)


class MaterialForm(CheckedUploadMixin, forms.Form):
    title = SingleLineCharField(label=_("Title"), max_length=200, help_text=_("E.g. «Lysark»."))
    file = DocumentField(label=_("File"))

    def clean_file(self):
        return self.checked_upload("file", check_document)


class ResourceForm(CheckedUploadMixin, BidiSafeFormMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A web address – or upload a document below."),
    )
    upload = DocumentField(label=_("Document"), required=False)

    class Meta:
        model = Resource
        fields = ["kind", "theme", "title", "description", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if themes is None:
            del self.fields["theme"]
        else:
            self.fields["theme"].queryset = themes
            self.fields["theme"].empty_label = _("All themes")

    def clean_upload(self):
        return self.checked_upload("upload", check_document)

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("upload")) or bool(self.instance.file)
        url = cleaned.get("url")
        if cleaned.get("upload") and url:
            self.add_error("url", _("Give either a link or a document, not both."))
        elif not url and not has_file:
            self.add_error("url", _("Give a link or upload a document."))
        return cleaned
