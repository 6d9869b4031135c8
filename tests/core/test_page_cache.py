"""The page cache (core/cache.py): served without queries, never stale after a change,
signed-in users' pages never kept, never a page with someone's CSRF token for anyone else.
What a page read and what a write changed, table by table: tests/core/test_page_cache_scope.py."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, RequestFactory
from django.urls import reverse

from core.cache import HIT_HEADER, PageCacheMiddleware, bump_generation
from surveys.models import SurveyResponse
from tests.factories import PASSWORD
from tests.measurements.factories import set_round
from tests.surveys.factories import form_data, open_run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

PROJECT = "/prosjekter/karmoy-omdomme/"


def is_hit(response) -> bool:
    return response.get(HIT_HEADER) == "hit"


def publish(client, project, background: str, committed):
    page = getattr(project, "page", None)
    with committed():
        response = client.post(
            f"{project.get_absolute_url()}rediger/",
            {
                "background": background,
                "summary": "Ny bakgrunn",
                "loaded_version": page.version if page else 1,
                "action": "publish",
            },
        )
    assert response.status_code == 302


def test_an_anonymous_page_is_served_again_without_queries(
    client, programme, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200 and not is_hit(first)
    with django_assert_num_queries(0):
        second = client.get("/")
    assert is_hit(second)
    assert second.content == first.content
    assert second["Content-Language"] == "nb"
    assert "Content-Security-Policy" in second


def test_a_page_is_never_served_on_a_later_day_than_it_was_made(client, programme):
    oslo = ZoneInfo("Europe/Oslo")
    with time_machine.travel(datetime(2025, 6, 16, 23, 58, tzinfo=oslo), tick=False):
        made = client.get("/")
        assert is_hit(client.get("/"))
    with time_machine.travel(datetime(2025, 6, 17, 0, 1, tzinfo=oslo), tick=False):
        next_day = client.get("/")
        assert not is_hit(next_day)
        assert is_hit(client.get("/"))
    assert next_day.content == made.content  # nothing of the front page changed but the day


def test_languages_and_query_strings_are_pages_of_their_own(client, programme):
    client.get("/")
    assert not is_hit(client.get("/nn/"))
    assert not is_hit(client.get("/?side=2"))
    assert 'lang="nn"' in client.get("/nn/").content.decode()


def test_a_published_change_is_visible_on_the_next_request(login, leader_karmoy, karmoy, committed):
    anonymous = Client()
    publish(login(leader_karmoy), karmoy, "Første tekst", committed)
    assert "Første tekst" in anonymous.get(PROJECT).content.decode()
    assert is_hit(anonymous.get(PROJECT))
    karmoy.refresh_from_db()
    publish(login(leader_karmoy), karmoy, "Andre tekst", committed)
    response = anonymous.get(PROJECT)
    assert not is_hit(response)
    assert "Andre tekst" in response.content.decode()
    assert "Første tekst" not in response.content.decode()


def test_signed_in_users_never_get_the_anonymous_page(login, participant, karmoy):
    Client().get(PROJECT)
    assert is_hit(Client().get(PROJECT))
    response = login(participant).get(PROJECT)
    assert not is_hit(response)
    assert 'action="/logg-ut/"' in response.content.decode()
    assert is_hit(Client().get(PROJECT))  # and nothing of theirs was stored for others


def test_a_page_with_a_csrf_token_is_never_cached(programme):
    visitor = Client()
    assert settings.CSRF_COOKIE_NAME in visitor.get("/logg-inn/").cookies
    # With the cookie, the form carries a token of the visitor's own secret: Django renews
    # the cookie on every page that uses the token, so the page is not stored.
    again = visitor.get("/logg-inn/")
    assert not is_hit(again)
    assert settings.CSRF_COOKIE_NAME in again.cookies
    other = Client().get("/logg-inn/")
    assert not is_hit(other)
    assert settings.CSRF_COOKIE_NAME in other.cookies


def test_pending_messages_bypass_the_cache(client, programme):
    client.get("/")
    client.cookies[CookieStorage.cookie_name] = "something"
    assert not is_hit(client.get("/"))


def test_only_successful_pages_are_stored(client, programme):
    assert client.get("/nettverk/finnes-ikke/").status_code == 404
    assert not is_hit(client.get("/nettverk/finnes-ikke/"))
    assert client.get("/kommuner").status_code == 301
    assert not is_hit(client.get("/kommuner"))


def test_head_is_answered_from_the_cache_without_a_body(client, programme):
    client.get("/")
    response = client.head("/")
    assert is_hit(response) and response.content == b""


def test_writing_commands_start_a_new_generation(client, programme):
    client.get("/")
    bump_generation()
    assert not is_hit(client.get("/"))
    assert is_hit(client.get("/"))
    call_command("load_programme_2012", stdout=io.StringIO())
    assert not is_hit(client.get("/"))


def test_off_without_a_shared_cache(client, programme, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert not is_hit(client.get("/"))


def _middleware(view):
    return PageCacheMiddleware(view)


def test_a_post_that_writes_nothing_leaves_the_cache(programme):
    client = Client()
    client.get("/")

    def answers(request):
        return HttpResponse("thanks")

    _middleware(answers)(RequestFactory().post("/svar/"))
    assert is_hit(client.get("/"))


def test_a_failed_post_leaves_the_cache(programme):
    client = Client()
    client.get("/")

    def refuses(request):
        return HttpResponse("no", status=400)

    _middleware(refuses)(RequestFactory().post("/lagre/"))
    assert is_hit(client.get("/"))


# --- Signed-in users ---------------------------------------------------------------------------


def test_signed_in_pages_are_never_kept(login, participant, leader_karmoy, karmoy):
    own = login(participant)
    own.get(PROJECT)  # the first page sets the CSRF cookie
    assert not any(is_hit(own.get(PROJECT)) for _ in range(2))
    response = login(leader_karmoy).get(PROJECT)
    assert not is_hit(response)
    assert f'href="{PROJECT}rediger/"' in response.content.decode()  # the leader's own page
    assert not is_hit(Client().get(PROJECT))  # nothing of theirs was stored for others


def test_after_signing_out_no_page_of_the_session_is_served(login, participant):
    client = login(participant)
    client.get("/mine-sider/")
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/logg-ut/")
    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie  # replayed
    response = client.get("/mine-sider/")
    assert not is_hit(response)
    assert response.status_code == 302


def test_signing_in_leaves_the_cache(client, programme, participant, committed):
    """Signing in writes the session, the sign-in records and the user's last sign-in, none
    of which the front page shows."""
    Client().get("/")
    with committed():
        response = client.post(
            "/logg-inn/", {"username": participant.username, "password": PASSWORD}
        )
    assert response.status_code == 302
    assert is_hit(Client().get("/"))


def test_a_page_that_shows_a_message_it_added_is_not_stored(programme):
    def greets(request):
        messages.info(request, "Velkommen")
        return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))

    request = RequestFactory().get("/hei/")
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = default_storage(request)
    assert _middleware(greets)(request).content == b"Velkommen"
    again = _middleware(lambda request: HttpResponse("uten melding"))(RequestFactory().get("/hei/"))
    assert not is_hit(again) and again.content == b"uten melding"


# --- A form page shared by all anonymous visitors, each with their own CSRF token -------------


@pytest.fixture
def survey(karmoy):
    return open_run(karmoy, set_round("nullpunkt", "open"), "residents")


def page_token_fits(response, cookie: str) -> bool:
    """Whether the page's CSRF token is one of the visitor's cookie: Django's own check
    accepts a POST carrying both."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    request = RequestFactory().post("/", {"csrfmiddlewaretoken": token.group(1)})
    request.COOKIES[settings.CSRF_COOKIE_NAME] = cookie
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    return middleware.process_view(request, lambda request: None, (), {}) is None


