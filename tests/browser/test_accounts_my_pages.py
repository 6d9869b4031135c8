"""«Mine sider» for each demo persona, Bokmål and Nynorsk: no axe violations."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PERSONAS = {
    "participant": "deltaker.karmoy",
    "leader_karmoy": "leder.karmoy",
    "leader_strand": "leder.strand",
    "facilitator": "veileder.omdomme",
    "facilitator_other": "veileder.sykefravaer.sor",
    "ministry": "krd",
    "admin_user": "admin",
}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_my_pages_for_each_persona(request, page, live_server, persona):
    request.getfixturevalue(persona)
    sign_in(page, live_server, PERSONAS[persona], PASSWORD)
    page.wait_for_url(f"{live_server.url}/mine-sider/")
    for prefix in ("", "/nn"):
        page.goto(f"{live_server.url}{prefix}/mine-sider/")
        assert page.locator("html").get_attribute("lang") == (prefix.strip("/") or "nb")
        assert page.locator("main").get_by_text(PERSONAS[persona], exact=True).is_visible()
        assert page.locator("main a[href$='/passord/endre/']").is_visible()
        assert_accessible(page)
