"""Gatherings of a network (1.–3. samling, temadag) and their timed agendas."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.editing import VersionedModel
from core.files import StoredFile, server_made_name
from core.models import OutboxMessage
from core.text import validate_single_line
from municipalities.models import LocalProject, Municipality, Participant
from network.models import Network, Person, Programme, Theme


class GatheringKind(models.TextChoices):
    FIRST = "samling_1", _("1st gathering")
    SECOND = "samling_2", _("2nd gathering")
    THIRD = "samling_3", _("3rd gathering")
    THEME_DAY = "temadag", _("Theme day")


_KIND_LABELS = dict(GatheringKind.choices)

#: The order of a network's gatherings: the theme day comes before the 2nd gathering.
KIND_ORDER = [
    GatheringKind.FIRST,
    GatheringKind.THEME_DAY,
    GatheringKind.SECOND,
    GatheringKind.THIRD,
]


class GatheringStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class GatheringQuerySet(models.QuerySet):
    def published(self) -> GatheringQuerySet:
        return self.filter(status=GatheringStatus.PUBLISHED)

    def in_programme_order(self, *leading: str) -> GatheringQuerySet:
        """1. samling, temadag, 2. samling, 3. samling (after any ``leading`` orderings);
        by date where a kind repeats."""
        return self.annotate(
            kind_order=Case(
                *(When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)),
                default=Value(len(KIND_ORDER)),
            )
        ).order_by(
            *leading,
            "kind_order",
            F("start_date").asc(nulls_last=True),
            F("planned_month").asc(nulls_last=True),
        )

    def for_user(self, user) -> GatheringQuerySet:
        """What ``user`` may see: ``gatherings.rules.gatherings_visible_to``."""
        from .rules import gatherings_visible_to

        return gatherings_visible_to(user, self)


class Gathering(VersionedModel):
    """A gathering of a network. Planned to the month first; exact dates once they are set.

    ``notified_programme`` is the programme as participants were last told about it (stored
    when it is published and whenever changes are sent); what differs from it now is the list
    of changes not yet sent.
    """

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="gatherings", verbose_name=_("network")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GatheringKind.choices)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the kind."),
        validators=[validate_single_line],
    )
    planned_month = models.DateField(
        _("planned month"), null=True, blank=True, help_text=_("The first day of the month.")
    )
    planned_month_last = models.DateField(
        _("planned month, last"),
        null=True,
        blank=True,
        help_text=_("When the plan spans two months (April/May): the first day of the last one."),
    )
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    schedule_note = models.CharField(
        _("timing note"),
        max_length=200,
        blank=True,
        help_text=_("When neither month nor dates are known, e.g. «Before the 2nd gathering»."),
        validators=[validate_single_line],
    )
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, validators=[validate_single_line]
    )
    address = models.CharField(
        _("address"), max_length=300, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(_("description"), blank=True)
    practical_info = models.TextField(_("practical information"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GatheringStatus.choices, default=GatheringStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    registration_deadline = models.DateField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("The last day to register, change or cancel. Empty: no deadline."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The largest number of participants. Empty: no limit."),
    )
    notified_programme = models.JSONField(
        _("programme as last sent to participants"), null=True, blank=True, editable=False
    )
    notified_at = models.DateTimeField(
        _("last sent to participants"), null=True, blank=True, editable=False
    )
    changed_at = models.DateTimeField(
        _("changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the gathering or its programme last changed (for calendar feeds)."),
    )
    #: What was e-mailed about the gathering (the portal's outbox, ``core/outbox.py``).
    outgoing_messages = GenericRelation(
        OutboxMessage,
        content_type_field="about_type",
        object_id_field="about_id",
        related_query_name="gathering",
    )

    objects = GatheringQuerySet.as_manager()

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["network", "planned_month", "start_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "kind"],
                condition=~Q(kind=GatheringKind.THEME_DAY),
                name="gatherings_gathering_one_of_each_samling_per_network",
                violation_error_message=_("The network already has this gathering."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="gatherings_gathering_end_needs_start",
                violation_error_message=_("Give the first day before the last day."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="gatherings_gathering_dates_ordered",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(planned_month_last__isnull=True)
                | Q(planned_month_last__gt=F("planned_month")),
                name="gatherings_gathering_planned_months_ordered",
                violation_error_message=_(
                    "The last planned month must come after the first planned month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="gatherings_gathering_capacity_positive",
                violation_error_message=_("The capacity must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} – {self.network}"

    def get_absolute_url(self) -> str:
        return reverse("gatherings:detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title, else the kind: what ``get_kind_display`` gives, read from a dict (every
        page and calendar file shows it, a list page for every gathering)."""
        return self.title or str(_KIND_LABELS.get(self.kind, self.kind))

    @property
    def is_published(self) -> bool:
        return self.status == GatheringStatus.PUBLISHED

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def days(self) -> list[date]:
        """Every day of the gathering, first to last; empty until it has dates."""
        if not self.start_date:
            return []
        return [
            self.start_date + timedelta(days=n)
            for n in range((self.last_day - self.start_date).days + 1)
        ]

    @property
    def is_registration_open(self) -> bool:
        """Published with dates, the deadline (if any) not passed and the gathering not over.
        Afterwards only the network's facilitator changes registrations (who came)."""
        today = timezone.localdate()
        return (
            self.is_published
            and self.start_date is not None
            and today <= self.last_day
            and (self.registration_deadline is None or today <= self.registration_deadline)
        )

    @property
    def is_evaluation_open(self) -> bool:
        """From the gathering's last day on."""
        return (
            self.is_published
            and self.last_day is not None
            and timezone.localdate() >= self.last_day
        )

    @property
    def when(self) -> str:
        """The dates as precisely as they are known: «16.–17. februar 2012», «april–mai 2013»;
        in English «16–17 February 2012»."""
        if self.start_date:
            # Norwegian writes an ordinal point after the day («16.»), English does not.
            point = "" if (translation.get_language() or "").startswith("en") else "."
            day = f"j{point} F"
            last = self.last_day
            if last == self.start_date:
                return formats.date_format(self.start_date, f"{day} Y")
            if (last.year, last.month) == (self.start_date.year, self.start_date.month):
                return f"{self.start_date.day}{point}–{formats.date_format(last, f'{day} Y')}"
            return (
                f"{formats.date_format(self.start_date, day)}–"
                f"{formats.date_format(last, f'{day} Y')}"
            )
        if self.planned_month:
            if self.planned_month_last:
                return (
                    f"{formats.date_format(self.planned_month, 'F')}–"
                    f"{formats.date_format(self.planned_month_last, 'F Y')}"
                )
            return formats.date_format(self.planned_month, "F Y")
        return self.schedule_note


