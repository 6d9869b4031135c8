"""Response headers and cookies with the production settings.

The settings are those ``config/settings.py`` computes from a production environment: a
subprocess imports them with ``DEBUG=0`` and a secret key and hands the security settings back,
and the requests below run under exactly those (not a copy kept by hand).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "nettverksportalen.example.org"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "production-like-secret-key-for-tests-" + "x" * 40,
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "DATABASE_URL": "",
    "SECURE_SSL_REDIRECT": "",
    "SECURE_HSTS_SECONDS": "",
    "USE_X_FORWARDED_PROTO": "",
}
ONE_YEAR = 365 * 24 * 60 * 60


def production_environment() -> dict[str, str]:
    """This environment with the production settings; without what only the browser tests set."""
    ignored = PRODUCTION_ENV.keys() | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    return env | {key: value for key, value in PRODUCTION_ENV.items() if value}


_SETTINGS_SCRIPT = """
import json
import config.settings as s
names = [n for n in dir(s) if n.isupper() and n.startswith((
    "SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_", "X_FRAME", "DEBUG",
    "ALLOWED_HOSTS", "CSRF_TRUSTED", "CONTENT_SECURITY_POLICY", "MIDDLEWARE"))]
print(json.dumps({n: getattr(s, n) for n in names}, default=list))
"""


@pytest.fixture(scope="module")
def production_settings() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _SETTINGS_SCRIPT],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(result.stdout)
    if values.get("SECURE_PROXY_SSL_HEADER"):
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    assert values["DEBUG"] is False
    return values


@pytest.fixture
def production(production_settings):
    with override_settings(**production_settings):
        yield Client(HTTP_HOST=HOST)


def test_check_deploy_has_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environment()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_plain_http_is_redirected_to_https(production):
    response = production.get("/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/"


def _csp(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/nn/logg-inn/", 200), ("/kommuner/1149/", 200), ("/finnes-ikke/", 404)],
)
def test_every_answer_has_the_security_headers(production, programme, path, status):
    response = production.get(path, secure=True)
    assert response.status_code == status

    hsts = dict(
        part.strip().partition("=")[::2]
        for part in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= ONE_YEAR
    assert "includeSubDomains" in hsts and "preload" in hsts

    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(csp[directive]), directive

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def _assert_host_cookie(cookie, *, httponly=True):
    assert cookie.key.startswith("__Host-")
    # The __Host- prefix: Secure, Path=/, no Domain.
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    assert cookie["samesite"] in {"Lax", "Strict"}
    assert bool(cookie["httponly"]) is httponly


def test_session_and_csrf_cookies_are_host_only_secure_and_samesite(production, leader_karmoy):
    response = production.get("/logg-inn/", secure=True)
    assert response.status_code == 200
    _assert_host_cookie(response.cookies["__Host-csrftoken"])

    response = production.post(
        "/logg-inn/", {"username": "leder.karmoy", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    _assert_host_cookie(response.cookies["__Host-sessionid"])
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies

    response = production.get("/mine-sider/", secure=True)
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_language_cookie_would_be_secure_httponly_and_samesite(production_settings):
    """The portal sets no language cookie (the language is in the URL); were one set, it
    would be as guarded as the others."""
    assert production_settings["LANGUAGE_COOKIE_SECURE"] is True
    assert production_settings["LANGUAGE_COOKIE_HTTPONLY"] is True
    assert production_settings["LANGUAGE_COOKIE_SAMESITE"] in {"Lax", "Strict"}


def test_database_outage_page_has_the_security_headers(production):
    from django.db import OperationalError, connection

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = production.get("/", secure=True)
    assert response.status_code == 503
    assert _csp(response)["frame-ancestors"] == ["'none'"]
    assert "Strict-Transport-Security" in response


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "PATCH", "DELETE", "CONNECT", "FOO"])
@pytest.mark.parametrize(
    "path", ["/", "/logg-inn/", "/en/mine-sider/", "/finnes-ikke/", "/healthz"]
)
def test_methods_the_portal_does_not_use_answer_405(production, programme, method, path):
    response = production.generic(method, path, secure=True)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert response.content == b""
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Strict-Transport-Security" in response


def test_a_trace_request_is_not_echoed(client, programme):
    response = client.generic("TRACE", "/", HTTP_COOKIE="sessionid=secret")
    assert response.status_code == 405
    assert b"secret" not in response.content


def test_the_methods_the_portal_uses_still_work(client, programme, leader_karmoy):
    assert client.get("/").status_code == 200
    assert client.head("/").status_code == 200
    response = client.post("/logg-inn/", {"username": "leder.karmoy", "password": PASSWORD})
    assert response.status_code == 302


def test_files_carry_the_cross_origin_resource_policy(client, programme):
    response = client.get("/healthz")
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
