from __future__ import annotations

import functools
import unicodedata
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import SpreadsheetError
from measurements.models import MeasurementRound

from .addresses import (
    MAX_FILE_BYTES,
    AddressFileProblem,
    AddressList,
    addresses_in_file,
    addresses_in_text,
)
from .models import SCALE, WORD_MAX, Statement, SurveyRun, TargetGroup
from .services import MAX_INVITATIONS_PER_RUN

#: The value the «don't know» radio button sends; stored as NULL.
DONT_KNOW = "0"
#: Addresses in one upload: sending happens while the leader waits.
MAX_ADDRESSES = 3000
MESSAGE_MAX = 1000

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Characters that are never part of a word: control, surrogate, private-use and unassigned
#: code points, and invisible formatting (except the joiners inside emoji and some scripts).
_REFUSED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def _date(day) -> str:
    return date_format(day, "DATE_FORMAT")


def check_run_dates(form: forms.Form, round: MeasurementRound, opens_on, closes_on) -> None:
    """A run closes on or after it opens, not in the past, and inside its round (so closing
    it writes into an open round)."""
    if opens_on is None or closes_on is None:
        return
    if closes_on < opens_on:
        form.add_error("closes_on", gettext("The survey cannot close before it opens."))
    elif closes_on < timezone.localdate():
        form.add_error("closes_on", gettext("The close date has passed. Choose a later date."))
    elif not round.opens_on <= closes_on <= round.closes_on:
        form.add_error(
            "closes_on",
            gettext(
                "Close the survey while %(round)s is open, between %(opens)s and %(closes)s: "
                "closing it writes the results into that round."
            )
            % {
                "round": round.name,
                "opens": _date(round.opens_on),
                "closes": _date(round.closes_on),
            },
        )


