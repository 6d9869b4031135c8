"""The participant import takes the municipality number valid at the programme's start, or
today's, and maps it to the project's municipality through the municipalities' history."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from municipalities.models import Municipality, Participant
from municipalities.participant_import import read_participant_file
from municipalities.services import import_participants
from tests.factories import LocalProjectFactory, NetworkFactory, ProgrammeFactory, ThemeFactory
from tests.municipalities.factories import upload

pytestmark = pytest.mark.django_db

HEADER = "Navn;Funksjon;Rolle;E-post;Telefon;Kommunenummer"


@pytest.fixture
def history(programme):
    call_command("load_municipality_history", stdout=io.StringIO())


def project_of(*numbers, start_year=2012):
    programme = ProgrammeFactory(start_year=start_year, end_year=start_year + 1)
    network = NetworkFactory(theme=ThemeFactory(programme=programme), programme=programme)
    return LocalProjectFactory(
        network=network, municipalities=[Municipality.objects.get(pk=n) for n in numbers]
    )


def preview_of(project, *numbers):
    lines = [HEADER] + [f"Person {i};;Annen;;;{n}" for i, n in enumerate(numbers, start=1)]
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    with translation.override("en"):
        preview = read_participant_file(upload("liste.csv", content), project=project)
        errors = [(e.row, e.column, e.message) for e in preview.errors]
    return preview, errors


@pytest.mark.parametrize(
    ("project_numbers", "start_year", "typed", "kept"),
    [
        (["1756"], 2012, "1723", "1756"),  # Mosvik merged into Inderøy on 1 January 2012
        (["1903"], 2014, "1901", "1903"),  # Harstad's number before 2013
        (["1901"], 2012, "1903", "1901"),  # Harstad's number from 2013, for a 2012 project
        (["1621"], 2012, "5015", "1621"),  # Ørland in Trøndelag from 2018
        (["1621"], 2012, "5057", "1621"),  # Ørland (with Bjugn) from 2020
        (["5057"], 2021, "5057", "5057"),  # the project's own number
    ],
)
def test_a_number_of_another_year_is_the_project_s_municipality(
    history, project_numbers, start_year, typed, kept
):
    project = project_of(*project_numbers, start_year=start_year)
    preview, errors = preview_of(project, typed)
    assert errors == []
    assert [row.municipality for row in preview.rows] == [kept]
    import_participants(project=project, rows=preview.rows)
    assert Participant.objects.get(local_project=project).municipality_id == kept


def test_a_number_of_none_of_the_project_s_municipalities_names_row_and_number(history):
    project = project_of("1901")
    _preview, errors = preview_of(project, "1901", "1915")  # Bjarkøy: still on its own in 2012
    assert len(errors) == 1
    row, column, message = errors[0]
    assert (row, column) == (3, "Kommunenummer")
    assert "1915" in message and "1901" in message and "Jan. 1, 2012" in message


def test_today_s_number_of_two_project_municipalities_is_ambiguous(history):
    project = project_of("1621", "1627")  # both became 5057 Ørland in 2020
    _preview, errors = preview_of(project, "5057")
    assert len(errors) == 1
    assert errors[0][0] == 2
    assert "5057" in errors[0][2] and "1621, 1627" in errors[0][2]


def test_without_history_a_stranger_number_is_still_refused(programme):
    project = project_of("1149")
    _preview, errors = preview_of(project, "1150")
    assert [(row, "1150" in message) for row, _column, message in errors] == [(2, True)]
