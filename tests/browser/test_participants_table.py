"""The participants table on a project page keeps «Edit» and «Remove» on screen at 1280 px,
however long the names, functions and e-mail addresses are."""

import pytest

from municipalities.models import ParticipantRole
from tests.browser.conftest import browser_page, signed_in
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

PROJECT = "/prosjekter/karmoy-omdomme"


@pytest.fixture
def wide_page(browser):
    with browser_page(browser, viewport={"width": 1280, "height": 800}) as page:
        yield page


def test_edit_and_remove_links_stay_within_the_viewport_at_1280_px(
    wide_page, live_server, leader_karmoy, karmoy
):
    for number in range(3):
        ParticipantFactory(
            local_project=karmoy,
            name=f"Anne-Marie Kristiansen-Haugland Østerbø {number}",
            function="Hovedtillitsvalgt for Utdanningsforbundet og kommunens arbeidsmiljøutvalg",
            role=ParticipantRole.UNION_REPRESENTATIVE,
            email=f"annemariekristiansenhauglandosterbo{number}@karmoykommune.no",
            phone="+4752857500/90512345",
        )
    page = wide_page
    signed_in(page, live_server, "leder.karmoy")
    page.goto(f"{live_server.url}{PROJECT}/")
    table = page.locator("#deltakere table")
    table.wait_for()
    links = table.locator(".np-table-actions a")
    assert links.count() >= 6
    width = page.viewport_size["width"]
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
            links.nth(index).inner_text(),
            box,
        )
