"""The project page in a browser: a project leader from signing in to a published page, two
editors at once, and every editing page (with its error states and the conflict view) checked
with axe-core in Bokmål and Nynorsk."""

import pytest
from django.db.models import F

from municipalities import services
from municipalities.models import Participant, ProjectPage
from tests.browser.conftest import (
    assert_accessible,
    send_and_see,
    signed_in,
    submit_and_wait,
)
from tests.factories import ParticipantFactory
from tests.municipalities.factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    attachment,
    page_with_versions,
    save_page,
    story,
)

pytestmark = pytest.mark.django_db

PROJECT = "/prosjekter/karmoy-omdomme"
#: The main button of a form that sends a file.
SEND_FILE = "form[enctype] button[type=submit].ds-button[data-variant=primary]"


def _file(name, content, mime):
    return {"name": name, "mimeType": mime, "buffer": content}


def _submit(page, value):
    submit_and_wait(page, f"#page-form button[value={value}]")


def test_project_leader_goes_from_login_to_a_published_page_and_back(
    page, browser, live_server, leader_karmoy, karmoy
):
    signed_in(page, live_server, "leder.karmoy")
    page.goto(f"{live_server.url}{PROJECT}/")
    submit_and_wait(page, f"a[href='{PROJECT}/rediger/']")
    page.wait_for_url(f"{live_server.url}{PROJECT}/rediger/")
    assert_accessible(page)

    page.fill("#id_background", "## Hvorfor\n\nKarmøy vil bli en *attraktiv* arbeidsgiver.")
    page.fill("#id_purpose", "Flere søkere til ledige stillinger.")
    _submit(page, "preview")
    assert page.locator("#preview h3", has_text="Hvorfor").is_visible()
    assert page.locator("#preview em", has_text="attraktiv").is_visible()
    assert_accessible(page)

    _submit(page, "save")
    page.wait_for_url(f"{live_server.url}{PROJECT}/rediger/")
    assert page.locator(".np-messages .ds-alert").is_visible()
    assert ProjectPage.objects.get(local_project=karmoy).published_version is None

    _submit(page, "publish")  # no summary yet: the error summary tells what to do
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
    page.fill("#id_summary", "Første versjon av prosjektsiden")
    _submit(page, "publish")
    page.wait_for_url(f"{live_server.url}{PROJECT}/")
    assert_accessible(page)

    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{live_server.url}{PROJECT}/")
    assert anonymous.locator("#del-background").is_visible()
    assert anonymous.locator("em", has_text="attraktiv").is_visible()
    assert anonymous.locator(f"a[href='{PROJECT}/rediger/']").count() == 0

    # Changed again, compared with the first version, and restored.
    page.goto(f"{live_server.url}{PROJECT}/rediger/")
    page.fill("#id_background", "## Hvorfor\n\nKarmøy vil bli en raus arbeidsgiver.")
    page.fill("#id_summary", "Nytt ordvalg")
    _submit(page, "publish")
    page.wait_for_url(f"{live_server.url}{PROJECT}/")
    submit_and_wait(page, f"a[href='{PROJECT}/historikk/']")
    page.wait_for_url(f"{live_server.url}{PROJECT}/historikk/")
    assert_accessible(page)
    submit_and_wait(page, "form.np-filter button[type=submit]")
    page.wait_for_url(f"{live_server.url}{PROJECT}/historikk/sammenlign/?fra=1&til=2")
    assert page.locator("del mark", has_text="attraktiv").is_visible()
    assert page.locator("ins mark", has_text="raus").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}{PROJECT}/historikk/1/")
    submit_and_wait(page, f"form[action='{PROJECT}/historikk/1/gjenopprett/'] button")
    page.wait_for_url(f"{live_server.url}{PROJECT}/rediger/")
    assert "attraktiv" in page.input_value("#id_background")
    page.fill("#id_summary", "Tilbake til første versjon")
    _submit(page, "publish")
    page.wait_for_url(f"{live_server.url}{PROJECT}/")
    anonymous.goto(f"{live_server.url}{PROJECT}/")
    assert anonymous.locator("em", has_text="attraktiv").is_visible()
    published = ProjectPage.objects.get(local_project=karmoy).published_version
    assert (published.number, published.restored_from.number) == (3, 1)
    anonymous.context.close()


