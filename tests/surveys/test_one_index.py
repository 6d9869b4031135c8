"""One reputation index: a closed survey writes into the theme's reputation indicator (parts per
target group and the overall value), never new indicators, and never makes a project
incomplete; the migration moves what the former indicators held."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from measurements.models import (
    AnchoringAssessment,
    Goal,
    Indicator,
    Measurement,
    MeasurementSource,
)
from measurements.selectors import round_statuses, with_round_statuses
from municipalities.models import LocalProject
from surveys.services import close_run
from tests.measurements.factories import measure, url
from tests.surveys.factories import answer_many, open_run

pytestmark = pytest.mark.django_db

migration = importlib.import_module("surveys.migrations.0003_one_reputation_index")


def status(project, round):
    projects = with_round_statuses(
        LocalProject.objects.filter(pk=project.pk).select_related("network"), [round]
    )
    return round_statuses(projects, [round])[(project.pk, round.pk)]


def reputation_index(project) -> Indicator:
    return Indicator.objects.get(theme=project.network.theme, measured_by_survey=True)


def by_part(indicator, **filters) -> dict[str, Decimal]:
    """The indicator's values by part («» for the overall value)."""
    found = Measurement.objects.filter(indicator=indicator, **filters)
    return dict(found.values_list("part", "value"))


def report_what_the_leaders_report(project, round) -> None:
    """Values of every indicator but the survey's, and the anchoring stage."""
    for item in Indicator.objects.for_project(project).filter(measured_by_survey=False):
        measure(project, item, round, "5")
    AnchoringAssessment.objects.create(local_project=project, round=round, stage=3)


# --- Closing ------------------------------------------------------------------------------------


def test_closing_a_survey_leaves_the_indicators_and_completeness_unchanged(
    leader_karmoy, karmoy, strand, baseline
):
    report_what_the_leaders_report(karmoy, baseline)
    indicators = list(Indicator.objects.for_project(karmoy))
    everywhere = Indicator.objects.count()
    before = status(karmoy, baseline)
    assert before.is_complete  # the survey's indicator is not one the leaders must report
    assert not status(strand, baseline).is_complete

    for group, rating in (("employees", 5), ("residents", 3)):
        run = open_run(karmoy, baseline, group)
        answer_many(run, 5, rating)
        close_run(run=run, user=leader_karmoy)

    assert list(Indicator.objects.for_project(karmoy)) == indicators
    assert Indicator.objects.count() == everywhere
    after = status(karmoy, baseline)
    assert after.is_complete
    assert (after.reported, after.total) == (before.reported + 1, before.total + 1)


def test_a_project_without_survey_values_is_complete_and_gets_no_reminder(
    login, ministry, karmoy, strand, baseline
):
    report_what_the_leaders_report(karmoy, baseline)
    query = "?maling=nullpunkt"
    page = login(ministry).get(url("measurements:completeness", lang="en", query=query))
    listed = page.content.decode()  # the projects not fully reported, to remind
    assert f'id="remind-{strand.pk}"' in listed
    assert f'id="remind-{karmoy.pk}"' not in listed


def test_the_programmes_reputation_indicator_holds_the_index_by_target_group(
    leader_karmoy, karmoy, baseline
):
    employees = open_run(karmoy, baseline, "employees")
    answer_many(employees, 5, 6)  # index 100
    close_run(run=employees, user=leader_karmoy)
    index = reputation_index(karmoy)
    assert index.unit == "score" and index.name == "Omdømmeindeks"
    values = by_part(index)
    assert values == {"employees": Decimal("100.0"), "": Decimal("100.0")}

    residents = open_run(karmoy, baseline, "residents")
    answer_many(residents, 5, 2)  # index 20
    close_run(run=residents, user=leader_karmoy)
    values = by_part(index)
    assert values == {
        "employees": Decimal("100.0"),
        "residents": Decimal("20.0"),
        "": Decimal("60.0"),
    }
    assert set(Measurement.objects.values_list("source", flat=True)) == {"survey"}


def test_a_value_the_leaders_reported_themselves_stays(leader_karmoy, karmoy, baseline):
    index = reputation_index(karmoy)
    mine = measure(karmoy, index, baseline, "71.5", note="Egen undersøkelse")
    run = open_run(karmoy, baseline)
    answer_many(run, 5, 6)
    close_run(run=run, user=leader_karmoy)
    mine.refresh_from_db()
    assert (mine.value, mine.note, mine.source) == (
        Decimal("71.5"),
        "Egen undersøkelse",
        MeasurementSource.FORM,
    )
    assert Measurement.objects.get(indicator=index, part="employees").value == Decimal("100.0")


def test_a_run_with_too_few_answers_or_the_open_link_writes_nothing(
    leader_karmoy, karmoy, baseline
):
    few = open_run(karmoy, baseline, "employees")
    answer_many(few, 4, 6)
    close_run(run=few, user=leader_karmoy)
    open_link = open_run(karmoy, baseline, "residents")
    answer_many(open_link, 6, 6, open_link=True)
    close_run(run=open_link, user=leader_karmoy)
    assert not Measurement.objects.exists()


