import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gatherings.models import AgendaItem, AgendaItemSpeaker, Gathering
from measurements.models import Indicator, MeasurementRound
from municipalities.models import County, LocalProject, Municipality
from network.models import Network, Organisation, Person, Programme, Theme

pytestmark = pytest.mark.django_db

MODELS = (
    Programme,
    Theme,
    Organisation,
    Person,
    Network,
    County,
    Municipality,
    LocalProject,
    Gathering,
    AgendaItem,
    AgendaItemSpeaker,
    Indicator,
    MeasurementRound,
)

NEW_ROUND = {
    "programme": {
        "name": "Saman om ein betre kommune 2014",
        "slug": "saman-2014",
        "start_year": 2014,
        "end_year": 2015,
    },
    "themes": [{"name": "Tillit", "slug": "tillit", "indicators": []}],
    "networks": [
        {
            "name": "Tillit Vest",
            "slug": "tillit-vest",
            "theme": "Tillit",
            "region": "Vest",
            "url": "/nettverk/tillit-vest/",
            "facilitator": {
                "name": "Kari Nordmann",
                "title": "Rådgiver",
                "organisation": "KS",
                "department": "",
            },
            "projects": [
                {
                    "name": "Karmøy tillit",
                    "slug": "karmoy-tillit",
                    "url": "/prosjekter/karmoy-tillit/",
                    "municipalities": ["1149"],
                }
            ],
            "gatherings": [
                {
                    "kind": "samling_1",
                    "title": "Oppstart",
                    "month": "2014-03",
                    "month_last": None,
                    "schedule_note": "",
                    "start_date": "2014-03-11",
                    "end_date": "2014-03-12",
                    "status": "published",
                    "url": "/samlinger/1/",
                    "ical_url": "/samlinger/1/kalender.ics",
                    "venue": "Haugesund",
                    "agenda": [
                        {
                            "date": "2014-03-11",
                            "start": "10:00",
                            "end": "11:00",
                            "title": "Velkommen",
                            "kind": "plenary",
                            "description": "",
                            "speakers": [
                                {
                                    "name": "Kari Nordmann",
                                    "title": "Rådgiver",
                                    "organisation": "KS",
                                    "department": "",
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ],
    "municipalities": [{"number": "1149", "name": "Karmøy", "county": "Rogaland"}],
    "measurement_rounds": [
        {
            "name": "Nullpunkt",
            "slug": "nullpunkt",
            "kind": "baseline",
            "opens_on": "2014-03-01",
            "closes_on": "2014-06-30",
        }
    ],
}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def export(*args) -> dict:
    out = io.StringIO()
    call_command("export_programme", *args, stdout=out)
    return json.loads(out.getvalue())


def import_file(tmp_path, data, name="programme.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("import_programme", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("drafts", [[], ["--include-drafts"]], ids=["public", "drafts"])
def test_import_programme_round_trip_into_an_empty_database_is_identical(
    programme, tmp_path, drafts
):
    before = export(*drafts)
    call_command("flush", interactive=False, verbosity=0)
    assert not Programme.objects.exists()

    import_file(tmp_path, before)

    assert export(*drafts) == before


def test_import_programme_twice_changes_nothing(programme, tmp_path):
    data = export("--include-drafts")
    stored = counts()

    output = import_file(tmp_path, data)

    assert counts() == stored
    assert "har allerede alt" in output


def test_import_programme_creates_a_new_round_and_the_second_import_changes_nothing(
    programme, tmp_path
):
    stored = counts()

    output = import_file(tmp_path, NEW_ROUND)

    new = Programme.objects.get(slug="saman-2014")
    network = Network.objects.get(slug="tillit-vest")
    assert network.programme == new
    assert network.theme.name == "Tillit"
    assert network.facilitator.organisation.name == "KS"
    assert list(LocalProject.objects.get(slug="karmoy-tillit").municipalities.all()) == [
        Municipality.objects.get(number="1149")
    ]
    gathering = network.gatherings.get()
    assert gathering.title == "Oppstart"
    item = gathering.agenda_items.get()
    assert [p.name for p in item.speakers.all()] == ["Kari Nordmann"]
    assert MeasurementRound.objects.get(programme=new).slug == "nullpunkt"
    assert "Saman om ein betre kommune 2014" in output
    after_first = counts()
    # Karmøy, Rogaland, KS and the facilitator were already there (the 2012 programme).
    assert after_first["Programme"] == stored["Programme"] + 1
    assert after_first["Municipality"] == stored["Municipality"]
    assert after_first["Organisation"] == stored["Organisation"]

    import_file(tmp_path, NEW_ROUND)

    assert counts() == after_first


def test_import_programme_refuses_a_contradicting_file_and_writes_nothing(programme, tmp_path):
    data = export()
    omdomme = next(n for n in data["networks"] if n["slug"] == "omdomme")
    omdomme["theme"] = "Kompetanse"
    omdomme["region"] = "Midt"
    data["networks"].append(NEW_ROUND["networks"][0] | {"theme": "Kompetanse", "region": "Sør"})
    stored = counts()

    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, data)

    message = str(refused.value)
    assert "omdomme" in message
    assert "«Kompetanse» i fila, «Omdømme» i databasen" in message
    assert "«Midt» i fila" in message
    assert counts() == stored
    assert not Network.objects.filter(slug="tillit-vest").exists()


def test_import_programme_names_a_changed_agenda(programme, tmp_path):
    data = export()
    published = next(g for n in data["networks"] for g in n["gatherings"] if g["agenda"])
    published["agenda"][0]["title"] = "Noe annet"

    with pytest.raises(CommandError, match="programmet i fila"):
        import_file(tmp_path, data)


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", json.dumps({"programme": {"name": "X"}}), json.dumps({"themes": []})],
    ids=["invalid-json", "not-an-object", "missing-slug", "missing-programme"],
)
def test_import_programme_refuses_a_broken_file_with_a_clear_message(tmp_path, content):
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, content)

    assert "programeksport" in str(refused.value) or "ikke gyldig JSON" in str(refused.value)


def test_import_programme_refuses_a_file_the_database_does_not_accept(programme, tmp_path):
    network = NEW_ROUND["networks"][0]
    twin = network | {"slug": "tillit-vest-2", "name": "Tillit Vest 2", "projects": []}
    broken = NEW_ROUND | {"networks": [network, twin | {"gatherings": []}]}
    stored = counts()

    with pytest.raises(CommandError, match="ikke godtar"):
        import_file(tmp_path, broken)

    assert counts() == stored


def test_import_programme_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Kan ikke lese"):
        call_command("import_programme", str(tmp_path / "missing.json"))


def test_export_programme_keeps_the_2012_programme_when_another_round_is_current(
    programme, tmp_path
):
    import_file(tmp_path, NEW_ROUND)
    Programme.objects.update(is_current=False)
    Programme.objects.filter(slug="saman-2014").update(is_current=True)

    assert export()["programme"]["slug"] == programme.slug
    assert export("--program", "saman-2014")["programme"] == NEW_ROUND["programme"]


def test_export_programme_refuses_an_unknown_slug(programme):
    with pytest.raises(CommandError, match="ukjent"):
        export("--program", "ukjent")
