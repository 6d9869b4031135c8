"""The progress pages name their programme round: in the heading's label, as the first
breadcrumb (its front page, ``/program/<slug>/`` for another round) and in the footer."""

import re

import pytest

from municipalities.models import Municipality
from tests.measurements.factories import url
from tests.measurements.test_programme_choice import on, round_2014  # noqa: F401

pytestmark = pytest.mark.django_db


def parts(response) -> tuple[str, list[tuple[str, str]], str]:
    """The heading's label, the breadcrumbs (url, label) and the footer of a page."""
    assert response.status_code == 200
    content = response.content.decode()
    eyebrow = re.search(r'<p class="np-eyebrow">(.*?)</p>', content, re.S).group(1)
    nav = re.search(r'<nav class="ds-breadcrumbs.*?</nav>', content, re.S).group(0)
    crumbs = re.findall(r'<li><a class="ds-link"(?: href="([^"]*)")?[^>]*>([^<]*)</a></li>', nav)
    footer = content[content.index("np-footer") :]
    return eyebrow, crumbs, footer


def test_the_project_progress_page_names_its_round(login, ministry, round_2014):  # noqa: F811
    project = round_2014.networks.get().local_projects.get()
    eyebrow, crumbs, footer = parts(
        login(ministry).get(url("measurements:project_progress", project.slug, lang="en"))
    )
    assert "Saman 2014 (2014–2015)" in eyebrow
    assert crumbs[0] == ("/en/program/saman-2014/", "Saman 2014")
    assert "«Saman 2014» (2014–2015)" in footer and "2012–2013" not in footer


def test_a_current_project_s_progress_page_leads_to_the_front_page(login, ministry, karmoy):
    eyebrow, crumbs, footer = parts(
        login(ministry).get(url("measurements:project_progress", karmoy.slug, lang="en"))
    )
    programme = karmoy.network.programme
    assert f"{programme.name} (2012–2013)" in eyebrow
    assert crumbs[0] == ("/en/", programme.name)
    assert "(2012–2013)" in footer


def test_the_overview_names_the_programme_asked_for(login, ministry, round_2014):  # noqa: F811
    eyebrow, crumbs, footer = parts(login(ministry).get(on("measurements:overview")))
    assert "Saman 2014 (2014–2015)" in eyebrow
    assert [label for _url, label in crumbs] == ["Saman 2014", "Progress"]
    assert crumbs[0][0] == "/en/program/saman-2014/"
    assert crumbs[1][0] == "/en/framgang/?program=saman-2014"
    assert "«Saman 2014» (2014–2015)" in footer and "2012–2013" not in footer


@pytest.mark.parametrize("name", ["measurements:completeness", "measurements:rounds"])
def test_the_overview_s_pages_begin_their_breadcrumbs_with_the_programme(
    login,
    ministry,
    round_2014,  # noqa: F811
    name,
):
    eyebrow, crumbs, footer = parts(login(ministry).get(on(name)))
    assert "Saman 2014 (2014–2015)" in eyebrow
    assert crumbs[0] == ("/en/program/saman-2014/", "Saman 2014")
    assert "«Saman 2014» (2014–2015)" in footer


def test_the_municipality_progress_page_names_the_rounds_it_took_part_in(
    login,
    ministry,
    round_2014,  # noqa: F811
):
    project = round_2014.networks.get().local_projects.get()
    karmoy = Municipality.objects.get(pk="1149")
    project.municipalities.add(karmoy)
    eyebrow, crumbs, footer = parts(
        login(ministry).get(url("measurements:municipality_progress", "1149", lang="en"))
    )
    assert "Saman 2014 (2014–2015)" in eyebrow and "(2012–2013)" in eyebrow
    current = karmoy.local_projects.get(slug="karmoy-omdomme").network.programme
    assert crumbs[0] == ("/en/", current.name)  # the current round it took part in
    assert [label for _url, label in crumbs[1:]] == ["Karmøy", "Progress"]
    assert "(2012–2013)" in footer