class RunForm(forms.Form):
    """Open a survey run: the round and target group (one run of each pair per project), the
    dates, and whether the open link takes answers."""

    round = forms.ModelChoiceField(
        label=_("Measurement round"),
        queryset=MeasurementRound.objects.none(),
        empty_label=None,
        help_text=_("Closing the survey writes its results into this round."),
    )
    target_group = forms.ChoiceField(
        label=_("Who answers"), choices=TargetGroup.choices, widget=forms.RadioSelect
    )
    opens_on = forms.DateField(label=_("Open from"), widget=_DATE)
    closes_on = forms.DateField(label=_("Open until"), widget=_DATE)
    accepts_open_link = forms.BooleanField(
        label=_("Also take answers through an open link"),
        required=False,
        initial=False,
        help_text=_(
            "Anyone with the open link can answer, a few times an hour from one network. A "
            "survey with answers through it is labelled «open link» and does not give the "
            "official reputation index: only one-time invitation links sent by e-mail do."
        ),
    )

    def __init__(self, *args, project, rounds, taken: set[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.taken = taken
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: (
            f"{r.name} ({_date(r.opens_on)} – {_date(r.closes_on)})"
        )
        today = timezone.localdate()
        first = rounds.first()
        self.fields["opens_on"].initial = today
        if first is not None:
            self.fields["round"].initial = first.pk
            self.fields["closes_on"].initial = min(first.closes_on, today + timedelta(days=28))

    def clean(self):
        cleaned = super().clean()
        round, group = cleaned.get("round"), cleaned.get("target_group")
        if round is not None and group and (round.pk, group) in self.taken:
            self.add_error(
                "target_group",
                gettext("%(round)s already has a survey of %(group)s.")
                % {"round": round.name, "group": TargetGroup(group).label.lower()},
            )
        if round is not None:
            check_run_dates(self, round, cleaned.get("opens_on"), cleaned.get("closes_on"))
        return cleaned


class RunUpdateForm(forms.ModelForm):
    class Meta:
        model = SurveyRun
        fields = ["opens_on", "closes_on", "accepts_open_link"]
        widgets = {"opens_on": _DATE, "closes_on": _DATE}

    def clean(self):
        cleaned = super().clean()
        check_run_dates(
            self, self.instance.round, cleaned.get("opens_on"), cleaned.get("closes_on")
        )
        return cleaned


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, run: SurveyRun, writes: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not (writes and run.round.is_closed):
            del self.fields["reason"]
        else:
            self.fields["reason"].help_text = gettext(
                "%(round)s closed on %(date)s, so its values are locked: writing the survey's "
                "results is a correction. Say why; the reason is kept in the history."
            ) % {"round": run.round.name, "date": _date(run.round.closes_on)}


class InvitationForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Paste them one a line, or separated by commas or semicolons."),
    )
    file = forms.FileField(
        label=_("Or a file of addresses (CSV, text or XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        help_text=_("Every cell or word that holds «@» is taken for an address."),
    )
    message = forms.CharField(
        label=_("A few words of your own (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Put at the top of the e-mail, above the link."),
    )
    nonce = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, run: SurveyRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        self.found = AddressList()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            try:
                addresses_in_file(upload.read(MAX_FILE_BYTES + 1), self.found)
            except AddressFileProblem as problem:
                self.add_error("file", _FILE_PROBLEMS[str(problem)])
            except SpreadsheetError as error:
                self.add_error("file", error.message)
        addresses_in_text(cleaned.get("addresses", ""), self.found)
        if self.found.invalid:
            shown = ", ".join(self.found.invalid[:20])
            more = len(self.found.invalid) - 20
            text = gettext("These are not valid e-mail addresses: %(addresses)s.") % {
                "addresses": shown
            }
            if more > 0:
                text += " " + gettext("And %(count)s more.") % {"count": more}
            self.add_error("addresses", text + " " + gettext("Correct them; nothing was sent."))
        elif not self.found.valid and not self.errors:
            self.add_error("addresses", gettext("Give at least one e-mail address."))
        elif len(self.found.valid) > MAX_ADDRESSES:
            self.add_error(
                "addresses",
                gettext("At most %(limit)s addresses at a time; split the list.")
                % {"limit": MAX_ADDRESSES},
            )
        elif self.run.invitations_sent + len(self.found.valid) > MAX_INVITATIONS_PER_RUN:
            self.add_error(
                "addresses",
                gettext("A survey sends at most %(limit)s invitations; %(sent)s have been sent.")
                % {"limit": MAX_INVITATIONS_PER_RUN, "sent": self.run.invitations_sent},
            )
        return cleaned


_FILE_PROBLEMS = {
    "too_large": _("The file is larger than 2 MB."),
    "not_text": _("The file is not a list of addresses: upload CSV, text or XLSX."),
    "unreadable_xlsx": _("The Excel file cannot be read. Save it again, or paste the addresses."),
}


# --- Answering ----------------------------------------------------------------------------------


class WordField(forms.CharField):
    """One of the three words: at most ``WORD_MAX`` characters of text, no markup characters,
    nothing invisible or unreadable."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=WORD_MAX,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "class": "np-survey-word"}),
            **kwargs,
        )
        self.error_messages["max_length"] = _(
            "Write at most %(limit_value)d characters: a word or two."
        )

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFC", " ".join(value.split()))

    def validate(self, value):
        super().validate(value)
        if "\ufffd" in value:
            raise ValidationError(
                _("Some characters could not be read. Write the word again."), code="unreadable"
            )
        if any(
            unicodedata.category(c) in _REFUSED_CATEGORIES
            or (unicodedata.category(c) == "Cf" and c not in _ALLOWED_FORMAT)
            for c in value
        ):
            raise ValidationError(
                _("Remove the invisible or control characters."), code="control_characters"
            )
        if "<" in value or ">" in value:
            raise ValidationError(_("Write words only, without < or >."), code="markup")


_SCALE_CHOICES = [(str(value), str(value)) for value in SCALE] + [(DONT_KNOW, _("Don't know"))]
_SCALE_MESSAGE = _("Choose a number from 1 to 6, or «Don't know».")


@functools.lru_cache(maxsize=256)
def _statement_fields(labels: tuple[tuple[int, str], ...]) -> dict[str, forms.ChoiceField]:
    """The rating fields of statements ``(pk, label)``, built once per worker and text (not for
    every answer) and shared by the forms: nothing may change them (a form may replace its own
    ``fields`` entries, never change a field in them)."""
    return {
        f"s{pk}": forms.ChoiceField(
            label=label,
            choices=_SCALE_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": _SCALE_MESSAGE, "invalid_choice": _SCALE_MESSAGE},
        )
        for pk, label in labels
    }


class AnswerForm(forms.Form):
    """The questionnaire: each statement 1–6 or «don't know» (every one must be answered), and
    the three words (optional)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    invitation = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    word_1 = WordField(label=_("Word 1"))
    word_2 = WordField(label=_("Word 2"))
    word_3 = WordField(label=_("Word 3"))

    def __init__(self, *args, run: SurveyRun, statements: list[Statement], language: str, **kw):
        super().__init__(*args, **kw)
        self.run = run
        self.statements = statements
        self.fields["revision"].initial = run.questionnaire.revision
        labels = tuple((s.pk, s.text(language).rstrip(".")) for s in statements)
        self.fields = {**_statement_fields(labels), **self.fields}
        self.words_question = run.questionnaire.words_question(language)

    @property
    def statement_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups: list[tuple[str, list[forms.BoundField]]] = []
        for statement in self.statements:
            label = statement.get_group_display()
            if not groups or groups[-1][0] != label:
                groups.append((label, []))
            groups[-1][1].append(self[f"s{statement.pk}"])
        return groups

    @property
    def word_fields(self) -> list[forms.BoundField]:
        return [self["word_1"], self["word_2"], self["word_3"]]

    def clean(self):
        cleaned = super().clean()
        revision = cleaned.get("revision")
        current = self.run.questionnaire.revision
        if revision is not None and revision != current:
            # Shown again with the current revision, so that sending again is accepted.
            self.data = self.data.copy()
            self.data["revision"] = str(current)
            raise ValidationError(
                gettext(
                    "The questionnaire was changed while you answered. Check your answers "
                    "against the statements as they are now, and send again."
                ),
                code="changed",
            )
        return cleaned

    def answers(self) -> dict[int, int | None]:
        return {
            s.pk: None
            if self.cleaned_data[f"s{s.pk}"] == DONT_KNOW
            else int(self.cleaned_data[f"s{s.pk}"])
            for s in self.statements
        }

    def words(self) -> tuple[str, str, str]:
        return (
            self.cleaned_data["word_1"],
            self.cleaned_data["word_2"],
            self.cleaned_data["word_3"],
        )
