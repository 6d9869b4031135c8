"""Models of the reputation survey; imported by ``measurements.models``.

Anonymity is in the schema: a :class:`SurveyResponse` holds its run, whether it came through the
open link, and the three words, and nothing else – no account, e-mail or IP address, no user
agent, no language, no date or time. An invitation is stored only as the hash of its one-time
token, never linked to a response.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import validate_single_line
from core.tokens import random_token
from measurements.models import MeasurementRound
from municipalities.models import LocalProject
from network.models import Programme

#: The scale: 1 (strongly disagree) to 6 (strongly agree); «don't know» is stored as NULL.
SCALE = range(1, 7)
#: No result of a run with fewer answers than this is shown, exported or written.
MIN_ANSWERS = 5
#: A word of the three words is shown only when at least this many respondents gave it.
MIN_WORD_RESPONDENTS = 3
#: How results, notes and exports name a run whose answers came (partly) through the open link.
OPEN_LINK_NB = "åpen lenke"
#: The three words: at most this many characters each.
WORD_MAX = 40
LANGUAGES = [("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")]


class TargetGroup(models.TextChoices):
    EMPLOYEES = "employees", _("Employees")
    RESIDENTS = "residents", _("Residents")
    APPLICANTS = "applicants", _("Applicants")
    POLITICIANS = "politicians", _("Politicians")


#: The target group as indicator names and notes write it: data in Norwegian, like the
#: programme's catalogue (``programme_2012.CATALOGUE``).
TARGET_GROUP_NB = {
    TargetGroup.EMPLOYEES: "ansatte",
    TargetGroup.RESIDENTS: "innbyggere",
    TargetGroup.APPLICANTS: "søkere",
    TargetGroup.POLITICIANS: "politikere",
}


class StatementGroup(models.TextChoices):
    EMPLOYER = "employer", _("The municipality as an employer")
    COMMUNITY = "community", _("The municipality as a community")


class QuestionnaireQuerySet(models.QuerySet):
    def with_frozen(self) -> QuestionnaireQuerySet:
        """Annotate ``frozen``: some run of the questionnaire has an answer."""
        return self.annotate(
            frozen=Exists(SurveyResponse.objects.filter(run__questionnaire=OuterRef("pk")))
        )

    def current_for(self, programme_id: int) -> Questionnaire | None:
        """The programme's current questionnaire: its latest version."""
        return self.filter(programme_id=programme_id).order_by("-version").first()


