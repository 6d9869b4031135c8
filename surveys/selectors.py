"""Reads for the survey pages, each with a fixed number of queries.

The answer pages read their run, questionnaire and statements from the cache
(``answer_page_run``): a committed change of any of them is seen on the next request. The
statements are cached by the questionnaire's revision, so an administrator's change is seen at
once and a frozen questionnaire is read from the database once per cache lifetime.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language

from core.norwegian import norwegian_key
from core.subqueries import count_of, json_rows, sum_of
from measurements.models import Direction, Indicator, MeasurementRound, RoundKind, Unit
from measurements.numbers import Change, compare, format_difference
from municipalities.models import LocalProject, Municipality
from network.models import Programme

from .models import (
    MIN_ANSWERS,
    Questionnaire,
    Statement,
    SurveyAnswer,
    SurveyResponse,
    SurveyRun,
    TargetGroup,
)
from .results import INDEX_PLACES, RunResults, compute, mean_of, reputation_index, to_decimal

STATEMENTS_CACHE_SECONDS = 24 * 60 * 60


def language() -> str:
    """The active language as a questionnaire language (nb, nn, en)."""
    code = (get_language() or "nb")[:2]
    return code if code in ("nb", "nn", "en") else "nb"


def questionnaire_statements(questionnaire: Questionnaire) -> list[Statement]:
    """The statements in order, from the cache when the questionnaire has not changed."""
    key = f"survey:statements:{questionnaire.pk}:{questionnaire.revision}"
    statements = cache.get(key)
    if statements is None:
        statements = list(Statement.objects.filter(questionnaire_id=questionnaire.pk))
        cache.set(key, statements, STATEMENTS_CACHE_SECONDS)
    return statements


#: Bumped after every committed change of a run, a questionnaire, a statement or a project
#: (their ``save``/``delete`` signals, and ``answer_pages_changed`` after an ``update()``): the
#: answer pages' cached runs of an older generation are read again. Entries expire anyway.
ANSWER_RUN_GENERATION = "survey:answer-run:generation"
ANSWER_RUN_CACHE_SECONDS = 10 * 60
_TOKEN_LENGTH = SurveyRun._meta.get_field("token").max_length


def answer_page_run(token: str) -> SurveyRun | None:
    """The run behind an answer link with what the answer pages need: its questionnaire, the
    project's name, its programme and the statements (``run.statements``).

    From the cache while nothing changed (no query, one cache round trip), else two queries.
    The entry carries the generation read before the database, so a change committed meanwhile
    is never cached as current; whether the run is closed is checked again where the answer is
    stored (``services.submit_response``)."""
    if len(token) > _TOKEN_LENGTH:
        return None
    key = f"survey:answer-run:{token}"
    found = cache.get_many([ANSWER_RUN_GENERATION, key])
    generation = found.get(ANSWER_RUN_GENERATION)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(ANSWER_RUN_GENERATION, generation, None):
            generation = cache.get(ANSWER_RUN_GENERATION)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    run = (
        SurveyRun.objects.select_related("questionnaire", "local_project__network__programme")
        .only(*_ANSWER_RUN_FIELDS)
        .filter(token=token)
        .order_by()
        .first()
    )
    if run is not None:
        run.statements = list(Statement.objects.filter(questionnaire_id=run.questionnaire_id))
        cache.set(key, (generation, run), ANSWER_RUN_CACHE_SECONDS)
    return run


_ANSWER_RUN_FIELDS = (
    "token",
    "target_group",
    "opens_on",
    "closes_on",
    "closed_at",
    "accepts_open_link",
    "questionnaire",
    "local_project",
    "local_project__name",
    "local_project__slug",
    "local_project__network",
    "local_project__network__programme",
    # what the heading, the breadcrumbs, the header and the footer name of the programme
    *(
        f"local_project__network__programme__{field}"
        for field in ("slug", "start_year", "end_year", "is_current")
    ),
    # its translated texts in every language (the page's, and Bokmål to fall back on)
    *(
        f"local_project__network__programme__{field}_{code}"
        for field in ("name", "owners")
        for code in ("nb", "nn", "en")
    ),
    *(
        f"questionnaire__{field}_{code}"
        for field in ("intro", "words_question")
        for code in ("nb", "nn", "en")
    ),
    "questionnaire__revision",
)


def answer_pages_changed() -> None:
    """Have the answer pages read their runs again: at once, and again when the current
    transaction commits (a page that read the database before the commit must not keep what
    it read)."""
    _new_answer_run_generation()
    transaction.on_commit(_new_answer_run_generation)


def _new_answer_run_generation() -> None:
    cache.set(ANSWER_RUN_GENERATION, uuid.uuid4().hex, None)


@receiver([post_save, post_delete], sender=SurveyRun)
@receiver([post_save, post_delete], sender=Questionnaire)
@receiver([post_save, post_delete], sender=Statement)
@receiver([post_save, post_delete], sender=LocalProject)
@receiver([post_save, post_delete], sender=Programme)
def _answer_run_changed(sender, **kwargs) -> None:
    answer_pages_changed()


# --- Who runs surveys ---------------------------------------------------------------------------


def _reputation_index(theme_id) -> QuerySet[Indicator]:
    return Indicator.objects.catalogue().filter(theme_id=theme_id, measured_by_survey=True)


def with_survey_flag(projects: QuerySet[LocalProject]) -> QuerySet[LocalProject]:
    """Annotated with ``runs_reputation_survey``, which ``runs_surveys`` reads."""
    return projects.annotate(
        runs_reputation_survey=Exists(_reputation_index(OuterRef("network__theme_id")))
    )


def runs_surveys(project: LocalProject) -> bool:
    """Whether the project's theme runs the reputation survey, asked once per project object
    (read from the ``with_survey_flag`` annotation when the query set it)."""
    cached = getattr(project, "runs_reputation_survey", None)
    if cached is None:
        cached = _reputation_index(project.network.theme_id).exists()
        project.runs_reputation_survey = cached
    return cached


# --- Runs and results ---------------------------------------------------------------------------

_GROUP_ORDER = {group: position for position, group in enumerate(TargetGroup.values)}


def sort_runs(runs: Iterable[SurveyRun]) -> list[SurveyRun]:
    return sorted(
        runs, key=lambda r: (r.round.position, r.round.opens_on, _GROUP_ORDER[r.target_group])
    )


def project_runs(project: LocalProject) -> list[SurveyRun]:
    """The project's runs with their response counts, by round and target group. One query."""
    return sort_runs(
        SurveyRun.objects.filter(local_project=project)
        .select_related("round", "questionnaire")
        .with_response_count()
    )


