"""/kommuner/ is paginated: 50 municipalities a page, the filter kept in the page links, the
count of every match in the status line, and the same number of queries whatever the size."""

import re

import pytest

from municipalities.models import Municipality
from municipalities.views.projects import MUNICIPALITIES_PER_PAGE
from tests.factories import LocalProjectFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def _add_municipalities(omdomme, count: int) -> None:
    """``count`` more participating municipalities in Oslo's county (03xx), named to sort
    after the 2012 ones («Øvre …»)."""
    for i in range(count):
        municipality = MunicipalityFactory(number=f"03{i:02d}", name=f"Øvre {i:03d}")
        LocalProjectFactory(network=omdomme, municipalities=[municipality])


def test_the_list_shows_one_page_and_counts_every_match(client, programme):
    response = client.get("/en/kommuner/")
    names = [m.name for m in response.context["municipalities"]]
    assert len(names) == MUNICIPALITIES_PER_PAGE == 50
    assert response.context["page_obj"].paginator.count == 52
    content = response.content.decode()
    assert "52 municipalities" in content
    assert 'href="?page=2"' in content

    second = client.get("/en/kommuner/?page=2")
    rest = [m.name for m in second.context["municipalities"]]
    assert len(rest) == 2
    assert not set(rest) & set(names)
    every = Municipality.objects.filter(local_projects__isnull=False).distinct()
    assert names + rest == [m.name for m in every.order_by("name", "number")]


def test_the_page_links_keep_the_filter(client, programme, omdomme):
    _add_municipalities(omdomme, 55)
    response = client.get("/en/kommuner/?fylke=03")
    assert response.context["page_obj"].paginator.count == 55
    content = response.content.decode()
    assert 'href="?fylke=03&amp;page=2"' in content
    second = client.get("/en/kommuner/?fylke=03&page=2")
    assert [m.number for m in second.context["municipalities"]] == [
        f"03{i:02d}" for i in range(50, 55)
    ]
    assert '<option value="03" selected>' in second.content.decode()


def test_a_page_out_of_range_shows_the_last_one(client, programme):
    response = client.get("/kommuner/?page=99")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_a_row_links_the_municipality_its_rounds_and_its_projects(client, programme, karmoy):
    content = client.get("/en/kommuner/").content.decode()
    row = re.search(r'<a href="/en/kommuner/1149/">Karmøy</a>.*?</tr>', content, re.S).group(0)
    assert '<a href="/en/">2012–2013</a>' in row
    assert f'<a href="/en/prosjekter/{karmoy.slug}/">{karmoy.name}</a>' in row


@pytest.mark.parametrize("extra", [0, 60])
def test_municipality_list_query_count_is_constant(
    client, programme, omdomme, django_assert_num_queries, extra
):
    _add_municipalities(omdomme, extra)
    with django_assert_num_queries(6):
        client.get("/kommuner/")
    with django_assert_num_queries(6):
        client.get("/kommuner/?page=2")
    with django_assert_num_queries(7):  # and the chosen county
        client.get("/kommuner/?fylke=11")
