"""Anonymous evaluations and their results."""

import io

import openpyxl
import pytest
from django.urls import reverse

from gatherings import services
from gatherings.models import EvaluationAnswer, EvaluationSubmission, Gathering
from municipalities.models import Participant, ParticipantRole
from tests.gatherings.conftest import add_participant, en_url, in_days
from tests.gatherings.factories import RegistrationFactory
from tests.gatherings.test_editor import rivenes
from tests.spreadsheets import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_me(participant, first_gathering):
    me = Participant.objects.get(user=participant)
    RegistrationFactory(gathering=first_gathering, participant=me)
    return me


def answers(gathering, **ratings) -> dict:
    data = {}
    for item in gathering.agenda_items.all():
        data[f"rating_{item.pk}"] = ""
        data[f"comment_{item.pk}"] = ""
    data.update(ratings)
    return data


def test_a_registered_participant_evaluates_anonymously(
    login, participant, registered_me, first_gathering
):
    talk = rivenes(first_gathering)
    client = login(participant)
    assert client.get(reverse("gatherings:evaluate", args=[first_gathering.pk])).status_code == 200
    response = client.post(
        reverse("gatherings:evaluate", args=[first_gathering.pk]),
        answers(
            first_gathering,
            **{
                f"rating_{talk.pk}": "5",
                f"comment_{talk.pk}": "Klargjørende",
                "comment_all": "Bra",
            },
        ),
    )
    assert response.status_code == 302
    assert EvaluationSubmission.objects.filter(
        gathering=first_gathering, participant=registered_me
    ).exists()
    stored = list(EvaluationAnswer.objects.values())
    assert {(a["agenda_item_id"], a["rating"], a["comment"]) for a in stored} == {
        (talk.pk, 5, "Klargjørende"),
        (None, None, "Bra"),
    }
    # Nothing in an answer points at a person, and no time is stored: only its group of five.
    fields = {field.name for field in EvaluationAnswer._meta.get_fields()}
    assert fields == {"id", "gathering", "agenda_item", "rating", "comment", "group"}
    assert not any(
        field.is_relation and field.related_model in {Participant, EvaluationSubmission}
        for field in EvaluationAnswer._meta.get_fields()
    )
    assert {field.name for field in EvaluationSubmission._meta.get_fields()} == {
        "id",
        "gathering",
        "participant",
    }


def test_a_participant_evaluates_once(login, participant, registered_me, first_gathering):
    client = login(participant)
    url = reverse("gatherings:evaluate", args=[first_gathering.pk])
    client.post(url, answers(first_gathering, comment_all="Første"))
    page = client.get(en_url("gatherings:evaluate", first_gathering.pk))
    assert "you have already evaluated" in page.content.decode()
    client.post(url, answers(first_gathering, comment_all="Andre"))
    assert list(EvaluationAnswer.objects.values_list("comment", flat=True)) == ["Første"]


def test_an_empty_evaluation_is_refused(login, participant, registered_me, first_gathering):
    response = login(participant).post(
        en_url("gatherings:evaluate", first_gathering.pk), answers(first_gathering)
    )
    assert "Give at least one rating or comment." in response.content.decode()
    assert not EvaluationSubmission.objects.exists()


def test_only_registered_participants_evaluate(login, leader_karmoy, first_gathering):
    response = login(leader_karmoy).get(reverse("gatherings:evaluate", args=[first_gathering.pk]))
    assert response.status_code == 403


def test_evaluation_opens_on_the_last_day(login, participant, coming_gathering):
    me = Participant.objects.get(user=participant)
    RegistrationFactory(gathering=coming_gathering, participant=me)
    response = login(participant).post(
        en_url("gatherings:evaluate", coming_gathering.pk), {"comment_all": "For tidlig"}
    )
    assert "The evaluation opens on" in response.content.decode()
    assert not EvaluationAnswer.objects.exists()
    Gathering.objects.filter(pk=coming_gathering.pk).update(
        start_date=in_days(-1), end_date=in_days(0)
    )
    assert (
        login(participant)
        .get(reverse("gatherings:evaluate", args=[coming_gathering.pk]))
        .status_code
        == 200
    )


FIVE_ANSWERS = [(5, "Svært bra"), (4, ""), (2, "=SUM(A1:A9)"), (4, ""), (5, "")]


def _evaluated_by_five(gathering, karmoy, answers=FIVE_ANSWERS, first=0):
    talk = rivenes(gathering)
    for n, (rating, comment) in enumerate(answers, start=first):
        person = add_participant(karmoy, f"Deltaker {n}", ParticipantRole.OTHER)
        services.submit_evaluation(
            gathering=gathering,
            participant=person,
            answers=[services.Answer(talk, rating, comment)],
        )
    return talk


