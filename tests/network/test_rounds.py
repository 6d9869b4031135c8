"""Several programme rounds: a second round beside 2012 leaves every 2012 page and the 2012
export as they were, and a visitor can tell the rounds apart."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from gatherings.models import AgendaItem, Gathering, GatheringKind, GatheringStatus
from municipalities.models import LocalProject, Municipality
from network.models import Network, Person, Programme, Theme
from network.services import save_network
from tests.network.test_public_pages import LIST_PAGE_QUERIES

pytestmark = pytest.mark.django_db

SLUG_2012 = "saman-om-ein-betre-kommune"
#: Municipalities that took part in nothing in 2012 (not in its data).
NORTH = {"1804": "Bodø", "1902": "Tromsø", "2004": "Hammerfest"}


def add_round(*, start_year=2013, suffix="") -> Network:
    """A second round as an administrator would add it: the programme, its themes, an
    «Omdømme» network of three municipalities in a joint project, and its published
    1. samling with two agenda items. Returns the network."""
    programme = Programme.objects.create(
        name="Saman om ein betre kommune",
        slug=f"saman-{start_year}-{start_year + 1}{suffix}",
        start_year=start_year,
        end_year=start_year + 1,
        owners="KMD, KS og hovedsammenslutningene",
    )
    omdomme = Theme.objects.create(programme=programme, name="Omdømme", slug="omdomme")
    Theme.objects.create(programme=programme, name="Sykefravær", slug="sykefravaer", position=1)
    network = save_network(
        network=Network(
            programme=programme,
            theme=omdomme,
            name="Omdømme",
            slug=f"omdomme-{start_year}{suffix}",
            facilitator=Person.objects.create(name=f"Kari Nordmann {start_year}{suffix}"),
        )
    )
    project = LocalProject.objects.create(
        network=network, name=f"Nordkalotten {start_year}{suffix}", slug=f"nord-{network.slug}"
    )
    project.municipalities.set(
        Municipality.objects.get_or_create(
            number=number, defaults={"name": name, "county_id": number[:2]}
        )[0]
        for number, name in NORTH.items()
    )
    first_day = datetime.date(start_year, 3, 14)
    gathering = Gathering.objects.create(
        network=network,
        kind=GatheringKind.FIRST,
        start_date=first_day,
        end_date=first_day + datetime.timedelta(days=1),
        status=GatheringStatus.PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(start_year, 2, 1, 12)),
    )
    for position, title in enumerate(["Velkommen til runde to", "Omdømme i nord"]):
        AgendaItem.objects.create(
            gathering=gathering,
            date=first_day,
            start=datetime.time(10 + position),
            end=datetime.time(11 + position),
            position=position,
            title=title,
        )
    return network


def _export(*args) -> bytes:
    out = io.StringIO()
    call_command("export_programme", "--programme", SLUG_2012, *args, stdout=out)
    return out.getvalue().encode()


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- 2012 stays as it was ------------------------------------------------------------------


def test_the_2012_export_is_byte_identical_after_a_second_round(programme):
    before, before_drafts = _export(), _export("--include-drafts")
    assert not Municipality.objects.filter(number__in=NORTH).exists()
    add_round()
    assert _export() == before
    assert _export("--include-drafts") == before_drafts


def test_the_2012_export_is_identical_when_the_second_round_becomes_current(programme):
    before = _export()
    network = add_round()
    Programme.objects.filter(pk=programme.pk).update(is_current=False)
    Programme.objects.filter(pk=network.programme_id).update(is_current=True)
    assert _export() == before


def test_every_2012_page_still_shows_2012(client, programme, karmoy):
    add_round()
    home = _text(client.get("/en/"))
    assert "Development programme 2012–2013" in home
    assert "Sickness absence South" in home and "Dorrit Svenning" in home
    assert "Nordkalotten" not in home and "Kari Nordmann" not in home

    network = _text(client.get("/en/nettverk/omdomme/"))
    assert "Asbjørn L. Stavem" in network
    assert "Nordkalotten" not in network

    project = _text(client.get(f"/en/prosjekter/{karmoy.slug}/"))
    assert karmoy.name in project
    assert "Together for a better municipality (2012–2013)" in project

    everyone = _text(client.get("/en/kommuner/"))
    assert "Karmøy" in everyone and "Bodø" in everyone
    only_2012 = client.get(f"/en/kommuner/?program={SLUG_2012}")
    assert only_2012.context["page_obj"].paginator.count == 52
    assert "Bodø" not in only_2012.content.decode()

    for network_2012 in programme.networks.prefetch_related("local_projects"):
        page = _text(client.get(f"/en/nettverk/{network_2012.slug}/"))
        assert "Together for a better municipality (2012–2013)" in page
        for project_2012 in network_2012.local_projects.all():
            assert project_2012.name in page
            assert project_2012.name in _text(client.get(f"/en/prosjekter/{project_2012.slug}/"))

    gatherings = _text(client.get("/en/samlinger/"))
    assert (
        "Each network meets three times – February 2012, September 2012 and April/May 2013 – "
        "with a local theme day before the second gathering." in gatherings
    )


def test_the_gatherings_lead_text_comes_from_the_dates(client, programme):
    add_round()
    content = _text(client.get("/en/samlinger/"))
    assert "Each network meets once – March 2013." in content
    assert "February 2012, September 2012 and April/May 2013" in content


# --- A visitor tells the rounds apart -------------------------------------------------------


def test_the_home_page_lists_the_other_rounds_with_their_years(client, programme):
    network = add_round()
    content = _text(client.get("/en/"))
    assert "Other programme rounds" in content
    assert f'href="/en/program/{network.programme.slug}/"' in content
    assert "(2013–2014)" in content
    # The 2012 network carries its round now that another «Omdømme» exists (the names are
    # compared in Bokmål: the new round has no English names, so its network is «Omdømme»).
    assert "Reputation (2012–2013)" in content
    assert "«Together for a better municipality» (2012–2013)" in content


def test_a_rounds_own_page_shows_its_networks_and_names_its_round_in_the_footer(client, programme):
    network = add_round()
    content = _text(client.get(f"/en/program/{network.programme.slug}/"))
    assert "Development programme 2013–2014" in content
    assert "Omdømme (2013–2014)" in content and "Sykefravær Sør" not in content
    footer = content[content.index("np-footer") :]
    assert "(2013–2014)" in footer and "(2012–2013)" not in footer
    assert 'href="/en/"' in content  # 2012, the current round, listed among the others


def test_when_the_new_round_is_current_the_home_page_shows_it_and_lists_2012(client, programme):
    network = add_round()
    Programme.objects.filter(pk=programme.pk).update(is_current=False)
    Programme.objects.filter(pk=network.programme_id).update(is_current=True)
    content = _text(client.get("/en/"))
    assert "Development programme 2013–2014" in content
    assert f'href="/en/program/{SLUG_2012}/"' in content
    old = _text(client.get(f"/en/program/{SLUG_2012}/"))
    assert "Sickness absence South" in old and "Development programme 2012–2013" in old


def test_network_pages_carry_their_round(client, programme):
    network = add_round()
    new = _text(client.get(f"/en/nettverk/{network.slug}/"))
    assert "<h1>Omdømme (2013–2014)</h1>" in new
    assert "Network · Saman om ein betre kommune (2013–2014)" in new
    assert f'href="/en/program/{network.programme.slug}/"' in new  # the breadcrumb
    assert "Nordkalotten" in new
    footer = new[new.index("np-footer") :]
    assert "(2013–2014)" in footer and "(2012–2013)" not in footer

    old = _text(client.get("/en/nettverk/omdomme/"))
    assert "<h1>Reputation (2012–2013)</h1>" in old
    assert "(2013–2014)" not in old


def test_a_network_with_a_name_of_its_own_has_no_round_in_its_title(client, programme):
    add_round()
    content = _text(client.get("/en/nettverk/sykefravaer-sor/"))
    assert "<h1>Sickness absence South</h1>" in content


def test_project_and_gathering_pages_name_their_round(client, programme):
    network = add_round()
    project = network.local_projects.get()
    content = _text(client.get(f"/en/prosjekter/{project.slug}/"))
    assert "Saman om ein betre kommune (2013–2014)" in content
    assert "Omdømme (2013–2014)" in content
    assert content[content.index("np-footer") :].count("(2013–2014)") == 1

    gathering = network.gatherings.get()
    content = _text(client.get(f"/en/samlinger/{gathering.pk}/"))
    assert "Omdømme (2013–2014) · Saman om ein betre kommune (2013–2014)" in content
    assert "Velkommen til runde to" in content
    assert "(2012–2013)" not in content[content.index("np-footer") :]


def test_the_municipality_list_names_the_rounds_and_filters_by_round(client, programme):
    network = add_round()
    slug = network.programme.slug
    response = client.get("/en/kommuner/")
    content = _text(response)
    assert '<select name="program"' in content
    assert f'<option value="{slug}">Saman om ein betre kommune (2013–2014)</option>' in content
    bodo = next(m for m in response.context["municipalities"] if m.number == "1804")
    assert [r.slug for r in bodo.rounds] == [slug]
    karmoy = next(m for m in response.context["municipalities"] if m.name == "Karmøy")
    assert [r.slug for r in karmoy.rounds] == [SLUG_2012]
    row = re.search(r'<a href="/en/kommuner/1804/">Bodø</a>.*?</tr>', content, re.S).group(0)
    assert "2013–2014" in row

    filtered = client.get(f"/en/kommuner/?program={slug}")
    assert sorted(m.number for m in filtered.context["municipalities"]) == sorted(NORTH)
    assert "in Saman om ein betre kommune (2013–2014)" in filtered.content.decode()


def test_a_municipality_in_both_rounds_lists_both(client, programme, karmoy):
    network = add_round()
    both = karmoy.municipalities.first()
    network.local_projects.get().municipalities.add(both)
    response = client.get("/en/kommuner/")
    row = next(m for m in response.context["municipalities"] if m.pk == both.pk)
    assert [r.period for r in row.rounds] == ["2012–2013", "2013–2014"]
    detail = _text(client.get(f"/en/kommuner/{both.number}/"))
    assert "Omdømme (2013–2014)" in detail


def test_the_gatherings_page_groups_by_round(client, programme):
    network = add_round()
    content = _text(client.get("/en/samlinger/"))
    first = content.index('<h2 id="round-saman-om-ein-betre-kommune">')
    second = content.index(f'<h2 id="round-{network.programme.slug}">')
    assert first < second  # the current round first
    assert "Saman om ein betre kommune (2013–2014)</h2>" in content
    assert "Omdømme (2013–2014)</h3>" in content and "Reputation (2012–2013)</h3>" in content


# --- The admin --------------------------------------------------------------------------------


def test_a_networks_theme_must_belong_to_its_programme(programme):
    network = add_round()
    theme_2012 = programme.themes.get(slug="omdomme")
    wrong = Network(
        programme=network.programme, theme=theme_2012, name="Feil", slug="feil", region="Nord"
    )
    with pytest.raises(ValidationError) as caught:
        wrong.full_clean()
    assert "theme" in caught.value.message_dict
    with pytest.raises(ValidationError):
        save_network(network=wrong)
    assert not Network.objects.filter(slug="feil").exists()


def test_the_admin_refuses_a_theme_of_another_round(login, admin_user, programme):
    network = add_round()
    client = login(admin_user)
    theme_2012 = programme.themes.get(slug="omdomme")
    response = client.post(
        "/en/admin/network/network/add/",
        {
            "programme": network.programme_id,
            "theme": theme_2012.pk,
            "name": "Feil",
            "slug": "feil",
            "region": "Nord",
            "description": "",
        },
    )
    assert response.status_code == 200
    assert "belongs to another programme round" in response.content.decode()
    assert not Network.objects.filter(slug="feil").exists()


def test_admin_choice_lists_name_the_round_and_the_county(login, admin_user, programme):
    add_round()
    client = login(admin_user)
    network_form = _text(client.get("/en/admin/network/network/add/"))
    assert "Reputation – Together for a better municipality (2012–2013)" in network_form
    assert "Omdømme – Saman om ein betre kommune (2013–2014)" in network_form

    project_form = _text(client.get("/en/admin/municipalities/localproject/add/"))
    assert "Omdømme – Saman om ein betre kommune (2013–2014)" in project_form
    assert "1804 Bodø (Nordland)" in project_form

    gatherings = _text(client.get("/en/admin/gatherings/gathering/"))
    assert "Omdømme – Saman om ein betre kommune (2013–2014)" in gatherings


# --- Query counts stay constant with more rounds ---------------------------------------------


def _grow_rounds(n: int) -> None:
    for i in range(n):
        add_round(start_year=2014 + i, suffix=f"-{i}")


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        *LIST_PAGE_QUERIES.items(),
        ("/program/saman-2014-2015-0/", 6),
        ("/kommuner/?program=saman-2014-2015-0", 7),  # a round's municipalities
    ],
)
@pytest.mark.parametrize("size", [1, 4])
def test_public_pages_query_count_is_constant_in_rounds(
    client, programme, django_assert_num_queries, url, queries, size
):
    _grow_rounds(size)
    with django_assert_num_queries(queries):
        client.get(url)
