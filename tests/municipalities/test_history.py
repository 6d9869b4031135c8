"""Municipalities over time: the SSB history 2012–2024, the municipality page that follows a
number through mergers and new numbers, the admin that never renumbers a municipality, and
``municipality_at`` for imports."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from municipalities.models import (
    Municipality,
    MunicipalityChange,
    MunicipalityChangeKind,
    MunicipalityChangeLink,
    MunicipalityVersion,
)
from municipalities.seed import municipality_history as seed
from municipalities.selectors import MunicipalityTimeline, municipality_at, municipality_history
from tests.factories import LocalProjectFactory, NetworkFactory, ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(programme):
    call_command("load_municipality_history", stdout=io.StringIO())


def successors(number):
    return [
        (link.change.date.year, link.predecessor_id, link.successor_id)
        for link in municipality_history(Municipality.objects.get(pk=number)).successors
    ]


def test_the_data_file_names_its_source_and_covers_2012_to_2024():
    head = seed.CHANGES_FILE.read_text(encoding="utf-8").splitlines()[:4]
    assert any("KLASS" in line and "131" in line and "SSB" in line for line in head)
    changes = seed.read_changes()
    assert min(c.date for c in changes) == datetime.date(2012, 1, 1)
    assert max(c.date for c in changes) == datetime.date(2024, 1, 1)


def test_the_loader_is_idempotent(programme):
    out = io.StringIO()
    call_command("load_municipality_history", stdout=out)
    assert "Kommunehistorikk" in out.getvalue()
    counts = (
        Municipality.objects.count(),
        MunicipalityVersion.objects.count(),
        MunicipalityChange.objects.count(),
        MunicipalityChangeLink.objects.count(),
    )
    assert counts[3] == len(seed.read_changes())
    again = io.StringIO()
    call_command("load_municipality_history", stdout=again)
    assert "0 nye kommunenummer, 0 nye og 0 endrede versjoner, 0 nye endringer" in again.getvalue()
    assert counts == (
        Municipality.objects.count(),
        MunicipalityVersion.objects.count(),
        MunicipalityChange.objects.count(),
        MunicipalityChangeLink.objects.count(),
    )


def test_later_numbers_exist_with_name_and_county(history):
    kristiansand = Municipality.objects.select_related("county").get(pk="4204")
    assert (kristiansand.name, kristiansand.county.name) == ("Kristiansand", "Agder")
    orland = Municipality.objects.select_related("county").get(pk="5057")
    assert (orland.name, orland.county.name) == ("Ørland", "Trøndelag")
    assert MunicipalityVersion.objects.get(number="5057").valid_from == datetime.date(2020, 1, 1)


def test_kinds_of_change(history):
    def kind(number, year):
        return MunicipalityChangeLink.objects.get(
            predecessor=number, change__date=datetime.date(year, 1, 1)
        ).change.kind

    assert kind("1723", 2012) == MunicipalityChangeKind.MERGER  # Mosvik + Inderøy
    assert kind("1621", 2018) == MunicipalityChangeKind.RENUMBERING  # Trøndelag
    assert kind("1849", 2012) == MunicipalityChangeKind.NAME_CHANGE  # Hábmer - Hamarøy
    assert MunicipalityChangeLink.objects.get(predecessor="1507", successor="1580").change.kind == (
        MunicipalityChangeKind.SPLIT
    )  # Ålesund and Haram, 2024


def test_successor_chains(history):
    assert successors("1017") == [(2020, "1017", "4204")]
    assert successors("1621") == [(2018, "1621", "5015"), (2020, "5015", "5057")]
    assert successors("1723")[0] == (2012, "1723", "1756")
    assert successors("1901")[0] == (2013, "1901", "1903")
    assert successors("1901")[1:] == [(2020, "1903", "5402"), (2024, "5402", "5503")]
    latest = municipality_history(Municipality.objects.get(pk="1621")).latest_successors
    assert [m.number for m in latest] == ["5057"]
    stokke = municipality_history(Municipality.objects.get(pk="0720")).latest_successors
    assert [m.number for m in stokke] == ["3905", "3907"]  # split between Tønsberg, Sandefjord
    orland = municipality_history(Municipality.objects.get(pk="5057"))
    assert {link.predecessor_id for link in orland.predecessors} >= {"1621", "5015", "5017"}


@pytest.mark.parametrize(
    ("number", "successor"),
    [("1017", "4204"), ("1621", "5015"), ("1621", "5057"), ("1723", "1756"), ("1901", "1903")],
)
def test_a_former_number_has_a_page_linking_its_successors(history, login, number, successor):
    response = login(None).get(f"/en/kommuner/{number}/")
    assert response.status_code == 200
    link = f'href="{reverse("municipalities:detail", args=[successor])}"'
    assert link in response.content.decode()


def test_the_page_shows_names_over_time_and_links_back(history, login):
    content = login(None).get("/en/kommuner/5015/").content.decode()
    assert "Names and numbers over time" in content
    assert "Latest successors" not in content  # the direct successor is the latest
    assert f'href="{reverse("municipalities:detail", args=["1621"])}"' in content
    assert f'href="{reverse("municipalities:detail", args=["5057"])}"' in content


def test_projects_of_predecessors_show_on_the_successors_page(history, login):
    karmoy = Municipality.objects.get(pk="1149")  # 2012 project; 1149 became 1149 again
    content = login(None).get("/en/kommuner/1149/").content.decode()
    assert karmoy.local_projects.first().name in content
    later = ProgrammeFactory(name="Nettverk 2021", start_year=2021, end_year=2022)
    network = NetworkFactory(theme=ThemeFactory(programme=later), programme=later)
    LocalProjectFactory(
        network=network, name="Orland 2021", municipalities=[Municipality.objects.get(pk="5057")]
    )
    content = login(None).get("/en/kommuner/1621/").content.decode()
    assert "Orland 2021" in content and "Nettverk 2021" in content


def test_unknown_numbers_are_still_not_found(history, login):
    assert login(None).get("/en/kommuner/9999/").status_code == 404


@pytest.mark.parametrize("n", [1, 4])
def test_the_page_needs_the_same_queries_at_any_size(history, login, n, django_assert_num_queries):
    orland = Municipality.objects.get(pk="5057")
    for i in range(n):
        programme = ProgrammeFactory(start_year=2020 + i, end_year=2021 + i)
        network = NetworkFactory(theme=ThemeFactory(programme=programme), programme=programme)
        LocalProjectFactory(network=network, municipalities=[orland])
    client = login(None)
    url = "/en/kommuner/1621/"
    client.get(url)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


QUERIES = 6


def test_municipality_at_resolves_the_number_valid_on_a_date(history):
    assert municipality_at("1621", datetime.date(2013, 6, 1)).pk == "1621"
    assert municipality_at("1621", datetime.date(2018, 6, 1)) is None
    assert municipality_at("5015", datetime.date(2018, 6, 1)).pk == "5015"
    assert municipality_at("5057", datetime.date(2019, 12, 31)) is None
    assert municipality_at("5057", datetime.date(2020, 1, 1)).pk == "5057"
    assert municipality_at("1723", datetime.date(2012, 3, 1)) is None
    assert municipality_at("1901", datetime.date(2012, 3, 1)).pk == "1901"
    assert municipality_at("0000", datetime.date(2012, 3, 1)) is None


def test_municipality_at_without_history_takes_the_number(programme):
    assert municipality_at("1149", datetime.date(2012, 3, 1)).pk == "1149"


def test_the_admin_never_renumbers_a_municipality(history, login, admin_user):
    client = login(admin_user)
    url = reverse("admin:municipalities_municipality_change", args=["1149"])
    page = client.get(url).content.decode()
    assert 'name="number"' not in page  # read-only
    assert "registrer en kommuneendring" in page
    client.post(url, {"name": "Karmøy", "county": "11", "number": "1150"})
    assert not Municipality.objects.filter(pk="1150").exists()
    add = client.get(reverse("admin:municipalities_municipality_add")).content.decode()
    assert 'name="number"' in add


def test_the_timeline_names_the_numbers_valid_on_a_date(history):
    timeline = MunicipalityTimeline()
    on_2014 = datetime.date(2014, 1, 1)
    assert timeline.numbers_valid_on(["1723", "1901", "1915", "1621"], on_2014) == [
        "1621",
        "1756",
        "1903",
    ]
    assert timeline.numbers_valid_on(["1723", "1901", "1621"], datetime.date(2020, 1, 1)) == [
        "5053",
        "5057",
        "5402",
    ]
    assert timeline.numbers_on("5057", datetime.date(2012, 6, 1)) >= {"1621", "1627"}
    assert timeline.numbers_on("0720", datetime.date(2017, 1, 1)) == {"0704", "0710"}  # split
    assert timeline.numbers_on("9999", on_2014) == {"9999"}  # no history: always in use
    assert timeline.matches("5057", datetime.date(2013, 3, 1), frozenset({"1621", "1149"})) == [
        "1621"
    ]
    assert timeline.matches("1915", datetime.date(2012, 3, 1), frozenset({"1901"})) == []
