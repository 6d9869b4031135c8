import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [("", "nb", "Tema og nettverk"), ("/nn", "nn", "Tema og nettverk")],
)
def test_home_in_language_has_no_axe_violations(
    page, live_server, programme, prefix, lang, heading
):
    page.goto(f"{live_server.url}{prefix}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == "Saman om ein betre kommune"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("link", name="Omdømme").first.is_visible()
    assert_accessible(page)
