"""The public pages, as an anonymous visitor sees them."""

import pytest
from django.urls import reverse
from django.utils import translation

from gatherings.models import Gathering, GatheringKind
from municipalities.models import Participant
from tests.factories import (
    GatheringFactory,
    LocalProjectFactory,
    MunicipalityFactory,
    NetworkFactory,
    ParticipantFactory,
    ThemeFactory,
)
from tests.municipalities.factories import save_page

pytestmark = pytest.mark.django_db


def test_home_shows_the_programme_themes_and_networks(client, programme):
    response = client.get("/en/")
    content = response.content.decode()
    assert "Together for a better municipality" in content
    for theme in ("Competence", "Full-time and part-time work", "Reputation", "Sickness absence"):
        assert theme in content
    assert "Sickness absence South" in content and "Dorrit Svenning" in content
    bokmal = client.get("/").content.decode()
    assert "Saman om ein betre kommune" in bokmal and "Sykefravær Sør" in bokmal
    omdomme = next(n for _t, ns in response.context["themes"] for n in ns if n.slug == "omdomme")
    assert omdomme.local_project_count == 5


def test_home_lists_the_published_gathering_not_the_drafts(client, programme):
    response = client.get("/en/")
    gatherings = response.context["blocks"][0].context["gatherings"]
    assert [(g.network.slug, g.kind) for g in gatherings] == [("omdomme", GatheringKind.FIRST)]


def test_network_page_shows_theme_region_facilitator_projects_and_gatherings(client, programme):
    content = client.get("/en/nettverk/sykefravaer-sor/").content.decode()
    assert "Sickness absence" in content and "South" in content and "Dorrit Svenning" in content
    for name in ("Stavanger", "Sola", "Songdalen", "Mandal", "Arendal", "Vegårshei"):
        assert name in content
    assert "No gathering programme has been published yet." in content


def test_network_page_hides_draft_gatherings_from_the_public(client, programme):
    draft = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.SECOND)
    content = client.get("/en/nettverk/omdomme/").content.decode()
    assert draft.get_absolute_url() not in content
    published = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.FIRST)
    assert published.get_absolute_url() in content


def test_municipality_list_is_alphabetical_and_filters_by_county(client, programme):
    response = client.get("/kommuner/")
    names = [m.name for m in response.context["municipalities"]]
    names += [m.name for m in client.get("/kommuner/?page=2").context["municipalities"]]
    assert len(names) == 52
    assert names == sorted(names, key=lambda n: n.lower().replace("ø", "ø"))
    assert names[0] == "Andøy"
    rogaland = [m.number for m in client.get("/kommuner/?fylke=11").context["municipalities"]]
    assert sorted(rogaland) == ["1103", "1121", "1124", "1130", "1141", "1142", "1149"]


def test_municipality_list_ignores_an_unknown_county(client, programme):
    response = client.get("/en/kommuner/?fylke=99")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 52
    assert "Select a valid choice" in response.content.decode()


def test_municipality_page_sortland_shows_both_local_projects(client, programme):
    response = client.get("/kommuner/1870/")
    projects = {p.slug for p in response.context["projects"]}
    assert projects == {"vesteralen-regionrad-kompetanse", "sortland-heltid-deltid"}
    content = response.content.decode()
    assert "Vesterålen regionråd" in content and "Heltid–deltid Nord og Sør" in content
    assert "Hadsel" in content  # the joint project's partners


