"""The optional formatting toolbar above the project page's text boxes: it writes the markup
a person would type, and the page has no axe-core violations with it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROJECT = "/prosjekter/karmoy-omdomme"


def test_the_toolbar_writes_bold_list_and_link_markup(page, live_server, leader_karmoy, karmoy):
    sign_in(page, live_server, "leder.karmoy", PASSWORD)
    page.wait_for_url(f"{live_server.url}/mine-sider/")
    page.goto(f"{live_server.url}{PROJECT}/rediger/")
    area = page.locator("#id_background")
    toolbar = page.locator(".np-markup-toolbar[aria-controls=id_background]")
    toolbar.wait_for()
    boxes = page.locator("textarea[data-markup]").count()
    assert page.locator(".np-markup-toolbar").count() == boxes

    area.fill("Karmøy")
    area.evaluate("element => element.setSelectionRange(0, element.value.length)")
    toolbar.locator("[data-markup-action=bold]").click()
    expect(area).to_have_value("**Karmøy**")

    area.fill("en\nto")
    area.evaluate("element => element.setSelectionRange(0, element.value.length)")
    toolbar.locator("[data-markup-action=list]").click()
    expect(area).to_have_value("- en\n- to")

    area.fill("KS")
    area.evaluate("element => element.setSelectionRange(0, 2)")
    toolbar.locator("[data-markup-action=link]").click()
    expect(area).to_have_value("[KS](https://)")
    assert_accessible(page)
