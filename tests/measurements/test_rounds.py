"""Measurement rounds: ministry staff and administrators add and change them."""

from datetime import date

import pytest

from measurements.models import MeasurementRound, RoundKind
from tests.measurements.factories import url

pytestmark = pytest.mark.django_db


def round_data(**overrides):
    return {
        "name": "Midtveismåling",
        "slug": "",
        "kind": RoundKind.OTHER,
        "opens_on": "2012-09-01",
        "closes_on": "2012-10-31",
        "position": "2",
        **overrides,
    }


def test_ministry_adds_a_round_with_a_slug_made_from_its_name(login, ministry, programme):
    response = login(ministry).post(url("measurements:round_create"), round_data())
    assert response.status_code == 302
    added = MeasurementRound.objects.get(name="Midtveismåling")
    assert (added.slug, added.programme, added.opens_on) == (
        "midtveismaling",
        programme,
        date(2012, 9, 1),
    )


def test_ministry_moves_a_round_s_dates(login, admin_user, programme):
    baseline = MeasurementRound.objects.get(slug="nullpunkt")
    response = login(admin_user).post(
        url("measurements:round_update", baseline.pk),
        round_data(
            name="Nullpunkt",
            slug="nullpunkt",
            kind=RoundKind.BASELINE,
            closes_on="2030-12-31",
            opens_on="2012-02-16",
            position="1",
        ),
    )
    assert response.status_code == 302
    baseline.refresh_from_db()
    assert baseline.closes_on == date(2030, 12, 31) and baseline.is_open


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": RoundKind.BASELINE}, "The programme already has a round of this kind."),
        ({"slug": "nullpunkt"}, "The programme already has a round with this slug."),
        ({"closes_on": "2012-08-01"}, "A round cannot close before it opens."),
    ],
)
def test_round_form_refuses_clashes(login, ministry, programme, overrides, message):
    response = login(ministry).post(
        url("measurements:round_create", lang="en"), round_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MeasurementRound.objects.count() == 2


def test_facilitators_see_the_rounds_but_do_not_change_them(login, facilitator, programme):
    client = login(facilitator)
    assert client.get(url("measurements:rounds")).status_code == 200
    assert client.post(url("measurements:round_create"), round_data()).status_code == 403
    assert MeasurementRound.objects.count() == 2
