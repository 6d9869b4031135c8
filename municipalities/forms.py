from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedFormMixin, normalise_newlines
from core.files import check_document, check_image
from core.forms import (
    BidiSafeFormMixin,
    CheckedUploadMixin,
    cleaned_values,
    labelled_choice_fields,
    optional_line,
)
from network.forms import ProgrammeChoiceField
from network.models import Network, Programme, User, name_is_shared

from .invitations import INVITATION_VALIDITY, facilitator_would_be_replaced
from .models import (
    PAGE_SECTION_KEYS,
    PAGE_SECTIONS,
    County,
    Invitation,
    InvitationRole,
    Municipality,
    Participant,
    ParticipantRole,
    ProjectPage,
    Story,
)
from .participant_import import MAX_IMPORT_FILE_SIZE, find_duplicate, participant_value_errors
from .rules import can_invite_project_leader, projects_open_to_invitation
from .selectors import suggest_username

MARKUP_HELP = _(
    "Formatting: an empty line between paragraphs; «## Heading»; «- » for a list, «1. » for a "
    "numbered list; *italic*, **bold**; [link text](https://address); «> » for a quotation."
)


def municipality_label(municipality: Municipality) -> str:
    """«1804 Bodø (Nordland)»: number, name and county, for choice lists."""
    return f"{municipality.number} {municipality.name} ({municipality.county.name})"


MunicipalityChoiceField, MunicipalityMultipleChoiceField = labelled_choice_fields(
    municipality_label
)


