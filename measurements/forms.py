from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedFormMixin
from core.forms import BidiSafeFormMixin, labelled_choice_fields
from core.norwegian import slugify_nb
from core.spreadsheets import XLSX_TYPE
from network.forms import in_round_label

from .models import Indicator, MeasurementRound, RoundKind
from .numbers import UNIT_RULES, ValueProblem, format_value, input_text, parse_value
from .selectors import ReportData, stage_choices
from .value_import import MAX_BYTES

# --- Choice lists that name the programme round -------------------------------------------


#: «Nullpunkt – Saman om ein betre kommune (2012–2013)»: every round has a baseline.
round_label = in_round_label
MeasurementRoundChoiceField, MeasurementRoundMultipleChoiceField = labelled_choice_fields(
    in_round_label
)


NOTE_MAX = 2000


class ValueInput(forms.TextInput):
    """A text input for a number: a decimal comma must be allowed, so not type=number."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": "30", **(attrs or {})}
        )


class IndicatorValueField(forms.Field):
    """A value of an indicator of ``unit``: «7,5» or «7.5», checked for the unit; blank
    gives None."""

    widget = ValueInput

    def __init__(self, *, unit: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.unit = unit

    def to_python(self, value):
        try:
            return parse_value(value, self.unit)
        except ValueProblem as problem:
            raise ValidationError(problem.message, code=problem.code) from problem

    def prepare_value(self, value):
        return input_text(value) if isinstance(value, Decimal) else value


def _value_help(indicator: Indicator, extra: str = "") -> str:
    parts = [
        f"{indicator.get_direction_display()}.",
        indicator.definition,
        str(UNIT_RULES[indicator.unit]),
        gettext("Decimal comma or point."),
        extra,
    ]
    # The crispy pack renders help text unescaped; definitions are typed by project leaders.
    return escape(" ".join(str(part) for part in parts if part))


class RoundReportForm(BidiSafeFormMixin, VersionedFormMixin, forms.Form):
    """All of a project's indicators for one round, and its anchoring stage, in one form.
    A blank value is «not reported»; clearing a saved value removes it."""

    stage = forms.TypedChoiceField(
        label=_("Stage on the anchoring ladder"),
        help_text=_(
            "Where is the project anchored in the organisation now? From awareness to "
            "acceptance and ownership."
        ),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    stage_note = forms.CharField(
        label=_("Note on the anchoring stage"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, report: ReportData, round: MeasurementRound, **kwargs):
        self.report = report
        self.round = round
        initial = {}
        for indicator in report.indicators:
            existing = report.existing.get(indicator.pk)
            if existing is not None:
                initial[f"value_{indicator.pk}"] = existing.value
                initial[f"note_{indicator.pk}"] = existing.note
        if report.anchoring is not None:
            initial["stage"] = report.anchoring.stage
            initial["stage_note"] = report.anchoring.note
        kwargs.setdefault("version", report.version)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["stage"].choices = [("", gettext("Not assessed")), *stage_choices()]
        for indicator in report.indicators:
            baseline = ""
            if indicator.pk in report.baseline_values and report.baseline is not None:
                baseline = gettext("%(round)s: %(value)s.") % {
                    "round": report.baseline.name,
                    "value": format_value(report.baseline_values[indicator.pk], indicator.unit),
                }
            self.fields[f"value_{indicator.pk}"] = IndicatorValueField(
                unit=indicator.unit,
                label=_label(indicator),
                help_text=_value_help(indicator, baseline),
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=gettext("Note on %(indicator)s") % {"indicator": indicator.name},
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if round.is_closed:
            self.fields["reason"].required = False
            self.fields["reason"].help_text = gettext(
                "The round closed on %(date)s, so its values are locked. Say why they are "
                "corrected; the reason is kept in the history."
            ) % {"date": date_format(round.closes_on, "DATE_FORMAT")}
        else:
            del self.fields["reason"]
        self.order_fields(
            [f"{kind}_{i.pk}" for i in report.indicators for kind in ("value", "note")]
            + ["stage", "stage_note", "reason", "loaded_version"]
        )

    @property
    def reason_field(self):
        return self["reason"] if "reason" in self.fields else None

    def entries(self):
        """``[(indicator, value field, note field)]`` for the template."""
        return [
            (indicator, self[f"value_{indicator.pk}"], self[f"note_{indicator.pk}"])
            for indicator in self.report.indicators
        ]

    def values(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            i.pk: (
                self.cleaned_data.get(f"value_{i.pk}"),
                self.cleaned_data.get(f"note_{i.pk}", ""),
            )
            for i in self.report.indicators
        }

    def has_changes(self) -> bool:
        for indicator in self.report.indicators:
            existing = self.report.existing.get(indicator.pk)
            value, note = self.values()[indicator.pk]
            if existing is None and value is not None:
                return True
            if existing is not None and (
                value is None or (value, note) != (existing.value, existing.note)
            ):
                return True
        anchoring = self.report.anchoring
        stage, stage_note = self.cleaned_data.get("stage"), self.cleaned_data.get("stage_note", "")
        if anchoring is None:
            return stage is not None
        return stage is None or (stage, stage_note) != (anchoring.stage, anchoring.note)

    def clean(self):
        cleaned = super().clean()
        needs_reason = self.round.is_closed and not self.errors and self.has_changes()
        if needs_reason and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason",
                gettext(
                    "The round is closed: give a reason for the correction, or leave the "
                    "values as they were."
                ),
            )
        return cleaned


def _label(indicator: Indicator) -> str:
    return f"{indicator.name} ({indicator.get_unit_display()})"


class GoalsForm(VersionedFormMixin, forms.Form):
    """A target value and date for each of the project's indicators; both blank removes
    the goal."""

    def __init__(self, *args, indicators: list[Indicator], goals: dict, version: int, **kwargs):
        self.indicators = indicators
        initial = {}
        for indicator_id, goal in goals.items():
            initial[f"target_{indicator_id}"] = goal.target_value
            initial[f"date_{indicator_id}"] = goal.target_date
        super().__init__(*args, initial=initial, version=version, **kwargs)
        for indicator in indicators:
            self.fields[f"target_{indicator.pk}"] = IndicatorValueField(
                unit=indicator.unit,
                label=gettext("Target for %(indicator)s") % {"indicator": _label(indicator)},
                help_text=_value_help(indicator),
            )
            self.fields[f"date_{indicator.pk}"] = forms.DateField(
                label=gettext("Target date for %(indicator)s") % {"indicator": indicator.name},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        self.order_fields(
            [f"{kind}_{i.pk}" for i in indicators for kind in ("target", "date")]
            + ["loaded_version"]
        )

    def entries(self):
        return [
            (indicator, self[f"target_{indicator.pk}"], self[f"date_{indicator.pk}"])
            for indicator in self.indicators
        ]

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            target_key, date_key = f"target_{indicator.pk}", f"date_{indicator.pk}"
            if target_key in self.errors or date_key in self.errors:
                continue
            target, day = cleaned.get(target_key), cleaned.get(date_key)
            if target is not None and day is None:
                self.add_error(date_key, gettext("Give the date the target is to be reached by."))
            elif day is not None and target is None:
                self.add_error(target_key, gettext("Give the target value, or clear the date."))
        return cleaned

    def goals(self):
        return {
            i.pk: (
                (self.cleaned_data[f"target_{i.pk}"], self.cleaned_data[f"date_{i.pk}"])
                if self.cleaned_data.get(f"target_{i.pk}") is not None
                else None
            )
            for i in self.indicators
        }


class OwnIndicatorForm(BidiSafeFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "definition", "source"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "definition": _("What is counted, and how, so the end measurement counts the same."),
            "source": _("Where the number comes from, e.g. the payroll system."),
        }

    def __init__(self, *args, local_project, **kwargs):
        super().__init__(*args, **kwargs)
        self.local_project = local_project

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Indicator.objects.for_project(self.local_project).exclude(pk=self.instance.pk)
        if any(
            existing.casefold() == name.casefold()
            for existing in taken.values_list("name", flat=True)
        ):
            raise ValidationError(gettext("The project already has an indicator by that name."))
        return name

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if self.instance.pk and unit != self.instance.unit and self.instance.measurements.exists():
            raise ValidationError(
                gettext("The indicator has values already; its unit can no longer change.")
            )
        return unit


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        allow_empty_file=True,
        help_text=_(
            "The first row names the columns: kommunenummer or prosjekt, indikator, måling, "
            "verdi and, if you like, merknad. Decimal commas are fine."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": f".csv,.xlsx,text/csv,{XLSX_TYPE}"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                gettext("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ImportConfirmForm(BidiSafeFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the corrections"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Some values belong to rounds that have closed. Say why they are corrected; the "
            "reason is kept in the history."
        ),
    )

    def __init__(self, *args, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_reason:
            del self.fields["reason"]

    @property
    def reason_field(self):
        return self["reason"] if "reason" in self.fields else None

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(gettext("Give a reason for the corrections."))
        return reason


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects (a list, or a queryset read once when first needed): unlike a
    ``ModelChoiceField`` it neither reads its choices again to show them nor the chosen one
    to validate it. Cleans to the object (None for the empty choice); ``key`` names the
    attribute sent as the value."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *, key: str, empty_label=None, **kwargs):
        self.key = key
        self.empty_label = empty_label
        self._source = ()
        self._objects: dict[str, object] | None = None
        super().__init__(choices=self._choices_of_objects, **kwargs)

    def set_objects(self, objects) -> None:
        self._source = objects
        self._objects = None

    @property
    def objects(self) -> dict[str, object]:
        if self._objects is None:
            self._objects = {str(getattr(obj, self.key)): obj for obj in self._source}
        return self._objects

    def _choices_of_objects(self) -> list[tuple[str, str]]:
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        return empty + [(value, str(obj)) for value, obj in self.objects.items()]

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)
        field.choices = field._choices_of_objects
        return field

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class OverviewFilterForm(forms.Form):
    """Filters of the overview; deliberately no ordering – projects are never ranked."""

    tema = ObjectChoiceField(
        key="slug", required=False, label=_("Theme"), empty_label=_("All themes")
    )
    nettverk = ObjectChoiceField(
        key="slug", required=False, label=_("Network"), empty_label=_("All networks")
    )
    fylke = ObjectChoiceField(
        key="number", required=False, label=_("County"), empty_label=_("All counties")
    )

    def __init__(self, *args, themes, networks, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tema"].set_objects(themes)
        self.fields["nettverk"].set_objects(networks)
        self.fields["fylke"].set_objects(counties)

    def filter(self, projects):
        if not self.is_valid():
            return projects
        data = self.cleaned_data
        if data["tema"]:
            projects = projects.filter(network__theme=data["tema"])
        if data["nettverk"]:
            projects = projects.filter(network=data["nettverk"])
        if data["fylke"]:
            projects = projects.filter(municipalities__county=data["fylke"]).distinct()
        return projects


class ProgrammeChoiceForm(forms.Form):
    """Which programme round the measurement pages follow (``?program=<slug>``)."""

    program = ObjectChoiceField(key="slug", label=_("Programme"))

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].set_objects(programmes)


class RoundChoiceForm(forms.Form):
    maling = ObjectChoiceField(key="slug", label=_("Measurement round"), required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maling"].set_objects(rounds)


class ReminderForm(BidiSafeFormMixin, forms.Form):
    """Which projects to remind about a round, and an optional word of your own."""

    maling = forms.ModelChoiceField(
        queryset=MeasurementRound.objects.none(), to_field_name="slug", widget=forms.HiddenInput
    )
    prosjekt = forms.TypedMultipleChoiceField(
        label=_("Local projects to remind"),
        coerce=int,
        choices=[],
        error_messages={"required": _("Choose at least one local project to remind.")},
    )
    melding = forms.CharField(
        label=_("Your message (optional)"),
        help_text=_("Added to the standard reminder text."),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rounds, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maling"].queryset = rounds
        self.fields["prosjekt"].choices = [(p.pk, p.name) for p in projects]


class RoundForm(forms.ModelForm):
    class Meta:
        model = MeasurementRound
        fields = [
            "name",
            "slug",
            "kind",
            "opens_on",
            "closes_on",
            "position",
            "remind_before_close",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "slug": _("Used in addresses and import files; made from the name when left empty."),
            "closes_on": _("After this day the values are locked: changes need a reason."),
            "position": _("Order of the rounds on the progress pages."),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug") or slugify_nb(cleaned.get("name") or "")
        cleaned["slug"] = slug
        others = MeasurementRound.objects.filter(programme=self.programme).exclude(
            pk=self.instance.pk
        )
        if slug and others.filter(slug=slug).exists():
            self.add_error("slug", gettext("The programme already has a round with this slug."))
        kind = cleaned.get("kind")
        if kind in (RoundKind.BASELINE, RoundKind.END) and others.filter(kind=kind).exists():
            self.add_error(
                "kind",
                gettext("The programme already has a round of this kind."),
            )
        return cleaned
