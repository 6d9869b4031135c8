"""Results, lists and exports of the reputation survey: no numbers for fewer than five answers,
escaped text everywhere, aggregated exports, constant query counts."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from measurements.models import Measurement
from surveys.models import SurveyResponse, SurveyRun
from surveys.services import close_run
from tests.measurements.factories import publish, url
from tests.spreadsheets import csv_rows
from tests.surveys.factories import answer, answer_many, open_run

pytestmark = pytest.mark.django_db

TOO_FEW = "Too few answers to show results (at least 5 are needed)."


def text(response) -> str:
    return response.content.decode()


def run_url(name, run, lang="en"):
    return url(name, run.local_project.slug, run.pk, lang=lang)


def section(page: str, heading_id: str) -> str:
    return re.search(rf'aria-labelledby="{heading_id}".*?</section>', page, re.S).group(0)


def digits(html: str) -> set[str]:
    """The digits a reader sees (outside tags and attributes)."""
    return set(re.findall(r"\d", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def small_run(karmoy, baseline, leader_karmoy):
    """Karmøy's employees survey, closed with three answers."""
    run = open_run(karmoy, baseline)
    for ratings in (6, 5, 1):
        answer(run, ratings, words=("Hemmelig", "", ""))
    close_run(run=run, user=leader_karmoy)
    return run


def test_a_run_below_five_answers_shows_no_numbers_anywhere(
    login, leader_karmoy, ministry, small_run, karmoy
):
    client = login(leader_karmoy)
    page = text(client.get(run_url("surveys:run", small_run)))
    results = section(page, "results-heading")
    assert TOO_FEW in results
    assert digits(results.replace(TOO_FEW, "")) == set()
    assert "Hemmelig" not in page and "hemmelig" not in page
    assert "fewer than 5" in page  # not the count

    runs = text(client.get(url("surveys:runs", karmoy.slug, lang="en")))
    assert "fewer than 5" in runs and ">3<" not in runs
    assert "fewer than 5" in text(client.get(url("network:my_pages", lang="en")))

    # no export …
    export = client.get(run_url("surveys:run_export_csv", small_run))
    assert export.status_code == 302
    assert client.get(run_url("surveys:run_export_xlsx", small_run)).status_code == 302
    ministry_export = text(login(ministry).get(url("surveys:export_csv")))
    assert ministry_export.strip().count("\n") == 0  # the header only
    # … and no indicator value
    assert not Measurement.objects.exists()


