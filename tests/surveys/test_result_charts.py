"""The survey's results as pictures: bars of the answers per statement (counts for one run,
shares for baseline against end), only from runs with enough answers."""

import re

import pytest

from surveys.services import close_run
from tests.measurements.factories import url
from tests.surveys.factories import answer, answer_many, open_run

pytestmark = pytest.mark.django_db


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg class=\"np-chart np-bar-chart\".*?</svg>", html, re.S)


def test_a_closed_run_shows_the_spread_of_each_statement(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    answer_many(run, 4, 6)
    answer(run, [2, 2, 2, 2, 2, 2, 2, 2, 2, None])  # statement 10: four ratings only
    close_run(run=run, user=leader_karmoy)
    page = login(leader_karmoy).get(url("surveys:run", karmoy.slug, run.pk, lang="en"))
    charts = svgs(page.content.decode())
    assert len(charts) == 9  # the tenth statement has too few ratings to show its spread
    first = charts[0]
    assert '<title id="fordeling-1-title">Answers to «' in first
    assert '<desc id="fordeling-1-desc">1 (strongly disagree): 0; 2: 1;' in first
    assert "6 (strongly agree): 4; Don&#x27;t know: 0." in first
    assert first.count('<rect class="np-chart__bar np-chart__bar--0"') == 7
    assert "style=" not in first


def test_too_few_answers_draw_nothing(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    answer_many(run, 4, 6)
    close_run(run=run, user=leader_karmoy)
    page = login(leader_karmoy).get(url("surveys:run", karmoy.slug, run.pk, lang="en"))
    assert svgs(page.content.decode()) == []


def test_the_compare_page_puts_baseline_and_end_side_by_side(
    login, leader_karmoy, karmoy, end_round
):
    baseline = end_round.programme.rounds.get(slug="nullpunkt")
    before = open_run(karmoy, baseline)
    answer_many(before, 5, 3)
    close_run(run=before, user=leader_karmoy, reason="Etterregistrert")
    after = open_run(karmoy, end_round)
    answer_many(after, 10, 5)
    close_run(run=after, user=leader_karmoy)
    page = login(leader_karmoy).get(url("surveys:compare", karmoy.slug, "employees", lang="en"))
    html = page.content.decode()
    charts = svgs(html)
    assert len(charts) == 10
    assert charts[0].count("np-chart__bar--0") == 7 and charts[0].count("np-chart__bar--1") == 7
    assert "100 %" in charts[0]
    assert 'id="sammenligning-1-caption"' in html  # the table beside each chart
