"""The database stops answering: every request gets the friendly 503 page, never a 500.

The outage is simulated with ``connection.execute_wrapper`` (Django's hook around every query),
failing every query or only some (the session's, one table's inserts). The real thing, a
PostgreSQL restart under load, is ``tests/test_faults_postgres.py``.
"""

from contextlib import contextmanager

import pytest
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from core.errors import RETRY_AFTER, bad_request, database_unavailable, server_error
from municipalities.models import ProjectPage, ProjectPageVersion, Story
from tests.matrix import as_each_persona
from tests.test_permission_matrix import CASES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_only_queued(settings):
    """Tasks are only queued, as by the database backend: here the request is under test, and
    a task run at once would meet the same outage inside the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


NOTHING_SAVED = "Nothing was saved. Go back and submit again when the service is back."
SAVED_UNKNOWN = "We cannot tell whether your form was saved."


@contextmanager
def outage(failing=lambda sql: True):
    """Every query for which ``failing(sql)`` is true raises what a lost connection raises."""

    def wrapper(execute, sql, params, many, context):
        if failing(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def client_for(user=None) -> Client:
    """A test client that answers with what the visitor would see, even when Django's 500
    handler was involved (the default client re-raises the exception instead)."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="network.backends.ModelBackend")
    return client


def english_url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def assert_friendly_503(response, language="nb"):
    html = response.content.decode()
    assert response.status_code == 503, html[:500]
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert f'<html lang="{language}"' in html
    assert "<h1>" in html
    assert "Traceback" not in html and "OperationalError" not in html
    return html


@pytest.mark.parametrize(("prefix", "language"), [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_page_during_outage_is_a_friendly_503_in_the_visitors_language(programme, prefix, language):
    with outage():
        response = client_for().get(f"{prefix}/")
    html = assert_friendly_503(response, language)
    if language == "en":
        assert "The portal is temporarily unavailable" in html
        assert 'href="/en/"' in html  # «Try again»
    # It passes through the security middleware like every other answer.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_page_during_outage_is_a_friendly_503(leader_karmoy):
    client = client_for(leader_karmoy)
    with outage():
        response = client.get("/en/mine-sider/")
    assert_friendly_503(response, "en")
    assert client.get("/en/mine-sider/").status_code == 200  # and back again afterwards


def test_form_posted_during_outage_says_nothing_was_saved(leader_karmoy, karmoy):
    client = client_for(leader_karmoy)
    url = english_url("municipalities:story_create", slug=karmoy.slug)
    data = {"title": "Heltid", "date": "2012-09-01", "text": "Tekst", "loaded_version": 1}
    before = Story.objects.count()
    with outage():
        response = client.post(url, data)
    html = assert_friendly_503(response, "en")
    assert NOTHING_SAVED in html
    assert Story.objects.count() == before
    assert client.post(url, data | {"action": "save"}).status_code == 302
    assert Story.objects.count() == before + 1


def test_outage_halfway_through_a_save_leaves_nothing_half_written(leader_karmoy, karmoy):
    """The page and its first version are written in one transaction: when the second insert
    fails, the first is rolled back too."""
    client = client_for(leader_karmoy)
    url = english_url("municipalities:page_edit", slug=karmoy.slug)
    data = {"loaded_version": 1, "background": "Bakgrunn.", "summary": "", "action": "save"}
    pages, versions = ProjectPage.objects.count(), ProjectPageVersion.objects.count()
    with outage(lambda sql: sql.startswith('INSERT INTO "municipalities_projectpageversion"')):
        response = client.post(url, data)
    assert NOTHING_SAVED in assert_friendly_503(response, "en")
    assert (ProjectPage.objects.count(), ProjectPageVersion.objects.count()) == (pages, versions)


def test_sign_in_during_outage_is_a_friendly_503(leader_karmoy):
    """django-axes checks the lock-out in the database before the password."""
    with outage():
        response = client_for().post(
            "/en/logg-inn/", {"username": "leder.karmoy", "password": "wrong"}
        )
    assert NOTHING_SAVED in assert_friendly_503(response, "en")


def test_session_unreadable_is_a_friendly_503(leader_karmoy):
    """The session is read lazily, when the view or a context processor asks for the user."""
    client = client_for(leader_karmoy)
    with outage(lambda sql: "django_session" in sql):
        response = client.get("/")
    assert_friendly_503(response)


def test_session_save_failing_after_the_view_is_a_friendly_503(settings, leader_karmoy, karmoy):
    """The session middleware saves the session after the view, outside the view's exception
    handling: Django's 500 handler answers, and it, too, gives the 503 page. After a POST it
    cannot know whether the form was saved, and says so. (Django's own database session store,
    which with ``SESSION_SAVE_EVERY_REQUEST`` writes the session after every request.)"""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    failing = lambda sql: sql.startswith('UPDATE "django_session"')  # noqa: E731
    client = client_for(leader_karmoy)
    with outage(failing):
        response = client.get("/en/")
    assert_friendly_503(response, "en")

    url = english_url("municipalities:story_create", slug=karmoy.slug)
    data = {"title": "Heltid", "date": "2012-09-01", "text": "Tekst", "loaded_version": 1}
    with outage(failing):
        response = client.post(url, data | {"action": "save"})
    html = assert_friendly_503(response, "en")
    assert SAVED_UNKNOWN in html and NOTHING_SAVED not in html


def test_503_page_is_rendered_without_the_database(django_assert_num_queries):
    request = RequestFactory().post("/nn/prosjekter/karmoy-omdomme/rediger/")
    with django_assert_num_queries(0):
        response = database_unavailable(request)
    assert response.status_code == 503
    assert b'<html lang="nn"' in response.content


def test_other_errors_still_get_the_500_and_400_pages():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert bad_request(request, SuspiciousOperation("bad host")).status_code == 400


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_request_during_an_outage_is_never_a_500(case, request, programme):
    """Every URL of the permission matrix, as every persona: the page when it needs no database
    (a redirect to the login page, an answer from the cache), else the friendly 503."""
    wrong = []
    for persona, client in as_each_persona(request, make_client=client_for):
        with translation.override("nb"):
            url = case.url()
        data = case.resolve_data()
        send = getattr(client, case.method)
        with outage():
            response = send(url, data) if data is not None else send(url)
        body = response.content.decode(errors="replace")
        friendly = response.status_code == 503 and (
            response.has_header("Retry-After") or case.name == "healthz"
        )
        if response.status_code >= 500 and not friendly:
            wrong.append(f"{persona}: {response.status_code} {body[:200]!r}")
        elif "Traceback" in body:
            wrong.append(f"{persona}: a stack trace")
    assert not wrong, f"{case.id}: " + "; ".join(wrong)
