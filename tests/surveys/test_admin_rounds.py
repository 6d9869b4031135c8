"""The survey's admin names the programme round in its choice lists and list filters."""

import pytest

from tests.measurements.test_admin_rounds import ROUND_2012, ROUND_2013, page, second_round  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "periods"),
    [
        # The programme to choose, and the list filter by programme.
        ("/en/admin/surveys/questionnaire/add/", ["2012–2013", "2013–2014"]),
        ("/en/admin/surveys/questionnaire/", ["2013–2014"]),
    ],
)
def test_a_questionnaire_s_programme_names_its_period(
    login,
    admin_user,
    second_round,  # noqa: F811
    path,
    periods,
):
    shown = page(login(admin_user), path)
    for period in periods:
        assert f"Saman om ein betre kommune ({period})" in shown


def test_survey_runs_are_filtered_by_rounds_that_name_their_programme(
    login,
    admin_user,
    second_round,  # noqa: F811
):
    listing = page(login(admin_user), "/en/admin/surveys/surveyrun/")
    assert ROUND_2012 in listing and ROUND_2013 in listing
