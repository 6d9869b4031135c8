"""The ministry overview: every project against its own baseline, never a league table."""

import csv
import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from measurements.models import AnchoringAssessment
from municipalities.models import LocalProject
from network.models import Network
from tests.factories import LocalProjectFactory, MunicipalityFactory
from tests.measurements.factories import indicator, measure, report_everything, url

pytestmark = pytest.mark.django_db


def overview(query="", lang="en"):
    return url("measurements:overview", lang=lang, query=query)


def tables(response) -> dict[str, dict[str, list[str]]]:
    """``{network: {project: [cells]}}`` as the page shows them, in the page's order."""
    content = response.content.decode()
    result = {}
    for section in re.findall(r'<h2 id="network-\d+">.*?</section>', content, re.S):
        network = re.match(r'<h2 id="network-\d+">([^<]+)</h2>', section).group(1)
        result[unescape(network)] = {
            unescape(name): [unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells, re.S)]
            for name, cells in re.findall(
                r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>(.*?)</tr>', section, re.S
            )
        }
    return result


def names(response) -> list[str]:
    return [name for rows in tables(response).values() for name in rows]


def test_overview_groups_by_network_and_lists_projects_alphabetically(login, ministry, programme):
    groups = tables(login(ministry).get(overview()))
    assert len(groups) == 8
    assert sum(len(rows) for rows in groups.values()) == 49
    assert list(groups)[:2] == ["Competence North", "Competence West and East"]
    assert list(groups["Reputation"]) == ["Gamvik", "Karmøy", "Meland", "Strand", "Ørland"]


@pytest.mark.parametrize(
    "query",
    ["?sort=change", "?ordering=-change", "?o=-1", "?order_by=verdi", "?sorter=bedre", "?rank=1"],
)
def test_overview_offers_no_ordering_by_value(login, ministry, strand_improved_most, query):
    client = login(ministry)
    plain = client.get(overview())
    asked = client.get(overview(query))
    assert asked.status_code == 200
    assert names(asked) == names(plain)
    assert list(tables(asked)["Reputation"]) == ["Gamvik", "Karmøy", "Meland", "Strand", "Ørland"]
    assert "aria-sort" not in asked.content.decode()
    forms = "".join(re.findall(r'<form method="get".*?</form>', asked.content.decode(), re.S))
    assert set(re.findall(r'name="([^"]+)"', forms)) == {"program", "tema", "nettverk", "fylke"}
    content = plain.content.decode()  # no link offers an ordering
    for word in ("sort", "order", "rank"):
        assert f"?{word}" not in content and f"&amp;{word}" not in content


def test_overview_shows_each_project_s_own_change_in_words(
    login, ministry, karmoy, strand_improved_most
):
    rows = tables(login(ministry).get(overview(query="?nettverk=omdomme")))["Reputation"]
    assert rows["Karmøy"][-1] == "0 better, 3 worse, 0 unchanged"
    assert rows["Strand"][-1] == "3 better, 0 worse, 0 unchanged"
    assert rows["Gamvik"][-1] == "Nothing to compare with the baseline yet"


def test_own_change_is_the_same_counted_by_the_database_and_from_the_pictures(
    login,
    ministry,
    stavanger,
    strand_improved_most,
    baseline_closed,
    end_round,
    monkeypatch,
    settings,
):
    """A large overview (no pictures) counts the changes in the database; a small one from the
    pictures' values. Lower is better for sick leave; an unchanged value; a value in the
    baseline only."""
    for name, before, after in [
        ("Sykefravær", "7.5", "6.9"),
        ("Medarbeiderundersøkelse", "4", "4"),
    ]:
        measure(stavanger, indicator(stavanger, name), baseline_closed, before)
        measure(stavanger, indicator(stavanger, name), end_round, after)
    settings.FRAGMENT_CACHE = False
    client = login(ministry)
    with_pictures = tables(client.get(overview()))
    monkeypatch.setattr("measurements.selectors.OVERVIEW_PICTURES_AT_MOST", 10)
    counted = client.get(overview())
    assert 'class="np-spark"' not in counted.content.decode()
    assert tables(counted) == with_pictures
    changes = {name: cells[-1] for rows in with_pictures.values() for name, cells in rows.items()}
    assert changes["Strand"] == "3 better, 0 worse, 0 unchanged"
    assert changes["Stavanger"] == "1 better, 0 worse, 1 unchanged"


def test_overview_shows_which_rounds_are_reported(login, ministry, karmoy, baseline_closed):
    report_everything(karmoy, baseline_closed)
    gamvik = LocalProject.objects.get(slug="gamvik-omdomme")
    measure(gamvik, indicator(gamvik, "Omdømmeindeks"), baseline_closed, "4")
    rows = tables(login(ministry).get(overview(query="?nettverk=omdomme")))["Reputation"]
    assert rows["Karmøy"][1:3] == ["Reported", "Not reported"]
    assert rows["Gamvik"][1] == "1 of 3 indicators, no anchoring stage"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "?tema=sykefravaer",
            {"Sickness absence North and West", "Sickness absence South", "Sickness absence East"},
        ),
        ("?nettverk=omdomme", {"Reputation"}),
        ("?fylke=20", {"Reputation"}),
        (
            "?fylke=18",
            {
                "Competence North",
                "Full-time and part-time work North and South",
                "Sickness absence North and West",
            },
        ),
    ],
)
def test_overview_filters(login, ministry, programme, query, expected):
    response = login(ministry).get(overview(query))
    assert set(tables(response)) == expected
    if query == "?fylke=20":
        assert names(response) == ["Gamvik"]