def test_a_shared_form_page_is_stored_once_with_each_visitors_own_token(
    survey, django_assert_num_queries
):
    path = reverse("surveys:answer", args=[survey.token])
    Client().get(path)  # reads the run and keeps it in the cache (surveys.selectors)
    first = Client(enforce_csrf_checks=True)
    response = first.get(path)
    assert not is_hit(response)
    first_secret = first.cookies[settings.CSRF_COOKIE_NAME].value
    assert page_token_fits(response, first_secret)
    second = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        response = second.get(path)
    assert is_hit(response)
    assert response["Cache-Control"].startswith("max-age=0")  # still not kept by the browser
    second_secret = second.cookies[settings.CSRF_COOKIE_NAME].value
    assert second_secret != first_secret
    assert page_token_fits(response, second_secret)  # nothing of the first visitor's
    assert not page_token_fits(response, first_secret)
    again = first.get(path)
    assert is_hit(again) and not again.cookies  # a visitor's own cookie is kept
    assert page_token_fits(again, first_secret)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    data = form_data(survey, csrfmiddlewaretoken=token.group(1))
    assert second.post(path, data).status_code == 302
    assert SurveyResponse.objects.filter(run=survey).count() == 1


def test_a_shared_form_page_is_not_shared_with_a_visitor_who_has_other_cookies(survey, committed):
    path = reverse("surveys:answer", args=[survey.token])
    Client().get(path)  # reads the run and keeps it in the cache (surveys.selectors)
    resident = Client()
    assert not is_hit(resident.get(path))  # stored
    with committed():
        assert resident.post(path, form_data(survey)).status_code == 302  # sets «answered»
    response = resident.get(path)
    assert not is_hit(response)
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()  # «already answered»
    assert is_hit(Client().get(path))  # and the questionnaire is still what others get


def test_an_invitation_link_is_never_shared(survey):
    path = reverse("surveys:answer", args=[survey.token]) + "?i=abc"
    Client().get(path)
    assert not is_hit(Client().get(path))


@pytest.mark.parametrize(
    ("cache_control", "stored"),
    [
        ("", True),
        ("max-age=60", True),
        ("private", False),
        ("no-store", False),
        ("no-cache", False),
        ("no-store, private", False),
    ],
)
def test_a_page_marked_private_or_no_store_is_never_stored(cache_control, stored):
    def view(request):
        response = HttpResponse("<p>Peanøttallergi</p>")
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    def get():
        return _middleware(view)(RequestFactory().get("/samlinger/1/deltakere/"))

    get()
    assert is_hit(get()) is stored
