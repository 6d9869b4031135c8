"""Each project's development as pictures: a sparkline per indicator on its own scale, with the
numbers beside it – on the overview and on a municipality's progress page – never a league
table. And the raw data export an analyst reads."""

import csv
import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from measurements.charts import SPARK_HEIGHT, SPARK_PAD_Y, build_sparkline
from measurements.exports import EXPORT_HEADER
from measurements.models import Measurement
from municipalities.models import Municipality
from network.models import Network
from tests.factories import LocalProjectFactory
from tests.measurements.factories import (
    develop,
    indicator,
    indicators_of,
    measure,
    report_everything,
    url,
)

pytestmark = pytest.mark.django_db


def overview(query=""):
    return url("measurements:overview", lang="en", query=query)


def karmoy_progress(lang="en"):
    return url("measurements:municipality_progress", "1149", lang=lang)


def picture_list(content: str) -> list[tuple[str, str]]:
    """``[(project, its pictures' HTML)]`` in the page's order."""
    return [
        (unescape(name), body)
        for name, body in re.findall(
            r'<article class="np-project-pictures"[^>]*>\s*<h3 id="pictures-\d+">([^<]+?)'
            r"(?: <span[^>]*>[^<]*</span>)?</h3>(.*?)</article>",
            content,
            re.S,
        )
    ]


def pictures(content: str) -> dict[str, str]:
    return dict(picture_list(content))


def svgs(html: str) -> list[str]:
    return re.findall(r'<svg class="np-spark".*?</svg>', html, re.S)


@pytest.fixture
def karmoy_values(karmoy, baseline_closed, end_round):
    """Karmøy's reputation index: 4.25 at the baseline, 4.8 at the end, goal 5."""
    index = indicator(karmoy, "Omdømmeindeks")
    rounds = (baseline_closed, end_round)
    develop(karmoy, index, rounds=rounds, values=("4.25", "4.8"), stages=(2, 4), goal="5")
    return index


# --- The overview -------------------------------------------------------------------------------


def test_overview_draws_each_project_s_indicators_with_its_values(
    login, ministry, karmoy, karmoy_values
):
    content = login(ministry).get(overview()).content.decode()
    karmoy_pictures = pictures(content)["Karmøy"]
    drawn = svgs(karmoy_pictures)
    assert len(drawn) >= 1
    index = next(svg for svg in drawn if "Omdømmeindeks in Karmøy" in svg)
    assert 'role="img"' in index
    assert "<title id=" in index and "<desc id=" in index
    description = unescape(re.search(r"<desc[^>]*>(.*?)</desc>", index, re.S).group(1))
    assert "Nullpunkt (baseline): 4.25." in description
    assert "Sluttmåling: 4.8." in description
    assert "Goal: 5 by" in description
    assert 'class="np-spark__baseline"' in index  # the baseline marked
    assert 'class="np-spark__goal"' in index  # the project's own goal as a line
    assert index.count('class="np-spark__point"') == 1  # the end value
    # The numbers as a table too, for everyone.
    numbers = re.search(
        r"<figcaption[^>]*>Omdømmeindeks</figcaption>.*?<table.*?</table>",
        karmoy_pictures,
        re.S,
    ).group(0)
    cells = [unescape(c) for c in re.findall(r"<td>(.*?)</td>", numbers, re.S)]
    assert cells[:2] == ["4.25", "4.8"]
    assert cells[-1].startswith("5 by")


def test_overview_shows_every_indicator_of_a_project_even_without_values(
    login, ministry, karmoy, baseline_closed
):
    content = login(ministry).get(overview()).content.decode()
    karmoy_pictures = pictures(content)["Karmøy"]
    names = re.findall(
        r'<figcaption class="np-picture__name">([^<]+)</figcaption>', karmoy_pictures
    )
    assert [unescape(n) for n in names] == [i.name for i in indicators_of(karmoy)]
    assert svgs(karmoy_pictures) == []
    assert "No values reported yet." in karmoy_pictures


