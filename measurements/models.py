"""What local projects measure, in which rounds, against which goals, and how anchored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipalities.models import LocalProject
from network.models import Programme, Theme


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
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    definition = models.TextField(_("definition"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("A suggested default the programme can change.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

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
        return reverse("admin:measurements_indicator_change", args=[self.pk])


class RoundKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    END = "end", _("End of project")
    OTHER = "other", _("Other")


class MeasurementRound(models.Model):
    """A measurement round of a programme: the baseline (2012), the end (May 2013), more."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("measurement round")
        verbose_name_plural = _("measurement rounds")
        ordering = ["programme", "position", "opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"], name="measurements_round_unique_slug_per_programme"
            ),
            models.UniqueConstraint(
                fields=["programme", "kind"],
                condition=~Q(kind=RoundKind.OTHER),
                name="measurements_round_one_baseline_and_end_per_programme",
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
        return reverse("admin:measurements_measurementround_change", args=[self.pk])


class MeasurementSource(models.TextChoices):
    FORM = "form", _("Reported in a form")
    IMPORT = "import", _("Imported from a file")
    SURVEY = "survey", _("Reputation survey")


class Measurement(models.Model):
    """One value of one indicator for one local project in one round."""

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

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["local_project", "indicator", "round__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_project", "indicator", "round"],
                name="measurements_measurement_one_value_per_round",
                violation_error_message=_("This indicator already has a value in this round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.round}): {self.value}"

    def get_absolute_url(self) -> str:
        return reverse("admin:measurements_measurement_change", args=[self.pk])


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
        return reverse("admin:measurements_goal_change", args=[self.pk])


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
        return reverse("admin:measurements_anchoringassessment_change", args=[self.pk])

    @property
    def statement(self) -> str:
        return str(ANCHORING_STATEMENTS[AnchoringStage(self.stage)])
