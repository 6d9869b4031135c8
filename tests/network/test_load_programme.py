import io
import json
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from gatherings.models import AgendaItem, Gathering, GatheringKind, GatheringStatus
from gatherings.selectors import overlapping_items
from municipalities.models import County, LocalProject, Municipality
from network.models import Network, Person, Programme, Theme

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Programme,
            Theme,
            Network,
            Person,
            County,
            Municipality,
            LocalProject,
            Gathering,
            AgendaItem,
        )
    }


def test_load_programme_counts_match_the_seed(programme):
    assert counts() == {
        "Programme": 1,
        "Theme": 4,
        "Network": 8,
        "Person": 11,
        "County": 18,
        "Municipality": 52,
        "LocalProject": 49,
        "Gathering": 32,
        "AgendaItem": 16,
    }
    assert list(programme.themes.values_list("name", flat=True)) == [
        "Kompetanse",
        "Heltid–deltid",
        "Omdømme",
        "Sykefravær",
    ]


def test_load_programme_twice_changes_nothing(programme):
    before = counts()
    gathering = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.FIRST)
    call_command("load_programme_2012", stdout=io.StringIO())
    assert counts() == before
    gathering.refresh_from_db()
    assert gathering.start_date == date(2012, 2, 16)


def test_load_programme_keeps_edits_made_in_the_portal(programme):
    network = Network.objects.get(slug="omdomme")
    network.description = "Endret i portalen"
    network.save()
    call_command("load_programme_2012", stdout=io.StringIO())
    network.refresh_from_db()
    assert network.description == "Endret i portalen"


def test_load_programme_sortland_is_in_two_networks(programme):
    sortland = Municipality.objects.get(number="1870")
    assert sortland.name == "Sortland"
    networks = set(sortland.local_projects.values_list("network__slug", flat=True))
    assert networks == {"kompetanse-nord", "heltid-deltid-nord-og-sor"}


def test_load_programme_orland_and_songdalen_are_in_two_networks(programme):
    assert Municipality.objects.get(number="1621").local_projects.count() == 2
    assert Municipality.objects.get(number="1017").local_projects.count() == 2


def test_load_programme_namesakes_are_told_apart_by_number(programme):
    valer = Municipality.objects.get(number="0426")
    assert (valer.name, valer.county.name) == ("Våler", "Hedmark")
    assert not Municipality.objects.filter(number="0137").exists()
    bo = Municipality.objects.filter(name="Bø").order_by("number")
    assert [(m.number, m.county.name) for m in bo] == [("0821", "Telemark"), ("1867", "Nordland")]


def test_load_programme_joint_projects(programme):
    vesteralen = LocalProject.objects.get(name="Vesterålen regionråd")
    assert sorted(vesteralen.municipalities.values_list("number", flat=True)) == [
        "1851",
        "1866",
        "1867",
        "1868",
        "1870",
        "1871",
    ]
    assert vesteralen.network.slug == "kompetanse-nord"
    finnoy = LocalProject.objects.get(name="Finnøy og Rennesøy")
    assert sorted(finnoy.municipalities.values_list("number", flat=True)) == ["1141", "1142"]


def test_load_programme_no_seed_typos(programme):
    assert not Municipality.objects.filter(name__in=["Sortlend", "ArendalVegårshei"]).exists()
    assert Municipality.objects.get(number="0906").name == "Arendal"
    assert Municipality.objects.get(number="0912").name == "Vegårshei"


def test_load_programme_every_network_has_the_plan(programme):
    for network in Network.objects.all():
        gatherings = {g.kind: g for g in network.gatherings.all()}
        assert set(gatherings) == set(GatheringKind.values)
        assert gatherings[GatheringKind.SECOND].planned_month == date(2012, 9, 1)
        assert gatherings[GatheringKind.THIRD].planned_month == date(2013, 4, 1)
        assert gatherings[GatheringKind.THIRD].planned_month_last == date(2013, 5, 1)


def test_load_programme_omdomme_first_gathering(programme):
    gathering = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.FIRST)
    assert (gathering.start_date, gathering.end_date) == (date(2012, 2, 16), date(2012, 2, 17))
    assert gathering.status == GatheringStatus.PUBLISHED
    assert gathering.network.facilitator.name == "Asbjørn L. Stavem"
    rivenes = gathering.agenda_items.get(start=time(10, 20))
    speaker = rivenes.speaker_links.get().person
    assert (speaker.name, speaker.title, speaker.organisation.name) == (
        "Fredrik Rivenes",
        "Seniorrådgiver",
        "KRD",
    )
    assert gathering.agenda_items.filter(date=date(2012, 2, 16)).count() == 11
    assert gathering.agenda_items.filter(date=date(2012, 2, 17)).count() == 5


def test_load_programme_keeps_the_overlapping_afternoon_items(programme):
    gathering = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.FIRST)
    attractive = gathering.agenda_items.get(title="Attraktive arbeidsgivere")
    ethics = gathering.agenda_items.get(title__startswith="Etikk, åpenhet og dialog")
    assert (attractive.start, attractive.end) == (time(14, 25), time(15, 25))
    assert (ethics.start, ethics.end) == (time(15, 20), time(16, 45))
    assert overlapping_items(list(gathering.agenda_items.all())) == {attractive.pk, ethics.pk}


