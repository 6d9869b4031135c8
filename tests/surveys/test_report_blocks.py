"""What the reputation survey shows on a project's final report and on its page: the same
index as the comparison page, read without a query of its own on the report, and a constant
number of queries on both pages however many runs and target groups the project has."""

import re

import pytest

from measurements.models import MeasurementRound, RoundKind
from municipalities.models import LocalProject
from surveys import selectors
from surveys.models import Statement
from surveys.services import close_run
from tests.measurements.factories import url
from tests.municipalities.test_final_report import PAGE, report  # noqa: F401
from tests.surveys.factories import answer, answer_many, open_run

pytestmark = pytest.mark.django_db


def closed(project, round, group, count, ratings, *, by):
    run = open_run(project, round, group)
    answer_many(run, count, ratings)
    close_run(run=run, user=by, reason="Test")
    return run


def survey(project, size, *, baseline, end, by):
    """One closed, answered run (size 1); or five runs over three target groups (size 3): two
    groups' baseline and end closed and answered, a third group's baseline still open."""
    closed(project, baseline, "employees", 5, 3, by=by)
    if size == 1:
        return
    closed(project, end, "employees", 6, 4, by=by)
    closed(project, baseline, "residents", 5, 2, by=by)
    closed(project, end, "residents", 7, 5, by=by)
    answer_many(open_run(project, baseline, "applicants"), 2, 4)


def report_rows(html: str) -> dict[str, str]:
    section = re.search(r'id="omdommeundersokelse".*?</section>', html, re.S).group(0)
    return dict(re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', section, re.S))


# --- The final report -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "queries"),
    # The report's own queries (tests/municipalities/test_final_report.py): the survey's part
    # is read in the project's query.
    [("ministry", 8), ("facilitator", 9), ("participant", 9), ("leader_karmoy", 9)],
)
@pytest.mark.parametrize("size", [1, 3])
def test_final_report_reads_as_many_queries_whatever_the_runs(
    login,
    request,
    persona,
    queries,
    size,
    report,  # noqa: F811
    baseline_closed,
    end_round,
    leader_karmoy,
    django_assert_num_queries,
):
    survey(report, size, baseline=baseline_closed, end=end_round, by=leader_karmoy)
    client = login(request.getfixturevalue(persona))
    client.get(PAGE)
    with django_assert_num_queries(queries):
        html = client.get(PAGE).content.decode()
    rows = report_rows(html)
    if size == 1:
        assert list(rows) == ["Employees"]
        assert "no end-of-project survey of this group yet" in rows["Employees"]
    else:
        assert list(rows) == ["Employees", "Residents", "Applicants"]
        assert "40.0" in rows["Employees"] and "60.0" in rows["Employees"]
        assert "20.0" in rows["Residents"] and "80.0" in rows["Residents"]
        assert "no end-of-project survey of this group yet" in rows["Applicants"]


def test_final_report_index_is_the_comparison_pages_index(
    login, leader_karmoy, karmoy, baseline_closed, end_round
):
    """Ratings that differ by statement, «don't know», and a statement rated by fewer than
    five (left out of the index)."""
    before = open_run(karmoy, baseline_closed)
    after = open_run(karmoy, end_round)
    count = Statement.objects.filter(questionnaire_id=before.questionnaire_id).count()
    for number in range(6):
        answer(before, [1 + (number + s) % 6 for s in range(count)])
        ratings = [None if s == 0 and number < 2 else 1 + (number * s) % 6 for s in range(count)]
        answer(after, ratings)
    for run in (before, after):
        close_run(run=run, user=leader_karmoy, reason="Test")
    client = login(leader_karmoy)
    compared = client.get(url("surveys:compare", karmoy.slug, "employees")).context["comparison"]
    assert compared.statements[0].end is None  # four ratings: no mean
    [(group, reported)] = selectors.report_comparisons(
        selectors.with_report_survey(LocalProject.objects.filter(pk=karmoy.pk)).get()
    )
    assert group == "employees"
    assert None not in (reported.index.baseline, reported.index.end)
    assert (reported.index.baseline, reported.index.end) == (
        compared.index.baseline,
        compared.index.end,
    )
    assert reported.index.change == compared.index.change
    assert (reported.baseline.pk, reported.end.pk) == (before.pk, after.pk)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("open", "open"),
        ("too_few", "too_few"),
        ("versions", "versions"),
        ("other_round", "missing"),
    ],
)
def test_final_report_says_why_runs_are_not_compared_as_the_comparison_page_does(
    change, problem, karmoy, baseline_closed, end_round, leader_karmoy
):
    from surveys.models import Questionnaire

    closed(karmoy, baseline_closed, "employees", 5, 3, by=leader_karmoy)
    if change == "open":
        answer_many(open_run(karmoy, end_round), 5, 4)
    elif change == "too_few":
        closed(karmoy, end_round, "employees", 4, 4, by=leader_karmoy)
    elif change == "versions":
        newer = Questionnaire.objects.create(
            programme=karmoy.network.programme, version=2, words_question_nb="Tre ord?"
        )
        run = open_run(karmoy, end_round, questionnaire_=newer)
        close_run(run=run, user=leader_karmoy, reason="Test")
    else:
        other = MeasurementRound.objects.create(
            programme=karmoy.network.programme,
            name="Midtveis",
            slug="midtveis",
            kind=RoundKind.OTHER,
            opens_on=baseline_closed.opens_on,
            closes_on=baseline_closed.closes_on,
        )
        closed(karmoy, other, "employees", 5, 4, by=leader_karmoy)
    loaded = selectors.with_report_survey(LocalProject.objects.filter(pk=karmoy.pk)).get()
    [(_group, reported)] = selectors.report_comparisons(loaded)
    assert reported.problem == problem == selectors.comparison(karmoy, "employees").problem
    assert reported.index is None


def test_final_report_index_of_a_project_loaded_without_its_rows_takes_one_query(
    karmoy, baseline_closed, end_round, leader_karmoy, django_assert_num_queries
):
    survey(karmoy, 3, baseline=baseline_closed, end=end_round, by=leader_karmoy)
    with django_assert_num_queries(1):
        comparisons = selectors.report_comparisons(karmoy)
    assert [group for group, _comparison in comparisons] == [
        "employees",
        "residents",
        "applicants",
    ]


# --- The project page -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3])
def test_project_page_reads_as_many_queries_whatever_the_runs(
    login, leader_karmoy, karmoy, baseline_closed, end_round, size, django_assert_num_queries
):
    survey(karmoy, size, baseline=baseline_closed, end=end_round, by=leader_karmoy)
    client = login(leader_karmoy)
    client.get(karmoy.get_absolute_url())
    # As tests/municipalities/test_project_page.py: the survey block's runs are one of them.
    with django_assert_num_queries(10):
        html = client.get(karmoy.get_absolute_url()).content.decode()
    section = re.search(r'aria-labelledby="reputation-survey-heading".*?</section>', html, re.S)
    assert section.group(0).count("<li>") == (1 if size == 1 else 5)
