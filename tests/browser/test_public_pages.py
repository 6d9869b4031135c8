"""Every public page, anonymous and signed in, Bokmål and Nynorsk: no axe violations."""

import pytest
from django.utils import translation

from gatherings.models import Gathering, GatheringKind
from tests.browser.conftest import assert_accessible, sign_in, submit_and_wait
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def public_paths() -> list[str]:
    with translation.override("nb"):
        first = Gathering.objects.get(network__slug="omdomme", kind=GatheringKind.FIRST)
        return [
            "/",
            "/nettverk/omdomme/",
            "/kommuner/",
            "/kommuner/?fylke=18",
            "/kommuner/1870/",
            "/prosjekter/karmoy-omdomme/",
            "/prosjekter/vesteralen-regionrad-kompetanse/",
            "/samlinger/",
            first.get_absolute_url(),
            "/tilgjengelighet/",
            "/kommuner/9999/",
        ]


@pytest.mark.parametrize("prefix", ["", "/nn"])
def test_public_pages_anonymous_have_no_axe_violations(page, live_server, programme, prefix):
    for path in public_paths():
        page.goto(f"{live_server.url}{prefix}{path}")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)


@pytest.mark.parametrize("prefix", ["", "/nn"])
def test_public_pages_signed_in_have_no_axe_violations(page, live_server, leader_karmoy, prefix):
    sign_in(page, live_server, "leder.karmoy", PASSWORD)
    page.wait_for_url(f"{live_server.url}/mine-sider/")
    for path in public_paths():
        page.goto(f"{live_server.url}{prefix}{path}")
        assert page.locator("form[action$='/logg-ut/'] button").count() == 1, path
        assert_accessible(page)


def test_language_switcher_keeps_the_page(page, live_server, programme):
    page.goto(f"{live_server.url}/kommuner/1870/")
    submit_and_wait(page, page.get_by_role("link", name="Nynorsk"))
    page.wait_for_url(f"{live_server.url}/nn/kommuner/1870/")
    assert page.locator("html").get_attribute("lang") == "nn"
    submit_and_wait(page, page.get_by_role("link", name="English"))
    page.wait_for_url(f"{live_server.url}/en/kommuner/1870/")
    assert page.locator("h1").inner_text() == "Sortland"
