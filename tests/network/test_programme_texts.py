"""The programme's own texts in Bokmål, Nynorsk and English: loaded from the documents, shown
in the page's language with Bokmål where a translation is missing, edited in the admin, and
carried through the open-data export on request."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gatherings.models import Gathering
from network.models import Network, Programme, Theme
from tests.factories import NetworkFactory
from tests.network.test_import_programme import NEW_ROUND, export, import_file

pytestmark = pytest.mark.django_db


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_programme", *args, stdout=out)
    return out.getvalue()


# --- The loader ----------------------------------------------------------------------------------


def test_loader_fills_the_programmes_texts_in_all_three_languages(programme):
    assert (programme.name_nb, programme.name_nn, programme.name_en) == (
        "Saman om ein betre kommune",
        "Saman om ein betre kommune",
        "Together for a better municipality",
    )
    assert (programme.owners_nb, programme.owners_nn, programme.owners_en) == (
        "KRD, KS og partene",
        "KRD, KS og partane",
        "KRD, KS and the unions",
    )
    assert "Ministry of Local Government and Regional Development" in programme.description_en
    assert "sjukefråvær" in programme.description_nn


def test_loader_fills_every_theme_network_and_region_in_all_three_languages(programme):
    themes = Theme.objects.filter(programme=programme).order_by("position")
    assert [(t.name_nb, t.name_nn, t.name_en) for t in themes] == [
        ("Kompetanse", "Kompetanse", "Competence"),
        ("Heltid–deltid", "Heiltid–deltid", "Full-time and part-time work"),
        ("Omdømme", "Omdømme", "Reputation"),
        ("Sykefravær", "Sjukefråvær", "Sickness absence"),
    ]
    for network in Network.objects.filter(programme=programme):
        assert network.name_nb and network.name_nn and network.name_en, network.slug
        assert bool(network.region_nn) == bool(network.region_nb) == bool(network.region_en)
    east = Network.objects.get(slug="sykefravaer-ost")
    assert (east.name_nn, east.name_en, east.region_nn, east.region_en) == (
        "Sjukefråvær Aust",
        "Sickness absence East",
        "Aust",
        "East",
    )


def test_loader_gives_missing_translations_but_keeps_edited_ones(programme):
    """A database from before the translations (Bokmål only) gets them on the next load; a
    translation given in the admin, and a Bokmål text edited since, are left alone."""
    Programme.objects.filter(pk=programme.pk).update(name_nn=None, name_en=None, owners_en="Own")
    Network.objects.filter(slug="sykefravaer-sor").update(name_nb="Sykefravær Agder", name_en=None)
    call_command("load_programme_2012", stdout=io.StringIO())
    programme.refresh_from_db()
    assert programme.name_nn == "Saman om ein betre kommune"
    assert programme.name_en == "Together for a better municipality"
    assert programme.owners_en == "Own"
    assert Network.objects.get(slug="sykefravaer-sor").name_en is None


# --- The pages -----------------------------------------------------------------------------------


#: What the front page and a network's page show of the programme's texts in each language.
SHOWN = {
    "/": {
        "": ["<h1>Saman om ein betre kommune</h1>", "KRD, KS og partene", "Sykefravær Øst"],
        "/nn": ["<h1>Saman om ein betre kommune</h1>", "KRD, KS og partane", "Sjukefråvær Aust"],
        "/en": [
            "<h1>Together for a better municipality</h1>",
            "KRD, KS and the unions",
            "Sickness absence East",
        ],
    },
    "/nettverk/heltid-deltid-ost/": {
        "": [
            "<h1>Heltid–deltid Øst</h1>",
            "<dd>Øst</dd>",
            "Saman om ein betre kommune (2012–2013)",
        ],
        "/nn": [
            "<h1>Heiltid–deltid Aust</h1>",
            "<dd>Aust</dd>",
            "Saman om ein betre kommune (2012–2013)",
        ],
        "/en": [
            "<h1>Full-time and part-time work East</h1>",
            "<dd>East</dd>",
            "Together for a better municipality (2012–2013)",
        ],
    },
}


@pytest.mark.parametrize("prefix", ["", "/nn", "/en"])
@pytest.mark.parametrize("path", SHOWN)
def test_pages_show_the_programmes_texts_in_the_pages_language(client, programme, path, prefix):
    html = client.get(f"{prefix}{path}").content.decode()
    for text in SHOWN[path][prefix]:
        assert text in html


def test_a_missing_translation_shows_the_bokmal_text(client, programme):
    network = NetworkFactory(
        programme=programme,
        theme=Theme.objects.get(programme=programme, slug="omdomme"),
        region="Midt",
        name="Omdømme Midt",
        description="Kommunene i Trøndelag.",
    )
    Network.objects.filter(pk=network.pk).update(name_en="Reputation Central")
    html = client.get(f"/en/nettverk/{network.slug}/").content.decode()
    assert "<h1>Reputation Central</h1>" in html
    assert "<dd>Midt</dd>" in html  # no English region: the Bokmål one
    assert "Kommunene i Trøndelag." in html
    nynorsk = client.get(f"/nn/nettverk/{network.slug}/").content.decode()
    assert "<h1>Omdømme Midt</h1>" in nynorsk


def test_a_text_given_only_in_another_language_shows_on_the_bokmal_page(programme):
    network = Network.objects.get(slug="omdomme")
    Network.objects.filter(pk=network.pk).update(description_nb=None, description_en="Only here")
    network.refresh_from_db()
    with translation.override("nb"):
        assert network.description == "Only here"


# --- The admin -----------------------------------------------------------------------------------


def test_admin_form_has_each_text_in_three_languages(login, admin_user, programme):
    client = login(admin_user)
    network = Network.objects.get(slug="omdomme")
    html = client.get(reverse("admin:network_network_change", args=[network.pk])).content.decode()
    for field in ("name", "region", "description"):
        for code in ("nb", "nn", "en"):
            assert f'name="{field}_{code}"' in html, f"{field}_{code}"
    assert 'name="name"' not in html
    assert "(Nynorsk)" in html and "(English)" in html
    programme_page = client.get(reverse("admin:network_programme_change", args=[programme.pk]))
    for field in ("name", "owners", "description"):
        for code in ("nb", "nn", "en"):
            assert f'name="{field}_{code}"' in programme_page.content.decode()
    # The themes inline, too.
    assert 'name="themes-0-name_en"' in programme_page.content.decode()


def test_admin_saves_the_three_languages_and_keeps_the_bokmal_text_in_its_own_column(
    login, admin_user, programme
):
    client = login(admin_user)
    network = Network.objects.get(slug="omdomme")
    url = "/en" + reverse("admin:network_network_change", args=[network.pk])
    response = client.post(
        url,
        {
            "programme": programme.pk,
            "theme": network.theme_id,
            "region_nb": "",
            "region_nn": "",
            "region_en": "",
            "name_nb": "Omdømme nasjonalt",
            "name_nn": "Omdømme nasjonalt (nn)",
            "name_en": "Reputation, national",
            "slug": network.slug,
            "facilitator": network.facilitator_id,
            "description_nb": "Bokmål",
            "description_nn": "",
            "description_en": "English",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Network.objects.filter(pk=network.pk).values(
        "name_nb", "name_nn", "name_en", "description_nn", "region_en"
    )[0]
    assert stored == {
        "name_nb": "Omdømme nasjonalt",
        "name_nn": "Omdømme nasjonalt (nn)",
        "name_en": "Reputation, national",
        "description_nn": None,
        "region_en": None,
    }
    # Queries through other models read the field's own column: Bokmål, though saved in /en/.
    assert Network.objects.rewrite(False).filter(pk=network.pk).values_list("name", flat=True)[
        0
    ] == ("Omdømme nasjonalt")


def test_admin_requires_the_bokmal_name(login, admin_user, programme):
    client = login(admin_user)
    theme = Theme.objects.get(programme=programme, slug="omdomme")
    response = client.post(
        reverse("admin:network_theme_change", args=[theme.pk]),
        {
            "programme": programme.pk,
            "name_nb": "",
            "name_nn": "Omdømme",
            "name_en": "Reputation",
            "slug": theme.slug,
            "position": theme.position,
        },
    )
    assert response.status_code == 200
    assert "name_nb" in response.context["adminform"].form.errors


# --- Open data -----------------------------------------------------------------------------------


def test_export_is_in_bokmal_whatever_the_active_language(programme):
    before = _export()
    with translation.override("en"):
        assert _export() == before
    assert '"name": "Saman om ein betre kommune"' in before
    assert "translations" not in before and "Together" not in before


def test_export_with_translations_carries_the_nynorsk_and_english_texts(programme):
    data = json.loads(_export("--translations"))
    assert data["programme"]["translations"] == {
        "nn": {"name": "Saman om ein betre kommune"},
        "en": {"name": "Together for a better municipality"},
    }
    east = next(n for n in data["networks"] if n["slug"] == "sykefravaer-ost")
    assert east["name"] == "Sykefravær Øst"
    assert east["translations"]["en"] == {"name": "Sickness absence East", "region": "East"}
    first = next(
        g
        for g in next(n for n in data["networks"] if n["slug"] == "omdomme")["gatherings"]
        if g["kind"] == "samling_1"
    )
    assert first["agenda"][0]["translations"]["en"]["title"] == "Welcome"
    # Without the option, the same export as always: the translations are only added.
    plain = json.loads(_export())

    def without_translations(value):
        if isinstance(value, dict):
            return {k: without_translations(v) for k, v in value.items() if k != "translations"}
        if isinstance(value, list):
            return [without_translations(v) for v in value]
        return value

    assert without_translations(data) == plain


# --- Speed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/nettverk/omdomme/",
        "/nettverk/sykefravaer-ost/",
        "/samlinger/",
        "/kommuner/",
        "gathering",
    ],
)
def test_a_page_takes_as_many_queries_in_every_language(client, programme, page):
    """The translations are columns of the same rows: no language costs a query more."""
    if page == "gathering":
        page = Gathering.objects.get(network__slug="omdomme", kind="samling_1").get_absolute_url()
    client.get(page)  # anything read once per process is read
    counts = {}
    for prefix in ("", "/nn", "/en"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(prefix + page)
        assert response.status_code == 200, prefix + page
        counts[prefix or "/"] = len(queries)
    assert len(set(counts.values())) == 1, counts


def test_export_with_translations_imports_into_an_empty_database_and_exports_the_same(
    programme, tmp_path
):
    before = export("--include-drafts", "--translations")
    call_command("flush", interactive=False, verbosity=0)

    import_file(tmp_path, before)

    assert export("--include-drafts", "--translations") == before
    east = Network.objects.get(slug="sykefravaer-ost")
    assert (east.name_nb, east.name_nn, east.name_en) == (
        "Sykefravær Øst",
        "Sjukefråvær Aust",
        "Sickness absence East",
    )
    assert Programme.objects.get().name_en == "Together for a better municipality"


def test_import_with_translations_twice_changes_nothing(programme, tmp_path):
    assert "har allerede alt" in import_file(tmp_path, export("--translations"))


def test_import_refuses_translations_that_contradict_the_database(programme, tmp_path):
    data = export("--translations")
    east = next(n for n in data["networks"] if n["slug"] == "sykefravaer-ost")
    east["translations"]["en"]["name"] = "Sick leave East"
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, data)
    message = str(refused.value)
    assert "sykefravaer-ost" in message and "Sick leave East" in message
    assert "oversettelser" in message or "translations" in message
    assert Network.objects.get(slug="sykefravaer-ost").name_en == "Sickness absence East"


def test_import_refuses_translations_in_an_unknown_language(tmp_path):
    data = json.loads(json.dumps(NEW_ROUND))
    data["programme"]["translations"] = {"de": {"name": "Gemeinsam"}}
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, data)
    assert "de" in str(refused.value)
    assert not Programme.objects.filter(slug="saman-2014").exists()