def test_results_wait_until_the_run_is_closed(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    answer_many(run, 7, 6)
    page = text(login(leader_karmoy).get(run_url("surveys:run", run)))
    results = section(page, "results-heading")
    assert "The results are shown when the survey is closed." in results
    assert "Reputation index" not in results
    assert "7 answers" in page  # the count, from five on


def test_closed_results_show_the_index_statements_and_words(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    for ratings, words in [
        (6, ("Flott", "Trygg", "")),
        (5, ("flott", "", "")),
        (5, ("Åpen", "", "")),
        (4, ("", "", "")),
        (None, ("FLOTT", "trygg", "")),
    ]:
        answer(run, ratings, words)
    close_run(run=run, user=leader_karmoy)
    page = text(login(leader_karmoy).get(run_url("surveys:run", run, lang="nb")))
    results = section(page, "results-heading")
    # four ratings per statement: too few for a mean or a distribution, so no index either
    assert "for få vurderinger" in results or "too few ratings" in results
    hidden = '<td class="np-num"><span aria-hidden="true">–</span>'
    assert results.count(hidden) == 6 * 10
    # only the words at least three respondents gave
    assert re.findall(r"<td>(.*?)</td><td class=\"np-num\">(\d+)</td>", results) == [
        ("flott", "3"),
    ]
    words = results.split('id="words-heading"')[1]
    assert "trygg" not in words.lower() and "åpen" not in words.lower()


def test_published_results_are_public_without_the_link(client, karmoy, baseline, leader_karmoy):
    run = open_run(karmoy, baseline)
    answer_many(run, 5, 5)
    close_run(run=run, user=leader_karmoy)
    assert client.get(run_url("surveys:run", run)).status_code == 404
    publish(karmoy)
    page = client.get(run_url("surveys:run", run))
    assert page.status_code == 200
    assert "80.0" in text(page)
    assert run.token not in text(page)
    assert "Results (CSV)" not in text(page)


def test_script_in_stored_words_never_reaches_a_page_or_an_export_as_markup(
    login, leader_karmoy, ministry, karmoy, baseline
):
    run = open_run(karmoy, baseline)
    answer_many(run, 2, 5)
    # stored before the form refused it, or written around it: the output must stay safe
    for _respondent in range(3):
        words = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "=cmd|x")
        answer(run, 5, words=words)
    close_run(run=run, user=leader_karmoy)
    client = login(leader_karmoy)
    for page_url in (
        run_url("surveys:run", run),
        url("surveys:runs", karmoy.slug),
        url("measurements:project_progress", karmoy.slug),
        karmoy.get_absolute_url(),
    ):
        page = text(client.get(page_url))
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text(client.get(run_url("surveys:run", run)))
    rows = list(
        csv.reader(
            io.StringIO(text(login(ministry).get(url("surveys:export_csv")))[1:]),
            delimiter=";",
        )
    )
    words = {row[-2] for row in rows if row[9] == "ord"}
    assert {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'=cmd|x"} <= words


# --- Exports ------------------------------------------------------------------------------------


@pytest.fixture
def closed_run(karmoy, baseline, leader_karmoy):
    run = open_run(karmoy, baseline)
    answer(run, [6, 5, 4, 3, 2, 1, None, 6, 5, 4], ("Flott", "", "=1+2"))
    answer_many(run, 2, 3)
    answer(run, 3, ("=1+2", "flott", ""))
    answer(run, [2, 2, 2, 2, 2, 2, 2, 2, None, None], ("Trygg", "", "=1+2"))
    answer(run, [5, 5, 5, 5, 5, 5, 5, 5, 5, None], ("Flott", "Ærlig", ""))
    close_run(run=run, user=leader_karmoy)
    return run


def test_the_run_export_is_aggregated_csv_for_norwegian_excel(login, leader_karmoy, closed_run):
    response = login(leader_karmoy).get(run_url("surveys:run_export_csv", closed_run))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content.decode()
    assert content.startswith("\ufeffprosjekt;prosjektnavn;kommunenummer;måling;målgruppe;")
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert ";".join(header) == (
        "prosjekt;prosjektnavn;kommunenummer;måling;målgruppe;undersøkelse;spørreskjema;lenke;"
        "svar;rad;påstand;1;2;3;4;5;6;vet_ikke;snitt;ord;antall"
    )
    # one row per statement (ten) and per word three respondents gave (two)
    assert [row[9] for row in body] == ["påstand"] * 10 + ["ord"] * 2
    assert body[0][:9] == [
        "karmoy-omdomme",
        "Karmøy",
        "1149",
        "Nullpunkt",
        "employees",
        str(closed_run.pk),
        "1",
        "invitasjon",
        "6",
    ]
    # counts per rating, «vet ikke», the mean with a decimal comma
    assert body[0][10:19] == ["attraktiv-arbeidsgiver", "0", "1", "3", "0", "1", "1", "0", "3,67"]
    # the last statement: four ratings and two «vet ikke»: too few ratings to give their counts
    assert body[9][11:19] == ["", "", "", "", "", "", "2", ""]
    assert sorted(row[-2:] for row in body[10:]) == [["'=1+2", "3"], ["flott", "3"]]
    assert "trygg" not in content.lower() and "ærlig" not in content.lower()
    assert not re.search(r"\d{4}-\d\d-\d\d|\d\d:\d\d", content)  # no date or time
    assert ";nn;" not in content and ";nb;" not in content  # no language


def test_the_run_export_as_xlsx_keeps_text_as_text(login, ministry, closed_run):
    response = login(ministry).get(run_url("surveys:run_export_xlsx", closed_run))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "prosjekt" and len(rows) == 13
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+2")
    assert cell.data_type == "s"


def test_the_ministry_exports_every_closed_run_with_enough_answers(
    login, ministry, leader_strand, closed_run, strand, baseline
):
    open_answered = open_run(strand, baseline, "residents")
    answer_many(open_answered, 6)
    closed = open_run(strand, baseline, "employees")
    answer_many(closed, 5, open_link=True)
    close_run(run=closed, user=leader_strand)
    rows = csv_rows(login(ministry).get(url("surveys:export_csv")))
    assert [(row[0], row[4], row[7], row[8]) for row in rows[1:]] == [
        ("karmoy-omdomme", "employees", "invitasjon", "6")
    ] * 12 + [("strand-omdomme", "employees", "åpen lenke", "5")] * 10


def test_exports_of_answers_are_for_leaders_and_the_ministry(
    login, facilitator, participant, leader_strand, closed_run
):
    assert login(facilitator).get(run_url("surveys:run_export_csv", closed_run)).status_code == 403
    assert login(participant).get(run_url("surveys:run_export_csv", closed_run)).status_code == 403
    assert (
        login(leader_strand).get(run_url("surveys:run_export_csv", closed_run)).status_code == 404
    )
    assert login(facilitator).get(url("surveys:export_csv")).status_code == 403


# --- Query counts -------------------------------------------------------------------------------


@pytest.fixture(params=[1, 4])
def many_runs(request, karmoy, baseline_closed, end_round, leader_karmoy):
    groups = ["employees", "residents", "applicants", "politicians"][: request.param]
    runs = []
    for round in (baseline_closed, end_round):
        for group in groups:
            run = open_run(karmoy, round, group)
            for number in range(5 * request.param):
                answer(run, 1 + number % 6, (f"ord{number}", "felles", ""))
            close_run(run=run, user=leader_karmoy, reason="Test")
            runs.append(run)
    return runs


def test_run_list_query_count_is_constant(
    login, leader_karmoy, karmoy, many_runs, django_assert_num_queries
):
    client = login(leader_karmoy)
    with django_assert_num_queries(5):
        response = client.get(url("surveys:runs", karmoy.slug))
    assert len(response.context["runs"]) == len(many_runs)


def test_results_page_query_count_is_constant(
    login, leader_karmoy, many_runs, django_assert_num_queries
):
    client = login(leader_karmoy)
    run = many_runs[0]
    with django_assert_num_queries(9):  # one of them: the invitations' delivery counts
        response = client.get(run_url("surveys:run", run))
    assert response.context["results"].responses == SurveyResponse.objects.filter(run=run).count()


def test_comparison_query_count_is_constant(
    login, leader_karmoy, karmoy, many_runs, django_assert_num_queries
):
    client = login(leader_karmoy)
    with django_assert_num_queries(9):
        response = client.get(url("surveys:compare", karmoy.slug, "employees"))
    assert response.context["comparison"].statements


def test_export_query_count_is_constant(login, ministry, many_runs, django_assert_num_queries):
    client = login(ministry)
    with django_assert_num_queries(7):
        response = client.get(url("surveys:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    # per run: ten statements and the two words («felles» and «ord0»…: only «felles» is shared)
    assert sheet.max_row == 1 + len(many_runs) * 11
    assert SurveyRun.objects.count() == len(many_runs)
