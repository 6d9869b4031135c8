"""A real worker process delivers the outbox to a real SMTP server: a programme notice and
3,000 survey invitations, queued as a request would, are delivered by ``manage.py db_worker
--batch`` (which exits when the queue is empty) to a local SMTP server (aiosmtpd), each message
exactly once, over one SMTP connection, at 50 messages a second or more.

On SQLite the test database (in memory) is copied to a file the worker opens; on PostgreSQL the
worker uses the test database itself. With ``FAULT_TESTS=1`` and PostgreSQL, the second test
restarts the PostgreSQL cluster while the worker is sending, and every message is still
delivered once (CI runs it alone, after every other test, as it breaks every connection).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from gatherings import publishing
from gatherings.models import Gathering
from measurements.models import MeasurementRound
from municipalities.models import LocalProject, Participant, ParticipantRole
from surveys.services import send_invitations
from tests.surveys.factories import open_run
from tests.tasks_helpers import use_database_queue

BASE_DIR = Path(__file__).resolve().parent.parent
IS_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
INVITATIONS = int(os.environ.get("WORKER_TEST_INVITATIONS", "3000"))
NOTICE_RECIPIENTS = 3
TARGET_PER_SECOND = 50

pytestmark = pytest.mark.django_db(transaction=True)


class Sink:
    """The SMTP server's handler: who got what, and when."""

    def __init__(self):
        self.lock = threading.Lock()
        self.recipients: Counter[str] = Counter()
        self.subjects: Counter[str] = Counter()
        self.connections = 0
        self.first = self.last = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        subject = next(
            (
                line.split(":", 1)[1].strip()
                for line in envelope.content.decode("utf-8", "replace").splitlines()
                if line.lower().startswith("subject:")
            ),
            "",
        )
        now = time.monotonic()
        with self.lock:
            for address in envelope.rcpt_tos:
                self.recipients[address] += 1
            self.subjects[subject] += 1
            self.first = self.first or now
            self.last = now
        return "250 Message accepted"

    @property
    def delivered(self) -> int:
        with self.lock:
            return sum(self.recipients.values())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's log of each command
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


def queue_the_mail(settings) -> list[str]:
    """What requests do: a gathering published to its network, 3,000 survey invitations.
    Returns every address that must receive exactly one message."""
    use_database_queue(settings)
    gathering = Gathering.objects.get(network__slug="omdomme", kind="samling_2")
    Gathering.objects.filter(pk=gathering.pk).update(
        start_date=datetime.date(2012, 9, 20), end_date=datetime.date(2012, 9, 21)
    )
    karmoy = LocalProject.objects.get(slug="karmoy-omdomme")
    notice = [f"deltaker{i}@karmoy.kommune.example" for i in range(NOTICE_RECIPIENTS)]
    for i, address in enumerate(notice):
        Participant.objects.create(
            local_project=karmoy,
            name=f"Deltaker {i}",
            role=ParticipantRole.OTHER,
            email=address,
            municipality=karmoy.municipalities.first(),
        )
    publishing.publish(gathering=gathering, user=None, base_url="http://portal.example")
    today = timezone.localdate()
    round = MeasurementRound.objects.get(slug="nullpunkt")
    MeasurementRound.objects.filter(pk=round.pk).update(
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30)
    )
    round.refresh_from_db()
    run = open_run(karmoy, round)
    invited = [f"ansatt{i}@karmoy.kommune.example" for i in range(INVITATIONS)]
    send_invitations(
        run=run,
        addresses=invited,
        message=lambda token: ("Omdømmeundersøkelse", f"http://portal.example/?i={token}"),
    )
    return notice + invited


def worker_database(tmp_path) -> str:
    """A DATABASE_URL for the worker process that holds what the test wrote."""
    db = settings.DATABASES["default"]
    if IS_POSTGRES:
        user = db["USER"] or "postgres"
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return (
            f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}"
        )
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def start_worker(database_url: str, port: int, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="0",
        EMAIL_TIMEOUT="10",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0.1"]
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb")
    )


