"""PostgreSQL restarted under a mixed load: the portal, served by gunicorn as in production,
answers every request before and after the outage with success and every request during it with
a page or the friendly 503 (in the visitor's language, with ``Retry-After``), never a 500;
afterwards every request succeeds without restarting the portal; a form posted during the outage
says that it was not saved, and wrote nothing.

The load (anonymous pages in Bokmål and Nynorsk, a project leader's pages, the page editor's
preview as a POST) runs ``FAULT_LOAD_SECONDS`` (60 by default: CI's length; the issue's «several
minutes» is ``FAULT_LOAD_SECONDS=180``, or ``bench/faults.py`` at national scale), with the
outage of ``FAULT_OUTAGE_SECONDS`` (3) in its middle.

It stops and starts the PostgreSQL cluster, so every other connection to it breaks: it runs only
with ``FAULT_TESTS=1`` and a PostgreSQL ``DATABASE_URL``, alone (CI runs it in a pytest run of
its own, after every other). ``FAULT_PG_CLUSTER`` names the cluster (``"<version> <name>"``,
default: the one version in /etc/postgresql, ``main``).
"""

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from municipalities.models import ProjectPage, Story

BASE_DIR = Path(__file__).resolve().parent.parent
IS_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("FAULT_TESTS") != "1" or not IS_POSTGRES,
        reason="restarts PostgreSQL: needs FAULT_TESTS=1 and a PostgreSQL DATABASE_URL",
    ),
    # The gunicorn workers read what the test writes: it must be committed.
    pytest.mark.django_db(transaction=True),
]

PAGES = ["/", "/nettverk/omdomme/", "/kommuner/1149/", "/prosjekter/karmoy-omdomme/"]
NYNORSK_PAGES = ["/nn/", "/nn/prosjekter/karmoy-omdomme/"]
SIGNED_IN_PAGES = ["/mine-sider/", "/prosjekter/karmoy-omdomme/rediger/"]
PREVIEW_URL = "/prosjekter/karmoy-omdomme/rediger/"
LOAD_SECONDS = float(os.environ.get("FAULT_LOAD_SECONDS", "60"))
OUTAGE_SECONDS = float(os.environ.get("FAULT_OUTAGE_SECONDS", "3"))
UNAVAILABLE = "The portal is temporarily unavailable"
NOTHING_SAVED = "Nothing was saved. Go back and submit again when the service is back."


def translated(message: str, language: str) -> bytes:
    """The message as the 503 page shows it in ``language``."""
    with translation.override(language):
        return escape(gettext(message)).encode()


def pg_ctlcluster(action: str) -> None:
    cluster = os.environ.get("FAULT_PG_CLUSTER") or f"{os.listdir('/etc/postgresql')[0]} main"
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster.split(), action],
        check=True,
        capture_output=True,
    )


def postgres_is_ready() -> bool:
    db = settings.DATABASES["default"]
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)],
            check=False,
        ).returncode
        == 0
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer of its own here


OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass
class Answer:
    started: float
    path: str
    status: int
    body: bytes
    retry_after: str | None = None
    finished: float = 0.0

    def __post_init__(self):
        self.finished = time.monotonic()


class Portal:
    """The portal under gunicorn with production settings, on the test database."""

    def __init__(self, cookies: str, log: Path):
        db = settings.DATABASES["default"]
        self.url = f"http://127.0.0.1:{free_port()}"
        self.cookies = cookies
        env = os.environ | {
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "PLAIN_STATIC_STORAGE": "1",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "CONN_MAX_AGE": "600",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "GUNICORN_BIND": self.url.removeprefix("http://"),
            "GUNICORN_WORKERS": "2",
            "GUNICORN_MAX_REQUESTS": "0",  # keep the same workers throughout
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "CRITICAL",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        self.log = log
        deadline = time.monotonic() + 30
        while self.get("/healthz").status != 200:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)

    def request(self, path: str, data: bytes | None = None) -> Answer:
        started = time.monotonic()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Cookie": self.cookies}
        )
        try:
            with OPENER.open(request, timeout=20) as response:
                return Answer(started, path, response.status, response.read())
        except urllib.error.HTTPError as error:
            body = error.read()
            return Answer(started, path, error.code, body, error.headers.get("Retry-After"))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return Answer(started, path, 0, b"")  # no answer at all: an error

    def get(self, path: str) -> Answer:
        return self.request(path)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Load:
    """Threads sending a mix of requests in turn until stopped: anonymous pages in Bokmål and
    Nynorsk, signed-in pages and the page editor's preview (a POST that writes nothing)."""

    def __init__(self, portal: Portal, csrf: str, threads: int = 4):
        self.portal = portal
        self.preview = _form(csrf, PREVIEW_FIELDS)
        self.answers: list[Answer] = []
        self.running = True
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self, n: int) -> None:
        requests = [(path, None) for path in PAGES + NYNORSK_PAGES + SIGNED_IN_PAGES]
        requests.append((PREVIEW_URL, self.preview))
        i = n
        while self.running:
            self.answers.append(self.portal.request(*requests[i % len(requests)]))
            i += 1

    def stop(self) -> list[Answer]:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=30)
        return self.answers


