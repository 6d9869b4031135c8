"""Municipalities, the local projects they run in a network, and the people in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.editing import VersionedModel
from core.files import DocumentKind, StoredFile, server_made_name
from core.jobs import FileJob, FileJobQuerySet
from core.text import validate_single_line
from network.models import Network, Programme

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
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])

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
        help_text=_(
            "Cannot be changed once saved. When a municipality gets a new number, add the "
            "new number as a municipality and record a municipality change from the old one."
        ),
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
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


class MunicipalityVersion(models.Model):
    """A municipality number with one name and county for a period (SSB, KLASS 131).

    ``valid_to`` is the first day the version no longer holds (changes happen on 1 January);
    an empty ``valid_from`` means «before the recorded history», an empty ``valid_to`` «still
    in use»."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("municipality"),
    )
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        validators=[municipality_number_validator, validate_single_line],
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="municipality_versions",
        verbose_name=_("county"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality version")
        verbose_name_plural = _("municipality versions")
        ordering = ["number", models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(number=models.F("municipality")),
                name="municipalities_version_number_is_municipality",
                violation_error_message=_(
                    "A version carries the number of the municipality it belongs to."
                ),
            ),
            models.CheckConstraint(
                condition=Q(county=Substr("number", 1, 2)),
                name="municipalities_version_in_its_county",
                violation_error_message=_(
                    "The county is given by the first two digits of the municipality number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="municipalities_version_period_ordered",
                violation_error_message=_("A version ends after it begins."),
            ),
            models.UniqueConstraint(
                fields=["number", "valid_from"],
                name="municipalities_version_unique_start",
                violation_error_message=_("This number already has a version from that date."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(valid_from__isnull=True),
                name="municipalities_version_one_earliest",
                violation_error_message=_("This number already has a version without a start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name} ({self.period})"

    def get_absolute_url(self) -> str:
        return reverse("municipalities:detail", args=[self.number])

    @property
    def period(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "…"
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{start}–{end}"


class MunicipalityChangeKind(models.TextChoices):
    MERGER = "sammenslaing", _("Merger")
    SPLIT = "deling", _("Split")
    RENUMBERING = "nytt_nummer", _("New number")
    NAME_CHANGE = "navneendring", _("Name change")


class MunicipalityChange(models.Model):
    """One change on one date: the municipalities before, those after, and how they connect
    (``links``: one row per predecessor and successor, as in SSB's table of changes)."""

    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityChangeKind.choices)
    date = models.DateField(_("date"), help_text=_("The first day of the new numbering."))
    note = models.CharField(
        _("note"), max_length=300, blank=True, validators=[validate_single_line]
    )
    predecessors = models.ManyToManyField(
        Municipality,
        through="MunicipalityChangeLink",
        through_fields=("change", "predecessor"),
        related_name="changes_as_predecessor",
        verbose_name=_("predecessors"),
    )

    class Meta:
        verbose_name = _("municipality change")
        verbose_name_plural = _("municipality changes")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MunicipalityChangeKind.values),
                name="municipalities_change_kind_valid",
                violation_error_message=_("Unknown kind of change."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        link = self.links.order_by("pk").first()
        if link is None:
            return reverse("municipalities:list")
        return reverse("municipalities:detail", args=[link.successor_id])


class MunicipalityChangeLink(models.Model):
    """A predecessor became (part of) a successor in a change; a name change links a number to
    itself."""

    change = models.ForeignKey(
        MunicipalityChange,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("change"),
    )
    predecessor = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="successor_links",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="predecessor_links",
        verbose_name=_("successor"),
    )

    class Meta:
        verbose_name = _("municipality change link")
        verbose_name_plural = _("municipality change links")
        ordering = ["change__date", "predecessor", "successor"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "predecessor", "successor"],
                name="municipalities_changelink_unique",
                violation_error_message=_("This change already links these municipalities."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"

    def get_absolute_url(self) -> str:
        return reverse("municipalities:detail", args=[self.successor_id])


class LocalProject(models.Model):
    """One member of a network: one municipality, or several working together."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="local_projects", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="local_projects", verbose_name=_("municipalities")
    )

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
    OTHER = "annen", pgettext_lazy("participant role", "Other")


class Participant(VersionedModel):
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
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    function = models.CharField(
        _("function"),
        max_length=200,
        blank=True,
        help_text=_("Position or job title."),
        validators=[validate_single_line],
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=30, blank=True, validators=[validate_single_line]
    )
    is_project_leader = models.BooleanField(_("project leader"), default=False)
    listed_publicly = models.BooleanField(
        _("Show my name on the public project page"),
        default=False,
        help_text=_(
            "The name, role and function are shown to everyone once the project page is "
            "published. Only with the participant's consent."
        ),
    )
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

    def with_status(self) -> InvitationQuerySet:
        """Each with a ``status``: «accepted», «expired» or «pending»."""
        return self.annotate(
            status=models.Case(
                models.When(accepted_at__isnull=False, then=models.Value("accepted")),
                models.When(expires_at__lte=timezone.now(), then=models.Value("expired")),
                default=models.Value("pending"),
                output_field=models.CharField(),
            )
        )


class Invitation(models.Model):
    """An e-mailed, single-use invitation to a role on an object. Only a hash of the token
    is stored; the token itself exists only in the link that was sent."""

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(
        _("name"), max_length=200, blank=True, validators=[validate_single_line]
    )
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


# --- The project page: sections in markup, versioned ------------------------------------------

#: The sections of a project page, in page order: field name, label, the question
#: the section answers.
PAGE_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("project_management", _("Project management"), _("Who leads the project, and how?")),
    ("background", _("Background"), _("Why is the project done?")),
    ("purpose", _("Purpose"), _("What is it for?")),
    ("desired_effect", _("Desired effect"), _("What effect do you want it to have?")),
    ("goals", _("Project goals"), _("What are the project's goals?")),
    ("anchoring", _("Anchoring"), _("Where and how is the project anchored?")),
    ("other_views", _("Other views"), _("Anything else you want to share.")),
)
PAGE_SECTION_KEYS: tuple[str, ...] = tuple(key for key, _label, _question in PAGE_SECTIONS)


class PageTexts(models.Model):
    """The sections of a project page as markup source (see ``municipalities.markup``)."""

    project_management = models.TextField(_("Project management"), blank=True)
    background = models.TextField(_("Background"), blank=True)
    purpose = models.TextField(_("Purpose"), blank=True)
    desired_effect = models.TextField(_("Desired effect"), blank=True)
    goals = models.TextField(_("Project goals"), blank=True)
    anchoring = models.TextField(_("Anchoring"), blank=True)
    other_views = models.TextField(_("Other views"), blank=True)

    class Meta:
        abstract = True

    def texts(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in PAGE_SECTION_KEYS}


class ProjectPage(PageTexts, VersionedModel):
    """A local project's page: the current draft of its sections, and which version is public.

    Every save writes an immutable :class:`ProjectPageVersion` and raises ``version`` by one, so
    ``version`` is always one more than the number of saved versions: an editor who loaded
    ``version`` n was looking at version number n − 1 (nothing, for n = 1).
    """

    local_project = models.OneToOneField(
        LocalProject, on_delete=models.CASCADE, related_name="page", verbose_name=_("local project")
    )
    current_version = models.ForeignKey(
        "ProjectPageVersion",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("latest version"),
    )
    published_version = models.ForeignKey(
        "ProjectPageVersion",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("published version"),
    )

    class Meta:
        verbose_name = _("project page")
        verbose_name_plural = _("project pages")
        ordering = ["local_project__name"]

    def __str__(self) -> str:
        return str(self.local_project)

    def get_absolute_url(self) -> str:
        return self.local_project.get_absolute_url()

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None

    @property
    def has_unpublished_changes(self) -> bool:
        return self.current_version_id is not None and (
            self.current_version_id != self.published_version_id
        )


class ProjectPageVersion(PageTexts):
    """An immutable snapshot of a project page, with the sections rendered to safe HTML once,
    when it was saved. Only the change summary may still be edited until it is published."""

    page = models.ForeignKey(
        ProjectPage, on_delete=models.CASCADE, related_name="versions", verbose_name=_("page")
    )
    number = models.PositiveIntegerField(_("version number"))
    project_management_html = models.TextField(editable=False, default="")
    background_html = models.TextField(editable=False, default="")
    purpose_html = models.TextField(editable=False, default="")
    desired_effect_html = models.TextField(editable=False, default="")
    goals_html = models.TextField(editable=False, default="")
    anchoring_html = models.TextField(editable=False, default="")
    other_views_html = models.TextField(editable=False, default="")
    summary = models.CharField(
        _("change summary"), max_length=200, blank=True, validators=[validate_single_line]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("published by"),
    )
    restored_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("restored from"),
    )

    class Meta:
        verbose_name = _("project page version")
        verbose_name_plural = _("project page versions")
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "number"],
                name="municipalities_pageversion_unique_number",
                violation_error_message=_("This page already has a version with that number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="municipalities_pageversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page} – {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "municipalities:page_version", args=[self.page.local_project.slug, self.number]
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def rendered_sections(self) -> list[tuple[str, str, str]]:
        """``(key, label, safe html)`` of every section, in page order."""
        return [(key, label, getattr(self, f"{key}_html")) for key, label, _q in PAGE_SECTIONS]


# --- De gode historiene -----------------------------------------------------------------------


def story_image_upload_to(instance: Story, filename: str) -> str:
    """A server-made name: the uploaded file's own name is never used on disk."""
    return server_made_name("historier", instance.image_extension)


class StoryQuerySet(models.QuerySet):
    def published(self) -> StoryQuerySet:
        return self.filter(is_published=True)

    def newest_first(self) -> StoryQuerySet:
        return self.order_by("-date", "-created_at", "-pk")


class Story(VersionedModel):
    """One of «de gode historiene»: a dated story from a local project."""

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="stories",
        verbose_name=_("local project"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("text"), blank=True)
    text_html = models.TextField(editable=False, default="")
    image = models.FileField(
        _("image"), upload_to=story_image_upload_to, max_length=200, blank=True
    )
    image_extension = models.CharField(max_length=10, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for those who cannot see it."),
        validators=[validate_single_line],
    )
    is_published = models.BooleanField(_("published"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="municipalities_story_image_has_description",
                violation_error_message=_("Describe the image for those who cannot see it."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.local_project.get_absolute_url()}#historie-{self.pk}"

    @property
    def image_url(self) -> str:
        if not self.image:
            return ""
        return reverse("municipalities:story_image", args=[self.local_project.slug, self.pk])


# --- Attachments ------------------------------------------------------------------------------


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """A server-made name: the uploaded file's own name is never used on disk."""
    return server_made_name("vedlegg", instance.kind)


class Attachment(StoredFile):
    """A document on a project page or on one of its stories. Stored under a server-made name
    in MEDIA_ROOT (never served directly) and visible only where its page or story is."""

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("local project"),
    )
    story = models.ForeignKey(
        Story,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name=_("story"),
        help_text=_("Empty: the document belongs to the project page."),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10, choices=DocumentKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "municipalities:attachment_download", args=[self.local_project.slug, self.pk]
        )


# --- ZIP files of final reports ---------------------------------------------------------------


class ReportArchiveQuerySet(FileJobQuerySet):
    def of_scope(self, *, programme: Programme, network: Network | None) -> ReportArchiveQuerySet:
        """The archives of a network's reports, or (``network`` None) of a whole programme's."""
        if network is not None:
            return self.filter(network=network)
        return self.filter(programme=programme, network__isnull=True)


class ReportArchive(FileJob):
    """One ZIP file of final reports (one PDF per local project) of a network or of a whole
    programme, made by the background worker for the user who asked
    (``municipalities.report_archives``; its life is ``core.jobs``): ``done`` of ``total``
    reports. It is deleted, file and all, once it expires."""

    status_url_name = "municipalities:report_archive"
    download_url_name = "municipalities:report_archive_download"
    file_folder = "sluttrapporter"
    file_extension = "zip"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    #: The network whose reports it holds; none: every report of the programme.
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("network"),
    )
    #: The language the reports are written in (the one the user asked in).
    language = models.CharField(_("language"), max_length=10)

    objects = ReportArchiveQuerySet.as_manager()

    class Meta(FileJob.Meta):
        verbose_name = _("ZIP file of final reports")
        verbose_name_plural = _("ZIP files of final reports")
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "network"],
                condition=Q(finished_at__isnull=True, network__isnull=False),
                name="municipalities_reportarchive_one_unfinished_per_network",
                violation_error_message=_(
                    "The reports of this network are being made into a ZIP file already."
                ),
            ),
            models.UniqueConstraint(
                fields=["requested_by", "programme"],
                condition=Q(finished_at__isnull=True, network__isnull=True),
                name="municipalities_reportarchive_one_unfinished_per_programme",
                violation_error_message=_(
                    "The reports of this programme are being made into a ZIP file already."
                ),
            ),
            models.CheckConstraint(
                condition=Q(done__lte=F("total")),
                name="municipalities_reportarchive_done_within_total",
                violation_error_message=_("More reports made than there are."),
            ),
        ]

    @property
    def scope(self) -> Network | Programme:
        """The network, or the programme, whose reports it holds."""
        return self.network if self.network_id else self.programme

    @property
    def filename(self) -> str:
        return f"sluttrapporter-{self.scope.slug}.zip"
