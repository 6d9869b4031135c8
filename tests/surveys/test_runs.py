"""A project's leaders open, change and close survey runs and send invitations; closing writes
the results into the project's values for the round."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail, serializers
from django.utils import timezone

from measurements.models import Indicator, Measurement, MeasurementSource
from municipalities.models import LocalProject
from surveys.models import Questionnaire, SurveyInvitation, SurveyRun
from surveys.selectors import run_results
from surveys.services import close_run, new_version
from tests.measurements.factories import indicator, set_round, url
from tests.spreadsheets import xlsx_bytes
from tests.surveys.factories import (
    answer,
    answer_many,
    open_run,
    questionnaire,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def run_url(name, run, lang="en"):
    return url(name, run.local_project.slug, run.pk, lang=lang)


def create_url(project, lang="en"):
    return url("surveys:run_create", project.slug, lang=lang)


def days(n: int) -> str:
    return str(timezone.localdate() + datetime.timedelta(days=n))


# --- Opening a run ------------------------------------------------------------------------------


def test_a_leader_opens_a_run_with_the_programmes_questionnaire(
    login, leader_karmoy, karmoy, baseline
):
    client = login(leader_karmoy)
    assert client.get(create_url(karmoy)).status_code == 200
    response = client.post(
        create_url(karmoy),
        {
            "round": baseline.pk,
            "target_group": "employees",
            "opens_on": days(0),
            "closes_on": days(14),
            "accepts_open_link": "on",
        },
    )
    run = SurveyRun.objects.get()
    assert response["Location"] == run_url("surveys:run", run)
    assert (run.local_project, run.round, run.target_group) == (karmoy, baseline, "employees")
    assert run.questionnaire == questionnaire()
    assert run.created_by == leader_karmoy
    assert len(run.token) >= 22
    page = text(client.get(response["Location"]))
    assert f"/undersokelse/{run.token}/" in page  # the link to share


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"closes_on": days(-3), "opens_on": days(-5)}, "The close date has passed."),
        ({"opens_on": days(5), "closes_on": days(2)}, "The survey cannot close before it opens."),
        ({"closes_on": days(40)}, "Close the survey while Nullpunkt is open"),
        ({"target_group": "pets"}, "Select a valid choice."),
    ],
)
def test_run_dates_and_group_are_checked(login, leader_karmoy, karmoy, baseline, change, error):
    data = {
        "round": baseline.pk,
        "target_group": "residents",
        "opens_on": days(0),
        "closes_on": days(14),
    }
    response = login(leader_karmoy).post(create_url(karmoy), {**data, **change})
    assert response.status_code == 200
    assert error in text(response)
    assert not SurveyRun.objects.exists()


def test_one_run_per_round_and_target_group(login, leader_karmoy, karmoy, baseline):
    open_run(karmoy, baseline, "employees")
    response = login(leader_karmoy).post(
        create_url(karmoy),
        {
            "round": baseline.pk,
            "target_group": "employees",
            "opens_on": days(0),
            "closes_on": days(9),
        },
    )
    assert "Nullpunkt already has a survey of employees." in text(response)
    assert SurveyRun.objects.count() == 1


def test_closed_rounds_are_not_offered(login, leader_karmoy, karmoy, baseline_closed):
    page = text(login(leader_karmoy).get(create_url(karmoy)))
    assert "Sluttmåling" in page
    assert f'value="{baseline_closed.pk}"' not in page


def test_the_end_run_keeps_the_questionnaire_version_of_the_baseline(
    login, leader_karmoy, karmoy, baseline_closed, end_round
):
    first = open_run(karmoy, baseline_closed, "employees")
    newer = new_version(first.questionnaire)
    assert Questionnaire.objects.current_for(karmoy.network.programme_id) == newer
    login(leader_karmoy).post(
        create_url(karmoy),
        {
            "round": end_round.pk,
            "target_group": "employees",
            "opens_on": days(0),
            "closes_on": days(9),
        },
    )
    end = SurveyRun.objects.get(round=end_round)
    assert end.questionnaire == first.questionnaire
    login(leader_karmoy).post(
        create_url(karmoy),
        {
            "round": end_round.pk,
            "target_group": "residents",
            "opens_on": days(0),
            "closes_on": days(9),
        },
    )
    assert SurveyRun.objects.get(target_group="residents").questionnaire == newer


def test_only_themes_that_measure_reputation_run_surveys(login, stavanger, programme):
    from tests.measurements.factories import leader_of

    leader = leader_of(stavanger, "leder.stavanger")
    client = login(leader)
    assert client.get(create_url(stavanger)).status_code == 403
    assert client.get(url("surveys:runs", stavanger.slug)).status_code == 403
    assert "reputation-survey-heading" not in text(client.get(stavanger.get_absolute_url()))


def test_the_indicator_marked_as_measured_by_the_survey_decides_not_its_name(
    login, leader_karmoy, karmoy, stavanger, baseline
):
    from tests.measurements.factories import leader_of

    index = Indicator.objects.get(theme=karmoy.network.theme, measured_by_survey=True)
    index.name = "Omdømme (indeks)"
    index.save(update_fields=["name"])
    assert login(leader_karmoy).get(create_url(karmoy)).status_code == 200

    Indicator.objects.create(theme=stavanger.network.theme, name="Omdømmeindeks", unit="score")
    assert (
        login(leader_of(stavanger, "leder.stavanger")).get(create_url(stavanger)).status_code == 403
    )


def test_a_leader_changes_the_dates_until_the_run_is_closed(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    client = login(leader_karmoy)
    response = client.post(
        run_url("surveys:run_update", run),
        {"opens_on": days(-1), "closes_on": days(20), "accepts_open_link": ""},
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert (str(run.closes_on), run.accepts_open_link) == (days(20), False)
    SurveyRun.objects.filter(pk=run.pk).update(closed_at=timezone.now())
    closed = client.post(
        run_url("surveys:run_update", run),
        {"opens_on": days(-1), "closes_on": days(25)},
    )
    assert closed["Location"] == run_url("surveys:run", run)
    run.refresh_from_db()
    assert str(run.closes_on) == days(20)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("surveys:run_update", "The survey is closed; it cannot change any more."),
        ("surveys:invite", "The survey is closed; it takes no more answers."),
        ("surveys:close", "The survey was closed already."),
    ],
)
def test_the_forms_of_a_closed_run_send_the_leader_back_to_it(
    login, leader_karmoy, karmoy, baseline, name, message
):
    run = open_run(karmoy, baseline)
    close_run(run=run, user=leader_karmoy)
    response = login(leader_karmoy).get(run_url(name, run), follow=True)
    assert response.redirect_chain == [(run_url("surveys:run", run), 302)]
    assert message in text(response)


# --- Invitations --------------------------------------------------------------------------------


def xlsx(*cells) -> io.BytesIO:
    data = io.BytesIO(xlsx_bytes([["Navn", "E-post"], *cells]))
    data.name = "adresser.xlsx"
    return data


def invitation_page(client, run):
    page = text(client.get(run_url("surveys:invite", run)))
    return re.search(r'name="nonce" value="([^"]+)"', page).group(1)


def test_invitations_are_sent_and_the_addresses_are_not_kept(
    login, leader_karmoy, karmoy, baseline
):
    run = open_run(karmoy, baseline)
    client = login(leader_karmoy)
    nonce = invitation_page(client, run)
    response = client.post(
        run_url("surveys:invite", run),
        {
            "addresses": "anne.innbygger@kommune.example;\nbjorn.innbygger@kommune.example, "
            "Anne.Innbygger@kommune.example",
            "file": xlsx(("Cecilie", "cecilie.innbygger@kommune.example")),
            "message": "Hei! Vi vil gjerne høre fra deg.",
            "nonce": nonce,
        },
    )
    assert response["Location"] == run_url("surveys:run", run)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anne.innbygger@kommune.example",
        "bjorn.innbygger@kommune.example",
        "cecilie.innbygger@kommune.example",
    ]
    links = {
        re.search(rf"/undersokelse/{run.token}/\?i=([\w-]+)", m.body).group(1) for m in mail.outbox
    }
    assert len(links) == 3
    assert all(m.body.startswith("Hei! Vi vil gjerne høre fra deg.") for m in mail.outbox)
    run.refresh_from_db()
    assert run.invitations_sent == 3
    assert SurveyInvitation.objects.filter(run=run).count() == 3
    # Nowhere in the database: not the addresses, not the tokens (only their hashes).
    dump = "".join(serializers.serialize("json", m.objects.all()) for m in apps.get_models())
    assert "innbygger@kommune.example" not in dump
    assert not any(token in dump for token in links)

    again = client.post(
        run_url("surveys:invite", run),
        {"addresses": "anne.innbygger@kommune.example", "nonce": nonce},
    )
    assert again.status_code == 302  # the same form sent twice sends nothing more
    assert len(mail.outbox) == 3


def test_invitations_of_a_project_with_a_line_break_in_its_name_are_sent(
    login, leader_karmoy, karmoy, baseline
):
    """A name stored before names were checked: the subject is put on one line."""
    run = open_run(karmoy, baseline)
    LocalProject.objects.filter(pk=karmoy.pk).update(name="Karmøy\nkommune")
    client = login(leader_karmoy)
    response = client.post(
        run_url("surveys:invite", run),
        {"addresses": "anne.innbygger@kommune.example", "nonce": invitation_page(client, run)},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Reputation survey: Karmøy kommune"
    run.refresh_from_db()
    assert run.invitations_sent == 1


def test_invalid_addresses_send_nothing(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    client = login(leader_karmoy)
    response = client.post(
        run_url("surveys:invite", run),
        {
            "addresses": "ok@kommune.example\nfeil@@kommune\nogsa-feil@",
            "nonce": invitation_page(client, run),
        },
    )
    assert response.status_code == 200
    assert "These are not valid e-mail addresses: feil@@kommune, ogsa-feil@." in text(response)
    assert not mail.outbox
    assert not SurveyInvitation.objects.exists()


# --- Closing ------------------------------------------------------------------------------------

#: Six respondents' ratings of the ten statements (None: «don't know»), and the means and
#: index computed by hand: statement 10 has four ratings only, so it has no mean and is not in
#: the index. Index = ((26+25+23+22+20+19+23+22+20)/6/9 − 1)/5 × 100 = 54.074… → 54.1.
RESPONSES = [
    [6, 6, 5, 5, 4, 4, 3, 3, 2, None],
    [5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
    [4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
    [6, 5, 4, 3, 2, 1, 6, 5, 4, 3],
    [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
    [2, 2, 2, 2, 2, 2, 2, 2, 2, None],
]
MEANS = ["4.33", "4.17", "3.83", "3.67", "3.33", "3.17", "3.83", "3.67", "3.33", None]
INDEX = Decimal("54.1")


def test_closing_writes_exactly_the_computed_values_into_the_round(
    login, leader_karmoy, karmoy, baseline
):
    run = open_run(karmoy, baseline, "employees")
    for ratings in RESPONSES:
        answer(run, ratings)
    response = login(leader_karmoy).post(run_url("surveys:close", run), {})
    assert response["Location"] == run_url("surveys:run", run)
    run.refresh_from_db()
    assert run.closed_at is not None and run.closed_by == leader_karmoy

    index = Indicator.objects.get(theme=karmoy.network.theme, measured_by_survey=True)
    values = {
        (m.indicator_id, m.part): m
        for m in Measurement.objects.filter(local_project=karmoy, round=baseline)
    }
    # the index, as the employees' part and as the value itself; the means stay the survey's
    assert {key: m.value for key, m in values.items()} == {
        (index.pk, "employees"): INDEX,
        (index.pk, ""): INDEX,
    }
    results = run_results(run)
    assert [r.mean for r in results.statements] == [
        None if mean is None else Decimal(mean) for mean in MEANS
    ]
    for measurement in values.values():
        assert measurement.source == MeasurementSource.SURVEY
        assert measurement.note == (
            "Omdømmeundersøkelsen i Nettverksportalen (ansatte, Nullpunkt): 6 svar, "
            "spørreskjema versjon 1."
        )
        assert measurement.reported_by == leader_karmoy


def test_closing_below_five_answers_writes_nothing_and_says_so(
    login, leader_karmoy, karmoy, baseline
):
    run = open_run(karmoy, baseline)
    answer_many(run, 4, 6)
    client = login(leader_karmoy)
    confirm = text(client.get(run_url("surveys:close", run)))
    assert "It has fewer than 5 answers. Closing it now shows no results" in confirm
    response = client.post(run_url("surveys:close", run), {}, follow=True)
    assert "nothing was written into Nullpunkt" in text(response)
    assert SurveyRun.objects.get().closed_at is not None
    assert not Measurement.objects.exists()


def test_closing_into_a_closed_round_needs_a_reason(login, leader_karmoy, karmoy, baseline_closed):
    run = open_run(karmoy, baseline_closed)
    answer_many(run, 5, 5)
    client = login(leader_karmoy)
    refused = client.post(run_url("surveys:close", run), {"reason": " "})
    assert "This field is required." in text(refused)
    assert SurveyRun.objects.get().closed_at is None
    assert not Measurement.objects.exists()

    client.post(run_url("surveys:close", run), {"reason": "Undersøkelsen ble forlenget"})
    index = indicator(karmoy, "Omdømmeindeks")
    measurement = Measurement.objects.get(indicator=index, part="")
    assert measurement.value == Decimal("80.0")
    history = measurement.history.get()
    assert history.history_change_reason == "Undersøkelsen ble forlenget"


def test_a_run_cannot_write_into_a_round_that_has_not_opened(
    login, leader_karmoy, karmoy, programme
):
    round = set_round("nullpunkt", "upcoming")
    run = open_run(karmoy, round)
    answer_many(run, 5)
    response = login(leader_karmoy).post(run_url("surveys:close", run), {})
    assert "Nullpunkt has not opened yet" in text(response)
    assert SurveyRun.objects.get().closed_at is None
    assert not Measurement.objects.exists()


def test_closing_twice_writes_once(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    answer_many(run, 5, 4)
    close_run(run=run, user=leader_karmoy)
    Measurement.objects.update(value=Decimal("1"))  # changed by hand afterwards
    response = login(leader_karmoy).post(run_url("surveys:close", run), {}, follow=True)
    assert "The survey was closed already." in text(response)
    assert set(Measurement.objects.values_list("value", flat=True)) == {Decimal("1")}


def test_closing_again_later_updates_the_values_of_another_group_only(
    leader_karmoy, karmoy, baseline
):
    employees = open_run(karmoy, baseline, "employees")
    residents = open_run(karmoy, baseline, "residents")
    answer_many(employees, 5, 6)
    answer_many(residents, 5, 1)
    close_run(run=employees, user=leader_karmoy)
    close_run(run=residents, user=leader_karmoy)
    index = indicator(karmoy, "Omdømmeindeks")
    assert dict(index.measurements.values_list("part", "value")) == {
        "employees": Decimal("100.0"),
        "residents": Decimal("0.0"),
        "": Decimal("50.0"),  # the mean of the groups' indices
    }
    overall = index.measurements.get(part="")
    assert overall.note == (
        "Omdømmeundersøkelsen i Nettverksportalen (Nullpunkt): "
        "snittet av omdømmeindeksen blant ansatte, innbyggere."
    )
    assert Measurement.objects.count() == 3


def test_the_survey_values_show_on_the_progress_page_with_their_source(
    login, leader_karmoy, karmoy, baseline
):
    run = open_run(karmoy, baseline)
    answer_many(run, 5, 5)
    close_run(run=run, user=leader_karmoy)
    page = text(
        login(leader_karmoy).get(url("measurements:project_progress", karmoy.slug, lang="nb"))
    )
    index = indicator(karmoy, "Omdømmeindeks")
    article = re.search(rf'id="indikator-{index.pk}".*?</article>', page, re.S).group(0)
    assert '<td class="np-num">80</td>' in article
    assert "Omdømmeundersøkelsen i Nettverksportalen (ansatte, Nullpunkt): 5 svar" in article
