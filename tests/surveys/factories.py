"""Helpers for the reputation survey tests: runs with dates relative to today, answers stored
through the service (as the answer page stores them), and the answer form's POST data."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from measurements.models import MeasurementRound
from surveys.models import Questionnaire, Statement, SurveyRun
from surveys.services import submit_response

#: A respondent's ratings: one value (the same for every statement) or one per statement;
#: None is «don't know».
Ratings = int | None | Sequence[int | None]


def questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(programme__slug="saman-om-ein-betre-kommune", version=1)


def statements_of(run: SurveyRun) -> list[Statement]:
    return list(Statement.objects.filter(questionnaire_id=run.questionnaire_id))


def open_run(
    project,
    round: MeasurementRound,
    group: str = "employees",
    *,
    questionnaire_: Questionnaire | None = None,
    accepts_open_link: bool = True,
) -> SurveyRun:
    today = timezone.localdate()
    return SurveyRun.objects.create(
        local_project=project,
        round=round,
        target_group=group,
        questionnaire=questionnaire_ or questionnaire(),
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
        accepts_open_link=accepts_open_link,
    )


def _values(run: SurveyRun, ratings: Ratings) -> dict[int, int | None]:
    statements = statements_of(run)
    if ratings is None or isinstance(ratings, int):
        ratings = [ratings] * len(statements)
    return {s.pk: value for s, value in zip(statements, ratings, strict=True)}


def answer(
    run: SurveyRun, ratings: Ratings = 4, words=("", "", ""), *, open_link: bool = False
) -> None:
    """Store an answer as an invitation link stores it (``open_link``: as the open link)."""
    submit_response(
        run=run,
        answers=_values(run, ratings),
        words=tuple(words),
        through_open_link=open_link,
    )


def answer_many(run: SurveyRun, count: int, ratings: Ratings = 4, *, open_link=False) -> None:
    for _number in range(count):
        answer(run, ratings, open_link=open_link)


def form_data(run: SurveyRun, ratings: Ratings = 4, words=(), **extra) -> dict:
    """What the answer form posts: ``ratings``, None posted as «don't know» («0»), and up to
    three ``words`` (the fields not given are posted blank)."""
    data = {"revision": str(run.questionnaire.revision), "invitation": ""}
    for statement_id, value in _values(run, ratings).items():
        data[f"s{statement_id}"] = "0" if value is None else str(value)
    blank = [""] * (3 - len(words))
    data.update(zip(["word_1", "word_2", "word_3"], [*words, *blank], strict=True))
    data.update(extra)
    return data
