"""The survey's pages name their programme round: in the heading's label, as the first
breadcrumb (its front page, ``/program/<slug>/`` when it is not the current round) and in the
footer – the respondent's pages too."""

import pytest
from django.test import Client

from network.models import Programme
from tests.factories import ProgrammeFactory
from tests.measurements.factories import url
from tests.measurements.test_pages_name_their_round import parts
from tests.surveys.factories import answer_many

pytestmark = pytest.mark.django_db


def later_round_is_current() -> Programme:
    Programme.objects.update(is_current=False)
    return ProgrammeFactory(name="Runde 2014", start_year=2014, end_year=2015, is_current=True)


@pytest.mark.parametrize("name", ["surveys:runs", "surveys:run"])
def test_the_project_s_survey_pages_name_the_round(login, leader_karmoy, run, name):
    later_round_is_current()
    args = [run.local_project.slug] + ([run.pk] if name == "surveys:run" else [])
    eyebrow, crumbs, footer = parts(login(leader_karmoy).get(url(name, *args, lang="en")))
    programme = run.local_project.network.programme
    assert f"{programme.name} (2012–2013)" in eyebrow
    assert crumbs[0] == (f"/en/program/{programme.slug}/", programme.name)
    assert "(2012–2013)" in footer and "Runde 2014" not in footer


def test_the_results_compared_name_the_round(login, leader_karmoy, run):
    answer_many(run, 5)
    page = login(leader_karmoy).get(
        url("surveys:compare", run.local_project.slug, "employees", lang="en")
    )
    eyebrow, crumbs, _footer = parts(page)
    programme = run.local_project.network.programme
    assert f"{programme.name} (2012–2013)" in eyebrow
    assert crumbs[0] == ("/en/", programme.name)


@pytest.mark.parametrize("page", ["surveys:answer", "surveys:thanks"])
def test_the_respondent_s_pages_name_the_round(run, page):
    later_round_is_current()
    eyebrow, crumbs, footer = parts(Client().get(url(page, run.token, lang="en")))
    project = run.local_project
    programme = project.network.programme
    assert f"{programme.name} (2012–2013)" in eyebrow
    assert crumbs == [
        (f"/en/program/{programme.slug}/", programme.name),
        (project.get_absolute_url(), project.name),
        ("", "Reputation survey"),
    ]
    assert "(2012–2013)" in footer and "Runde 2014" not in footer


def test_the_answer_page_follows_a_renamed_programme_at_once(run):
    client = Client()
    client.get(url("surveys:answer", run.token, lang="en"))  # the run is cached
    programme = run.local_project.network.programme
    programme.name = "Saman om ein betre kommune (første runde)"
    programme.save()
    eyebrow, crumbs, _footer = parts(client.get(url("surveys:answer", run.token, lang="en")))
    assert "(første runde)" in eyebrow and crumbs[0][1] == programme.name
