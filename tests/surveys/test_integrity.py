"""Attacks on the reputation survey's integrity and anonymity, each tried as a hostile user
would, and each failing to do harm: ballot stuffing through the open link, and padding an
invitation-only survey to isolate the real respondents in its results and exports."""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from measurements.models import Indicator, Measurement
from surveys.models import SurveyResponse, SurveyRun
from surveys.services import (
    Admission,
    Answer,
    admit_answer,
    close_run,
)
from surveys.services import (
    Client as Sender,
)
from tests.measurements.factories import url
from tests.spreadsheets import csv_rows
from tests.surveys.factories import (
    answer,
    answer_many,
    form_data,
    open_run,
    statements_of,
)

pytestmark = pytest.mark.django_db

#: The theme's reputation indicator: the survey writes its index there, per target group.
OFFICIAL_INDEX = "Omdømmeindeks"


def text(response) -> str:
    return response.content.decode()


def answer_url(run, lang="nb"):
    return url("surveys:answer", run.token, lang=lang)


def run_url(name, run, lang="en"):
    return url(name, run.local_project.slug, run.pk, lang=lang)


# --- Ballot stuffing through the open link ------------------------------------------------------


def test_one_client_deleting_its_cookie_cannot_stuff_the_ballot(
    login, leader_karmoy, karmoy, baseline, settings
):
    """60 answers in a few seconds from one address, each from a browser without the «answered»
    cookie and with different answers (so none is a repeat): five are taken, and the run they
    went into does not give the official index."""
    assert (settings.SURVEY_OPEN_LINK_LIMIT, settings.SURVEY_OPEN_LINK_WINDOW) == (5, 3600)
    run = open_run(karmoy, baseline, accepts_open_link=True)
    statuses = []
    for number in range(60):
        cookieless = Client(REMOTE_ADDR="203.0.113.50")  # a new browser: no cookie
        words = (f"svar{number}", "", "")
        statuses.append(cookieless.post(answer_url(run, "en"), form_data(run, 6, words)))
    assert [r.status_code for r in statuses].count(302) == 5
    refused = statuses[-1]
    assert refused.status_code == 429
    assert "Many answers have come from your network in a short time" in text(refused)
    assert 'value="svar59"' in text(refused)  # the answers are kept in the form
    assert SurveyResponse.objects.filter(run=run).count() == 5

    # a neighbour at another address still answers
    neighbour = Client(REMOTE_ADDR="198.51.100.9")
    assert neighbour.post(answer_url(run), form_data(run, 2)).status_code == 302

    # Closing labels the results «open link» and keeps them out of the official index.
    outcome = close_run(run=run, user=leader_karmoy)
    assert outcome.results.through_open_link and outcome.results.open_link == 6
    assert not Measurement.objects.exists()  # shown on the survey's page, never a value
    assert not Indicator.objects.filter(name__startswith="Omdømmeindeks –").exists()
    page = text(login(leader_karmoy).get(run_url("surveys:run", run)))
    assert "6 answers came through the open link" in page
    assert "not the official reputation index" in page
    runs = text(login(leader_karmoy).get(url("surveys:runs", karmoy.slug, lang="en")))
    assert "open link</span>" in runs


def test_the_limit_counts_an_ipv6_subscriber_by_its_network(karmoy, baseline, settings):
    settings.SURVEY_OPEN_LINK_LIMIT = 2
    run = open_run(karmoy, baseline)
    for host, rating in (("2001:db8:1:2::1", 6), ("2001:db8:1:2::2", 5), ("2001:db8:1:2::ff", 4)):
        Client(REMOTE_ADDR=host).post(answer_url(run), form_data(run, rating))
    assert SurveyResponse.objects.count() == 2
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").post(answer_url(run), form_data(run, 3))
    assert SurveyResponse.objects.count() == 3


def test_a_made_up_invitation_does_not_get_past_the_limit(karmoy, baseline, settings):
    settings.SURVEY_OPEN_LINK_LIMIT = 1
    run = open_run(karmoy, baseline)
    assert Client().post(answer_url(run), form_data(run, 6)).status_code == 302
    forged = Client().post(answer_url(run, "en"), form_data(run, 5, invitation="gjettet"))
    assert "This invitation link has been used" in text(forged)
    assert SurveyResponse.objects.count() == 1