#: The page editor's preview (a POST that writes nothing) and a new story.
PREVIEW_FIELDS = {
    "background": "Forhåndsvisning under en omstart av databasen.",
    "summary": "",
    "action": "preview",
}
STORY_FIELDS = {
    "title": "Skrevet under en omstart",
    "date": "2012-09-01",
    "text": "Tekst",
    "image_alt": "",
    "action": "save",
}


def _form(csrf: str, fields: dict[str, str]) -> bytes:
    """A form of the project's pages as the browser posts it: ``fields``, the CSRF token and
    the version the editor loaded."""
    form = {"csrfmiddlewaretoken": csrf, "loaded_version": "1", **fields}
    return urllib.parse.urlencode(form).encode()


def test_postgres_restart_under_load(server_clock, leader_karmoy, tmp_path):
    client = Client()
    client.force_login(leader_karmoy, backend="network.backends.ModelBackend")
    csrf = secrets.token_hex(16)  # a CSRF secret, sent as cookie and as form field
    cookies = f"__Host-sessionid={client.session.session_key}; __Host-csrftoken={csrf}"
    stories, pages = Story.objects.count(), ProjectPage.objects.count()
    story_url = "/prosjekter/karmoy-omdomme/historier/ny/"
    story = _form(csrf, STORY_FIELDS)

    portal = Portal(cookies, tmp_path / "gunicorn.log")
    try:
        workers = children(portal.process.pid)
        # The texts as the portal's workers, which have just loaded the catalogues, have them.
        unavailable = {language: translated(UNAVAILABLE, language) for language in ("nb", "nn")}
        nothing_saved = translated(NOTHING_SAVED, "nb")
        load = Load(portal, csrf)
        time.sleep(max(LOAD_SECONDS - OUTAGE_SECONDS, 2) / 2)
        outage_started = time.monotonic()
        pg_ctlcluster("stop")
        try:
            time.sleep(0.5)
            posted = portal.request(story_url, story)
            time.sleep(max(OUTAGE_SECONDS - 0.5, 0))
        finally:
            pg_ctlcluster("start")
            while not postgres_is_ready():
                time.sleep(0.1)
        recovered = time.monotonic()
        time.sleep(max(LOAD_SECONDS - OUTAGE_SECONDS, 2) / 2)
        answers = load.stop()
        posted_after = portal.request(story_url, story)
        workers_after = children(portal.process.pid)
    finally:
        portal.stop()
        connection.close()  # the test's own connection died with the restart

    before = [a for a in answers if a.finished < outage_started]
    during = [a for a in answers if a.finished >= outage_started and a.started < recovered]
    after = [a for a in answers if a.started >= recovered]
    summary = {
        phase: dict(Counter(a.status for a in group))
        for phase, group in (("before", before), ("during", during), ("after", after))
    }
    print(
        f"PostgreSQL restart under load: {len(answers)} requests in {LOAD_SECONDS:g} s, "
        f"outage {recovered - outage_started:.1f} s; answers by status: {summary}"
    )
    assert before and during and after, summary
    failed = [(a.path, a.status) for a in before if a.status != 200]
    assert not failed, failed
    # During the outage: a page (served before the connection broke) or the friendly 503,
    # in the page's language, with Retry-After; a POST's says nothing was saved.
    for answer in during:
        assert answer.status in (200, 503), (answer.path, answer.status, answer.body[:300])
        assert b"Traceback" not in answer.body
        if answer.status == 503:
            language = "nn" if answer.path.startswith("/nn/") else "nb"
            assert answer.retry_after, answer.path
            assert f'<html lang="{language}"'.encode() in answer.body, answer.body[:300]
            assert unavailable[language] in answer.body, answer.body[:1000]
    assert any(a.status == 503 for a in during), "the outage was not noticed"
    # Afterwards, everything succeeds: no request fails on a connection that died.
    failed = [(a.path, a.status) for a in after if a.status != 200]
    assert not failed, failed

    assert posted.status == 503 and posted.retry_after
    assert nothing_saved in posted.body, posted.body[:1000]
    assert posted_after.status == 302, posted_after.body[:500]
    assert Story.objects.count() == stories + 1  # only the one posted after the outage
    assert ProjectPage.objects.count() == pages  # the previews wrote nothing
    assert workers_after == workers, "gunicorn replaced its workers"
