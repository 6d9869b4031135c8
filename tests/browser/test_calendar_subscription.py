"""The gathering page offers its calendar as a subscription — a webcal:// link and the
address in a labelled read-only field to copy — in Bokmål and Nynorsk, with no axe
violations."""

import pytest
from django.urls import reverse
from django.utils import translation

from gatherings.models import Gathering
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.django_db, pytest.mark.browser]


@pytest.mark.parametrize("prefix", ["", "/nn"])
def test_gathering_page_offers_a_calendar_subscription(page, live_server, programme, prefix):
    first_gathering = Gathering.objects.get(network__slug="omdomme", kind="samling_1")
    with translation.override("nb"):
        path = reverse("gatherings:detail", args=[first_gathering.pk])
        # The calendar's address keeps the page's language (its notes are in it).
        ical = prefix + reverse("gatherings:ical", args=[first_gathering.pk])
    page.goto(f"{live_server.url}{prefix}{path}")
    host = live_server.url.split("://", 1)[1]
    section = page.locator("section[aria-labelledby=subscribe-heading]")
    link = section.locator("a[href^='webcal:']")
    assert link.get_attribute("href") == f"webcal://{host}{ical}"
    field = section.locator("input[readonly]")
    assert field.input_value() == f"{live_server.url}{ical}"
    # The field is named by its label, and its text can be selected to copy it.
    field_id = field.get_attribute("id")
    assert section.locator(f"label[for={field_id}]").count() == 1
    field.select_text()
    selected = field.evaluate("el => el.value.substring(el.selectionStart, el.selectionEnd)")
    assert selected == f"{live_server.url}{ical}"
    assert_accessible(page)