def project_run(project: LocalProject, pk: int) -> SurveyRun | None:
    return (
        SurveyRun.objects.filter(local_project=project, pk=pk)
        .select_related("round", "questionnaire", "closed_by")
        .with_response_count()
        .first()
    )


def run_results(run: SurveyRun, statements: list[Statement] | None = None) -> RunResults:
    """The run's results as they are in the database now: three queries (four without
    ``statements`` and the cache), one when the run has too few answers."""
    responses = getattr(run, "response_count", None)
    open_link = getattr(run, "open_link_count", None)
    if responses is None or open_link is None:
        responses, open_link = response_counts(run)
    if responses < MIN_ANSWERS:
        return RunResults(responses=responses, open_link=open_link)
    if statements is None:
        statements = questionnaire_statements(run.questionnaire)
    rows = (
        SurveyAnswer.objects.filter(response__run=run)
        .order_by()
        .values_list("statement_id", "value")
        .annotate(count=Count("pk"))
    )
    words = (
        SurveyResponse.objects.filter(run=run)
        .exclude(word_1="", word_2="", word_3="")
        .values_list("word_1", "word_2", "word_3")
    )
    return compute(
        responses=responses,
        statements=statements,
        rows=rows,
        words=words,
        language=language(),
        open_link=open_link,
    )


def response_counts(run: SurveyRun) -> tuple[int, int]:
    """``(responses, of which through the open link)``: one query."""
    counts = SurveyResponse.objects.filter(run=run).aggregate(
        total=Count("pk"), open_link=Count("pk", filter=Q(through_open_link=True))
    )
    return counts["total"], counts["open_link"]