def test_a_second_browser_editing_at_the_same_time_loses_nothing(
    page, browser, live_server, leader_karmoy, facilitator, karmoy
):
    save_page(karmoy, background="Utgangspunktet.", publish=True)
    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    signed_in(page, live_server, "leder.karmoy")
    signed_in(other, live_server, "veileder.omdomme")
    for tab in (page, other):
        tab.goto(f"{live_server.url}{PROJECT}/rediger/")

    page.fill("#id_background", "Lederens tekst.")
    _submit(page, "save")
    page.wait_for_url(f"{live_server.url}{PROJECT}/rediger/")

    other.fill("#id_background", "Veilederens tekst.")
    other.fill("#id_goals", "Veilederens mål.")
    _submit(other, "save")
    assert other.locator("#edit-conflict").is_visible()
    columns = other.locator(".np-conflict__text")
    assert columns.nth(0).inner_text() == "Veilederens tekst."
    assert columns.nth(1).inner_text() == "Lederens tekst."
    assert other.input_value("#id_background") == "Veilederens tekst."
    assert other.input_value("#id_goals") == "Veilederens mål."
    assert_accessible(other)

    other.fill("#id_background", "Lederens tekst.\n\nVeilederens tekst.")
    _submit(other, "save")
    other.wait_for_url(f"{live_server.url}{PROJECT}/rediger/")
    saved = ProjectPage.objects.get(local_project=karmoy)
    assert saved.background == "Lederens tekst.\n\nVeilederens tekst."
    assert saved.goals == "Veilederens mål."
    assert saved.versions.count() == 3
    other.context.close()


def _check(page, url):
    page.goto(url)
    assert page.locator("h1").count() == 1, url
    assert_accessible(page)


@pytest.mark.parametrize("prefix", ["", "/nn"])
def test_every_editing_page_has_no_axe_violations(page, live_server, leader_karmoy, karmoy, prefix):
    page_with_versions(karmoy, count=2)
    member = ParticipantFactory(local_project=karmoy, name="Ola Nordmann")
    written = story(karmoy, image=True, published=False)
    document = attachment(karmoy)
    base = f"{live_server.url}{prefix}{PROJECT}"
    signed_in(page, live_server, "leder.karmoy")
    lang = "nn" if prefix else "nb"

    for path in [
        "/",
        "/rediger/",
        "/historikk/",
        "/historikk/1/",
        "/historikk/2/",
        "/historikk/sammenlign/?fra=1&til=2",
        "/historikk/sammenlign/?fra=1&til=9",
        "/deltakere/ny/",
        f"/deltakere/{member.pk}/rediger/",
        f"/deltakere/{member.pk}/fjern/",
        "/deltakere/importer/",
        "/historier/ny/",
        f"/historier/{written.pk}/rediger/",
        f"/historier/{written.pk}/slett/",
        "/vedlegg/ny/",
        f"/vedlegg/{document.pk}/slett/",
    ]:
        _check(page, f"{base}{path}")
        assert page.locator("html").get_attribute("lang") == lang
    _check(page, f"{live_server.url}{prefix}/nettverk/omdomme/historier/")
    _check(page, f"{live_server.url}{prefix}/historier/")

    # Error states
    page.goto(f"{base}/rediger/")
    page.fill("#id_background", "Tekst.")
    _submit(page, "publish")
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)

    page.goto(f"{base}/deltakere/ny/")
    send_and_see(page, "form button[type=submit].ds-button[data-variant=primary]", "#error-summary")

    page.goto(f"{base}/deltakere/importer/")
    bad = "\ufeffNavn;Rolle;E-post\r\nKari;Verneombud;kari(at)karmoy\r\n".encode()
    page.set_input_files("#id_file", _file("liste.csv", bad, "text/csv"))
    send_and_see(page, SEND_FILE, "#import-errors")
    good = "\ufeffNavn;Rolle\r\nKari Nordmann;HR\r\n".encode()
    page.set_input_files("#id_file", _file("liste.csv", good, "text/csv"))
    send_and_see(page, SEND_FILE, "#preview")

    page.goto(f"{base}/historier/ny/")
    page.set_input_files("#id_new_image", _file("bilde.png", PNG_BYTES, "image/png"))
    send_and_see(
        page, "#story-form button[value=save]", "#error-summary"
    )  # the picture needs a description
    page.fill("#id_title", "Forhåndsvisning")
    page.fill("#id_text", "## Overskrift\n\nTekst med *vekt*.")
    send_and_see(page, "#story-form button[value=preview]", "#preview")

    page.goto(f"{base}/vedlegg/ny/")
    page.set_input_files("#id_file", _file("Plan.pdf", EXE_BYTES, "application/pdf"))
    send_and_see(page, SEND_FILE, "#error-summary")
    page.set_input_files("#id_file", _file("Plan.pdf", PDF_BYTES, "application/pdf"))
    submit_and_wait(page, SEND_FILE)
    page.wait_for_url(f"{base}/#dokumenter")

    # Conflict views: someone else saves between loading the form and submitting it.
    page.goto(f"{base}/rediger/")
    current = ProjectPage.objects.get(local_project=karmoy)
    services.save_project_page(
        project=karmoy,
        author=None,
        texts=current.texts() | {"background": "Noen andres tekst."},
        loaded_version=current.version,
    )
    page.fill("#id_background", "Min tekst.")
    _submit(page, "save")
    assert page.locator("#edit-conflict").is_visible()
    assert_accessible(page)

    page.goto(f"{base}/deltakere/{member.pk}/rediger/")
    Participant.objects.filter(pk=member.pk).update(phone="99", version=F("version") + 1)
    page.fill("#id_phone", "12 34 56 78")
    send_and_see(page, "form button[type=submit].ds-button[data-variant=primary]", "#edit-conflict")