class AgendaItemKind(models.TextChoices):
    TALK = "talk", _("Talk")
    PLENARY = "plenary", _("Plenary")
    GROUP_WORK = "group_work", _("Group work")
    BREAK = "break", _("Break")
    MEAL = "meal", _("Meal")
    SOCIAL = "social", _("Social")
    OTHER = "other", pgettext_lazy("kind of agenda item", "Other")


class AgendaItem(VersionedModel):
    """A slot of a gathering day. The start may be unknown (the seed's «morning» welcome);
    ``position`` keeps the published order within the day."""

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("gathering"),
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"), null=True, blank=True)
    end = models.TimeField(_("end"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.TALK
    )
    speakers = models.ManyToManyField(
        Person,
        through="AgendaItemSpeaker",
        related_name="agenda_items",
        blank=True,
        verbose_name=_("speakers"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["gathering", "date", "position", "start"]
        indexes = [models.Index(fields=["gathering", "date", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=False),
                name="gatherings_agendaitem_end_needs_start",
                violation_error_message=_("Give a start time before an end time."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="gatherings_agendaitem_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.gathering.get_absolute_url()}#post-{self.pk}"


class AgendaItemSpeaker(models.Model):
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="speaker_links",
        verbose_name=_("agenda item"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="speaker_links", verbose_name=_("speaker")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["agenda_item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "person"], name="gatherings_speaker_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.agenda_item}"

    def get_absolute_url(self) -> str:
        return self.agenda_item.get_absolute_url()


# --- Registration ----------------------------------------------------------------------------


class Drinks(models.TextChoices):
    WINE = "wine", _("Wine")
    ALCOHOL_FREE = "alcohol_free", _("Alcohol-free")


class Diet(models.TextChoices):
    VEGETARIAN = "vegetarian", _("Vegetarian")
    VEGAN = "vegan", _("Vegan")
    GLUTEN_FREE = "gluten_free", _("Gluten-free")
    LACTOSE_FREE = "lactose_free", _("Lactose-free")
    NO_SHELLFISH = "no_shellfish", _("Shellfish allergy")
    NO_FISH = "no_fish", _("Fish allergy")
    NO_NUTS = "no_nuts", _("Nut allergy")
    NO_PORK = "no_pork", _("No pork")


class RegistrationQuerySet(models.QuerySet):
    def active(self) -> RegistrationQuerySet:
        return self.filter(cancelled_at__isnull=True)


class Registration(models.Model):
    """A participant's registration for a gathering.

    ``diets``, ``dietary_notes`` and ``drinks`` are health data: shown only to the network's
    facilitator, and to the participant and their project leader who entered them (see
    ``gatherings.view_dietary_data`` and ``gatherings.register_participant``).
    ``days`` and ``dinner_days`` are ISO dates of the gathering's days.
    """

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("gathering"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="gathering_registrations",
        verbose_name=_("participant"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("The municipality the participant comes from (for the bill)."),
    )
    days = models.JSONField(_("days attending"), default=list, blank=True)
    dinner_days = models.JSONField(_("dinner"), default=list, blank=True)
    overnight = models.BooleanField(_("overnight stay"), default=False)
    drinks = models.CharField(_("drinks"), max_length=20, choices=Drinks.choices, blank=True)
    diets = models.JSONField(_("dietary needs"), default=list, blank=True)
    dietary_notes = models.TextField(_("other dietary needs and allergies"), blank=True)
    settles_bill = models.BooleanField(_("settles the bill for the municipality"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["gathering", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "participant"],
                name="gatherings_registration_once_per_participant",
                violation_error_message=_("This participant is already registered."),
            ),
            models.UniqueConstraint(
                fields=["gathering", "municipality"],
                condition=Q(settles_bill=True, cancelled_at__isnull=True),
                name="gatherings_registration_one_payer_per_municipality",
                violation_error_message=_(
                    "Someone else already settles the bill for this municipality."
                ),
            ),
            models.CheckConstraint(
                condition=Q(settles_bill=False) | Q(municipality__isnull=False),
                name="gatherings_registration_payer_has_municipality",
                violation_error_message=_("The one who settles the bill needs a municipality."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.gathering}"

    def get_absolute_url(self) -> str:
        return reverse("gatherings:register", args=[self.gathering_id, self.participant_id])

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    @property
    def day_dates(self) -> list[date]:
        return [date.fromisoformat(value) for value in self.days]

    @property
    def dinner_dates(self) -> list[date]:
        return [date.fromisoformat(value) for value in self.dinner_days]

    def get_diets_display(self) -> list[str]:
        labels = dict(Diet.choices)
        return [str(labels.get(value, value)) for value in self.diets]


# --- Evaluation ------------------------------------------------------------------------------


class EvaluationSubmission(models.Model):
    """That a participant has evaluated a gathering — and nothing of what they answered."""

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="evaluation_submissions",
        verbose_name=_("gathering"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("participant"),
    )

    class Meta:
        verbose_name = _("evaluation submitted")
        verbose_name_plural = _("evaluations submitted")
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "participant"],
                name="gatherings_evaluation_once_per_participant",
                violation_error_message=_("This participant has already evaluated the gathering."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.gathering}"

    def get_absolute_url(self) -> str:
        return reverse("gatherings:evaluation_results", args=[self.gathering_id])


class EvaluationAnswer(models.Model):
    """An anonymous rating and comment: of an agenda item, or (without one) of the gathering.

    Anonymous by construction: no user, participant or time is stored, and the key is random,
    so answers cannot be put in the order they were given.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
        verbose_name=_("gathering"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        related_name="evaluation_answers",
        null=True,
        blank=True,
        verbose_name=_("agenda item"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True)
    #: Answers are released in groups (``gatherings.selectors.EVALUATION_GROUP``): the group
    #: of the submission, counted from 0, so results never change by one person's answers.
    group = models.PositiveIntegerField(_("group"), default=0, editable=False)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="gatherings_evaluationanswer_rating_1_to_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=False) | ~Q(comment=""),
                name="gatherings_evaluationanswer_not_empty",
                violation_error_message=_("Give a rating or a comment."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.agenda_item or self.gathering)

    def get_absolute_url(self) -> str:
        return reverse("gatherings:evaluation_results", args=[self.gathering_id])


# --- Materials and the resource library -------------------------------------------------------


def material_upload_to(instance, filename: str) -> str:
    return server_made_name("gatherings/materials", instance.checked_extension)


def resource_upload_to(instance, filename: str) -> str:
    return server_made_name("gatherings/resources", instance.checked_extension)


class Material(StoredFile):
    """A speaker's slides or a document for an agenda item."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["agenda_item", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "gatherings:material_download", args=[self.agenda_item.gathering_id, self.pk]
        )


class ResourceKind(models.TextChoices):
    LITERATURE = "literature", _("Literature")
    TOOL = "tool", _("Tool")
    REPORT = "report", _("Report")


class Resource(StoredFile):
    """An entry of the library «Litteratur, verktøy og rapporter»: a link or a document, for
    the whole programme (no network) or for one network."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="resources", verbose_name=_("programme")
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="resources",
        null=True,
        blank=True,
        verbose_name=_("network"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        related_name="resources",
        null=True,
        blank=True,
        verbose_name=_("theme"),
        help_text=_("Empty: for every theme."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_to, max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="gatherings_resource_link_or_file",
                violation_error_message=_("Give either a link or a file."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.network_id:
            return reverse("gatherings:network_resources", args=[self.network.slug])
        return reverse("gatherings:programme_resources", args=[self.programme.slug])

    @property
    def href(self) -> str:
        """Where a reader goes: the link, or the download view of the document."""
        return self.url or reverse("gatherings:resource_download", args=[self.pk])


# --- Before the next gathering -----------------------------------------------------------------


class PreparationTask(models.Model):
    """Something each local project is to have done before a gathering («Hva skal være gjort
    til neste samling?»), e.g. «Presentasjon i plenum»."""

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="preparation_tasks",
        verbose_name=_("gathering"),
    )
    title = models.CharField(_("task"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("task before the gathering")
        verbose_name_plural = _("tasks before the gathering")
        ordering = ["gathering", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("gatherings:tasks", args=[self.gathering_id])


class TaskCompletion(models.Model):
    """A local project has done a preparation task."""

    task = models.ForeignKey(
        PreparationTask,
        on_delete=models.CASCADE,
        related_name="completions",
        verbose_name=_("task"),
    )
    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="task_completions",
        verbose_name=_("local project"),
    )
    completed_at = models.DateTimeField(_("done"), default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("marked done by"),
    )

    class Meta:
        verbose_name = _("task done")
        verbose_name_plural = _("tasks done")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "local_project"],
                name="gatherings_taskcompletion_once_per_project",
                violation_error_message=_("The project has already marked this task done."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} – {self.local_project}"

    def get_absolute_url(self) -> str:
        return self.local_project.get_absolute_url()
