"""Measurements in the browser: a project leader reports the baseline, a ministry user follows
up, and every measurement page – forms with errors included – has no axe violations, in
Bokmål and Nynorsk."""

from datetime import date

import pytest
from django.core.cache import cache

from measurements.models import AnchoringAssessment, Goal, Measurement
from tests.browser.conftest import (
    assert_accessible,
    check,
    leader_checks,
    path,
    refused,
    signed_in,
    submit_and_wait,
)
from tests.measurements.factories import indicator, measure, publish, set_round

pytestmark = pytest.mark.django_db

LANGUAGES = [("", "nb"), ("/nn", "nn")]


@pytest.fixture(autouse=True)
def fresh_cache():
    """The overview caches its tables; each test's database reuses ids, so start empty."""
    cache.clear()


def csv_upload(row: str) -> dict:
    content = f"kommunenummer;indikator;måling;verdi\r\n{row}\r\n".encode()
    return {"name": "verdier.csv", "mimeType": "text/csv", "buffer": content}


def test_project_leader_reports_the_baseline(page, live_server, leader_karmoy, karmoy):
    set_round("sluttmaling", "upcoming")
    baseline = set_round("nullpunkt", "open")
    signed_in(page, live_server, "leder.karmoy")
    report = path("measurements:report", karmoy.slug, baseline.slug)
    submit_and_wait(page, f'a[href="{report}"]')
    page.wait_for_url(f"{live_server.url}{report}")
    assert_accessible(page)

    index = indicator(karmoy, "Omdømmeindeks")
    applicants = indicator(karmoy, "Kvalifiserte søkere per utlyst stilling")
    page.fill(f"#id_value_{index.pk}", "fire")
    page.fill(f"#id_value_{applicants.pk}", "3,5")
    submit_and_wait(page)
    assert page.locator("#error-summary").is_visible()
    assert page.locator(f"#id_value_{index.pk}").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    assert not Measurement.objects.exists()

    page.fill(f"#id_value_{index.pk}", "4,2")
    page.fill(f"#id_note_{index.pk}", "Spørreundersøkelse mars 2012")
    page.check("input[name=stage][value='3']")
    submit_and_wait(page)
    progress = path("measurements:project_progress", karmoy.slug)
    page.wait_for_url(f"{live_server.url}{progress}")
    assert page.locator(f"#indikator-{index.pk} table").inner_text().count("4,2") == 1
    assert page.locator(f"#chart-{index.pk}-title").count() == 1
    assert_accessible(page)
    assert Measurement.objects.get(indicator=index).note == "Spørreundersøkelse mars 2012"
    assert AnchoringAssessment.objects.get(local_project=karmoy).stage == 3


def test_ministry_follows_up_through_the_overview(
    page, live_server, ministry, leader_karmoy, karmoy
):
    baseline = set_round("nullpunkt", "open")
    set_round("sluttmaling", "upcoming")
    measure(karmoy, indicator(karmoy, "Omdømmeindeks"), baseline, "4.2")
    signed_in(page, live_server, "krd")
    check(page, live_server, path("measurements:overview"))
    page.select_option("#id_tema", "omdomme")
    submit_and_wait(page, ".np-filter:not(.np-programme-choice) button[type=submit]")
    page.wait_for_url("**/framgang/?*tema=omdomme*")
    assert page.locator("main h2").all_inner_texts() == ["Omdømme"]
    assert_accessible(page)

    submit_and_wait(page, f'a[href="{path("measurements:completeness")}"]')
    page.wait_for_url(f"**{path('measurements:completeness')}*")
    assert_accessible(page)
    page.check(f"#remind-{karmoy.pk}")
    submit_and_wait(page, "main form[method=post] button[type=submit]")
    page.wait_for_url(f"**{path('measurements:remind')}*")
    assert "leder.karmoy@example.org" in page.locator("main table").inner_text()
    assert_accessible(page)
    submit_and_wait(page, "button[name=send]")
    page.wait_for_url(f"**{path('measurements:completeness')}?*maling=nullpunkt*")
    assert page.locator(".np-messages .ds-alert").is_visible()
    assert_accessible(page)