# --- Baseline against end -----------------------------------------------------------------------


@dataclass
class ComparedStatement:
    text: str
    baseline: Decimal | None
    end: Decimal | None

    @property
    def change(self) -> Change | None:
        if self.baseline is None or self.end is None:
            return None
        return compare(self.baseline, self.end, Direction.HIGHER_IS_BETTER)

    @property
    def difference(self) -> str:
        if self.change is None:
            return ""
        return format_difference(self.end - self.baseline, Unit.SCORE)


@dataclass
class Comparison:
    """One project's baseline run against its end run for one target group."""

    baseline: SurveyRun | None
    end: SurveyRun | None
    problem: str = ""  # why the runs cannot be compared; empty when they can
    baseline_results: RunResults | None = None
    end_results: RunResults | None = None
    statements: list[ComparedStatement] | None = None
    index: ComparedStatement | None = None


_COMPARED_KINDS = [RoundKind.BASELINE, RoundKind.END]


def _paired(runs: Iterable[SurveyRun]) -> Comparison:
    """The baseline and the end run among ``runs`` (of one target group, each with
    ``with_response_count``), and why they cannot be compared, if they cannot: only closed runs
    with enough answers of the same questionnaire version."""
    by_kind = {run.round.kind: run for run in sort_runs(runs)}
    result = Comparison(baseline=by_kind.get(RoundKind.BASELINE), end=by_kind.get(RoundKind.END))
    if result.baseline is None or result.end is None:
        result.problem = "missing"
    elif not (result.baseline.is_closed and result.end.is_closed):
        result.problem = "open"
    elif result.baseline.questionnaire_id != result.end.questionnaire_id:
        result.problem = "versions"
    elif not (result.baseline.has_enough_answers and result.end.has_enough_answers):
        result.problem = "too_few"
    return result


def comparison(project: LocalProject, group: str) -> Comparison:
    """Compare the project's baseline and end runs of ``group``: only closed runs with enough
    answers of the same questionnaire version. Seven queries at most."""
    result = _paired(
        SurveyRun.objects.filter(
            local_project=project, target_group=group, round__kind__in=_COMPARED_KINDS
        )
        .select_related("round", "questionnaire")
        .with_response_count()
    )
    if result.problem:
        return result
    statements = questionnaire_statements(result.baseline.questionnaire)
    before = run_results(result.baseline, statements)
    after = run_results(result.end, statements)
    result.baseline_results, result.end_results = before, after
    result.statements = [
        ComparedStatement(text=b.text, baseline=b.mean, end=a.mean)
        for b, a in zip(before.statements, after.statements, strict=True)
    ]
    result.index = ComparedStatement(text="", baseline=before.index, end=after.index)
    return result


# --- The final report ---------------------------------------------------------------------------


def with_report_survey(projects: QuerySet[LocalProject]) -> QuerySet[LocalProject]:
    """Annotated with what the final report's reputation index (``report_comparisons``) reads,
    in the projects' own query: ``survey_run_rows``, each run of the project with its round,
    whether it is closed and its response counts; and ``survey_rating_rows``, for each statement
    of each closed baseline or end run how many rated it (not «don't know») and the sum of
    their ratings."""
    responses = SurveyResponse.objects.filter(run=OuterRef("pk"))
    runs = json_rows(
        SurveyRun.objects.filter(local_project=OuterRef("pk")),
        "id",
        "target_group",
        "questionnaire_id",
        "closed_at",
        "round_id",
        round_kind="round__kind",
        round_position="round__position",
        round_opens_on="round__opens_on",
        response_count=count_of(responses),
        open_link_count=count_of(responses.filter(through_open_link=True)),
    )
    rated = SurveyAnswer.objects.filter(
        statement=OuterRef("pk"), response__run=OuterRef("run_id"), value__isnull=False
    )
    ratings = json_rows(
        # A row for each statement of each such run's questionnaire.
        Statement.objects.filter(
            questionnaire__runs__local_project=OuterRef("pk"),
            questionnaire__runs__round__kind__in=_COMPARED_KINDS,
            questionnaire__runs__closed_at__isnull=False,
        ).annotate(run_id=F("questionnaire__runs__id")),
        run_id="run_id",
        answered=count_of(rated),
        total=sum_of(rated, "value"),
    )
    return projects.annotate(survey_run_rows=runs, survey_rating_rows=ratings)


