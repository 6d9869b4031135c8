"""The survey results as a table – aggregated, never per respondent.

One row per statement of each closed run with enough answers: how many gave each rating 1–6 and
«vet ikke», and the mean. A statement with fewer than ``MIN_ANSWERS`` ratings gives its «vet
ikke» count only. Then one row per word of the three words that at least
``MIN_WORD_RESPONDENTS`` respondents gave, with that number. No row says anything about one
respondent: no date, time, language or order of answering. ``lenke`` says how the answers came
in: «invitasjon» (one-time links only; the official index) or «åpen lenke».
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet

from .models import OPEN_LINK_NB, SurveyAnswer, SurveyResponse, SurveyRun
from .results import compute
from .selectors import export_runs, questionnaire_statements

DONT_KNOW_TEXT = "vet ikke"
INVITATION_NB = "invitasjon"
STATEMENT_ROW = "påstand"
WORD_ROW = "ord"
COLUMNS = [
    "prosjekt",
    "prosjektnavn",
    "kommunenummer",
    "måling",
    "målgruppe",
    "undersøkelse",
    "spørreskjema",
    "lenke",
    "svar",
    "rad",
    "påstand",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "vet_ikke",
    "snitt",
    "ord",
    "antall",
]


def result_table(runs: QuerySet[SurveyRun]) -> tuple[list[str], list[list]]:
    """``(header, rows)`` for the closed runs among ``runs`` with enough answers. Four
    queries and one per questionnaire version (cached), whatever the number of responses."""
    runs = export_runs(runs)
    run_ids = [r.pk for r in runs]
    counts: dict[int, list[tuple[int, int | None, int]]] = defaultdict(list)
    for run_id, statement_id, value, count in (
        SurveyAnswer.objects.filter(response__run__in=run_ids)
        .order_by()
        .values_list("response__run_id", "statement_id", "value")
        .annotate(count=Count("pk"))
    ):
        counts[run_id].append((statement_id, value, count))
    words: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for run_id, *three in (
        SurveyResponse.objects.filter(run__in=run_ids)
        .exclude(word_1="", word_2="", word_3="")
        .values_list("run_id", "word_1", "word_2", "word_3")
    ):
        words[run_id].append(tuple(three))
    rows = []
    for run in runs:
        results = compute(
            responses=run.response_count,
            statements=questionnaire_statements(run.questionnaire),
            rows=counts[run.pk],
            words=sorted(words[run.pk]),
            language="nb",
            open_link=run.open_link_count,
        )
        project = run.local_project
        lead = [
            project.slug,
            project.name,
            " ".join(m.number for m in project.municipalities.all()),
            run.round.name,
            run.target_group,
            run.pk,
            run.questionnaire.version,
            OPEN_LINK_NB if results.through_open_link else INVITATION_NB,
            results.responses,
        ]
        for result in results.statements:
            ratings = [count if count is not None else "" for _value, count in result.distribution]
            mean = "" if result.mean is None else result.mean
            code = result.statement.code
            rows.append([*lead, STATEMENT_ROW, code, *ratings, result.dont_know, mean, "", ""])
        for word, count in results.words:
            rows.append([*lead, WORD_ROW, "", *[""] * 8, word, count])
    return COLUMNS, rows
