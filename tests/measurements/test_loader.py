"""The 2012 catalogue and rounds: defaults the programme can change, loaded once."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from measurements.models import Direction, Indicator, Measurement, MeasurementRound, RoundKind, Unit

pytestmark = pytest.mark.django_db


def test_each_theme_has_a_catalogue_of_example_indicators(programme):
    catalogue = {
        theme.slug: {i.name: (i.unit, i.direction) for i in theme.indicators.all()}
        for theme in programme.themes.all()
    }
    assert catalogue["sykefravaer"]["Sykefravær"] == (Unit.PERCENT, Direction.LOWER_IS_BETTER)
    assert catalogue["heltid-deltid"] == {
        "Andel ansatte i heltidsstilling": (Unit.PERCENT, Direction.HIGHER_IS_BETTER),
        "Gjennomsnittlig stillingsstørrelse": (Unit.PERCENT, Direction.HIGHER_IS_BETTER),
    }
    assert "Andel ansatte med formell kompetanse" in catalogue["kompetanse"]
    assert "Omdømmeindeks" in catalogue["omdomme"]
    assert "Kvalifiserte søkere per utlyst stilling" in catalogue["omdomme"]
    assert "Medarbeiderundersøkelse" in catalogue["sykefravaer"]
    assert Indicator.objects.count() == 9
    assert not Indicator.objects.filter(is_example=False).exists()
    assert not Indicator.objects.filter(definition="").exists()


def test_the_baseline_and_end_rounds_are_loaded_without_values(programme):
    rounds = list(MeasurementRound.objects.filter(programme=programme).order_by("position"))
    assert [(r.name, r.kind, r.opens_on, r.closes_on) for r in rounds] == [
        ("Nullpunkt", RoundKind.BASELINE, date(2012, 2, 16), date(2012, 12, 31)),
        ("Sluttmåling", RoundKind.END, date(2013, 5, 1), date(2013, 6, 30)),
    ]
    assert not Measurement.objects.exists()


def test_loading_again_keeps_what_the_programme_changed(programme):
    baseline = MeasurementRound.objects.get(slug="nullpunkt")
    baseline.closes_on = date(2030, 1, 1)
    baseline.save()
    sick_leave = Indicator.objects.get(name="Sykefravær")
    sick_leave.definition = "Endret av programmet"
    sick_leave.save()
    call_command("load_programme_2012", stdout=io.StringIO())
    baseline.refresh_from_db()
    sick_leave.refresh_from_db()
    assert baseline.closes_on == date(2030, 1, 1)
    assert sick_leave.definition == "Endret av programmet"
    assert Indicator.objects.count() == 9 and MeasurementRound.objects.count() == 2


def test_open_data_export_holds_the_catalogue_and_the_rounds(programme):
    out = io.StringIO()
    call_command("export_programme", stdout=out)
    data = json.loads(out.getvalue())
    sykefravaer = next(t for t in data["themes"] if t["slug"] == "sykefravaer")
    assert sykefravaer["indicators"][0]["name"] == "Sykefravær"
    assert sykefravaer["indicators"][0]["direction"] == "lower"
    assert [r["slug"] for r in data["measurement_rounds"]] == ["nullpunkt", "sluttmaling"]
