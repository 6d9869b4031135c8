"""The anonymous answers as a table: one row per response of the closed runs with enough
answers, one column per statement (by code; «vet ikke» for don't know, empty when the run's
questionnaire has no such statement), and the three words. No time finer than the date; within a
run and a day the rows are ordered by their content, so the order says nothing about who
answered first."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from .models import Statement, SurveyAnswer, SurveyResponse, SurveyRun
from .selectors import export_runs

DONT_KNOW_TEXT = "vet ikke"
BASE_COLUMNS = [
    "prosjekt",
    "prosjektnavn",
    "kommunenummer",
    "måling",
    "målgruppe",
    "undersøkelse",
    "spørreskjema",
    "dato",
    "språk",
]
WORD_COLUMNS = ["ord_1", "ord_2", "ord_3"]


def answer_table(runs: QuerySet[SurveyRun]) -> tuple[list[str], list[list]]:
    """``(header, rows)`` for the closed runs among ``runs`` with enough answers. Five
    queries, whatever the number of runs and responses."""
    runs = export_runs(runs)
    statements = list(
        Statement.objects.filter(questionnaire__in={r.questionnaire_id for r in runs}).order_by(
            "questionnaire__version", "position", "pk"
        )
    )
    codes = list(dict.fromkeys(s.code for s in statements))
    code_of = {s.pk: s.code for s in statements}
    by_run = {r.pk: r for r in runs}
    values: dict[int, dict[str, object]] = defaultdict(dict)
    for response_id, statement_id, value in SurveyAnswer.objects.filter(
        response__run__in=list(by_run)
    ).values_list("response_id", "statement_id", "value"):
        values[response_id][code_of[statement_id]] = DONT_KNOW_TEXT if value is None else value
    responses = SurveyResponse.objects.filter(run__in=list(by_run)).values_list(
        "pk", "run_id", "answered_on", "language", "word_1", "word_2", "word_3"
    )
    per_run: dict[int, list[list]] = defaultdict(list)
    for pk, run_id, answered_on, language, *words in responses:
        answers = values.get(pk, {})
        per_run[run_id].append(
            [answered_on.isoformat(), language, *(answers.get(c, "") for c in codes), *words]
        )
    rows = []
    for run in runs:
        project = run.local_project
        lead = [
            project.slug,
            project.name,
            " ".join(m.number for m in project.municipalities.all()),
            run.round.name,
            run.target_group,
            run.pk,
            run.questionnaire.version,
        ]
        rows += [lead + row for row in sorted(per_run[run.pk], key=_content_order)]
    return [*BASE_COLUMNS, *codes, *WORD_COLUMNS], rows


def _content_order(row: list) -> tuple:
    return tuple(str(cell) for cell in row)
