"""PostgreSQL restarted under load: the portal, served by gunicorn as in production, answers
every request during the outage with a page or the friendly 503, never a 500; afterwards every
request succeeds without restarting the portal; a form posted during the outage wrote nothing.

It stops and starts the PostgreSQL cluster, so every other connection to it breaks: it runs only
with ``FAULT_TESTS=1`` and a PostgreSQL ``DATABASE_URL``, alone (CI runs it in a pytest run of
its own). ``FAULT_PG_CLUSTER`` names the cluster (``"<version> <name>"``, default: the one
version in /etc/postgresql, ``main``).
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

from municipalities.models import Story

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
SIGNED_IN_PAGES = ["/mine-sider/", "/prosjekter/karmoy-omdomme/rediger/"]
OUTAGE_SECONDS = 3
NOTHING_SAVED = b"Nothing was saved. Go back and submit again when the service is back."


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
            return Answer(started, path, error.code, error.read())

    def get(self, path: str) -> Answer:
        try:
            return self.request(path)
        except urllib.error.URLError:
            return Answer(time.monotonic(), path, 0, b"")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Load:
    """Threads sending GET requests in turn, anonymous and signed in, until stopped."""

    def __init__(self, portal: Portal, threads: int = 4):
        self.portal = portal
        self.answers: list[Answer] = []
        self.running = True
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self, n: int) -> None:
        paths = PAGES + SIGNED_IN_PAGES
        i = n
        while self.running:
            self.answers.append(self.portal.request(paths[i % len(paths)]))
            i += 1

    def stop(self) -> list[Answer]:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=30)
        return self.answers


def _form(csrf: str) -> bytes:
    return urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "title": "Skrevet under en omstart",
            "date": "2012-09-01",
            "text": "Tekst",
            "image_alt": "",
            "loaded_version": "1",
            "action": "save",
        }
    ).encode()


def test_postgres_restart_under_load(leader_karmoy, tmp_path):
    client = Client()
    client.force_login(leader_karmoy, backend="django.contrib.auth.backends.ModelBackend")
    csrf = secrets.token_hex(16)  # a CSRF secret, sent as cookie and as form field
    cookies = f"__Host-sessionid={client.session.session_key}; __Host-csrftoken={csrf}"
    stories = Story.objects.count()
    story_url = "/en/prosjekter/karmoy-omdomme/historier/ny/"

    portal = Portal(cookies, tmp_path / "gunicorn.log")
    try:
        workers = children(portal.process.pid)
        load = Load(portal)
        time.sleep(2)
        outage_started = time.monotonic()
        pg_ctlcluster("stop")
        try:
            time.sleep(0.5)
            posted = portal.request(story_url, _form(csrf))
            time.sleep(OUTAGE_SECONDS)
        finally:
            pg_ctlcluster("start")
            while not postgres_is_ready():
                time.sleep(0.1)
        recovered = time.monotonic()
        time.sleep(4)
        answers = load.stop()
        posted_after = portal.request(story_url, _form(csrf))
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
    print(f"PostgreSQL restart under load, answers by status: {summary}")
    assert before and during and after, summary
    assert all(a.status == 200 for a in before), summary
    # During the outage: a page (served before the connection broke) or the friendly 503.
    for answer in during:
        assert answer.status in (200, 503), (answer.path, answer.status, answer.body[:300])
        assert b"Traceback" not in answer.body
        if answer.status == 503:
            assert b"<h1>" in answer.body and b"<html lang=" in answer.body, answer.body[:300]
    assert any(a.status == 503 for a in during), "the outage was not noticed"
    # Afterwards, everything succeeds: no request fails on a connection that died.
    failed = [(a.path, a.status) for a in after if a.status != 200]
    assert not failed, failed

    assert posted.status == 503
    assert NOTHING_SAVED in posted.body
    assert posted_after.status == 302, posted_after.body[:500]
    assert Story.objects.count() == stories + 1  # only the one posted after the outage
    assert workers_after == workers, "gunicorn replaced its workers"