def test_turning_the_open_link_off_before_closing_does_not_make_its_answers_official(
    login, leader_karmoy, karmoy, baseline
):
    run = open_run(karmoy, baseline)
    answer_many(run, 3, 5, open_link=True)
    answer_many(run, 3, 5)  # through invitation links
    leader = login(leader_karmoy)
    changed = leader.post(
        run_url("surveys:run_update", run),
        {"opens_on": str(run.opens_on), "closes_on": str(run.closes_on), "accepts_open_link": ""},
    )
    assert changed.status_code == 302
    assert not SurveyRun.objects.get(pk=run.pk).accepts_open_link
    leader.post(run_url("surveys:close", run), {})
    assert not Measurement.objects.exists()


def test_a_survey_answered_through_invitations_only_gives_the_official_index(
    leader_karmoy, karmoy, baseline
):
    run = open_run(karmoy, baseline, accepts_open_link=True)  # the link was never used
    answer_many(run, 5, 6)
    close_run(run=run, user=leader_karmoy)
    official = Measurement.objects.get(
        indicator__name=OFFICIAL_INDEX, round=baseline, part="employees"
    )
    assert official.value == Decimal("100.0") and "åpen lenke" not in official.note
    assert official.indicator.local_project is None  # the catalogue's, comparable
    overall = Measurement.objects.get(indicator__name=OFFICIAL_INDEX, round=baseline, part="")
    assert overall.value == Decimal("100.0")


def test_new_surveys_take_invitations_only_unless_the_leader_opens_the_link(
    login, leader_karmoy, karmoy, baseline
):
    page = text(login(leader_karmoy).get(url("surveys:run_create", karmoy.slug)))
    checkbox = re.search(r'<input[^>]*name="accepts_open_link"[^>]*>', page).group(0)
    assert "checked" not in checkbox


# --- One place decides whether an answer is taken -----------------------------------------------


def test_admission_decides_every_guard_in_one_place(karmoy, baseline, settings):
    settings.SURVEY_OPEN_LINK_LIMIT = 2
    run = open_run(karmoy, baseline)
    given = Answer(answers={s.pk: 4 for s in statements_of(run)}, words=("", "", ""))
    browser = Sender(address="192.0.2.1", user_agent="Firefox", csrf_cookie="abc")

    def admit(client=browser, answer=given, token=""):
        return admit_answer(run=run, invitation_token=token, client=client, answer=answer)

    assert admit(answer=None) == Admission.ADMITTED  # showing the form counts nothing
    assert admit(answer=None) == Admission.ADMITTED
    assert admit() == Admission.STORED
    repeat = admit()
    assert repeat == Admission.REPEAT and repeat.taken  # the same answers, same browser
    assert admit(client=Sender(address="192.0.2.1", answered=True)) == Admission.ANSWERED
    assert admit(client=Sender(address="192.0.2.1", user_agent="Chrome")) == Admission.THROTTLED
    assert admit(token="ukjent") == Admission.INVITATION_USED
    assert SurveyResponse.objects.count() == 1
    run.accepts_open_link = False
    assert admit(client=Sender(address="192.0.2.9")) == Admission.INVITATION_ONLY
    run.closed_at = run.opens_on
    assert admit() == Admission.CLOSED


# --- Padding an invitation-only survey ----------------------------------------------------------


def invite(client, run, addresses) -> list[str]:
    invite_url = run_url("surveys:invite", run)
    nonce = re.search(r'name="nonce" value="([^"]+)"', text(client.get(invite_url))).group(1)
    mail.outbox.clear()
    client.post(invite_url, {"addresses": "\n".join(addresses), "nonce": nonce})
    return {m.to[0]: re.search(r"\?i=([\w-]+)", m.body).group(1) for m in mail.outbox}