@pytest.mark.parametrize("path", ["/kommuner/9999/", "/kommuner/114/", "/kommuner/abcd/"])
def test_municipality_page_unknown_number_is_a_helpful_404(client, programme, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "/kommuner/1149/" in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "text"),
    [("", "Fant ikke siden"), ("/nn", "Fann ikkje sida"), ("/en", "Page not found")],
)
def test_unknown_slug_404_is_in_the_visitors_language(client, programme, prefix, text):
    response = client.get(f"{prefix}/prosjekter/finnes-ikke/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_project_page_hides_contact_data_from_anonymous_visitors(client, karmoy):
    """A published page names those who agreed to it, without their contact data."""
    save_page(karmoy, publish=True, summary="Første versjon", background="Bakgrunn.")
    ParticipantFactory(
        local_project=karmoy,
        name="Kari Nordmann",
        email="kari@karmoy.kommune.no",
        phone="4790",
        listed_publicly=True,
    )
    content = client.get(karmoy.get_absolute_url()).content.decode()
    assert "Kari Nordmann" in content
    assert "kari@karmoy.kommune.no" not in content and "4790" not in content


def test_project_page_shows_contact_data_to_members_of_the_network(login, karmoy, leader_strand):
    ParticipantFactory(local_project=karmoy, name="Kari Nordmann", email="kari@karmoy.kommune.no")
    content = login(leader_strand).get(karmoy.get_absolute_url()).content.decode()
    assert "kari@karmoy.kommune.no" in content


def test_project_page_hides_contact_data_from_other_networks(login, karmoy, facilitator_other):
    save_page(karmoy, publish=True, summary="Første versjon", background="Bakgrunn.")
    ParticipantFactory(
        local_project=karmoy,
        name="Kari Nordmann",
        email="kari@karmoy.kommune.no",
        listed_publicly=True,
    )
    content = login(facilitator_other).get(karmoy.get_absolute_url()).content.decode()
    assert "Kari Nordmann" in content and "kari@karmoy.kommune.no" not in content


def test_every_page_is_also_under_nn_and_en(client, programme):
    for name, kwargs in [
        ("network:home", {}),
        ("network:network_detail", {"slug": "omdomme"}),
        ("municipalities:list", {}),
        ("municipalities:detail", {"number": "1149"}),
        ("municipalities:project_detail", {"slug": "karmoy-omdomme"}),
        ("gatherings:list", {}),
        ("network:accessibility", {}),
    ]:
        with translation.override("nb"):
            path = reverse(name, kwargs=kwargs)
        for prefix, lang in [("", "nb"), ("/nn", "nn"), ("/en", "en")]:
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path
            assert f'lang="{lang}"' in response.content.decode()


# --- Query counts: the same literal number at two data sizes ---------------------------------


def _grow(programme, n: int) -> None:
    """Add n networks, each with 3 projects (2 participants each) and a published gathering."""
    theme = ThemeFactory(programme=programme)
    for _ in range(n):
        network = NetworkFactory(theme=theme, programme=programme)
        for _ in range(3):
            project = LocalProjectFactory(network=network, municipalities=[MunicipalityFactory()])
            ParticipantFactory.create_batch(2, local_project=project)
        GatheringFactory(network=network)


#: The public list pages and their queries, whatever the amount of data.
LIST_PAGE_QUERIES = {
    "/": 4,
    "/kommuner/": 6,  # one page of them: the count, then the page
    "/samlinger/": 3,
}


@pytest.mark.parametrize(("url", "queries"), LIST_PAGE_QUERIES.items())
@pytest.mark.parametrize("size", [1, 6])
def test_list_pages_query_count_is_constant(
    client, programme, django_assert_num_queries, url, queries, size
):
    _grow(programme, size)
    with django_assert_num_queries(queries):
        client.get(url)


@pytest.mark.parametrize("size", [1, 6])
def test_network_page_query_count_is_constant(client, programme, django_assert_num_queries, size):
    _grow(programme, size)
    network = NetworkFactory(programme=programme, theme=programme.themes.first())
    for _ in range(size * 3):
        project = LocalProjectFactory(network=network, municipalities=[MunicipalityFactory()])
        ParticipantFactory(local_project=project)
    GatheringFactory.create_batch(size, network=network, kind=GatheringKind.THEME_DAY)
    with django_assert_num_queries(3):  # the network, its projects, its gatherings
        client.get(network.get_absolute_url())


@pytest.mark.parametrize("size", [1, 6])
def test_project_page_participants_query_count_is_constant(
    client, karmoy, django_assert_num_queries, size
):
    save_page(karmoy, publish=True, summary="Første versjon", background="Bakgrunn.")
    ParticipantFactory.create_batch(size * 4, local_project=karmoy, listed_publicly=True)
    assert Participant.objects.filter(local_project=karmoy).count() == size * 4
    with django_assert_num_queries(5):
        client.get(karmoy.get_absolute_url())
