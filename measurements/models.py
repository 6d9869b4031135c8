"""What local projects measure, in which rounds, against which goals, and how anchored."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.editing import VersionedModel
from core.jobs import FileJob
from core.text import validate_single_line
from municipalities.models import LocalProject
from network.models import Programme, Theme


def progress_url(project: LocalProject) -> str:
    return reverse("measurements:project_progress", args=[project.slug])


def progress_url_maker() -> Callable[[str], str]:
    """``progress_url`` for many projects, by slug: the URL is reversed once (a slug is
    letters, digits, hyphens and underscores, which a URL carries as they are)."""
    marker = "--slug--"
    head, tail = reverse("measurements:project_progress", args=[marker]).rsplit(marker, 1)
    return lambda slug: f"{head}{slug}{tail}"


def indicator_update_url_maker(slug: str) -> Callable[[int], str]:
    """Where the leaders of the project ``slug`` change its own indicators, by indicator id:
    the URL is reversed once."""
    marker = 999999999
    head, tail = reverse("measurements:indicator_update", args=[slug, marker]).rsplit(
        str(marker), 1
    )
    return lambda pk: f"{head}{pk}{tail}"


class Unit(models.TextChoices):
    PERCENT = "percent", _("%")
    COUNT = "count", _("count")
    SCORE = "score", _("score")
    NOK = "nok", _("NOK")
    RATIO = "ratio", _("ratio")
    OTHER = "other", _("other")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")


class IndicatorQuerySet(models.QuerySet):
    def for_project(self, project: LocalProject) -> IndicatorQuerySet:
        """The project's theme catalogue followed by its own indicators."""
        return self.of_project(project_id=project.pk, theme_id=project.network.theme_id)

    def of_project(self, *, project_id: int, theme_id: int) -> IndicatorQuerySet:
        """:meth:`for_project` by the project's id and its theme's."""
        return self.filter(
            Q(theme_id=theme_id, local_project__isnull=True) | Q(local_project=project_id)
        ).order_by(F("local_project").asc(nulls_first=True), "position", "name")

    def catalogue(self) -> IndicatorQuerySet:
        return self.filter(local_project__isnull=True)

    def to_report(self) -> IndicatorQuerySet:
        """The indicators a project reports itself: completeness and reminders count these.
        An indicator ``measured_by_survey`` is filled by the survey, so it never counts."""
        return self.filter(measured_by_survey=False)