@pytest.fixture
def reported(karmoy, leader_karmoy):
    """Karmøy with a closed baseline and an open end round, both reported, and a goal."""
    baseline = set_round("nullpunkt", "closed")
    end = set_round("sluttmaling", "open")
    index = indicator(karmoy, "Omdømmeindeks")
    measure(karmoy, index, baseline, "4.2", note="Ansatte og innbyggere")
    measure(karmoy, index, end, "4.6")
    Goal.objects.create(
        local_project=karmoy, indicator=index, target_value=5, target_date=date(2013, 5, 31)
    )
    AnchoringAssessment.objects.create(local_project=karmoy, round=baseline, stage=2)
    return baseline, end


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_leader_pages_have_no_axe_violations(
    page, live_server, leader_karmoy, karmoy, reported, prefix, lang
):
    baseline, _end = reported
    leader_pages = [
        path("measurements:project_progress", karmoy.slug, lang=lang),
        path("measurements:report", karmoy.slug, "sluttmaling", lang=lang),
        path("measurements:goals", karmoy.slug, lang=lang),
        path("measurements:indicator_create", karmoy.slug, lang=lang),
        path("measurements:import_upload", lang=lang),
    ]
    leader_checks(page, live_server, leader_karmoy, karmoy, lang, *leader_pages)

    # A closed round asks for a reason: refused without one.
    check(page, live_server, path("measurements:report", karmoy.slug, baseline.slug, lang=lang))
    page.fill(f"#id_value_{indicator(karmoy, 'Omdømmeindeks').pk}", "4,3")
    submit_and_wait(page)
    assert page.locator("#id_reason").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    check(page, live_server, path("measurements:goals", karmoy.slug, lang=lang))
    page.fill(f"#id_target_{indicator(karmoy, 'Medarbeiderundersøkelse').pk}", "4,5")
    refused(page)

    check(page, live_server, path("measurements:indicator_create", karmoy.slug, lang=lang))
    refused(page)

    check(page, live_server, path("measurements:import_upload", lang=lang))
    refused(page, "main button[type=submit].ds-button")

    page.set_input_files("#id_file", files=[csv_upload("1149;Omdømmeindeks;Midtveis;fire")])
    submit_and_wait(page, "main button[type=submit].ds-button")
    page.wait_for_url("**/framgang/import/*/")
    assert page.locator("main table").count() == 1
    assert_accessible(page)

    page.goto(f"{live_server.url}{path('measurements:import_upload', lang=lang)}")
    page.set_input_files("#id_file", files=[csv_upload("1149;Omdømmeindeks;Nullpunkt;4,4")])
    submit_and_wait(page, "main button[type=submit].ds-button")
    page.wait_for_url("**/framgang/import/*/")
    assert page.locator("#id_reason").count() == 1  # a correction of a closed round
    assert_accessible(page)


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_ministry_pages_have_no_axe_violations(
    page, live_server, ministry, karmoy, reported, prefix, lang
):
    signed_in(page, live_server, "krd")
    for url in [
        path("network:my_pages", lang=lang),
        path("measurements:overview", lang=lang),
        path("measurements:completeness", lang=lang),
        path("measurements:rounds", lang=lang),
        path("measurements:round_create", lang=lang),
        path("measurements:project_progress", karmoy.slug, lang=lang),
    ]:
        check(page, live_server, url)

    check(page, live_server, path("measurements:overview", lang=lang) + "?tema=finnes-ikke")

    check(page, live_server, path("measurements:completeness", lang=lang))
    submit_and_wait(page, "main form[method=post] button[type=submit]")  # nothing chosen
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)

    check(page, live_server, path("measurements:round_create", lang=lang))
    page.fill("#id_name", "Nullpunkt")
    refused(page)


@pytest.mark.parametrize(("prefix", "lang"), LANGUAGES)
def test_published_progress_page_has_no_axe_violations_for_the_public(
    page, live_server, karmoy, reported, prefix, lang
):
    publish(karmoy)
    check(page, live_server, path("measurements:project_progress", karmoy.slug, lang=lang))
    assert page.locator("svg[role=img] title").count() == 1  # the one indicator with values
    check(page, live_server, path("municipalities:project_detail", karmoy.slug, lang=lang))


def test_progress_and_overview_on_a_phone_have_no_axe_violations(
    phone_page, live_server, ministry, karmoy, reported
):
    signed_in(phone_page, live_server, "krd")
    for url in [
        path("measurements:project_progress", karmoy.slug, lang="nn"),
        path("measurements:overview", lang="nn"),
        path("measurements:completeness", lang="nn"),
    ]:
        check(phone_page, live_server, url)
