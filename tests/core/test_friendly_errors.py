"""``dev.py serve`` runs with DEBUG on and FRIENDLY_ERRORS=1: the portal's own error pages,
not Django's debug pages (``core.middleware.FriendlyErrorsMiddleware``)."""

import logging

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev_server(settings):
    """A client of the development server as ``dev.py serve`` configures it."""
    settings.DEBUG = True
    settings.FRIENDLY_ERRORS = True
    return Client(raise_request_exception=False)


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def test_address_without_a_page_shows_the_portals_404_page_on_the_dev_server(dev_server, programme):
    response = dev_server.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "404.html" in _template_names(response)
    html = response.content.decode()
    assert "Fant ikke siden" in html or "Page not found" in html
    assert "Using the URLconf defined in" not in html  # Django's debug page


def test_missing_object_shows_the_portals_404_page_in_the_pages_language(dev_server, programme):
    response = dev_server.get("/en/nettverk/finnes-ikke/")
    assert response.status_code == 404
    assert "404.html" in _template_names(response)
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_forbidden_page_shows_the_portals_403_page_on_the_dev_server(dev_server, participant):
    dev_server.force_login(participant)
    response = dev_server.get("/framgang/")
    assert response.status_code == 403
    assert "403.html" in _template_names(response)


def test_error_in_a_view_shows_the_portals_500_page_and_logs_the_traceback(
    dev_server, programme, caplog
):
    def fail(execute, sql, params, many, context):
        raise RuntimeError("a bug in a view")

    with (
        caplog.at_level(logging.ERROR, logger="core.middleware"),
        connection.execute_wrapper(fail),
    ):
        response = dev_server.get("/")
    assert response.status_code == 500
    assert "500.html" in _template_names(response)
    assert "Traceback" not in response.content.decode()
    assert any(
        record.exc_info and "a bug in a view" in str(record.exc_info[1])
        for record in caplog.records
    )


def test_without_friendly_errors_the_dev_server_shows_djangos_debug_page(settings, programme):
    settings.DEBUG = True
    settings.FRIENDLY_ERRORS = False
    response = Client().get("/finnes-ikke/")
    assert response.status_code == 404
    assert "404.html" not in _template_names(response)
