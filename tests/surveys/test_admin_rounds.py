"""The survey's admin names the programme round in its choice lists and list filters."""

import pytest

from tests.measurements.test_admin_rounds import ROUND_2012, ROUND_2013, page, second_round  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_questionnaire_s_programme_names_its_period(login, admin_user, second_round):  # noqa: F811
    client = login(admin_user)
    form = page(client, "/en/admin/surveys/questionnaire/add/")
    assert "Saman om ein betre kommune (2012–2013)" in form
    assert "Saman om ein betre kommune (2013–2014)" in form
    listing = page(client, "/en/admin/surveys/questionnaire/")
    assert "Saman om ein betre kommune (2013–2014)" in listing


def test_survey_runs_are_filtered_by_rounds_that_name_their_programme(
    login,
    admin_user,
    second_round,  # noqa: F811
):
    listing = page(login(admin_user), "/en/admin/surveys/surveyrun/")
    assert ROUND_2012 in listing and ROUND_2013 in listing
