"""Sign-in pages in a browser, Bokmål and Nynorsk, with and without errors: no axe violations."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.browser.conftest import assert_accessible, signed_in, submit_and_wait
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/nn"]


def error_summary(page):
    summary = page.locator(".ds-error-summary")
    assert summary.is_visible()
    return summary


@pytest.mark.parametrize("prefix", PREFIXES)
def test_login_page_with_and_without_errors(page, live_server, programme, prefix):
    UserFactory(username="kari")
    page.goto(f"{live_server.url}{prefix}/logg-inn/")
    assert page.locator("input[name=username]").is_visible()
    assert_accessible(page)
    page.fill("input[name=username]", "kari")
    page.fill("input[name=password]", "feil-passord")
    submit_and_wait(page, "main button[type=submit]")
    error_summary(page)
    assert page.locator("input[name=username]").input_value() == "kari"
    assert_accessible(page)


@pytest.fixture
def kari_signed_in(page, live_server, programme):
    """Kari has an account and has signed in: her pages are open."""
    UserFactory(username="kari")
    signed_in(page, live_server, "kari")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_signing_in_and_out(page, live_server, kari_signed_in, prefix):
    page.goto(f"{live_server.url}{prefix}/logg-ut/")
    assert_accessible(page)
    submit_and_wait(page, "main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/")
    assert page.locator("a[href$='/logg-inn/']").count() >= 1
    assert page.locator("form[action$='/logg-ut/']").count() == 0


@pytest.mark.parametrize("prefix", PREFIXES)
def test_lockout_page(page, live_server, programme, prefix, settings):
    UserFactory(username="kari")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}{prefix}/logg-inn/")
        page.fill("input[name=username]", "kari")
        page.fill("input[name=password]", "feil-passord")
        submit_and_wait(page, "main button[type=submit]")
    assert page.locator("main a[href$='/passord/glemt/']").is_visible()
    assert page.locator("input[name=password]").count() == 0
    assert_accessible(page)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_password_reset_pages(page, live_server, programme, prefix):
    user = UserFactory(username="kari")
    page.goto(f"{live_server.url}{prefix}/passord/glemt/")
    assert_accessible(page)
    page.fill("input[name=email]", "ikke-en-adresse")
    submit_and_wait(page, "main button[type=submit]")
    error_summary(page)
    assert_accessible(page)
    page.fill("input[name=email]", user.email)
    submit_and_wait(page, "main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/passord/sendt/")
    assert_accessible(page)

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page.goto(f"{live_server.url}{prefix}/passord/ny/{uid}/{token}/")
    page.fill("input[name=new_password1]", "12345678")
    page.fill("input[name=new_password2]", "12345678")
    submit_and_wait(page, "main button[type=submit]")
    error_summary(page)
    assert_accessible(page)
    page.fill("input[name=new_password1]", "Fjordbris-Lunsj-2012")
    page.fill("input[name=new_password2]", "Fjordbris-Lunsj-2012")
    submit_and_wait(page, "main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/passord/endret/")
    assert_accessible(page)

    page.goto(f"{live_server.url}{prefix}/passord/ny/{uid}/{token}/")
    assert page.locator("main a[href$='/passord/glemt/']").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_password_change_page(page, live_server, kari_signed_in, prefix):
    page.goto(f"{live_server.url}{prefix}/passord/endre/")
    assert_accessible(page)
    page.fill("input[name=old_password]", "feil")
    page.fill("input[name=new_password1]", "kort")
    page.fill("input[name=new_password2]", "annet")
    submit_and_wait(page, "main button[type=submit]")
    error_summary(page)
    assert_accessible(page)
