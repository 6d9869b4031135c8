"""Gatherings of a network (1.–3. samling, temadag) and their timed agendas."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from network.models import Network, Person
from network.rules import facilitated_network_ids, is_administrator, reads_everything


class GatheringKind(models.TextChoices):
    FIRST = "samling_1", _("1st gathering")
    SECOND = "samling_2", _("2nd gathering")
    THIRD = "samling_3", _("3rd gathering")
    THEME_DAY = "temadag", _("Theme day")


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
        """The queryset twin of the ``gatherings.view_gathering`` rule: published ones, and
        drafts for programme staff, administrators and the network's facilitator."""
        if reads_everything(user):
            return self.all()
        return self.filter(
            Q(status=GatheringStatus.PUBLISHED) | Q(network__in=facilitated_network_ids(user))
        )

    def editable_by(self, user) -> GatheringQuerySet:
        """The queryset twin of the ``gatherings.change_gathering`` rule."""
        if is_administrator(user):
            return self.all()
        return self.filter(network__in=facilitated_network_ids(user))


class Gathering(models.Model):
    """A gathering of a network. Planned to the month first; exact dates once they are set."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="gatherings", verbose_name=_("network")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=GatheringKind.choices)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Leave empty to use the kind.")
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
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    practical_info = models.TextField(_("practical information"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GatheringStatus.choices, default=GatheringStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.display_title} – {self.network}"

    def get_absolute_url(self) -> str:
        return reverse("gatherings:detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def is_published(self) -> bool:
        return self.status == GatheringStatus.PUBLISHED

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def when(self) -> str:
        """The dates as precisely as they are known: «16.–17. februar 2012», «april–mai 2013»."""
        if self.start_date:
            last = self.last_day
            if last == self.start_date:
                return formats.date_format(self.start_date, "j. F Y")
            if (last.year, last.month) == (self.start_date.year, self.start_date.month):
                return f"{self.start_date.day}.–{formats.date_format(last, 'j. F Y')}"
            return (
                f"{formats.date_format(self.start_date, 'j. F')}–"
                f"{formats.date_format(last, 'j. F Y')}"
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
    OTHER = "other", _("Other")


class AgendaItem(models.Model):
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
    title = models.CharField(_("title"), max_length=300)
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
