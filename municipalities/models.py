"""Municipalities, the local projects they run in a network, and the people in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Network

municipality_number_validator = RegexValidator(
    r"^[0-9]{4}$", _("A municipality number (kommunenummer) is exactly four digits, e.g. 1149.")
)
county_number_validator = RegexValidator(
    r"^[0-9]{2}$", _("A county number is exactly two digits, e.g. 11.")
)


class County(models.Model):
    """A county (fylke) as numbered in 2012: the first two digits of its municipalities."""

    number = models.CharField(
        _("county number"), max_length=2, primary_key=True, validators=[county_number_validator]
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{2}$"),
                name="municipalities_county_number_2_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('municipalities:list')}?fylke={self.number}"


class Municipality(models.Model):
    """A municipality, identified by its four-digit kommunenummer (2012 numbering)."""

    number = models.CharField(
        _("municipality number"),
        max_length=4,
        primary_key=True,
        validators=[municipality_number_validator],
    )
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{4}$"),
                name="municipalities_municipality_number_4_digits",
                violation_error_message=_("A municipality number is exactly four digits."),
            ),
            models.CheckConstraint(
                condition=Q(county=Substr("number", 1, 2)),
                name="municipalities_municipality_in_its_county",
                violation_error_message=_(
                    "The county is given by the first two digits of the municipality number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:detail", args=[self.number])


class LocalProjectQuerySet(models.QuerySet):
    def led_by(self, user) -> LocalProjectQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(participants__user=user, participants__is_project_leader=True)

    def with_member(self, user) -> LocalProjectQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(participants__user=user)

    def editable_by(self, user) -> LocalProjectQuerySet:
        """The queryset twin of the ``municipalities.change_localproject`` rule."""
        if not user.is_authenticated:
            return self.none()
        if user.is_active and user.is_superuser:
            return self.all()
        return self.filter(
            models.Q(participants__user=user, participants__is_project_leader=True)
            | models.Q(network__facilitator__user=user)
        ).distinct()


class LocalProject(models.Model):
    """One member of a network: one municipality, or several working together."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="local_projects", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="local_projects", verbose_name=_("municipalities")
    )

    objects = LocalProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("local project")
        verbose_name_plural = _("local projects")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"],
                name="municipalities_localproject_unique_name_per_network",
                violation_error_message=_("This network already has a local project by that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("municipalities:project_detail", args=[self.slug])


class ParticipantRole(models.TextChoices):
    POLITICIAN = "politiker", _("Politician")
    HR = "hr", _("HR")
    LEADER = "leder", _("Leader")
    UNION_REPRESENTATIVE = "tillitsvalgt", _("Union representative")
    OTHER = "annen", _("Other")


class Participant(models.Model):
    """A person in a local project, with a role; may be tied to a user account."""

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("local project"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="participants",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("In a joint project: the municipality the person comes from."),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(
        _("function"), max_length=200, blank=True, help_text=_("Position or job title.")
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_project_leader = models.BooleanField(_("project leader"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="participations",
        null=True,
        blank=True,
        verbose_name=_("user account"),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["local_project", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_project", "user"],
                condition=Q(user__isnull=False),
                name="municipalities_participant_one_per_user_and_project",
                violation_error_message=_("This user is already a participant of the project."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{self.local_project.get_absolute_url()}#deltaker-{self.pk}"


class InvitationRole(models.TextChoices):
    PROJECT_LEADER = "project_leader", _("Project leader of a local project")
    PARTICIPANT = "participant", _("Participant in a local project")
    FACILITATOR = "facilitator", _("Facilitator of a network")
    PROGRAMME_STAFF = "programme_staff", _("Ministry or KS staff")


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mailed, single-use invitation to a role on an object. Only a hash of the token
    is stored; the token itself exists only in the link that was sent."""

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=InvitationRole.choices)
    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
        verbose_name=_("local project"),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
        verbose_name=_("network"),
    )
    participant_role = models.CharField(
        _("participant role"),
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.OTHER,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
        null=True,
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
        null=True,
        blank=True,
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[InvitationRole.PROJECT_LEADER, InvitationRole.PARTICIPANT],
                        local_project__isnull=False,
                        network__isnull=True,
                    )
                    | Q(
                        role=InvitationRole.FACILITATOR,
                        network__isnull=False,
                        local_project__isnull=True,
                    )
                    | Q(
                        role=InvitationRole.PROGRAMME_STAFF,
                        network__isnull=True,
                        local_project__isnull=True,
                    )
                ),
                name="municipalities_invitation_target_matches_role",
                violation_error_message=_(
                    "Invite to a local project, a network, or the programme staff as the role says."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("admin:municipalities_invitation_change", args=[self.pk])