@pytest.mark.parametrize("number", ["114", "11a9", "abcd", "11490"])
def test_municipality_number_invalid_is_refused_with_a_clear_message(programme, number):
    municipality = Municipality(number=number, name="Feil", county_id="11")
    for language, expected in [("en", "exactly four digits"), ("nb", "nøyaktig fire sifre")]:
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                municipality.full_clean()
            assert expected in str(error.value)


@pytest.mark.parametrize("number", ["114", "11a9"])
def test_municipality_number_invalid_is_refused_by_the_database(programme, number):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(number=number, name="Feil", county_id="11")


def test_municipality_county_must_match_the_number(programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(number="1199", name="Feil", county_id="12")


def test_export_programme_holds_what_was_loaded(programme):
    out = io.StringIO()
    call_command("export_programme", stdout=out)
    data = json.loads(out.getvalue())
    assert data["programme"]["name"] == "Saman om ein betre kommune"
    assert data["programme"]["slug"] == "saman-om-ein-betre-kommune"
    assert [t["name"] for t in data["themes"]] == [
        "Kompetanse",
        "Heltid–deltid",
        "Omdømme",
        "Sykefravær",
    ]
    assert len(data["municipalities"]) == 52
    assert {"number": "0426", "name": "Våler", "county": "Hedmark"} in data["municipalities"]
    assert len(data["networks"]) == 8
    assert sum(len(n["projects"]) for n in data["networks"]) == 49
    omdomme = next(n for n in data["networks"] if n["name"] == "Omdømme")
    assert omdomme["facilitator"] == {
        "name": "Asbjørn L. Stavem",
        "title": "Seniorrådgiver",
        "organisation": "KS",
        "department": "Arbeidsgiverpolitikk",
    }
    karmoy = next(p for p in omdomme["projects"] if p["name"] == "Karmøy")
    assert karmoy == {
        "name": "Karmøy",
        "slug": "karmoy-omdomme",
        "url": "/prosjekter/karmoy-omdomme/",
        "municipalities": ["1149"],
    }
    first = next(g for g in omdomme["gatherings"] if g["kind"] == "samling_1")
    assert (first["month"], first["start_date"], first["end_date"], first["status"]) == (
        "2012-02",
        "2012-02-16",
        "2012-02-17",
        "published",
    )
    assert first["url"].startswith("/samlinger/") and first["ical_url"].endswith(".ics")
    assert len(first["agenda"]) == 16
    rivenes = next(item for item in first["agenda"] if item["start"] == "10:20")
    assert rivenes["end"] is None
    assert rivenes["speakers"] == [
        {
            "name": "Fredrik Rivenes",
            "title": "Seniorrådgiver",
            "organisation": "KRD",
            "department": "",
        }
    ]
    assert [g["kind"] for g in omdomme["gatherings"]] == [
        "samling_1",
        "temadag",
        "samling_2",
        "samling_3",
    ]
    third = omdomme["gatherings"][-1]
    assert (third["month"], third["month_last"], third["agenda"]) == ("2013-04", "2013-05", [])


def test_export_programme_hides_draft_agendas_unless_asked(programme):
    draft = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.SECOND)
    draft.start_date = date(2012, 9, 20)
    draft.save()
    AgendaItem.objects.create(gathering=draft, date=date(2012, 9, 20), title="Hemmelig utkast")

    public = io.StringIO()
    call_command("export_programme", stdout=public)
    assert "Hemmelig utkast" not in public.getvalue()

    everything = io.StringIO()
    call_command("export_programme", "--include-drafts", stdout=everything)
    assert "Hemmelig utkast" in everything.getvalue()


def test_the_loaders_summary_says_one_in_the_singular(programme):
    out = io.StringIO()
    call_command("load_programme_2012", stdout=out)
    summary = out.getvalue()
    assert "Programmet for 2012 er lastet" in summary
    assert "1 program," in summary
    assert "1 programmer" not in summary


def test_the_export_and_the_pages_name_stavems_department_and_the_theme_days_timing(
    programme, client, admin_user
):
    from django.core.management import call_command as run

    out = io.StringIO()
    run("export_programme", stdout=out)
    data = json.loads(out.getvalue())
    omdomme = next(n for n in data["networks"] if n["slug"] == "omdomme")
    theme_day = next(g for g in omdomme["gatherings"] if g["kind"] == GatheringKind.THEME_DAY)
    assert theme_day["schedule_note"] == "Før 2. samling"
    page = client.get(Network.objects.get(slug="omdomme").get_absolute_url()).content.decode()
    assert "Asbjørn L. Stavem, Seniorrådgiver, KS Arbeidsgiverpolitikk" in page
    client.force_login(admin_user)  # the theme day is a draft: its organisers see it
    assert "Før 2. samling" in client.get("/samlinger/").content.decode()
