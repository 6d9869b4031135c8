"""The admin names the programme round in its choice lists and list filters – the
measurements' and the survey's: two rounds share the name «Saman om ein betre kommune» and
each has a «Nullpunkt»."""

import datetime
import html

import pytest

from measurements.models import MeasurementRound, RoundKind
from tests.network.test_rounds import add_round

pytestmark = pytest.mark.django_db

PROGRAMME_2012 = "Saman om ein betre kommune (2012–2013)"
PROGRAMME_2013 = "Saman om ein betre kommune (2013–2014)"
ROUND_2012 = f"Nullpunkt – {PROGRAMME_2012}"
ROUND_2013 = f"Nullpunkt – {PROGRAMME_2013}"


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


def missing(client, path: str, labels: list[str]) -> list[str]:
    """Those of ``labels`` that the admin page at ``path`` does not show."""
    response = client.get(path)
    assert response.status_code == 200
    shown = html.unescape(response.content.decode())
    return [label for label in labels if label not in shown]


@pytest.mark.parametrize("model", ["measurement", "anchoringassessment", "roundreport"])
def test_round_choices_name_the_programme_round(login, admin_user, second_round, model):
    path = f"/admin/measurements/{model}/add/"
    assert missing(login(admin_user), path, [ROUND_2012, ROUND_2013]) == []


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        ("/admin/measurements/measurementround/add/", [PROGRAMME_2012, PROGRAMME_2013]),
        ("/admin/measurements/indicator/add/", [f"Omdømme – {PROGRAMME_2013}"]),
        ("/admin/surveys/questionnaire/add/", [PROGRAMME_2012, PROGRAMME_2013]),
    ],
    ids=["a round's programme", "an indicator's theme", "a questionnaire's programme"],
)
def test_programme_and_theme_choices_name_their_period(
    login, admin_user, second_round, path, labels
):
    assert missing(login(admin_user), path, labels) == []


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        ("/admin/measurements/measurement/", [ROUND_2013]),
        ("/admin/measurements/anchoringassessment/", [ROUND_2013]),
        ("/admin/measurements/reminder/", [ROUND_2013]),
        ("/admin/measurements/measurementround/", [PROGRAMME_2013]),
        ("/admin/measurements/indicator/", [f"Omdømme – {PROGRAMME_2013}"]),
        ("/admin/measurements/goal/", [f"Omdømme – {PROGRAMME_2012}"]),
        ("/admin/surveys/questionnaire/", [PROGRAMME_2013]),
        ("/admin/surveys/surveyrun/", [ROUND_2012, ROUND_2013]),
    ],
)
def test_list_filters_name_the_programme_round(login, admin_user, second_round, path, labels):
    assert missing(login(admin_user), path, labels) == []
