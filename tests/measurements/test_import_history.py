"""The value import takes the municipality number valid on the round's date, or today's, and
finds the project's municipality through the municipalities' history (SSB, KLASS 131)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import translation

from measurements.value_import import check_file
from municipalities.models import LocalProject, Municipality
from tests.factories import (
    IndicatorFactory,
    LocalProjectFactory,
    MeasurementRoundFactory,
    NetworkFactory,
    ProgrammeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "kommunenummer;prosjekt;indikator;måling;verdi"


@pytest.fixture
def rounds(programme):
    """A programme 2012–2013 with a round in each year, an indicator, and projects of
    1756 Inderøy, 1901 Harstad and 1621 Ørland (numbers of 2012)."""
    call_command("load_municipality_history", stdout=io.StringIO())
    later = ProgrammeFactory(name="Runde 2012", slug="runde-2012", start_year=2012, end_year=2013)
    theme = ThemeFactory(programme=later)
    network = NetworkFactory(theme=theme, programme=later)
    IndicatorFactory(theme=theme, name="Fravær")
    for year in (2012, 2013):  # a round each spring
        MeasurementRoundFactory(
            programme=later,
            name=f"Vår {year}",
            slug=f"var-{year}",
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 4, 1),
        )

    def project(slug, *numbers):
        return LocalProjectFactory(
            network=network,
            slug=slug,
            name=slug.title(),
            municipalities=[Municipality.objects.get(pk=n) for n in numbers],
        )

    return {
        "network": network,
        "inderoy": project("inderoy", "1756"),
        "harstad": project("harstad", "1901"),
        "orland": project("orland", "1621"),
        "project": project,
    }


def check(ministry, *lines):
    content = ("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8")
    with translation.override("en"):
        result = check_file(content, "verdier.csv", ministry)
        messages = [(p.row, p.code, p.message) for p in result.problems]
    return result, messages


def slugs(result, rounds) -> list[str]:
    by_pk = dict(LocalProject.objects.values_list("pk", "slug"))
    return [by_pk[row.project_id] for row in result.rows]


def test_the_number_valid_on_the_round_s_date_finds_the_project(ministry, rounds):
    result, problems = check(
        ministry,
        "1901;;Fravær;Vår 2012;5",  # the project's own number
        "1903;;Fravær;Vår 2013;5",  # Harstad's number from 2013
    )
    assert problems == []
    assert slugs(result, rounds) == ["harstad", "harstad"]
    # Bjarkøy, part of Harstad since 2013, by its number before
    result, problems = check(ministry, "1915;;Fravær;Vår 2013;5")
    assert problems == []
    assert slugs(result, rounds) == ["harstad"]


def test_a_number_gone_by_the_round_s_date_names_its_successor(ministry, rounds):
    result, problems = check(ministry, "1723;;Fravær;Vår 2012;5")  # Mosvik → 1756 Inderøy, 2012
    assert problems == []
    assert slugs(result, rounds) == ["inderoy"]


@pytest.mark.parametrize("number", ["5015", "5057"])
def test_today_s_successor_number_is_accepted_when_it_names_one_project_municipality(
    ministry, rounds, number
):
    result, problems = check(ministry, f"{number};;Fravær;Vår 2012;5", f"{number};orland;;;")
    assert problems == []  # the second row has no value: skipped
    assert slugs(result, rounds) == ["orland"]


def test_today_s_number_of_two_project_municipalities_is_refused(ministry, rounds):
    rounds["project"]("bjugn", "1627")  # 1621 Ørland and 1627 Bjugn became 5057 Ørland
    _result, problems = check(ministry, "1149;;Fravær;Vår 2012;5", "5057;;Fravær;Vår 2012;5")
    (row, code, message), *_rest = [p for p in problems if p[0] == 3]
    assert (row, code) == (3, "ambiguous_number_on_date")
    assert "5057" in message and "1621 Ørland" in message and "1627 Bjugn" in message
    assert "March 1, 2012" in message and "Vår 2012" in message


def test_a_number_of_no_project_municipality_on_the_date_is_refused_with_row_and_number(
    ministry, rounds
):
    result, problems = check(
        ministry,
        "1901;;Fravær;Vår 2012;5",
        "1915;;Fravær;Vår 2012;5",  # Bjarkøy was not yet part of Harstad in 2012
    )
    assert slugs(result, rounds) == ["harstad"]
    assert [(row, code) for row, code, _message in problems] == [(3, "municipality_not_on_date")]
    message = problems[0][2]
    assert "1915" in message and "March 1, 2012" in message and "Vår 2012" in message


def test_with_the_project_named_a_history_number_must_be_one_of_its_municipalities(
    ministry, rounds
):
    result, problems = check(
        ministry,
        "1903;harstad;Fravær;Vår 2013;5",
        "1902;harstad;Fravær;Vår 2013;5",
    )
    assert slugs(result, rounds) == ["harstad"]
    assert [(row, code) for row, code, _message in problems] == [
        (3, "municipality_not_in_project_on_date")
    ]
    assert "1902" in problems[0][2] and "1901 Harstad" in problems[0][2]


def test_a_project_of_a_later_round_is_found_by_the_older_number(ministry, rounds):
    later = ProgrammeFactory(slug="runde-2021", start_year=2021, end_year=2022)
    theme = ThemeFactory(programme=later)
    IndicatorFactory(theme=theme, name="Fravær")
    MeasurementRoundFactory(
        programme=later,
        name="Vår 2021",
        opens_on=datetime.date(2021, 3, 1),
        closes_on=datetime.date(2021, 4, 1),
    )
    orland = LocalProjectFactory(
        network=NetworkFactory(theme=theme, programme=later),
        slug="orland-2021",
        municipalities=[Municipality.objects.get(pk="5057")],
    )
    result, problems = check(ministry, "1621;;Fravær;Vår 2021;5", "1621;;Fravær;Vår 2012;4")
    assert problems == []
    assert [row.project_id for row in result.rows] == [orland.pk, rounds["orland"].pk]


@pytest.mark.parametrize("rows", [4, 40])
def test_history_lookups_cost_the_same_queries_whatever_the_file_s_size(
    ministry, rounds, rows, django_assert_num_queries
):
    lines = [
        f"{('1723', '5057', '1903')[n % 3]};;Fravær;Vår 201{2 + n % 3 // 2};5" for n in range(rows)
    ]
    with django_assert_num_queries(6):
        result, _problems = check(ministry, *lines)
    assert result.read == rows
