"""The ministry follows any programme round: ``?program=<slug>`` on the overview, its exports,
who has not reported, the rounds and the import; the current programme by default."""

import datetime
import io
import re

import pytest

from measurements.models import MeasurementRound
from network.models import Programme
from tests.factories import (
    IndicatorFactory,
    LocalProjectFactory,
    MeasurementFactory,
    MeasurementRoundFactory,
    NetworkFactory,
    ProgrammeFactory,
    ThemeFactory,
)
from tests.measurements.factories import url
from tests.spreadsheets import csv_rows

pytestmark = pytest.mark.django_db

PAGES = [
    "measurements:overview",
    "measurements:export_csv",
    "measurements:export_xlsx",
    "measurements:completeness",
    "measurements:rounds",
    "measurements:round_create",
    "measurements:import_upload",
    "measurements:import_template",
]


@pytest.fixture
def round_2014(programme):
    """A second round of the programme with one network, project, round and value; the 2012
    programme stays the current one."""
    new = ProgrammeFactory(name="Saman 2014", slug="saman-2014", start_year=2014, end_year=2015)
    theme = ThemeFactory(programme=new, name="Tillit", slug="tillit")
    network = NetworkFactory(theme=theme, name="Tillit Vest", slug="tillit-vest")
    project = LocalProjectFactory(network=network, name="Tillit Karmøy", slug="tillit-karmoy")
    round = MeasurementRoundFactory(
        programme=new,
        name="Start 2014",
        slug="start-2014",
        opens_on=datetime.date(2014, 1, 1),
        closes_on=datetime.date(2014, 12, 31),
    )
    indicator = IndicatorFactory(theme=theme, name="Tillitsindeks")
    MeasurementFactory(local_project=project, indicator=indicator, round=round, value="6.5")
    return new


def on(name: str, program: str = "saman-2014", lang: str = "en") -> str:
    return url(name, lang=lang, query=f"?program={program}")


def network_headings(response) -> list[str]:
    return re.findall(r'<h2 id="network-\d+">([^<]+)</h2>', response.content.decode())


def test_overview_follows_the_programme_asked_for(login, ministry, round_2014):
    client = login(ministry)

    current = client.get(url("measurements:overview", lang="en"))
    asked = client.get(on("measurements:overview"))

    assert "Tillit Vest" not in network_headings(current)
    assert len(network_headings(current)) == 8
    assert network_headings(asked) == ["Tillit Vest"]
    assert "Saman 2014" in asked.content.decode()


def test_overview_shows_a_labelled_programme_selector_with_the_current_one_chosen(
    login, ministry, round_2014, programme
):
    content = login(ministry).get(url("measurements:overview", lang="en")).content.decode()

    form = re.search(
        r'<form method="get" class="np-filter np-programme-choice">.*?</form>', content, re.S
    )
    assert form, "no programme selector"
    selector = form.group(0)
    select_id = re.search(r'<select name="program"[^>]* id="([^"]+)"', selector).group(1)
    assert re.search(rf'<label[^>]* for="{select_id}"', selector)
    assert re.search(rf'<option value="{programme.slug}"[^>]*selected', selector)
    assert '<option value="saman-2014"' in selector


def test_overview_links_and_filters_keep_the_programme(login, ministry, round_2014):
    content = login(ministry).get(on("measurements:overview")).content.decode()

    assert 'href="/en/framgang/eksport.csv?program=saman-2014"' in content
    assert 'href="/en/framgang/rapportering/?program=saman-2014"' in content
    assert 'href="/en/framgang/malinger/?program=saman-2014"' in content
    assert '<input type="hidden" name="program" value="saman-2014">' in content


@pytest.mark.parametrize("name", PAGES)
def test_an_unknown_programme_is_not_found(login, ministry, programme, name):
    assert login(ministry).get(on(name, program="finst-ikkje")).status_code == 404


def test_export_carries_the_programme_as_its_last_column(login, ministry, round_2014):
    rows = csv_rows(login(ministry).get(on("measurements:export_csv")))

    assert rows[0][-1] == "program"
    assert [(row[2], row[5], row[9], row[-1]) for row in rows[1:]] == [
        ("tillit-karmoy", "Tillitsindeks", "6,5", "saman-2014")
    ]


def test_export_xlsx_follows_the_programme(login, ministry, round_2014):
    from openpyxl import load_workbook

    response = login(ministry).get(on("measurements:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[-1] == "program"
    assert [row[-1] for row in rows] == ["saman-2014"]


def test_completeness_offers_the_rounds_of_the_programme_asked_for(login, ministry, round_2014):
    content = login(ministry).get(on("measurements:completeness")).content.decode()

    assert re.findall(r'<option value="([^"]*)"', content.split('name="maling"', 1)[1])[:1] == [
        "start-2014"
    ]
    assert "Tillit Karmøy" in content
    assert content.count('<input type="hidden" name="program" value="saman-2014">') == 2


def test_reminders_keep_the_programme(login, ministry, round_2014):
    project = round_2014.networks.get().local_projects.get()
    response = login(ministry).post(
        url("measurements:remind", lang="en"),
        {"program": "saman-2014", "maling": "start-2014", "prosjekt": [project.pk]},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert '<input type="hidden" name="program" value="saman-2014">' in content
    assert "/en/framgang/rapportering/?program=saman-2014&amp;maling=start-2014" in content


def test_rounds_list_and_new_round_follow_the_programme(login, ministry, round_2014):
    client = login(ministry)
    content = client.get(on("measurements:rounds")).content.decode()
    assert "Start 2014" in content and "Nullpunkt" not in content
    assert 'href="/en/framgang/malinger/ny/?program=saman-2014"' in content

    response = client.post(
        on("measurements:round_create"),
        {
            "name": "Slutt 2015",
            "kind": "end",
            "opens_on": "2015-05-01",
            "closes_on": "2015-06-30",
            "position": "2",
        },
    )

    assert response.status_code == 302
    assert response.url == "/en/framgang/malinger/?program=saman-2014"
    assert MeasurementRound.objects.get(name="Slutt 2015").programme == round_2014


def test_import_template_follows_the_programme(login, ministry, round_2014):
    client = login(ministry)
    page = client.get(on("measurements:import_upload")).content.decode()
    assert 'href="/en/framgang/import/mal.csv?program=saman-2014"' in page

    rows = csv_rows(client.get(on("measurements:import_template")))

    assert [row[1:5] for row in rows[1:]] == [
        ["tillit-karmoy", "Tillitsindeks", "Start 2014", "6,5"]
    ]


def test_the_current_programme_is_the_default_everywhere(login, ministry, round_2014, programme):
    assert Programme.objects.current() == programme
    rows = csv_rows(login(ministry).get(url("measurements:export_csv", lang="en")))
    assert {row[-1] for row in rows[1:]} <= {programme.slug}
