"""Goals and a project's own indicators, set by its leaders."""

from datetime import date
from decimal import Decimal

import pytest

from measurements.models import Direction, Goal, Indicator, Unit
from tests.factories import OwnIndicatorFactory
from tests.measurements.factories import (
    conflicts,
    indicator,
    leader_of,
    measure,
    url,
)

pytestmark = pytest.mark.django_db


def goals_url(project, lang="en"):
    return url("measurements:goals", project.slug, lang=lang)


def goal_data(project, goals: dict[str, tuple[str, str]], version="1") -> dict:
    data = {"loaded_version": version}
    for item in Indicator.objects.for_project(project):
        target, day = goals.get(item.name, ("", ""))
        data[f"target_{item.pk}"] = target
        data[f"date_{item.pk}"] = day
    return data


def test_leader_sets_a_goal_per_indicator(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    assert client.get(goals_url(karmoy)).status_code == 200
    response = client.post(
        goals_url(karmoy), goal_data(karmoy, {"Omdømmeindeks": ("4,5", "2013-05-31")})
    )
    assert response.status_code == 302
    goal = Goal.objects.get(local_project=karmoy)
    assert (goal.indicator.name, goal.target_value, goal.target_date) == (
        "Omdømmeindeks",
        Decimal("4.5"),
        date(2013, 5, 31),
    )
    response = client.post(goals_url(karmoy), goal_data(karmoy, {}, version="2"))
    assert response.status_code == 302
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        (("4,5", ""), "Give the date the target is to be reached by."),
        (("", "2013-05-31"), "Give the target value, or clear the date."),
        (("mye", "2013-05-31"), "«mye» is not a number"),
    ],
)
def test_a_goal_needs_both_value_and_date(login, leader_karmoy, karmoy, goal, message):
    response = login(leader_karmoy).post(
        goals_url(karmoy), goal_data(karmoy, {"Omdømmeindeks": goal})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_two_leaders_setting_goals_at_once_see_a_conflict(login, leader_karmoy, karmoy):
    other = login(leader_of(karmoy, "leder2.karmoy"))
    first = login(leader_karmoy)
    other.post(goals_url(karmoy), goal_data(karmoy, {"Omdømmeindeks": ("4,5", "2013-05-31")}))
    response = first.post(
        goals_url(karmoy), goal_data(karmoy, {"Omdømmeindeks": ("5", "2013-06-30")})
    )
    assert conflicts(response, "Someone else saved while you were editing") == [
        ("Omdømmeindeks", "5, 30.06.2013", "4.5, 31.05.2013")
    ]
    content = response.content.decode()
    assert "5, 30.06.2013" in content and "4.5, 31.05.2013" in content
    assert response.context["form"]["loaded_version"].value() == "2"
    assert Goal.objects.get().target_value == Decimal("4.5")


@pytest.mark.parametrize("persona", ["leader_strand", "facilitator_other"])
def test_outsiders_do_not_find_the_goals(login, request, karmoy, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(goals_url(karmoy)).status_code == 404
    assert client.post(goals_url(karmoy), goal_data(karmoy, {})).status_code == 404


@pytest.mark.parametrize("persona", ["participant", "facilitator", "ministry"])
def test_only_leaders_set_goals(login, request, karmoy, persona):
    response = login(request.getfixturevalue(persona)).post(
        goals_url(karmoy), goal_data(karmoy, {"Omdømmeindeks": ("4,5", "2013-05-31")})
    )
    assert response.status_code == 403
    assert not Goal.objects.exists()


def new_indicator(**overrides):
    return {
        "name": "Søkere til lærlingplasser",
        "unit": Unit.COUNT,
        "direction": Direction.HIGHER_IS_BETTER,
        "definition": "Søkere per lærlingplass i helsefag",
        "source": "Opplæringskontoret",
        **overrides,
    }


def test_leader_adds_an_own_indicator_that_the_report_form_then_asks_for(
    login, leader_karmoy, karmoy, strand, baseline
):
    client = login(leader_karmoy)
    response = client.post(url("measurements:indicator_create", karmoy.slug), new_indicator())
    assert response.status_code == 302
    own = Indicator.objects.get(local_project=karmoy)
    assert (own.theme, own.is_example, own.unit) == (None, False, Unit.COUNT)
    assert response.url.endswith(f"#indikator-{own.pk}")
    form = client.get(url("measurements:report", karmoy.slug, baseline.slug)).context["form"]
    assert f"value_{own.pk}" in form.fields
    assert own not in Indicator.objects.for_project(strand)


def test_own_indicator_name_must_be_new_to_the_project(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    response = client.post(
        url("measurements:indicator_create", karmoy.slug, lang="en"),
        new_indicator(name="omdømmeindeks"),
    )
    assert response.status_code == 200
    assert "The project already has an indicator by that name." in response.content.decode()


def test_own_indicator_unit_is_fixed_once_it_has_values(login, leader_karmoy, karmoy, baseline):
    own = OwnIndicatorFactory(local_project=karmoy, unit=Unit.COUNT)
    measure(karmoy, own, baseline, "12")
    client = login(leader_karmoy)
    response = client.post(
        url("measurements:indicator_update", karmoy.slug, own.pk, lang="en"),
        new_indicator(name=own.name, unit=Unit.PERCENT),
    )
    assert "its unit can no longer change" in response.content.decode()
    response = client.post(
        url("measurements:indicator_update", karmoy.slug, own.pk),
        new_indicator(name="Nytt navn", unit=Unit.COUNT),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Nytt navn"


def test_another_project_s_indicator_is_not_found(login, leader_karmoy, karmoy, strand):
    strand_own = OwnIndicatorFactory(local_project=strand)
    response = login(leader_karmoy).get(
        url("measurements:indicator_update", karmoy.slug, strand_own.pk)
    )
    assert response.status_code == 404
    assert indicator(karmoy, "Omdømmeindeks")
