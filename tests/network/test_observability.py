"""Request ids, JSON logs with the user id and no personal data, and Sentry events scrubbed of
personal data before they leave the server."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.observability import (
    FILTERED,
    JsonFormatter,
    RequestContextFilter,
    before_send,
    user_id,
)

GIVEN_ID = "3f2c9a1e-5b7d-4c1a-9e8f-0123456789ab"


@pytest.fixture
def json_log():
    """The portal's JSON records, as LOG_FORMAT=json writes them, collected in a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    requests_logger = logging.getLogger("portal.requests")
    level = requests_logger.level
    requests_logger.setLevel(logging.INFO)
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)
    requests_logger.setLevel(level)


@pytest.mark.django_db
def test_a_well_formed_request_id_is_kept_and_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=GIVEN_ID)
    assert response["X-Request-ID"] == GIVEN_ID


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given", ["short", "has space in it", "a" * 129, "<script>alert(1)</script>", "ok\nforged"]
)
def test_a_malformed_request_id_is_replaced_by_a_new_one(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    made = response["X-Request-ID"]
    assert made != given and len(made) == 32 and int(made, 16) >= 0


@pytest.mark.django_db
def test_every_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


@pytest.mark.django_db
def test_json_records_carry_the_request_id_and_the_user_id_but_no_personal_data(
    json_log, login, participant
):
    participant.email = "kari.nordmann@karmoy.kommune.no"
    participant.first_name, participant.last_name = "Kari", "Nordmann"
    participant.save()
    response = login(participant).get("/mine-sider/", HTTP_X_REQUEST_ID=GIVEN_ID)
    assert response.status_code == 200
    records = json_log()
    finished = [record for record in records if record["message"] == "request"]
    assert finished == [
        {
            "time": finished[0]["time"],
            "level": "INFO",
            "name": "portal.requests",
            "message": "request",
            "method": "GET",
            "view": "network:my_pages",
            "status": 200,
            "duration_ms": finished[0]["duration_ms"],
            "request_id": GIVEN_ID,
            "user_id": participant.pk,
        }
    ]
    text = json.dumps(records)
    for personal in (participant.email, participant.username, "Nordmann", "127.0.0.1"):
        assert personal not in text


@pytest.mark.django_db
def test_djangos_own_records_carry_the_request_id_without_the_query_string(json_log, client):
    response = client.get("/finnes-ikke/?epost=kari@example.org", HTTP_X_REQUEST_ID=GIVEN_ID)
    assert response.status_code == 404
    not_found = [record for record in json_log() if record["name"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == GIVEN_ID
    assert not_found[0]["user_id"] is None
    assert "kari@example.org" not in json.dumps(not_found)


def test_the_log_filter_never_loads_the_user():
    def load():
        raise AssertionError("the log filter queried the user")

    request = HttpRequest()
    request.request_id = GIVEN_ID
    request.user = SimpleLazyObject(load)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.request = request
    assert RequestContextFilter().filter(record)
    assert (record.request_id, record.user_id) == (GIVEN_ID, None)


@pytest.mark.django_db
def test_the_user_id_is_read_once_the_request_has_loaded_the_user(participant):
    request = HttpRequest()
    request.user = SimpleLazyObject(lambda: participant)
    assert user_id(request) is None
    assert request.user.is_authenticated  # the view loads it
    assert user_id(request) == participant.pk


SENTRY_PROBE = """
import json

import sentry_sdk
from django.test import Client, override_settings
from django.urls import path

from config import urls as portal_urls

events = []


class Recorder(sentry_sdk.transport.Transport):
    def capture_envelope(self, envelope):
        if envelope.get_event() is not None:
            events.append(envelope.get_event())

    def flush(self, timeout=None, callback=None):
        pass

    def kill(self):
        pass


sentry_sdk.get_client().transport = Recorder()


def boom(request):
    raise ValueError("No account for kari@example.org")


handler500 = portal_urls.handler500
urlpatterns = [path("boom/", boom), *portal_urls.urlpatterns]
with override_settings(ROOT_URLCONF="__main__", DEBUG=False, ALLOWED_HOSTS=["testserver"]):
    Client(raise_request_exception=False).post(
        "/boom/?epost=kari@example.org",
        {"email": "kari@example.org"},
        HTTP_X_REQUEST_ID="%s",
        HTTP_COOKIE="csrftoken=abc123secret",
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
print(json.dumps(events, default=str))
"""


def _run_with(environment: dict[str, str], code: str) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "LOG_FORMAT"}}
    env = {**inherited, "DJANGO_SETTINGS_MODULE": "config.settings", **environment}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_log_format_json_writes_one_json_object_a_line():
    done = _run_with(
        {"LOG_FORMAT": "json"}, "import logging; logging.getLogger('portal').warning('hello')"
    )
    record = json.loads(done.stderr.strip().splitlines()[-1])
    assert (record["level"], record["name"], record["message"]) == ("WARNING", "portal", "hello")
    assert record["request_id"] is None and record["user_id"] is None


def test_sentry_is_off_without_a_dsn_and_keeps_personal_data_out_with_one():
    check = (
        "import sentry_sdk; client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options.get('send_default_pii'), "
        "getattr(client.options.get('before_send'), '__qualname__', None))"
    )
    assert _run_with({}, check).stdout.split() == ["False", "None", "None"]
    dsn = {"SENTRY_DSN": "https://public@sentry.invalid/1"}
    assert _run_with(dsn, check).stdout.split() == ["True", "False", "before_send"]


def test_an_error_report_names_the_request_and_holds_no_personal_data(tmp_path):
    """Through Sentry's Django integration, with a transport that records instead of sends."""
    done = _run_with(
        {
            "SENTRY_DSN": "https://public@sentry.invalid/1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        },
        SENTRY_PROBE % GIVEN_ID,
    )
    events = json.loads(done.stdout.strip().splitlines()[-1])
    report = next(
        event
        for event in events
        if event.get("exception", {}).get("values", [{}])[-1].get("type") == "ValueError"
    )
    assert report["exception"]["values"][-1]["value"] == f"No account for {FILTERED}"
    assert report["tags"]["request_id"] == GIVEN_ID
    text = json.dumps(events)
    for personal in ("kari@example.org", "abc123secret", "192.0.2.10", "epost="):
        assert personal not in text


def test_before_send_takes_personal_data_out_of_an_event():
    event = {
        "request": {
            "url": "https://portal.example/mine-sider/?epost=kari@example.org",
            "method": "POST",
            "query_string": "epost=kari@example.org",
            "cookies": {"sessionid": "secret"},
            "data": {"email": "kari@example.org", "password": "hemmelig"},
            "env": {"REMOTE_ADDR": "192.0.2.10"},
            "headers": {
                "Cookie": "sessionid=secret",
                "X-Forwarded-For": "192.0.2.10",
                "Authorization": "Bearer token",
                "User-Agent": "Firefox",
            },
        },
        "user": {"id": 42, "email": "kari@example.org", "ip_address": "192.0.2.10"},
        "exception": {
            "values": [{"type": "ValueError", "value": "No account for kari@example.org"}]
        },
        "breadcrumbs": {"values": [{"message": "Invited ola.nordmann@strand.kommune.no"}]},
        "logentry": {"message": "Sent to %s", "params": ["kari@example.org"]},
    }
    scrubbed = before_send(event, {})
    request = scrubbed["request"]
    assert request["url"] == "https://portal.example/mine-sider/"
    assert request["query_string"] == ""
    assert "cookies" not in request and "data" not in request and "env" not in request
    assert request["headers"] == {
        "Cookie": FILTERED,
        "X-Forwarded-For": FILTERED,
        "Authorization": FILTERED,
        "User-Agent": "Firefox",
    }
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["exception"]["values"][0]["value"] == f"No account for {FILTERED}"
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == f"Invited {FILTERED}"
    assert scrubbed["logentry"]["params"] == [FILTERED]
    assert "@" not in json.dumps(scrubbed)