class CountyFilterForm(forms.Form):
    """The filter of /kommuner/: by programme round (``?program=<slug>``) and county."""

    program = ProgrammeChoiceField(
        queryset=Programme.objects.none(),
        required=False,
        label=_("Programme round"),
        empty_label=_("All programme rounds"),
        to_field_name="slug",
    )
    fylke = forms.ModelChoiceField(
        queryset=County.objects.none(),
        required=False,
        label=_("County"),
        empty_label=_("All counties"),
        to_field_name="number",
    )

    def __init__(self, *args, counties, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fylke"].queryset = counties
        if programmes is None:
            del self.fields["program"]
        else:
            self.fields["program"].queryset = programmes


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

    summary = optional_line(
        _("Change summary"),
        _("What changed, in a sentence. Needed to publish; shown in the history."),
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


#: What is held about a participant, as the form and the admin edit it.
PARTICIPANT_DETAILS = [
    "name",
    "function",
    "role",
    "municipality",
    "email",
    "phone",
    "is_project_leader",
]


class ParticipantForm(forms.ModelForm):
    """A participant. ``municipality`` only for a joint project; ``is_project_leader`` only for
    those who may give the right to edit the project (``municipalities.set_project_leader``);
    ``listed_publicly`` only for a participant without an account (one with an account decides
    it themselves under «My data»)."""

    class Meta:
        model = Participant
        fields = [*PARTICIPANT_DETAILS, "listed_publicly"]
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


class StoryForm(CheckedUploadMixin, BidiSafeFormMixin, forms.ModelForm):
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
        return self.checked_upload("new_image", check_image)

    def clean(self):
        cleaned = super().clean()
        cleaned["text"] = normalise_newlines(cleaned.get("text") or "").strip()
        keeps_image = bool(self.instance.image) and not cleaned.get("remove_image")
        if (cleaned.get("new_image") or keeps_image) and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Describe the picture for those who cannot see it."))
        return cleaned


class StoryEditForm(VersionedFormMixin, StoryForm):
    pass


class AttachmentForm(CheckedUploadMixin, forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX), at most 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,application/pdf"}),
    )
    title = optional_line(_("Title"), _("Optional. Without a title, the file name is shown."))
    story = forms.ModelChoiceField(
        label=_("Belongs to"),
        queryset=Story.objects.none(),
        required=False,
        empty_label=_("The project page"),
        help_text=_("A document is public when the page or story it belongs to is published."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["story"].queryset = project.stories.newest_first()

    def clean_file(self):
        return self.checked_upload("file", check_document)


# --- Invitations ------------------------------------------------------------------------------

PROJECT_ROLES = (InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT)


def _optional_id_choice(label, help_text) -> forms.TypedChoiceField:
    """An optional choice of an object by its id (the form sets the choices)."""
    return forms.TypedChoiceField(
        label=label, coerce=int, required=False, empty_value=None, help_text=help_text
    )


class InvitationForm(forms.Form):
    """Invite a person by e-mail. Only the roles, local projects and networks ``user`` may
    invite to are offered; ``names_forbidden_target`` tells the view when a submitted form
    names anything else (a tampered or stale form), which it answers with 403."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = optional_line(
        _("Name"), _("The person's full name, as it should appear on the project page.")
    )
    role = forms.ChoiceField(label=_("Invite as"), widget=forms.RadioSelect)
    local_project = _optional_id_choice(
        _("Local project"), _("For a project leader or a participant.")
    )
    participant_role = forms.ChoiceField(
        label=_("Role in the local project"),
        choices=ParticipantRole.choices,
        initial=ParticipantRole.OTHER,
        help_text=_("For a project leader or a participant."),
    )
    network = _optional_id_choice(_("Network"), _("For a facilitator."))

    def __init__(self, *args, user: User, project_slug: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        days = INVITATION_VALIDITY.days
        self.fields["email"].help_text = ngettext(
            "The invitation link is sent here. It works once, for %(days)s day.",
            "The invitation link is sent here. It works once, for %(days)s days.",
            days,
        ) % {"days": days}
        projects = list(
            projects_open_to_invitation(user, InvitationRole.PARTICIPANT)
            .select_related("network__programme")
            .annotate(network_shares_name=name_is_shared("network"))
            .order_by("network__name", "network__programme__start_year", "name")
        )
        for project in projects:
            project.network.shares_name = project.network_shares_name
        self._projects = {project.pk: project for project in projects}
        may_invite_to_programme = user.has_perm("municipalities.invite_facilitator")
        self._networks = (
            {
                network.pk: network
                for network in Network.objects.with_titles().order_by(
                    "name", "programme__start_year"
                )
            }
            if may_invite_to_programme
            else {}
        )

        roles = []
        if any(can_invite_project_leader.test(user, project) for project in projects):
            roles.append(InvitationRole.PROJECT_LEADER)
        if projects:
            roles.append(InvitationRole.PARTICIPANT)
        if may_invite_to_programme:
            roles += [InvitationRole.FACILITATOR, InvitationRole.PROGRAMME_STAFF]
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value

        groups: dict[str, list[tuple[int, str]]] = {}
        for project in projects:
            groups.setdefault(project.network.title, []).append((project.pk, project.name))
        self.fields["local_project"].choices = [("", "—"), *groups.items()]
        if len(projects) == 1:
            self.fields["local_project"].initial = projects[0].pk
        for project in projects:
            if project_slug and project.slug == project_slug:
                self.fields["local_project"].initial = project.pk

        if self._networks:
            self.fields["network"].choices = [
                ("", "—"),
                *((network.pk, network.title) for network in self._networks.values()),
            ]
        else:
            del self.fields["network"]

    @property
    def offers_project_roles(self) -> bool:
        return bool(self._projects)

    def names_forbidden_target(self) -> bool:
        """Whether the submitted data name a role, local project or network that this form
        does not offer to this user."""
        offered_roles = {value for value, _label in self.fields["role"].choices}
        if self.data.get("role") in set(InvitationRole.values) - offered_roles:
            return True
        targets = {"local_project": self._projects, "network": self._networks}
        for name, offered in targets.items():
            value = str(self.data.get(name) or "")
            if value.isdigit() and int(value) not in offered:
                return True
        return False

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        project = self._projects.get(cleaned.get("local_project"))
        network = self._networks.get(cleaned.get("network"))
        if role in PROJECT_ROLES:
            network = None
            if project is None:
                self.add_error("local_project", gettext("Choose the local project."))
            elif not self.user.has_perm(f"municipalities.invite_{role}", project):
                self.add_error(
                    "local_project",
                    gettext("You cannot invite a project leader to this local project."),
                )
        elif role == InvitationRole.FACILITATOR:
            project = None
            if network is None:
                self.add_error("network", gettext("Choose the network."))
        else:
            project = network = None
        cleaned["local_project"], cleaned["network"] = project, network
        email = cleaned.get("email")
        if role and email and not self.errors:
            self._check_not_already_there(email, role, project, network)
        return cleaned

    def _check_not_already_there(self, email, role, project, network) -> None:
        open_invitation = Invitation.objects.pending().filter(
            email__iexact=email, role=role, local_project=project, network=network
        )
        if open_invitation.exists():
            self.add_error(
                "email",
                gettext(
                    "This person already has an open invitation to this role. You can send it "
                    "again from the list of invitations."
                ),
            )
            return
        message = None
        if role == InvitationRole.PROJECT_LEADER:
            if project.participants.filter(
                user__email__iexact=email, is_project_leader=True
            ).exists():
                message = gettext("This person is already project leader of %(target)s.")
        elif role == InvitationRole.PARTICIPANT:
            if project.participants.filter(user__email__iexact=email).exists():
                message = gettext("This person already takes part in %(target)s.")
        elif role == InvitationRole.FACILITATOR:
            facilitator = network.facilitator
            if facilitator and facilitator.user and facilitator.user.email.lower() == email.lower():
                message = gettext("This person already facilitates %(target)s.")
            elif facilitator_would_be_replaced(network=network, email=email, user=None):
                message = gettext(
                    "%(target)s already has a facilitator, and an invitation never replaces "
                    "one. To replace them, change the network's facilitator in the "
                    "administration first, then invite the new facilitator."
                )
        elif User.objects.filter(email__iexact=email, is_programme_staff=True).exists():
            message = gettext("This person is already ministry or KS staff.")
        if message:
            self.add_error("email", message % {"target": project or network})

    def invitation_data(self) -> dict:
        """Keyword arguments for ``services.create_invitation``."""
        fields = ("email", "name", "role", "local_project", "network", "participant_role")
        return cleaned_values(self, *fields)


class AcceptInvitationForm(UserCreationForm):
    """A new account for the invitee: username (suggested from the e-mail address), name and
    a password that passes the configured password validators."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name")

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(*args, **kwargs)
        # The password validators compare the password with these, too.
        self.instance.email = invitation.email
        first, _space, last = invitation.name.rpartition(" ")
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].initial = first or last
        self.fields["last_name"].initial = last if first else ""
        self.fields["username"].initial = suggest_username(invitation.email)
        self.fields["username"].help_text = _(
            "You sign in with this. Letters, digits and @ . + - _ only."
        )
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def account_data(self) -> dict:
        """Keyword arguments for ``services.accept_invitation_with_new_account``."""
        return cleaned_values(self, "username", "first_name", "last_name", password="password1")