def test_results_are_hidden_until_five_have_answered(
    login, facilitator, participant, registered_me, first_gathering
):
    login(participant).post(
        reverse("gatherings:evaluate", args=[first_gathering.pk]),
        answers(first_gathering, comment_all="Kan gjenkjennes"),
    )
    page = login(facilitator).get(en_url("gatherings:evaluation_results", first_gathering.pk))
    content = page.content.decode()
    assert "1 participant has answered." in content
    assert "Kan gjenkjennes" not in content
    export = login(facilitator).get(
        reverse("gatherings:evaluation_export", args=[first_gathering.pk, "csv"])
    )
    assert export.status_code == 302


def test_facilitator_sees_averages_counts_and_comments(login, facilitator, karmoy, first_gathering):
    _evaluated_by_five(first_gathering, karmoy)
    page = login(facilitator).get(en_url("gatherings:evaluation_results", first_gathering.pk))
    result = next(
        r for r in page.context["evaluation"].results if r.title.startswith("Together for a")
    )
    assert result.ratings == 5
    assert result.average == pytest.approx(20 / 5)
    assert dict(result.distribution) == {1: 0, 2: 1, 3: 0, 4: 2, 5: 2}
    assert sorted(result.comments) == ["=SUM(A1:A9)", "Svært bra"]
    assert "4.0" in page.content.decode()


def test_evaluation_exports(login, facilitator, karmoy, first_gathering):
    _evaluated_by_five(first_gathering, karmoy)
    client = login(facilitator)
    response = client.get(en_url("gatherings:evaluation_export", first_gathering.pk, "csv"))
    rows = csv_rows(response)
    assert rows[0] == [
        "When",
        "Agenda item",
        "Ratings",
        "Average",
        "5",
        "4",
        "3",
        "2",
        "1",
        "Comments",
    ]
    row = next(r for r in rows if r[1].startswith("Together for a"))
    assert row[0] == "02/16/2012 10:20"
    assert row[2:9] == ["5", "4,00", "2", "2", "0", "1", "0"]
    assert "'=SUM(A1:A9)" in row[9] or row[9].startswith("Svært bra")
    response = client.get(en_url("gatherings:evaluation_export", first_gathering.pk, "xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Ratings", "Comments"]
    comments = [row[2].value for row in workbook["Comments"].iter_rows(min_row=2)]
    assert "=SUM(A1:A9)" in comments
    formula = next(
        row[2] for row in workbook["Comments"].iter_rows(min_row=2) if row[2].value.startswith("=")
    )
    assert formula.data_type == "s"


def test_one_more_answer_never_changes_the_results_by_one_person(
    login, facilitator, karmoy, first_gathering
):
    """Comparing the page before and after one more answer must not show that answer: results
    grow a whole group of five at a time."""
    _evaluated_by_five(first_gathering, karmoy)
    client = login(facilitator)
    url = en_url("gatherings:evaluation_results", first_gathering.pk)
    before = client.get(url).context["evaluation"]
    _evaluated_by_five(first_gathering, karmoy, [(1, "Kan gjenkjennes")], first=5)
    page = client.get(url)
    after = page.context["evaluation"]
    assert after.submissions == 6 and after.counted == 5
    assert [(r.ratings, r.average, r.comments) for r in after.results] == [
        (r.ratings, r.average, r.comments) for r in before.results
    ]
    assert "Kan gjenkjennes" not in page.content.decode()
    assert "The results show the first 5 answers" in page.content.decode()
    _evaluated_by_five(first_gathering, karmoy, [(3, "")] * 4, first=6)
    result = next(
        r
        for r in client.get(url).context["evaluation"].results
        if r.title.startswith("Together for a")
    )
    assert result.ratings == 10 and "Kan gjenkjennes" in result.comments


def test_the_results_show_a_bar_per_rated_agenda_item(login, facilitator, karmoy, first_gathering):
    talk = _evaluated_by_five(first_gathering, karmoy)
    page = login(facilitator).get(en_url("gatherings:evaluation_results", first_gathering.pk))
    content = page.content.decode()
    svg = content[content.index('<svg class="np-chart np-bar-chart"') : content.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="average-chart-title average-chart-desc"' in svg
    assert '<title id="average-chart-title">Average rating per agenda item' in svg
    assert f"{talk.title[:20]}" in svg and ": 4.0." in svg
    assert svg.count('<rect class="np-chart__bar') == 1  # the items nobody rated are left out
    assert "style=" not in svg
    others = [i.title for i in first_gathering.agenda_items.exclude(pk=talk.pk)]
    assert others and not any(f">{title}<" in svg for title in others)
    assert 'id="ratings-caption"' in content  # the table beside it


def test_no_bar_chart_before_five_have_answered(login, facilitator, karmoy, first_gathering):
    _evaluated_by_five(first_gathering, karmoy, answers=FIVE_ANSWERS[:4])
    page = login(facilitator).get(en_url("gatherings:evaluation_results", first_gathering.pk))
    assert "<svg" not in page.content.decode().split("<main", 1)[1]
