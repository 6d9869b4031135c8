#!/usr/bin/env python3
"""A mixed load for some minutes with a PostgreSQL restart in the middle; prints error counts.

    python3 bench/faults.py [--minutes 3] [--outage 5] [--clients 8] [--scale 1] [--database NAME]

It prepares and serves the portal exactly as the benchmark does (``bench/run.py``: gunicorn,
``DEBUG=0``, PostgreSQL, Redis, the national data set), then sends a mix of requests from
``--clients`` threads: anonymous public pages, signed-in pages of a project leader and of the
ministry, and the page editor's preview (a POST). Halfway through it stops PostgreSQL, waits
``--outage`` seconds and starts it again, without touching the portal.

Every answer is counted by phase (before, during and after the outage) and kind:

- before and after the outage every request must succeed (2xx/3xx);
- during it, a request may get the friendly 503 page (``Retry-After``) — never a 500, a stack
  trace or a dropped connection.

It exits 0 when that holds, 1 when not, 2 when it could not run. It stops and starts the
PostgreSQL cluster, so run it on a machine of its own (every other client loses its
connections); ``--cluster "15 main"`` names the cluster (default: the one in /etc/postgresql).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass

import run as bench  # bench/run.py: the same preparation and server as the benchmark

PHASES = ("before", "during", "after")


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    cookie: str = ""
    body: bytes | None = None


def requests_to_send(prepared: dict) -> list[Request]:
    paths, sessions = prepared["paths"], prepared["sessions"]
    csrf = secrets.token_hex(16)  # a CSRF secret: sent as the cookie and as the form field
    leader = f"{prepared['session_cookie']}={sessions['leader']}"
    ministry = f"{prepared['session_cookie']}={sessions['ministry']}"
    preview = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "loaded_version": "1",
            "background": "Forhåndsvisning under en omstart av databasen.",
            "summary": "",
            "action": "preview",
        }
    ).encode()
    anonymous = ["home", "network", "municipality", "project", "gathering", "ical", "progress"]
    return [
        *(Request(f"{key} (anonymous)", paths[key]) for key in anonymous),
        *(
            Request(f"{key} (leader)", paths[key], leader)
            for key in ("home", "my_pages", "project", "edit", "progress")
        ),
        Request("overview (ministry)", paths["overview"], ministry),
        Request(
            "page preview POST (leader)",
            paths["edit"],
            f"{leader}; {prepared['csrf_cookie']}={csrf}",
            preview,
        ),
    ]


@dataclass
class Answer:
    started: float
    finished: float
    name: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    friendly: bool


def send(base: str, request: Request) -> Answer:
    started = time.monotonic()
    headers = dict(bench.PROXY_HEADERS)
    if request.cookie:
        headers["Cookie"] = request.cookie
    if request.body is not None:
        headers["Origin"] = base.replace("http://", "https://")
        headers["Referer"] = headers["Origin"] + request.path
    opener = urllib.request.build_opener(bench.NoRedirect)
    try:
        with opener.open(
            urllib.request.Request(base + request.path, data=request.body, headers=headers),
            timeout=30,
        ) as response:
            status, body, retry_after = response.status, response.read(), None
    except urllib.error.HTTPError as error:
        status, body, retry_after = error.code, error.read(), error.headers.get("Retry-After")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return Answer(started, time.monotonic(), request.name, 0, False)
    friendly = status == 503 and retry_after is not None and b"Traceback" not in body
    return Answer(started, time.monotonic(), request.name, status, friendly)


def load(base: str, requests: list[Request], clients: int, seconds: float, outage) -> list:
    answers: list[Answer] = []
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        i = n
        while time.monotonic() < deadline:
            answers.append(send(base, requests[i % len(requests)]))
            i += 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    outage()
    for thread in threads:
        thread.join()
    return answers


def pg_ctlcluster(cluster: list[str], action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, action],
        check=True,
        capture_output=True,
    )


def kind(answer: Answer, phase: str) -> str:
    if 200 <= answer.status < 400:
        return "ok"
    if phase == "during" and answer.friendly:
        return "friendly 503"
    return f"ERROR {answer.status or 'no answer'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="length of the load (3)")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL is down")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    # Not the benchmark's port and Redis database.
    bench.add_server_arguments(parser, port=8766, redis_url="redis://127.0.0.1:6379/14")
    parser.add_argument(
        "--database",
        default="nettverksportalen_faults",
        help="database to (re)load the national data set into: not the benchmark's",
    )
    parser.add_argument("--cluster", help='PostgreSQL cluster to restart, e.g. "15 main"')
    args = parser.parse_args()
    cluster = (args.cluster or f"{sorted(os.listdir('/etc/postgresql'))[-1]} main").split()
    bench.DATABASE = args.database  # bench/run.py's functions read it from their module

    bench.ensure_postgres(args.pg_port)
    bench.ensure_redis(args.redis_url)
    times: dict[str, float] = {}

    def outage() -> None:
        time.sleep(args.minutes * 30)
        bench.say(f"Stopping PostgreSQL ({' '.join(cluster)}) for {args.outage:g} s")
        times["stopped"] = time.monotonic()
        pg_ctlcluster(cluster, "stop")
        try:
            time.sleep(args.outage)
        finally:
            pg_ctlcluster(cluster, "start")
            while subprocess.run(
                ["pg_isready", "-q", "-h", bench.HOST, "-p", str(args.pg_port)], check=False
            ).returncode:
                time.sleep(0.1)
        times["ready"] = time.monotonic()
        bench.say("PostgreSQL is back; the portal was not restarted")

    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = bench.portal_environment(args, static_root)
        prepared = bench.prepare_data(args, env)
        server = bench.start_server(args, env)
        try:
            requests = requests_to_send(prepared)
            base = f"http://{bench.HOST}:{args.port}"
            bench.say(f"Mixed load: {len(requests)} kinds of request, {args.clients} clients")
            answers = load(base, requests, args.clients, args.minutes * 60, outage)
        finally:
            bench.stop_server(server)

    counts = {phase: Counter() for phase in PHASES}
    by_request: Counter = Counter()
    for answer in answers:
        if answer.finished < times["stopped"]:
            phase = "before"
        elif answer.started < times["ready"]:
            phase = "during"
        else:
            phase = "after"
        counts[phase][kind(answer, phase)] += 1
        if kind(answer, phase).startswith("ERROR"):
            by_request[(phase, answer.name, answer.status)] += 1

    print()
    print(f"{'phase':<8} {'requests':>9}  answers")
    for phase in PHASES:
        total = sum(counts[phase].values())
        detail = ", ".join(f"{k}: {n}" for k, n in sorted(counts[phase].items()))
        print(f"{phase:<8} {total:>9}  {detail}")
    errors = sum(by_request.values())
    for (phase, name, status), n in sorted(by_request.items()):
        print(f"  {phase}: {name} answered {status or 'nothing'} {n} times")
    print(f"Errors: {errors} (outage {times['ready'] - times['stopped']:.1f} s)")
    sys.exit(1 if errors or not counts["after"] else 0)


if __name__ == "__main__":
    main()