def test_padding_a_survey_does_not_isolate_the_real_respondents(
    login, leader_karmoy, ministry, karmoy, baseline
):
    """The leader invites three addresses of their own and two real employees, answers the three
    invitations, closes the survey and looks at everything it offers: no page or export shows
    a respondent's answers, date or language, and the real respondents' own words never show.
    What is left is the aggregate of the two others (the README states this residual risk)."""
    run = open_run(karmoy, baseline, accepts_open_link=False)
    leader = login(leader_karmoy)
    own = ["leder+1@karmoy.example", "leder+2@karmoy.example", "leder+3@karmoy.example"]
    real = ["kari@karmoy.example", "ola@karmoy.example"]
    tokens = invite(leader, run, own + real)
    for address in own:
        posted = Client().post(
            answer_url(run), form_data(run, 4, ("lojal", "", ""), invitation=tokens[address])
        )
        assert posted.status_code == 302
    Client().post(
        url("surveys:answer", run.token, lang="nn"),
        form_data(run, 1, ("Kaotisk", "lojal", ""), invitation=tokens["kari@karmoy.example"]),
    )
    Client().post(
        url("surveys:answer", run.token, lang="en"),
        form_data(run, 6, ("Visjonær", "lojal", ""), invitation=tokens["ola@karmoy.example"]),
    )
    assert SurveyResponse.objects.filter(run=run).count() == 5
    leader.post(run_url("surveys:close", run), {})

    pages = [
        text(leader.get(run_url("surveys:run", run))),
        text(leader.get(url("surveys:runs", karmoy.slug, lang="en"))),
        text(leader.get(url("measurements:project_progress", karmoy.slug, lang="en"))),
    ]
    exports = [
        leader.get(run_url("surveys:run_export_csv", run)),
        login(ministry).get(url("surveys:export_csv")),
    ]
    xlsx = leader.get(run_url("surveys:run_export_xlsx", run))
    sheet = [
        [cell for cell in row if cell is not None]
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    ]
    everything = "\n".join(pages + [text(e) for e in exports] + [repr(sheet)]).lower()
    # the words only one respondent gave never show; the word all five gave does
    assert "kaotisk" not in everything and "visjonær" not in everything
    assert "lojal" in everything
    for response in exports:
        rows = csv_rows(response)
        header, body = rows[0], rows[1:]
        assert "dato" not in header and "språk" not in header
        # one row per statement and per shared word – none per respondent
        assert len(body) == len(statements_of(run)) + 1
        assert {row[9] for row in body} == {"påstand", "ord"}
        first = body[0]
        # the counts: the three padded 4s and the two real answers, not who gave which
        assert first[11:18] == ["1", "0", "0", "3", "0", "1", "0"]
    assert len(sheet) == 1 + len(statements_of(run)) + 1
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", everything.split("<main", 1)[-1])


@pytest.mark.parametrize("accepts_open_link", [True, False])
@pytest.mark.parametrize("group", ["employees", "residents", "applicants", "politicians"])
def test_four_answers_give_no_number_in_any_view_or_export(
    login, leader_karmoy, ministry, karmoy, baseline, accepts_open_link, group
):
    run = open_run(karmoy, baseline, group, accepts_open_link=accepts_open_link)
    for rating in (6, 1, 3, 2):
        answer(run, rating, ("Felles", "", ""), open_link=accepts_open_link)
    close_run(run=run, user=leader_karmoy)
    leader = login(leader_karmoy)
    page = text(leader.get(run_url("surveys:run", run)))
    assert "Too few answers to show results" in page and "felles" not in page.lower()
    runs = text(leader.get(url("surveys:runs", karmoy.slug, lang="en")))
    assert "fewer than 5" in runs
    assert leader.get(run_url("surveys:run_export_csv", run)).status_code == 302
    assert leader.get(run_url("surveys:run_export_xlsx", run)).status_code == 302
    assert len(csv_rows(login(ministry).get(url("surveys:export_csv")))) == 1
    assert not Measurement.objects.exists()


def test_a_comparison_with_an_open_link_survey_says_so(
    login, leader_karmoy, karmoy, baseline_closed, end_round
):
    before = open_run(karmoy, baseline_closed, "employees")
    after = open_run(karmoy, end_round, "employees")
    answer_many(before, 5, 3)
    answer_many(after, 5, 4, open_link=True)
    close_run(run=before, user=leader_karmoy, reason="Test")
    close_run(run=after, user=leader_karmoy)
    compare = url("surveys:compare", karmoy.slug, "employees", lang="en")
    page = text(login(leader_karmoy).get(compare))
    assert "the comparison is not of the official reputation index" in page
    assert "40.0" in page and "60.0" in page