class Indicator(models.Model):
    """Something a local project measures: from its theme's catalogue, or its own."""

    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="indicators",
        null=True,
        blank=True,
        verbose_name=_("theme"),
    )
    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="own_indicators",
        null=True,
        blank=True,
        verbose_name=_("local project"),
        help_text=_("Set for an indicator a local project added for itself."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    definition = models.TextField(_("definition"), blank=True)
    source = models.CharField(
        _("source"), max_length=300, blank=True, validators=[validate_single_line]
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("A suggested default the programme can change.")
    )
    #: The theme runs the reputation survey: its closed runs write this catalogue indicator.
    measured_by_survey = models.BooleanField(
        _("measured by the reputation survey"),
        default=False,
        help_text=_("The reputation survey's results are written to this indicator."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["theme", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False) | Q(local_project__isnull=False),
                name="measurements_indicator_has_owner",
                violation_error_message=_("An indicator belongs to a theme or a local project."),
            ),
            models.UniqueConstraint(
                fields=["theme", "name"],
                condition=Q(local_project__isnull=True),
                name="measurements_indicator_unique_name_per_theme",
            ),
            models.UniqueConstraint(
                fields=["local_project", "name"],
                condition=Q(local_project__isnull=False),
                name="measurements_indicator_unique_name_per_project",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.local_project_id:
            return f"{progress_url(self.local_project)}#indikator-{self.pk}"
        return reverse("admin:measurements_indicator_change", args=[self.pk])

    @property
    def is_higher_better(self) -> bool:
        return self.direction == Direction.HIGHER_IS_BETTER


class RoundKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    END = "end", _("End of project")
    OTHER = "other", pgettext_lazy("kind of measurement round", "Other")


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MeasurementRoundQuerySet(models.QuerySet):
    def open_on(self, day: date) -> MeasurementRoundQuerySet:
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def open_now(self) -> MeasurementRoundQuerySet:
        return self.open_on(timezone.localdate())


class MeasurementRound(models.Model):
    """A measurement round of a programme: the baseline (2012), the end (May 2013), more.

    Values can be reported while the round is open. After it closes they are locked: a change
    is a correction and needs a reason, kept in the history. Before it opens nothing is taken.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    remind_before_close = models.BooleanField(
        _("remind a week before it closes"),
        default=False,
        help_text=_(
            "Seven days before the round closes, the leaders of every project that has not "
            "reported get a reminder by e-mail."
        ),
    )
    reminded_before_close_at = models.DateTimeField(
        _("reminded before closing"), null=True, blank=True, editable=False
    )

    objects = MeasurementRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement round")
        verbose_name_plural = _("measurement rounds")
        ordering = ["programme", "position", "opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"],
                name="measurements_round_unique_slug_per_programme",
                violation_error_message=_("The programme already has a round with this slug."),
            ),
            models.UniqueConstraint(
                fields=["programme", "kind"],
                condition=~Q(kind=RoundKind.OTHER),
                name="measurements_round_one_baseline_and_end_per_programme",
                violation_error_message=_(
                    "The programme already has a baseline or end-of-project round of this kind."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="measurements_round_dates_ordered",
                violation_error_message=_("A round cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measurements:round_update", args=[self.pk])

    def state_on(self, day: date) -> RoundState:
        if day < self.opens_on:
            return RoundState.UPCOMING
        if day > self.closes_on:
            return RoundState.CLOSED
        return RoundState.OPEN

    @property
    def state(self) -> RoundState:
        return self.state_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == RoundState.CLOSED

    @property
    def is_upcoming(self) -> bool:
        return self.state == RoundState.UPCOMING


class MeasurementSource(models.TextChoices):
    FORM = "form", _("Reported in a form")
    IMPORT = "import", _("Imported from a file")
    SURVEY = "survey", _("Reputation survey")


class MeasurementQuerySet(models.QuerySet):
    def overall(self) -> MeasurementQuerySet:
        """The indicators' values themselves, without the parts they are broken down into."""
        return self.filter(part="")


class Measurement(models.Model):
    """One value of one indicator for one local project in one round.

    A value may be broken down into parts (the reputation index per target group): the
    part-less measurement is the indicator's value, which completeness, comparisons and
    exports read; each part is a measurement of the same series with ``part`` set.
    """

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("local project"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    round = models.ForeignKey(
        MeasurementRound,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("round"),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=MeasurementSource.choices,
        default=MeasurementSource.FORM,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), auto_now=True)
    #: Empty for the indicator's value; else the part of it this is (e.g. a target group).
    part = models.CharField(
        _("part"),
        max_length=30,
        blank=True,
        default="",
        validators=[validate_single_line],
        help_text=_("Empty for the value itself; the part of it, e.g. a target group."),
    )

    objects = MeasurementQuerySet.as_manager()

    #: Every change, with ``history_change_reason`` holding the reason for a correction
    #: made after the round closed.
    history = HistoricalRecords(
        excluded_fields=["reported_at"],
        verbose_name=_("historical measurement"),
        verbose_name_plural=_("historical measurements"),
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["local_project", "indicator", "round__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_project", "indicator", "round", "part"],
                name="measurements_measurement_one_value_per_round_and_part",
                violation_error_message=_("This indicator already has a value in this round."),
            ),
        ]

    def __str__(self) -> str:
        if self.part:
            return f"{self.indicator}, {self.part} ({self.round}): {self.value}"
        return f"{self.indicator} ({self.round}): {self.value}"

    def get_absolute_url(self) -> str:
        return f"{progress_url(self.local_project)}#indikator-{self.indicator_id}"


class Goal(models.Model):
    """A local project's target for one indicator."""

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("local project"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="goals", verbose_name=_("indicator")
    )
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=3)
    target_date = models.DateField(_("target date"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["local_project", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_project", "indicator"], name="measurements_goal_one_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target_value}"

    def get_absolute_url(self) -> str:
        return reverse("measurements:goals", args=[self.local_project.slug])


class AnchoringStage(models.IntegerChoices):
    """The seed's ladder «fra bevissthet til aksept og eierskap», in order."""

    AWARENESS = 1, _("Awareness")
    INTEREST = 2, _("Interest")
    UNDERSTANDING = 3, _("Understanding")
    ENGAGEMENT = 4, _("Engagement")
    ACCEPTANCE = 5, _("Acceptance")
    COMMITMENT = 6, _("Commitment")
    INTERNALISATION = 7, _("Internalisation")


ANCHORING_STATEMENTS = {
    AnchoringStage.AWARENESS: _("I know that something new is under way"),
    AnchoringStage.INTEREST: _("I am interested in following the new"),
    AnchoringStage.UNDERSTANDING: _(
        "I know what is under way and what effect the new can have on me"
    ),
    AnchoringStage.ENGAGEMENT: _("I act in relation to the new"),
    AnchoringStage.ACCEPTANCE: _("This applies here with us"),
    AnchoringStage.COMMITMENT: _("This applies to me"),
    AnchoringStage.INTERNALISATION: _(
        "New practice is becoming part of the organisational culture"
    ),
}


def anchoring_ladder() -> list[tuple[int, str, str]]:
    """``[(number, stage, statement)]`` from awareness to internalisation."""
    return [(stage.value, stage.label, ANCHORING_STATEMENTS[stage]) for stage in AnchoringStage]


class AnchoringAssessment(models.Model):
    """Where a local project places itself on the anchoring ladder in a round."""

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="anchoring_assessments",
        verbose_name=_("local project"),
    )
    round = models.ForeignKey(
        MeasurementRound,
        on_delete=models.PROTECT,
        related_name="anchoring_assessments",
        verbose_name=_("round"),
    )
    stage = models.PositiveSmallIntegerField(_("stage"), choices=AnchoringStage.choices)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(
        verbose_name=_("historical anchoring stage"),
        verbose_name_plural=_("historical anchoring stages"),
    )

    class Meta:
        verbose_name = _("anchoring stage")
        verbose_name_plural = _("anchoring stages")
        ordering = ["local_project", "round__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_project", "round"], name="measurements_anchoring_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(stage__gte=1, stage__lte=7),
                name="measurements_anchoring_stage_on_ladder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_project} ({self.round}): {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return f"{progress_url(self.local_project)}#forankring"

    @property
    def statement(self) -> str:
        return str(ANCHORING_STATEMENTS[AnchoringStage(self.stage)])


class RoundReport(VersionedModel):
    """A local project's report for one round: the version guards the report form, so two
    leaders of one project cannot overwrite each other's values unseen. Every write to the
    project's values in the round (form, import, survey) raises the version."""

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="round_reports",
        verbose_name=_("local project"),
    )
    round = models.ForeignKey(
        MeasurementRound,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("round"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("last submitted by"),
    )
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("round report")
        verbose_name_plural = _("round reports")
        ordering = ["local_project", "round__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_project", "round"], name="measurements_report_one_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_project} ({self.round})"

    def get_absolute_url(self) -> str:
        return reverse("measurements:report", args=[self.local_project.slug, self.round.slug])


class ProgressPage(VersionedModel):
    """A local project's progress page: whether its leaders have published the results, and
    the version that guards the goals form."""

    local_project = models.OneToOneField(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="progress_page",
        verbose_name=_("local project"),
    )
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("progress page")
        verbose_name_plural = _("progress pages")

    def __str__(self) -> str:
        return str(self.local_project)

    def get_absolute_url(self) -> str:
        return progress_url(self.local_project)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Reminder(models.Model):
    """A reminder e-mail sent to a local project's leaders about a round, as it was sent."""

    round = models.ForeignKey(
        MeasurementRound,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("round"),
    )
    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="measurement_reminders",
        verbose_name=_("local project"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.TextField(_("recipients"), help_text=_("One e-mail address a line."))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.local_project} ({self.round}), {self.sent_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{reverse('measurements:completeness')}?maling={self.round.slug}"


class ImportFailure(models.TextChoices):
    """Why a queued import was not written."""

    STALE = "stale", _("Projects, indicators or rounds changed")
    ROUND_CHANGED = "round_changed", _("A round closed or changed")
    ERROR = "error", _("An error")


class ImportBatch(models.Model):
    """An uploaded file of values, parsed and checked, waiting for the uploader to confirm.

    The checked rows stay here between the preview and the confirmation, so nothing the
    browser sends back is trusted. ``rows``: ``[row number, project id, indicator id, round
    id, value as text, note]``; ``problems``: ``[row number or 0, code, params]``.
    """

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measurement_imports",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    summary = models.JSONField(_("summary"), default=dict)
    rows = models.JSONField(_("rows"), default=list)
    #: How many ``rows``, and the first of them: what the preview shows, so that a page that
    #: reloads while a large file is written never reads them all.
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    first_rows = models.JSONField(_("first rows"), default=list)
    problems = models.JSONField(_("problems"), default=list)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    reason = models.TextField(_("reason for corrections"), blank=True)
    #: A large import is confirmed (``queued_at``), then written by the background worker
    #: (``started_at``, then ``committed_at``); ``failure`` names why it was not written.
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    failure = models.CharField(
        _("failure"), max_length=20, choices=ImportFailure.choices, blank=True
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("measurements:import_preview", args=[self.token])

    @property
    def is_waiting(self) -> bool:
        """Confirmed and queued for the background worker, not written (nor failed) yet."""
        return bool(self.queued_at and not self.committed_at and not self.failure)


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class OverviewExport(FileJob):
    """The overview's raw data, written to a file by the background worker for the one who
    asked (an export of more than ``EXPORT_BACKGROUND_ROWS`` values; its life is
    ``core.jobs``): the filter it was asked with, ``done`` of ``total`` rows written, then the
    file, until ``EXPORT_KEEP_HOURS`` after it was asked for."""

    status_url_name = "measurements:export_status"
    download_url_name = "measurements:export_download"
    file_folder = "exports"

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="overview_exports",
        verbose_name=_("programme"),
    )
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    #: The overview's filter (``tema``, ``nettverk``, ``fylke``) as a query string.
    query = models.CharField(
        _("filter"), max_length=500, blank=True, validators=[validate_single_line]
    )
    filename = models.CharField(_("file name"), max_length=100, validators=[validate_single_line])

    class Meta(FileJob.Meta):
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    @property
    def file_extension(self) -> str:
        return self.format