def report_comparisons(project: LocalProject) -> list[tuple[TargetGroup, Comparison]]:
    """The baseline and end runs compared for each target group the project surveyed, in
    ``TargetGroup`` order, with only the reputation index (``Comparison.index``; no results,
    no statements). No query for a project loaded with ``with_report_survey``, one otherwise."""
    loaded = project
    if not hasattr(loaded, "survey_run_rows"):
        loaded = with_report_survey(LocalProject.objects.filter(pk=project.pk)).get()
    runs: dict[str, list[SurveyRun]] = {}
    for row in loaded.survey_run_rows or []:
        runs.setdefault(row["target_group"], []).append(_reported_run(project, row))
    ratings: dict[int, list[tuple[int, int]]] = {}
    for row in loaded.survey_rating_rows or []:
        ratings.setdefault(row["run_id"], []).append((row["total"], row["answered"]))
    comparisons = []
    for group in TargetGroup:
        if group.value not in runs:
            continue
        result = _paired(runs[group.value])
        if not result.problem:
            result.index = ComparedStatement(
                text="",
                baseline=_index(ratings.get(result.baseline.pk, [])),
                end=_index(ratings.get(result.end.pk, [])),
            )
        comparisons.append((group, result))
    return comparisons


def _reported_run(project: LocalProject, row: dict) -> SurveyRun:
    """A run of ``project`` from a row of ``survey_run_rows``: what ``_paired`` reads."""
    run = SurveyRun(
        id=row["id"],
        local_project=project,
        target_group=row["target_group"],
        questionnaire_id=row["questionnaire_id"],
        closed_at=_aware(row["closed_at"]),
        round=MeasurementRound(
            id=row["round_id"],
            kind=row["round_kind"],
            position=row["round_position"],
            opens_on=parse_date(str(row["round_opens_on"])),
        ),
    )
    run.response_count = row["response_count"]
    run.open_link_count = row["open_link_count"]
    return run


def _aware(value) -> datetime.datetime | None:
    """A date and time read from JSON (naive from SQLite, which stores UTC)."""
    if value is None:
        return None
    moment = parse_datetime(str(value))
    return timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment


def _index(ratings: list[tuple[int, int]]) -> Decimal | None:
    """The reputation index from ``(sum of ratings, ratings)`` of each statement, as
    ``run_results`` gives it."""
    means = (mean_of(total, answered) for total, answered in ratings)
    index = reputation_index(mean for mean in means if mean is not None)
    return None if index is None else to_decimal(index, INDEX_PLACES)


# --- Leaders' runs on «Mine sider» ----------------------------------------------------------------


def runs_of_projects(
    projects: Iterable[LocalProject],
) -> list[tuple[LocalProject, list[SurveyRun]]]:
    """``[(project, [runs])]`` for those of the given projects that run the survey (read
    ``with_survey_flag``), in their order. One query."""
    projects = [p for p in projects if runs_surveys(p)]
    runs: dict[int, list[SurveyRun]] = {p.pk: [] for p in projects}
    if runs:
        for run in (
            SurveyRun.objects.filter(local_project__in=list(runs))
            .select_related("round")
            .with_response_count()
        ):
            runs[run.local_project_id].append(run)
    return [(p, sort_runs(runs[p.pk])) for p in projects]


# --- Export -------------------------------------------------------------------------------------


def export_runs(runs) -> list[SurveyRun]:
    """The closed runs among ``runs`` with enough answers, with what the export names, by
    project (alphabetical), round and target group."""
    selected = (
        runs.filter(closed_at__isnull=False)
        .select_related("round", "questionnaire", "local_project")
        .prefetch_related(
            Prefetch(
                "local_project__municipalities",
                queryset=Municipality.objects.order_by("number"),
            )
        )
        .with_response_count()
        .filter(response_count__gte=MIN_ANSWERS)
    )
    return sorted(
        sort_runs(selected),
        key=lambda r: (norwegian_key(r.local_project.name), r.local_project_id),
    )