def statuses(database_url: str) -> Counter:
    query = "SELECT status, COUNT(*) FROM core_outboxrecipient GROUP BY status"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return Counter(dict(db.execute(query).fetchall()))
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(query)
        return Counter(dict(cursor.fetchall()))


def wait_for(worker: subprocess.Popen, log: Path, timeout: float) -> None:
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
        pytest.fail(
            f"The worker did not empty the queue in {timeout} s:\n{log.read_text()[-3000:]}"
        )
    assert worker.returncode == 0, log.read_text()[-3000:]


@dataclass
class Delivery:
    sink: Sink
    addresses: list[str]
    url: str
    log: Path
    started: float
    worker: subprocess.Popen


@pytest.fixture
def delivery(programme, settings, smtp_server, tmp_path) -> Delivery:
    """The mail queued and a worker process started on the database (``url``), delivering to
    the SMTP sink; its standard error in ``log``."""
    sink, port = smtp_server
    addresses = queue_the_mail(settings)
    database_url = worker_database(tmp_path)
    log = tmp_path / "worker.log"
    started = time.monotonic()
    return Delivery(
        sink, addresses, database_url, log, started, start_worker(database_url, port, log)
    )


def report(sink: Sink, started: float, label: str) -> float:
    sending = max(sink.last - sink.first, 1e-6)
    rate = sink.delivered / sending
    print(
        f"\n{label}: {sink.delivered} messages in {sending:.1f} s of sending "
        f"({time.monotonic() - started:.1f} s with the worker's start-up): {rate:.0f} messages/s, "
        f"{sink.connections} SMTP connection(s)"
    )
    return rate


def test_a_worker_process_delivers_a_programme_notice_and_3000_invitations_once(delivery):
    wait_for(delivery.worker, delivery.log, timeout=240)
    rate = report(delivery.sink, delivery.started, "db_worker --batch")

    # Every message delivered exactly once.
    assert delivery.sink.recipients == Counter(delivery.addresses)
    assert statuses(delivery.url) == Counter({"sent": len(delivery.addresses)})
    assert delivery.sink.connections <= 2  # one connection for the many
    assert rate >= TARGET_PER_SECOND


def restart_postgres() -> None:
    """``pg_ctlcluster … restart`` on the cluster ``FAULT_PG_CLUSTER`` (as
    tests/test_faults_postgres.py), or the shell command ``FAULT_PG_RESTART`` (a private
    cluster, so that a developer's run does not break everyone else's connections)."""
    if command := os.environ.get("FAULT_PG_RESTART"):
        subprocess.run(command, shell=True, check=True, capture_output=True)
        return
    cluster = os.environ.get("FAULT_PG_CLUSTER") or f"{os.listdir('/etc/postgresql')[0]} main"
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster.split(), "restart"],
        check=True,
        capture_output=True,
    )


def postgres_is_ready() -> bool:
    db = settings.DATABASES["default"]
    command = ["pg_isready", "-q", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    return subprocess.run(command, check=False).returncode == 0


@pytest.mark.skipif(
    os.environ.get("FAULT_TESTS") != "1" or not IS_POSTGRES,
    reason="restarts PostgreSQL: needs FAULT_TESTS=1 and a PostgreSQL DATABASE_URL",
)
def test_the_worker_survives_a_postgresql_restart_and_delivers_every_message_once(delivery):
    deadline = time.monotonic() + 120
    while delivery.sink.delivered < len(delivery.addresses) // 3:
        assert delivery.worker.poll() is None, delivery.log.read_text()[-3000:]
        assert time.monotonic() < deadline, "the worker did not start sending"
        time.sleep(0.05)
    connection.close()
    restart_postgres()
    while not postgres_is_ready():
        time.sleep(0.1)
    restarted_at = delivery.sink.delivered
    wait_for(delivery.worker, delivery.log, timeout=240)
    report(
        delivery.sink,
        delivery.started,
        f"db_worker --batch, PostgreSQL restarted after {restarted_at}",
    )

    assert restarted_at < len(delivery.addresses)  # the restart happened while it was sending
    # Every message delivered exactly once.
    assert delivery.sink.recipients == Counter(delivery.addresses)
    assert statuses(delivery.url) == Counter({"sent": len(delivery.addresses)})