def test_overview_bad_filter_is_said_not_crashed(login, ministry, programme):
    response = login(ministry).get(overview("?tema=finnes-ikke"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(names(response)) == 49  # unfiltered


def test_facilitator_sees_the_projects_of_their_networks(login, facilitator, facilitator_other):
    own = set(tables(login(facilitator).get(overview())))
    assert own == {"Reputation", "Sickness absence East"}  # Asbjørn L. Stavem leads both
    assert set(tables(login(facilitator_other).get(overview()))) == {"Sickness absence South"}


@pytest.mark.parametrize("persona", ["participant", "leader_karmoy"])
def test_overview_is_not_for_project_people(login, request, persona):
    assert login(request.getfixturevalue(persona)).get(overview()).status_code == 403


@pytest.mark.parametrize(
    ("extra", "pictures"),
    [(0, 49), (10, 59), (12, 0)],  # the pictures are left out above 60 projects
)
def test_overview_query_count_is_constant(
    login, ministry, baseline_closed, end_round, django_assert_num_queries, extra, pictures
):
    network = Network.objects.get(slug="sykefravaer-sor")
    for n in range(extra):
        project = LocalProjectFactory(
            network=network, municipalities=[MunicipalityFactory(number=f"11{60 + n}")]
        )
        report_everything(project, baseline_closed, value="7")
        report_everything(project, end_round, value="6")
    client = login(ministry)
    client.get(overview())
    cache.clear()
    with django_assert_num_queries(9):  # the pictures from the same queries
        response = client.get(overview())
    assert len(names(response)) == 49 + extra
    assert response.content.decode().count('<article class="np-project-pictures"') == pictures
    with django_assert_num_queries(5):  # filters and tables from the cache
        assert names(client.get(overview())) == names(response)


def test_overview_shows_a_new_value_at_once(login, ministry, leader_karmoy, karmoy, baseline):
    client = login(ministry)
    assert tables(client.get(overview()))["Reputation"]["Karmøy"][1] == "Not reported"
    report_everything(karmoy, baseline)
    assert tables(client.get(overview()))["Reputation"]["Karmøy"][1] == "Reported"


def test_overview_cache_is_per_language_and_scope(login, ministry, facilitator_other):
    english = login(ministry).get(overview()).content.decode()
    bokmal = login(ministry).get(overview(lang="nb")).content.decode()
    assert 'href="/en/prosjekter/karmoy-omdomme/framgang/"' in english
    assert 'href="/prosjekter/karmoy-omdomme/framgang/"' in bokmal
    assert set(tables(login(facilitator_other).get(overview()))) == {"Sickness absence South"}


def read_csv(response) -> list[dict]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content[1:]), delimiter=";"))


def test_export_csv_is_raw_data_for_norwegian_excel(login, ministry, karmoy, baseline_closed):
    index = indicator(karmoy, "Omdømmeindeks")
    measure(karmoy, index, baseline_closed, "4.25", note='=HYPERLINK("http://x","klikk")')
    response = login(ministry).get(url("measurements:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows == [
        {
            "nettverk": "Omdømme",
            "tema": "Omdømme",
            "prosjekt": "karmoy-omdomme",
            "prosjektnavn": "Karmøy",
            "kommunenummer": "1149",
            "indikator": "Omdømmeindeks",
            "enhet": "poeng",
            "retning": "Høyere er bedre",
            "måling": "Nullpunkt",
            "verdi": "4,25",
            "merknad": '\'=HYPERLINK("http://x","klikk")',
            "kilde": "Rapportert i skjema",
            "registrert": rows[0]["registrert"],
            "forankringstrinn": "",
            "forankring": "",
            "program": "saman-om-ein-betre-kommune",
        }
    ]


def test_export_names_networks_and_themes_in_bokmal_from_the_english_page(
    login, ministry, karmoy, baseline_closed
):
    measure(karmoy, indicator(karmoy, "Omdømmeindeks"), baseline_closed, "4")
    rows = read_csv(login(ministry).get(url("measurements:export_csv", lang="en")))
    assert {(row["nettverk"], row["tema"]) for row in rows} == {("Omdømme", "Omdømme")}


def test_export_follows_the_filter_and_the_facilitator_s_networks(
    login, facilitator_other, karmoy, baseline_closed
):
    stavanger = LocalProject.objects.get(slug="stavanger-sykefravaer")
    report_everything(stavanger, baseline_closed)
    report_everything(karmoy, baseline_closed)
    rows = read_csv(login(facilitator_other).get(url("measurements:export_csv")))
    assert {r["prosjekt"] for r in rows} == {"stavanger-sykefravaer"}
    staff = read_csv(
        login(facilitator_other).get(url("measurements:export_csv", query="?tema=omdomme"))
    )
    assert staff == []


def test_export_xlsx_keeps_numbers_numbers_and_text_text(login, ministry, karmoy, baseline_closed):
    index = indicator(karmoy, "Omdømmeindeks")
    measure(karmoy, index, baseline_closed, "4.25", note="=1+1")
    response = login(ministry).get(url("measurements:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = [c.value for c in sheet[1]], sheet[2]
    values = dict(zip(header, row, strict=True))
    assert values["verdi"].value == 4.25
    assert values["merknad"].value == "=1+1" and values["merknad"].data_type == "s"


def test_exported_csv_imports_back_unchanged(login, ministry, karmoy, baseline_closed):
    report_everything(karmoy, baseline_closed, value="4.5")
    AnchoringAssessment.objects.all().delete()
    client = login(ministry)
    exported = client.get(url("measurements:export_csv")).content
    upload = io.BytesIO(exported)
    upload.name = "framgang.csv"
    response = client.post(url("measurements:import_upload"), {"file": upload})
    batch = response.url.rstrip("/").rsplit("/", 1)[1]
    preview = client.get(response.url)
    assert preview.context["problems"] == [], batch
    assert preview.context["summary"]["unchanged"] == 3
