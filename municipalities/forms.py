from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedFormMixin, normalise_newlines
from core.files import check_document, check_image
from core.forms import BidiSafeFormMixin, SingleLineCharField

from .models import PAGE_SECTION_KEYS, PAGE_SECTIONS, County, Participant, ProjectPage, Story
from .participant_import import MAX_IMPORT_FILE_SIZE, find_duplicate, participant_value_errors

MARKUP_HELP = _(
    "Formatting: an empty line between paragraphs; «## Heading»; «- » for a list, «1. » for a "
    "numbered list; *italic*, **bold**; [link text](https://address); «> » for a quotation."
)


class CountyFilterForm(forms.Form):
    fylke = forms.ModelChoiceField(
        queryset=County.objects.none(),
        required=False,
        label=_("County"),
        empty_label=_("All counties"),
        to_field_name="number",
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fylke"].queryset = counties


#: The longest text of a page section or a story, in characters: rendering the markup takes
#: time in proportion (about a second per 200,000 characters), and a request must not hold a
#: worker.
LONG_TEXT_MAX = 50_000


def _limit_length(field: forms.Field) -> None:
    field.max_length = LONG_TEXT_MAX
    field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
    field.widget.attrs["maxlength"] = str(LONG_TEXT_MAX)


class ProjectPageForm(BidiSafeFormMixin, VersionedFormMixin, forms.ModelForm):
    """The sections of a project page. ``publishing``: the editor pressed «Save and publish»,
    which needs a change summary."""

    summary = SingleLineCharField(
        label=_("Change summary"),
        max_length=200,
        required=False,
        help_text=_("What changed, in a sentence. Needed to publish; shown in the history."),
    )

    class Meta:
        model = ProjectPage
        fields = list(PAGE_SECTION_KEYS)
        widgets = {
            key: forms.Textarea(attrs={"rows": 6, "data-markup": ""}) for key in PAGE_SECTION_KEYS
        }

    def __init__(self, *args, publishing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.publishing = publishing
        for key, _label, question in PAGE_SECTIONS:
            self.fields[key].help_text = question
            _limit_length(self.fields[key])

    def clean(self):
        cleaned = super().clean()
        for key in PAGE_SECTION_KEYS:
            if key in cleaned:
                cleaned[key] = normalise_newlines(cleaned[key] or "").strip()
        if self.publishing:
            if not cleaned.get("summary"):
                self.add_error(
                    "summary", _("Write a short summary of what changed before you publish.")
                )
            if not any(cleaned.get(key) for key in PAGE_SECTION_KEYS):
                self.add_error(None, _("Write at least one section before you publish the page."))
        return cleaned

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in PAGE_SECTION_KEYS}


class VersionCompareForm(forms.Form):
    """Which two saved versions of a page to compare (``?fra=1&til=3``)."""

    fra = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    til = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, _("Version %(number)d") % {"number": number}) for number in numbers]
        self.fields["fra"].choices = choices
        self.fields["til"].choices = choices