def test_each_sparkline_has_its_own_scale():
    """A project with values around 2 and one around 90 both use the picture's full height."""
    for values in (["1.9", "2.1"], ["88", "92"]):
        spark = build_sparkline(
            values=[Decimal(v) for v in values], goal=None, unit="score", baseline_index=0
        )
        ys = sorted(p.y for p in spark.points)
        assert ys == [SPARK_PAD_Y, SPARK_HEIGHT - SPARK_PAD_Y]
        assert spark.baseline is spark.points[0]
    flat = build_sparkline(values=[Decimal("3"), Decimal("3")], goal=None, unit="count")
    assert flat.points[0].y == flat.points[1].y == SPARK_HEIGHT / 2


@pytest.mark.parametrize(
    "query", ["", "?sort=change", "?ordering=-verdi", "?o=-4", "?order_by=value", "?rank=1"]
)
def test_no_link_or_parameter_orders_the_pictures_by_value(
    login, ministry, strand_improved_most, query
):
    content = login(ministry).get(overview(query)).content.decode()
    sections = dict(re.findall(r'<h2 id="network-\d+">([^<]+)</h2>(.*?)</section>', content, re.S))
    omdomme = [name for name, _body in picture_list(sections["Reputation"])]
    assert omdomme == ["Gamvik", "Karmøy", "Meland", "Strand", "Ørland"]
    assert len(picture_list(content)) == 49
    plain = login(ministry).get(overview()).content.decode()  # no link offers an ordering
    for href in re.findall(r'href="([^"]*)"', plain):
        assert not re.search(r"[?&](amp;)?(sort|order|ordering|o|rank)=", href), href
    assert "aria-sort" not in content


def test_the_admin_measurement_list_cannot_be_sorted_by_value(
    login, admin_user, karmoy, baseline_closed
):
    for n, item in enumerate(indicators_of(karmoy)):
        measure(karmoy, item, baseline_closed, str(9 - n))
    content = login(admin_user).get("/en/admin/measurements/measurement/").content.decode()
    value_column = re.search(r'<th scope="col" class="([^"]*column-shown_value[^"]*)"', content)
    assert value_column and "sortable" not in value_column.group(1)
    assert "column-value" not in content
    for path in ("goal", "anchoringassessment"):
        page = login(admin_user).get(f"/en/admin/measurements/{path}/").content.decode()
        headers = re.findall(r'<th scope="col" class="([^"]*)"', page)
        assert not any("sortable" in h and ("target" in h or "stage" in h) for h in headers), (
            headers
        )


# --- A municipality's progress ------------------------------------------------------------------


def test_municipality_progress_shows_karmoy_s_project_with_its_values(
    login, ministry, karmoy, karmoy_values
):
    response = login(ministry).get(karmoy_progress())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Karmøy (1149)</h1>" in content
    assert 'href="/en/prosjekter/karmoy-omdomme/framgang/">Karmøy</a>' in content
    index = next(svg for svg in svgs(content) if "Omdømmeindeks in Karmøy" in svg)
    assert "Nullpunkt (baseline): 4.25." in unescape(index)
    cells = [unescape(c) for c in re.findall(r"<td>(.*?)</td>", content, re.S)]
    assert "4.25" in cells and "4.8" in cells
    # The anchoring stage per round.
    anchoring = re.search(r"stage on the anchoring ladder by round.*?</table>", content, re.S)
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>', anchoring.group(0))
    assert rows == [("Nullpunkt", "2. Interest"), ("Sluttmåling", "4. Engagement")]


def test_municipality_progress_lists_every_project_it_took_part_in(
    login, ministry, karmoy, baseline_closed
):
    municipality = Municipality.objects.get(number="1149")
    other = LocalProjectFactory(
        network=Network.objects.get(slug="sykefravaer-sor"),
        name="Karmøy og Bokn",
        municipalities=[municipality],
    )
    report_everything(other, baseline_closed, value="6.5")
    content = login(ministry).get(karmoy_progress()).content.decode()
    headings = re.findall(r'<h2 id="project-\d+">(?:<a [^>]*>)?([^<]+)', content)
    assert [unescape(h) for h in headings] == ["Karmøy", "Karmøy og Bokn"]
    assert "6.5" in content


def test_municipality_progress_is_for_those_who_follow_it(
    login, leader_karmoy, leader_strand, facilitator, facilitator_other, participant, karmoy
):
    assert login(leader_karmoy).get(karmoy_progress()).status_code == 200
    assert login(facilitator).get(karmoy_progress()).status_code == 200
    for user in (leader_strand, facilitator_other, participant):
        assert login(user).get(karmoy_progress()).status_code == 403
    missing = url("measurements:municipality_progress", "9999", lang="en")
    assert login(leader_karmoy).get(missing).status_code == 404