class Questionnaire(models.Model):
    """A version of the programme's standard reputation questionnaire.

    Its texts are data in three languages – they are what is measured, so they are frozen
    (together with the statements) as soon as any run of it has an answer. A change after that
    is a new version; a project's later runs keep the version of its first, so its baseline and
    end stay comparable.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("programme"),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    intro_nb = models.TextField(_("introduction (Bokmål)"), blank=True)
    intro_nn = models.TextField(_("introduction (Nynorsk)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    words_question_nb = models.CharField(
        _("three-words question (Bokmål)"), max_length=200, validators=[validate_single_line]
    )
    words_question_nn = models.CharField(
        _("three-words question (Nynorsk)"), max_length=200, validators=[validate_single_line]
    )
    words_question_en = models.CharField(
        _("three-words question (English)"), max_length=200, validators=[validate_single_line]
    )
    #: Raised on every change before the questionnaire is frozen: keys the cached copy the
    #: answer page reads, and tells a respondent's form that the texts changed under it.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("reputation questionnaire")
        verbose_name_plural = _("reputation questionnaires")
        ordering = ["programme", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"],
                name="surveys_questionnaire_unique_version",
                violation_error_message=_("The programme already has this questionnaire version."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Reputation questionnaire, version %(version)s") % {"version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("admin:surveys_questionnaire_change", args=[self.pk])

    def intro(self, language: str) -> str:
        return _in_language(self, "intro", language)

    def words_question(self, language: str) -> str:
        return _in_language(self, "words_question", language)


def _in_language(obj, field: str, language: str) -> str:
    """The text in ``language`` (nb, nn, en); Bokmål when that one is empty."""
    code = language if language in ("nb", "nn", "en") else "nb"
    return getattr(obj, f"{field}_{code}") or getattr(obj, f"{field}_nb")


class Statement(models.Model):
    """A statement rated 1–6 or «don't know». ``code`` names it in exports and links it
    across questionnaire versions (a new version keeps the code only for an unchanged
    meaning)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("questionnaire"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("A short name for exports, e.g. attraktiv-arbeidsgiver."),
    )
    group = models.CharField(_("about"), max_length=20, choices=StatementGroup.choices)
    text_nb = models.CharField(
        _("statement (Bokmål)"), max_length=180, validators=[validate_single_line]
    )
    text_nn = models.CharField(
        _("statement (Nynorsk)"), max_length=180, validators=[validate_single_line]
    )
    text_en = models.CharField(
        _("statement (English)"), max_length=180, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"],
                name="surveys_statement_unique_code",
                violation_error_message=_(
                    "The questionnaire already has a statement with this code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text_nb

    def get_absolute_url(self) -> str:
        return self.questionnaire.get_absolute_url()

    def text(self, language: str) -> str:
        return _in_language(self, "text", language)


def new_token() -> str:
    """A run's open-link token (the migrations name this function)."""
    return random_token(16)


class RunState(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open for answers")
    ENDED = "ended", _("Ended – not closed yet")
    CLOSED = "closed", _("Closed")


class SurveyRunQuerySet(models.QuerySet):
    def with_response_count(self) -> SurveyRunQuerySet:
        """Annotate ``response_count`` and ``open_link_count`` (the answers that came through
        the open link)."""
        return self.annotate(
            response_count=models.Count("responses"),
            open_link_count=models.Count("responses", filter=Q(responses__through_open_link=True)),
        )


class SurveyRun(models.Model):
    """A local project's survey of one target group in one measurement round.

    Each one-time invitation link answers once between the open and close dates; anyone with
    the run's open link (``/undersokelse/<token>/``) too, unless it takes answers by invitation
    only. Only a run without open-link answers gives the official reputation index. Closing
    it – by hand, also after the close date; nothing runs in the background – writes its
    results into the project's values for the round (``surveys.services.close_run``).
    """

    local_project = models.ForeignKey(
        LocalProject,
        on_delete=models.CASCADE,
        related_name="survey_runs",
        verbose_name=_("local project"),
    )
    round = models.ForeignKey(
        MeasurementRound,
        on_delete=models.PROTECT,
        related_name="survey_runs",
        verbose_name=_("measurement round"),
    )
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="runs",
        verbose_name=_("questionnaire"),
    )
    token = models.CharField(
        _("link token"), max_length=43, unique=True, default=new_token, editable=False
    )
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    accepts_open_link = models.BooleanField(
        _("anyone with the open link can answer"),
        default=True,
        help_text=_(
            "Turn off to take answers only through one-time invitation links: only such a "
            "survey gives the official reputation index."
        ),
    )
    #: The only trace of the invitation e-mails: how many were sent.
    invitations_sent = models.PositiveIntegerField(_("invitations sent"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("closed by"),
    )

    objects = SurveyRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey run")
        verbose_name_plural = _("survey runs")
        ordering = ["local_project", "round__position", "target_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_project", "round", "target_group"],
                name="surveys_surveyrun_one_per_round_and_group",
                violation_error_message=_(
                    "The project already has a survey of this target group in this round."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="surveys_surveyrun_dates_ordered",
                violation_error_message=_("A survey cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_project} – {self.round} – {self.get_target_group_display()}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:run", args=[self.local_project.slug, self.pk])

    @property
    def answer_url(self) -> str:
        return reverse("surveys:answer", args=[self.token])

    def state_on(self, day) -> RunState:
        if self.closed_at is not None:
            return RunState.CLOSED
        if day < self.opens_on:
            return RunState.UPCOMING
        if day > self.closes_on:
            return RunState.ENDED
        return RunState.OPEN

    @property
    def state(self) -> RunState:
        return self.state_on(timezone.localdate())

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def has_enough_answers(self) -> bool:
        """Needs the ``response_count`` annotation."""
        return self.response_count >= MIN_ANSWERS

    @property
    def has_open_link_answers(self) -> bool:
        """Some answer came through the open link (needs ``with_response_count``)."""
        return bool(getattr(self, "open_link_count", 0))


class SurveyInvitation(models.Model):
    """A one-time invitation link, stored as the SHA-256 of its token. The address it was sent
    to is not kept, and no response points to it."""

    run = models.ForeignKey(
        SurveyRun,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("survey run"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.run} ({self.token_hash[:8]}…)"

    def get_absolute_url(self) -> str:
        return self.run.get_absolute_url()


class SurveyResponse(models.Model):
    """One respondent's answer to a run: their three words and whether it came through the
    open link. Nothing that says who answered, in which language, or when."""

    run = models.ForeignKey(
        SurveyRun,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("survey run"),
    )
    through_open_link = models.BooleanField(_("through the open link"), default=False)
    word_1 = models.CharField(
        _("word 1"), max_length=WORD_MAX, blank=True, validators=[validate_single_line]
    )
    word_2 = models.CharField(
        _("word 2"), max_length=WORD_MAX, blank=True, validators=[validate_single_line]
    )
    word_3 = models.CharField(
        _("word 3"), max_length=WORD_MAX, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return gettext("An answer to %(run)s") % {"run": self.run}

    def get_absolute_url(self) -> str:
        """The run's results: a single response has no page of its own."""
        return self.run.get_absolute_url()


class SurveyAnswer(models.Model):
    """A response's rating of one statement: 1–6, or NULL for «don't know»."""

    response = models.ForeignKey(
        SurveyResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("response"),
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("statement"),
    )
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="surveys_surveyanswer_one_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=6),
                name="surveys_surveyanswer_value_on_scale",
                violation_error_message=_("A rating is from 1 to 6, or «don't know»."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.code}: {self.value if self.value is not None else '–'}"

    def get_absolute_url(self) -> str:
        return self.response.get_absolute_url()