def test_the_progress_page_shows_the_index_once(login, leader_karmoy, karmoy, baseline):
    run = open_run(karmoy, baseline)
    answer_many(run, 5, 5)
    close_run(run=run, user=leader_karmoy)
    page = login(leader_karmoy).get(url("measurements:project_progress", karmoy.slug)).content
    page = page.decode()
    assert page.count('id="indikator-') == Indicator.objects.for_project(karmoy).count()
    assert "Omdømmeindeks – ansatte" not in page


# --- The migration ------------------------------------------------------------------------------


def old_index(project, group_nb: str) -> Indicator:
    """A «Omdømmeindeks – <group>» as closed surveys created it in the theme's catalogue."""
    base = reputation_index(project)
    return Indicator.objects.get_or_create(
        theme=base.theme,
        local_project=None,
        name=f"Omdømmeindeks – {group_nb}",
        defaults={"unit": "score", "direction": "higher", "source": migration.SOURCE},
    )[0]


def old_statement(project) -> Indicator:
    """A statement's mean as closed surveys created it: an indicator of the project's own."""
    return Indicator.objects.create(
        local_project=project,
        name="Kommunen er en god arbeidsplass – ansatte",
        unit="score",
        direction="higher",
        source=migration.SOURCE,
        position=1001,
    )


def old_value(project, item, round, value, source=MeasurementSource.SURVEY) -> Measurement:
    return Measurement.objects.create(
        local_project=project,
        indicator=item,
        round=round,
        value=Decimal(value),
        note="Omdømmeundersøkelsen i Nettverksportalen (ansatte, Nullpunkt): 6 svar.",
        source=source,
    )


def test_the_migration_moves_the_old_indices_into_the_programmes_indicator(
    karmoy, strand, baseline
):
    base = reputation_index(karmoy)
    employees, residents = old_index(karmoy, "ansatte"), old_index(karmoy, "innbyggere")
    old_value(karmoy, employees, baseline, "54.1")
    old_value(karmoy, residents, baseline, "40.0")
    old_value(strand, employees, baseline, "62.0")
    statement = old_statement(karmoy)
    old_value(karmoy, statement, baseline, "4.33")
    open_link = Indicator.objects.create(
        local_project=karmoy,
        name="Omdømmeindeks – ansatte (åpen lenke)",
        unit="score",
        direction="higher",
        source=f"{migration.SOURCE} (åpen lenke)",
        position=1000,
    )
    old_value(karmoy, open_link, baseline, "80.0")
    own = Indicator.objects.create(
        local_project=karmoy, name="Sykefravær blant ansatte", unit="percent", direction="lower"
    )
    measure(karmoy, own, baseline, "6.1")

    migration.move_to_one_index(apps, None)

    assert not Indicator.objects.filter(pk__in=[employees.pk, residents.pk]).exists()
    assert not Indicator.objects.filter(pk__in=[statement.pk, open_link.pk]).exists()
    assert by_part(base, local_project=karmoy) == {
        "employees": Decimal("54.1"),
        "residents": Decimal("40.0"),
        "": Decimal("47.1"),  # (54.1 + 40.0) / 2 = 47.05, half up
    }
    assert by_part(base, local_project=strand) == {
        "employees": Decimal("62.0"),
        "": Decimal("62.0"),
    }
    assert Measurement.objects.get(indicator=own).value == Decimal("6.1")
    assert set(Measurement.objects.values_list("indicator_id", flat=True)) == {base.pk, own.pk}

    migration.move_to_one_index(apps, None)  # a second run changes nothing
    assert Measurement.objects.count() == 6


def test_the_migration_never_loses_a_value_entered_by_hand(karmoy, baseline, leader_karmoy):
    base = reputation_index(karmoy)
    mine = measure(karmoy, base, baseline, "70.0", note="Fra papirundersøkelsen")
    employees = old_index(karmoy, "ansatte")
    old_value(karmoy, employees, baseline, "54.1")
    statement = old_statement(karmoy)
    corrected = old_value(karmoy, statement, baseline, "4.5", source=MeasurementSource.FORM)
    goal = Goal.objects.create(
        local_project=karmoy,
        indicator=employees,
        target_value=Decimal("60"),
        target_date=baseline.closes_on,
    )

    migration.move_to_one_index(apps, None)

    mine.refresh_from_db()
    assert (mine.value, mine.part, mine.note) == (Decimal("70.0"), "", "Fra papirundersøkelsen")
    assert Measurement.objects.get(indicator=base, part="employees").value == Decimal("54.1")
    corrected.refresh_from_db()  # typed in by hand: the indicator and its value stay
    assert corrected.indicator_id == statement.pk and corrected.value == Decimal("4.5")
    goal.refresh_from_db()
    assert goal.indicator_id == base.pk
    assert not Indicator.objects.filter(pk=employees.pk).exists()


def test_closing_says_where_the_index_went(login, leader_karmoy, karmoy, baseline):
    client = login(leader_karmoy)
    run = open_run(karmoy, baseline)
    answer_many(run, 5, 5)
    closed = client.post(url("surveys:close", karmoy.slug, run.pk, lang="en"), {}, follow=True)
    assert "Its reputation index is written into the reputation indicator for Nullpunkt" in (
        closed.content.decode()
    )
    open_link = open_run(karmoy, baseline, "residents")
    answer_many(open_link, 5, 5, open_link=True)
    closed = client.post(
        url("surveys:close", karmoy.slug, open_link.pk, lang="en"), {}, follow=True
    )
    assert "results are shown but not written into Nullpunkt" in closed.content.decode()