@pytest.mark.parametrize("extra", [0, 5])
def test_municipality_progress_query_count_is_constant(
    login, ministry, karmoy, baseline_closed, end_round, django_assert_num_queries, extra
):
    municipality = Municipality.objects.get(number="1149")
    network = Network.objects.get(slug="sykefravaer-sor")
    report_everything(karmoy, baseline_closed)
    for _ in range(extra):
        project = LocalProjectFactory(network=network, municipalities=[municipality])
        report_everything(project, baseline_closed, value="7")
        report_everything(project, end_round, value="6")
    client = login(ministry)
    client.get(karmoy_progress())
    # the page notes the current programme it shows: the header needs no query of its own
    with django_assert_num_queries(8):
        content = client.get(karmoy_progress()).content.decode()
    assert len(re.findall(r'<h2 id="project-\d+">', content)) == 1 + extra


# --- The export ---------------------------------------------------------------------------------


def test_export_header_is_norwegian():
    assert ";".join(EXPORT_HEADER) == (
        "nettverk;tema;prosjekt;prosjektnavn;kommunenummer;indikator;enhet;retning;måling;"
        "verdi;merknad;kilde;registrert;forankringstrinn;forankring;program"
    )


def test_export_csv_speaks_norwegian_with_anchoring_and_an_iso_time(
    login, ministry, karmoy, karmoy_values, baseline_closed
):
    when = datetime.datetime(2013, 3, 5, 13, 30, 15, 123456, tzinfo=datetime.UTC)
    Measurement.objects.filter(local_project=karmoy).update(reported_at=when)
    response = login(ministry).get(url("measurements:export_csv", lang="en"))
    content = response.content.decode("utf-8")[1:]
    reader = csv.reader(io.StringIO(content), delimiter=";")
    assert next(reader) == EXPORT_HEADER
    rows = [dict(zip(EXPORT_HEADER, row, strict=True)) for row in reader]
    baseline = next(r for r in rows if r["måling"] == "Nullpunkt")
    assert baseline["enhet"] == "poeng"
    assert baseline["retning"] == "Høyere er bedre"
    assert baseline["kilde"] == "Rapportert i skjema"
    assert baseline["verdi"] == "4,25"
    assert baseline["forankringstrinn"] == "2"
    assert baseline["forankring"] == "Interesse"
    assert baseline["registrert"] == "2013-03-05T14:30:15+01:00"
    end = next(r for r in rows if r["måling"] == "Sluttmåling")
    assert end["verdi"] == "4,8" and end["forankringstrinn"] == "4"


def test_export_xlsx_registration_time_is_a_date_time_cell(login, ministry, karmoy, karmoy_values):
    when = datetime.datetime(2013, 3, 5, 13, 30, 15, tzinfo=datetime.UTC)
    Measurement.objects.filter(local_project=karmoy).update(reported_at=when)
    response = login(ministry).get(url("measurements:export_xlsx", lang="en"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header == EXPORT_HEADER
    row = dict(zip(header, sheet[2], strict=True))
    assert row["registrert"].is_date
    assert row["registrert"].value == timezone.localtime(when).replace(tzinfo=None)
    assert row["verdi"].value == 4.25
    assert row["enhet"].value == "poeng"
    assert row["forankringstrinn"].value == 2


def test_a_large_overview_shows_the_pictures_a_network_at_a_time(
    login, ministry, karmoy, karmoy_values, monkeypatch
):
    monkeypatch.setattr("measurements.selectors.OVERVIEW_PICTURES_AT_MOST", 10)
    client = login(ministry)
    content = client.get(overview()).content.decode()
    assert svgs(content) == []
    assert 'href="?nettverk=omdomme"' in content
    filtered = client.get(overview("?nettverk=omdomme")).content.decode()
    assert [name for name, _body in picture_list(filtered)] == [
        "Gamvik",
        "Karmøy",
        "Meland",
        "Strand",
        "Ørland",
    ]
    assert any("Omdømmeindeks in Karmøy" in svg for svg in svgs(filtered))
