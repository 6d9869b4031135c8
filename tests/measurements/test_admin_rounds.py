"""The measurements' admin names the programme round in its choice lists and list filters:
two rounds share the name «Saman om ein betre kommune» and each has a «Nullpunkt»."""

import datetime
import html

import pytest

from measurements.models import MeasurementRound, RoundKind
from tests.network.test_rounds import add_round

pytestmark = pytest.mark.django_db

ROUND_2012 = "Nullpunkt – Saman om ein betre kommune (2012–2013)"
ROUND_2013 = "Nullpunkt – Saman om ein betre kommune (2013–2014)"


@pytest.fixture
def second_round(programme):
    network = add_round()
    MeasurementRound.objects.create(
        programme=network.programme,
        name="Nullpunkt",
        slug="nullpunkt",
        kind=RoundKind.BASELINE,
        opens_on=datetime.date(2013, 2, 1),
        closes_on=datetime.date(2013, 3, 1),
    )
    return network.programme


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("model", ["measurement", "anchoringassessment", "roundreport"])
def test_round_choices_name_the_programme_round(login, admin_user, second_round, model):
    form = page(login(admin_user), f"/admin/measurements/{model}/add/")
    assert ROUND_2012 in form and ROUND_2013 in form


def test_a_round_s_programme_and_an_indicator_s_theme_name_their_period(
    login, admin_user, second_round
):
    client = login(admin_user)
    rounds = page(client, "/admin/measurements/measurementround/add/")
    assert "Saman om ein betre kommune (2012–2013)" in rounds
    assert "Saman om ein betre kommune (2013–2014)" in rounds
    indicators = page(client, "/admin/measurements/indicator/add/")
    assert "Omdømme – Saman om ein betre kommune (2013–2014)" in indicators


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/admin/measurements/measurement/", ROUND_2013),
        ("/admin/measurements/anchoringassessment/", ROUND_2013),
        ("/admin/measurements/reminder/", ROUND_2013),
        ("/admin/measurements/measurementround/", "Saman om ein betre kommune (2013–2014)"),
        ("/admin/measurements/indicator/", "Omdømme – Saman om ein betre kommune (2013–2014)"),
        ("/admin/measurements/goal/", "Omdømme – Saman om ein betre kommune (2012–2013)"),
    ],
)
def test_list_filters_name_the_programme_round(login, admin_user, second_round, path, label):
    assert label in page(login(admin_user), path)
