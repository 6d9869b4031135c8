"""Forms for sending and accepting invitations."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.forms import SingleLineCharField
from network.models import Network, User

from ..models import Invitation, InvitationRole, ParticipantRole
from ..rules import can_invite_project_leader, projects_open_to_invitation
from .selectors import suggest_username
from .services import INVITATION_VALIDITY, facilitator_would_be_replaced

PROJECT_ROLES = (InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT)


class InvitationForm(forms.Form):
    """Invite a person by e-mail. Only the roles, local projects and networks ``user`` may
    invite to are offered; ``names_forbidden_target`` tells the view when a submitted form
    names anything else (a tampered or stale form), which it answers with 403."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = SingleLineCharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("The person's full name, as it should appear on the project page."),
    )
    role = forms.ChoiceField(label=_("Invite as"), widget=forms.RadioSelect)
    local_project = forms.TypedChoiceField(
        label=_("Local project"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a project leader or a participant."),
    )
    participant_role = forms.ChoiceField(
        label=_("Role in the local project"),
        choices=ParticipantRole.choices,
        initial=ParticipantRole.OTHER,
        help_text=_("For a project leader or a participant."),
    )
    network = forms.TypedChoiceField(
        label=_("Network"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a facilitator."),
    )

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
            .select_related("network")
            .order_by("network__name", "name")
        )
        self._projects = {project.pk: project for project in projects}
        may_invite_to_programme = user.has_perm("municipalities.invite_facilitator")
        self._networks = (
            {network.pk: network for network in Network.objects.order_by("name")}
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
            groups.setdefault(project.network.name, []).append((project.pk, project.name))
        self.fields["local_project"].choices = [("", "—"), *groups.items()]
        if len(projects) == 1:
            self.fields["local_project"].initial = projects[0].pk
        for project in projects:
            if project_slug and project.slug == project_slug:
                self.fields["local_project"].initial = project.pk

        if self._networks:
            self.fields["network"].choices = [
                ("", "—"),
                *((network.pk, network.name) for network in self._networks.values()),
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
        data = self.cleaned_data
        return {
            "email": data["email"],
            "name": data["name"],
            "role": data["role"],
            "local_project": data["local_project"],
            "network": data["network"],
            "participant_role": data["participant_role"],
        }


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
        data = self.cleaned_data
        return {
            "username": data["username"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "password": data["password1"],
        }