class ParticipantForm(forms.ModelForm):
    """A participant. ``municipality`` only for a joint project; ``is_project_leader`` only for
    those who may give the right to edit the project (``municipalities.set_project_leader``);
    ``listed_publicly`` only for a participant without an account (one with an account decides
    it themselves under «My data»)."""

    class Meta:
        model = Participant
        fields = [
            "name",
            "function",
            "role",
            "municipality",
            "email",
            "phone",
            "is_project_leader",
            "listed_publicly",
        ]
        widgets = {
            "role": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "is_project_leader": _(
                "A project leader with a user account may edit the project's page, "
                "participants and stories."
            ),
            "listed_publicly": _(
                "Tick only if the participant has agreed. Shown once the project page is "
                "published; participants can change it themselves under «My data»."
            ),
        }
        labels = {
            "listed_publicly": _("The participant agrees to be named on the public project page"),
        }

    def __init__(self, *args, project, can_set_leader: bool, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = list(project.municipalities.all())
        if len(municipalities) > 1:
            field = self.fields["municipality"]
            field.queryset = project.municipalities.all()
            field.empty_label = _("Not given")
            field.help_text = _("The municipality the person comes from.")
        else:
            del self.fields["municipality"]
        if not can_set_leader:
            del self.fields["is_project_leader"]
        if self.instance.user_id is not None:
            # A participant with an account decides themselves under «My data».
            del self.fields["listed_publicly"]
        self.fields["role"].choices = [
            choice for choice in self.fields["role"].choices if choice[0]
        ]
        self.project = project
        # Shown as a checkbox only when the person is already registered (see clean()).
        self.fields["add_anyway"] = forms.BooleanField(
            label=_("Add anyway"), required=False, widget=forms.HiddenInput
        )

    def clean(self):
        """The same checks as the import (:func:`participant_value_errors`), and a warning
        when the project already has a participant with this name and e-mail address: the
        editor confirms with «Add anyway», so no one is registered twice by mistake."""
        cleaned = super().clean()
        typed = {
            key: self.data.get(self.add_prefix(key), "").strip()
            for key in ("name", "function", "email", "phone")
            if key in self.fields
        }
        for key, message in participant_value_errors(typed):
            if key in self.fields and key not in self.errors:
                self.add_error(key, message)
        name, email = cleaned.get("name"), cleaned.get("email") or ""
        identity_changed = not self.instance.pk or {"name", "email"} & set(self.changed_data)
        if name and identity_changed and not self.errors:
            duplicate = find_duplicate(
                self.project, name=name, email=email, exclude_pk=self.instance.pk
            )
            if duplicate is not None:
                self.fields["add_anyway"].widget = forms.CheckboxInput()
                if not cleaned.get("add_anyway"):
                    self.add_error(
                        "add_anyway",
                        _(
                            "%(name)s with the e-mail address «%(email)s» is already a "
                            "participant of this project. Tick «Add anyway» to register the "
                            "person once more."
                        )
                        % {"name": duplicate.name, "email": duplicate.email}
                        if duplicate.email
                        else _(
                            "%(name)s, without an e-mail address, is already a participant of "
                            "this project. Tick «Add anyway» to register the person once more."
                        )
                        % {"name": duplicate.name},
                    )
        return cleaned


class ParticipantEditForm(VersionedFormMixin, ParticipantForm):
    pass


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participant list"),
        help_text=_("A CSV file (separated by ; or ,) or an Excel workbook (.xlsx), at most 2 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is too large for a participant list (at most 2 MB).")
            )
        return upload


class ParticipantImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class StoryForm(BidiSafeFormMixin, forms.ModelForm):
    """A story. The picture is checked by its content and stored by the service."""

    new_image = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_("Optional. A JPEG, PNG or WebP picture of at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_image = forms.BooleanField(label=_("Remove the picture"), required=False)

    class Meta:
        model = Story
        fields = ["title", "date", "text", "new_image", "remove_image", "image_alt", "is_published"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 10, "data-markup": ""}),
        }
        help_texts = {
            "date": _("The day the story is about."),
            "is_published": _("A published story is public; a draft is seen only by editors."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_image = None
        self.fields["text"].help_text = MARKUP_HELP
        _limit_length(self.fields["text"])
        # The model's callable default would add a hidden «initial-date» input, which Django
        # gives the field's aria-describedby: invalid HTML. Nothing here asks has_changed().
        self.fields["date"].show_hidden_initial = False
        if not self.instance.image:
            del self.fields["remove_image"]
        else:
            self.fields["new_image"].label = _("Replace the picture")

    def clean_new_image(self):
        upload = self.cleaned_data.get("new_image")
        if upload:
            self.checked_image = check_image(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        cleaned["text"] = normalise_newlines(cleaned.get("text") or "").strip()
        keeps_image = bool(self.instance.image) and not cleaned.get("remove_image")
        if (cleaned.get("new_image") or keeps_image) and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Describe the picture for those who cannot see it."))
        return cleaned


class StoryEditForm(VersionedFormMixin, StoryForm):
    pass


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX), at most 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,application/pdf"}),
    )
    title = SingleLineCharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional. Without a title, the file name is shown."),
    )
    story = forms.ModelChoiceField(
        label=_("Belongs to"),
        queryset=Story.objects.none(),
        required=False,
        empty_label=_("The project page"),
        help_text=_("A document is public when the page or story it belongs to is published."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        self.fields["story"].queryset = project.stories.newest_first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_document(upload)
        return upload
